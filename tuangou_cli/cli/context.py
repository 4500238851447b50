"""What every command may need, opened only when first asked for (shared on ctx.obj)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # keep sqlmodel out of commands that never touch the database
    from ..db import Store
    from ..playbook import Playbook


@dataclass
class AppContext:
    db: str | None = None
    playbook_path: str | None = None
    _store: "Store | None" = field(default=None, repr=False)
    _playbook: "Playbook | None" = field(default=None, repr=False)

    def store(self) -> "Store":
        if self._store is None:
            from ..db import open_store, resolve_url

            self._store = open_store(resolve_url(self.db))
        return self._store

    def playbook(self) -> "Playbook":
        if self._playbook is None:
            from ..playbook import load_playbook

            self._playbook = load_playbook(self.playbook_path)
        return self._playbook

    def close(self) -> None:
        """Hand back the database connections (a server sees a clean goodbye, not a dropped socket)."""
        if self._store is not None:
            self._store.engine.dispose()

    def user(self) -> str:
        from ..rawdb import current_user, resolve_url  # not ..db: that would load SQLAlchemy

        return current_user(resolve_url(self.db))
