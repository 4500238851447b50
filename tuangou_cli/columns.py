"""The client's columns, described once: every road that reads or writes them derives its own.

* the store (``store.clients.CLIENT_FIELDS``: what `tg clients add/edit` and a classification may set),
* the importer (``importer.CLIENT_FIELDS``: what a file's column may fill, and ``importer.Row``),
* the bulk writer (``bulk.INSERT_COLUMNS`` and the values of ``bulk.client_values``),
* the queries (``store.queries.CLIENT_COLUMNS``: `tg export clients`, `tg clients list`).

A new client field is: the model (models.Client), one ``Column`` here, and a migration.
``tests/test_columns.py`` fails when a model column is missing here, or a road disagrees.
No imports beyond the standard library: the fast roads (import, export on SQLite) use it too.
"""

from __future__ import annotations

from dataclasses import dataclass

USER = object()  # a default: whoever runs the command


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "text", "integer", "real" or "stamp" (how export cells and file cells read it)
    file: bool = False  # a file's column fills it (name and notes are read on their own rules)
    edit: bool = False  # `tg clients add/edit` and a saved classification may set it
    export: bool = True  # in `tg export clients` and the listings
    insert: bool = True  # written by a bulk import (the id comes from the database)
    default: object = None  # what a bulk import writes when the file gives nothing


CLIENT: tuple[Column, ...] = (
    Column("id", "integer", insert=False),
    Column("name", "text"),
    Column("name_key", "text", export=False),  # the folded name, for lookups: derived from name
    Column("industry", "text", file=True, edit=True),
    Column("city", "text", file=True, edit=True),
    Column("headcount", "integer", file=True, edit=True),
    Column("budget_per_head", "real", file=True, edit=True),
    Column("budget_total", "real", file=True, edit=True),
    Column("occasion", "text", file=True, edit=True),
    Column("segment", "text", file=True, edit=True),
    Column("confidence", "real", file=True, edit=True),
    Column("stage", "text", file=True, edit=True, default="lead"),
    Column("owner", "text", file=True, edit=True, default=USER),
    Column("notes", "text", edit=True),
    # The parent organisation: set by `tg clients edit --parent`, never by a file (an id of this
    # database means nothing in a lead list); not in the export, whose rows re-import anywhere.
    Column("parent_id", "integer", edit=True, export=False, insert=False),
    Column("created_at", "stamp"),
    Column("updated_at", "stamp"),
    Column("created_by", "text"),
    Column("updated_by", "text"),
)

BY_NAME = {c.name: c for c in CLIENT}
FILE_FIELDS: tuple[str, ...] = tuple(c.name for c in CLIENT if c.file)
EDIT_FIELDS: tuple[str, ...] = tuple(c.name for c in CLIENT if c.edit)
EXPORT_COLUMNS: tuple[str, ...] = tuple(c.name for c in CLIENT if c.export)
INSERT_COLUMNS: tuple[str, ...] = tuple(c.name for c in CLIENT if c.insert)


def of_kind(kind: str, names: tuple[str, ...] = EXPORT_COLUMNS) -> tuple[str, ...]:
    return tuple(n for n in names if BY_NAME[n].kind == kind)
