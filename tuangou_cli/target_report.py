"""tg targets set and tg report targets as use cases: the target checked and stored in one
transaction, and the standings of a month or quarter (typed results from targets.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import i18n
from . import targets as tg_targets
from .clock import today
from .errors import UsageError
from .models_targets import TEAM


@dataclass(frozen=True)
class TargetSet:
    rep: str | None
    """None: the whole team"""
    month: str
    basis: str
    amount_fen: int
    replaced_fen: int | None
    past: bool


def set_target(store: Callable, *, who: str, month: str, amount: str, basis: str = "won", force: bool = False,
               new_user: bool = False, user: str) -> TargetSet:
    """``who``: a user name or ``team``. A month already over is refused unless ``force``."""
    month = tg_targets.parse_month(month)
    fen = tg_targets.amount_fen(amount)
    if basis not in tg_targets.BASES:
        raise UsageError(i18n.t("target.bad_basis", value=basis, known=", ".join(tg_targets.BASES)))
    past = tg_targets.is_past(month, today())
    if past and not force:
        raise UsageError(i18n.t("target.past_month", month=month, today=tg_targets.month_of(today())))
    from .store import pipeline as ps
    from .store import targets as st

    name = who.strip()
    if not name or not name.isprintable():
        raise UsageError(i18n.t("target.bad_user", value=who))
    rep = TEAM if name.casefold() == "team" else name
    with store().write() as session:
        if rep != TEAM and not new_user:
            rep = ps.check_user(session, rep, also=[user], new_hint=True)
        _, before = st.set_target(session, rep=rep, month=month, basis=basis, amount_fen=fen, user=user)
    return TargetSet(rep or None, month, basis, fen, before, past)


def report(store: Callable, *, month: str | None = None, quarter: str | None = None,
           basis: str = "won") -> tg_targets.TargetReport:
    """Target, actual, per cent and gap per rep and for the team, over a month or a quarter
    (this month when neither is given)."""
    if month and quarter:
        raise UsageError(i18n.t("target.month_or_quarter"))
    if basis not in tg_targets.BASES:
        raise UsageError(i18n.t("target.bad_basis", value=basis, known=", ".join(tg_targets.BASES)))
    period = (tg_targets.parse_quarter(quarter) if quarter else
              tg_targets.parse_month(month) if month else tg_targets.month_of(today()))
    months = tg_targets.months_of(period)
    start, end = tg_targets.bounds(period)
    from .store import targets as st

    with store().read() as session:
        per_rep, team = st.targets(session, months=months, basis=basis)
        actuals = st.ACTUALS[basis](session, start=start, end=end)
    reps = tg_targets.standings(per_rep, actuals)
    total = None if actuals is None else sum(actuals.values())
    notes = [] if actuals is not None else [i18n.t("target.no_payments")]
    return tg_targets.TargetReport(period=period, basis=basis, months=months, reps=reps,
                                   team=tg_targets.team_standing(team, reps, total), team_target_set=team is not None,
                                   actuals_known=actuals is not None, notes=notes)


COLUMNS = ["rank", "rep", "period", "basis", "target", "actual", "percent", "gap"]


def rows(result: tg_targets.TargetReport) -> list[list]:
    """The report's rows, the team last (rep: the run's word for the team)."""
    out = []
    for s in [*result.reps, result.team]:
        out.append([s.rank, s.rep if s.rep is not None else i18n.t("target.team"), result.period, result.basis,
                    tg_targets.yuan(s.target_fen), tg_targets.yuan(s.actual_fen), s.percent,
                    tg_targets.yuan(s.gap_fen)])
    return out
