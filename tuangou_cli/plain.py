"""Plain-text tables and trees: aligned columns, no boxes, no Rich.

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
