"""A throwaway PostgreSQL schema per test (TG_TEST_PG), dropped afterwards."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine, text

from .conftest import pg_url


@contextmanager
def pg_schema() -> Iterator[str]:
    """Yield a URL whose search_path is a new, empty schema."""
    base = pg_url()
    assert base, "TG_TEST_PG not set"
    schema = f"tg_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield base + ("&" if "?" in base else "?") + f"options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
