"""The manager's reports as typed results: 80/20, funnel, credit split, referrals.

Callable without the command line (`pareto_report(store, pb, segment=..., owner=...)`);
cli/reports.py parses the options, calls one of these and hands the result to render.py (a
terminal) or to cli/output.emit (CSV/JSON).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .playbook import Playbook


def _opened(store: Any) -> Any:
    """`store` is the Store, or a function that opens it: bad options are refused before the
    database is touched (or created)."""
    return store() if callable(store) else store


def _check_segment(pb: Playbook, segment: str | None) -> None:
    from .store import clients as st

    if segment:
        st.check_segment(None, segment, pb)  # type: ignore[arg-type]


def pareto_report(store: Any, pb: Playbook, *, segment: str | None = None, owner: str | None = None):
    """analysis.Pareto of won revenue by client."""
    from . import analysis
    from .store.analysis import revenue_by_client

    _check_segment(pb, segment)
    with _opened(store).read() as session:
        return analysis.pareto(revenue_by_client(session, segment=segment, owner=owner))


def funnel_report(store: Any, pb: Playbook, *, segment: str | None = None, owner: str | None = None):
    """analysis.FunnelRow per stage, in the playbook's order."""
    from . import analysis
    from .store.analysis import funnel_counts

    _check_segment(pb, segment)
    stages = [(s.code, s.name.get(), s.outcome) for s in pb.stages] or [("lead", "lead", None)]
    with _opened(store).read() as session:
        counts = funnel_counts(session, analysis.funnel_line(stages), segment=segment, owner=owner)
    return analysis.funnel(stages, *counts)


@dataclass
class CreditRow:
    owner: str | None  # None: a stage nobody owned
    stages: dict[str, float]  # credited amount per stage code
    total: float
    share: float


@dataclass
class CreditReport:
    stages: list[str]  # the stage codes that carry credit, in order
    won_total: float
    deals: int
    rows: list[CreditRow]

    def as_json(self) -> dict[str, Any]:
        return {"stages": self.stages, "won_total": self.won_total, "deals": self.deals,
                "rows": [{"owner": r.owner, "stages": r.stages, "total": r.total, "share": r.share}
                         for r in self.rows]}


def credit_report(store: Any, pb: Playbook, *, owner: str | None = None, segment: str | None = None,
                  user: str | None = None) -> CreditReport:
    """Won revenue split among stage owners by the playbook's credit weights (rows of one owner
    with `owner`)."""
    from .store import clients as st
    from .store import pipeline as ps

    with _opened(store).read() as session:
        if owner:
            ps.check_user(session, owner, also=[user] if user else [])
        if segment:
            st.check_segment(session, segment, pb)
        data = ps.credit(session, pb, segment=segment)
    rows = [CreditRow(r["owner"], r["stages"], r["total"], r["share"]) for r in data["rows"]
            if not owner or r["owner"] == owner]
    return CreditReport(data["stages"], data["won_total"], data["deals"], rows)


REFERRAL_MEASURES = ("introduced", "converted", "conversion_rate", "converted_value", "median_days_to_convert",
                     "rewards_due", "rewards_granted")


@dataclass
class ReferralRow:
    group: dict[str, Any]  # referrer_id, referrer, segment, owner — or the one grouping key
    introduced: int
    converted: int
    conversion_rate: float
    converted_value: float
    median_days_to_convert: float | None
    rewards_due: float
    rewards_granted: float

    def values(self) -> list[Any]:
        return [*self.group.values(), *(getattr(self, m) for m in REFERRAL_MEASURES)]


@dataclass
class ReferralReport:
    keys: list[str]  # the grouping columns
    rows: list[ReferralRow]

    @property
    def columns(self) -> list[str]:
        return [*self.keys, *REFERRAL_MEASURES]


def referral_report(store: Any, *, by: str = "referrer", segment: str | None = None, owner: str | None = None,
                    top: int | None = None) -> ReferralReport:
    """Top referrers (or segments, or owners) by converted value."""
    from .store import referrals as programme

    with _opened(store).read() as session:
        rows = programme.report(session, by=by, segment=segment, owner=owner, limit=top or None)
    keys = ["referrer_id", "referrer", "segment", "owner"] if by == "referrer" else [by]
    return ReferralReport(keys, [ReferralRow({k: r[k] for k in keys}, *(r[m] for m in REFERRAL_MEASURES))
                                 for r in rows])
