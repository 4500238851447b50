"""tg digest: what is due today for a rep (or the whole team), gathered from every source of
items, and the digest as text, Markdown (pasted into WeChat, pushed to a group robot) or JSON.

A source is a function of one ``Ask`` (the session, the playbook, whose digest, today) returning
``Item``s; ``SOURCES`` lists them in the order the digest shows them, so a new kind of item
(payments due, reorder windows, pool-reclaim warnings) is one function and one line there.

"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Callable

from . import i18n
from .errors import one_line


@dataclass(frozen=True)
class Item:
    """One line of the digest."""

    section: str
    owner: str | None
    client_id: int | None
    client: str | None
    text: str
    """the follow-up's next step, the idle account's stage, the reward's description"""
    ref: int | None = None
    """the follow-up's or the reward's id"""
    due: str | None = None
    days: int | None = None
    """days overdue, or days idle"""
    amount: float | None = None
    limit: int | None = None
    """the stage's rot days for an idle account"""
    escalated: bool = False
    """overdue past the playbook's escalation days: the manager sees it too"""


@dataclass(frozen=True)
class Section:
    key: str
    items: list[Item]


@dataclass(frozen=True)
class Digest:
    day: date
    user: str | None
    """whose digest; None for the team's"""
    team: bool
    escalation_days: int
    sections: list[Section]
    by_owner: list[dict[str, Any]] = field(default_factory=list)
    """the team's digest: per rep, how many items of each section"""

    def count(self) -> int:
        return sum(len(s.items) for s in self.sections)

    def as_json(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "user": self.user, "team": self.team,
                "escalation_days": self.escalation_days,
                "sections": {s.key: [asdict(i) for i in s.items] for s in self.sections},
                "by_owner": self.by_owner}


@dataclass
class Ask:
    """What a source is asked: whose items (``user`` None: everyone's), on which day."""

    session: Any
    pb: Any
    user: str | None
    today: date
    now: datetime

    @functools.cached_property
    def agenda(self) -> dict[str, list[dict[str, Any]]]:
        from .store import pipeline as ps

        return ps.agenda(self.session, self.pb, user=self.user, today=self.today, now=self.now)


# --- the sources ---------------------------------------------------------------------------


def followups_today(ask: Ask) -> list[Item]:
    return [Item("today", f["owner"], f["client_id"], f["client"], f["next_action"], ref=f["id"], due=f["due"])
            for f in ask.agenda["followups"] if f["kind"] == "today"]


def followups_overdue(ask: Ask) -> list[Item]:
    limit = ask.pb.digest.escalation_days
    return [Item("overdue", f["owner"], f["client_id"], f["client"], f["next_action"], ref=f["id"], due=f["due"],
                 days=f["days"], escalated=f["days"] > limit)
            for f in ask.agenda["followups"] if f["kind"] == "overdue"]


def rotting(ask: Ask) -> list[Item]:
    return [Item("rotting", r["owner"], r["client_id"], r["client"], r["stage_name"], days=r["days"],
                 limit=r["rot_days"]) for r in ask.agenda["idle"]]


def rewards_due(ask: Ask) -> list[Item]:
    """Referral rewards fallen due and not yet granted: the referrer's account owner hands them over."""
    from sqlmodel import select

    from .models import Client, Reward

    stmt = (select(Reward, Client.owner).join(Client, Client.id == Reward.referrer_id, isouter=True)
            .where(Reward.status == "due").order_by(Reward.due_at, Reward.id))
    if ask.user:
        stmt = stmt.where(Client.owner == ask.user)
    return [Item("rewards", owner, r.referrer_id, r.referrer_name, r.description, ref=r.id,
                 due=r.due_at.date().isoformat() if r.due_at else None, amount=float(r.amount))
            for r, owner in ask.session.exec(stmt).all()]


def pool_warnings(ask: Ask) -> list[Item]:
    """Clients about to go back to the lead pool (公海) unless their owner acts."""
    from .store.pool import reclaim_warnings

    return [Item("pool", w.owner, w.client_id, w.client, w.code, due=w.due.isoformat(), days=w.days_left)
            for w in reclaim_warnings(ask.session, ask.pb.pool, ask.user, ask.today)]


# Every source of items, in the digest's order: (section key, function). Payments due and
# overdue and reorder windows opening are sources of their own, added here as they are
# recorded. The section's title is the i18n key digest.section.KEY.
SOURCES: list[tuple[str, Callable[[Ask], list[Item]]]] = [
    ("today", followups_today),
    ("overdue", followups_overdue),
    ("rotting", rotting),
    ("pool", pool_warnings),
    ("rewards", rewards_due),
]


