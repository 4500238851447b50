"""Reading and writing clients, contacts, classifications and referrals.

Keyword-only functions taking an open session; the caller owns the
transaction (``Store.write()``), so a command's writes land together or not at all.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from sqlalchemy import Row, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from .. import i18n
from ..columns import EDIT_FIELDS, EXPORT_COLUMNS, of_kind
from ..errors import Ambiguous, NotFound, TgError, UsageError
from ..models import Client, Contact, Referral, Segment, utcnow
from ..names import like_prefix, name_key
from ..playbook import Playbook

if TYPE_CHECKING:
    from ..models_history import Classification

CLIENT_FIELDS = EDIT_FIELDS  # what a command may set on a client (columns.py)


# --- finding a client --------------------------------------------------------------------


def parse_id(query: str) -> int | None:
    q = query.strip().lstrip("#")
    return int(q) if q.isdigit() and not query.strip().startswith("0") else None


def _candidates(query: str, fetch: Callable[[Any, int | None], list[Any]]) -> list[Any]:
    """The lookup rule: an id, else exact folded name(s), else names starting with it.
    ``fetch(condition, limit)`` runs it as ORM objects or as plain rows."""
    c = Client.__table__.c
    cid = parse_id(query)
    if cid is not None:
        found = fetch(c.id == cid, None)
        if found:
            return found
    key = name_key(query)
    if not key:
        return []
    return fetch(c.name_key == key, None) or fetch(c.name_key.like(like_prefix(key), escape="\\"), 20)


def find_clients(session: Session, query: str) -> list[Client]:
    """Candidates for a query, as ORM objects (for commands that change them)."""
    return _candidates(query, lambda cond, limit: list(
        session.exec(select(Client).where(cond).order_by(Client.id).limit(limit)).all()))


def find_client_rows(session: Session, query: str) -> list[Row]:
    """Candidates for a query, as read-only rows: a read-only command (tg pitch) never sets up the ORM."""
    t = Client.__table__
    return _candidates(query, lambda cond, limit: list(
        session.connection().execute(sa_select(t).where(cond).order_by(t.c.id).limit(limit)).all()))


def exact_clients(session: Session, query: str) -> list[Client]:
    """Clients named exactly so (folded), or with that id: for commands that may create a client."""
    return [c for c in find_clients(session, query) if parse_id(query) == c.id or c.name_key == name_key(query)]


def ambiguous(query: str, found: list[Client]) -> Ambiguous:
    return Ambiguous(
        i18n.t("client.ambiguous", count=len(found), query=query),
        details=[f"  #{c.id}  {c.name}  {c.city or ''}".rstrip() for c in found],
    )


def get_client(session: Session, query: str) -> Client:
    """Exactly one client, or a one-line error that says what to type instead."""
    return _the_one(session, query, find_clients(session, query))


def read_client(session: Session, query: str) -> Row:
    """Like get_client, as a read-only row with the same attributes."""
    return _the_one(session, query, find_client_rows(session, query))


def _the_one(session: Session, query: str, found: list[Any]) -> Any:
    if len(found) == 1:
        return found[0]
    if found:
        raise ambiguous(query, found)
    close = closest_names(session, query)
    if close:
        raise NotFound(i18n.t("client.not_found_close", query=query, close=", ".join(close)))
    raise NotFound(i18n.t("client.not_found", query=query))


def won_revenue(session: Session, client_id: int) -> float:
    """The sum of a client's won deals (Core columns: reading sets up no ORM)."""
    from ..models import Deal

    deal = Deal.__table__.c
    stmt = sa_select(func.coalesce(func.sum(deal.amount), 0)).where(deal.client_id == client_id,
                                                                   deal.status == "won")
    return float(session.connection().execute(stmt).scalar_one() or 0)


