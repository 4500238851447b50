"""tg agenda --format ics (read back with icalendar: an event and an alarm per follow-up) and
tg export contacts --format vcf (read back as vCard 3.0: unfolded, unescaped)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tuangou_cli import calendars

TODAY = "2027-01-10"


def ok(tg, *args):
    r = tg(*args)
    assert r.exit_code == 0, r.stderr
    return r


@pytest.fixture
def followups(tg, monkeypatch):
    monkeypatch.setenv("TG_TODAY", TODAY)
    ok(tg, "clients", "add", "--owner", "li", "--", "市税务局")
    ok(tg, "clients", "add", "--owner", "wang", "--", "市工会")
    ok(tg, "log", "市税务局", "called", "-t", "call", "--next", "回电确认数量, 下午", "--due", "2027-01-12")
    ok(tg, "log", "市税务局", "letter", "-t", "letter", "--next", "发正式报价", "--due", "2027-01-07")
    ok(tg, "log", "市税务局", "visit", "-t", "visit", "--next", "undated, left out")
    ok(tg, "log", "市工会", "called", "-t", "call", "--next", "约领导见面", "--due", "2027-01-10")
    ok(tg, "log", "市税务局", "called", "-t", "call", "--next", "节前回访", "--due", "2027-03-01")


def test_agenda_as_ics_parses_back_with_an_alarm_per_followup(tg, followups, tmp_path):
    from icalendar import Calendar

    out = tmp_path / "li.ics"
    r = ok(tg, "agenda", "--user", "li", "-o", str(out))
    assert f"3 follow-ups written to {out}" in r.stderr
    cal = Calendar.from_ical(out.read_bytes())
    events = list(cal.walk("VEVENT"))
    # overdue first (on today), then by due date, however far ahead (the listing stops at a week)
    assert [str(e["uid"]) for e in events] == ["followup-2@tg", "followup-1@tg", "followup-5@tg"]
    overdue, later, far = events
    assert far.decoded("dtstart").date() == date(2027, 3, 1)
    assert str(overdue["summary"]) == "[3 days overdue] Follow up 市税务局: 发正式报价"
    start = overdue.decoded("dtstart")
    assert (start.date(), start.hour, start.minute, str(start.tzinfo)) == (date(2027, 1, 10), 9, 0, "Asia/Shanghai")
    assert later.decoded("dtstart").date() == date(2027, 1, 12)
    assert later.decoded("dtend") - later.decoded("dtstart") == timedelta(minutes=30)
    assert str(later["summary"]) == "Follow up 市税务局: 回电确认数量, 下午"  # the comma survives escaping
    for e in events:
        alarms = [c for c in e.subcomponents if c.name == "VALARM"]
        assert len(alarms) == 1
        assert str(alarms[0]["action"]) == "DISPLAY" and alarms[0].decoded("trigger") == timedelta(minutes=-15)
    assert [c.name for c in cal.subcomponents].count("VTIMEZONE") == 1
    raw = out.read_bytes()
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))


def test_agenda_ics_to_stdout_and_for_everyone(tg, followups):
    from icalendar import Calendar

    r = ok(tg, "agenda", "--format", "ics", "--all")
    cal = Calendar.from_ical(r.stdout_bytes)
    assert len(list(cal.walk("VEVENT"))) == 4 and len(list(cal.walk("VALARM"))) == 4
    assert str(cal["x-wr-calname"]) == "tg follow-ups · the team"
    mine = Calendar.from_ical(ok(tg, "agenda", "--format", "ics").stdout_bytes)  # the current user's, as the listing
    assert str(mine["x-wr-calname"]) == "tg follow-ups · tester" and len(list(mine.walk("VEVENT"))) < 4


def test_agenda_ics_bad_input(tg, followups, tmp_path):
    r = tg("agenda", "-f", "csv", "-o", str(tmp_path / "x.ics"))
    assert r.exit_code == 2 and "writes an .ics calendar only" in r.stderr
    r = tg("agenda", "--user", "lii", "-f", "ics")
    assert r.exit_code == 1 and "no user 'lii'" in r.stderr and r.stdout == ""
    assert not (tmp_path / "x.ics").exists()


def test_reminder_time_and_alarm_are_playbook_data(tg, followups, tmp_path):
    from icalendar import Calendar

    from tuangou_cli.playbook import default_playbook_path

    text = default_playbook_path().read_text(encoding="utf-8")
    text = text.replace('reminder_time: "09:00"', 'reminder_time: "14:30"').replace("alarm_minutes: 15",
                                                                                   "alarm_minutes: 60")
    pb = tmp_path / "pb.yaml"
    pb.write_text(text.replace("time_zone: Asia/Shanghai", "time_zone: Asia/Urumqi"), encoding="utf-8")
    cal = Calendar.from_ical(ok(tg, "--playbook", str(pb), "agenda", "-f", "ics", "--all").stdout_bytes)
    event = next(iter(cal.walk("VEVENT")))
    assert event.decoded("dtstart").hour == 14 and str(event.decoded("dtstart").tzinfo) == "Asia/Urumqi"
    assert next(iter(cal.walk("VALARM"))).decoded("trigger") == timedelta(minutes=-60)
    pb.write_text(text.replace("time_zone: Asia/Shanghai", "time_zone: Mars/Olympus"), encoding="utf-8")
    r = tg("--playbook", str(pb), "agenda", "-f", "ics")
    assert r.exit_code == 1 and "unknown time zone 'Mars/Olympus'" in r.stderr


def test_followup_events_pure():
    rows = [{"id": 1, "due": "2027-01-01"}, {"id": 2, "due": None}, {"id": 3, "due": "2027-02-01"}]
    assert [(e["id"], e["day"]) for e in calendars.followup_events(rows, today=date(2027, 1, 10))] == [
        (1, date(2027, 1, 10)), (3, date(2027, 2, 1))]


# --- vCard -----------------------------------------------------------------------------------------


def read_vcards(text: str) -> list[dict[str, list[tuple[str, str]]]]:
    """A strict vCard 3.0 reader for the test: CRLF lines, unfolded, values unescaped."""
    assert "\n" not in text.replace("\r\n", "")
    lines: list[str] = []
    for line in text.split("\r\n"):
        if line.startswith(" "):
            lines[-1] += line[1:]
        elif line:
            lines.append(line)
    cards, card = [], None
    for line in lines:
        name, _, value = line.partition(":")
        if line == "BEGIN:VCARD":
            card = {}
        elif line == "END:VCARD":
            cards.append(card)
            card = None
        else:
            key, _, params = name.partition(";")
            out, i = [], 0
            while i < len(value):
                if value[i] == "\\":
                    out.append({"n": "\n", "N": "\n"}.get(value[i + 1], value[i + 1]))
                    i += 2
                else:
                    assert value[i] not in ",;" or key == "N", line  # unescaped separators only in N
                    out.append(value[i])
                    i += 1
            card.setdefault(key, []).append((params, "".join(out)))
    return cards


def test_contacts_as_vcard_read_back(tg, tmp_path):
    ok(tg, "clients", "add", "--", "杭州汽车配件厂工会; 总部")
    ok(tg, "contacts", "add", "杭州汽车配件厂工会; 总部", "孙伟", "--title", "工会主席, 副处长",
       "--phone", "138 0000 1111, 0571-8888 6666", "--role", "decision-maker")
    ok(tg, "contacts", "add", "杭州汽车配件厂工会; 总部", "张" * 40, "--role", "user")
    out = tmp_path / "c.vcf"
    r = ok(tg, "export", "contacts", "-o", str(out))
    assert f"2 row(s) to {out}" in r.stderr
    raw = out.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    first, second = read_vcards(raw.decode("utf-8"))
    assert first["VERSION"] == [("", "3.0")]
    assert first["FN"] == [("", "孙伟")] and first["ORG"] == [("", "杭州汽车配件厂工会; 总部")]
    assert first["TITLE"] == [("", "工会主席, 副处长")] and first["ROLE"] == [("", "Decision-maker")]
    assert first["TEL"] == [("TYPE=WORK,VOICE", "138 0000 1111"), ("TYPE=WORK,VOICE", "0571-8888 6666")]
    assert second["FN"] == [("", "张" * 40)] and "TEL" not in second and "TITLE" not in second
    assert ok(tg, "export", "contacts", "--format", "vcf").stdout_bytes == raw


def test_vcf_is_for_contacts_only(tg):
    r = tg("export", "clients", "--format", "vcf")
    assert r.exit_code == 2 and "vCard (vcf) is for contacts only" in r.stderr
    r = tg("export", "contacts", "--format", "vcf", "--excel")
    assert r.exit_code == 2


def test_fold_never_splits_a_character():
    line = "NOTE:" + "客户" * 60
    folded = calendars.fold(line)
    parts = folded.split("\r\n ")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts) and "".join(parts) == line
    assert calendars.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
