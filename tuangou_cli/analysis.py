"""The manager's reports: the 80/20 (Pareto) view of won revenue and the stage funnel.

The database does the adding up (GROUP BY, one row per client or per stage, in
``store.analysis``); the arithmetic on those few rows is here, pure and tested on
hand-made numbers.

Example::

    with store.read() as session:
        report = pareto(store.analysis.revenue_by_client(session, segment="welfare"))
        print(f"top 20% bring {report.top_share:.0%}")
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

A_SHARE = 0.80  # class A: the clients bringing the first 80% of revenue
B_SHARE = 0.95  # class B: the next 15%; class C: the rest
TOP_FRACTION = 0.20


# --- Pareto ----------------------------------------------------------------------------------


@dataclass
class ParetoRow:
    rank: int
    client_id: int
    name: str
    segment: str | None
    owner: str | None
    revenue: float
    share: float
    cumulative: float
    abc: str


@dataclass
class Pareto:
    rows: list[ParetoRow]
    total: float
    top_n: int
    """How many clients make up the top 20% (rounded up)."""
    top_share: float
    """Their share of won revenue."""
    classes: dict[str, dict[str, float]] = field(default_factory=dict)
    """abc → {"clients": n, "revenue": x, "share": s}"""
    curve: list[tuple[float, float]] = field(default_factory=list)
    """(share of clients, cumulative share of revenue) at every 10% of clients."""

    def summary(self) -> dict[str, Any]:
        return {"clients": len(self.rows), "revenue": round(self.total, 2), "top_fraction": TOP_FRACTION,
                "top_clients": self.top_n, "top_share": round(self.top_share, 4),
                "classes": self.classes, "curve": [{"clients": c, "revenue": round(r, 4)} for c, r in self.curve]}


def abc_class(cumulative_before: float) -> str:
    """A while the revenue before this client is under 80% (the client crossing 80% is still A)."""
    if cumulative_before < A_SHARE - 1e-12:
        return "A"
    if cumulative_before < B_SHARE - 1e-12:
        return "B"
    return "C"


def pareto(revenues: Sequence[tuple[int, str, str | None, str | None, float]]) -> Pareto:
    """Pure: rank clients by won revenue, cumulative shares, ABC classes, top-20% share.

    Only clients with won revenue count as clients here: the question is how revenue is
    spread over the clients who bring it.
    """
    ordered = sorted(((cid, name, seg, own, float(rev or 0)) for cid, name, seg, own, rev in revenues
                      if rev and rev > 0), key=lambda r: (-r[4], r[0]))
    total = sum(r[4] for r in ordered)
    rows: list[ParetoRow] = []
    running = 0.0
    for i, (cid, name, seg, own, rev) in enumerate(ordered, 1):
        before = running / total
        running += rev
        rows.append(ParetoRow(i, cid, name, seg, own, rev, rev / total, min(running / total, 1.0),
                              abc_class(before)))
    n = len(rows)
    top_n = math.ceil(n * TOP_FRACTION) if n else 0
    top_share = rows[top_n - 1].cumulative if top_n else 0.0
    classes: dict[str, dict[str, float]] = {}
    for k in "ABC":
        members = [r for r in rows if r.abc == k]
        rev = sum(r.revenue for r in members)
        classes[k] = {"clients": len(members), "revenue": round(rev, 2), "share": round(rev / total, 4) if total else 0}
    curve = []
    for decile in range(1, 11):
        k = math.ceil(n * decile / 10)
        curve.append((decile / 10, rows[k - 1].cumulative if k else 0.0))
    return Pareto(rows, total, top_n, top_share, classes, curve)


# --- Funnel ----------------------------------------------------------------------------------


@dataclass
class FunnelRow:
    stage: str
    name: str
    clients: int
    """Clients in this stage now."""
    open_deals: int
    open_value: float
    reached: int | None
    """Clients whose stage line reached this stage or a later one (None: not on the line)."""
    conversion: float | None
    """Share of those who reached this stage that reached the next one."""


def funnel_line(stages: Sequence[tuple[str, str, str | None]]) -> list[str]:
    """The stage codes a client moves along (every stage but the 'lost' outcome), in order."""
    return [code for code, _name, outcome in stages if outcome != "lost"]


def funnel(stages: Sequence[tuple[str, str, str | None]], current: dict[str, int],
           open_by_stage: dict[str, tuple[int, float]], furthest: dict[int, int]) -> list[FunnelRow]:
    """Pure: one row per playbook stage in order (then any stage the data has that the playbook
    lacks), with the conversion from each stage of the line to the next."""
    line = funnel_line(stages)
    reached = {code: sum(n for i, n in furthest.items() if i >= pos) for pos, code in enumerate(line)}
    rows = []
    known = [(code, name) for code, name, _ in stages]
    extra = sorted(set(current) - {c for c, _ in known})
    for code, name in known + [(c, c) for c in extra]:
        conversion = None
        if code in reached and line.index(code) + 1 < len(line):
            nxt = line[line.index(code) + 1]
            conversion = reached[nxt] / reached[code] if reached[code] else None
        n_open, value = open_by_stage.get(code, (0, 0.0))
        rows.append(FunnelRow(code, name, current.get(code, 0), n_open, value, reached.get(code), conversion))
    return rows
