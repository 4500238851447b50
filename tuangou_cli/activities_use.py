"""The log and agenda commands' work: logging a contact, closing a follow-up, assembling the agenda.

The agenda is a list of sources, each a store function giving one section's items for a user (or
the whole team): a new kind of item on the agenda is one line in SOURCES.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from . import i18n


@dataclass
class Logged:
    id: int
    message: str


@dataclass
class Agenda:
    user: str | None
    """whose agenda (None: the whole team's)"""
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _sources() -> list[tuple[str, Callable[..., list[dict[str, Any]]]]]:
    from .store import orders
    from .store import pipeline as ps

    return [
        ("followups", ps.agenda_followups),
        ("idle", ps.agenda_idle),
        ("receivables", lambda session, pb, *, user, today: orders.overdue_instalments(session, user, today)),
        ("reorders", lambda session, pb, *, user, today: orders.reorder_reminders(session, pb, user, today)),
    ]


def log(app_ctx: Any, client: str, text: str, type_: str, next_action: str | None, due: str | None) -> Logged:
    from .choices import activity_type
    from .dates import parse_day
    from .store import clients as st
    from .store import pipeline as ps

    code = activity_type(type_)
    due_date = parse_day(due) if due is not None else None
    with app_ctx.store().write() as session:
        c = st.get_client(session, client)
        a = ps.add_activity(session, client=c, type=code, text=text, user=app_ctx.user(),
                            next_action=next_action, due=due_date)
        message = i18n.t("pipe.logged", id=a.id, client=c.name, type=i18n.t(f"pipe.type.{a.type}"))
        if a.next_action:
            message += i18n.t("pipe.logged_next", next=a.next_action,
                              due=a.due.isoformat() if a.due else i18n.t("pipe.undated"))
        return Logged(id=a.id, message=message)


def agenda(app_ctx: Any, *, user: str | None = None, everyone: bool = False) -> Agenda:
    """The current user's agenda by default; ``user``: someone else's; ``everyone``: the team's."""
    from .clock import today
    from .store import pipeline as ps

    pb = app_ctx.playbook()
    with app_ctx.store().scan() as session:
        if everyone:
            who = None
        elif user:
            who = ps.check_user(session, user, also=[app_ctx.user()])
        else:
            who = app_ctx.user()
        day = today()
        return Agenda(user=who, sections={name: source(session, pb, user=who, today=day)
                                          for name, source in _sources()})


def done(app_ctx: Any, followup: str) -> str:
    from .store import pipeline as ps

    with app_ctx.store().write() as session:
        a = ps.close_followup(session, ps.get_followup(session, followup))
        return i18n.t("pipe.followup_done", id=a.id, next=a.next_action)
