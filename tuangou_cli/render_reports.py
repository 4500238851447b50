"""Reports on a terminal (Rich): summary panels, tables and text bar charts.

Kept beside render.py (same console, same rules: markup off, NO_COLOR respected, stored text
through render.text/line); data for machines never comes through here.
"""

from __future__ import annotations

from rich import box
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from . import i18n
from .analysis import FunnelRow, Pareto
from .errors import one_line
from .recommend import money
from .render import console, line, text

_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(fraction: float, width: int = 30) -> str:
    """A horizontal bar of ``width`` cells filled to ``fraction`` (eighths of a cell)."""
    fraction = max(0.0, min(1.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def print_pareto(report: Pareto, currency: str, top: int) -> None:
    c = console()
    if not report.rows:
        c.print(i18n.t("lib.pareto.empty"))
        return
    head = Text()
    head.append(i18n.t("lib.pareto.headline", n=report.top_n, clients=len(report.rows),
                       share=report.top_share), style="bold")
    head.append("\n" + i18n.t("lib.pareto.total", total=money(report.total, currency)))
    for k in "ABC":
        cls = report.classes[k]
        head.append("\n" + i18n.t(f"lib.pareto.class_{k}", clients=int(cls["clients"]),
                                  revenue=money(cls["revenue"], currency), share=cls["share"]))
    c.print(Panel(head, title=i18n.t("lib.pareto.title"), expand=False))

    curve = Table(title=i18n.t("lib.pareto.curve"), title_justify="left", box=None, padding=(0, 1))
    curve.add_column(i18n.t("lib.pareto.col.clients"), justify="right")
    curve.add_column(i18n.t("lib.pareto.col.cumulative"), justify="right")
    curve.add_column("")
    for clients, revenue in report.curve:
        curve.add_row(f"{clients:.0%}", f"{revenue:.1%}",
                      Text(bar(revenue, 40), style="green" if clients <= 0.2 + 1e-9 else "cyan"))
    c.print(curve)

    table = Table(title=i18n.t("lib.pareto.top", n=min(top, len(report.rows)), clients=len(report.rows)),
                  title_justify="left", box=box.SIMPLE_HEAD)
    for key, justify in (("rank", "right"), ("client", "left"), ("segment", "left"), ("revenue", "right"),
                         ("share", "right"), ("cumulative", "right"), ("abc", "center"), ("bar", "left")):
        # Numbers never truncate; a long client name gives way first.
        table.add_column(i18n.t(f"lib.pareto.col.{key}"), justify=justify, no_wrap=key != "client",
                         overflow="fold", min_width=18 if key == "client" else None)
    biggest = report.rows[0].revenue
    styles = {"A": "green", "B": "yellow", "C": "dim"}
    for r in report.rows[:top]:
        table.add_row(str(r.rank), text(f"#{r.client_id} {r.name}"), text(r.segment or ""), money(round(r.revenue), currency), f"{r.share:.1%}", f"{r.cumulative:.1%}",
                      Text(r.abc, style=styles[r.abc]), Text(bar(r.revenue / biggest, 10), style=styles[r.abc]))
    c.print(table)


def print_funnel(rows: list[FunnelRow], currency: str) -> None:
    c = console()
    if not any(r.clients or r.reached for r in rows):
        c.print(i18n.t("list.empty"))
        return
    table = Table(title=i18n.t("lib.funnel.title"), title_justify="left", box=box.SIMPLE_HEAD)
    for key, justify in (("stage", "left"), ("clients", "right"), ("bar", "left"), ("open_deals", "right"),
                         ("open_value", "right"), ("reached", "right"), ("conversion", "right")):
        table.add_column(i18n.t(f"lib.funnel.col.{key}"), justify=justify, no_wrap=key != "stage",
                         overflow="fold", min_width=14 if key == "stage" else None)
    most = max((r.clients for r in rows), default=0) or 1
    for r in rows:
        table.add_row(
            text(r.name if r.name.casefold() == r.stage else f"{r.name} {r.stage}"),
            str(r.clients),
            Text(bar(r.clients / most, 10), style="cyan"),
            str(r.open_deals) if r.open_deals else "",
            money(round(r.open_value), currency) if r.open_deals else "",
            "" if r.reached is None else str(r.reached),
            "" if r.conversion is None else f"→ {r.conversion:.0%}",
        )
    c.print(table)
    c.print(Text(i18n.t("lib.funnel.note"), style="dim"))


def print_cases(rows: list[dict], labels: dict[str, str]) -> None:
    """Cases as short cards (a 10-column table is unreadable at 80 columns): a head line, the
    title, then decided by / technique / lesson, each wrapping at full width."""
    c = console()
    if not rows:
        c.print(i18n.t("list.empty"))
        return
    for r in rows:
        head = Text()
        head.append(f"#{r['id']}  ", style="bold")
        head.append(r["outcome_label"], style="green" if r["outcome"] == "won" else "red")
        meta = [r["segment"], r["industry"], r["date"], r["client_label"]]
        head.append(one_line("  " + " · ".join(m for m in meta if m)), style="dim")
        c.print(head)
        c.print(line(r["title"], style="bold"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        for key in ("decided_by", "technique", "lesson", "matched"):
            if r.get(key):
                grid.add_row(labels[key], text(r[key]))
        c.print(grid)
        c.print("")
