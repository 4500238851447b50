"""The pipeline board laid out for a terminal: one block per stage (its name, how many clients,
their open value), then a line per client that fits the width: id, name, open value, days in the
stage, owner. Chinese counts two columns. Pure: lines in, lines out."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def fit(text: str, room: int) -> str:
    """``text`` cut to ``room`` columns (an ellipsis marks the cut), padded to exactly ``room``."""
    if room <= 0:
        return ""
    if cells(text) <= room:
        return text + " " * (room - cells(text))
    out, used = [], 0
    for ch in text:
        w = cells(ch)
        if used + w > room - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…" + " " * (room - 1 - used)


@dataclass
class Block:
    code: str
    name: str
    count: int
    value: str
    rows: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    """(client id, name, open value or —, age, owner)"""
    more: int = 0


def lay_out(blocks: list[Block], width: int, *, heading: str, more: str) -> list[tuple[str, str]]:
    """(line, style) pairs for ``width`` columns. ``heading``: '{name}  {count} · {value}'; ``more``:
    '… {n} more'. Value, age and owner columns are as wide as their longest cell; the name has the rest."""
    width = max(width, 40)
    rows = [r for b in blocks for r in b.rows]
    id_w = max((len(f"#{r[0]}") for r in rows), default=2)
    value_w = max((cells(r[2]) for r in rows), default=1)
    age_w = max((cells(r[3]) for r in rows), default=1)
    owner_w = min(max((cells(r[4]) for r in rows), default=0), 12)
    fixed = 2 + id_w + 1 + 2 + value_w + 2 + age_w + (2 + owner_w if owner_w else 0)
    name_w = width - 1 - fixed
    if name_w < 12 and owner_w:  # narrow: the owner goes before the name is squeezed
        fixed -= 2 + owner_w
        owner_w = 0
        name_w = width - 1 - fixed
    out: list[tuple[str, str]] = []
    for b in blocks:
        out.append((fit(heading.format(name=b.name, count=b.count, value=b.value), width - 1).rstrip(), "bold"))
        for cid, name, value, age, owner in b.rows:
            line = (f"  {f'#{cid}':<{id_w}} {fit(name, name_w)}  {' ' * (value_w - cells(value))}{value}"
                    f"  {' ' * (age_w - cells(age))}{age}")
            if owner_w:
                line += "  " + fit(owner or "", owner_w)
            out.append((line.rstrip(), ""))
        if b.more:
            out.append(("  " + more.format(n=b.more), "dim"))
    return out
