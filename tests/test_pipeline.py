"""Activities and the agenda, deals, the stage line and hand-offs, the board, the credit split."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from tuangou_cli import stageline as sl
from tuangou_cli.errors import UsageError
from tuangou_cli.models import Activity, Case, Client, Competitor, Contact, Deal, Need, StageEntry
from tuangou_cli.playbook import load_playbook

PB = load_playbook()  # the shipped playbook: lead → qualify (skippable) → propose → negotiate → won/lost → deliver


def add(tg, name, *opts) -> int:
    r = tg("clients", "add", *opts, "--", name)
    assert r.exit_code == 0, r.stderr
    return int(r.stdout)


def ok(tg, *args):
    r = tg(*args)
    assert r.exit_code == 0, r.stderr
    return r


def session(testdb) -> Session:
    return testdb.session()


def count(testdb, model) -> int:
    with session(testdb) as s:
        return len(s.exec(select(model)).all())


# --- pure: the line, prices, dates, credit ---------------------------------------------


def test_line_rules():
    assert [s.code for s in sl.line(PB)] == ["lead", "qualify", "propose", "negotiate", "won", "deliver"]
    assert sl.next_stage(PB, "lead").code == "qualify"
    assert [s.code for s in sl.check_move(PB, "lead", "propose")] == ["qualify"]  # skippable
    with pytest.raises(sl.StageRefused, match="Propose"):
        sl.check_move(PB, "qualify", "negotiate")
    with pytest.raises(sl.StageRefused, match="already in"):
        sl.check_move(PB, "propose", "propose")
    assert sl.check_move(PB, "negotiate", "propose") == []  # back for a re-quote
    assert sl.check_move(PB, "propose", "lost") == []
    with pytest.raises(sl.StageRefused):
        sl.check_move(PB, "deliver", "lost")
    with pytest.raises(sl.StageRefused):
        sl.check_move(PB, "lost", "deliver")
    assert sl.check_move(PB, "lost", "lead") == []
    with pytest.raises(sl.StageRefused):
        sl.next_stage(PB, "deliver")
    assert sl.resolve_stage(PB, "商务谈判").code == "negotiate"
    with pytest.raises(UsageError, match="closest: propose"):
        sl.resolve_stage(PB, "propse")


def test_price_sets_counts_sets_not_people():
    kit = PB.bundle("office_safety_kit")  # per_group of 20: the rule is not applied to a deal's sets
    p = sl.price_sets(kit, 40)
    assert p.list_total == kit.set_price * 40 and p.discount_pct == 6
    assert p.total == (kit.set_price * 40 * Decimal("0.94")).quantize(Decimal("0.01"))


@pytest.mark.parametrize("text,expected", [
    ("2026-03-05", date(2026, 3, 5)), ("2026/3/5", date(2026, 3, 5)), ("2026年3月5日", date(2026, 3, 5)),
    ("20260305", date(2026, 3, 5)), ("3-5", date(2026, 3, 5)), ("today", date(2026, 1, 10)),
    ("明天", date(2026, 1, 11)), ("+3", date(2026, 1, 13)), ("+2w", date(2026, 1, 24)),
])
def test_parse_date(text, expected):
    assert sl.parse_date(text, date(2026, 1, 10)) == expected


@pytest.mark.parametrize("text", ["2026-02-30", "next week", "13/45", "", "+"])
def test_parse_date_refuses(text):
    with pytest.raises(UsageError, match="cannot read the date"):
        sl.parse_date(text, date(2026, 1, 10))


def test_split_credit_shares_a_stage_and_marks_unassigned():
    owners = {1: {"lead": ["a"], "qualify": [], "propose": ["b", "c"], "negotiate": ["b"]}}
    split = sl.split_credit(PB, [(1, 1000.0)], owners)
    assert split["a"] == {"lead": Decimal(100)}
    assert split["b"] == {"propose": Decimal("125"), "negotiate": Decimal(300)}
    assert split["c"] == {"propose": Decimal("125")}
    assert split[None] == {"qualify": Decimal(150), "deliver": Decimal(200)}
    assert sum(sum(v.values()) for v in split.values()) == 1000


# --- tg log and tg agenda ------------------------------------------------------------------


def test_log_and_agenda(tg, testdb):
    add(tg, "市税务局", "--owner", "zhang")
    add(tg, "市医院", "--owner", "li")
    today = date.today()
    ok(tg, "log", "市税务局", "called 王科长", "--type", "call", "--next", "send samples",
       "--due", (today - timedelta(days=2)).isoformat())
    ok(tg, "log", "市税务局", "visit", "--type", "visit", "--next", "call back", "--due", "today")
    ok(tg, "log", "市医院", "letter to the director", "-t", "letter", "--next", "quote", "--due", "+3")
    ok(tg, "log", "市医院", "far away", "-t", "email", "--next", "later", "--due", "+30")
    r = ok(tg, "log", "市医院", "met the union", "-t", "meeting")
    assert "follow-up" not in r.stderr
    data = tg.json("agenda", "--all", "-f", "json")
    assert [(f["kind"], f["next_action"]) for f in data["followups"]] == [
        ("overdue", "send samples"), ("today", "call back"), ("upcoming", "quote")]
    assert data["followups"][0]["days"] == 2
    mine = tg.json("agenda", "--user", "li", "-f", "json")
    assert [f["client"] for f in mine["followups"]] == ["市医院"]
    table = ok(tg, "agenda", "--all")
    assert table.stdout.index("send samples") < table.stdout.index("call back")
    rows = list(csv.DictReader(io.StringIO(ok(tg, "agenda", "--all", "-f", "csv").stdout)))
    assert rows[0]["kind"] == "overdue"


def test_agenda_lists_idle_accounts_by_stage_rot_days(tg, testdb):
    cid = add(tg, "老客户", "--owner", "zhang")  # lead: rot after 14 days
    add(tg, "新客户", "--owner", "zhang")
    old = datetime.now(timezone.utc) - timedelta(days=20)
    with session(testdb) as s:
        c = s.get(Client, cid)
        c.created_at = old
        s.add(c)
        s.commit()
    idle = tg.json("agenda", "--all", "-f", "json")["idle"]
    assert [(r["client"], r["days"], r["rot_days"]) for r in idle] == [("老客户", 20, 14)]
    ok(tg, "log", "老客户", "called", "-t", "call")
    assert tg.json("agenda", "--all", "-f", "json")["idle"] == []


def test_agenda_done_closes_a_followup(tg, testdb):
    add(tg, "A")
    aid = ok(tg, "log", "A", "call", "-t", "call", "--next", "send", "--due", "today").stdout.strip()
    r = ok(tg, "agenda", "done", aid)
    assert "done" in r.stderr
    assert tg.json("agenda", "--all", "-f", "json")["followups"] == []
    again = tg("agenda", "done", aid)
    assert again.exit_code == 1 and "already done" in again.stderr
    other = ok(tg, "log", "A", "visit", "-t", "visit", "--next", "quote").stdout.strip()
    missing = tg("agenda", "done", "99")
    assert missing.exit_code == 1 and f"no follow-up '99'; closest: #{other}" in missing.stderr


def test_log_bad_input_writes_nothing(tg, testdb):
    add(tg, "市税务局")
    r = tg("log", "市税务局", "x", "--type", "call", "--due", "next blue moon")
    assert r.exit_code == 2 and "cannot read the date 'next blue moon'" in r.stderr
    r = tg("log", "市税物局", "x", "--type", "call")
    assert r.exit_code == 1 and "closest: 市税务局" in r.stderr
    r = tg("log", "市税务局", "x", "--type", "fax")
    assert r.exit_code == 2
    r = tg("log", "市税务局", "   ", "--type", "call")
    assert r.exit_code == 2 and "cannot be empty" in r.stderr
    assert count(testdb, Activity) == 0


def test_agenda_unknown_user(tg):
    add(tg, "A", "--owner", "zhang")
    r = tg("agenda", "--user", "zhagn")
    assert r.exit_code == 1 and "no user 'zhagn'" in r.stderr and "closest: zhang" in r.stderr


# --- tg deals --------------------------------------------------------------------------------


def test_deals_add_prices_by_tier_and_lists(tg, testdb):
    add(tg, "市税务局")
    r = ok(tg, "deals", "add", "市税务局", "--bundle", "steamer_family", "--qty", "120")
    assert "tier discount 6%" in r.stderr
    expected = float(sl.price_sets(PB.bundle("steamer_family"), 120).total)
    ok(tg, "deals", "add", "市税务局", "--bundle", "ergonomic_desk", "--qty", "5", "--amount", "3000")
    deals = tg.json("deals", "list", "-f", "json")
    assert [(d["bundle"], d["quantity"], d["amount"], d["status"]) for d in deals] == [
        ("steamer_family", 120, expected, "open"), ("ergonomic_desk", 5, 3000.0, "open")]
    assert tg.json("deals", "list", "--client", "市税务局", "--status", "won", "-f", "json") == []
    rows = list(csv.DictReader(io.StringIO(ok(tg, "deals", "list", "-f", "csv").stdout)))
    assert rows[0]["amount"] == str(expected)
    assert "open" in ok(tg, "deals", "list").stdout


def test_deals_add_bad_input(tg, testdb):
    add(tg, "A")
    r = tg("deals", "add", "A", "--bundle", "steamer_famly", "--qty", "10")
    assert r.exit_code == 1 and "closest: steamer_family" in r.stderr
    r = tg("deals", "add", "A", "--bundle", "ergonomic_desk", "--qty", "5")
    assert r.exit_code == 1 and "sold from 20 sets" in r.stderr
    r = tg("deals", "add", "Z", "--bundle", "ergonomic_desk", "--qty", "50")
    assert r.exit_code == 1 and "no client matches" in r.stderr
    r = tg("deals", "add", "A", "--bundle", "ergonomic_desk", "--qty", "0")
    assert r.exit_code == 2
    assert count(testdb, Deal) == 0


def _deal(tg, client, qty="50", bundle="new_year_pack") -> str:
    return ok(tg, "deals", "add", client, "--bundle", bundle, "--qty", qty).stdout.strip()


def test_deal_won_moves_client_to_won_stage(tg, testdb):
    add(tg, "A", "--owner", "zhang", "--stage", "negotiate")
    did = _deal(tg, "A")
    r = ok(tg, "deals", "won", did)
    assert "moves to Won" in r.stderr and "skipped" not in r.stderr
    shown = tg.json("clients", "show", "A", "-f", "json")["client"]
    assert (shown["stage"], shown["owner"]) == ("won", "zhang")
    with session(testdb) as s:
        entries = s.exec(select(StageEntry).order_by(StageEntry.id)).all()
        assert [(e.stage, e.left_at is None) for e in entries] == [("negotiate", False), ("won", True)]
        from tuangou_cli.store.clients import won_revenue
        from tuangou_cli.store.pipeline import won_revenue_by_client

        amount = s.get(Deal, int(did)).amount
        assert won_revenue(s, 1) == amount and won_revenue_by_client(s) == {1: amount}
    again = tg("deals", "won", did)
    assert again.exit_code == 1 and "already won" in again.stderr


def test_deal_won_from_lead_records_it_and_says_what_was_skipped(tg):
    add(tg, "A")
    r = ok(tg, "deals", "won", _deal(tg, "A"))
    assert "Propose, Negotiate" in r.stderr and "unassigned" in r.stderr


def test_deal_lost_needs_reason_and_files_lesson(tg, testdb, no_prompts):
    add(tg, "A", "--stage", "propose", "--segment", "welfare", "--industry", "银行")
    did = _deal(tg, "A")
    for args in ([], ["--reason", "  "]):
        r = tg("deals", "lost", did, *args)
        assert r.exit_code == 2 and "needs a reason" in r.stderr
    assert tg.json("deals", "list", "-f", "json")[0]["status"] == "open"
    r = ok(tg, "deals", "lost", did, "--reason", "rival 5% cheaper", "--lesson", "bring samples earlier")
    assert "moves to Lost" in r.stderr and "case library as #1" in r.stderr
    with session(testdb) as s:
        (case,) = s.exec(select(Case)).all()
        assert (case.outcome, case.lesson, case.segment, case.industry, case.client_id) == (
            "lost", "bring samples earlier", "welfare", "银行", 1)
    assert tg.json("deals", "list", "--status", "lost", "-f", "json")[0]["lost_reason"] == "rival 5% cheaper"
    assert tg("deals", "lost", did, "--reason", "x").exit_code == 1


def test_deal_lost_keeps_stage_while_other_deals_are_open(tg, no_prompts):
    add(tg, "A", "--stage", "propose")
    first = _deal(tg, "A")
    _deal(tg, "A")
    r = ok(tg, "deals", "lost", first, "--reason", "budget cut")
    assert "moves to" not in r.stderr
    assert tg.json("clients", "show", "A", "-f", "json")["client"]["stage"] == "propose"


def test_deal_lost_asks_for_a_lesson_only_at_a_terminal(tg, testdb, monkeypatch):
    add(tg, "A")
    did = _deal(tg, "A")
    asked = []
    monkeypatch.setattr("tuangou_cli.prompts.is_interactive", lambda: True)
    monkeypatch.setattr("tuangou_cli.prompts.ask_confirm", lambda m, default=False: asked.append(m) or True)
    monkeypatch.setattr("tuangou_cli.prompts.ask_text", lambda m, default="": "call the decision-maker first")
    ok(tg, "deals", "lost", did, "--reason", "no access to the boss")
    assert asked and count(testdb, Case) == 1


def test_deal_lost_no_terminal_no_question(tg, testdb, no_prompts):
    add(tg, "A")
    ok(tg, "deals", "lost", _deal(tg, "A"), "--reason", "late")
    assert count(testdb, Case) == 0


def test_unknown_deal(tg):
    add(tg, "A")
    _deal(tg, "A")
    r = tg("deals", "won", "7")
    assert r.exit_code == 1 and "no deal '7'; closest: #1" in r.stderr
    r = tg("deals", "lost", "x", "--reason", "y")
    assert r.exit_code == 1 and "no deal 'x'" in r.stderr


# --- tg handoff --------------------------------------------------------------------------------


def _rich_client(tg, testdb) -> int:
    cid = add(tg, "市税务局", "--owner", "zhang", "--segment", "welfare", "--headcount", "120")
    with session(testdb) as s:
        s.add(Contact(client_id=cid, name="王科长", role="decision-maker", strength=4, title="办公室主任",
                      created_by="zhang"))
        s.add(Need(client_id=cid, kind="stated", text="budget 600 per head", created_by="zhang"))
        s.add(Need(client_id=cid, kind="guided", text="a signed card from the leaders", created_by="zhang"))
        s.add(Competitor(client_id=cid, name="苏宁", offer="fridges", price=550, weakness="no service",
                         created_by="zhang"))
        s.commit()
    ok(tg, "log", "市税务局", "letter: what next after fridges?", "-t", "letter", "--next", "bring steamer samples",
       "--due", "+2")
    _deal(tg, "市税务局", "120", "steamer_family")
    return cid


def test_handoff_moves_on_and_prints_the_packet(tg, testdb):
    cid = _rich_client(tg, testdb)
    r = tg("handoff", "市税务局", "--to", "wang", "-f", "json")
    assert r.exit_code == 1 and "--new-user" in r.stderr
    p = tg.json("handoff", "市税务局", "--to", "wang", "--new-user", "-f", "json")
    assert p["handoff"] == {"from_stage": "lead", "from_stage_name": "Lead", "from_owner": "zhang",
                            "to_stage": "qualify", "to_stage_name": "Qualify", "to_owner": "wang", "skipped": []}
    assert p["contacts"][0]["name"] == "王科长" and p["contacts"][0]["role_name"] == "Decision-maker"
    assert p["contacts"][0]["approach"]
    assert p["needs"] == {"stated": ["budget 600 per head"], "guided": ["a signed card from the leaders"]}
    assert p["competitors"][0]["weakness"] == "no service"
    assert p["promises"][0]["next_action"] == "bring steamer samples"
    assert p["activities"][0]["type"] == "letter" and p["deals"][0]["bundle"] == "steamer_family"
    assert [(s["stage"], s["owner"], s["left_at"] is None) for s in p["stages"]] == [
        ("lead", "zhang", False), ("qualify", "wang", True)]
    shown = tg.json("clients", "show", str(cid), "-f", "json")["client"]
    assert (shown["stage"], shown["owner"]) == ("qualify", "wang")
    md = ok(tg, "handoff", "市税务局", "--to", "li", "--new-user", "-f", "markdown").stdout
    assert md.startswith("# Hand-off packet: 市税务局") and "| 王科长 |" in md and "## Open promises" in md
    text = ok(tg, "--lang", "zh", "handoff", "市税务局", "--to", "zhang", "--stage", "negotiate").stdout
    assert "交接包" in text and "王科长" in text
    # the promises pass with the account: the new owner sees them
    assert tg.json("agenda", "--user", "zhang", "-f", "json")["followups"][0]["client"] == "市税务局"


def test_handoff_skips_a_skippable_stage(tg, testdb):
    add(tg, "A", "--owner", "zhang")
    r = ok(tg, "handoff", "A", "--to", "zhang", "--stage", "propose", "-f", "json")
    assert "skipped: Qualify" in r.stderr


def test_handoff_refusals_write_nothing(tg, testdb):
    add(tg, "A", "--owner", "zhang")
    r = tg("handoff", "A", "--to", "zhang", "--stage", "negotiate")
    assert r.exit_code == 1 and "does not let Propose be skipped" in r.stderr
    r = tg("handoff", "A", "--to", "zhang", "--stage", "lead")
    assert r.exit_code == 1 and "already in Lead" in r.stderr
    r = tg("handoff", "A", "--to", "zhang", "--stage", "negotiat")
    assert r.exit_code == 2 and "closest: negotiate" in r.stderr
    r = tg("handoff", "B", "--to", "zhang")
    assert r.exit_code == 1 and "no client matches 'B'" in r.stderr
    r = tg("handoff", "A", "--to", "zahng")
    assert r.exit_code == 1 and "closest: zhang" in r.stderr
    assert count(testdb, StageEntry) == 0
    assert tg.json("clients", "show", "A", "-f", "json")["client"]["owner"] == "zhang"


def test_handoff_without_stages_in_the_playbook(tg, mini):
    add(tg, "A", "--owner", "zhang")
    r = tg("handoff", "A", "--to", "zhang")
    assert r.exit_code == 1 and "defines no stages" in r.stderr


# --- tg clients edit --stage and add --stage: the same line as tg handoff -------------------------


def _line(testdb) -> list[tuple]:
    with session(testdb) as s:
        return [(e.stage, e.owner, e.created_by, e.left_at is None)
                for e in s.exec(select(StageEntry).order_by(StageEntry.id)).all()]


def test_edit_stage_is_recorded_on_the_line_as_a_handoff_is(tg, testdb, monkeypatch):
    add(tg, "A", "--owner", "zhang")
    add(tg, "B", "--owner", "zhang")
    monkeypatch.setenv("TG_USER", "li")
    r = ok(tg, "clients", "edit", "A", "--stage", "qualify", "--city", "杭州")
    assert "stage: Lead → Qualify" in r.stderr
    ok(tg, "handoff", "B", "--to", "zhang", "--stage", "qualify")
    with session(testdb) as s:  # the same entries, whichever command moved the client
        by_client = {cid: [(e.stage, e.owner, e.created_by, e.left_at is None) for e in s.exec(
            select(StageEntry).where(StageEntry.client_id == cid).order_by(StageEntry.id)).all()] for cid in (1, 2)}
    assert by_client[1] == by_client[2] == [("lead", "zhang", "li", False), ("qualify", "zhang", "li", True)]
    shown = tg.json("clients", "show", "A", "-f", "json")["client"]
    assert (shown["stage"], shown["owner"], shown["city"], shown["updated_by"]) == ("qualify", "zhang", "杭州", "li")
    # a new owner with the move: the entry is theirs; a stage given by its name is stored as its code
    r = ok(tg, "clients", "edit", "A", "--stage", "Propose", "--owner", "wang")
    assert "stage: Qualify → Propose" in r.stderr
    packet = tg.json("handoff", "A", "--to", "wang", "--new-user", "--stage", "negotiate", "-f", "json")
    assert [(s["stage"], s["owner"], s["left_at"] is None) for s in packet["stages"]] == [
        ("lead", "zhang", False), ("qualify", "zhang", False), ("propose", "wang", False), ("negotiate", "wang", True)]
    assert packet["handoff"]["from_stage"] == "propose" and packet["handoff"]["from_owner"] == "wang"
    # the board counts days from the move, the funnel and the credit split read the same line
    board = {r["client"]: r for r in tg.json("pipeline", "-f", "json")}
    assert board["A"]["entered_at"] == packet["stages"][-1]["entered_at"]
    funnel = {r["stage"]: r for r in tg.json("report", "funnel", "-f", "json")}
    assert funnel["propose"]["reached"] == 1 and funnel["qualify"]["reached"] == 2
    ok(tg, "deals", "add", "A", "--bundle", "new_year_pack", "--qty", "50", "--amount", "10000")
    ok(tg, "deals", "won", "1")
    credit = {r["owner"]: r for r in tg.json("report", "credit", "-f", "json")["rows"]}
    assert credit["wang"]["stages"]["propose"] == 2500 and credit["zhang"]["stages"]["qualify"] == 1500


def test_edit_stage_follows_the_lines_rules_and_writes_nothing_when_refused(tg, testdb):
    add(tg, "A", "--owner", "zhang", "--city", "宁波")
    r = tg("clients", "edit", "A", "--stage", "negotiat", "--city", "杭州")
    assert r.exit_code == 2
    assert r.stderr.strip() == ("tg: unknown stage 'negotiat'; known: lead, qualify, propose, negotiate, won, lost, "
                                "deliver; closest: negotiate")
    r = tg("--lang", "zh", "clients", "edit", "A", "--stage", "nope")
    assert r.exit_code == 2 and "未知阶段 'nope'" in r.stderr and "lead, qualify, propose" in r.stderr
    r = tg("clients", "edit", "A", "--stage", "negotiate", "--city", "杭州")  # Propose may not be skipped
    assert r.exit_code == 1 and "does not let Propose be skipped" in r.stderr and "nothing changed" in r.stderr
    assert count(testdb, StageEntry) == 0
    shown = tg.json("clients", "show", "A", "-f", "json")["client"]
    assert (shown["stage"], shown["city"], shown["updated_by"]) == ("lead", "宁波", "tester")
    assert [a["action"] for a in tg.json("history", "A", "-f", "json")] == ["insert"]
    # the stage it is in already: no move, nothing on the line; the other fields still change
    r = ok(tg, "clients", "edit", "A", "--stage", "lead", "--city", "杭州")
    assert "stage:" not in r.stderr and count(testdb, StageEntry) == 0
    # skippable stages jumped over are said, as tg handoff says them
    r = ok(tg, "clients", "edit", "A", "--stage", "propose")
    assert "skipped: Qualify" in r.stderr
    assert _line(testdb) == [("lead", "zhang", "tester", False), ("propose", "zhang", "tester", True)]


def test_edit_stage_without_stages_in_the_playbook(tg, testdb, mini):
    add(tg, "A")
    r = tg("clients", "edit", "A", "--stage", "qualify", "--city", "杭州")
    assert r.exit_code == 1 and "defines no stages" in r.stderr
    shown = tg.json("clients", "show", "A", "-f", "json")["client"]
    assert (shown["stage"], shown["city"]) == ("lead", None) and count(testdb, StageEntry) == 0
    r = tg("clients", "add", "B", "--stage", "qualify")
    assert r.exit_code == 1 and "defines no stages" in r.stderr and testdb.count("client") == 1


def test_add_stage_is_checked_and_its_first_move_dates_it_from_creation(tg, testdb):
    r = tg("clients", "add", "A", "--stage", "propse")
    assert r.exit_code == 2 and "unknown stage 'propse'" in r.stderr and "closest: propose" in r.stderr
    assert testdb.count("client") == 0
    add(tg, "A", "--stage", "Propose", "--owner", "zhang")  # by name: stored as the code
    # No entry at creation: a client that never moved is in its first stage since it was created
    # (the board and the history say so), and its first move records that stage from then.
    assert count(testdb, StageEntry) == 0
    created = tg.json("clients", "show", "A", "-f", "json")["client"]["created_at"]
    (row,) = tg.json("pipeline", "-f", "json")
    assert (row["stage"], row["entered_at"]) == ("propose", created)
    ok(tg, "clients", "edit", "A", "--stage", "negotiate")
    history = tg.json("handoff", "A", "--to", "zhang", "--stage", "won", "-f", "json")["stages"]
    assert [(s["stage"], s["owner"]) for s in history] == [("propose", "zhang"), ("negotiate", "zhang"),
                                                           ("won", "zhang")]
    assert history[0]["entered_at"] == created


# --- tg pipeline and tg report credit ------------------------------------------------------------


def test_pipeline_board(tg, testdb):
    add(tg, "A", "--owner", "zhang", "--segment", "welfare")
    add(tg, "B", "--owner", "li", "--segment", "office", "--stage", "propose")
    ok(tg, "deals", "add", "B", "--bundle", "ergonomic_desk", "--qty", "10", "--amount", "9000")
    rows = tg.json("pipeline", "-f", "json")
    assert [(r["stage"], r["client"], r["open_value"], r["age_days"]) for r in rows] == [
        ("lead", "A", 0.0, 0), ("propose", "B", 9000.0, 0)]
    assert [r["client"] for r in tg.json("pipeline", "--owner", "li", "-f", "json")] == ["B"]
    assert [r["client"] for r in tg.json("pipeline", "--segment", "welfare", "-f", "json")] == ["A"]
    rows = list(csv.DictReader(io.StringIO(ok(tg, "pipeline", "-f", "csv").stdout)))
    assert rows[1]["open_value"] == "9000"
    table = ok(tg, "pipeline").stdout
    assert "Propose" in table and "¥9,000" in table
    r = tg("pipeline", "--owner", "nobody")
    assert r.exit_code == 1 and "no user 'nobody'" in r.stderr
    r = tg("pipeline", "--segment", "retail")
    assert r.exit_code == 2 and "unknown segment" in r.stderr


def test_report_credit_splits_won_revenue_by_stage_owner(tg, testdb):
    add(tg, "A", "--owner", "zhang", "--segment", "welfare")
    ok(tg, "deals", "add", "A", "--bundle", "new_year_pack", "--qty", "50", "--amount", "10000")
    ok(tg, "handoff", "A", "--to", "zhang", "--stage", "propose")  # qualify skipped: nobody owned it
    ok(tg, "handoff", "A", "--to", "li", "--new-user")
    ok(tg, "deals", "won", "1")
    data = tg.json("report", "credit", "-f", "json")
    rows = {r["owner"]: r for r in data["rows"]}
    assert rows["zhang"]["stages"]["lead"] == 1000 and rows["zhang"]["stages"]["propose"] == 2500
    assert rows["li"]["total"] == 3000
    assert rows[None]["stages"] == {"lead": 0, "qualify": 1500, "propose": 0, "negotiate": 0, "deliver": 2000}
    assert data["won_total"] == 10000 and round(sum(r["share"] for r in data["rows"]), 6) == 1
    only = tg.json("report", "credit", "--owner", "li", "-f", "json")["rows"]
    assert [r["owner"] for r in only] == ["li"]
    assert tg.json("report", "credit", "--segment", "office", "-f", "json")["rows"] == []
    rows = list(csv.DictReader(io.StringIO(ok(tg, "report", "credit", "-f", "csv").stdout)))
    assert rows[0]["owner"] == "zhang" and rows[0]["total"] == "3500"
    table = ok(tg, "report", "credit").stdout
    assert "1 won deal(s), ¥10,000 in all" in table and "no one owned that stage" in table
    r = tg("report", "credit", "--owner", "lii")
    assert r.exit_code == 1 and "closest: li" in r.stderr


def test_the_board_lists_lost_clients_after_the_line_runs_out():
    from tuangou_cli import stageline
    from tuangou_cli.playbook import load_playbook

    pb = load_playbook()
    order = [s.code for s in stageline.board_order(pb)]
    assert order[-1] == "lost" and order.index("won") < order.index("deliver")
    assert sorted(order) == sorted(s.code for s in pb.stages)
