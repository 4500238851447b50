"""The only module that builds Rich output: what people read on a terminal.

Data for machines (CSV/JSON) never comes through here — Rich wraps and
truncates wide Chinese cells when piped. Rich respects NO_COLOR by itself.

Text from the database or the playbook reaches Rich only as `Text` made by `text()` or
`line()`: no markup, no emoji codes, and control characters and bidi marks written as escapes.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from . import i18n
from .classify import UNKNOWN, Result
from .errors import multi_line, one_line
from .pitch import PitchText
from .recommend import Offer, Recommendation, money

_out: Console | None = None


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # `tg pitch 1 | head` : the reader left. Quiet, and 141 (SIGPIPE) as for data output.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(141)


def console() -> Console:
    global _out
    if _out is None:
        # markup=False, emoji=False: client names and notes are data; "[b]", "[/]" or ":smile:"
        # in them must print as typed.
        _out = _Console(highlight=False, soft_wrap=False, markup=False, emoji=False)
    return _out


def text(value: Any, style: str = "") -> Text:
    """Stored text for a panel or a cell: line breaks kept, other control characters and bidi
    marks shown as escapes (errors.multi_line), never read as markup."""
    return Text(multi_line(str(value)), style=style)


def line(value: Any, style: str = "") -> Text:
    """The same for a title or a heading: one line (errors.one_line)."""
    return Text(one_line(str(value)), style=style)


def _bullets(items: Sequence[str]) -> Text:
    return text("\n".join(f"• {s}" for s in items))


def offers_table(offers: Sequence[Offer], currency: str) -> Group:
    """Prices in a compact table; the reasons for each bundle listed under it, full width."""
    table = Table(expand=False)
    for key in ("bundle.col.code", "bundle.col.name", "bundle.col.per_head", "bundle.col.quantity",
                "bundle.col.total"):
        table.add_column(i18n.t(key), no_wrap=key != "bundle.col.name")
    for o in offers:
        table.add_row(
            text(o.code),
            text(o.bundle.name.get()),
            money(o.per_head, currency),
            str(o.quantity) if o.quantity is not None else "—",
            money(o.total, currency) if o.total is not None else "—",
        )
    why: list[Any] = [table]
    for o in offers:
        why.append(line(f"{o.code} — {i18n.t('bundle.col.why')}:", style="bold"))
        why.append(_bullets(o.reasons))
    return Group(*why)


def pitch_group(p: PitchText) -> Group:
    parts: list[Any] = [
        Text(i18n.t("pitch.opening"), style="bold"), text(p.opening), Text(""),
        Text(i18n.t("pitch.stated"), style="bold"), _bullets(p.stated_needs), Text(""),
        Text(i18n.t("pitch.guided"), style="bold"), _bullets(p.guided_needs), Text(""),
        Text(i18n.t("pitch.objections"), style="bold"),
    ]
    for objection, answer in p.objections:
        parts.append(text(f"• {objection}", style="italic"))
        # A grid, not "→ text": Rich breaks lines at spaces, so a long Chinese answer after
        # "→ " would leave the arrow alone on its line.
        row = Table.grid(padding=(0, 1), expand=True)
        row.add_column(width=3, justify="right")
        row.add_column(ratio=1, overflow="fold")
        row.add_row("→", text(answer))
        parts.append(row)
    parts += [Text(""), Text(i18n.t("pitch.close"), style="bold"), text(p.close)]
    return Group(*parts)


def print_classification(
    result: Result, segment_name: str, need_points: list[str], values: list[str],
    pitch: PitchText | None, rec: Recommendation, currency: str, client_name: str | None = None,
) -> None:
    c = console()
    head = Text()
    head.append(one_line(segment_name), style="bold green" if result.segment != UNKNOWN else "bold yellow")
    head.append(f"   {i18n.t('classify.confidence')} {result.confidence:.0%}")
    scores = "  ".join(f"{k} {v:.0%}" for k, v in result.probabilities.items())
    c.print(Panel(Group(head, line(scores, style="dim")), title=Text(i18n.t("classify.heading.result")),
                  expand=False))
    c.print(Text(i18n.t("classify.heading.why"), style="bold"))
    c.print(_bullets(result.reasons))
    if need_points:
        c.print(Text(i18n.t("classify.heading.needs"), style="bold"))
        c.print(_bullets(need_points))
        c.print(Text(i18n.t("classify.heading.values"), style="bold"))
        c.print(_bullets(values))
    if pitch:
        # A str title would be read as markup by Panel whatever the console says: "[red]" in a name.
        title = line(i18n.t("pitch.heading", client=client_name or pitch.segment_name))
        c.print(Panel(pitch_group(pitch), title=title, expand=False))
    print_recommendation(rec, currency)


def print_recommendation(rec: Recommendation, currency: str) -> None:
    c = console()
    c.print(Text(i18n.t("classify.heading.bundles"), style="bold"))
    if rec.offers:
        c.print(offers_table(rec.offers, currency))
    if rec.note:
        c.print(text(rec.note, style="yellow"))


def print_rows(columns: Sequence[str], headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from .plain import print_table

    print_table(headers, rows)


def print_record(pairs: Sequence[tuple[str, Any]], title: str | None = None) -> None:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for label, value in pairs:
        table.add_row(line(label), "" if value is None else text(value))
    console().print(Panel(table, title=line(title), expand=False) if title else table)


def print_heading(heading: str) -> None:
    console().print(line(heading, style="bold"))


def print_line(message: str, style: str | None = None) -> None:
    console().print(text(message, style=style or ""))


def progress_bar():
    """A transient progress bar on stderr (callers show it only when stderr is a terminal)."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeRemainingColumn(),
                    console=Console(stderr=True), transient=True)
