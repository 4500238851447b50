"""Send a listing to stdout as a Rich table, CSV or JSON."""

from __future__ import annotations

import sys
from typing import Any, Sequence

from .options import ListFormat


def emit(fmt: ListFormat, columns: Sequence[str], headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if fmt == ListFormat.table:
        from ..plain import print_table

        print_table(headers, rows)
        return
    from ..export import open_output, write_csv, write_json

    writer = write_csv if fmt == ListFormat.csv else write_json
    with open_output(None, "utf-8") as out:
        writer(rows, columns, out)
    sys.stdout.flush()
