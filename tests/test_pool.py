"""The lead pool (公海): each reclaim rule and exemption on hand-made facts, claims and their caps,
releases, assignments and the sweep through tg on every engine, a simulated 90 days with the
clock moved by TG_TODAY, and on PostgreSQL a rep's role that cannot take a client by plain SQL."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from tuangou_cli import pool
from tuangou_cli.errors import PlaybookInvalid, TgError, UsageError
from tuangou_cli.playbook import PoolRules, default_playbook_path, parse_playbook

from .test_rls import as_role, team  # noqa: F401  (the fixture: a schema and roles of our own)
from .test_rls_writes import refused

RULES = PoolRules.model_validate({
    "reclaim": {"A": {"no_activity_days": 60, "no_open_deal_days": 120, "no_win_months": 24},
                "C": {"no_activity_days": 30, "no_open_deal_days": 60, "no_win_months": 12}},
    "warn_days": 7, "reclaim_wait_days": 30, "claims_per_day": 2, "max_held": 3})
D0 = date(2027, 1, 1)


def facts(**kw) -> pool.ClientFacts:
    base = dict(client_id=1, name="市税务局", owner="li", cls="C", held_since=D0)
    return pool.ClientFacts(**{**base, **kw})


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def one_line_error(result, code: int = 1) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.stderr
    return lines[0]


# --- the rules, pure ---------------------------------------------------------------------------


def test_add_months_keeps_inside_the_month():
    assert pool.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert pool.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert pool.add_months(date(2027, 3, 15), -12) == date(2026, 3, 15)
    assert pool.add_months(date(2027, 11, 30), 2) == date(2028, 1, 30)


def test_no_activity_counts_from_the_later_of_taking_it_and_the_last_activity():
    v = pool.assess(facts(), RULES, D0)
    assert (v.rule, v.due, v.code) == ("no_activity", D0 + timedelta(days=30), "no_activity:C:30d")
    v = pool.assess(facts(last_activity=D0 + timedelta(days=10)), RULES, D0)
    assert v.due == D0 + timedelta(days=40)
    # an activity from before the owner took it does not count for them
    v = pool.assess(facts(last_activity=D0 - timedelta(days=100)), RULES, D0)
    assert v.due == D0 + timedelta(days=30)


def test_the_class_sets_the_days():
    assert pool.assess(facts(cls="A"), RULES, D0).due == D0 + timedelta(days=60)
    assert pool.assess(facts(cls="B"), RULES, D0).rule is None, "a class without rules is never reclaimed"


def test_no_open_deal_reclaims_an_active_client_that_sells_nothing():
    busy = PoolRules.model_validate({"reclaim": {"C": {"no_activity_days": 30, "no_open_deal_days": 45}}})
    v = pool.assess(facts(last_activity=D0 + timedelta(days=29), last_deal=D0 + timedelta(days=5)), busy, D0)
    assert (v.rule, v.due) == ("no_open_deal", D0 + timedelta(days=50))


def test_no_win_in_months():
    slow = PoolRules.model_validate({"exempt": {"won_within_months": None},
                                     "reclaim": {"C": {"no_win_months": 3}}})
    assert pool.assess(facts(), slow, D0).due == date(2027, 4, 1)
    v = pool.assess(facts(last_win=date(2027, 2, 10)), slow, date(2027, 3, 1))
    assert (v.rule, v.due, v.code) == ("no_win", date(2027, 5, 10), "no_win:C:3m")


@pytest.mark.parametrize("kw, why", [({"open_deals": 1}, "open_deal"),
                                     ({"last_win": D0 + timedelta(days=200)}, "recent_win"),
                                     ({"pending_payment": True}, "pending_payment")])
def test_exemptions_keep_the_client(kw, why):
    today = D0 + timedelta(days=400)
    v = pool.assess(facts(**kw), RULES, today)
    assert (v.exempt, v.due, pool.is_due(v, today)) == (why, None, False)


def test_a_win_older_than_the_exemption_does_not_keep_it():
    today = D0 + timedelta(days=400)
    v = pool.assess(facts(last_win=D0 - timedelta(days=800)), RULES, today)
    assert v.exempt is None and pool.is_due(v, today)


def test_warned_within_warn_days_then_due():
    v = pool.assess(facts(), RULES, D0)
    assert not pool.is_warned(v, D0 + timedelta(days=22), RULES)
    assert pool.is_warned(v, D0 + timedelta(days=23), RULES) and v.days_left(D0 + timedelta(days=23)) == 7
    assert pool.is_warned(v, D0 + timedelta(days=29), RULES)
    assert not pool.is_warned(v, D0 + timedelta(days=30), RULES) and pool.is_due(v, D0 + timedelta(days=30))


def claimable(**kw) -> pool.ClaimFacts:
    return pool.ClaimFacts(**{**dict(client_id=7, name="市一中", owner=None, claims_today=0, held=0), **kw})


@pytest.mark.parametrize("kw, words", [
    ({"owner": "wang"}, "wang holds it"),
    ({"owner": "li"}, "li's already"),
    ({"left_on": D0 - timedelta(days=29)}, "claimable again from 2027-01-02"),
    ({"claims_today": 2}, "daily cap"),
    ({"held": 3}, "the cap is 3"),
])
def test_claim_refusals(kw, words):
    with pytest.raises(TgError, match=re.escape(words)):
        pool.check_claim(claimable(**kw), "li", RULES, D0)


def test_a_claim_the_rules_allow():
    pool.check_claim(claimable(left_on=D0 - timedelta(days=30), claims_today=1, held=2), "li", RULES, D0)


def test_filters_are_checked():
    assert pool.parse_filters(["city=杭州", "class=a"]) == {"city": "杭州", "class": "A"}
    for bad in ("city", "colour=red", "class=D", "city="):
        with pytest.raises(UsageError):
            pool.parse_filters([bad])


def test_a_release_needs_a_reason():
    for blank in (None, "", "  \n "):
        with pytest.raises(UsageError):
            pool.clean_reason(blank)
    assert pool.clean_reason(" moved\nto Shanghai ") == "moved to Shanghai"


# --- the playbook section ---------------------------------------------------------------------


def shipped() -> str:
    return default_playbook_path().read_text(encoding="utf-8")


def test_the_shipped_playbook_has_pool_rules():
    pb = parse_playbook(shipped())
    assert set(pb.pool.reclaim) == {"A", "B", "C"} and pb.pool.reclaim["C"].no_activity_days == 30


def test_a_bad_pool_section_is_refused_with_its_line():
    text = shipped()
    line = text.splitlines().index("  warn_days: 7                 # the owner is warned a week before") + 1
    with pytest.raises(PlaybookInvalid) as info:
        parse_playbook(text.replace("  warn_days: 7 ", "  warn_days: 40"), "p.yaml")
    assert info.value.details[0].startswith("p.yaml:") and "warn_days (40) must be shorter" in info.value.details[0]
    with pytest.raises(PlaybookInvalid) as info:
        parse_playbook(text.replace("  claims_per_day: 5", "  claims_per_day: 0"), "p.yaml")
    assert info.value.details[0].startswith("p.yaml:") and "pool.claims_per_day" in info.value.details[0]
    with pytest.raises(PlaybookInvalid) as info:
        parse_playbook(text.replace("    C: {no_activity_days: 30", "    D: {no_activity_days: 30"), "p.yaml")
    assert "pool.reclaim.D" in info.value.details[0]
    assert line > 1


# --- through tg ---------------------------------------------------------------------------------


@pytest.fixture
def rules_file(tmp_path, monkeypatch):
    """The shipped playbook with small caps: two claims a day, three clients held at most."""
    text = shipped().replace("  claims_per_day: 5", "  claims_per_day: 2").replace("  max_held: 200", "  max_held: 3")
    path = tmp_path / "pool_playbook.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("TG_PLAYBOOK", str(path))
    return path


def at(monkeypatch, day: date, user: str | None = None) -> None:
    monkeypatch.setenv("TG_TODAY", day.isoformat())
    if user:
        monkeypatch.setenv("TG_USER", user)


def add(tg, name: str, owner: str, **opts) -> int:
    args = ["clients", "add", name, "--owner", owner]
    for k, v in opts.items():
        args += [f"--{k}", v]
    return int(ok(tg(*args)).stdout)


def owners(tg) -> dict[str, str | None]:
    return {c["name"]: c["owner"] for c in tg.json("clients", "list", "-f", "json")}


def events(testdb) -> int:
    return testdb.count("pool_event")


@pytest.fixture
def pooled(tg, testdb, rules_file, monkeypatch):
    """Five clients of wang's, added on D0 and reclaimed (no activity) on D0 + 30."""
    at(monkeypatch, D0, "boss")
    ids = [add(tg, n, "wang", city=c) for n, c in
           (("市税务局", "杭州"), ("市一中", "杭州"), ("市人民医院", "宁波"), ("农商银行", "杭州"), ("市总工会", "宁波"))]
    at(monkeypatch, D0 + timedelta(days=30))
    out = ok(tg("pool", "sweep")).stdout
    assert out.count("no_activity:C:30d") == 5
    return ids