def closest_names(session: Session, query: str, limit: int = 3) -> list[str]:
    key = name_key(query)
    c = Client.__table__.c
    rows = session.connection().execute(sa_select(c.id, c.name, c.name_key)).all()
    by_key: dict[str, str] = {}
    for cid, name, k in rows:
        by_key.setdefault(k, f"{name} (#{cid})")
    # Substring hits first (a rep often types the middle of a name), then fuzzy ones.
    hits = [v for k, v in by_key.items() if key and key in k][:limit]
    fuzzy = difflib.get_close_matches(key, list(by_key), n=limit, cutoff=0.5)
    for k in fuzzy:
        if by_key[k] not in hits:
            hits.append(by_key[k])
    return hits[:limit]


# --- writing -------------------------------------------------------------------------------


def clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in fields.items() if k in CLIENT_FIELDS and v is not None}
    for key in ("headcount", "budget_per_head", "budget_total"):
        if key in out and out[key] < 0:
            raise UsageError(i18n.t("client.negative", field=key))
    if "headcount" in out:
        out["headcount"] = int(out["headcount"])
    for key in ("budget_per_head", "budget_total"):
        if key in out:
            out[key] = float(out[key])
    return out


MAX_NAME = 200  # the column's width on PostgreSQL


def client_key(name: str) -> str:
    """The stored 查重 key of a client's name (client.dedupe_key): importer.dedupe_key."""
    from ..importer import dedupe_key

    return dedupe_key(name)[:MAX_NAME]


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise UsageError(i18n.t("client.empty_name"))
    if len(name) > MAX_NAME:
        raise UsageError(i18n.t("client.long_name", limit=MAX_NAME))
    return name


def held_elsewhere(session: Session, names: Sequence[str], phones: Sequence[Iterable[str]] | None = None) -> list[bool]:
    """查重: for each name (and its phone numbers, compared as importer.phone_key compares them),
    is it already a client of the company that the user cannot see — another rep's under
    row-level security? Yes or no, nothing else: the server answers through rls.TAKEN, a
    SECURITY DEFINER function, and tells neither the client, its owner nor its id.

    One round trip for any number of names (`tg import clients` asks for all its new rows at
    once). Where nothing is hidden from the user — SQLite, a PostgreSQL database without
    `tg db setup-rls`, a manager — the answer is always no: what the user can see, tg's own
    lookups find. ``session`` may be the SQLAlchemy Connection of one."""
    from sqlalchemy import text
    from sqlalchemy.engine import Connection

    from ..importer import parse_phones_quiet
    from ..rls import TAKEN

    # The import's bulk road holds the Connection under its session, not the session itself.
    conn = session if isinstance(session, Connection) else session.connection()
    names = list(names)
    if not names or conn.dialect.name != "postgresql":
        return [False] * len(names)
    if conn.execute(text("SELECT to_regprocedure(current_schema() || :f)"),
                    {"f": f".{TAKEN}(text,text[],text[])"}).scalar() is None:
        return [False] * len(names)
    keys = [client_key(clean_name(n)) if " ".join(n.split()) else "" for n in names]
    numbers = [",".join(k for p in (phones[i] if phones else ()) if p for k in parse_phones_quiet(p))
               for i in range(len(names))]
    hit = set(conn.execute(text(f"SELECT * FROM {TAKEN}(current_user::text, :k, :p)"),
                           {"k": keys, "p": numbers}).scalars())
    return [i + 1 in hit for i in range(len(names))]


def refuse_held_elsewhere(session: Session, name: str, phones: Iterable[str] = ()) -> None:
    """The one-line refusal of held_elsewhere (tg clients add, tg refer, tg classify NAME)."""
    if held_elsewhere(session, [name], [list(phones)])[0]:
        raise TgError(i18n.t("trust.held_elsewhere", name=clean_name(name)))


