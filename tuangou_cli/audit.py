"""The audit trail: one ORM event records every change to the tables people argue about.

After each flush, for every inserted, updated or deleted Client, Contact, Deal,
Referral and Reward, one `audit` row: who (TG_USER or the login), when, and
{field: [old, new]} read from SQLAlchemy's attribute history. The rows are
written with a Core insert on the flush's own connection, so they commit or roll
back with the change they describe.

`after_flush`, not `before_flush`: a new row's id exists only after its INSERT,
and in `after_flush` the session's new/dirty/deleted sets and attribute history
still show what the flush did.

The bulk import paths (bulk.py) bypass the ORM and write their own audit rows for
the changes they make to existing clients and contacts. Out of scope: migrations,
raw SQL and rows removed by a database-side ON DELETE CASCADE (a deleted client's
audit row holds its values; its contacts go with it).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect as sa_inspect
from sqlalchemy.orm import Session

from .models import utcnow

# audited table → the attribute naming the client a row belongs to. By table name, so that
# installing the listener loads no table class (rewards and the audit table load on first use).
AUDITED: dict[str, str] = {"client": "id", "contact": "client_id", "deal": "client_id", "referral": "referred_id",
                           "quote": "client_id", "billing_info": "client_id",
                           "reward": "referrer_id", "activity": "client_id", "competitor": "client_id",
                           "need": "client_id"}
# Bookkeeping the audit row itself already says (who, when) or that follows from another field.
SKIP = {"id", "created_at", "created_by", "updated_at", "updated_by", "name_key", "dedupe_key"}


def plain(value: Any) -> Any:
    """A JSON-safe value that reads back the same."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _columns(obj: Any, skip: set[str] = SKIP) -> list[str]:
    return [a.key for a in sa_inspect(type(obj)).column_attrs if a.key not in skip]


# A removed row's image keeps who made it and when, so that `tg undo` can put it back as it was.
KEEP_ON_DELETE = SKIP - {"created_at", "created_by", "updated_at", "updated_by"}

# What `tg undo` writes is recorded under these actions, so that the next undo steps past it
# to the change before (an undo stack, not a toggle).
UNDO_ACTIONS = {"insert": "restore", "update": "revert", "delete": "withdraw"}


def _row(obj: Any, action: str, changes: dict[str, list[Any]], by: str, now: datetime) -> dict[str, Any]:
    return {"at": now, "by": by, "table_name": type(obj).__tablename__, "row_id": obj.id,
            "client_id": getattr(obj, AUDITED[type(obj).__tablename__]), "action": action, "changes": changes}


def _updates(obj: Any) -> dict[str, list[Any]]:
    state = sa_inspect(obj)
    changes = {}
    for key in _columns(obj):
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if old != new:
            changes[key] = [plain(old), plain(new)]
    return changes


def _stamp(session: Session) -> datetime:
    """One time for every flush of a transaction: the rows one command writes share it, which is
    how `tg undo` finds everything that command changed."""
    txn = session.get_transaction()
    key = id(txn) if txn is not None else None
    held = session.info.get("tg_audit_at")
    if held is None or held[0] != key:
        held = (key, utcnow())
        session.info["tg_audit_at"] = held
    return held[1]


def record(session: Session, _flush_context: Any) -> None:
    rows = []
    by = None
    now = _stamp(session)
    undo = session.info.get("tg_undo", False)
    for action, objs in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objs:
            if getattr(type(obj), "__tablename__", None) not in AUDITED:
                continue
            if action == "update":
                changes = _updates(obj)
                if not changes:
                    continue
            elif action == "insert":
                changes = {k: [None, plain(v)] for k in _columns(obj) if (v := getattr(obj, k)) is not None}
            else:
                changes = {k: [plain(v), None] for k in _columns(obj, KEEP_ON_DELETE)
                           if (v := getattr(obj, k)) is not None}
            if by is None:
                from .rawdb import current_user

                url = session.get_bind().engine.url.render_as_string(hide_password=True)
                by = session.info.get("tg_user") or current_user(url)
            rows.append(_row(obj, UNDO_ACTIONS[action] if undo else action, changes, by, now))
    if rows:
        from .models import Audit

        session.connection().execute(Audit.__table__.insert(), rows)


def install() -> None:
    """Listen on every ORM session (idempotent)."""
    if not event.contains(Session, "after_flush", record):
        event.listen(Session, "after_flush", record)