def test_sweep_is_idempotent_and_every_move_is_on_the_audit_trail(tg, testdb, pooled, monkeypatch):
    assert set(owners(tg).values()) == {None}
    again = ok(tg("pool", "sweep"))
    assert again.stdout == "" and "0 reclaimed" in again.stderr
    assert events(testdb) == 5
    history = tg.json("history", str(pooled[0]), "-f", "json")
    moves = [h for h in history if h["table"] == "pool_event"]
    assert [(m["action"], m["by"], m["changes"]) for m in moves] == [
        ("reclaim", "boss", {"owner": ["wang", None], "rule": [None, "no_activity:C:30d"]})]
    assert any(h["table"] == "client" and h["changes"].get("owner") == ["wang", None] for h in history)
    # the stage line records the move: the stage the client is in, now nobody's
    stages = testdb.rows("SELECT owner, left_at IS NULL FROM stage_entry WHERE client_id = :c ORDER BY id",
                         c=pooled[0])
    assert stages == [("wang", False), (None, True)]


def test_pool_list_filters_and_formats(tg, pooled):
    rows = tg.json("pool", "list", "-f", "json")
    assert [r["client_id"] for r in rows] == pooled
    assert {(r["last_owner"], r["rule"], r["cls"], r["days_in_pool"]) for r in rows} == {
        ("wang", "no_activity:C:30d", "C", 0)}
    assert [r["client"] for r in tg.json("pool", "list", "--filter", "city=宁波", "-f", "json")] == ["市人民医院",
                                                                                                    "市总工会"]
    assert tg.json("pool", "list", "--filter", "class=A", "-f", "json") == []
    csv = ok(tg("pool", "list", "-f", "csv")).stdout.splitlines()
    assert csv[0].lstrip("\ufeff").startswith("client_id,client,") and len(csv) == 6
    assert "市税务局" in ok(tg("pool", "list")).stdout
    assert "not valid" in one_line_error(tg("pool", "list", "--filter", "colour=red"), 2)