def create_client(session: Session, *, name: str, user: str, **fields: Any) -> Client:
    """A new client; its owner is the one given, else whoever creates it (``user``), so that
    `tg clients list --mine` finds what a rep adds (tg clients add, tg classify, tg refer).
    An organisation already a client of the company under another rep is refused (查重)."""
    name = clean_name(name)
    fields = clean_fields(fields)
    refuse_held_elsewhere(session, name)
    if not str(fields.get("owner") or "").strip():
        fields["owner"] = user
    client = Client(name=name, name_key=name_key(name), dedupe_key=client_key(name), created_by=user,
                    updated_by=user, **fields)
    session.add(client)
    session.flush()
    return client


def client_named(session: Session, name: str, *, user: str, **fields: Any) -> Client:
    """The client of that exact (folded) name, created if there is none — looked for again after
    any other tg creating one of that name has finished, so two `tg refer … NEW` at once make one
    NEW client, as they would one after the other."""
    import zlib

    from ..db import serialise

    key = name_key(clean_name(name))
    serialise(session, "client-name", zlib.crc32(key.encode("utf-8")) - 2**31)
    found = [c for c in session.exec(select(Client).where(Client.name_key == key).order_by(Client.id)
                                     .execution_options(populate_existing=True)).all()]
    if len(found) > 1:
        raise ambiguous(name, found)
    return found[0] if found else create_client(session, name=name, user=user, **fields)


def update_client(session: Session, client: Client, *, user: str, **fields: Any) -> Client:
    changes = clean_fields(fields)
    if "name" in fields and fields["name"] is not None:
        name = clean_name(str(fields["name"]))
        changes["name"] = name
        changes["name_key"] = name_key(name)
        changes["dedupe_key"] = client_key(name)
    for key, value in changes.items():
        setattr(client, key, value)
    client.updated_at = utcnow()
    client.updated_by = user
    session.add(client)
    session.flush()
    return client


def check_segment(session: Session, code: str, playbook: Playbook | None) -> None:
    known = {s.code for s in playbook.segments} if playbook else set(
        session.exec(select(Segment.code)).all()
    )
    if code not in known:
        raise UsageError(i18n.t("client.bad_segment", code=code, codes=", ".join(sorted(known))))


def check_parent(session: Session, client: Client, parent: Client) -> int:
    """A parent organisation may not be the client itself or one of its own subsidiaries."""
    current: int | None = parent.id
    seen = set()
    while current is not None and current not in seen:
        if current == client.id:
            raise UsageError(i18n.t("client.parent_loop", name=client.name, parent=parent.name))
        seen.add(current)
        current = session.get(Client, current).parent_id
    return parent.id


def sync_segments(session: Session, playbook: Playbook) -> None:
    """Upsert the playbook's segments; old ones stay, since clients may still point at them."""
    existing = {s.code: s for s in session.exec(select(Segment)).all()}
    for seg in playbook.segments:
        row = existing.get(seg.code) or Segment(code=seg.code, name_zh="", name_en="", playbook_version="")
        row.name_zh, row.name_en = seg.name.zh, seg.name.en
        row.playbook_version = playbook.version
        row.updated_at = utcnow()
        session.add(row)
    session.flush()


def save_classification(
    session: Session,
    *,
    client: Client,
    segment: str,
    confidence: float,
    answers: dict[str, Any],
    scores: dict[str, float],
    playbook: Playbook,
    user: str,
    fields: dict[str, Any],
) -> Classification:
    sync_segments(session, playbook)
    known_segment = segment if playbook.segment(segment) else None
    update_client(session, client, user=user, segment=known_segment, confidence=confidence, **fields)
    from ..models import Classification

    row = Classification(client_id=client.id, segment=segment, confidence=confidence, answers=answers,
                         scores=scores, playbook_version=playbook.version, created_by=user)
    session.add(row)
    session.flush()
    return row


def find_contact(session: Session, client: Client, name: str) -> Contact | None:
    key = name_key(name)
    for c in session.exec(select(Contact).where(Contact.client_id == client.id)):
        if name_key(c.name) == key:
            return c
    return None


