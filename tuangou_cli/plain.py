"""Plain text for people: tables, trees and documents (the pitch as text or Markdown, the
hand-off packet as Markdown), no Rich.

Listings and reports print through here. Cells are never cut short (Rich truncates wide
Chinese names with "…" on a narrow or piped terminal), columns are aligned by display
width (a Chinese character takes two cells), and the output pastes cleanly into a chat or
a mail. Starting without Rich also keeps these commands fast.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from itertools import islice, repeat
from typing import Any, Iterable, Iterator, Sequence, TextIO

from . import i18n
from .errors import has_unsafe, one_line


class _CharWidths(dict):
    """Columns a character takes (a Chinese character two, a combining mark none), worked out
    once per character met: a listing of 100,000 rows asks for millions of them."""

    def __missing__(self, ch: str) -> int:
        w = self[ch] = (2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch)
                        else 1)
        return w


_CHAR_WIDTHS = _CharWidths()


def width(text: str) -> int:
    if text.isascii():  # every ASCII character takes one column
        return len(text)
    return sum(map(_CHAR_WIDTHS.__getitem__, text))


def code_name(pb: Any, code: str | None) -> str | None:
    """A segment, stage or role code as the playbook names it in the run's language (a code the
    playbook does not know stays as it is): tables are for people, CSV and JSON keep codes."""
    if not code:
        return code
    for find in (pb.segment, pb.stage, pb.role):
        found = find(code)
        if found is not None:
            return found.name.get()
    return code


def _cell(value: Any) -> str:
    # Stored text may hold escape sequences or bidi marks (pasted from anywhere): shown as
    # escapes, so a name cannot recolour, clear or reorder the terminal. CSV/JSON stay exact.
    if value is None:
        return ""
    if type(value) is int:  # digits: nothing to fold or escape
        return str(value)
    return one_line(" ".join(str(value).split()))


def _bold() -> tuple[str, str]:
    on = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    return ("\033[1m", "\033[0m") if on else ("", "")


class Table:
    """Rows as table cells with each column's width, read from an iterator in one pass (a listing
    of 100,000 rows never holds its rows and their lines at once); ``lines()`` lays them out.

    Cells are kept a column at a time in batches of rows, and a column is only rewritten when a
    value in it needs _cell(): at 100,000 rows, per-value Python is what the time goes on."""

    BATCH = 2000

    def __init__(self, headers: Sequence[str], rows: Iterable[Sequence[Any]]):
        self.headers = list(headers)
        n = len(self.headers)
        self.widths = [width(h) for h in self.headers]
        # Per batch, its columns, and for each column the width of every cell (None: all ASCII,
        # as wide as long): worked out once, for the column's width and again for the padding.
        self.batches: list[tuple[list[Sequence[str]], list[list[int] | None]]] = []
        self.rows = 0
        memo: list[dict[str, str]] = [{} for _ in self.headers]
        it = iter(rows)
        while batch := list(islice(it, self.BATCH)):
            self.rows += len(batch)
            if any(len(row) != n for row in batch):  # a row longer than the headers, or shorter
                batch = [(*row[:n], *[None] * (n - len(row))) for row in batch]
            columns = [_column(c) for c in zip(*batch)]
            cells: list[list[int] | None] = []
            for i, column in enumerate(columns):
                if len(set(column)) * 2 < len(column):  # owners, cities, amounts: one string per value
                    columns[i] = column = list(map(memo[i].setdefault, column, column))
                if "".join(column).isascii():
                    cells.append(None)
                    self.widths[i] = max(self.widths[i], max(map(len, column)))
                else:
                    cells.append(list(map(width, column)))
                    self.widths[i] = max(self.widths[i], max(cells[-1]))
            self.batches.append((columns, cells))

    def __len__(self) -> int:
        return self.rows

    def lines(self) -> Iterator[str]:
        on, off = _bold()
        yield on + "  ".join(h + " " * (w - width(h)) for h, w in zip(self.headers, self.widths)).rstrip() + off
        yield "  ".join("─" * w for w in self.widths)
        for columns, cells in self.batches:
            padded = [list(map(str.ljust, column, repeat(w))) if sizes is None else
                      [v + " " * (w - size) for v, size in zip(column, sizes)]
                      for column, w, sizes in zip(columns, self.widths, cells)]
            yield from map(str.rstrip, map("  ".join, zip(*padded)))

    def write(self, out: TextIO | None = None) -> None:
        out = out or sys.stdout
        if not self.rows:
            out.write(i18n.t("list.empty") + "\n")
            return
        lines = self.lines()
        while chunk := list(islice(lines, self.BATCH)):
            out.write("\n".join(chunk) + "\n")


# A value that " ".join(value.split()) changes: whitespace other than a space, two in a row, or a
# space first or last (values are joined by NUL, which is not whitespace, to look at a column at once).
_FOLDED = re.compile(r"[^\S ]|  |(?:^|\x00) | (?:\x00|$)")


def _column(values: Sequence[Any]) -> Sequence[str]:
    """_cell() of every value, without a call per value when the column needs none: text with
    nothing to fold or escape is kept as it is, whole numbers written as digits."""
    kinds = set(map(type, values))
    if kinds <= {int, type(None)}:
        return ["" if v is None else str(v) for v in values]
    if kinds <= {str, type(None)}:
        text = values if type(None) not in kinds else ["" if v is None else v for v in values]
        if not _FOLDED.search("\x00".join(text)) and not has_unsafe("".join(text)):
            return text
    return [_cell(v) for v in values]


def table_lines(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    return list(Table(headers, rows).lines())


def print_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    Table(headers, rows).write()


def tree_lines(root_label: str, nodes: Sequence[dict], label, root_id: int) -> list[str]:
    """`root_label`, then each node under its `link`, drawn with ├── └── │ like `tree`."""
    children: dict[Any, list[dict]] = {}
    for n in nodes:
        children.setdefault(n["link"], []).append(n)
    out = [one_line(root_label)]

    def walk(parent: Any, prefix: str) -> None:
        kids = children.get(parent, [])
        for i, n in enumerate(kids):
            last = i == len(kids) - 1
            out.append(f"{prefix}{'└── ' if last else '├── '}{one_line(label(n))}")
            walk(n["id"], prefix + ("    " if last else "│   "))

    walk(root_id, "")
    return out


# --- documents: the pitch as text or Markdown ------------------------------------------------------


class MarkdownStyle:
    def title(self, text: str) -> str:
        return f"# {text}"

    def heading(self, text: str) -> str:
        return f"## {text}"

    def strong(self, text: str) -> str:
        return f"**{text}**"

    def em(self, text: str) -> str:
        return f"*{text}*"

    bullet, sub, gap = "- ", "  - ", True


class PlainStyle(MarkdownStyle):
    """The pitch as plain text: a rep pastes it into WeChat or an e-mail as it is, so no boxes or
    borders — only bold headings on a terminal (and not even that with NO_COLOR)."""

    def __init__(self, bold: bool):
        self.on, self.off = ("\033[1m", "\033[0m") if bold else ("", "")

    @classmethod
    def for_stdout(cls) -> "PlainStyle":
        return cls(sys.stdout.isatty() and not os.environ.get("NO_COLOR"))

    def title(self, text: str) -> str:
        return f"{self.on}{text}{self.off}"

    def heading(self, text: str) -> str:
        return f"{self.on}【{text}】{self.off}" if i18n.get_lang() == "zh" else f"{self.on}== {text} =={self.off}"

    def strong(self, text: str) -> str:
        return text

    def em(self, text: str) -> str:
        return text

    bullet, sub, gap = "• ", "  ↳ ", False


def document_text(st: MarkdownStyle, doc, currency: str, with_offer: bool = True) -> str:
    """The whole pitch (documents.PitchDocument) in reading order: the segment's script, the
    bundle, then the account part.

    Names, notes and the playbook's text are data: escape sequences, other control characters and
    bidi marks in them are written as escapes (a note keeps its line breaks; titles and headings
    are one line), before any styling is added."""
    from .accounts import account_sections
    from .errors import multi_line
    from .recommend import money

    shown = multi_line
    p, offer, note = doc.pitch, doc.offer, doc.note

    def section(heading: str, body: list[str]) -> list[str]:
        return ["", st.heading(one_line(heading)), *([""] if st.gap else []), *body]

    lines = [st.title(one_line(i18n.t("pitch.heading", client=doc.name))), st.em(one_line(p.segment_name))]
    lines += section(i18n.t("pitch.opening"), [shown(p.opening)])
    lines += section(i18n.t("pitch.stated"), [st.bullet + shown(s) for s in p.stated_needs])
    lines += section(i18n.t("pitch.guided"), [st.bullet + shown(s) for s in p.guided_needs])
    lines += section(i18n.t("pitch.objections"),
                     [x for o, a in p.objections for x in (st.bullet + st.strong(shown(o)), f"  → {shown(a)}")])
    lines += section(i18n.t("pitch.close"), [shown(p.close)])
    if with_offer:
        body = []
        if offer:
            body.append(f"{st.strong(shown(offer.name))} ({one_line(offer.code)}): {offer_sum(offer, currency)}")
            body += [st.bullet + shown(r) for r in offer.reasons]
        if note:
            body.append(shown(note))
        lines += section(i18n.t("pitch.bundle"), body)
    for heading, items in account_sections(doc.account):
        lines += section(heading, [st.sub + shown(t.strip().removeprefix("↳").strip()) if t.startswith("  ↳ ")
                                   else st.bullet + shown(t) for t, _ in items])
    return "\n".join(lines) + "\n"


def plural(unit: str, n: int) -> str:
    """An English unit counted: 1 box, 300 boxes, 20 units (a unit of several words: its last)."""
    if n == 1 or not unit or not unit.isascii() or unit.endswith("s"):
        return unit
    if unit.endswith(("x", "ch", "sh")):
        return unit + "es"
    if unit.endswith("y") and unit[-2:-1] not in "aeiou":
        return unit[:-1] + "ies"
    return unit + "s"


def offer_sum(o: Any, currency: str) -> str:
    """An offer's price as the buyer pays it: ¥3,149/台 × 20台 = ¥62,976 (含税…, 含运费); a set
    shared by several people (one safety kit a floor) says the count and the price per head after."""
    from .recommend import money

    # Sets ordered for more (or fewer) people, pieces or units than were asked for (a kit per floor, a
    # minimum order): the count, the total, then the price per head, piece or unit it comes to.
    shared = o.total is not None and bool(o.needed) and o.quantity != o.needed
    # A gift a set: the price of one is the price of a set (¥157/套 × 500套, never ¥157/件 × 500套).
    # Per head stays per head: that is how a welfare buyer budgets.
    unit_name = o.order_unit if (o.total is not None and not shared and o.order_unit and
                                 getattr(o, "basis", None) == "per_piece") else o.unit
    unit = f"/{unit_name}" if unit_name else i18n.t("per_head_unit")
    per = f"{money(o.per_head, currency)}{unit}"
    if o.total is None:
        return per
    counted = f"{o.quantity}{o.order_unit or ''}" if i18n.get_lang() == "zh" else \
        f"{o.quantity} {plural(o.order_unit or '', o.quantity)}".rstrip()
    out = f"{counted} = {money(o.total, currency)}, {per}" if shared else f"{per} × {counted} = {money(o.total, currency)}"
    terms = getattr(o, "terms", "")
    return out + (i18n.t("offer.sum_terms", terms=terms) if terms else "")


# --- documents: the hand-off packet as Markdown, and its parts as rows ----------------------------


def _money_or_none(x: float | None, cur: str) -> str | None:
    from .recommend import money

    return None if x is None else money(x, cur)


def packet_approaches(p: dict[str, Any]) -> list[str]:
    """How to approach each role present, once per role (long prose: a list, not a table cell)."""
    seen: dict[str, str] = {}
    for c in p["contacts"]:
        if c["approach"] and c["role_name"] not in seen:
            seen[c["role_name"]] = c["approach"]
    return [f"{role}: {text}" for role, text in seen.items()]


def packet_sections(p: dict[str, Any], cur: str) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(heading, column headers, rows) for each part of the packet, in reading order."""
    t = i18n.t
    out = []
    out.append((t("pipe.pk.contacts"),
                [t("field.name"), t("pipe.col.role"), t("field.title"), t("field.phone"), t("pipe.col.strength")],
                [[c["name"], c["role_name"], c["title"], c["phone"],
                  _strength(c["strength"], c["strength_note"])] for c in p["contacts"]]))
    needs = [[t("pipe.need.stated"), n] for n in p["needs"]["stated"]]
    needs += [[t("pipe.need.guided"), n] for n in p["needs"]["guided"]]
    out.append((t("pipe.pk.needs"), [t("pipe.col.kind"), t("pipe.col.need")], needs))
    out.append((t("pipe.pk.competitors"),
                [t("field.name"), t("pipe.col.offer"), t("pipe.col.price"), t("pipe.col.their_strength"),
                 t("pipe.col.weakness")],
                [[r["name"], r["offer"], _money_or_none(r["price"], cur), r["strength"], r["weakness"]]
                 for r in p["competitors"]]))
    out.append((t("pipe.pk.promises"), [t("field.id"), t("pipe.col.due"), t("pipe.col.next"), t("field.by")],
                [[f"#{a['id']}", a["due"] or "—", a["next_action"], a["by"]] for a in p["promises"]]))
    out.append((t("pipe.pk.activities"),
                [t("field.date"), t("pipe.col.type"), t("pipe.col.text"), t("field.by")],
                [[a["date"], t(f"pipe.type.{a['type']}") if f"pipe.type.{a['type']}" in i18n.CATALOGUE else a["type"],
                  a["text"], a["by"]] for a in p["activities"]]))
    out.append((t("pipe.pk.deals"),
                [t("field.id"), t("pipe.col.bundle"), t("pipe.col.qty"), t("pipe.col.amount"), t("field.status"),
                 t("pipe.col.reason")],
                [[f"#{d['id']}", d["bundle"], d["quantity"], _money_or_none(d["amount"], cur),
                  t(f"pipe.status.{d['status']}"), d["lost_reason"]] for d in p["deals"]]))
    out.append((t("pipe.pk.stages"),
                [t("field.stage"), t("field.owner"), t("pipe.col.entered"), t("pipe.col.left")],
                [[s["stage_name"], s["owner"] or t("pipe.unassigned"), s["entered_at"][:16].replace("T", " "),
                  (s["left_at"] or "")[:16].replace("T", " ")] for s in p["stages"]]))
    return out


