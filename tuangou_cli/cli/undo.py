"""tg undo — put back your last change, from the audit trail."""

from __future__ import annotations

import typer

from .output import say


def undo(ctx: typer.Context) -> None:
    from .. import mending

    say(*mending.undo(ctx.obj).lines)
