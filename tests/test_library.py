"""The case library, the pareto and funnel reports, demo data."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tuangou_cli import analysis
from tuangou_cli.demo import generate
from tuangou_cli.playbook import load_playbook


def add_client(tg, name, *opts) -> int:
    r = tg("clients", "add", *opts, "--", name)
    assert r.exit_code == 0, r.stderr
    return int(r.stdout)


def add_case(tg, *opts) -> int:
    r = tg("cases", "add", *opts)
    assert r.exit_code == 0, r.stderr
    return int(r.stdout)


# --- cases -----------------------------------------------------------------------------------


def test_cases_add_list_and_search_in_both_languages(tg):
    cid = add_client(tg, "市税务局", "--segment", "welfare", "--industry", "政府")
    steam = add_case(tg, "--title", "税务局年终福利：挂烫机 120 台", "--outcome", "won", "--client", "市税务局",
                     "--decided-by", "局长", "--technique", "给领导写信：冰箱西服都发过了，今年发什么？",
                     "--lesson", "先提出主张的供应商定义品类")
    car = add_case(tg, "--title", "Fleet of 10 cars for a group", "--outcome", "won", "--segment", "office",
                   "--industry", "Government", "--technique", "Added ETIQUETTE training for the drivers")
    lost = add_case(tg, "--title", "Lost the bank's gift order", "--outcome", "LOST", "--segment", "gift",
                    "--lesson", "never met the real decision-maker; the training offer came too late")

    listed = tg.json("cases", "list", "-f", "json")
    assert [c["id"] for c in listed] == [lost, car, steam]  # newest first
    first = next(c for c in listed if c["id"] == steam)
    assert (first["segment"], first["industry"], first["client_id"], first["client"]) == ("welfare", "政府", cid,
                                                                                        "市税务局")
    assert [c["id"] for c in tg.json("cases", "list", "--outcome", "lost", "-f", "json")] == [lost]
    assert [c["id"] for c in tg.json("cases", "list", "--segment", "welfare", "-f", "json")] == [steam]

    assert [h["id"] for h in tg.json("cases", "search", "挂烫机", "-f", "json")] == [steam]
    assert [h["id"] for h in tg.json("cases", "search", "冰箱", "-f", "json")] == [steam]
    # case-insensitive, and full-width letters fold to half-width
    assert [h["id"] for h in tg.json("cases", "search", "ｅｔｉｑｕｅｔｔｅ", "-f", "json")] == [car]
    # ranked by the number of fields hit: 'training' is in car's technique only, lost's lesson only;
    # 'decision' narrows to one.
    hits = tg.json("cases", "search", "training", "-f", "json")
    assert {h["id"] for h in hits} == {car, lost} and hits[0]["id"] == car  # tie: a win first
    assert [h["id"] for h in tg.json("cases", "search", "training decision-maker", "-f", "json")] == [lost]
    hits = tg.json("cases", "search", "government", "-f", "json")
    assert hits[0]["matched"] == "industry"
    assert [h["id"] for h in tg.json("cases", "search", "training", "--segment", "gift", "-f", "json")] == [lost]

    r = tg("cases", "list")
    assert r.exit_code == 0 and "Lost the bank" in r.stdout


def test_cases_search_ranks_by_fields_hit(tg):
    one = add_case(tg, "--title", "A steamer deal", "--outcome", "won", "--segment", "welfare")
    two = add_case(tg, "--title", "Steamers again", "--outcome", "won", "--segment", "welfare",
                   "--technique", "a steamer demo at the union office", "--lesson", "show the steamer")
    hits = tg.json("cases", "search", "STEAMER", "-f", "json")
    assert [(h["id"], h["score"]) for h in hits] == [(two, 3), (one, 1)]


def test_cases_search_without_hits_says_so_and_exits_0(tg):
    add_case(tg, "--title", "x", "--outcome", "won")
    r = tg("cases", "search", "不存在的词")
    assert r.exit_code == 0 and "no case matches" in r.stderr and r.stdout == ""
    assert tg.json("cases", "search", "nothing", "-f", "json") == []
    r = tg("cases", "search", "nothing", "-f", "csv")
    assert r.exit_code == 0 and r.stdout.startswith("id,")


def test_cases_bad_input(tg):
    r = tg("cases", "add", "--title", "t", "--outcome", "draw")
    assert r.exit_code == 2 and "unknown outcome 'draw'" in r.stderr
    r = tg("cases", "add", "--title", "t", "--outcome", "won", "--segment", "retail")
    assert r.exit_code == 2 and "unknown segment 'retail'" in r.stderr
    r = tg("cases", "add", "--title", "  ", "--outcome", "won")
    assert r.exit_code == 2
    r = tg("cases", "add", "--title", "t", "--outcome", "won", "--client", "nobody")
    assert r.exit_code == 1 and "no client" in r.stderr
    r = tg("cases", "list", "--outcome", "maybe")
    assert r.exit_code == 2
    r = tg("cases", "search", "x", "--segment", "retail")
    assert r.exit_code == 2
    assert tg.json("cases", "list", "-f", "json") == []  # nothing written


def test_best_won_case_prefers_segment_then_industry_then_recent(tg):
    from tuangou_cli.store.cases import best_won_case
    from tuangou_cli.db import open_store, resolve_url

    old_seg = add_case(tg, "--title", "old welfare", "--outcome", "won", "--segment", "welfare")
    new_seg = add_case(tg, "--title", "new welfare", "--outcome", "won", "--segment", "welfare")
    add_case(tg, "--title", "lost welfare", "--outcome", "lost", "--segment", "welfare", "--industry", "银行")
    ind = add_case(tg, "--title", "bank office", "--outcome", "won", "--segment", "office", "--industry", "银行")
    both = add_case(tg, "--title", "older, but both", "--outcome", "won", "--segment", "gift", "--industry", "医疗")
    add_case(tg, "--title", "newer gift", "--outcome", "won", "--segment", "gift", "--industry", "教育")
    store = open_store(resolve_url(None))
    with store.read() as session:
        def best(seg, industry):
            c = best_won_case(session, seg, industry)
            return c.id if c else None

        assert best("welfare", "银行") == new_seg  # same segment beats same industry; newest wins
        assert best("welfare", None) == new_seg and old_seg < new_seg
        assert best("retail", "银行") == ind  # no segment match: same industry
        assert best("gift", "医疗") == both  # segment and industry beat a newer segment-only case
        assert best("retail", "农业") is None and best(None, None) is None


# --- reports ---------------------------------------------------------------------------------


def test_pareto_math_on_hand_made_numbers():
    # ten clients: 500, 200, 100, 80, 50, 30, 20, 10, 6, 4 → total 1000
    revs = [500, 200, 100, 80, 50, 30, 20, 10, 6, 4]
    report = analysis.pareto([(i + 1, f"c{i + 1}", None, None, float(r)) for i, r in enumerate(revs)]
                             + [(99, "zero", None, None, 0.0)])
    assert report.total == 1000 and len(report.rows) == 10  # a client without revenue does not count
    assert report.top_n == 2 and report.top_share == pytest.approx(0.70)
    assert [r.cumulative for r in report.rows] == pytest.approx(
        [0.5, 0.7, 0.8, 0.88, 0.93, 0.96, 0.98, 0.99, 0.996, 1.0])
    # A while the revenue before the client is under 80%: c1 (0), c2 (.5), c3 (.7);
    # B while under 95%: c4 (.8), c5 (.88), c6 (.93); C the rest: c7 (.96) onwards.
    assert "".join(r.abc for r in report.rows) == "AAABBBCCCC"
    assert report.classes["A"] == {"clients": 3, "revenue": 800, "share": 0.8}
    assert report.classes["B"]["revenue"] == 160 and report.classes["C"]["revenue"] == 40
    assert report.curve[0] == (0.1, 0.5) and report.curve[1] == (0.2, pytest.approx(0.7))
    assert report.curve[-1] == (1.0, pytest.approx(1.0))


def test_pareto_edge_cases():
    empty = analysis.pareto([])
    assert empty.rows == [] and empty.top_share == 0
    one = analysis.pareto([(1, "only", None, None, 10.0)])
    assert one.top_n == 1 and one.top_share == 1.0 and one.rows[0].abc == "A"


def seed_deals(rows):
    """rows: (name, segment, owner, stage, [(status, amount), ...], [stage history])"""
    from tuangou_cli.db import open_store, resolve_url
    from tuangou_cli.models import Deal, StageEntry
    from tuangou_cli.store import clients as st

    store = open_store(resolve_url(None))
    pb = load_playbook(None)
    with store.write() as session:
        st.sync_segments(session, pb)
        for name, segment, owner, stage, deals, history in rows:
            c = st.create_client(session, name=name, user="t", segment=segment, owner=owner, stage=stage)
            for status, amount in deals:
                session.add(Deal(client_id=c.id, quantity=1, amount=amount, status=status, created_by="t"))
            for s in history:
                session.add(StageEntry(client_id=c.id, stage=s, owner=owner, created_by="t"))
        session.flush()


def test_report_pareto_command_filters_and_formats(tg):
    seed_deals([
        ("Big", "welfare", "ann", "deliver", [("won", 600.0), ("won", 200.0), ("open", 999.0)], []),
        ("Mid", "office", "bob", "won", [("won", 150.0), ("lost", 500.0)], []),
        ("Small", "welfare", "bob", "won", [("won", 50.0)], []),
        ("None", "gift", "ann", "lead", [], []),
    ])
    out = tg.json("report", "pareto", "-f", "json")
    assert out["revenue"] == 1000 and out["clients"] == 3 and out["top_clients"] == 1
    assert out["top_share"] == 0.8
    assert [(r["client"], r["revenue"], r["abc"]) for r in out["rows"]] == [
        ("Big", 800, "A"), ("Mid", 150, "B"), ("Small", 50, "C")]
    assert [r["client"] for r in tg.json("report", "pareto", "--segment", "welfare", "-f", "json")["rows"]] == [
        "Big", "Small"]
    assert [r["client"] for r in tg.json("report", "pareto", "--owner", "bob", "-f", "json")["rows"]] == [
        "Mid", "Small"]
    r = tg("report", "pareto", "-f", "csv")
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0][:3] == ["rank", "client_id", "client"] and rows[1][2] == "Big" and len(rows) == 4
    r = tg("report", "pareto")
    assert r.exit_code == 0 and "top 20% of clients (1 of 3) bring 80.0%" in r.stdout and "█" in r.stdout
    r = tg("report", "pareto", "--segment", "retail")
    assert r.exit_code == 2 and "unknown segment" in r.stderr


def test_report_pareto_on_empty_database(tg):
    r = tg("report", "pareto")
    assert r.exit_code == 0 and "No won deals" in r.stdout
    assert tg.json("report", "pareto", "-f", "json")["rows"] == []


def test_report_funnel_counts_values_and_conversion(tg):
    seed_deals([
        ("A", "welfare", "ann", "lead", [], ["lead"]),
        ("B", "welfare", "ann", "propose", [("open", 300.0)], ["lead", "qualify", "propose"]),
        ("C", "office", "bob", "negotiate", [("open", 200.0), ("open", 100.0)], ["lead", "propose", "negotiate"]),
        ("D", "office", "bob", "lost", [("lost", 50.0)], ["lead", "qualify", "lost"]),
        ("E", "gift", "bob", "deliver", [("won", 70.0)], ["lead", "qualify", "propose", "negotiate", "won",
                                                            "deliver"]),
    ])
    rows = {r["stage"]: r for r in tg.json("report", "funnel", "-f", "json")}
    assert list(rows) == ["lead", "qualify", "propose", "negotiate", "won", "lost", "deliver"]  # playbook order
    assert rows["lead"]["clients"] == 1 and rows["propose"]["open_value"] == 300
    assert (rows["negotiate"]["open_deals"], rows["negotiate"]["open_value"]) == (2, 300)
    # reached: lead 5; qualify-or-later 4 (C skipped qualify but went further); propose 3; negotiate 2; won 1
    assert [rows[s]["reached"] for s in ("lead", "qualify", "propose", "negotiate", "won", "deliver")] == [
        5, 4, 3, 2, 1, 1]
    assert rows["lead"]["conversion_to_next"] == 0.8 and rows["propose"]["conversion_to_next"] == pytest.approx(
        0.6667, abs=1e-4)
    assert rows["lost"]["reached"] is None and rows["deliver"]["conversion_to_next"] is None
    only_bob = {r["stage"]: r for r in tg.json("report", "funnel", "--owner", "bob", "-f", "json")}
    assert only_bob["lead"]["reached"] == 3 and only_bob["propose"]["clients"] == 0
    welfare = {r["stage"]: r for r in tg.json("report", "funnel", "--segment", "welfare", "-f", "json")}
    assert welfare["lead"]["reached"] == 2 and welfare["propose"]["open_value"] == 300
    r = tg("report", "funnel", "-f", "csv")
    assert r.stdout.splitlines()[0] == "stage,name,clients,open_deals,open_value,reached,conversion_to_next"
    r = tg("report", "funnel")
    assert r.exit_code == 0 and "Negotiate" in r.stdout and "→ 80%" in r.stdout
    assert tg("report", "funnel", "--segment", "retail").exit_code == 2


# --- demo ------------------------------------------------------------------------------------


def test_demo_generator_is_reproducible_and_consistent():
    pb = load_playbook(None)
    day = date(2026, 1, 5)
    a = list(generate(pb, clients=120, seed=7, today=day))
    b = list(generate(pb, clients=120, seed=7, today=day))
    c = list(generate(pb, clients=120, seed=8, today=day))
    assert a == b and a != c
    tables = {}
    for table, rows in a:
        tables.setdefault(table, []).extend(rows)
    clients = {r["id"]: r for r in tables["client"]}
    assert len(clients) == 120 and {r["segment"] for r in clients.values()} == {"office", "welfare", "gift"}
    # referrals: one credited referrer per referred client, never itself, always an earlier client (no cycles)
    referred = [r["referred_id"] for r in tables["referral"]]
    assert len(referred) == len(set(referred))
    assert all(r["referrer_id"] < r["referred_id"] for r in tables["referral"])
    # deal amounts come from the playbook's tiered quote
    from tuangou_cli.recommend import quote

    for d in tables["deal"]:
        assert d["amount"] == float(quote(pb.bundle(d["bundle_code"]), clients[d["client_id"]]["headcount"]).total)
    assert {d["status"] for d in tables["deal"]} == {"open", "won", "lost"}
    assert all(d["lost_reason"] for d in tables["deal"] if d["status"] == "lost")
    # every client's stage line ends in its current stage
    last = {}
    for e in tables["stage_entry"]:
        last[e["client_id"]] = e
    assert all(last[cid]["stage"] == c["stage"] and last[cid]["left_at"] is None for cid, c in clients.items())
    assert any(a["due"] and not a["done"] for a in tables["activity"])
    assert tables["case_study"] and all(c["outcome"] in ("won", "lost") for c in tables["case_study"])


def test_demo_command_fills_refuses_and_forces(tg):
    r = tg("demo", "--clients", "60", "--seed", "3")
    assert r.exit_code == 0, r.stderr
    assert "60 clients" in r.stderr
    clients = tg.json("clients", "list", "-f", "json")
    assert len(clients) == 60
    assert tg.json("report", "pareto", "-f", "json")["clients"] > 0
    assert tg.json("cases", "list", "-f", "json")
    assert tg.json("referrals", "list", "-f", "json")

    r = tg("demo", "--clients", "5")
    assert r.exit_code == 1 and "--force" in r.stderr
    assert len(tg.json("clients", "list", "-f", "json")) == 60  # nothing written

    r = tg("demo", "--clients", "5", "--force")
    assert r.exit_code == 0, r.stderr
    assert len(tg.json("clients", "list", "-f", "json")) == 65  # added beside, nothing removed
    cid = add_client(tg, "after the demo")  # ids continue
    assert cid == 66


def test_demo_same_seed_same_data(tg, testdb):
    def dump():
        testdb.clear()  # an empty database each time, ids from 1
        assert tg("demo", "--clients", "40", "--seed", "11").exit_code == 0
        keep = ("id", "name", "industry", "city", "headcount", "budget_per_head", "segment", "stage", "owner")
        return ([{k: c[k] for k in keep} for c in tg.json("clients", "list", "-f", "json")],
                tg.json("report", "pareto", "-f", "json"), tg.json("report", "funnel", "-f", "json"))

    assert dump() == dump()
