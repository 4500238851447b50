"""The lead pool's rules (公海), pure: when a client goes back to the pool, who is warned, who may
claim it, and the filters of a pool listing. No I/O: store/pool.py reads the facts, these
functions decide, and the tests try every rule on hand-made facts.

Example::

    v = assess(ClientFacts(1, "市税务局", "li", "C", held_since=date(2027, 1, 1)), pb.pool, date(2027, 2, 5))
    v.rule, v.due   # ("no_activity", date(2027, 1, 31)): 30 days without an activity, class C
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from . import i18n
from .errors import TgError, UsageError
from .playbook import PoolRules

RULES = ("no_activity", "no_open_deal", "no_win")
EXEMPTIONS = ("open_deal", "recent_win", "pending_payment")


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, kept inside the month it lands in (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class ClientFacts:
    """What the rules look at for one client someone holds (dates as tg's today sees them)."""

    client_id: int
    name: str
    owner: str
    cls: str
    """A, B or C: the 80/20 report's class (a client that never bought is C)."""
    held_since: date
    """When the owner took it (created, claimed, assigned, handed on)."""
    last_activity: date | None = None
    open_deals: int = 0
    last_deal: date | None = None
    """The last day a deal was opened or closed."""
    last_win: date | None = None
    pending_payment: bool = False


@dataclass(frozen=True)
class Verdict:
    client_id: int
    name: str
    owner: str
    cls: str
    rule: str | None
    """The rule that reclaims it first (no_activity | no_open_deal | no_win), or None."""
    limit: int | None
    """That rule's number (days, or months for no_win)."""
    due: date | None
    """The day it goes back to the pool."""
    exempt: str | None
    """Why it stays whatever the rules say (open_deal | recent_win | pending_payment)."""

    @property
    def code(self) -> str:
        """The rule as the audit trail and pool_event record it: no_activity:C:30d, no_win:A:24m."""
        unit = "m" if self.rule == "no_win" else "d"
        return f"{self.rule}:{self.cls}:{self.limit}{unit}"

    def days_left(self, today: date) -> int | None:
        return (self.due - today).days if self.due else None


def assess(f: ClientFacts, rules: PoolRules, today: date) -> Verdict:
    """When ``f``'s client goes back to the pool by the rules of its class, or why it never does."""
    exempt = None
    if rules.exempt.open_deal and f.open_deals:
        exempt = "open_deal"
    elif (rules.exempt.won_within_months and f.last_win is not None
          and f.last_win > add_months(today, -rules.exempt.won_within_months)):
        exempt = "recent_win"
    elif rules.exempt.pending_payment and f.pending_payment:
        exempt = "pending_payment"
    rule = rules.reclaim.get(f.cls)
    if exempt or rule is None:
        return Verdict(f.client_id, f.name, f.owner, f.cls, None, None, None, exempt)
    candidates: list[tuple[date, int, str, int]] = []

    def since(event: date | None) -> date:
        return max(f.held_since, event) if event else f.held_since

    if rule.no_activity_days:
        candidates.append((since(f.last_activity) + timedelta(days=rule.no_activity_days), 0, "no_activity",
                           rule.no_activity_days))
    if rule.no_open_deal_days and not f.open_deals:
        candidates.append((since(f.last_deal) + timedelta(days=rule.no_open_deal_days), 1, "no_open_deal",
                           rule.no_open_deal_days))
    if rule.no_win_months:
        candidates.append((add_months(since(f.last_win), rule.no_win_months), 2, "no_win", rule.no_win_months))
    if not candidates:
        return Verdict(f.client_id, f.name, f.owner, f.cls, None, None, None, None)
    due, _, name, limit = min(candidates)
    return Verdict(f.client_id, f.name, f.owner, f.cls, name, limit, due, None)


def is_due(v: Verdict, today: date) -> bool:
    return v.due is not None and v.due <= today


def is_warned(v: Verdict, today: date, rules: PoolRules) -> bool:
    """Inside the warning window: not due yet, due within warn_days."""
    return v.due is not None and today < v.due <= today + timedelta(days=rules.warn_days)


# --- claims ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimFacts:
    client_id: int
    name: str
    owner: str | None
    claims_today: int
    held: int
    left_on: date | None = None
    """The last day ``user`` gave this client up (released, reclaimed from them, handed to the pool)."""


def check_claim(f: ClaimFacts, user: str, rules: PoolRules, today: date) -> None:
    """Raise the one-line refusal of a claim the rules do not allow; else return."""
    if f.owner is not None:
        key = "pool.yours_already" if f.owner == user else "pool.held"
        raise TgError(i18n.t(key, id=f.client_id, client=f.name, owner=f.owner))
    if f.left_on is not None and rules.reclaim_wait_days:
        free = f.left_on + timedelta(days=rules.reclaim_wait_days)
        if today < free:
            raise TgError(i18n.t("pool.wait", id=f.client_id, client=f.name, days=rules.reclaim_wait_days,
                                 left=f.left_on.isoformat(), free=free.isoformat()))
    if f.claims_today >= rules.claims_per_day:
        raise TgError(i18n.t("pool.cap_day", cap=rules.claims_per_day, day=today.isoformat()))
    if f.held >= rules.max_held:
        raise TgError(i18n.t("pool.cap_held", cap=rules.max_held, held=f.held))


def clean_reason(reason: str | None) -> str:
    """A release's reason, one line; none at all is refused."""
    text = " ".join((reason or "").split())
    if not text:
        raise UsageError(i18n.t("pool.reason_needed"))
    return text


# --- listing filters ---------------------------------------------------------------------------

FILTER_FIELDS = ("segment", "city", "industry", "stage", "class", "name")


def parse_filters(items: list[str] | None) -> dict[str, str]:
    """``--filter city=杭州 --filter class=A`` → {"city": "杭州", "class": "A"}; one line for a bad one."""
    out: dict[str, str] = {}
    for item in items or []:
        field, sep, value = item.partition("=")
        field, value = field.strip().lower(), value.strip()
        if not sep or field not in FILTER_FIELDS or not value:
            raise UsageError(i18n.t("pool.bad_filter", item=item, fields=", ".join(FILTER_FIELDS)))
        if field == "class":
            value = value.upper()
            if value not in ("A", "B", "C"):
                raise UsageError(i18n.t("pool.bad_filter", item=item, fields=", ".join(FILTER_FIELDS)))
        out[field] = value
    return out


def matches(filters: dict[str, str], *, segment: str | None, city: str | None, industry: str | None,
            stage: str | None, cls: str, name: str) -> bool:
    """Does a client pass every filter (names and cities by a part, the rest exactly)?"""
    for field, want in filters.items():
        if field == "class" and cls != want:
            return False
        if field in ("segment", "stage") and {"segment": segment, "stage": stage}[field] != want:
            return False
        if field in ("city", "industry", "name"):
            have = {"city": city, "industry": industry, "name": name}[field] or ""
            if want.casefold() not in have.casefold():
                return False
    return True
