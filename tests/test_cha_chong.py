"""查重 on the bulk roads, against a real server as a rep's role: `tg import clients` and
`tg classify --batch --save` reject a row whose client is already another rep's (same name as
importer.dedupe_key folds it, or a contact's phone), saying only that, exactly as other bad
rows are rejected: the whole file refused, or the row written to --skip-errors' file."""

from __future__ import annotations

import csv

import pytest

from .test_rls import as_role, ok, team  # noqa: F401  (the fixture: a schema and roles of our own)
from .test_rls_writes import line  # noqa: F401

pytestmark = pytest.mark.postgresql_only("row-level security is PostgreSQL's")

HELD = "already a client of the company, held by another rep"
LEADS = [["单位名称", "城市", "电话"],
         ["市人民医院有限公司", "杭州", ""],  # B's 市人民医院, by its dedupe key
         ["新单位甲", "杭州", ""],
         ["某公司", "宁波", "+86 571 8888 1234"],  # the phone of B's contact at 市人民医院
         ["市人民医院", "", ""],  # merged into row 2 in the file: rejected with it
         ["市税务局", "", "0571-8888 1234"]]  # A's own client: an update, whatever the phone


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return str(path)


def names(tg, url) -> list[str]:
    return sorted(c["name"] for c in tg.json("--db", url, "clients", "list", "-f", "json"))


def said_nothing_else(text: str, r: dict, ids: dict) -> None:
    assert r["b"] not in text and "王主任" not in text and f"#{ids['b1']}" not in text


def test_import_refuses_the_file_or_rejects_the_rows(tg, line, tmp_path):  # noqa: F811
    url, r, ids = line
    A = as_role(url, r["a"])
    path = write(tmp_path / "leads.csv", LEADS)
    before = names(tg, url)

    res = tg("--db", A, "import", "clients", path)
    assert res.exit_code == 1 and "3 bad row(s), nothing imported" in res.stderr, res.stderr
    assert [x for x in res.stderr.splitlines() if HELD in x] == [
        f"  row {n}, 单位名称: {HELD}: ask your manager" for n in (2, 4, 5)]
    said_nothing_else(res.stderr, r, ids)
    assert names(tg, url) == before

    plan = tg("--db", A, "import", "clients", path, "--dry-run")
    assert [x.split()[0] for x in plan.stdout.splitlines()] == ["reject", "create", "reject", "reject", "update"]
    assert names(tg, url) == before

    rejects = tmp_path / "rejects.csv"
    res = ok(tg("--db", A, "import", "clients", path, "--skip-errors", str(rejects)))
    assert "created 1, updated 1" in res.stderr and "rejected 3" in res.stderr and "merged 0" in res.stderr
    with open(rejects, encoding="utf-8-sig", newline="") as f:
        back = list(csv.reader(f))
    assert [row[0] for row in back[1:]] == ["市人民医院有限公司", "某公司", "市人民医院"]
    assert all(HELD in row[-1] for row in back[1:])
    assert names(tg, url) == sorted(before + ["新单位甲"]), "only the new organisation"


def test_a_manager_and_the_tables_owner_import_them(tg, line, tmp_path):  # noqa: F811
    url, r, ids = line
    path = write(tmp_path / "leads.csv", LEADS[:3])
    res = ok(tg("--db", as_role(url, r["boss"]), "import", "clients", path))
    assert "rejected 0" in res.stderr and "updated 1" in res.stderr, "the manager sees B's client: an update"


def test_batch_save_rejects_them_too(tg, line, tmp_path):  # noqa: F811
    url, r, ids = line
    A = as_role(url, r["a"])
    rows = [["单位名称", "备注"], ["市人民医院", "工会年终慰问给职工发"], ["新单位乙", "工会年终慰问"]]
    path = write(tmp_path / "leads.csv", rows)
    before = names(tg, url)
    res = tg("--db", A, "classify", "--batch", path, "--save")
    assert res.exit_code == 1 and HELD in res.stderr, res.stderr
    said_nothing_else(res.stderr, r, ids)
    assert names(tg, url) == before
    ok(tg("--db", A, "classify", "--batch", path, "--save", "--skip-errors", str(tmp_path / "rej.csv")))
    assert names(tg, url) == sorted(before + ["新单位乙"])


def test_refer_refuses_before_asking_to_create_the_prospect(tg, line):  # noqa: F811
    url, r, ids = line
    res = tg("--db", as_role(url, r["a"]), "refer", str(ids["a1"]), "市人民医院")  # no --yes, no terminal
    assert res.exit_code == 1 and HELD in res.stderr and "--yes" not in res.stderr, res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