def test_claim_caps_wait_and_holder(tg, testdb, pooled, monkeypatch):
    day = D0 + timedelta(days=31)
    at(monkeypatch, day, "li")
    ok(tg("pool", "claim", str(pooled[0])))
    ok(tg("pool", "claim", str(pooled[1])))
    before = events(testdb)
    assert "daily cap" in one_line_error(tg("pool", "claim", str(pooled[2])))
    assert events(testdb) == before and owners(tg)["市人民医院"] is None, "nothing written"
    at(monkeypatch, day + timedelta(days=1))
    ok(tg("pool", "claim", str(pooled[2])))
    assert "the cap is 3" in one_line_error(tg("pool", "claim", str(pooled[3])))
    # someone else's client; the previous owner inside the wait
    at(monkeypatch, day + timedelta(days=1), "zhao")
    assert "li holds it" in one_line_error(tg("pool", "claim", str(pooled[0])))
    at(monkeypatch, day + timedelta(days=1), "wang")
    assert "claimable again from 2027-03-02" in one_line_error(tg("pool", "claim", str(pooled[4])))
    at(monkeypatch, date(2027, 3, 2), "wang")
    ok(tg("pool", "claim", str(pooled[4])))
    assert owners(tg) == {"市税务局": "li", "市一中": "li", "市人民医院": "li", "农商银行": None, "市总工会": "wang"}
    claims = testdb.rows("SELECT client_id, to_owner, day FROM pool_event WHERE action = 'claim' ORDER BY id")
    assert [(c, o) for c, o, _ in claims] == [(pooled[0], "li"), (pooled[1], "li"), (pooled[2], "li"),
                                              (pooled[4], "wang")]


