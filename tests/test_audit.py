"""The audit trail: every ORM change to a client, contact, deal, referral or reward is recorded."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tuangou_cli.store import clients as st
from tuangou_cli.db import open_store
from tuangou_cli.models import Client


def ok(tg, *args):
    r = tg(*args)
    assert r.exit_code == 0, r.stderr
    return r


def trail(tg, client):
    return [(a["table"], a["action"], a["changes"]) for a in tg.json("history", client, "-f", "json")]


def test_client_changes_record_who_when_old_and_new(tg, monkeypatch):
    ok(tg, "clients", "add", "市税务局", "--city", "杭州")
    monkeypatch.setenv("TG_USER", "li")
    ok(tg, "clients", "edit", "市税务局", "--city", "宁波", "--headcount", "120")
    rows = tg.json("history", "市税务局", "-f", "json")
    assert [(r["by"], r["action"]) for r in rows] == [("tester", "insert"), ("li", "update")]
    assert rows[0]["changes"] == {"name": [None, "市税务局"], "city": [None, "杭州"], "stage": [None, "lead"],
                                  "owner": [None, "tester"]}  # no --owner: whoever adds it
    assert rows[1]["changes"] == {"city": ["杭州", "宁波"], "headcount": [None, 120]}
    assert rows[1]["at"] >= rows[0]["at"] and rows[1]["at"].endswith("+00:00")


def test_an_edit_that_changes_nothing_records_nothing(tg):
    ok(tg, "clients", "add", "市税务局", "--city", "杭州")
    ok(tg, "clients", "edit", "市税务局", "--city", "杭州")
    assert [a for _, a, _ in trail(tg, "市税务局")] == ["insert"]


def test_contacts_deals_referrals_and_rewards_are_in_the_clients_history(tg):
    ok(tg, "clients", "add", "市税务局")
    ok(tg, "clients", "add", "市人民医院")
    ok(tg, "contacts", "add", "市税务局", "王科长", "--role", "decision-maker")
    ok(tg, "contacts", "edit", "市税务局/王科长", "--title", "科长")
    ok(tg, "refer", "市税务局", "市人民医院", "--yes")
    ok(tg, "referrals", "status", "1", "contacted")
    ok(tg, "deals", "add", "市人民医院", "--bundle", "steamer_family", "--qty", "120")
    ok(tg, "deals", "won", "1")

    mine = trail(tg, "市税务局")
    tables = [(t, a) for t, a, _ in mine]
    assert ("contact", "insert") in tables and ("contact", "update") in tables
    assert ("referral", "insert") in tables, "a referral it made is in the referrer's history"
    assert ("reward", "insert") in tables, "the reward it earned"
    assert next(c for t, a, c in mine if (t, a) == ("contact", "update"))["title"] == [None, "科长"]

    theirs = trail(tg, "市人民医院")
    deal_updates = [c for t, a, c in theirs if (t, a) == ("deal", "update")]
    assert deal_updates and deal_updates[0]["status"] == ["open", "won"]
    referral_updates = [c for t, a, c in theirs if (t, a) == ("referral", "update")]
    assert ["introduced", "contacted"] in [c.get("status") for c in referral_updates]


def test_a_removed_clients_history_stays_readable_by_id(tg):
    ok(tg, "clients", "add", "市税务局", "--city", "杭州")
    ok(tg, "clients", "rm", "市税务局", "--yes")
    rows = trail(tg, "1")
    assert [a for _, a, _ in rows] == ["insert", "delete"]
    assert rows[1][2]["city"] == ["杭州", None]
    r = tg("history", "2")
    assert r.exit_code == 1 and "no client" in r.stderr


def test_a_rolled_back_change_leaves_no_audit_row(testdb):
    store = open_store(testdb.url)
    with pytest.raises(RuntimeError):
        with store.write() as s:
            st.create_client(s, name="市税务局", user="t")
            raise RuntimeError("crash mid-command")
    assert testdb.count("audit") == 0
    assert testdb.count("client") == 0


def test_orm_writes_of_any_module_are_audited(testdb):
    store = open_store(testdb.url)
    with store.write() as s:
        c = st.create_client(s, name="市税务局", user="t")
        cid = c.id
    with store.write() as s:
        c = s.get(Client, cid)
        c.notes = "line one\nline two"
    rows = testdb.rows("select action, changes from audit order by id")
    changes = rows[-1][1] if isinstance(rows[-1][1], dict) else json.loads(rows[-1][1])  # PostgreSQL: JSON type
    assert rows[-1][0] == "update" and changes == {"notes": [None, "line one\nline two"]}


def test_export_audit(tg):
    ok(tg, "clients", "add", "=HYPERLINK(\"x\")")
    out = ok(tg, "export", "audit").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["action"] for r in rows] == ["insert"] and rows[0]["table"] == "client"
    assert rows[0]["by"] == "tester"
    data = tg.json("export", "audit", "--format", "json")
    assert data[0]["changes"]["name"] == [None, "=HYPERLINK(\"x\")"], "JSON keeps the text exactly"


def test_an_import_that_changes_a_client_is_in_its_history(tg, tmp_path, monkeypatch):
    """tg import writes through bulk.py, not the ORM: its changes to existing clients are recorded
    all the same (who, when, old → new), and so is a phone it fills in."""
    ok(tg, "clients", "add", "市税务局", "--city", "杭州", "--headcount", "100")
    ok(tg, "contacts", "add", "市税务局", "王科长", "--role", "purchaser")
    path = tmp_path / "leads.csv"
    path.write_text("单位名称,城市,人数,联系人,电话\n市税务局,杭州,120,王科长,138-0000-0001\n新客户,宁波,5,,\n",
                    encoding="utf-8")
    monkeypatch.setenv("TG_USER", "importer")
    ok(tg, "import", "clients", str(path))
    rows = tg.json("history", "市税务局", "-f", "json")
    imported = [(r["by"], r["table"], r["action"], r["changes"]) for r in rows if r["by"] == "importer"]
    assert imported == [("importer", "client", "update", {"headcount": [100, 120]}),
                        ("importer", "contact", "update", {"phone": [None, "138-0000-0001"]})]
    ok(tg, "import", "clients", str(path))  # nothing new: nothing more recorded
    assert len(tg.json("history", "市税务局", "-f", "json")) == len(rows)
