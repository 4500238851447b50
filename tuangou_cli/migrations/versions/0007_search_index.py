"""search index: an FTS5 trigram index on SQLite, pg_trgm GIN indexes on PostgreSQL

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-01
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    from tuangou_cli import search

    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        import sqlite3

        try:
            conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.search_probe USING fts5(x, tokenize = 'trigram')")
            conn.exec_driver_sql("DROP TABLE temp.search_probe")
        except Exception as exc:  # a SQLite without FTS5 or its trigram tokenizer (before 3.34): LIKE only
            if not isinstance(getattr(exc, "orig", exc), sqlite3.OperationalError):
                raise
            return
        for statement in search.sqlite_ddl():
            conn.exec_driver_sql(statement)
        return
    if conn.dialect.name != "postgresql":
        return
    # pg_trgm when this role may create it (a trusted extension since PostgreSQL 13: a database
    # owner may); in public, so that no schema dropped later takes it, and every index using it,
    # along. Without it tg searches with ILIKE alone: the same hits, read from the tables.
    found = conn.exec_driver_sql("SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n "
                                 "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'").scalar()
    if found is None:
        savepoint = conn.begin_nested()
        try:
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
            savepoint.commit()
            found = "public"
        except Exception:
            savepoint.rollback()
            return
    schema = '"' + found.replace('"', '""') + '"'
    for name, table, column in search.pg_index_names():
        conn.exec_driver_sql(f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} {schema}.gin_trgm_ops)')


def downgrade() -> None:
    from tuangou_cli import search

    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for statement in search.sqlite_drop():
            conn.exec_driver_sql(statement)
    elif conn.dialect.name == "postgresql":
        for name, _, _ in search.pg_index_names():
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
