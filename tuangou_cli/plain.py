"""Plain text for people: tables, trees and documents (the pitch as text or Markdown), no Rich.

Listings and reports print through here. Cells are never cut short (Rich truncates wide
Chinese names with "…" on a narrow or piped terminal), columns are aligned by display
width (a Chinese character takes two cells), and the output pastes cleanly into a chat or
a mail. Starting without Rich also keeps these commands fast.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from typing import Any, Sequence

from . import i18n
from .errors import one_line


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def _cell(value: Any) -> str:
    # Stored text may hold escape sequences or bidi marks (pasted from anywhere): shown as
    # escapes, so a name cannot recolour, clear or reorder the terminal. CSV/JSON stay exact.
    return "" if value is None else one_line(" ".join(str(value).split()))


def _bold() -> tuple[str, str]:
    on = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    return ("\033[1m", "\033[0m") if on else ("", "")


def table_lines(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths)).rstrip()

    on, off = _bold()
    return [on + line(list(headers)) + off, "  ".join("─" * w for w in widths)] + [line(r) for r in cells]


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if not rows:
        sys.stdout.write(i18n.t("list.empty") + "\n")
        return
    sys.stdout.write("\n".join(table_lines(headers, rows)) + "\n")


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
            body.append(f"{st.strong(shown(offer.name))} ({one_line(offer.code)}): "
                        f"{money(offer.per_head, currency)}{i18n.t('per_head_unit')}"
                        + (f" × {offer.quantity} = {money(offer.total, currency)}" if offer.total is not None else ""))
            body += [st.bullet + shown(r) for r in offer.reasons]
        if note:
            body.append(shown(note))
        lines += section(i18n.t("pitch.bundle"), body)
    for heading, items in account_sections(doc.account):
        lines += section(heading, [st.sub + shown(t.strip().removeprefix("↳").strip()) if t.startswith("  ↳ ")
                                   else st.bullet + shown(t) for t, _ in items])
    return "\n".join(lines) + "\n"
