"""Sales targets: months and quarters as typed, the amount of a target, and the standings (target,
actual, per cent, gap, rank) — pure.

Example:

    >>> parse_month("2027-01")
    '2027-01'
    >>> months_of("2027Q1")
    ['2027-01', '2027-02', '2027-03']
    >>> [s.rep for s in standings({"li": 100_00, "wang": 200_00}, {"li": 150_00, "wang": 100_00})]
    ['li', 'wang']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from . import i18n
from .errors import UsageError

BASES = ("won", "collected")
MAX_FEN = 10**14  # a trillion yuan: inside a 64-bit column, far above any team's month

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_NOT_AMOUNT = re.compile(r"[-−－]|\d\s*[eE]\s*\d|[A-Za-z]{2,}")
_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


def parse_month(text: str) -> str:
    """``YYYY-MM`` (a one-digit month is taken: 2027-1); else a UsageError naming the form."""
    m = _MONTH.match(text or "")
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1900:
        raise UsageError(i18n.t("target.bad_month", value=text))
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def parse_quarter(text: str) -> str:
    """``YYYYQn`` (2027Q1, 2027-Q1, 2027q1); else a UsageError."""
    m = _QUARTER.match(text or "")
    if not m or int(m.group(1)) < 1900:
        raise UsageError(i18n.t("target.bad_quarter", value=text))
    return f"{m.group(1)}Q{m.group(2)}"


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def quarter_of(day: date) -> str:
    return f"{day.year:04d}Q{(day.month - 1) // 3 + 1}"


def months_of(period: str) -> list[str]:
    """The months of a period: a month is itself, a quarter its three months."""
    if "Q" in period:
        year, q = period.split("Q")
        first = (int(q) - 1) * 3 + 1
        return [f"{year}-{m:02d}" for m in range(first, first + 3)]
    return [period]


def bounds(period: str) -> tuple[date, date]:
    """[first day, first day after) of a month or quarter."""
    months = months_of(period)
    y, m = (int(x) for x in months[0].split("-"))
    ly, lm = (int(x) for x in months[-1].split("-"))
    end = date(ly + 1, 1, 1) if lm == 12 else date(ly, lm + 1, 1)
    return date(y, m, 1), end


def is_past(month: str, today: date) -> bool:
    """A month that has ended: its target can no longer steer anyone."""
    return month < month_of(today)


def amount_fen(raw: str) -> int:
    """An amount as people write it (50000, 5万, ¥1.2万, 30w) in whole fen; more than zero."""
    from .numbers import parse_number

    # parse_number reads a number out of a phrase; an amount is the number alone, never negative
    value = None if _NOT_AMOUNT.search(raw or "") else parse_number(raw)
    if value is None:
        raise UsageError(i18n.t("target.bad_amount", value=raw))
    fen = int((Decimal(str(value)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if fen <= 0 or fen > MAX_FEN:
        raise UsageError(i18n.t("target.bad_amount", value=raw))
    return fen


def yuan(fen: int | None) -> float | None:
    return None if fen is None else fen / 100


@dataclass(frozen=True)
class Standing:
    """One line of the report: a rep (or the team, ``rep`` None) against their target."""

    rep: str | None
    target_fen: int | None
    actual_fen: int | None
    rank: int | None = None

    @property
    def percent(self) -> float | None:
        if not self.target_fen or self.actual_fen is None:
            return None
        return round(self.actual_fen * 100 / self.target_fen, 1)

    @property
    def gap_fen(self) -> int | None:
        """What is still missing to reach the target (0 once reached)."""
        if self.target_fen is None or self.actual_fen is None:
            return None
        return max(self.target_fen - self.actual_fen, 0)


@dataclass(frozen=True)
class TargetReport:
    period: str
    basis: str
    months: list[str]
    reps: list[Standing]
    team: Standing
    team_target_set: bool
    """False: the team's target is the sum of its reps' (no team target was set)."""
    actuals_known: bool = True
    """False: no actuals on this basis yet (money collected before any payment is recorded)."""
    notes: list[str] = field(default_factory=list)


def standings(targets: dict[str, int], actuals: dict[str, int] | None) -> list[Standing]:
    """The leaderboard: reps with a target ranked by per cent reached, then by amount; reps with
    sales but no target after them, unranked. ``actuals`` None: not known on this basis."""
    known = actuals is not None
    actuals = actuals or {}
    ranked = [Standing(rep, fen, actuals.get(rep, 0) if known else None) for rep, fen in targets.items()]
    ranked.sort(key=lambda s: (-(s.percent or 0), -(s.actual_fen or 0), s.rep))
    out = [Standing(s.rep, s.target_fen, s.actual_fen, i + 1 if known else None) for i, s in enumerate(ranked)]
    extra = sorted((rep for rep in actuals if rep not in targets and actuals[rep]),
                   key=lambda rep: (-actuals[rep], rep))
    out += [Standing(rep, None, actuals[rep]) for rep in extra]
    return out


def team_standing(team_target: int | None, reps: list[Standing], actual_total: int | None) -> Standing:
    target = team_target if team_target is not None else (sum(s.target_fen or 0 for s in reps) or None)
    return Standing(None, target, actual_total)
