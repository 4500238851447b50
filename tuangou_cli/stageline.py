"""The stage line (流程式作业), deal pricing, dates and the credit split. Pure: no I/O, no printing.

The line is the playbook's stages in order, without the ones whose outcome is
``lost``: lead → qualify → propose → negotiate → won → deliver. A lost stage is a
branch off the line, reachable from any stage before the won one.

Moving a client:
- to the stage it is in: refused;
- forward along the line: every stage jumped over must be ``skippable``;
- back along the line (a re-quote, or a repeat purchase after delivery): allowed;
- to a lost stage: allowed from any stage before won; from a lost stage, only back to a
  stage before won (the account is reopened).

Credit: each won deal's amount is split by the stages' ``credit`` weights (they sum to
100); a stage's share goes in equal parts to the distinct owners who held the client in
that stage, and to nobody ("unassigned", owner ``None``) when no one did.
"""

from __future__ import annotations


from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping

from . import i18n
from .errors import TgError, UsageError
from .playbook import Bundle, Playbook, Stage
from .pricing import CENT


class StageRefused(TgError):
    """A move the stage line does not allow (exit 1: a rule refused, nothing written)."""


def board_order(pb: Playbook) -> list[Stage]:
    """The stages as a board lists them: the line as it runs, lost ones at the end. The playbook
    lists 丢单 beside 签单, but a board that puts it between 签单 and 交付 breaks the flow a
    manager reads down."""
    return sorted(pb.stages, key=lambda s: s.outcome == "lost")


def need_stages(pb: Playbook) -> None:
    if not pb.stages:
        raise TgError(i18n.t("pipe.no_stages"))


def line(pb: Playbook) -> list[Stage]:
    """The main line: every stage but the lost ones, in playbook order."""
    return [s for s in pb.stages if s.outcome != "lost"]


def won_stage(pb: Playbook) -> Stage:
    return next(s for s in pb.stages if s.outcome == "won")


def lost_stage(pb: Playbook) -> Stage:
    return next(s for s in pb.stages if s.outcome == "lost")


def stage_name(pb: Playbook, code: str) -> str:
    s = pb.stage(code)
    return s.name.get() if s else code


def _index(pb: Playbook, code: str) -> int | None:
    for i, s in enumerate(line(pb)):
        if s.code == code:
            return i
    return None


def before_won(pb: Playbook, code: str) -> bool:
    """Is this a stage of the line ahead of the won stage (the deal still open)?"""
    i, w = _index(pb, code), _index(pb, won_stage(pb).code)
    return i is not None and w is not None and i < w


def next_stage(pb: Playbook, current: str) -> Stage:
    """The stage after ``current`` on the line (the default target of a hand-off)."""
    i = _index(pb, current)
    stages = line(pb)
    if i is None or i + 1 >= len(stages):
        raise StageRefused(i18n.t("pipe.no_next", stage=stage_name(pb, current)))
    return stages[i + 1]


def resolve_stage(pb: Playbook, code: str) -> Stage:
    """A stage by code (or by its name in either language)."""
    key = code.strip().casefold()
    for s in pb.stages:
        if key in (s.code, s.name.zh.casefold(), s.name.en.casefold()):
            return s
    import difflib

    codes = [s.code for s in pb.stages]
    close = difflib.get_close_matches(key, codes, n=1, cutoff=0.5)
    hint = i18n.t("pipe.closest", close=close[0]) if close else ""
    raise UsageError(i18n.t("pipe.unknown_stage", stage=code, stages=", ".join(codes)) + hint)


def check_move(pb: Playbook, current: str, target: str) -> list[Stage]:
    """Refuse a move the line forbids; return the (skippable) stages it jumps over."""
    if current == target:
        raise StageRefused(i18n.t("pipe.same_stage", stage=stage_name(pb, target)))
    target_stage = pb.stage(target)
    if target_stage is None:  # pragma: no cover - callers resolve the code first
        raise UsageError(i18n.t("pipe.unknown_stage", stage=target, stages=", ".join(s.code for s in pb.stages)))
    if pb.stage(current) is None:
        return []  # a stage this playbook does not know (set by hand): nothing to check against
    if target_stage.outcome == "lost":
        if not before_won(pb, current):
            raise StageRefused(i18n.t("pipe.lost_from", stage=stage_name(pb, current)))
        return []
    if pb.stage(current).outcome == "lost":
        if not before_won(pb, target):
            raise StageRefused(i18n.t("pipe.reopen_only", stage=stage_name(pb, target)))
        return []
    i, j = _index(pb, current), _index(pb, target)
    if j < i:
        return []
    jumped = line(pb)[i + 1:j]
    forbidden = [s for s in jumped if not s.skippable]
    if forbidden:
        raise StageRefused(i18n.t(
            "pipe.skip_forbidden", stage=stage_name(pb, target), current=stage_name(pb, current),
            skipped=", ".join(s.name.get() for s in forbidden)))
    return jumped


def skipped_to_won(pb: Playbook, current: str) -> list[Stage]:
    """Non-skippable stages a won deal jumps over (won is recorded anyway: it happened)."""
    i, w = _index(pb, current), _index(pb, won_stage(pb).code)
    if i is None or w is None or i >= w:
        return []
    return [s for s in line(pb)[i + 1:w] if not s.skippable]


# --- deal pricing ---------------------------------------------------------------------


@dataclass
class SetPrice:
    sets: int
    list_total: Decimal
    discount_pct: float
    total: Decimal


def price_sets(bundle: Bundle, sets: int) -> SetPrice:
    """The tiered total for ``sets`` sets of a bundle.

    A deal's quantity counts sets (套数), the unit the tiers are written in, so no quantity
    rule is applied: 30 sets of a per-group kit are 30 kits, not kits for 30 people.
    """
    from .pricing import price

    p = price(bundle.set_price, sets, bundle.tiers)
    return SetPrice(sets, p.list_total, p.discount_pct, p.total)


# --- dates ----------------------------------------------------------------------------



def parse_date(text: str, today: date) -> date:
    """Every form dates.parse reads (YYYY-MM-DD, 今天, 周五, 下周一, 月底, 3天后, +2w …)."""
    from .dates import BadDate, parse

    try:
        return parse(text, today)
    except BadDate:
        raise UsageError(i18n.t("daily.bad_date", text=text)) from None


# --- the credit split -------------------------------------------------------------------


def split_credit(
    pb: Playbook,
    won: Iterable[tuple[int, float]],
    owners: Mapping[int, Mapping[str, list[str | None]]],
) -> dict[str | None, dict[str, Decimal]]:
    """Won revenue per owner per stage.

    ``won``: (client id, amount) per won deal; ``owners``: client id → stage code → the
    owners who held the client in that stage (``None`` for a stage held by no one named).
    """
    out: dict[str | None, dict[str, Decimal]] = {}
    credited = [s for s in pb.stages if s.credit]
    for client_id, amount in won:
        amount_d = Decimal(str(amount))
        held = owners.get(client_id, {})
        for s in credited:
            names = list(dict.fromkeys(held.get(s.code, []))) or [None]
            part = amount_d * s.credit / 100 / len(names)
            for name in names:
                row = out.setdefault(name, {})
                row[s.code] = row.get(s.code, Decimal(0)) + part
    return out


def cents(x: Decimal) -> float:
    return float(x.quantize(CENT, ROUND_HALF_UP))
