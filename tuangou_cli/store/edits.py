"""An edit of one row: the fields that really change, set and written, as [before, after] pairs
(what the audit trail and tg undo keep). The caller owns the transaction."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session


def apply_changes(session: Session, row: Any, changes: dict[str, Any]) -> dict[str, list[Any]]:
    changed = {}
    for key, value in changes.items():
        if getattr(row, key) != value:
            changed[key] = [getattr(row, key), value]
            setattr(row, key, value)
    if changed:
        session.add(row)
        session.flush()
    return changed
