"""Alembic environment: always run on a connection the store hands over."""

from alembic import context

from tuangou_cli.models import load_all
from tuangou_cli.search import include_object

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - tg never runs alembic without a connection
    raise RuntimeError("tg migrations run through tuangou_cli.db, not the alembic command line")

context.configure(
    connection=connection,
    target_metadata=load_all(),
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
    include_object=include_object,  # the search index is made by hand (migration 0007)
)
with context.begin_transaction():
    context.run_migrations()
