"""tg classify — the questionnaire a rep runs during a call; or call notes; or a whole lead list.

The database is opened only after the last answer: the first question must
be on screen before the ORM (0.4 s of imports) would even have loaded.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from .. import i18n
from ..errors import TgError, UsageError
from .imports import OnDuplicate
from .options import MAX_HEADCOUNT, MAX_MONEY, TextOrJson, format_option, json_text
from .output import say


def classify(
    ctx: typer.Context,
    name: Optional[str] = typer.Argument(None, help=i18n.both("help.classify.name"), show_default=False),
    answer: list[str] = typer.Option([], "--answer", "-a", help=i18n.both("help.classify.answer"), metavar="QID=VALUE"),
    answers_file: Optional[Path] = typer.Option(None, "--answers", help=i18n.both("help.classify.answers"),
                                                metavar="FILE"),
    headcount: Optional[int] = typer.Option(None, "--headcount", min=1, max=MAX_HEADCOUNT, help=i18n.both("help.headcount")),
    budget_per_head: Optional[float] = typer.Option(None, "--budget-per-head", min=0, max=MAX_MONEY,
                                                    help=i18n.both("help.budget_per_head")),
    budget_total: Optional[float] = typer.Option(None, "--budget-total", min=0, max=MAX_MONEY, help=i18n.both("help.budget_total")),
    ask_all: bool = typer.Option(False, "--all", help=i18n.both("help.classify.all")),
    no_save: bool = typer.Option(False, "--no-save", help=i18n.both("help.classify.no_save")),
    notes: Optional[str] = typer.Option(None, "--notes", help=i18n.both("notes.help.notes"), metavar="TEXT|-"),
    batch: Optional[Path] = typer.Option(None, "--batch", help=i18n.both("notes.help.batch"), metavar="FILE"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help=i18n.both("notes.help.output"),
                                          metavar="FILE"),
    notes_column: Optional[str] = typer.Option(None, "--notes-column", help=i18n.both("notes.help.notes_column"),
                                               metavar="NAME"),
    sheet: Optional[str] = typer.Option(None, "--sheet", help=i18n.both("notes.help.sheet"), metavar="NAME"),
    fmt: TextOrJson = format_option(TextOrJson.text),
    full: bool = typer.Option(False, "--full", help=i18n.both("help.classify.full")),
    # --- batch save: with --batch, import the rows as clients as `tg import clients` does
    save_batch: bool = typer.Option(False, "--save", help=i18n.both("bsave.help.save")),
    mapping: Optional[list[str]] = typer.Option(None, "--map", help=i18n.both("help.import.map"),
                                                metavar="COLUMN=FIELD"),
    on_duplicate: Optional[OnDuplicate] = typer.Option(None, "--on-duplicate", case_sensitive=False,
                                                       help=i18n.both("help.import.on_duplicate")),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help=i18n.both("help.import.dry_run")),
    skip_errors: Optional[Path] = typer.Option(None, "--skip-errors", help=i18n.both("help.import.skip_errors"),
                                               metavar="REJECTS.csv"),
) -> None:
    app_ctx = ctx.obj
    save_options = (("--map", mapping or None), ("--on-duplicate", on_duplicate), ("--dry-run", dry_run or None),
                    ("--skip-errors", skip_errors))
    if batch is not None:
        given_options = [("NAME", name), ("--notes", notes), ("--answer", answer), ("--answers", answers_file),
                         ("--headcount", headcount), ("--budget-per-head", budget_per_head),
                         ("--budget-total", budget_total), ("--all", ask_all)]
        for option, value in given_options:
            if value:
                raise UsageError(i18n.t("notes.batch_conflict", option=option))
        if not save_batch:
            for option, value in save_options:
                if value is not None:
                    raise UsageError(i18n.t("bsave.needs_save", option=option))
            run_batch(app_ctx, batch, output, notes_column, sheet, fmt)
            return
        if no_save:
            raise UsageError(i18n.t("bsave.save_and_no_save"))
        from ..importer import parse_map

        overrides = parse_map(mapping or [])
        if skip_errors is not None and str(batch) != "-" and skip_errors.resolve() == batch.resolve():
            raise UsageError(i18n.t("import.rejects_is_input"))
        run_batch_save(app_ctx, batch, output=output, notes_column=notes_column, sheet=sheet, fmt=fmt,
                       overrides=overrides, on_duplicate=(on_duplicate or OnDuplicate.update).value,
                       dry_run=dry_run, rejects=skip_errors)
        return
    for option, value in (("--output", output), ("--notes-column", notes_column), ("--sheet", sheet),
                          ("--save", save_batch or None), *save_options):
        if value is not None:
            raise UsageError(i18n.t("notes.needs_batch", option=option))
    from ..classify_client import CallRequest, run_call

    pb = app_ctx.playbook()
    for option, value in (("NAME", name), ("--notes", notes), *(("--answer", a) for a in answer)):
        if value is not None:
            utf8_text(value, option)
    notes_text = read_notes_option(notes)
    answers = parse_answers(pb, answer, answers_file)
    flags = {k: v for k, v in (("headcount", headcount), ("budget_per_head", budget_per_head),
                               ("budget_total", budget_total)) if v is not None}
    interactive = not answers and notes_text is None
    pick = None
    if interactive:
        from .. import prompts

        if not prompts.is_interactive():
            raise UsageError(i18n.t("classify.not_tty"))
        answers = run_questionnaire(pb, set(flags), ask_all)
        if name is None and not no_save:
            name = prompts.ask_text(i18n.t("classify.ask_name")).strip() or None
        pick = prompts.ask_pick
    if name is None and not no_save:
        sys.stderr.write(i18n.t("classify.not_saved_no_name") + "\n")
    outcome = run_call(app_ctx, pb, CallRequest(name=name, answers=answers, notes=notes_text, flags=flags,
                                              save=not no_save, interactive=interactive),
                       user=app_ctx.user() if name and not no_save else None, pick=pick)
    if outcome.client_id is not None:
        key = "classify.saved_new" if outcome.saved_new else "classify.saved_existing"
        say(i18n.t(key, id=outcome.client_id, name=outcome.client_name))

    if fmt.is_json:
        data = result_json(outcome, pb)
        match = outcome.notes
        data["notes"] = None if match is None else {**match.as_json(), "filled": match.filled}
        sys.stdout.write(json_text(data, fmt))
        return
    from .. import render

    if full:
        render.print_full_call(outcome, pb)
    else:
        render.print_call_screen(outcome, pb)


def parse_answers(pb, answer: list[str], answers_file: Path | None) -> dict:
    """--answers FILE, then each --answer QID=VALUE (a multi-choice question's values add up)."""
    from .. import classify as engine

    given: dict[str, Any] = {}
    if answers_file is not None:
        given.update(read_answers_file(answers_file))
    for raw in answer:
        qid, sep, value = raw.partition("=")
        if not sep or not qid.strip():
            raise UsageError(i18n.t("classify.bad_answer_syntax", raw=raw))
        qid = qid.strip()
        if qid in given and pb.question(qid) and pb.question(qid).type == "multiselect":
            prev = given[qid] if isinstance(given[qid], list) else [given[qid]]
            given[qid] = prev + [value]
        else:
            given[qid] = value
    answers: dict[str, engine.Answer] = {}
    for qid, raw in given.items():
        q = pb.question(qid)
        if q is None:
            raise UsageError(i18n.t("classify.unknown_question", qid=qid, ids=", ".join(x.id for x in pb.questions)))
        answers[qid] = engine.parse_answer(q, raw)
    return answers


def run_questionnaire(pb, known_fields: set[str], ask_all: bool) -> dict:
    from .. import prompts
    from ..classify_client import questionnaire

    return questionnaire(pb, known_fields, ask_all, prompts.ask_question,
                         lambda step: say(prompts.answered_line(step)), lambda index: say(prompts.back_line(index)))


def read_notes_option(notes: str | None) -> str | None:
    """The --notes text; ``-`` reads it from stdin, as UTF-8 bytes kept exactly (\\r\\n too).
    Either way at most limits.NOTES_BYTES: more is a one-line error, read no further."""
    from ..limits import NOTES_BYTES, check_text

    if notes != "-":
        return None if notes is None else check_text(notes, NOTES_BYTES, where="--notes", what="notes")
    if sys.stdin.isatty():
        sys.stderr.write(i18n.t("notes.stdin_tty") + "\n")
    from ..limits import read_stream

    where = i18n.t("trust.stdin")
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin (an embedding program's): its own decoding stands
        return check_text(sys.stdin.read(NOTES_BYTES + 1), NOTES_BYTES, where=where, what="notes")
    try:
        return read_stream(stream, NOTES_BYTES, where=where, what="notes").decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(i18n.t("hostile.stdin_not_utf8")) from None


def utf8_text(value: str, option: str) -> str:
    """Bytes of argv that were not UTF-8 arrive as lone surrogates (surrogateescape): such text
    can be neither stored nor printed, so it is refused before anything is written."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(i18n.t("hostile.arg_not_utf8", option=option)) from None
    return value


def run_batch(app_ctx, path: Path, output: Path | None, notes_column: str | None, sheet: str | None,
              fmt: TextOrJson) -> None:
    """tg classify --batch: the lead list back with segment, confidence, reasons, bundle and total."""
    from .. import batch
    from .output import Ticker

    with Ticker(shares_terminal=output is None, reading="batch.classifying") as ticker:
        done = batch.run_batch(app_ctx, path, output=output, notes_column=notes_column, sheet=sheet, fmt=fmt.value,
                               progress=ticker)
    sys.stdout.flush()
    print_batch_done(done.rows, done.counts, done.notes_column, output)


def run_batch_save(app_ctx, path: Path, *, output: Path | None, notes_column: str | None, sheet: str | None,
                   fmt: TextOrJson, overrides: dict[str, str], on_duplicate: str, dry_run: bool,
                   rejects: Path | None) -> None:
    """tg classify --batch --save: classified, saved as clients (batch_save.py), reported here."""
    from .. import batch_save
    from ..import_file import Progress

    done = batch_save.run(app_ctx, app_ctx.playbook(), path, output=output, notes_column=notes_column, sheet=sheet,
                          fmt=fmt.value, overrides=overrides, on_duplicate=on_duplicate, dry_run=dry_run,
                          rejects=rejects, progress=Progress())
    if done.unknown_columns:
        say(i18n.t("import.unknown_columns", columns=", ".join(done.unknown_columns)))
    sys.stdout.flush()
    print_batch_done(done.rows, done.segments, done.notes_column, output)
    prefix = i18n.t("import.dry_prefix") if dry_run else ""
    bad = done.bad_rows()
    if bad is not None:  # a dry run: the rows are shown, the error follows the summary
        sys.stderr.write(prefix + done.summary() + "\n")
        raise bad
    if done.saved.outcome.problems and not dry_run:
        say(i18n.t("import.rejects_written", path=rejects))
    sys.stderr.write(prefix + done.summary() + "\n")


def print_batch_done(n: int, counts: dict[str, int], notes_column: str, output: Path | None) -> None:
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
    say(i18n.t("notes.batch.done", rows=n, counts=summary or "-", column=notes_column))
    if output is not None:
        say(i18n.t("notes.batch.written", path=output))


def read_answers_file(path: Path) -> dict:
    """The --answers file (JSON by its suffix, else YAML) as question id → answer; a file that
    cannot be read, is not a mapping or holds text that is not Unicode (a lone surrogate
    escape, "\\udcff") is a one-line error before anything is asked or written."""
    import yaml

    from ..playbook import load_yaml, lone_surrogate_at, shown_path, yaml_problem

    from ..limits import ANSWERS_BYTES, read_file

    try:
        # As read_text() gives it (universal newlines), from at most ANSWERS_BYTES.
        text = read_file(path, ANSWERS_BYTES, what="answers").decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        data = json.loads(text) if path.suffix.lower() == ".json" else load_yaml(text)
    except yaml.YAMLError as exc:
        line, reason = yaml_problem(exc)
        raise TgError(i18n.t("classify.bad_answers_file", path=f"{path}:{line}", reason=reason)) from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:  # RecursionError: JSON nested too deep
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        raise TgError(i18n.t("classify.bad_answers_file", path=path, reason=reason)) from None
    where = lone_surrogate_at(data, text)
    if where is not None:
        raise TgError(i18n.t("robust.answers_surrogate", path=path, where=shown_path(where)))
    if not isinstance(data, dict):
        raise TgError(i18n.t("classify.answers_not_mapping", path=path))
    return {str(k): v for k, v in data.items()}


def result_json(outcome, pb) -> dict:
    result, priced = outcome.result, outcome.priced
    doc = outcome.document
    return {
        "segment": result.segment,
        "segment_name": outcome.segment_name,
        "confidence": result.confidence,
        "scores": result.scores,
        "probabilities": result.probabilities,
        "reasons": result.reasons,
        "evidence": [{"question": e.question_id, "answer": e.answer, "weights": e.weights, "delta": e.delta}
                     for e in result.evidence],
        "answers": result.answers,
        "need_points": outcome.need_points,
        "values": outcome.values,
        "pitch": doc.pitch.as_json() if doc else None,
        "bundles": [{**o.as_json(), "needs": n.as_json() if (n := outcome.needs.get(o.code)) else None}
                    for o in priced.offers],
        "note": priced.note,
        **priced.as_json(),
        "given_before": outcome.given_before,
        "playbook_version": pb.version,
        "client_id": outcome.client_id,
    }
