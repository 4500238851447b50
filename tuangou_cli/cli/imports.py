"""tg import clients FILE — lead lists from CSV, TSV, XLSX or XLS (``-``: stdin), deduplicated
against the database.

This module parses the options, calls the use case (import_file.py: read → plan → write by the
right road) and prints its Outcome: a dry run's plan, the merges, the bad rows, the summary.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

from .. import i18n
from ..errors import TgError, UsageError
from .output import Ticker, say

app = typer.Typer(no_args_is_help=True)

SHOWN = 20  # problems and merges listed on stderr before "… and N more"


class OnDuplicate(str, Enum):
    update = "update"
    skip = "skip"
    error = "error"


# --- the command -----------------------------------------------------------------------------------


@app.command("clients", help=i18n.both("help.import.clients"))
def import_clients(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help=i18n.both("help.import.file"), show_default=False),
    encoding: Optional[str] = typer.Option(None, "--encoding", help=i18n.both("help.import.encoding")),
    sheet: Optional[str] = typer.Option(None, "--sheet", help=i18n.both("help.import.sheet"), metavar="NAME"),
    mapping: Optional[list[str]] = typer.Option(None, "--map", help=i18n.both("help.import.map"),
                                                metavar="COLUMN=FIELD"),
    on_duplicate: OnDuplicate = typer.Option(OnDuplicate.update.value, "--on-duplicate",
                                             help=i18n.both("help.import.on_duplicate"), case_sensitive=False),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help=i18n.both("help.import.dry_run")),
    skip_errors: Optional[Path] = typer.Option(None, "--skip-errors", help=i18n.both("help.import.skip_errors"),
                                               metavar="REJECTS.csv"),
) -> None:
    from ..importer import parse_map

    overrides = parse_map(mapping or [])
    if encoding is not None:
        from .options import text_encoding

        known = text_encoding(encoding)  # rot13, base64, idna, a NUL in the name…: no codec for a text file
        if known is None:
            raise UsageError(i18n.t("import.bad_encoding", encoding=encoding))
        encoding = known
    if skip_errors is not None and str(file) != "-" and skip_errors.resolve() == file.resolve():
        raise UsageError(i18n.t("import.rejects_is_input"))
    app_ctx = ctx.obj
    from ..import_file import import_clients as run, open_clients_table

    table = open_clients_table(file, encoding=encoding, sheet=sheet, overrides=overrides)
    ticker = Ticker(table)
    try:
        done = run(app_ctx, table, overrides=overrides, on_duplicate=on_duplicate.value, dry_run=dry_run,
                   rejects=skip_errors, progress=ticker)
    finally:
        ticker.stop()
        table.close()
    parsed, outcome = done.parsed, done.outcome
    if parsed.cols.unknown:
        say(i18n.t("import.unknown_columns", columns=", ".join(parsed.cols.unknown)))  # header names from the file
    if dry_run:
        _print_plan(outcome)
    elif outcome.merges and not (outcome.problems and skip_errors is None):  # not when nothing was imported
        _list(i18n.t("import.merged_rows"), [_merge_text(m) for m in outcome.merges])
    prefix = i18n.t("import.dry_prefix") if dry_run else ""
    if dry_run and outcome.problems and skip_errors is None:
        sys.stderr.write(prefix + i18n.t("import.summary", **outcome.counts()) + "\n")
    if outcome.problems and skip_errors is None:
        raise TgError(i18n.t("import.bad_rows", count=outcome.counts()["rejected"]),
                      details=capped([p.text() for p in outcome.problems]))
    if outcome.problems and not dry_run:
        say(i18n.t("import.rejects_written", path=skip_errors))
    sys.stderr.write(prefix + i18n.t("import.summary", **outcome.counts()) + "\n")


# --- reporting ---------------------------------------------------------------------------------


def capped(lines: list[str]) -> list[str]:
    shown = [f"  {x}" for x in lines[:SHOWN]]
    if len(lines) > SHOWN:
        shown.append("  " + i18n.t("import.more", count=len(lines) - SHOWN))
    return shown


def _list(title: str, lines: list[str]) -> None:
    say(title, *capped(lines))  # client names from the file


def _merge_text(m) -> str:
    return i18n.t("import.merge_line", row=m.line, into=m.into, name=m.name)


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\n", " ⏎ ")
    return text if len(text) <= 40 else text[:39] + "…"


def _print_plan(out) -> None:
    """What a real run would do, one line per row, in file order: to stdout."""
    entries: list[tuple[int, str]] = []
    label = {k: i18n.t(f"import.plan.{k}") for k in ("create", "update", "same", "merge", "skip", "reject")}
    width = max(len(v) for v in label.values())
    for g in out.created:
        extra = f"  (+{len(g.contacts)} {i18n.t('import.contacts')})" if g.contacts else ""
        entries.append((g.line, f"{label['create']:<{width}}  {i18n.t('import.row', row=g.line)}  {g.name}{extra}"))
    for ch in out.changes:
        g = ch.group
        head = f"{i18n.t('import.row', row=g.line)}  #{ch.id} {g.name}"
        if not ch:
            entries.append((g.line, f"{label['same']:<{width}}  {head}"))
            continue
        parts = [f"{k}: {_show(ch.before.get(k))} → {_show(v)}" for k, v in ch.fields.items() if k not in ("name_key", "dedupe_key")]
        if ch.contacts:
            parts.append(f"+{len(ch.contacts)} {i18n.t('import.contacts')}")
        if ch.phone_fills:
            parts.append(f"+{len(ch.phone_fills)} {i18n.t('field.phone')}")
        entries.append((g.line, f"{label['update']:<{width}}  {head}  " + "; ".join(parts)))
    for g in out.skipped:
        entries.append((g.line, f"{label['skip']:<{width}}  {i18n.t('import.row', row=g.line)}  #{g.existing} {g.name}"))
    for m in out.merges:
        entries.append((m.line, f"{label['merge']:<{width}}  {_merge_text(m)}"))
    for p in out.problems:
        entries.append((p.line, f"{label['reject']:<{width}}  {p.text()}"))
    entries.sort(key=lambda e: e[0])
    say(*(text for _, text in entries), file=sys.stdout)  # names and values from the file
    sys.stdout.flush()