def test_release_needs_a_reason_and_its_owner(tg, testdb, pooled, monkeypatch):
    at(monkeypatch, D0 + timedelta(days=31), "li")
    ok(tg("pool", "claim", str(pooled[0])))
    before = events(testdb)
    assert "reason" in one_line_error(tg("pool", "release", str(pooled[0])), 2)
    assert "reason" in one_line_error(tg("pool", "release", str(pooled[0]), "--reason", "  "), 2)
    at(monkeypatch, D0 + timedelta(days=31), "zhao")
    assert "only its owner" in one_line_error(tg("pool", "release", str(pooled[0]), "--reason", "x"))
    assert events(testdb) == before and owners(tg)["市税务局"] == "li"
    at(monkeypatch, D0 + timedelta(days=31), "li")
    assert "back in the pool" in ok(tg("pool", "release", str(pooled[0]), "--reason", "moved away")).stderr
    (row,) = testdb.rows("SELECT action, from_owner, to_owner, reason FROM pool_event ORDER BY id DESC LIMIT 1")
    assert row == ("release", "li", None, "moved away")
    assert "left you on 2027-02-01" in one_line_error(tg("pool", "claim", str(pooled[0])))


def test_assign_by_a_manager_and_an_unknown_user(tg, testdb, pooled, monkeypatch):
    at(monkeypatch, D0 + timedelta(days=31), "boss")
    assert "no user 'nobody-here'" in one_line_error(tg("pool", "assign", str(pooled[0]), "--to", "nobody-here"))
    ok(tg("pool", "assign", str(pooled[0]), "--to", "wang"))
    assert owners(tg)["市税务局"] == "wang"
    assert testdb.rows('SELECT action, rule, "by" FROM pool_event ORDER BY id DESC LIMIT 1') == [
        ("assign", "manager", "boss")]


@pytest.mark.parametrize("args", [("pool", "sweep"), ("pool", "claim", "1"), ("pool", "list"),
                                  ("handover", "--from", "wang", "--to-pool")])
def test_a_bad_tg_today_is_one_line(tg, testdb, monkeypatch, args):
    add(tg, "市税务局", "wang")
    monkeypatch.setenv("TG_TODAY", "2027-02-30")
    assert "TG_TODAY" in one_line_error(tg(*args), 2)
    assert events(testdb) == 0


