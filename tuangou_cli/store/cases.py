"""The case library (the support centre's database): wins and losses, who decided, what worked, the lesson.

Functions take an open session; the caller owns the transaction. Search folds case
and full-/half-width on both sides (``names.name_key``), so it works the same for
Chinese and English on SQLite and PostgreSQL.

Example::

    with store.read() as session:
        case = best_won_case(session, "welfare", "税务")
        hits = search_cases(session, "挂烫机")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import Row, func, or_, select
from sqlmodel import Session

from .. import i18n
from ..errors import UsageError
from ..models import Case, Client
from ..names import name_key

OUTCOMES = ("won", "lost")

# The fields a search looks in, in the order a tie is broken (a title hit counts most).
SEARCH_FIELDS = ("title", "technique", "lesson", "decided_by", "industry")

COLUMNS = ["id", "created_at", "outcome", "segment", "industry", "title", "decided_by", "technique", "lesson",
           "client_id", "client", "created_by"]


def check_outcome(outcome: str) -> str:
    value = outcome.strip().lower()
    if value not in OUTCOMES:
        raise UsageError(i18n.t("lib.case.bad_outcome", outcome=outcome, outcomes=" | ".join(OUTCOMES)))
    return value


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def add_case(
    session: Session,
    *,
    title: str,
    outcome: str,
    user: str,
    segment: str | None = None,
    industry: str | None = None,
    decided_by: str | None = None,
    technique: str | None = None,
    lesson: str | None = None,
    client: Client | None = None,
) -> Case:
    """Record a case. Segment and industry default to the client's when a client is given."""
    clean_title = _clean(title)
    if not clean_title:
        raise UsageError(i18n.t("lib.case.empty_title"))
    row = Case(
        title=clean_title,
        outcome=check_outcome(outcome),
        segment=segment or (client.segment if client else None),
        industry=_clean(industry) or (client.industry if client else None),
        decided_by=_clean(decided_by),
        technique=(technique or "").strip() or None,
        lesson=(lesson or "").strip() or None,
        client_id=client.id if client else None,
        created_by=user,
    )
    session.add(row)
    session.flush()
    return row


def _select(segment: str | None = None, outcome: str | None = None):
    stmt = (
        select(Case.id, Case.created_at, Case.outcome, Case.segment, Case.industry, Case.title, Case.decided_by,
               Case.technique, Case.lesson, Case.client_id, Client.name, Case.created_by)
        .outerjoin(Client, Client.id == Case.client_id)
    )
    if segment:
        stmt = stmt.where(Case.segment == segment)
    if outcome:
        stmt = stmt.where(Case.outcome == outcome)
    return stmt


def list_cases(session: Session, *, segment: str | None = None, outcome: str | None = None) -> list[dict[str, Any]]:
    """Every case (newest first), as plain dicts keyed by ``COLUMNS``."""
    stmt = _select(segment, outcome).order_by(Case.created_at.desc(), Case.id.desc())
    return [dict(zip(COLUMNS, row)) for row in session.connection().execute(stmt)]


@dataclass
class Hit:
    case: dict[str, Any]
    score: int
    fields: list[str]


def match(case: dict[str, Any], terms: list[str]) -> Hit | None:
    """Pure: does every term occur in some field? Score = how many fields hold a term."""
    folded = {f: name_key(case.get(f) or "") for f in SEARCH_FIELDS}
    if not all(any(t in text for text in folded.values()) for t in terms):
        return None
    fields = [f for f in SEARCH_FIELDS if any(t in folded[f] for t in terms)]
    return Hit(case, len(fields), fields)


def search_cases(session: Session, text: str, *, segment: str | None = None,
                 outcome: str | None = None) -> list[Hit]:
    """Cases holding every word of ``text`` (substring, any case or width), best first.

    Ranked by the number of fields hit, then wins before losses, then newest.
    """
    terms = [t for t in name_key(text).split(" ") if t]
    if not terms:
        return []
    hits = [h for c in list_cases(session, segment=segment, outcome=outcome) if (h := match(c, terms))]
    # list_cases is newest first and sort is stable.
    hits.sort(key=lambda h: (-h.score, h.case["outcome"] != "won"))
    return hits


def best_won_case(session: Session, segment: str | None, industry: str | None) -> Row | None:
    """The won case to cite as a proof point in a pitch: same segment and industry first, then
    same segment, then same industry; the most recent within each. None when nothing matches
    either (an unrelated case proves nothing to this client).
    """
    case = Case.__table__.c  # Core, as a row: a pitch reads it and sets up no ORM
    conditions = []
    seg_hit = case.segment == segment if segment else None
    ind_hit = func.lower(case.industry) == industry.strip().lower() if industry and industry.strip() else None
    if seg_hit is None and ind_hit is None:
        return None
    rank = []
    if seg_hit is not None:
        conditions.append(seg_hit)
        rank.append(sql_case((seg_hit, 0), else_=1))
    if ind_hit is not None:
        conditions.append(ind_hit)
        rank.append(sql_case((ind_hit, 0), else_=1))
    stmt = (
        select(Case.__table__)
        .where(case.outcome == "won", or_(*conditions))
        .order_by(*rank, case.created_at.desc(), case.id.desc())
        .limit(1)
    )
    return session.connection().execute(stmt).first()
