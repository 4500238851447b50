"""From won to cash, the pure part: packing lists per department, payment plans, what is owed
and how late, what a reward earns on money collected, and the festival seasons. No I/O.

Money is whole fen (int) here, as it is stored; texts come from i18n."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from . import i18n
from .errors import TgError, UsageError

DELIVERY_STEPS = ("packed", "delivered", "signed")
BUCKETS = ("not_due", "d0_30", "d31_60", "d61_90", "d90_plus")


def to_fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(ROUND_HALF_UP))


def yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def money_text(fen: int, currency: str = "¥") -> str:
    value = yuan(fen)
    return f"{'-' if value < 0 else ''}{currency}{abs(value):,.2f}"


def parse_amount(text: str) -> int:
    """'45000', '45,000.50', '¥1200' → fen; more than 2 decimals, zero or negative: a UsageError."""
    t = str(text).strip().replace(",", "").removeprefix("¥").removeprefix("￥")
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise UsageError(i18n.t("order.bad_amount", value=text)) from None
    if not value.is_finite() or value <= 0 or value.as_tuple().exponent < -2 or value >= Decimal("1e12"):
        raise UsageError(i18n.t("order.bad_amount", value=text))
    return to_fen(value)


def parse_day(text: str) -> date:
    from .cells import CellError, parse_date

    try:
        return parse_date(text)
    except CellError:
        raise UsageError(i18n.t("order.bad_date", value=text)) from None


def parse_instalment(text: str) -> tuple[int, date]:
    """'45000@2026-12-31' → (fen, due date)."""
    amount, sep, day = text.partition("@")
    if not sep:
        raise UsageError(i18n.t("payment.bad_instalment", value=text))
    return parse_amount(amount), parse_day(day)


def check_plan(instalments: list[tuple[int, date]], total_fen: int, currency: str = "¥") -> list[tuple[int, date]]:
    """The instalments in due order; they must sum to the order, each date once."""
    if not instalments:
        raise UsageError(i18n.t("payment.no_instalments"))
    days = [d for _, d in instalments]
    if len(set(days)) != len(days):
        raise UsageError(i18n.t("payment.same_day"))
    planned = sum(a for a, _ in instalments)
    if planned != total_fen:
        raise TgError(i18n.t("payment.plan_sum", planned=money_text(planned, currency),
                             total=money_text(total_fen, currency),
                             gap=money_text(total_fen - planned, currency)))
    return sorted(instalments, key=lambda x: x[1])


# --- what is owed, and how late ------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """One instalment (or, with no plan, the whole order) and what of it is still open."""

    position: int
    due_on: date
    amount: int
    paid: int

    @property
    def open(self) -> int:
        return self.amount - self.paid

    def days_late(self, today: date) -> int:
        return (today - self.due_on).days


def allocate(instalments: list[tuple[int, date]], collected: int) -> list[Due]:
    """Money collected pays the earliest instalment first."""
    out, left = [], collected
    for n, (amount, day) in enumerate(sorted(instalments, key=lambda x: x[1]), 1):
        paid = max(0, min(amount, left))
        left -= paid
        out.append(Due(n, day, amount, paid))
    return out


def bucket(days_late: int) -> str:
    """Aging: not yet due, 0–30, 31–60, 61–90, over 90 days past due."""
    if days_late < 0:
        return "not_due"
    if days_late <= 30:
        return "d0_30"
    if days_late <= 60:
        return "d31_60"
    if days_late <= 90:
        return "d61_90"
    return "d90_plus"


def earned_share(full_fen: int, collected_fen: int, total_fen: int) -> int:
    """What a reward of ``full_fen`` has earned when ``collected_fen`` of ``total_fen`` is in."""
    if total_fen <= 0:
        return 0
    share = Decimal(max(0, min(collected_fen, total_fen))) / Decimal(total_fen)
    return int((Decimal(full_fen) * share).to_integral_value(ROUND_HALF_UP))


# --- the packing list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    quantity: int


@dataclass
class Department:
    name: str
    line: int
    headcount: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    """Counts given per item in the client's file (else headcount × items per head)."""


def per_head_of(items: list[Item], departments: list[Department], given: dict[str, int]) -> dict[str, int]:
    """Items per head for each item no department gives a count of: ``given``, else the order's
    quantity over the headcount when it divides evenly."""
    heads = sum(d.headcount or 0 for d in departments)
    out = {}
    for item in items:
        if all(item.code in d.counts for d in departments):
            continue
        if item.code in given:
            out[item.code] = given[item.code]
        elif heads and item.quantity % heads == 0:
            out[item.code] = item.quantity // heads
        else:
            raise TgError(i18n.t("packing.no_per_head", code=item.code, quantity=item.quantity, heads=heads))
    return out


def packing(items: list[Item], departments: list[Department], given: dict[str, int]) -> list[tuple[str, int | None, str, int]]:
    """(department, headcount, code, count) for every department and item; the counts of each
    item must add up to what was ordered."""
    if not departments:
        raise TgError(i18n.t("packing.empty"))
    names = [d.name for d in departments]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise TgError(i18n.t("packing.duplicate", departments="、".join(dupes)))
    per_head = per_head_of(items, departments, given)
    rows = []
    for d in departments:
        for item in items:
            if item.code in d.counts:
                count = d.counts[item.code]
            elif d.headcount is None:
                raise TgError(i18n.t("packing.no_headcount", department=d.name, line=d.line))
            else:
                count = d.headcount * per_head[item.code]
            rows.append((d.name, d.headcount, item.code, count))
    for item in items:
        packed = sum(r[3] for r in rows if r[2] == item.code)
        if packed != item.quantity:
            raise TgError(i18n.t("packing.mismatch", code=item.code, packed=packed, ordered=item.quantity))
    return rows


def next_step(current: str | None, wanted: str) -> None:
    """Delivery goes forward: packed → delivered → signed (a step may be skipped, never undone)."""
    if current is not None and DELIVERY_STEPS.index(wanted) <= DELIVERY_STEPS.index(current):
        raise TgError(i18n.t("order.step_back", current=i18n.t(f"order.step.{current}"),
                             wanted=i18n.t(f"order.step.{wanted}")))


# --- seasons -------------------------------------------------------------------------------------


def festival_for(dates: dict[int, date], day: date) -> date | None:
    """The festival an order delivered (or placed) on ``day`` is for: the next one on or after it."""
    return next((d for d in sorted(dates.values()) if d >= day), None)


def open_window(dates: dict[int, date], lead_days: int, today: date) -> tuple[date, date] | None:
    """(this season's festival, the one before) when today is inside this season's ordering
    window (lead_days before the festival up to the day itself)."""
    days = sorted(dates.values())
    for i, d in enumerate(days):
        if i and d - timedelta(days=lead_days) <= today <= d:
            return d, days[i - 1]
    return None


def current_and_previous(dates: dict[int, date], lead_days: int, today: date) -> tuple[date, date] | None:
    """The latest season whose window has opened by today, and the one before it."""
    days = sorted(dates.values())
    opened = [i for i, d in enumerate(days) if i and d - timedelta(days=lead_days) <= today]
    if not opened:
        return None
    i = opened[-1]
    return days[i], days[i - 1]
