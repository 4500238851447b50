"""The SQLite file as a whole: backup, restore and check (`tg db backup|restore|check`).

Everything here works on the file through the sqlite3 module, never through
the store: a check must not upgrade what it checks, and a backup must copy the
database exactly as it is. Copies use SQLite's online backup API, which takes
the proper locks, so they are consistent even while another tg is writing.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from . import i18n
from .errors import StoreError


@dataclass
class FileReport:
    """What a look at a SQLite file found."""

    path: Path
    integrity: list[str] = field(default_factory=list)  # ["ok"] when sound
    foreign_key_problems: int = 0
    version: str | None = None
    is_tg: bool = False

    @property
    def sound(self) -> bool:
        return self.integrity == ["ok"] and self.foreign_key_problems == 0


def _ro(path: Path) -> sqlite3.Connection:
    # Read-only by URI: looking at a file never changes it (nor creates it).
    return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)


def inspect_file(path: Path) -> FileReport:
    """Integrity, foreign keys and schema version of a SQLite file; StoreError if it is not one."""
    if not path.is_file():
        raise StoreError(i18n.t("team.db.missing", path=path))
    report = FileReport(path)
    try:
        with closing(_ro(path)) as conn:
            report.integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            report.foreign_key_problems = len(conn.execute("PRAGMA foreign_key_check").fetchall())
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "alembic_version" in tables:
                report.version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
                report.is_tg = "client" in tables
    except sqlite3.DatabaseError as exc:
        low = str(exc).lower()
        if "not a database" in low or "malformed" in low or "encrypted" in low:
            raise StoreError(i18n.t("team.db.damaged", path=path)) from None
        raise StoreError(i18n.t("db.cannot_open", path=path, reason=str(exc))) from None
    return report


def version_state(version: str | None) -> str:
    """'current', 'older', 'newer' (unknown to this tg) or 'none'."""
    from .migrations import HEAD, known_revision

    if version is None:
        return "none"
    if version == HEAD:
        return "current"
    return "older" if known_revision(version) else "newer"


def _private_file(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def copy_database(source: Path, target: Path) -> None:
    """Online backup of source into a new private file target."""
    _private_file(target)
    with closing(_ro(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        # A standalone file: no -wal/-shm beside it, so it can be copied, mailed or read in place.
        dst.execute("PRAGMA journal_mode=DELETE")


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass


def backup(db: Path, target: Path) -> FileReport:
    """Copy db to target with the online backup API, then check the copy.

    The copy is written beside the target and renamed into place only once
    `integrity_check` passed, so a failed backup never leaves a half file under
    the name asked for.
    """
    source = inspect_file(db)
    if not source.is_tg:
        raise StoreError(i18n.t("db.not_a_database", path=db))
    if target.exists():
        raise StoreError(i18n.t("team.db.target_exists", path=target))
    if not target.parent.is_dir():
        raise StoreError(i18n.t("team.db.no_folder", path=target))
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        copy_database(db, tmp)
        copy = inspect_file(tmp)
        if not copy.sound:
            raise StoreError(i18n.t("team.db.copy_unsound", path=target, problem=copy.integrity[0]))
        os.replace(tmp, target)
    except sqlite3.DatabaseError as exc:
        raise StoreError(i18n.t("team.db.backup_failed", path=target, reason=str(exc))) from None
    except OSError as exc:
        raise StoreError(i18n.t("team.db.backup_failed", path=target, reason=exc.strerror or exc)) from None
    finally:
        _remove(tmp)
    copy.path = target
    return copy


def check_restorable(file: Path) -> FileReport:
    """A restore source must be a sound tg database of a version this tg knows."""
    report = inspect_file(file)
    if not report.is_tg:
        raise StoreError(i18n.t("team.db.restore_not_tg", path=file))
    if not report.sound:
        raise StoreError(i18n.t("team.db.restore_unsound", path=file, problem=report.integrity[0]))
    if version_state(report.version) == "newer":
        from .migrations import HEAD

        raise StoreError(i18n.t("db.newer", path=file, found=report.version, known=HEAD))
    return report


def restore(file: Path, db: Path) -> Path | None:
    """Replace db with file; the current database is kept beside it first. Returns that copy.

    The replacement is one SQLite transaction (the backup API writing into the live
    database, under its write lock): another tg sees the old data or the new, never a mix.
    Only when the current file is not a readable database at all (nobody can be using it)
    is it swapped on disk with a rename instead.
    """
    check_restorable(file)
    kept = None
    if db.exists() and db.stat().st_size > 0:
        kept = db.with_name(f"{db.name}.bak-restore-{datetime.now():%Y%m%d-%H%M%S}")
        try:
            copy_database(db, kept)
        except sqlite3.DatabaseError:
            _remove(kept)
            import shutil

            shutil.copyfile(db, kept)  # not a database: keep its bytes as they are
            os.chmod(kept, 0o600)
    if not db.exists():
        _private_file(db)
    try:
        with closing(_ro(file)) as src, closing(sqlite3.connect(db, timeout=10)) as dst:
            src.backup(dst)
    except sqlite3.DatabaseError:
        tmp = db.with_name(f".{db.name}.tmp-{os.getpid()}")
        try:
            copy_database(file, tmp)
            for stale in (Path(f"{db}-wal"), Path(f"{db}-shm")):
                stale.unlink(missing_ok=True)
            os.replace(tmp, db)
        finally:
            _remove(tmp)
    after = inspect_file(db)
    if not after.sound:  # pragma: no cover - the source was checked; this guards the copy itself
        raise StoreError(i18n.t("team.db.restore_unsound", path=db, problem=after.integrity[0]))
    return kept
