"""Referrals as a programme: rules, lifecycle, rewards ledger, chains (default playbook's incentives)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tuangou_cli.store import referrals as programme
from tuangou_cli.store import clients as st
from tuangou_cli.db import open_store
from tuangou_cli.errors import TgError
from tuangou_cli.models import Deal, Referral, Reward, utcnow
from tuangou_cli.playbook import load_playbook


@pytest.fixture
def pb():
    return load_playbook()


@pytest.fixture
def db(db_url):
    store = open_store(db_url)
    yield store
    store.engine.dispose()


def clients(db, *names, **fields):
    with db.write() as s:
        return [st.create_client(s, name=n, user="t", **fields).id for n in names]


def refer(db, pb, a, b, **kw):
    with db.write() as s:
        return programme.record_referral(s, referrer=s.get(st.Client, a), referred=s.get(st.Client, b), user="t",
                                         playbook=pb, **kw).id


def win(db, pb, client_id, amount, when=None):
    with db.write() as s:
        deal = Deal(client_id=client_id, quantity=1, amount=amount, status="won", closed_at=when or utcnow(),
                    created_by="t")
        s.add(deal)
        s.flush()
        programme.on_deal_won(s, deal, user="t", playbook=pb)
        return deal.id


def rewards(db):
    with db.read() as s:
        return [(r.referrer_id, r.amount, r.status) for r in s.exec(programme.select(Reward).order_by(Reward.id)).scalars()]


def test_first_won_deal_converts_and_reward_falls_due(db, pb):
    a, b = clients(db, "A", "B")
    rid = refer(db, pb, a, b)
    assert rewards(db) == [(a, 0.0, "pending")]
    win(db, pb, b, 100_000)
    assert rewards(db) == [(a, 3000.0, "due")], "3% commission"
    win(db, pb, b, 50_000)  # a second order converts nothing more
    assert rewards(db) == [(a, 3000.0, "due")]
    with db.read() as s:
        r = s.get(Referral, rid)
        assert r.status == "won" and r.converted_at is not None


def test_caps_per_referral_and_per_referrer_year(db, pb):
    a, b, c, d, e, f = clients(db, "A", "B", "C", "D", "E", "F")
    for x in (b, c, d, e, f):
        refer(db, pb, a, x)
    for x in (b, c, d, e, f):
        win(db, pb, x, 1_000_000)  # 3% = 30,000, capped at 5,000 a referral
    amounts = [amt for _, amt, status in rewards(db)]
    assert amounts == [5000.0, 5000.0, 5000.0, 5000.0, 0.0], "20,000 a year per referrer"


def test_outside_the_window_voids(db, pb):
    a, b = clients(db, "A", "B")
    rid = refer(db, pb, a, b)
    with db.write() as s:
        s.get(Referral, rid).created_at = utcnow() - timedelta(days=200)
    win(db, pb, b, 10_000)
    assert rewards(db) == [(a, 0.0, "voided")]


def test_rules_refused_with_their_reason(db, pb):
    a, b, c = clients(db, "A", "B", "C")
    refer(db, pb, a, b)
    refer(db, pb, b, c)
    with pytest.raises(TgError, match="cycle"):
        refer(db, pb, c, a)
    with pytest.raises(TgError, match="first referrer keeps the credit"):
        refer(db, pb, c, b)
    refer(db, pb, c, b, credited=False)  # kept for the record, without credit
    head, branch1, branch2 = clients(db, "Bank HQ", "Bank East", "Bank West")
    with db.write() as s:
        s.get(st.Client, branch1).parent_id = head
        s.get(st.Client, branch2).parent_id = head
    with pytest.raises(TgError, match="same group"):
        refer(db, pb, branch1, branch2)
    with pytest.raises(TgError, match="unknown incentive"):
        refer(db, pb, a, head, incentive_code="bribe")


def test_lifecycle_forward_only_unless_forced(db, pb):
    a, b = clients(db, "A", "B")
    rid = refer(db, pb, a, b)
    with db.write() as s:
        r = s.get(Referral, rid)
        programme.set_status(s, r, "contacted", user="t", playbook=pb)
        programme.set_status(s, r, "meeting", user="t", playbook=pb)
        with pytest.raises(TgError, match="cannot go back"):
            programme.set_status(s, r, "introduced", user="t", playbook=pb)
        programme.set_status(s, r, "introduced", user="t", playbook=pb, force=True)
        programme.set_status(s, r, "lost", user="t", playbook=pb)
    assert rewards(db) == [(a, 0.0, "voided")]


def test_ledger_grant_and_reversal(db, pb):
    a, b = clients(db, "A", "B")
    refer(db, pb, a, b)
    win(db, pb, b, 10_000)
    with db.write() as s:
        reward = s.exec(programme.select(Reward)).scalars().one()
        programme.grant(s, reward, user="boss")
        with pytest.raises(TgError, match="only a due reward"):
            programme.grant(s, reward, user="boss")
        reversal = programme.void(s, reward, user="boss", reason="order refunded")
        assert reversal.amount == -300.0 and reversal.reverses_id == reward.id
        assert reward.status == "granted" and reward.amount == 300.0, "a granted entry is never edited"
        with pytest.raises(TgError, match="already reversed"):
            programme.void(s, reward, user="boss", reason="again")


def test_tree_and_branch_totals(db, pb):
    a, b, c, d = clients(db, "A", "B", "C", "D")
    refer(db, pb, a, b)
    refer(db, pb, b, c)
    refer(db, pb, a, d)
    win(db, pb, c, 700)
    win(db, pb, b, 300)
    with db.read() as s:
        nodes = programme.tree(s, a)
        assert [(n["id"], n["link"], n["depth"]) for n in nodes] == [(b, a, 1), (d, a, 1), (c, b, 2)]
        totals = programme.branch_totals(nodes, a)
        assert totals[b] == 1000 and totals[d] == 0
        assert [n["id"] for n in programme.tree(s, a, depth=1)] == [b, d]
        assert [n["id"] for n in programme.tree(s, c, up=True)] == [b, a]


def test_report_numbers(db, pb):
    a, b, c = clients(db, "A", "B", "C")
    refer(db, pb, a, b)
    refer(db, pb, a, c)
    win(db, pb, b, 10_000)
    with db.read() as s:
        (row,) = programme.report(s)
    assert (row["introduced"], row["converted"], row["conversion_rate"], row["converted_value"]) == (2, 1, 0.5, 10000)
    assert row["rewards_due"] == 300.0 and row["median_days_to_convert"] is not None


# --- through the CLI --------------------------------------------------------------------------------------


def test_cli_status_tree_rewards(tg, db, pb):
    a, b = clients(db, "市税务局", "市国税局")
    assert tg("refer", "市税务局", "市国税局", "--contact", "王科长").exit_code == 0
    r = tg("referrals", "status", "1", "contacted", "--note", "called")
    assert r.exit_code == 0 and "introduced → contacted" in r.stderr
    back = tg("referrals", "status", "1", "introduced")
    assert back.exit_code == 1 and "--force" in back.stderr
    bad = tg("referrals", "status", "1", "married")
    assert bad.exit_code == 2
    win(db, pb, b, 20_000)
    (reward,) = tg.json("rewards", "list", "--due", "-f", "json")
    assert reward["amount"] == 600.0 and reward["status"] == "due"
    assert tg("rewards", "grant", str(reward["id"])).exit_code == 0
    again = tg("rewards", "grant", str(reward["id"]))
    assert again.exit_code == 1 and "only a due reward" in again.stderr
    v = tg("rewards", "void", str(reward["id"]), "--reason", "refund")
    assert v.exit_code == 0 and "reversing entry" in v.stderr
    assert [x["amount"] for x in tg.json("export", "rewards", "-f", "json")] == [600.0, -600.0]
    tree = tg.json("referrals", "tree", "市税务局", "-f", "json")
    assert [(n["name"], n["won"]) for n in tree["nodes"]] == [("市国税局", 20000.0)]
    text = tg("referrals", "tree", "市税务局")
    assert text.exit_code == 0 and "市国税局" in text.stdout
    up = tg("referrals", "tree", "市国税局", "--up")
    assert "市税务局" in up.stdout
    listed = tg.json("referrals", "list", "-f", "json")
    assert listed[0]["contact"] == "王科长" and listed[0]["status"] == "won"


def test_cli_unknown_rule_is_a_usage_error(tg, db):
    clients(db, "A", "B")
    r = tg("refer", "A", "B", "--rule", "bribe")
    assert r.exit_code == 2 and "unknown incentive rule" in r.stderr


def test_cli_parent_organisation_blocks_referrals_in_the_group(tg, db):
    clients(db, "华夏银行总行", "华夏银行杭州分行", "华夏银行宁波分行")
    assert tg("clients", "edit", "华夏银行杭州分行", "--parent", "华夏银行总行").exit_code == 0
    assert tg("clients", "edit", "华夏银行宁波分行", "--parent", "华夏银行总行").exit_code == 0
    r = tg("refer", "华夏银行杭州分行", "华夏银行宁波分行")
    assert r.exit_code == 1 and "same group" in r.stderr
    loop = tg("clients", "edit", "华夏银行总行", "--parent", "华夏银行杭州分行")
    assert loop.exit_code == 2 and "loop" in loop.stderr


def test_pitch_opens_with_who_introduced_them(tg, db, mini):
    clients(db, "市税务局")
    assert tg("contacts", "add", "市税务局", "王科长", "--role", "influencer", "--strength", "4").exit_code == 0
    assert tg("refer", "市税务局", "市国税局", "--yes", "--contact", "王科长").exit_code == 0
    tg.json("classify", "市国税局", "-a", "purpose=staff", "-f", "json")
    data = tg.json("pitch", "市国税局", "-f", "json")
    assert data["account"]["introduced_by"]["referrer"] == "市税务局"
    assert data["account"]["introduced_by"]["contact"] == "王科长"
    text = tg("pitch", "市国税局")
    assert "Introduced by" in text.stdout and "市税务局 through 王科长" in text.stdout


def test_tg_deals_won_converts_the_referral(tg, db):
    clients(db, "市税务局")
    assert tg("refer", "市税务局", "市国税局", "--yes").exit_code == 0
    assert tg("deals", "add", "市国税局", "--bundle", "steamer_family", "--qty", "100").exit_code == 0
    r = tg("deals", "won", "1")
    assert r.exit_code == 0 and "converted" in r.stderr
    (reward,) = tg.json("rewards", "list", "--due", "-f", "json")
    deal = tg.json("deals", "list", "-f", "json")[0]
    assert reward["amount"] == round(min(deal["amount"] * 0.03, 5000), 2)
    assert tg.json("referrals", "list", "-f", "json")[0]["status"] == "won"
