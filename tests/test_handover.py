"""tg handover: a rep's clients, open deals, follow-ups and stages move to colleagues or the pool in
one transaction, with a hand-off packet per client and a summary per receiving rep."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

D0 = date(2027, 1, 4)


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def one_line_error(result, code: int = 1) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.stderr
    return lines[0]


def owners(tg) -> dict[str, str | None]:
    return {c["name"]: c["owner"] for c in tg.json("clients", "list", "-f", "json")}


@pytest.fixture
def desk(tg, testdb, monkeypatch):
    """wang holds three clients (one with an open deal and an overdue follow-up, one moved on to
    qualify, one in 宁波); li and zhao hold one each."""
    monkeypatch.setenv("TG_TODAY", D0.isoformat())
    monkeypatch.setenv("TG_USER", "boss")

    def add(name: str, owner: str, *opts: str) -> int:
        return int(ok(tg("clients", "add", name, "--owner", owner, *opts)).stdout)

    c = {"tax": add("市税务局", "wang", "--city", "杭州"), "school": add("市一中", "wang", "--city", "杭州"),
         "bank": add("农商银行", "wang", "--city", "宁波"), "li": add("市人民医院", "li"), "zhao": add("市总工会", "zhao")}
    ok(tg("contacts", "add", str(c["tax"]), "王主任", "--role", "decision-maker", "--strength", "4"))
    ok(tg("deals", "add", str(c["tax"]), "--bundle", "steamer_family", "--qty", "100"))
    ok(tg("log", str(c["tax"]), "报价已发", "--type", "call", "--next", "催回复", "--due",
          (D0 - timedelta(days=2)).isoformat()))
    ok(tg("log", str(c["bank"]), "初次拜访", "--type", "visit", "--next", "寄样品", "--due",
          (D0 + timedelta(days=3)).isoformat()))
    ok(tg("clients", "edit", str(c["school"]), "--stage", "qualify"))
    return c


def snapshot(testdb) -> tuple:
    return (testdb.rows("SELECT id, owner, stage FROM client ORDER BY id"), testdb.count("stage_entry"),
            testdb.count("pool_event"), testdb.count("audit"))


def test_a_dry_run_shows_the_moves_and_the_summary_and_writes_nothing(tg, testdb, desk, tmp_path):
    before = snapshot(testdb)
    res = ok(tg("handover", "--from", "wang", "--to", "li", "--dry-run", "--out", str(tmp_path / "packets")))
    assert "dry run" in res.stderr and "3 clients" in res.stderr
    assert "#1 市税务局 → li: 1 open deals" in res.stdout
    assert "li: 3 clients, 1 open deals" in res.stdout and "2 follow-ups (1 overdue)" in res.stdout
    data = tg.json("handover", "--from", "wang", "--to", "li", "--dry-run", "-f", "json")
    assert [(r["client"], r["to"]) for r in data["clients"]] == [("市税务局", "li"), ("市一中", "li"), ("农商银行", "li")]
    assert data["summary"] == [{"to": "li", "clients": 3, "open_deals": 1, "open_value": data["clients"][0]["open_value"],
                                "followups": 2, "overdue": 1}]
    assert snapshot(testdb) == before and not (tmp_path / "packets").exists()


def test_everything_moves_with_its_history_and_a_packet_per_client(tg, testdb, desk, tmp_path):
    contacts = testdb.rows("SELECT id, client_id, name FROM contact ORDER BY id")
    entries = testdb.rows("SELECT client_id, stage, owner, entered_at FROM stage_entry ORDER BY id")
    out = tmp_path / "packets"
    res = ok(tg("handover", "--from", "wang", "--to", "li", "--out", str(out), "--reason", "wang left"))
    assert "handed over wang's 3 clients" in res.stderr and "3 hand-off packets" in res.stderr
    assert owners(tg) == {"市税务局": "li", "市一中": "li", "农商银行": "li", "市人民医院": "li", "市总工会": "zhao"}
    assert testdb.rows("SELECT id, client_id, name FROM contact ORDER BY id") == contacts
    # the stage line keeps every earlier entry, and the stage each client is in is now li's
    after = testdb.rows("SELECT client_id, stage, owner, entered_at FROM stage_entry ORDER BY id")
    assert [e[:3] for e in after[:len(entries)]] == [e[:3] for e in entries]
    open_now = testdb.rows("SELECT client_id, stage, owner FROM stage_entry WHERE left_at IS NULL ORDER BY client_id")
    assert open_now == [(desk["tax"], "lead", "li"), (desk["school"], "qualify", "li"), (desk["bank"], "lead", "li")]
    assert testdb.rows("SELECT status FROM deal") == [("open",)]
    # the follow-ups are li's now
    from tuangou_cli.db import open_store
    from tuangou_cli.playbook import load_playbook
    from tuangou_cli.store.pipeline import agenda

    store = open_store(testdb.url)
    try:
        with store.read() as session:
            mine = agenda(session, load_playbook(), user="li", today=D0)["followups"]
            assert sorted(f["next_action"] for f in mine) == ["催回复", "寄样品"]
            assert agenda(session, load_playbook(), user="wang", today=D0)["followups"] == []
    finally:
        store.engine.dispose()
    # each move on the pool's record and the audit trail, with the reason
    assert testdb.rows("SELECT action, from_owner, to_owner, rule, reason FROM pool_event ORDER BY id") == [
        ("handover", "wang", "li", "handover", "wang left")] * 3
    history = tg.json("history", str(desk["tax"]), "-f", "json")
    assert any(h["table"] == "pool_event" and h["action"] == "handover" for h in history)
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted([f"{desk['tax']}-市税务局.md", f"{desk['school']}-市一中.md", f"{desk['bank']}-农商银行.md"])
    packet = (out / f"{desk['tax']}-市税务局.md").read_text(encoding="utf-8")
    assert packet.startswith("# ") and "王主任" in packet and "催回复" in packet and "wang → li" in packet
    assert not list(tmp_path.glob(".tg-handover-*")), "the staging directory is gone"


def test_shared_out_between_two_and_a_combined_file(tg, testdb, desk, tmp_path):
    out = tmp_path / "all.md"
    res = ok(tg("handover", "--from", "wang", "--to", "li", "--to", "zhao", "--out", str(out)))
    got = owners(tg)
    assert got["市税务局"] == "li", "the biggest open value goes first"
    assert sorted(got[n] for n in ("市税务局", "市一中", "农商银行")) == ["li", "li", "zhao"]
    assert "li: 2 clients" in res.stdout and "zhao: 1 clients" in res.stdout
    text = out.read_text(encoding="utf-8")
    assert text.count("\n# ") + text.startswith("# ") == 3


def test_to_the_pool_with_a_filter(tg, testdb, desk, monkeypatch):
    ok(tg("handover", "--from", "wang", "--to-pool", "--filter", "city=宁波"))
    assert owners(tg)["农商银行"] is None and owners(tg)["市税务局"] == "wang"
    assert [r["client"] for r in tg.json("pool", "list", "-f", "json")] == ["农商银行"]
    monkeypatch.setenv("TG_USER", "wang")
    assert "claimable again" in one_line_error(tg("pool", "claim", "农商银行"))
    monkeypatch.setenv("TG_USER", "li")
    ok(tg("pool", "claim", "农商银行"))


@pytest.mark.parametrize("args, code, words", [
    (("--from", "nobody", "--to", "li"), 1, "no user 'nobody'"),
    (("--from", "wang", "--to", "nobody"), 1, "no user 'nobody'"),
    (("--from", "wang", "--to", "li", "--to-pool"), 2, "--to USER or --to-pool"),
    (("--from", "wang"), 2, "--to USER or --to-pool"),
    (("--from", "wang", "--to", "wang"), 2, "cannot hand over to themselves"),
    (("--from", "wang", "--to", "li", "--filter", "city=上海"), 1, "no client"),
    (("--from", "wang", "--to", "li", "--filter", "colour=red"), 2, "not valid"),
])
def test_bad_hand_overs_are_one_line_and_change_nothing(tg, testdb, desk, args, code, words):
    before = snapshot(testdb)
    assert words in one_line_error(tg("handover", *args), code)
    assert snapshot(testdb) == before


def test_packets_that_cannot_be_written_leave_nothing_moved(tg, testdb, desk, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    before = snapshot(testdb)
    assert "nothing was handed over" in one_line_error(
        tg("handover", "--from", "wang", "--to", "li", "--out", str(blocker / "packets")))
    assert snapshot(testdb) == before
