"""`tg undo`: the last change a user made, put back from the audit trail's images.

A change is every audit row one transaction wrote (audit.py stamps them with one time). It is
undone only when each of its rows is of a kind the trail holds completely: a deal, a log entry,
a contact, a rival or a need added, edited or removed, a client's fields edited, or a link cleared
by such a removal. Anything else (a deal won or lost, a stage move, a reward, a referral, a quote,
a removed client and all it took with it) is refused in one line that names it: the trail does not
hold all of what those changed (the stage line, the ledger).

Before anything is written, every row is checked to be as the change left it; a row someone has
changed since is refused, naming who, so an undo never overwrites a colleague's later work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from .. import i18n
from ..audit import UNDO_ACTIONS, plain
from ..errors import NotFound, TgError

# table → model attribute on tuangou_cli.models
MODELS = {"deal": "Deal", "activity": "Activity", "contact": "Contact", "competitor": "Competitor",
          "need": "Need", "client": "Client", "referral": "Referral", "quote": "Quote"}
WHOLE = {"deal", "activity", "contact", "competitor", "need"}
# Links a removal clears (so they are on the trail) and an undo sets back.
LINKS = {("referral", "contact_id"), ("quote", "deal_id")}
# A client's fields whose change also wrote rows the trail does not hold (the stage line).
CLIENT_LINED = {"stage"}
UNDONE = set(UNDO_ACTIONS.values())


class CannotUndo(TgError):
    pass


@dataclass
class Undone:
    at: datetime
    rows: list[tuple[str, int, str]] = field(default_factory=list)
    """(table, row id, the action undone)"""


def _groups(session: Session, user: str, page: int = 500):
    """The user's changes, newest first: (at, [audit rows]). Read a page at a time (no cursor is
    left open across the writes that follow)."""
    from ..models import Audit

    base = (select(Audit.id, Audit.at, Audit.table_name, Audit.row_id, Audit.client_id, Audit.action, Audit.changes)
            .where(Audit.by == user).order_by(Audit.id.desc()).limit(page))
    group: list[Any] = []
    below = None
    while True:
        stmt = base if below is None else base.where(Audit.id < below)
        rows = session.connection().execute(stmt).all()
        for row in rows:
            if group and row.at != group[0].at:
                yield group[0].at, group
                group = []
            group.append(row)
        if len(rows) < page:
            break
        below = rows[-1].id
    if group:
        yield group[0].at, group


def last_change(session: Session, user: str) -> tuple[datetime, list[Any]]:
    """The newest change of ``user`` not undone yet (each undo on record steps one change back)."""
    pending = 0
    for at, rows in _groups(session, user):
        if all(r.action in UNDONE for r in rows):
            pending += 1
        elif pending:
            pending -= 1
        else:
            return at, rows
    raise NotFound(i18n.t("daily.undo.nothing", user=user))


def _what(row: Any) -> str:
    return i18n.t("daily.undo.what", table=i18n.t(f"daily.kind.{row.table_name}")
                  if f"daily.kind.{row.table_name}" in i18n.CATALOGUE else row.table_name,
                  id=row.row_id, action=row.action)


def check_undoable(rows: list[Any]) -> None:
    for r in rows:  # a deal won or lost says so first: that is what the user did
        if r.table_name == "deal" and r.action == "update" and "status" in (r.changes or {}):
            raise CannotUndo(i18n.t("daily.undo.cannot_close", id=r.row_id))
    for r in rows:
        changes = r.changes or {}
        if r.table_name in WHOLE and r.action in ("insert", "update", "delete"):
            continue
        if r.table_name == "client" and r.action == "update" and not CLIENT_LINED & set(changes):
            continue
        if r.action == "update" and changes and all((r.table_name, k) in LINKS for k in changes):
            continue
        raise CannotUndo(i18n.t("daily.undo.cannot", what=_what(r)))


def _model(table: str):
    from .. import models

    return getattr(models, MODELS[table])


def _value(model: Any, key: str, value: Any) -> Any:
    """A value of the trail (JSON) as the column holds it."""
    if value is None:
        return None
    try:
        column_type = model.__table__.c[key].type
        kind = getattr(column_type, "impl", column_type).python_type
    except (KeyError, NotImplementedError, AttributeError):
        return value
    if kind is datetime and isinstance(value, str):
        return datetime.fromisoformat(value)
    if kind is date and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _same(current: Any, expected: Any) -> bool:
    a, b = plain(current), expected
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) < 1e-9
        except (TypeError, ValueError):
            return False
    if isinstance(a, str) and isinstance(b, str) and "T" in a and "T" in b:  # datetimes: compare as instants
        try:
            return datetime.fromisoformat(a) == datetime.fromisoformat(b)
        except ValueError:
            return a == b
    return a == b


def _changed_since(obj: Any, row: Any) -> None:
    by = getattr(obj, "updated_by", None) or "?"
    raise CannotUndo(i18n.t("daily.undo.changed_since", what=_what(row), by=by))


def undo(session: Session, user: str) -> Undone:
    """Undo ``user``'s last change in this transaction; the rows it writes are recorded as undo."""
    from ..db import serialise

    at, rows = last_change(session, user)
    check_undoable(rows)
    for r in rows:
        if r.client_id is not None:
            serialise(session, "client", r.client_id)
    session.info["tg_undo"] = True
    done = Undone(at=at)
    try:
        for r in sorted(rows, key=lambda x: x.id, reverse=True):  # the last write first
            model = _model(r.table_name)
            obj = session.get(model, r.row_id)
            changes = r.changes or {}
            if r.action == "insert":
                if obj is None:
                    raise CannotUndo(i18n.t("daily.undo.gone", what=_what(r)))
                for k, (_old, new) in changes.items():
                    if hasattr(obj, k) and not _same(getattr(obj, k), new):
                        _changed_since(obj, r)
                _check_removable(session, r.table_name, obj)
                session.delete(obj)
            elif r.action == "update":
                if obj is None:
                    raise CannotUndo(i18n.t("daily.undo.gone", what=_what(r)))
                for k, (_old, new) in changes.items():
                    if not _same(getattr(obj, k), new):
                        _changed_since(obj, r)
                for k, (old, _new) in changes.items():
                    setattr(obj, k, _value(model, k, old))
                if hasattr(obj, "updated_by"):
                    from ..models import utcnow

                    obj.updated_at, obj.updated_by = utcnow(), user
                session.add(obj)
            else:  # delete: put the row back, with its id
                if obj is not None:
                    raise CannotUndo(i18n.t("daily.undo.exists", what=_what(r)))
                values = {k: _value(model, k, old) for k, (old, _new) in changes.items()}
                client_id = values.get("client_id")
                if client_id is not None:
                    from ..models import Client

                    if session.get(Client, client_id) is None:
                        raise CannotUndo(i18n.t("daily.undo.client_gone", what=_what(r), client=client_id))
                values.setdefault("created_by", user)
                session.add(model(id=r.row_id, **values))
            session.flush()
            done.rows.append((r.table_name, r.row_id, r.action))
    finally:
        session.info["tg_undo"] = False
    return done


def _check_removable(session: Session, table: str, obj: Any) -> None:
    """Taking back an added deal that has since booked money is refused, as removing it is."""
    if table == "deal":
        from .pipeline import deal_rewards

        if obj.status != "open" or deal_rewards(session, obj.id):
            raise CannotUndo(i18n.t("daily.undo.cannot_close", id=obj.id))
