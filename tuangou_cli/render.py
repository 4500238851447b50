"""The only module that builds Rich output: what people read on a terminal — the call screen,
records, the account part of `tg clients show`, the hand-off packet, reports and case cards.

Data for machines (CSV/JSON) never comes through here — Rich wraps and
truncates wide Chinese cells when piped. Rich respects NO_COLOR by itself.

Text from the database or the playbook reaches Rich only as `Text` made by `text()` or
`line()`: no markup, no emoji codes, and control characters and bidi marks written as escapes.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Sequence

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from . import i18n
from .classify import UNKNOWN
from .errors import multi_line, one_line
from .recommend import money

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


def offers_table(offers: Sequence[Any], currency: str) -> Group:
    """Prices in a compact table; the reasons for each bundle listed under it, full width."""
    table = Table(expand=False)
    for key in ("bundle.col.code", "bundle.col.name", "bundle.col.per_head", "bundle.col.quantity",
                "bundle.col.total"):
        table.add_column(i18n.t(key), no_wrap=key != "bundle.col.name")
    for o in offers:
        table.add_row(
            text(o.code),
            text(o.name),
            money(o.per_head, currency),
            str(o.quantity) if o.quantity is not None else "—",
            money(o.total, currency) if o.total is not None else "—",
        )
    why: list[Any] = [table]
    for o in offers:
        why.append(line(f"{o.code} — {i18n.t('bundle.col.why')}:", style="bold"))
        why.append(_bullets(o.reasons))
    return Group(*why)


def scores_line(pb: Any, probabilities: dict[str, float]) -> str:
    """Each kind of buyer by its name, with its probability."""
    names = {seg.code: seg.name.get() for seg in pb.segments}
    return "  ".join(f"{names.get(k, k)} {v:.0%}" for k, v in probabilities.items())


def verdict(outcome: Any) -> Text:
    r = outcome.result
    head = Text()
    head.append(one_line(outcome.segment_name), style="bold green" if r.segment != UNKNOWN else "bold yellow")
    head.append(f"   {i18n.t('classify.confidence')} {r.confidence:.0%}")
    if outcome.client_name:
        head.append(f"   {one_line(outcome.client_name)}", style="bold")
    return head


def offer_line(o: Any, currency: str) -> str:
    from .plain import offer_sum

    return f"{o.name}  {offer_sum(o, currency)}"


def _next_commands(outcome: Any) -> list[str]:
    if outcome.client_id is None:
        return []
    cid = outcome.client_id
    return [f"tg pitch {cid}", f"tg clients show {cid}", f"tg refer {cid} <{i18n.t('classify.next_name')}>"]


# What the call screen warns of; the lists of what was left out (not for this occasion, given
# before, ruled out) are for --full: on a call the rep needs what changes what to say.
CALL_WARNINGS = ("not_in_catalogue", "min_order", "unread_figure")


def call_warnings(outcome: Any, *, full: bool = False) -> list[str]:
    """What the rep must not miss: nothing fits, the rules the top offer meets (or that ruled out
    what was asked for), a minimum order above the need, figures seen but not read, the stated
    needs the top offer leaves open; with ``full``, everything left out and why."""
    out: list[str] = []
    priced = outcome.priced
    if priced.note and outcome.result.segment != UNKNOWN:
        out.append(priced.note)
    top = priced.offers[0] if priced.offers else None
    for kind, w in zip(priced.warning_kinds, priced.warnings):
        if full or kind in CALL_WARNINGS:
            out.append(w)
    if top is not None:
        out += [h.text() for h in top.rules]
        out += [w for k, w in zip(top.warning_kinds, top.warnings) if full or k in CALL_WARNINGS]
        needs = outcome.needs.get(top.code)
        if needs is not None:
            out += [i18n.t("acct.pitch.need_open", need=n) for n in needs.stated_open]
    if full:
        out += priced.rule_texts()
    ask = getattr(outcome.notes, "ask", None)
    for unread in getattr(ask, "unread", ()) or ():
        line = i18n.t("call.unread", text=unread.text)
        if not any(unread.text in x for x in out):
            out.append(line)
    # One line each, in order: the note often says what a warning says (not in the catalogue).
    return [w for w in dict.fromkeys(out) if not any(w != o and w in o for o in out)]


def print_call_screen(outcome: Any, pb: Any) -> None:
    """The result of a call on one screen (80×24): the verdict and its two strongest reasons, the
    top offer and its total, three lines to say next, what to watch out for, the next commands.
    `--full` and `tg pitch` give the rest."""
    c = console()
    r = outcome.result
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(no_wrap=True)  # the bullet or number: the text beside it wraps under itself
    grid.add_column(overflow="fold")

    def rows(label: str, items: Sequence[str], style: str = "", marks: Sequence[str] | str = "") -> None:
        for i, item in enumerate(items):
            mark = marks if isinstance(marks, str) else marks[i]
            grid.add_row(Text(label if i == 0 else ""), Text(mark, style=style), text(item, style=style))

    c.print(verdict(outcome))
    strongest = [x for x in r.reasons if x != outcome.stop_reason][:2]
    rows(i18n.t("call.why"), strongest + ([outcome.stop_reason] if outcome.stop_reason else []), marks="•")
    offers = outcome.priced.offers
    if offers:
        top = offers[0]
        rows(i18n.t("call.offer"), [offer_line(top, pb.currency)])
        if len(offers) > 1:
            rows("", [i18n.t("call.more_offers", n=len(offers) - 1)], style="dim")
    if outcome.document is not None:
        say = outcome.document.pitch.say_first
        rows(i18n.t("call.say"), say, marks=[f"{i}." for i in range(1, len(say) + 1)])
    warnings = call_warnings(outcome)
    if warnings:
        rows(i18n.t("call.watch"), warnings[:3], style="yellow", marks="!")
    nxt = _next_commands(outcome)
    if nxt:
        rows(i18n.t("call.next"), ["  ·  ".join(nxt[:2]), i18n.t("call.full_hint")], style="")
    else:
        rows(i18n.t("call.next"), [i18n.t("call.full_hint")])
    c.print(grid)


def print_full_call(outcome: Any, pb: Any) -> None:
    """Everything: the verdict with every kind's probability, every reason, need points and
    values, the pitch as `tg pitch` gives it, the bundles with their reasons, the next commands."""
    from .plain import PlainStyle, document_text

    c = console()
    r = outcome.result
    c.print(Panel(Group(verdict(outcome), line(scores_line(pb, r.probabilities), style="dim")),
                  title=Text(i18n.t("classify.heading.result")), expand=False))
    c.print(Text(i18n.t("classify.heading.why"), style="bold"))
    c.print(_bullets(r.reasons))
    if outcome.need_points:
        c.print(Text(i18n.t("classify.heading.needs"), style="bold"))
        c.print(_bullets(outcome.need_points))
        c.print(Text(i18n.t("classify.heading.values"), style="bold"))
        c.print(_bullets(outcome.values))
    if outcome.document is not None:
        sys.stdout.flush()
        c.file.flush()
        c.print(text(document_text(PlainStyle.for_stdout(), outcome.document, pb.currency, with_offer=False)))
    print_recommendation(outcome.priced, pb.currency)
    warnings = call_warnings(outcome, full=True)
    if warnings:
        c.print(Text(i18n.t("call.watch"), style="bold"))
        c.print(text("\n".join(f"! {w}" for w in warnings), style="yellow"))
    nxt = _next_commands(outcome)
    if nxt:
        c.print(Text(i18n.t("classify.next"), style="bold"))
        c.print(text("\n".join(f"  {x}" for x in nxt)))


def print_recommendation(rec: Any, currency: str) -> None:
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


# --- reports --------------------------------------------------------------------------------------

_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(fraction: float, width: int = 30) -> str:
    """A horizontal bar of ``width`` cells filled to ``fraction`` (eighths of a cell)."""
    fraction = max(0.0, min(1.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def print_pareto(report: Any, currency: str, top: int) -> None:
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


def print_funnel(rows: list[Any], currency: str) -> None:
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


def print_credit(report: Any, pb: Any) -> None:
    """reports.CreditReport: an owner per row, a column per stage that carries credit."""
    from .stageline import stage_name

    cur = pb.currency
    headers = [i18n.t("field.owner"), *(f"{stage_name(pb, s)} {pb.stage(s).credit}%" for s in report.stages),
               i18n.t("pipe.col.credited"), i18n.t("pipe.col.share")]
    print_rows(headers, headers, [
        [r.owner or i18n.t("pipe.unassigned"), *(money(r.stages[s], cur) if r.stages[s] else "—" for s in report.stages),
         money(r.total, cur), f"{r.share:.1%}"] for r in report.rows])
    print_line(i18n.t("pipe.credit_total", deals=report.deals, total=money(report.won_total, cur)))
    if any(r.owner is None for r in report.rows):
        print_line(i18n.t("pipe.credit_unassigned_note"), style="yellow")


# --- the account part of `tg clients show` ----------------------------------------------------------


def print_account_sections(detail: dict[str, Any], currency: str = "¥") -> None:
    """Competitors, needs and the reciprocal balance."""
    print_heading(i18n.t("acct.heading.competitors"))
    cols = ["name", "offer", "price", "strength", "weakness"]
    print_rows(cols, [i18n.t(f"acct.col.{c}") for c in cols],
               [(x["name"], x["offer"], None if x["price"] is None else money(x["price"], currency),
                 x["strength"], x["weakness"]) for x in detail["competitors"]])
    print_heading(i18n.t("acct.heading.needs"))
    cols = ["kind", "text", "source"]
    print_rows(cols, [i18n.t(f"acct.col.{c}") for c in cols],
               [(i18n.t(f"acct.kind.{n['kind']}"), n["text"], i18n.t(f"acct.source.{n['source']}"))
                for n in detail["needs"]])
    print_heading(i18n.t("acct.heading.reciprocal"))
    r = detail["reciprocal"]
    cols = ["date", "we_buy", "amount"]
    if r["deals"]:
        print_rows(cols, [i18n.t(f"acct.col.{c}") for c in cols],
                   [(d["date"], d["we_buy"], money(d["amount"], currency)) for d in r["deals"]])
    net = r["net"]
    print_line(i18n.t("acct.balance", revenue=money(r["their_purchases"], currency),
                      bought=money(r["our_purchases"], currency),
                      net=("+" if net >= 0 else "−") + money(abs(net), currency)))


# --- the hand-off packet ------------------------------------------------------------------------


def print_packet(packet: dict[str, Any], currency: str) -> None:
    """The hand-off packet on a terminal: the summary as a record, each section as a table."""
    from .plain import packet_approaches, packet_sections, packet_summary

    print_record([(k, v) for k, v in packet_summary(packet, currency) if v not in (None, "")],
                 title=i18n.t("pipe.pk.title", client=packet["client"]["name"]))
    for i, (heading, headers, rows) in enumerate(packet_sections(packet, currency)):
        print_heading(heading)
        print_rows(headers, headers, rows)
        if i == 0 and packet_approaches(packet):
            print_heading(i18n.t("pipe.pk.approach"))
            for item in packet_approaches(packet):
                print_line(f"• {item}")
