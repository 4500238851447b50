"""tg db path | upgrade"""

from __future__ import annotations

import sys

import typer

from .. import i18n

app = typer.Typer(no_args_is_help=True)


@app.command("path", help=i18n.both("help.db.path"))
def path(ctx: typer.Context) -> None:
    from ..db import display_url, resolve_url

    sys.stdout.write(display_url(resolve_url(ctx.obj.db)) + "\n")


@app.command("upgrade", help=i18n.both("help.db.upgrade"))
def upgrade(ctx: typer.Context) -> None:
    from ..db import make_engine, migrate, open_store, resolve_url, Store
    from ..migrations import HEAD

    url = resolve_url(ctx.obj.db)
    store = Store(make_engine(url), url)
    before = store.schema_version()
    if before == HEAD:
        sys.stderr.write(i18n.t("db.up_to_date", version=HEAD) + "\n")
        return
    open_store(url, upgrade=False)  # refuses a database from a newer tg
    backup = migrate(store, backup=before is not None)
    if backup:
        sys.stderr.write(i18n.t("db.backup_made", path=backup) + "\n")
    sys.stderr.write(i18n.t("db.upgraded", version=HEAD) + "\n")
