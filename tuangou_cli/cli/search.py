"""tg search TEXT — one text across clients, contacts, notes, activities, needs and cases (search.py)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from .output import say


class SearchFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    xlsx = "xlsx"


def search(
    ctx: typer.Context,
    text: str = typer.Argument(..., help=i18n.both("help.search.text"), show_default=False),
    limit: int = typer.Option(20, "--limit", "-n", min=0, help=i18n.both("help.search.limit")),
    fmt: SearchFormat = typer.Option(SearchFormat.text.value, "--format", "-f", help=i18n.both("help.search.format"),
                                     case_sensitive=False),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help=i18n.both("help.export.output"),
                                          metavar="FILE"),
) -> None:
    from .. import search as engine
    from ..search import COLUMNS

    results = engine.run(ctx.obj, text, limit=limit or None)
    chosen = fmt.value
    if output is not None:
        from ..export import choose_format

        chosen = choose_format(None if fmt == SearchFormat.text else fmt.value, output)
    if chosen == "json":
        from ..export import open_output
        from .options import json_text

        data = {"query": results.query, "total": results.total, "hits": [h.as_json() for h in results.hits]}
        with open_output(output, "utf-8") as out:
            out.write(json_text(data, SearchFormat.json))
        return
    if chosen != "text":
        from ..export import write_table

        write_table(chosen, (h.row() for h in results.hits), COLUMNS, output, sheet=i18n.t("export.sheet.search"))
        return
    if not results.hits:
        say(i18n.t("search.none", text=results.query))
        return
    from ..plain import print_table

    headers = [i18n.t(f"search.col.{c}") for c in ("kind", "id", "client", "field", "text")]
    print_table(headers, [[i18n.t(f"search.kind.{h.kind}"), h.id,
                           "" if h.client_id is None else f"#{h.client_id} {h.client or ''}", h.field, h.text]
                          for h in results.hits])
    if results.total > len(results.hits):
        say(i18n.t("search.more", n=results.total - len(results.hits)))
