"""The command modules stay a thin layer: no module under tuangou_cli/cli/ opens a session,
reads a file's rows or computes a price. Each calls one use-case function below it (outside
cli/) that returns a typed result, and prints it. A scan of the source, line by line."""

from __future__ import annotations

import re
from pathlib import Path

import tuangou_cli

CLI = Path(tuangou_cli.__file__).parent / "cli"

# What a command module must leave to the layer below it.
FORBIDDEN = {
    "opens the store": re.compile(r"\.store\(\)"),
    "opens a session": re.compile(r"\.(?:read|write)\(\)\s*as\b|\bSession\("),
    "reads a file's rows": re.compile(r"\bopen_table\(|\bcsv\.(?:reader|DictReader)\(|\bload_workbook\(|"
                                      r"\bread_rows\("),
    "computes a price": re.compile(r"\bfrom\s+\.\.(?:pricing|recommend)\s+import\s+(?!money\s*$)|"
                                   r"\bpricing\.(?!money\()\w+\(|recommend\.quote\(|"
                                   r"\bprice_sets\("),
}
# Formatting an amount (pricing.money, re-exported by recommend) is printing, not pricing.

# Modules still being moved to use cases; this list only shrinks.
NOT_YET: set[str] = set()


def offences(path: Path) -> list[str]:
    found = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        code = line.split("#", 1)[0]
        for what, pattern in FORBIDDEN.items():
            if pattern.search(code):
                found.append(f"{path.name}:{n}: {what}: {line.strip()}")
    return found


def test_no_command_module_opens_a_session_reads_rows_or_prices():
    found = [o for p in sorted(CLI.glob("*.py")) if p.name not in NOT_YET for o in offences(p)]
    assert found == [], "\n".join(found)


def test_the_allow_list_names_real_modules_that_still_need_it():
    """A module that no longer offends leaves the list, so it cannot start again unseen."""
    names = {p.name for p in CLI.glob("*.py")}
    assert NOT_YET <= names, NOT_YET - names
    clean = sorted(n for n in NOT_YET if not offences(CLI / n))
    assert clean == [], f"remove from NOT_YET: {clean}"


def test_the_scan_sees_each_kind():
    samples = {"opens the store": "with ctx.obj.store().read() as session:",
               "opens a session": "with app_ctx.store_x.write() as s:",
               "reads a file's rows": "table = open_table(path)",
               "computes a price": "from ..pricing import tier_total"}
    for what, line in samples.items():
        assert FORBIDDEN[what].search(line), what
