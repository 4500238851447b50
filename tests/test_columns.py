"""One description of the client's columns (columns.py): every road derives its own from it."""

from __future__ import annotations

import dataclasses

import pytest

from tuangou_cli import bulk, columns, importer
from tuangou_cli.store import clients as store
from tuangou_cli.store import queries
from tuangou_cli.models import Client

pytestmark = pytest.mark.no_db


def test_every_model_column_is_described_in_order():
    assert [c.name for c in columns.CLIENT] == list(Client.__table__.columns.keys()), \
        "a column of models.Client without a Column in columns.py (or out of order)"


def test_every_road_derives_its_columns():
    exported = [c.name for c in columns.CLIENT if c.export]
    assert queries.CLIENT_COLUMNS == exported
    assert list(store.client_json(Client(id=1, name="x", name_key="x", created_by="a", updated_by="a",
                                         created_at=_now(), updated_at=_now()))) == exported
    assert store.CLIENT_FIELDS == tuple(c.name for c in columns.CLIENT if c.edit)
    assert importer.CLIENT_FIELDS == tuple(c.name for c in columns.CLIENT if c.file)
    assert sorted(bulk.INSERT_COLUMNS) == sorted(c.name for c in columns.CLIENT if c.insert)
    assert set(queries._INTEGER) | set(queries._REAL) | set(queries._STAMP) == {
        c.name for c in columns.CLIENT if c.export and c.kind != "text"}


def test_a_file_field_has_a_slot_on_the_row_and_a_value_in_the_bulk_insert():
    slots = [f.name for f in dataclasses.fields(importer.Row)]
    fields = ["city_name" if f == "city" else f for f in importer.CLIENT_FIELDS]
    assert slots[2:2 + len(fields)] == fields, "parse_rows builds a Row positionally in this order"
    row = importer.Row(7, "甲", **{f: f"v-{f}" for f in fields}, notes="n")
    values = dict(zip([c for c in bulk.INSERT_COLUMNS if c not in ("created_at", "updated_at", "created_by",
                                                                   "updated_by")], bulk.client_values(row, "me")))
    for f, slot in zip(importer.CLIENT_FIELDS, fields):
        assert values[f] == f"v-{slot}", f
    blank = dict(zip(values, bulk.client_values(importer.Row(8, "乙"), "me")))
    assert (blank["stage"], blank["owner"]) == ("lead", "me"), "each column's default"


def test_every_file_field_can_be_named_by_its_own_name_or_an_alias():
    for f in importer.CLIENT_FIELDS:
        cols = importer.map_headers([f], {})
        assert cols.fields == {0: f}, f
        assert f in importer.MAPPABLE


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)