def delete_client(session: Session, client: Client) -> None:
    import warnings

    from sqlalchemy.exc import SAWarning

    cid, name = client.id, client.name
    session.delete(client)
    # A row-level security policy (rls.py) filters a DELETE silently: a rep who held a stage of a
    # client sees it but may not remove it. Say so, and roll back, rather than report a removal
    # (or let SQLAlchemy warn of a row count).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "DELETE statement on table", SAWarning)
        session.flush()
    if session.exec(select(func.count()).select_from(Client).where(Client.id == cid)).one():
        raise TgError(i18n.t("rls.rm_refused", id=cid, name=name))


def dependants(session: Session, client: Client) -> dict[str, int]:
    from ..models import Classification

    def count(stmt) -> int:
        return session.exec(stmt).one()

    return {
        "contacts": count(select(func.count()).select_from(Contact).where(Contact.client_id == client.id)),
        "classifications": count(
            select(func.count()).select_from(Classification).where(Classification.client_id == client.id)),
        "referrals": count(select(func.count()).select_from(Referral).where(
            (Referral.referrer_id == client.id) | (Referral.referred_id == client.id))),
    }


# --- reading ---------------------------------------------------------------------------------


def list_clients(session: Session, *, segment: str | None = None, stage: str | None = None,
                 owner: str | None = None, city: str | None = None,
                 mine: str | None = None) -> Iterable[Client]:
    """Clients matching every filter given; ``mine``: a user who owns or holds a stage of them."""
    stmt = select(Client).order_by(Client.id)
    if segment:
        stmt = stmt.where(Client.segment == segment)
    if stage:
        stmt = stmt.where(Client.stage == stage)
    if owner:
        stmt = stmt.where(Client.owner == owner)
    if city:
        stmt = stmt.where(Client.city == city)
    if mine:
        from .queries import mine_filter

        stmt = stmt.where(mine_filter(mine))
    return session.exec(stmt).all()


def client_detail(session: Session, client: Client) -> dict[str, Any]:
    """Everything known about a client, loaded while the session is open."""
    from ..models import Classification

    contacts = session.exec(select(Contact).where(Contact.client_id == client.id).order_by(Contact.id)).all()
    history = session.exec(select(Classification).where(Classification.client_id == client.id)
                           .order_by(Classification.id.desc())).all()
    names: dict[int, str] = {}
    refs = session.exec(select(Referral).where(
        (Referral.referrer_id == client.id) | (Referral.referred_id == client.id)).order_by(Referral.id)).all()
    ids = {r.referrer_id for r in refs} | {r.referred_id for r in refs}
    if ids:
        names = dict(session.exec(select(Client.id, Client.name).where(Client.id.in_(ids))).all())
    return {
        "client": client_json(client),
        "contacts": [{"id": c.id, "name": c.name, "title": c.title, "phone": c.phone, "role": c.role,
                      "strength": c.strength} for c in contacts],
        "classifications": [
            {"id": h.id, "segment": h.segment, "confidence": h.confidence, "answers": h.answers,
             "scores": h.scores, "playbook_version": h.playbook_version,
             "created_at": h.created_at.isoformat(), "created_by": h.created_by}
            for h in history
        ],
        "referrals": [
            {"id": r.id, "referrer_id": r.referrer_id, "referrer": names.get(r.referrer_id),
             "referred_id": r.referred_id, "referred": names.get(r.referred_id), "status": r.status,
             "incentive": r.incentive, "note": r.note, "created_at": r.created_at.isoformat()}
            for r in refs
        ],
    }


_STAMPS = frozenset(of_kind("stamp"))


def client_json(c: Client) -> dict[str, Any]:
    """A client as `tg export clients` and `--format json` give it: the columns of columns.py."""
    out = {}
    for name in EXPORT_COLUMNS:
        value = getattr(c, name)
        out[name] = value.isoformat() if name in _STAMPS and value is not None else value
    return out
