"""tg digest: a rep's and the team's items, escalation past the playbook's days, the formats, and
the push to a group robot (a local HTTP server checks each platform's payload); bad inputs."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tuangou_cli import webhook
from tuangou_cli.errors import UsageError

TODAY = "2027-01-10"
LONG_AGO = datetime(2026, 12, 1, tzinfo=timezone.utc)  # midnight: idle days do not hang on the time of day
RECENT = datetime(2027, 1, 9, tzinfo=timezone.utc)


def ok(tg, *args):
    r = tg(*args)
    assert r.exit_code == 0, r.stderr
    return r


def add(tg, name: str, owner: str) -> int:
    return int(ok(tg, "clients", "add", "--owner", owner, "--", name).stdout)


def stamp(testdb, when: datetime, *, clients: list[int] | None = None) -> None:
    """Every row's creation time (or those of ``clients`` and what hangs on them) set to ``when``:
    how long an account sat idle is then the test's, not the wall clock's."""
    from sqlmodel import select

    from tuangou_cli.models import Activity, Client, StageEntry

    with testdb.session() as s:
        for model, key in ((Client, "id"), (Activity, "client_id"), (StageEntry, "client_id")):
            for row in s.exec(select(model)).all():
                if clients is None or getattr(row, key) in clients:
                    if model is StageEntry:
                        row.entered_at = when
                    else:
                        row.created_at = when
                    s.add(row)
        s.commit()


@pytest.fixture
def day(monkeypatch):
    monkeypatch.setenv("TG_TODAY", TODAY)


@pytest.fixture
def team_data(tg, testdb, day):
    """li: one follow-up today, one 2 days overdue, one 9 days overdue (past the 3 escalation days),
    an idle account; wang: one today."""
    a = add(tg, "市税务局", "li")
    b = add(tg, "市一医院", "li")
    c = add(tg, "市工会", "wang")
    idle = add(tg, "久未联系的学校", "li")
    ok(tg, "log", "市税务局", "called", "-t", "call", "--next", "回电确认数量", "--due", "2027-01-10")
    ok(tg, "log", "市一医院", "visited", "-t", "visit", "--next", "送样品", "--due", "2027-01-08")
    ok(tg, "log", "市税务局", "letter", "-t", "letter", "--next", "发正式报价", "--due", "2027-01-01")
    ok(tg, "log", "市工会", "called", "-t", "call", "--next", "约领导见面", "--due", "2027-01-10")
    stamp(testdb, RECENT)
    stamp(testdb, LONG_AGO, clients=[idle])  # lead rots after 14 days
    return {"a": a, "b": b, "c": c, "idle": idle}


def test_a_reps_digest(tg, team_data):
    d = tg.json("digest", "--user", "li", "-f", "json")
    s = d["sections"]
    assert (d["user"], d["team"], d["escalation_days"]) == ("li", False, 3)
    assert [i["text"] for i in s["today"]] == ["回电确认数量"]
    assert [(i["text"], i["days"], i["escalated"]) for i in s["overdue"]] == [("发正式报价", 9, True),
                                                                              ("送样品", 2, False)]
    assert [(i["client"], i["days"], i["limit"]) for i in s["rotting"]] == [("久未联系的学校", 40, 14)]
    assert s["rewards"] == []
    text = ok(tg, "digest", "--user", "li").stdout
    assert "Daily digest · li · 2027-01-10" in text
    assert "发正式报价 (follow-up #3), 9 days overdue, escalated" in text
    assert "市工会" not in text  # wang's


def test_the_managers_digest_escalates_past_the_playbooks_days(tg, team_data):
    d = tg.json("digest", "--team", "-f", "json")
    s = d["sections"]
    assert list(s) == ["escalated", "today", "overdue", "rotting", "pool", "rewards"]
    assert [(i["owner"], i["text"]) for i in s["escalated"]] == [("li", "发正式报价")]
    assert [i["text"] for i in s["overdue"]] == ["送样品"]  # each follow-up listed once
    assert sorted(i["owner"] for i in s["today"]) == ["li", "wang"]
    assert {r["owner"]: r["overdue"] for r in d["by_owner"]} == {"li": 2, "wang": 0}


def test_escalation_days_are_playbook_data(tg, team_data, tmp_path, monkeypatch):
    from tuangou_cli.playbook import default_playbook_path

    text = default_playbook_path().read_text(encoding="utf-8").replace("escalation_days: 3", "escalation_days: 10")
    pb = tmp_path / "pb.yaml"
    pb.write_text(text, encoding="utf-8")
    d = json.loads(ok(tg, "--playbook", str(pb), "digest", "--team", "-f", "json").stdout)
    assert d["escalation_days"] == 10 and d["sections"]["escalated"] == []
    bad = text.replace("escalation_days: 10", "escalation_days: -1")
    pb.write_text(bad, encoding="utf-8")
    r = tg("--playbook", str(pb), "digest")
    assert r.exit_code == 1 and "digest.escalation_days" in r.stderr


def test_markdown_pastes_into_wechat(tg, team_data):
    md = ok(tg, "--lang", "zh", "digest", "--team", "-f", "markdown").stdout
    lines = md.splitlines()
    assert lines[0] == "## 每日简报 · 全队 · 2027-01-10"
    assert "### 需经理关注的逾期跟进（1）" in lines
    assert "- li · #%d 市税务局：发正式报价（跟进 #3），逾期 9 天" % team_data["a"] in lines
    # headings, bullets and blank lines only: no table, no column padding
    assert all(not line or line.startswith(("## ", "### ", "- ")) or line.startswith("逾期超过") for line in lines)
    assert not any("  " in line or "|" in line for line in lines)


def test_an_unknown_user_and_both_scopes_are_refused(tg, team_data):
    r = tg("digest", "--user", "lii")
    assert r.exit_code == 1 and "no user 'lii'" in r.stderr and "closest: li" in r.stderr
    r = tg("digest", "--user", "li", "--team")
    assert r.exit_code == 2 and "not both" in r.stderr


# --- the group robots ---------------------------------------------------------------------------------


class Robot:
    """A local HTTP server standing in for a group robot: keeps each request, answers as told."""

    def __init__(self, status: int = 200, answer: dict | None = None):
        self.requests: list[dict] = []
        self.status, self.answer = status, answer if answer is not None else {"errcode": 0, "errmsg": "ok"}
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.requests.append({"path": self.path, "type": self.headers["Content-Type"],
                                       "json": json.loads(body.decode("utf-8"))})
                data = json.dumps(robot.answer).encode()
                self.send_response(robot.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=SECRET-KEY-123456"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    made: list[Robot] = []

    def make(**kw) -> Robot:
        made.append(Robot(**kw))
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.mark.timeout(60)
def test_push_in_each_platforms_format(tg, team_data, robot):
    server = robot()
    for platform in ("wecom", "dingtalk", "feishu"):
        r = ok(tg, "digest", "--user", "li", "--push", server.url, "--to", platform)
        assert "Daily digest · li" in r.stdout  # printed as well
        assert f"digest posted to 127.0.0.1 ({platform})" in r.stderr
        assert "SECRET-KEY" not in r.output
    wecom, dingtalk, feishu = (q["json"] for q in server.requests)
    assert all(q["type"].startswith("application/json") and q["path"].endswith("key=SECRET-KEY-123456")
               for q in server.requests)
    assert wecom["msgtype"] == "markdown" and wecom["markdown"]["content"].startswith("## Daily digest · li")
    assert len(wecom["markdown"]["content"].encode()) <= 4096
    assert dingtalk["msgtype"] == "markdown" and dingtalk["markdown"]["title"] == "Daily digest · li · 2027-01-10"
    assert "- #%d 市税务局: 发正式报价" % team_data["a"] in dingtalk["markdown"]["text"]
    assert feishu["msg_type"] == "text" and feishu["content"]["text"].startswith("Daily digest · li")
    assert "##" not in feishu["content"]["text"]


@pytest.mark.timeout(60)
def test_the_webhook_held_in_the_config_is_never_printed(tg, team_data, robot, tmp_path, monkeypatch):
    server = robot()
    monkeypatch.setenv("TG_CONFIG", str(tmp_path / "config.toml"))
    r = ok(tg, "config", "set", "digest.webhook", server.url)
    assert "SECRET-KEY" not in r.output and "http://127.0.0.1/***" in r.stderr
    ok(tg, "config", "set", "digest.to", "dingtalk")
    assert "SECRET-KEY" not in ok(tg, "config", "get").output
    assert ok(tg, "config", "get", "digest.webhook").stdout.strip() == "http://127.0.0.1/***"
    assert "SECRET-KEY" not in ok(tg, "config", "get", "-f", "json").output
    from tuangou_cli import config

    assert config.read()["digest.webhook"] == server.url  # kept whole in the file, quoted as one key
    config.apply_config()
    try:
        r = ok(tg, "digest", "--to", "wecom")  # --to alone: the configured URL
        assert server.requests[-1]["json"]["msgtype"] == "markdown"
        monkeypatch.setenv("TG_DIGEST_TO", "feishu")
        r = ok(tg, "digest", "--push", server.url)
        assert server.requests[-1]["json"]["msg_type"] == "text"
        assert "SECRET-KEY" not in r.output
    finally:  # apply_config wrote the environment itself: undone here, not by monkeypatch
        import os

        for var in config.FILLED:
            os.environ.pop(var, None)
        config.FILLED.clear()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("status, answer, message", [
    (500, {"error": "boom"}, "answered HTTP 500"),
    (200, {"errcode": 93000, "errmsg": "invalid webhook url"}, "refused the digest: 93000 invalid webhook url"),
    (200, {"code": 19001, "msg": "param invalid"}, "refused the digest: 19001 param invalid"),
])
def test_a_robot_that_answers_an_error_is_one_line_and_the_digest_still_printed(tg, team_data, robot, status,
                                                                               answer, message):
    server = robot(status=status, answer=answer)
    r = tg("digest", "--user", "li", "--push", server.url, "--to", "wecom")
    assert r.exit_code == 1
    assert "Daily digest · li" in r.stdout
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "SECRET-KEY" not in r.output and "Traceback" not in r.output


def test_a_webhook_that_is_not_https_is_refused_before_anything_is_sent(tg, team_data):
    for url, words in (("http://robot.example.com/send?key=SECRET-KEY-123456", "must use https"),
                       ("ftp://127.0.0.1/x", "must use https"), ("not a url", "not a valid URL")):
        r = tg("digest", "--push", url, "--to", "wecom")
        assert r.exit_code == 2 and words in r.stderr, r.stderr
        assert r.stdout == "" and "SECRET-KEY" not in r.output
    r = tg("config", "set", "digest.webhook", "http://robot.example.com/send")
    assert r.exit_code == 2 and "must use https" in r.stderr
    r = tg("digest", "--to", "wecom")
    assert r.exit_code == 2 and "no webhook" in r.stderr


def test_unreachable_robot(tg, team_data):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = tg("digest", "--push", f"http://localhost:{port}/send?key=SECRET-KEY-123456", "--to", "feishu")
    assert r.exit_code == 1 and "could not reach the group robot at localhost" in r.stderr
    assert "Daily digest" in r.stdout and "SECRET-KEY" not in r.output


def test_url_rules_and_payloads_pure():
    assert webhook.check_url(" https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k ").startswith("https://")
    for local in ("http://localhost:8080/x", "http://127.0.0.1/x", "http://[::1]:9/x"):
        assert webhook.check_url(local) == local
    with pytest.raises(UsageError, match="https"):
        webhook.check_url("http://10.0.0.1/x")
    assert webhook.payload("feishu", "t", "b") == {"msg_type": "text", "content": {"text": "b"}}
    assert webhook._refused(b'{"errcode":0,"errmsg":"ok"}') is None
    assert webhook._refused(b'{"code":0,"msg":"success"}') is None
    assert webhook._refused(b'{"StatusCode":0}') is None
    assert webhook._refused(b"not json") is None


def test_a_long_digest_fits_a_robots_limit():
    from datetime import date

    from tuangou_cli.digest import Digest, Item, Section, fitted

    items = [Item("overdue", "li", i, "很长的客户名称" * 5, "送样品并确认数量", ref=i, days=5) for i in range(300)]
    d = Digest(date(2027, 1, 10), "li", False, 3, [Section("overdue", items)])
    body = fitted(d, "markdown", currency="¥", max_bytes=4096)
    assert len(body.encode("utf-8")) <= 4096 and "… and" in body