def build_digest(store: Callable, pb: Any, *, user: str | None, team: bool = False,
                 also: tuple[str, ...] = ()) -> Digest:
    """The digest of ``user`` (a rep's: their items, overdue ones past the escalation days
    marked) or of the team (everyone's, the escalated follow-ups first, counts per rep)."""
    from .clock import now, today

    day = today()
    with store().read() as session:
        if user and not team:
            from .store import pipeline as ps

            user = ps.check_user(session, user, also=also)
        ask = Ask(session, pb, None if team else user, day, now())
        sections = [Section(key, source(ask)) for key, source in SOURCES]
    by_owner: list[dict[str, Any]] = []
    if team:
        counts: dict[str, dict[str, int]] = {}
        for s in sections:
            for i in s.items:
                counts.setdefault(i.owner or "", {k: 0 for k, _ in SOURCES})[s.key] += 1
        by_owner = [{"owner": o or None, **c} for o, c in sorted(counts.items(), key=lambda kv: kv[0])]
        # The manager's list first; each follow-up listed once (the others stay under overdue).
        escalated = [i for s in sections for i in s.items if i.escalated]
        sections = [Section("escalated", escalated)] + [
            Section(s.key, [i for i in s.items if not i.escalated]) for s in sections]
    return Digest(day=day, user=None if team else user, team=team, escalation_days=pb.digest.escalation_days,
                  sections=sections, by_owner=by_owner)


# --- the digest as text --------------------------------------------------------------------

FORMATS = ("text", "markdown", "json")


def _line(item: Item, *, team: bool, currency: str) -> str:
    who = f"{item.owner} · " if team and item.owner else ""
    client = f"#{item.client_id} {item.client}" if item.client_id is not None else (item.client or "—")
    if item.section in ("today", "overdue", "escalated"):
        detail = i18n.t("digest.item.followup", client=client, next=item.text, id=item.ref)
        if item.days is not None:
            detail += i18n.t("digest.item.overdue", days=item.days, due=item.due)
        if item.escalated and not team:
            detail += i18n.t("digest.item.escalated")
    elif item.section == "rotting":
        detail = i18n.t("digest.item.rotting", client=client, stage=item.text, days=item.days, limit=item.limit)
    elif item.section == "rewards":
        detail = i18n.t("digest.item.reward", client=client, what=item.text, id=item.ref,
                        amount=f"{currency}{item.amount or 0:,.2f}")
    elif item.section == "pool":
        detail = i18n.t("digest.item.pool", client=client, rule=item.text, due=item.due, days=item.days)
    else:  # a source added later: its text as it is
        detail = f"{client}: {item.text}"
    return one_line(who + detail)


def render(d: Digest, fmt: str, *, currency: str = "¥", per_section: int | None = 20) -> str:
    """The digest as ``fmt`` (text, markdown or json); at most ``per_section`` lines per section
    (None: all), then how many more. Markdown has headings and bullets only, no aligned table:
    WeChat and the group robots show it as it is meant."""
    if fmt == "json":
        import json

        return json.dumps(d.as_json(), ensure_ascii=False, indent=2) + "\n"
    md = fmt == "markdown"
    whose = i18n.t("digest.team") if d.team else (d.user or "")
    out = [(f"## " if md else "") + one_line(i18n.t("digest.title", who=whose, day=d.day.isoformat()))]
    if d.team and d.escalation_days is not None:
        out.append(i18n.t("digest.escalation_rule", days=d.escalation_days))
    bullet = "- " if md else "  - "
    for s in d.sections:
        out.append("")
        out.append(("### " if md else "") + i18n.t(f"digest.section.{s.key}", count=len(s.items)))
        if not s.items:
            out.append(bullet + i18n.t("digest.none"))
            continue
        shown = s.items if per_section is None else s.items[:per_section]
        out += [bullet + _line(i, team=d.team, currency=currency) for i in shown]
        if len(shown) < len(s.items):
            out.append(bullet + i18n.t("digest.more", count=len(s.items) - len(shown)))
    if d.by_owner:
        out.append("")
        out.append(("### " if md else "") + i18n.t("digest.by_owner"))
        for row in d.by_owner:
            counts = " · ".join(i18n.t(f"digest.short.{k}", count=row[k]) for k, _ in SOURCES if row.get(k))
            out.append(bullet + one_line(f"{row['owner'] or i18n.t('digest.no_owner')}: {counts}"))
    return "\n".join(out) + "\n"


def fitted(d: Digest, fmt: str, *, currency: str, max_bytes: int) -> str:
    """The digest as ``fmt`` within ``max_bytes`` of UTF-8 (a group robot's limit): fewer lines
    per section until it fits, then cut."""
    for per in (20, 10, 5, 3, 1, 0):
        text = render(d, fmt, currency=currency, per_section=per)
        if len(text.encode("utf-8")) <= max_bytes:
            return text
    return text.encode("utf-8")[:max_bytes].decode("utf-8", "ignore")


def push(d: Digest, *, url: str, platform: str, currency: str = "¥") -> str:
    """Post the digest to a group robot (in the form it shows best, within its size); the host."""
    from . import webhook

    platform = webhook.check_platform(platform)
    body = fitted(d, webhook.FORM[platform], currency=currency, max_bytes=webhook.MAX_BYTES[platform])
    whose = i18n.t("digest.team") if d.team else (d.user or "")
    return webhook.post(url, platform, i18n.t("digest.title", who=whose, day=d.day.isoformat()), body)