def test_warnings_for_the_agenda_and_the_digest(tg, testdb, rules_file, monkeypatch):
    from tuangou_cli.db import open_store
    from tuangou_cli.playbook import load_playbook
    from tuangou_cli.store.pool import ReclaimWarning, reclaim_warnings

    at(monkeypatch, D0, "boss")
    a, b = add(tg, "市税务局", "wang"), add(tg, "市一中", "li")
    at(monkeypatch, D0 + timedelta(days=5))
    ok(tg("log", str(b), "回访", "--type", "call"))
    store = open_store(testdb.url)
    try:
        with store.read() as session:
            rows = reclaim_warnings(session, load_playbook().pool, "wang", D0 + timedelta(days=25))
            assert rows == [ReclaimWarning(a, "市税务局", "wang", "C", "no_activity", "no_activity:C:30d",
                                           D0 + timedelta(days=30), 5)]
            assert reclaim_warnings(session, load_playbook().pool, "li", D0 + timedelta(days=25)) == []
            assert [w.client_id for w in reclaim_warnings(session, load_playbook().pool, None,
                                                          D0 + timedelta(days=29))] == [a, b]
    finally:
        store.engine.dispose()
    at(monkeypatch, D0 + timedelta(days=25), "wang")
    assert [w["client_id"] for w in tg.json("pool", "warnings", "-f", "json")] == [a]
    assert [w["client_id"] for w in tg.json("pool", "warnings", "--all", "-f", "json")] == [a]
    assert [w["client_id"] for w in tg.json("pool", "warnings", "--user", "WANG", "-f", "json")] == [a]
    assert "no user 'nobody'" in one_line_error(tg("pool", "warnings", "--user", "nobody"))
    assert "goes back on 2027-01-31" not in ok(tg("pool", "warnings", "--user", "li")).stdout
    assert "市税务局" in ok(tg("pool", "warnings")).stdout
    digest = tg.json("digest", "-f", "json")  # the owner's daily digest says it too
    pool = digest["sections"]["pool"]
    assert [i["client_id"] for i in pool] == [a] and pool[0]["due"] == "2027-01-31"


def test_an_open_deal_and_a_recent_win_keep_the_client(tg, testdb, rules_file, monkeypatch):
    at(monkeypatch, D0, "boss")
    kept, won, lost = add(tg, "市税务局", "wang"), add(tg, "市一中", "wang"), add(tg, "市总工会", "wang")
    ok(tg("deals", "add", str(kept), "--bundle", "steamer_family", "--qty", "20"))
    deal = ok(tg("deals", "add", str(won), "--bundle", "steamer_family", "--qty", "20")).stdout.strip()
    ok(tg("deals", "won", deal))
    at(monkeypatch, D0 + timedelta(days=200))
    out = ok(tg("pool", "sweep")).stdout
    assert "市总工会" in out and "市税务局" not in out and "市一中" not in out
    assert owners(tg) == {"市税务局": "wang", "市一中": "wang", "市总工会": None}
    assert lost == testdb.scalar("SELECT client_id FROM pool_event")


def test_ninety_days_warned_reclaimed_and_claimed(tg, testdb, rules_file, monkeypatch):
    """wang holds three clients from D0. One has an open deal and a call every ten days; the
    second he visits once on day 20; the third never. Each day ends with the sweep (as cron
    would run it): the third is warned from day 23 and reclaimed on day 30; wang may not take it
    back within 30 days; li claims it on day 31, calls on day 45 (warned from day 68) and lets it
    go on day 70, when wang's wait is over and he claims it again. The second goes on day 50."""
    at(monkeypatch, D0, "boss")
    kept, once, never = add(tg, "市税务局", "wang"), add(tg, "市一中", "wang"), add(tg, "市总工会", "wang")
    ok(tg("deals", "add", str(kept), "--bundle", "steamer_family", "--qty", "20"))
    log: dict[int, tuple[list[str], list[str]]] = {}
    for n in range(91):
        today = D0 + timedelta(days=n)
        if n % 10 == 0:
            at(monkeypatch, today, "wang")
            ok(tg("log", str(kept), f"第{n}天回访", "--type", "call"))
        if n == 20:
            at(monkeypatch, today, "wang")
            ok(tg("log", str(once), "问年终福利", "--type", "visit"))
        if n == 31:
            at(monkeypatch, today, "wang")
            assert "claimable again from 2027-03-02" in one_line_error(tg("pool", "claim", str(never)))
            at(monkeypatch, today, "li")
            ok(tg("pool", "claim", str(never)))
        if n == 45:
            at(monkeypatch, today, "li")
            ok(tg("log", str(never), "介绍新品", "--type", "call"))
        if n == 55:
            at(monkeypatch, today, "wang")
            assert "claimable again from 2027-03-22" in one_line_error(tg("pool", "claim", str(once)))
        if n == 70:
            at(monkeypatch, today, "li")
            ok(tg("pool", "release", str(never), "--reason", "not our kind of buyer"))
            at(monkeypatch, today, "wang")
            ok(tg("pool", "claim", str(never)))
        at(monkeypatch, today, "boss")
        result = tg.json("pool", "sweep", "-f", "json")
        log[n] = ([m["client"] for m in result["reclaimed"]], [w["client"] for w in result["warned"]])
    assert [n for n, (_, w) in log.items() if "市总工会" in w] == [*range(23, 30), 68, 69]
    assert [n for n, (r, _) in log.items() if "市总工会" in r] == [30]
    assert [n for n, (_, w) in log.items() if "市一中" in w] == list(range(43, 50))
    assert [n for n, (r, _) in log.items() if "市一中" in r] == [50]
    assert not any("市税务局" in r or "市税务局" in w for r, w in log.values()), "an open deal keeps it"
    assert owners(tg) == {"市税务局": "wang", "市一中": None, "市总工会": "wang"}
    moves = [(a, f, t, str(d)) for a, f, t, d in
             testdb.rows("SELECT action, from_owner, to_owner, day FROM pool_event ORDER BY id")]
    assert moves == [("reclaim", "wang", None, "2027-01-31"), ("claim", None, "li", "2027-02-01"),
                     ("reclaim", "wang", None, "2027-02-20"), ("release", "li", None, "2027-03-12"),
                     ("claim", None, "wang", "2027-03-12")]


