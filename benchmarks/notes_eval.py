"""How well `tg classify --notes` reads notes as reps type them, on a labelled corpus.

    python benchmarks/notes_eval.py                       # benchmarks/data/notes_corpus.jsonl
    python benchmarks/notes_eval.py benchmarks/data/notes_dev.jsonl --misses
    python benchmarks/notes_eval.py --json                # the figures as one JSON object

Each line of the corpus is one note: id, text, lang, segment (office|welfare|gift|unknown),
classes, trap, figures {quantity, quantity_unit, budget {amount, basis, kind}, unread}, item,
occasion, recipients, given_before.

Printed: accuracy overall, per segment, per language, per class and on traps; confident and wrong
(confidence at or above the playbook's stop threshold and wrong, per 100 notes); the share of
correct answers that are confident; figure accuracy (of the notes with figures, those where every
figure is read right: the quantity, and the budget's amount, basis and kind); unread detection;
and the offers above a budget the note states, through the path `tg classify --notes` takes
(classify, then the figures filled in, then the offer).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tuangou_cli import classify as engine  # noqa: E402
from tuangou_cli import i18n  # noqa: E402
from tuangou_cli.notes import read_notes  # noqa: E402
from tuangou_cli.playbook import load_playbook  # noqa: E402


def load(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("//"):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: not JSON: {exc}") from None
    return rows


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 0.005


def figure_check(gold: dict, ask) -> tuple[bool, list[str]]:
    """Whether every figure of the note is read right, and what was not."""
    figs = gold.get("figures") or {}
    problems = []
    if not _close(figs.get("quantity"), ask.quantity):
        problems.append(f"quantity {ask.quantity} ≠ {figs.get('quantity')}")
    gb = figs.get("budget")
    ab = ask.budget
    if gb is None and ab is not None:
        problems.append(f"budget {ab.as_json()} not in the note")
    elif gb is not None:
        if ab is None:
            problems.append(f"budget missed ({gb})")
        else:
            for key in ("amount", "basis", "kind"):
                want = gb.get(key)
                got = ab.as_json()[key]
                if want is not None and (not _close(want, got) if key == "amount" else want != got):
                    problems.append(f"budget {key} {got} ≠ {want}")
    return not problems, problems


def has_figures(gold: dict) -> bool:
    figs = gold.get("figures") or {}
    return figs.get("quantity") is not None or figs.get("budget") is not None


def offer_above_budget(pb, result, match, gold: dict) -> bool | None:
    """Whether the top offer `tg classify --notes TEXT --no-save` makes goes above the budget the
    note states (None: no stated budget, or no offer). Through the call the CLI runs."""
    from tuangou_cli.classify_client import CallRequest, run_call

    gb = (gold.get("figures") or {}).get("budget")
    if not gb or gb.get("amount") is None or result.segment == engine.UNKNOWN:
        return None
    outcome = run_call(None, pb, CallRequest(notes=gold["text"], save=False))
    offers = outcome.priced.offers
    if not offers:
        return None
    top = offers[0]
    amount = float(gb["amount"])
    value = top.total if gb.get("basis") == "total" else top.per_head
    if value is None:  # priced per head, headcount unknown: the per-head price is what is offered
        value = top.per_head if top.per_head is not None else None
    if value is None:
        return None
    # A cap (以内, max) is never to be passed; a target (左右, about) may be neared from above by
    # the engine's slack (recommend.TARGET_SLACK): above it is an offer too dear for that buyer.
    from tuangou_cli.recommend import TARGET_SLACK

    limit = amount if gb.get("kind") != "target" else amount * float(TARGET_SLACK)
    return float(value) > limit + 0.005


def evaluate(rows: list[dict], pb) -> dict:
    threshold = pb.settings.stop_confidence
    tally: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    confident_wrong = confident_right = correct = 0
    fig_ok = fig_n = 0
    unread_hit = unread_n = unread_false = 0
    above = offered = 0
    given_ok = given_n = occasion_ok = occasion_n = 0
    misses = []
    for row in rows:
        match = read_notes(pb, row["text"])
        result = engine.classify(pb, {}, extra=match)
        ask = match.ask_for(pb, result.segment)
        gold = row.get("segment") or engine.UNKNOWN
        ok = result.segment == gold
        confident = result.confidence >= threshold and result.segment != engine.UNKNOWN
        keys = [("all", "all"), ("segment", gold), ("lang", row.get("lang") or "?")]
        keys += [("class", c) for c in row.get("classes") or []]
        if row.get("trap"):
            keys.append(("trap", "trap"))
        for group, key in keys:
            tally[group][key][0] += ok
            tally[group][key][1] += 1
        if ok:
            correct += 1
            confident_right += confident
        elif confident:
            confident_wrong += 1
        why = []
        if not ok:
            why.append(f"segment {result.segment} ({result.confidence:.2f}) ≠ {gold}")
        if has_figures(row):
            fig_n += 1
            good, problems = figure_check(row, ask)
            fig_ok += good
            why += problems
        gold_unread = (row.get("figures") or {}).get("unread") or []
        if gold_unread:
            unread_n += 1
            if ask.unread:
                unread_hit += 1
            else:
                why.append(f"unread {gold_unread} not reported")
        elif ask.unread:
            unread_false += 1
            why.append(f"reported unread {[u.text for u in ask.unread]}")
        if row.get("given_before"):
            given_n += 1
            want = {g.casefold() for g in row["given_before"]}
            got = {g.casefold() for g in ask.given_before}
            given_ok += want == got
            if want != got:
                why.append(f"given before {sorted(got)} ≠ {sorted(want)}")
        if row.get("occasion"):
            occasion_n += 1
            occasion_ok += ask.occasion == row["occasion"]
        over = offer_above_budget(pb, result, match, row)
        if over is not None:
            offered += 1
            above += over
            if over:
                why.append("offer above the stated budget")
        if why:
            misses.append((row.get("id"), row["text"], why))
    n = len(rows)
    return {
        "notes": n,
        "accuracy": {group: {key: {"right": v[0], "of": v[1], "share": round(v[0] / v[1], 3)}
                             for key, v in sorted(keys.items())} for group, keys in tally.items()},
        "confident_wrong_per_100": round(100 * confident_wrong / n, 2) if n else 0.0,
        "confident_share_of_correct": round(confident_right / correct, 3) if correct else 0.0,
        "figures": {"right": fig_ok, "of": fig_n, "share": round(fig_ok / fig_n, 3) if fig_n else None},
        "unread": {"reported": unread_hit, "of": unread_n, "false_reports": unread_false},
        "offers_above_budget": {"above": above, "of": offered},
        "given_before": {"right": given_ok, "of": given_n},
        "occasion": {"right": occasion_ok, "of": occasion_n},
        "threshold": threshold,
        "misses": misses,
    }


def show(report: dict, misses: bool) -> None:
    def line(label: str, v: dict) -> str:
        return f"  {label:<22} {v['share']:.3f}  ({v['right']}/{v['of']})"

    print(f"notes: {report['notes']}")
    acc = report["accuracy"]
    print(line("segment accuracy", acc["all"]["all"]))
    if "trap" in acc:
        print(line("on traps", acc["trap"]["trap"]))
    for group in ("segment", "lang", "class"):
        print(f"by {group}:")
        for key, v in acc.get(group, {}).items():
            print(line(key, v))
    print(f"confident and wrong (≥ {report['threshold']:.2f}): {report['confident_wrong_per_100']:.2f} per 100")
    print(f"correct answers that are confident: {report['confident_share_of_correct']:.3f}")
    f = report["figures"]
    if f["of"]:
        print(f"every figure right: {f['share']:.3f} ({f['right']}/{f['of']} notes with figures)")
    u = report["unread"]
    print(f"unread figures reported: {u['reported']}/{u['of']}; reported where none: {u['false_reports']}")
    o = report["offers_above_budget"]
    print(f"offers above a stated budget (a cap, or a target by more than its 10% slack): {o['above']}/{o['of']}")
    g, oc = report["given_before"], report["occasion"]
    print(f"given before read right: {g['right']}/{g['of']}; occasion read right: {oc['right']}/{oc['of']}")
    if misses:
        print("\nmisses:")
        for rid, text, why in report["misses"]:
            print(f"  {rid}: {text}\n      " + "; ".join(why))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(HERE / "data" / "notes_corpus.jsonl"))
    parser.add_argument("--playbook", default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list each note read wrong and why")
    args = parser.parse_args(argv)
    i18n.set_lang("en") if hasattr(i18n, "set_lang") else None
    pb = load_playbook(args.playbook) if args.playbook else load_playbook()
    report = evaluate(load(Path(args.corpus)), pb)
    if args.json:
        if not args.misses:
            report.pop("misses")
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        show(report, args.misses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
