"""The agenda as a calendar (iCalendar, .ics) and contacts as address-book cards (vCard 3.0).

The calendar is made with the icalendar library (imported here only): Outlook, WeCom, Google
and phone calendars read what it writes (escaping, folding, VTIMEZONE). Each follow-up is one
event at the playbook's reminder time on its due day, with a reminder alarm (VALARM); an
overdue one is put on today, where it still needs doing. Each event's UID is stable
(``followup-ID@tg``), so importing a newer file updates an event instead of adding it twice.

The cards are written by hand: vCard 3.0 (RFC 2426) for contacts needs a few properties, text
escaping and line folding, about forty lines; the Python libraries for it (vobject) are large,
parse far more than tg writes, and see little upkeep. tests/test_calendars.py reads the cards
back with a strict reader of its own.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Callable, Iterable, Sequence

from . import i18n

PRODID = "-//tg//tuangou sales assistant//ZH"


# --- the agenda as iCalendar ------------------------------------------------------------------


def followup_events(followups: Iterable[dict[str, Any]], *, today: date) -> list[dict[str, Any]]:
    """The follow-ups that go in a calendar — dated ones; an overdue one on today — pure."""
    out = []
    for f in followups:
        if not f.get("due"):
            continue
        due = date.fromisoformat(f["due"])
        out.append({**f, "day": max(due, today)})
    return out


def agenda_calendar(followups: Sequence[dict[str, Any]], rules: Any, *, today: date, stamp: datetime,
                    name: str) -> bytes:
    """The follow-ups as one VCALENDAR (bytes, CRLF lines): an event each, with its alarm."""
    from zoneinfo import ZoneInfo

    from icalendar import Alarm, Calendar, Event

    zone = ZoneInfo(rules.time_zone)
    hour, minute = (int(x) for x in rules.reminder_time.split(":"))
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", rules.time_zone)
    for f in followup_events(followups, today=today):
        start = datetime.combine(f["day"], time(hour, minute), zone)
        summary = i18n.t("cal.summary", client=f["client"], next=f["next_action"])
        if f.get("kind") == "overdue":
            summary = i18n.t("cal.overdue", days=f["days"]) + summary
        event = Event()
        event.add("uid", f"followup-{f['id']}@tg")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=rules.event_minutes))
        event.add("summary", summary)
        event.add("description", i18n.t("cal.description", id=f["id"], client_id=f["client_id"],
                                        client=f["client"], owner=f.get("owner") or "—", due=f["due"],
                                        next=f["next_action"]))
        event.add("categories", ["tg"])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", timedelta(minutes=-rules.alarm_minutes))
        event.add_component(alarm)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def agenda_ics(store: Callable, pb: Any, *, user: str | None, also: tuple[str, ...] = ()) -> tuple[bytes, int]:
    """tg agenda --format ics: (the calendar, how many events) for ``user``'s dated follow-ups
    (None: everyone's), however far ahead they are due."""
    from .clock import now, today
    from .store import digest as sd
    from .store import pipeline as ps

    day, stamp = today(), now()
    with store().read() as session:
        if user:
            user = ps.check_user(session, user, also=also)
        followups = sd.dated_followups(session, user=user, today=day)
    name = i18n.t("cal.name", who=user or i18n.t("digest.team"))
    body = agenda_calendar(followups, pb.digest, today=day, stamp=stamp, name=name)
    return body, len(followup_events(followups, today=day))


# --- contacts as vCard 3.0 --------------------------------------------------------------------

VCARD_COLUMNS = ("id", "client_id", "client", "name", "title", "phone", "role")


def escape(text: str) -> str:
    """A vCard 3.0 text value: backslash, comma, semicolon and line breaks escaped (RFC 2426 5.8.4)."""
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets (a break, then a space), never inside a character."""
    out, current = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not out else 74):
            out.append(current)
            current = b""
        current += b
    out.append(current)
    return "\r\n ".join(part.decode("utf-8") for part in out)


def vcard(contact: dict[str, Any], *, role_name: Callable[[str], str] = str) -> str:
    """One contact as a vCard 3.0 — pure. The organisation is its client."""
    name = " ".join(str(contact.get("name") or "").split()) or "?"
    lines = ["BEGIN:VCARD", "VERSION:3.0",
             f"UID:tg-contact-{contact['id']}",
             f"FN:{escape(name)}",
             f"N:{escape(name)};;;;",
             f"ORG:{escape(str(contact.get('client') or ''))}"]
    if contact.get("title"):
        lines.append(f"TITLE:{escape(str(contact['title']))}")
    if contact.get("role"):
        lines.append(f"ROLE:{escape(role_name(str(contact['role'])))}")
    for phone in _phones(contact.get("phone")):
        lines.append(f"TEL;TYPE=WORK,VOICE:{escape(phone)}")
    lines.append(f"NOTE:{escape(i18n.t('cal.vcard_note', client_id=contact['client_id'], id=contact['id']))}")
    lines.append("CATEGORIES:tg")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def _phones(raw: Any) -> list[str]:
    """The numbers of a phone cell (several are written 138…, 0571-…; or with 、 / ;)."""
    import re

    if not raw:
        return []
    return [p.strip() for p in re.split(r"[,;/、，；]+", str(raw)) if p.strip()]


def contacts_vcf(store: Callable, pb: Any) -> Iterable[str]:
    """tg export contacts --format vcf: every contact the user may see, one card each (streamed)."""
    from .export_queries import contacts_query

    roles = {r.code: r.name for r in pb.roles}

    def role_name(code: str) -> str:
        text = roles.get(code)
        return text.get() if text is not None and hasattr(text, "get") else str(text or code)

    columns, stmt = contacts_query()
    with store().read() as session:
        for row in session.connection().execution_options(yield_per=2000).execute(stmt):
            yield vcard(dict(zip(columns, row)), role_name=role_name)
