"""plain.Table, which lays listings out a column at a time, against the plain reading of the
rule: every cell through _cell() (whitespace folded, control and bidi characters escaped), each
column as wide as its widest cell in display columns (a Chinese character two, a combining mark
none), cells padded to it, two spaces between, trailing spaces cut."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuangou_cli import plain


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def reference_lines(headers, rows) -> list[str]:
    cells = [[plain._cell(v) for v in row] for row in rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values):
        return "  ".join(v + " " * (w - display_width(v)) for v, w in zip(values, widths)).rstrip()

    return [line(headers), "  ".join("─" * w for w in widths)] + [line(r) for r in cells]


text = st.lists(st.sampled_from(list("ab Z9-'=") + ["  ", "\t", "\n", "\x1b", "\u202e", "\u3000", "\xa0", "张",
                                                   "医院", "ｱ", "e\u0301", "¥", "\x00", "\x1f"]),
                max_size=6).map("".join)
value = st.one_of(st.none(), text, st.integers(-10**6, 10**12), st.floats(allow_nan=False, width=32),
                  st.booleans())


@settings(max_examples=300, deadline=None)
@given(headers=st.lists(st.sampled_from(["id", "name", "名称", "城市", "amount"]), min_size=1, max_size=4),
       data=st.data())
def test_the_table_is_the_plain_rule(headers, data):
    rows = data.draw(st.lists(st.lists(value, min_size=len(headers), max_size=len(headers)), max_size=12))
    plain.Table.BATCH = data.draw(st.sampled_from([1, 3, 2000]))  # several batches, and one
    try:
        assert plain.table_lines(headers, iter(rows)) == reference_lines(headers, rows)
    finally:
        plain.Table.BATCH = 2000


def test_repeated_cells_share_one_string_and_print_as_given():
    rows = [[i, "北京", f"{i % 3}"] for i in range(5000)]
    table = plain.Table(["id", "city", "n"], rows)
    cities = [c for columns, _ in table.batches for c in columns[1]]
    assert len({id(c) for c in cities}) == 1
    assert list(table.lines()) == reference_lines(["id", "city", "n"], rows)


def test_width_is_display_columns():
    for s in ["", "abc", "张三", "e\u0301", "ｱｲ", "¥100", "\x1b[0m"]:
        assert plain.width(s) == display_width(s)


@pytest.mark.sqlite_only("the pragma of a SQLite file")
def test_a_scan_reads_sqlite_pages_and_puts_the_mapping_back(tmp_path):
    from sqlalchemy import text as sql

    from tuangou_cli.db import open_store

    store = open_store(f"sqlite:///{tmp_path / 'tg.db'}")
    with store.read() as session:
        mapped = session.connection().execute(sql("PRAGMA mmap_size")).scalar()
    assert mapped > 0
    with store.scan() as session:
        assert session.connection().execute(sql("PRAGMA mmap_size")).scalar() == 0
        assert session.connection().execute(sql("SELECT count(*) FROM client")).scalar() == 0
    with store.read() as session:
        assert session.connection().execute(sql("PRAGMA mmap_size")).scalar() == mapped
    store.engine.dispose()
