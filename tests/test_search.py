"""tg search: every kind of row, Chinese of any length, ranking, the index kept in step, bad text, RLS."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tuangou_cli import search


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def book(tg):
    """Two hospitals, a tax office with a contact, an activity and a need, and a case."""
    ids = {}
    for name, extra in (("市人民医院", ["--city", "杭州"]), ("市中医院", []), ("市税务局", ["--notes", "去年发过医院体检卡"])):
        ids[name] = int(ok(tg("clients", "add", name, *extra)).stdout)
    tax = str(ids["市税务局"])
    ok(tg("contacts", "add", tax, "王主任", "--role", "decision-maker", "--phone", "13812345678"))
    ok(tg("log", tax, "带样品上门拜访 Zhang Wei", "--type", "visit"))
    ok(tg("needs", "add", tax, "人均预算 300 元以内", "--stated"))
    return ids


def hits(tg, *args):
    return tg.json("search", *args, "--format", "json")["hits"]


def test_finds_each_kind_of_row(tg, book):
    assert [(h["kind"], h["field"]) for h in hits(tg, "王主任")] == [("contact", "name")]
    assert [(h["kind"], h["field"]) for h in hits(tg, "13812345678")] == [("contact", "phone")]
    assert [(h["kind"], h["client"]) for h in hits(tg, "样品上门")] == [("activity", "市税务局")]
    assert [h["kind"] for h in hits(tg, "zhang wei")] == ["activity"]  # case-folded
    assert [h["kind"] for h in hits(tg, "300 元")] == ["need"]
    assert [(h["kind"], h["field"]) for h in hits(tg, "体检卡")] == [("client", "notes")]


@pytest.mark.parametrize("text", ["医", "医院", "人民医院"])
def test_chinese_of_one_two_and_more_characters(tg, book, text):
    found = {(h["kind"], h["id"]) for h in hits(tg, text)}
    expected = {("client", i) for n, i in book.items() if text in n} | (
        {("client", book["市税务局"])} if text in "去年发过医院体检卡" else set())
    assert found == expected


def test_ranked_main_field_first_then_other_fields(tg, book):
    ok(tg("clients", "add", "医院"))
    order = [(h["id"], h["field"], h["score"]) for h in hits(tg, "医院")]
    assert order[0][2] == 100 and order[0][1] == "name"  # the exact name
    assert [o[1] for o in order][-1] == "notes" and order[-1][2] == 20  # a match in the notes comes last
    assert [o[2] for o in order] == sorted((o[2] for o in order), reverse=True)


def test_limit_and_total(tg, book):
    data = tg.json("search", "医院", "--limit", "1", "--format", "json")
    assert len(data["hits"]) == 1 and data["total"] == 3
    assert len(tg.json("search", "医院", "--limit", "0", "--format", "json")["hits"]) == 3
    text = ok(tg("search", "医院", "--limit", "1"))
    assert "2 more" in text.stderr


def test_every_format(tg, book, tmp_path):
    lines = ok(tg("search", "医院", "--format", "jsonl")).stdout.splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["kind"] == "client"
    csv = ok(tg("search", "医院", "--format", "csv")).stdout
    assert csv.splitlines()[0] == ",".join(search.COLUMNS)
    out = tmp_path / "hits.xlsx"
    ok(tg("search", "医院", "-o", str(out)))
    import openpyxl

    ws = openpyxl.load_workbook(out).active
    assert ws.title == "Search results" and ws.max_row == 4


@pytest.mark.parametrize("text", ["，。！", "...", "   ", "%%%", "\u200b"])
def test_punctuation_only_is_refused(tg, book, text):
    r = tg("search", text)
    assert r.exit_code == 2 and "no letters or digits" in r.stderr and r.stdout == ""


def test_like_wildcards_are_literal(tg, book):
    ok(tg("clients", "add", "100%_公司"))
    assert [h["client"] for h in hits(tg, "0%_公")] == ["100%_公司"]
    assert hits(tg, "0_公") == []


def test_found_after_edit_and_gone_after_removal(tg, book):
    hits(tg, "医院")  # the index now holds every row
    cid = book["市中医院"]
    ok(tg("clients", "edit", str(cid), "--name", "市中心医院"))
    assert [h["client"] for h in hits(tg, "中心医")] == ["市中心医院"]
    assert hits(tg, "市中医院") == []
    ok(tg("clients", "rm", str(cid), "--yes"))
    assert hits(tg, "中心医") == []
    new = int(ok(tg("clients", "add", "新中心医院")).stdout)
    assert [h["id"] for h in hits(tg, "中心医")] == [new]


@pytest.mark.sqlite_only("the trigram index is SQLite's")
def test_index_is_a_cache_rows_above_the_mark_are_found_without_it(tg, book, db_path):
    hits(tg, "医院")
    with sqlite3.connect(db_path) as conn:
        marks = dict(conn.execute("SELECT kind, indexed_to FROM search_state"))
        assert marks[1] == max(book.values())
        n = conn.execute("SELECT count(*) FROM search_fts").fetchone()[0]
        assert n == 3 + 1 + 1 + 1  # clients, contact, activity, need
    # Rows written later, as a bulk import writes them (no trigger below the mark), are found from
    # the table while the index cannot be written, and indexed by the next search that can.
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO client (name, name_key, stage, created_at, updated_at, created_by, updated_by) "
                     "VALUES ('县医院', '县医院', 'lead', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 't', 't')")
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN")
    try:
        found = search.search_sqlite(conn, "县医院", limit=None)
    finally:
        conn.rollback()
    assert [h.client for h in found.hits] == ["县医院"]
    assert [h["client"] for h in hits(tg, "县医")] == ["县医院"]
    with sqlite3.connect(db_path) as check:
        assert check.execute("SELECT indexed_to FROM search_state WHERE kind = 1").fetchone()[0] == max(book.values()) + 1


@pytest.mark.sqlite_only("the trigram index is SQLite's")
def test_a_locked_database_is_searched_all_the_same(tg, book, db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO client (name, name_key, stage, created_at, updated_at, created_by, updated_by) "
                     "VALUES ('镇医院', '镇医院', 'lead', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 't', 't')")
    locker = sqlite3.connect(db_path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")
    try:
        conn = sqlite3.connect(db_path, isolation_level=None)
        assert search.refresh(conn, wait_ms=50) is False
        conn.execute("BEGIN")
        found = search.search_sqlite(conn, "镇医", limit=None)
        conn.rollback()
        assert [h.client for h in found.hits] == ["镇医院"]
    finally:
        locker.rollback()


def test_normalise():
    assert search.normalise("  市\t人民\n医院 ") == "市 人民 医院"
    with pytest.raises(Exception):
        search.normalise("x" * 201)
    assert search.like_pattern("a%b_c\\") == "a\\%b\\_c\\\\"


@pytest.mark.postgresql_only("row-level security is PostgreSQL's")
def test_a_rep_finds_only_what_they_may_see(tg, team, monkeypatch):
    from .test_rls import as_role

    url, r = team
    groups = ["--rep-group", r["rep"], "--manager-group", r["mgr"]]
    ok(tg("--db", url, "db", "setup-rls", "--rep", r["a"], "--rep", r["b"], "--manager", r["boss"], *groups))
    a1 = int(ok(tg("--db", url, "clients", "add", "甲医院", "--owner", r["a"])).stdout)
    b1 = int(ok(tg("--db", url, "clients", "add", "乙医院", "--owner", r["b"])).stdout)
    ok(tg("--db", url, "contacts", "add", str(b1), "医院王主任", "--role", "purchaser"))
    monkeypatch.delenv("TG_USER")
    A, boss = as_role(url, r["a"]), as_role(url, r["boss"])
    assert [(h["kind"], h["id"]) for h in tg.json("--db", A, "search", "医院", "-f", "json")["hits"]] == [("client", a1)]
    seen = {(h["kind"], h.get("client_id")) for h in tg.json("--db", boss, "search", "医院", "-f", "json")["hits"]}
    assert seen == {("client", a1), ("client", b1), ("contact", b1)}


@pytest.fixture
def team():
    from .test_rls import team as make_team

    yield from make_team.__wrapped__()
