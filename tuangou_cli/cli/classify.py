"""tg classify — the questionnaire a rep runs during a call; or call notes; or a whole lead list.

The database is opened only after the last answer: the first question must
be on screen before the ORM (0.4 s of imports) would even have loaded.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

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
    # --- batch save (issue 5): with --batch, import the rows as clients as `tg import clients` does
    save_batch: bool = typer.Option(False, "--save", help=i18n.both("bsave.help.save")),
    mapping: Optional[list[str]] = typer.Option(None, "--map", help=i18n.both("help.import.map"),
                                                metavar="COLUMN=FIELD"),
    on_duplicate: Optional[OnDuplicate] = typer.Option(None, "--on-duplicate", case_sensitive=False,
                                                       help=i18n.both("help.import.on_duplicate")),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help=i18n.both("help.import.dry_run")),
    skip_errors: Optional[Path] = typer.Option(None, "--skip-errors", help=i18n.both("help.import.skip_errors"),
                                               metavar="REJECTS.csv"),
) -> None:
    from .. import classify as engine

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
            run_batch(app_ctx.playbook(), batch, output, notes_column, sheet, fmt)
            return
        if no_save:
            raise UsageError(i18n.t("bsave.save_and_no_save"))
        from ..importer import parse_map
        from . import batch_save

        overrides = parse_map(mapping or [])
        if skip_errors is not None and skip_errors.resolve() == batch.resolve():
            raise UsageError(i18n.t("import.rejects_is_input"))
        batch_save.run(app_ctx, app_ctx.playbook(), batch, output=output, notes_column=notes_column, sheet=sheet,
                       fmt=fmt, overrides=overrides, on_duplicate=(on_duplicate or OnDuplicate.update).value,
                       dry_run=dry_run, rejects=skip_errors)
        return
    for option, value in (("--output", output), ("--notes-column", notes_column), ("--sheet", sheet),
                          ("--save", save_batch or None), *save_options):
        if value is not None:
            raise UsageError(i18n.t("notes.needs_batch", option=option))
    pb = app_ctx.playbook()
    for option, value in (("NAME", name), ("--notes", notes), *(("--answer", a) for a in answer)):
        if value is not None:
            utf8_text(value, option)
    notes_text = read_notes_option(notes)
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

    flags = {k: v for k, v in (("headcount", headcount), ("budget_per_head", budget_per_head),
                               ("budget_total", budget_total)) if v is not None}
    interactive = not given and notes_text is None
    if interactive:
        from .. import prompts

        if not prompts.is_interactive():
            raise UsageError(i18n.t("classify.not_tty"))
        answers = run_questionnaire(pb, set(flags), ask_all)
        if name is None and not no_save:
            name = prompts.ask_text(i18n.t("classify.ask_name")).strip() or None

    match = None
    if notes_text is not None:
        from ..notes import read_notes

        match = read_notes(pb, notes_text)
    result = engine.classify(pb, answers, extra=match)
    # What the client record already knows counts too (never a bundle above a known budget);
    # this call's answers, notes and flags are newer, so they win.
    fields = {**result.fields, **flags}
    if match is not None:
        fill_from_notes(pb, match, result, fields)
    fields = {**(stored_fields(app_ctx, name) if name else {}), **fields}
    outcome = conclude(pb, result, {**fields, "name": name})
    if match is not None and not answers and result.segment == engine.UNKNOWN:
        outcome["recommendation"].note = i18n.t("notes.reason.unknown")

    client_id = None
    if not no_save and name:
        client_id = save(app_ctx, pb, name, result, fields, interactive, notes=notes_text)
    elif not no_save:
        sys.stderr.write(i18n.t("classify.not_saved_no_name") + "\n")

    if fmt.is_json:
        data = result_json(result, outcome, pb, client_id)
        data["notes"] = None if match is None else {**match.as_json(), "filled": match.filled}
        sys.stdout.write(json_text(data, fmt))
        return
    from .. import render

    render.print_classification(result, outcome["segment_name"], outcome["need_points"], outcome["values"],
                                outcome["pitch"], outcome["recommendation"], pb.currency, client_name=name)
    if client_id is not None:
        render.print_line(i18n.t("classify.next"), style="bold")
        render.print_line(f"  tg pitch {client_id}\n  tg clients show {client_id}\n  tg refer {client_id} <NAME>")


def run_questionnaire(pb, known_fields: set[str], ask_all: bool) -> dict:
    from .. import classify as engine
    from .. import prompts

    answers: dict[str, Any] = {}
    while True:
        q = engine.next_question(pb, answers, known_fields, ask_all)
        if q is None:
            return answers
        raw = prompts.ask_question(q, len(answers) + 1)
        answers[q.id] = engine.parse_answer(q, raw)
        code, p = engine.leader(pb, answers)
        seg = pb.segment(code)
        prompts.say("  → " + i18n.t("classify.leading", segment=seg.name.get() if seg else i18n.t("segment.unknown"),
                                     confidence=p))


def conclude(pb, result, fields: dict) -> dict:
    """Need points, bundles and pitch for the segment found (nothing but a note if none)."""
    from ..classify import UNKNOWN
    from ..pitch import build_pitch
    from ..recommend import Recommendation, recommend

    if result.segment == UNKNOWN:
        return {"segment_name": i18n.t("segment.unknown"), "need_points": [], "values": [], "pitch": None,
                "recommendation": Recommendation([], i18n.t("classify.no_signal"))}
    seg = pb.segment(result.segment)
    # The occasion: this call's answer (its choice value; "other" too, which sets no text), else
    # the occasion text known so far (set by the answer or the notes, else the client's record).
    from ..playbook import OCCASION_QUESTION

    answered = result.answers.get(OCCASION_QUESTION)
    occasion = answered if isinstance(answered, str) else fields.get("occasion")
    rec = recommend(pb, result.segment, headcount=fields.get("headcount"),
                    budget_per_head=fields.get("budget_per_head"), budget_total=fields.get("budget_total"),
                    wanted_tags=result.tags, occasion=occasion)
    pitch = build_pitch(pb, seg, fields, rec.offers[0] if rec.offers else None)
    needs_met = stated_needs_met(pb, result.answers, rec.offers)
    return {"segment_name": seg.name.get(), "need_points": [t.get() for t in seg.need_points],
            "values": [t.get() for t in seg.values], "pitch": pitch, "recommendation": rec,
            "needs_met": needs_met}


def stated_needs_met(pb, answers: dict, offers: list) -> dict:
    """For each offered bundle, which of the needs just stated (the multi-choice answers, which
    saving records as the client's stated needs) it meets and which it leaves open; the reasons
    of each offer say so too."""
    from ..accounts import need_fit

    needs = [{"kind": "stated", "text": q.choice(v).label.get()}
             for qid, answer in answers.items()
             if (q := pb.question(qid)) is not None and q.type == "multiselect" and isinstance(answer, list)
             for v in answer if q.choice(v) is not None]
    out = {}
    for offer in offers:
        fit = need_fit(pb, offer.bundle, needs)
        offer.reasons += [i18n.t("acct.pitch.need_met", need=n, why=w) for n, w in fit.met]
        offer.reasons += [i18n.t("acct.pitch.need_open", need=n) for n in fit.open]
        out[offer.code] = {"stated_met": [n for n, _ in fit.met], "stated_open": fit.open,
                           "guided_added": fit.adds}
    return out


def read_notes_option(notes: str | None) -> str | None:
    """The --notes text; ``-`` reads it from stdin, as UTF-8 bytes kept exactly (\\r\\n too)."""
    if notes != "-":
        return notes
    if sys.stdin.isatty():
        sys.stderr.write(i18n.t("notes.stdin_tty") + "\n")
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin (an embedding program's): its own decoding stands
        return sys.stdin.read()
    try:
        return stream.read().decode("utf-8")
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


def fill_from_notes(pb, match, result, fields: dict) -> None:
    """Figures in the notes fill what neither the options nor the answers gave; the reasons say so."""
    from ..notes import figures_reason

    match.filled = [k for k in match.figures.fields() if k not in fields]
    for k in match.filled:
        fields[k] = match.figures.fields()[k]
    line = figures_reason(match.figures, set(match.filled), pb.currency)
    if line:
        result.reasons.append(line)


def run_batch(pb, path: Path, output: Path | None, notes_column: str | None, sheet: str | None,
              fmt: TextOrJson) -> None:
    """tg classify --batch: the lead list back with segment, confidence, reasons, bundle and total."""
    from .. import batch

    table = batch.read_table(path, sheet)
    cols = batch.detect_columns(table, path, notes_column)
    columns = table.headers + batch.output_columns(table.headers)
    counts: dict[str, int] = {}
    # A file goes back in the encoding the list came in (GB18030 stays GB18030); stdout is UTF-8.
    with batch_output(output, fmt, table.encoding if output is not None else "utf-8", columns) as write:
        n = write(batch.classified_rows(pb, table, cols, counts))
    sys.stdout.flush()
    print_batch_done(n, counts, table.headers[cols.notes], output)


@contextmanager
def batch_output(output: Path | None, fmt: TextOrJson, encoding: str, columns: list[str]) -> Iterator:
    """Where the classified rows go: yields ``write(rows) -> count``. A CSV or JSON file is opened
    (beside its target) before the block runs, so a path that cannot be written fails first, and
    is renamed into place when the block ends without an error."""
    from .. import batch
    from ..export import open_output, write_csv, write_json, write_jsonl

    try:
        if output is not None and output.suffix.lower() in (".xlsx", ".xlsm"):
            folder = output.parent
            if not folder.is_dir() or not os.access(folder, os.W_OK):  # written only at the end: check now
                code = errno.EACCES if folder.is_dir() else errno.ENOENT
                raise TgError(i18n.t("notes.batch.cannot_write", path=output, reason=os.strerror(code)))
            yield lambda rows: batch.write_xlsx(output, columns, rows)
            return
        writer = {"json": write_json, "jsonl": write_jsonl}.get(fmt.value, write_csv)
        with open_output(output, encoding) as out:
            yield lambda rows: writer(rows, columns, out)
    except OSError as exc:
        raise TgError(i18n.t("notes.batch.cannot_write", path=output, reason=exc.strerror or exc)) from None


def print_batch_done(n: int, counts: dict[str, int], notes_column: str, output: Path | None) -> None:
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
    say(i18n.t("notes.batch.done", rows=n, counts=summary or "-", column=notes_column))
    if output is not None:
        say(i18n.t("notes.batch.written", path=output))


def save(app_ctx, pb, name: str, result, fields: dict, interactive: bool, notes: str | None = None) -> int:
    """Attach the classification to the client named exactly so, or to a new client.

    Candidates are read first and any question asked before the write
    transaction opens, so no prompt ever holds the database's write lock.
    """
    from .. import store as st
    from ..errors import Ambiguous
    from ..models import Client

    db = app_ctx.store()
    user = app_ctx.user()
    with db.read() as session:
        exact = [(c.id, c.name, c.city) for c in st.exact_clients(session, name)]
    client_id = exact[0][0] if len(exact) == 1 else None
    if len(exact) > 1:
        message = i18n.t("client.ambiguous", count=len(exact), query=name)
        options = [(f"#{cid}  {cname}  {city or ''}".rstrip(), cid) for cid, cname, city in exact]
        if not interactive:
            raise Ambiguous(message, details=["  " + title for title, _ in options])
        from .. import prompts

        client_id = prompts.ask_pick(message, options)
    with db.write() as session:
        client = session.get(Client, client_id) if client_id is not None else None
        created = client is None
        if created:
            client = st.create_client(session, name=name, user=user)
        # The notes are kept with the answers ("_notes" can never be a question id).
        answers = {**result.answers, "_notes": notes} if notes is not None else result.answers
        st.save_classification(session, client=client, segment=result.segment, confidence=result.confidence,
                               answers=answers, scores=result.scores, playbook=pb, user=user,
                               fields=client_fields(fields))
        from ..account_store import record_classify_needs  # accounts (issue 3): priorities → stated needs

        record_classify_needs(session, client=client, pb=pb, answers=result.answers, user=user)
        client_id, client_name = client.id, client.name
    key = "classify.saved_new" if created else "classify.saved_existing"
    say(i18n.t(key, id=client_id, name=client_name))
    return client_id


def stored_fields(app_ctx, name: str) -> dict:
    """The fields of the one client named exactly so; nothing for a new or ambiguous name."""
    from .. import store as st

    with app_ctx.store().read() as session:
        found = st.exact_clients(session, name)
        if len(found) != 1:
            return {}
        record = st.client_json(found[0])
    keys = ("headcount", "budget_per_head", "budget_total", "occasion", "industry", "city")
    return {k: record[k] for k in keys if record[k] is not None}


def client_fields(fields: dict) -> dict:
    from ..store import CLIENT_FIELDS

    return {k: v for k, v in fields.items() if k in CLIENT_FIELDS}


def read_answers_file(path: Path) -> dict:
    """The --answers file (JSON by its suffix, else YAML) as question id → answer; a file that
    cannot be read, is not a mapping or holds text that is not Unicode (a lone surrogate
    escape, "\\udcff") is a one-line error before anything is asked or written."""
    import yaml

    from ..playbook import load_yaml, lone_surrogate_at, shown_path, yaml_problem

    try:
        text = path.read_text(encoding="utf-8")
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


def result_json(result, outcome: dict, pb, client_id: int | None) -> dict:
    from ..export import json_value

    rec = outcome["recommendation"]
    return {
        "segment": result.segment,
        "segment_name": outcome["segment_name"],
        "confidence": result.confidence,
        "scores": result.scores,
        "probabilities": result.probabilities,
        "reasons": result.reasons,
        "evidence": [{"question": e.question_id, "answer": e.answer, "weights": e.weights, "delta": e.delta}
                     for e in result.evidence],
        "answers": result.answers,
        "need_points": outcome["need_points"],
        "values": outcome["values"],
        "pitch": outcome["pitch"].as_json() if outcome["pitch"] else None,
        "bundles": [
            {"code": o.code, "name": o.bundle.name.get(), "per_head": json_value(o.per_head),
             "quantity": o.quantity, "total": json_value(o.total), "discount_pct": o.discount_pct,
             "reasons": o.reasons, "needs": outcome.get("needs_met", {}).get(o.code)}
            for o in rec.offers
        ],
        "note": rec.note,
        "playbook_version": pb.version,
        "client_id": client_id,
    }