def _strength(value: int | None, note: str | None) -> str | None:
    if value is None:
        return None
    bar = "●" * value + "○" * (5 - value)
    return f"{bar} {value}/5" + (f" ({note})" if note else "")


def packet_summary(p: dict[str, Any], cur: str) -> list[tuple[str, Any]]:
    c, h = p["client"], p["handoff"]
    t = i18n.t
    return [
        (t("pipe.pk.client"), f"#{c['id']} {c['name']}"),
        (t("field.segment"), c["segment_name"]),
        (t("field.industry"), c["industry"]),
        (t("field.city"), c["city"]),
        (t("field.headcount"), c["headcount"]),
        (t("field.budget_per_head"), _money_or_none(c["budget_per_head"], cur)),
        (t("field.budget_total"), _money_or_none(c["budget_total"], cur)),
        (t("field.occasion"), c["occasion"]),
        (t("pipe.pk.move"), f"{h['from_stage_name']} → {h['to_stage_name']}"),
        (t("pipe.pk.owner"), f"{h['from_owner'] or t('pipe.unassigned')} → {h['to_owner']}"),
        (t("pipe.pk.won_revenue"), _money_or_none(p["won_revenue"], cur)),
        (t("field.notes"), c["notes"]),
    ]


def _md_cell(v: Any) -> str:
    # Stored text: one line, escape sequences and bidi marks shown as escapes (JSON stays exact).
    return "" if v is None else one_line(str(v).replace("|", "\\|").replace("\r\n", " ").replace("\n", " "))


def packet_markdown(p: dict[str, Any], cur: str) -> str:
    c = p["client"]
    from .errors import multi_line

    lines = [f"# {one_line(i18n.t('pipe.pk.title', client=c['name']))}", ""]
    for label, value in packet_summary(p, cur):
        if value not in (None, ""):
            lines.append(f"- **{label}**: {_md_cell(value)}")
    for heading, headers, rows in packet_sections(p, cur):
        lines += ["", f"## {heading}", ""]
        if heading == i18n.t("pipe.pk.needs") and packet_approaches(p):  # right after the contacts
            lines[-3:-3] = (["", f"### {i18n.t('pipe.pk.approach')}", ""]
                            + [f"- {multi_line(a)}" for a in packet_approaches(p)])
        if not rows:
            lines.append(f"*{i18n.t('none')}*")
            continue
        lines.append("| " + " | ".join(headers) + " |")
        lines.append("|" + "---|" * len(headers))
        lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