# --- PostgreSQL: the database enforces the claim rules ------------------------------------------------


@pytest.mark.postgresql_only("row-level security is PostgreSQL's")
def test_a_rep_cannot_take_a_client_outside_the_claim_rules_by_sql(tg, team, monkeypatch):
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    url, r = team
    ok(tg("--db", url, "db", "setup-rls", "--rep", r["a"], "--rep", r["b"], "--manager", r["boss"],
          "--rep-group", r["rep"], "--manager-group", r["mgr"]))
    ids = [int(ok(tg("--db", url, "clients", "add", n, "--owner", r["b"])).stdout)
           for n in ("市税务局", "市一中", "市人民医院", "农商银行")]
    mine = int(ok(tg("--db", url, "clients", "add", "市总工会", "--owner", r["a"])).stdout)
    ok(tg("--db", url, "log", str(ids[0]), "B's notes on the tender", "--type", "call"))
    monkeypatch.delenv("TG_USER")
    admin = create_engine(url)
    rep = create_engine(as_role(url, r["a"]))
    try:
        with admin.begin() as conn:  # three of B's go to the pool; the caps, as a manager's sweep writes them
            conn.execute(text("UPDATE client SET owner = NULL WHERE id IN (:x, :y, :z)"),
                         {"x": ids[0], "y": ids[1], "z": ids[2]})
            conn.execute(text("UPDATE pool_setting SET value = 1 WHERE name = 'claims_per_day'"))
        with rep.connect() as conn:
            seen = set(conn.execute(text("SELECT id FROM client")).scalars())
            assert seen == {ids[0], ids[1], ids[2], mine}, "the pool and their own, not B's"
            assert conn.execute(text("SELECT count(*) FROM activity")).scalar() == 0, \
                "a pool client's history waits for a claim"
            roads = {
                "a pool client taken by UPDATE": refused(conn, "UPDATE client SET owner = :me WHERE id = :id",
                                                         me=r["a"], id=ids[0]),
                "a colleague's client taken by UPDATE": refused(
                    conn, "UPDATE client SET owner = :me WHERE id = :id", me=r["a"], id=ids[3]),
                "a claim written into pool_event": refused(conn, (
                    "INSERT INTO pool_event (client_id, client_name, action, to_owner, rule, day, at, \"by\") "
                    "VALUES (:id, 'x', 'claim', :me, 'claim', current_date, now(), :me)"), id=ids[0], me=r["a"]),
                "the caps changed": refused(conn, "UPDATE pool_setting SET value = 100"),
                "claiming in a colleague's name": refused(
                    conn, "SELECT tg_pool_claim(:other, :id, current_date, now())", other=r["b"], id=ids[0]),
                "a held client claimed by the function": refused(
                    conn, "SELECT tg_pool_claim(:me, :id, current_date, now())", me=r["a"], id=ids[3]),
            }
            assert [road for road, no in roads.items() if not no] == []
        with rep.begin() as conn:  # the honest road, straight to the function: one claim a day
            conn.execute(text("SELECT tg_pool_claim(:me, :id, current_date, now())"), {"me": r["a"], "id": ids[0]})
        with rep.connect() as conn:
            with pytest.raises(DBAPIError, match="daily cap"):
                # a date far from today does not buy another claim: a rep's claim is dated by the server
                conn.execute(text("SELECT tg_pool_claim(:me, :id, DATE '2030-01-01', now())"),
                             {"me": r["a"], "id": ids[1]})
        with admin.connect() as conn:
            assert conn.execute(text("SELECT owner FROM client WHERE id = :i"), {"i": ids[0]}).scalar() == r["a"]
            assert conn.execute(text("SELECT owner FROM client WHERE id = :i"), {"i": ids[1]}).scalar() is None
            assert conn.execute(text("SELECT action, to_owner, \"by\" FROM pool_event")).all() == [
                ("claim", r["a"], r["a"])]
            assert {row[0] for row in conn.execute(text(
                "SELECT table_name FROM audit WHERE client_id = :i AND action IN ('update', 'claim')"),
                {"i": ids[0]})} >= {"client", "pool_event"}
    finally:
        rep.dispose()
        admin.dispose()

    # through tg, as the rep: the next claim is the database's refusal in one line; a release works,
    # and the wait keeps them from taking it back.
    A = as_role(url, r["a"])
    assert "daily cap" in one_line_error(tg("--db", A, "pool", "claim", str(ids[1])))
    ok(tg("--db", A, "pool", "release", str(ids[0]), "--reason", "not our buyer"))
    assert str(ids[0]) in {str(x["client_id"]) for x in tg.json("--db", A, "pool", "list", "-f", "json")}
    assert "claimable again" in one_line_error(tg("--db", A, "pool", "claim", str(ids[0])))
    B = as_role(url, r["b"])
    ok(tg("--db", B, "pool", "claim", str(ids[0])))
    # the manager assigns past every cap; the tables' owner claims in a name that is no role, on tg's date
    ok(tg("--db", as_role(url, r["boss"]), "pool", "assign", str(ids[2]), "--to", r["a"]))
    monkeypatch.setenv("TG_USER", "tester")
    monkeypatch.setenv("TG_TODAY", "2031-05-06")
    ok(tg("--db", url, "pool", "claim", str(ids[1])))
    with create_engine(url).connect() as conn:
        assert conn.execute(text("SELECT to_owner, day FROM pool_event ORDER BY id DESC LIMIT 1")).one() == (
            "tester", date(2031, 5, 6))


# --- the migration ------------------------------------------------------------------------------


@pytest.mark.fresh_db
def test_the_upgrade_from_0008_keeps_the_clients_and_adds_the_pool(testdb):
    from sqlalchemy import create_engine, text

    from tuangou_cli.db import open_store
    from tuangou_cli.migrations import HEAD, upgrade

    engine = create_engine(testdb.url)
    with engine.begin() as conn:
        upgrade(conn, "0008")
        conn.execute(text("INSERT INTO client (name, name_key, stage, owner, created_at, updated_at, created_by, "
                          "updated_by) VALUES ('老客户', '老客户', 'lead', 'wang', '2026-01-01 00:00:00', "
                          "'2026-01-01 00:00:00', 'a', 'a')"))
    with engine.begin() as conn:  # as tg db upgrade does (a server is upgraded on purpose)
        upgrade(conn)
    engine.dispose()
    store = open_store(testdb.url)
    try:
        assert store.schema_version() == HEAD
        with store.read() as s:
            conn = s.connection()
            assert conn.execute(text("SELECT name, owner FROM client")).all() == [("老客户", "wang")]
            assert conn.execute(text("SELECT count(*) FROM pool_event")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM pool_setting")).scalar() == 0
    finally:
        store.engine.dispose()
