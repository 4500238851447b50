"""Offer evaluation: the labelled call scenarios of benchmarks/data/offer_cases.yaml, each run
through the real road (classify the notes, read the ask, build the offer from the shipped
catalogue within the shipped rules), scored the way a seasoned rep would check the first offer.

    python benchmarks/offer_eval.py            # the shares, then every case that missed
    python benchmarks/offer_eval.py --quiet    # the shares only
    python benchmarks/offer_eval.py --case o004 --show

Printed: the share of cases with the right first category (or the right "not in catalogue"),
the right basis and quantity, the number of offers above a stated cap and of blocked items
offered (both must be 0), and the share with every expected rule applied.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tuangou_cli import i18n  # noqa: E402
from tuangou_cli import classify as engine  # noqa: E402
from tuangou_cli.catalog import in_category  # noqa: E402
from tuangou_cli.store.catalog import default_catalogue  # noqa: E402
from tuangou_cli.notes import read_notes  # noqa: E402
from tuangou_cli.offer_call import offer_for_call  # noqa: E402
from tuangou_cli.playbook import load_playbook  # noqa: E402
from tuangou_cli.recommend import BASIS_OF_SEGMENT, _fold, _has_word, _offering_text  # noqa: E402
from tuangou_cli.rules import buyer_of, reward_hits  # noqa: E402

# What the record would say of each kind of client (its industry text), for the rules.
KIND_INDUSTRY = {"government": "政府机关", "party": "党委", "public_institution": "事业单位", "soe": "国企",
                 "union": "工会", "bank": "银行", "private": "企业"}


def run_case(pb, catalogue, case: dict):
    i18n.set_lang(case.get("lang") or "zh")
    match = read_notes(pb, case["notes"])
    result = engine.classify(pb, {}, extra=match)
    fields = dict(result.fields)
    for k in ("headcount", "budget_per_head", "budget_total"):
        if case.get(k) is not None:
            fields[k] = case[k]
    for k, v in match.figures.fields().items():
        fields.setdefault(k, v)
    fields["industry"] = KIND_INDUSTRY.get(case["client_kind"])
    segment = result.segment
    rec = offer_for_call(pb, catalogue, segment=segment, tags=result.tags, fields=fields, notes=case["notes"],
                         client_name=case["notes"])
    return segment, rec, fields


def offer_tags(o) -> set[str]:
    tags = set(o.offering.tags)
    for ln in o.offering.lines:
        tags.update(ln.product.tags)
    return tags


def check(pb, case: dict, segment: str, rec) -> dict[str, bool | int]:
    e = case["expect"]
    first = rec.offers[0] if rec.offers else None
    out: dict[str, bool | int] = {}
    if e["not_in_catalogue"]:
        out["category"] = rec.not_in_catalogue and not rec.offers
    elif e["category"]:
        out["category"] = first is not None and first.offering.in_category(e["category"])
    else:
        out["category"] = first is not None
    basis = first.basis if first is not None else (rec.basis or BASIS_OF_SEGMENT.get(segment))
    out["basis"] = basis == e["basis"]
    quantity = rec.ask.quantity if rec.ask is not None else None
    out["quantity"] = e["quantity"] is None or quantity == e["quantity"]
    over = 0
    cap = e.get("cap")
    for o in rec.offers:
        if cap is None:
            continue
        amount = Decimal(str(cap["amount"]))
        if cap["basis"] == "total":
            over += o.total is not None and o.total > amount
        else:
            over += o.per_head > amount
    out["over_cap"] = over
    blocked = 0
    for o in rec.offers:
        tags = offer_tags(o)
        for bad in e.get("must_not") or []:
            if "/" in bad:
                blocked += any(in_category(c, bad) for c in o.offering.categories)
            else:
                blocked += bad in tags
        text = _offering_text(o.offering)
        blocked += sum(1 for item in e.get("excluded_items") or [] if _has_word(text, item))
    out["blocked"] = blocked
    got = {h.code for h in rec.rules}
    if "cash_reward_to_public_body" in (e.get("rules") or []):
        buyer = buyer_of(pb, name=case["notes"], industry=KIND_INDUSTRY.get(case["client_kind"]), segment=segment)
        got |= {h.code for h in reward_hits(pb, buyer, "commission")}
    out["rules"] = set(e.get("rules") or []) <= got
    out["warnings"] = all(any(w.kind == "min_order" for w in (first.warnings if first else [])) or
                          any("min" in (rec.note or "") for _ in [0]) for w in e.get("warnings") or [])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default=str(HERE / "data" / "offer_cases.yaml"))
    ap.add_argument("--case", action="append", help="only this case id (repeatable)")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--show", action="store_true", help="print each case's first offers")
    args = ap.parse_args()
    cases = yaml.safe_load(Path(args.cases).read_text(encoding="utf-8"))
    if args.case:
        cases = [c for c in cases if c["id"] in args.case]
    pb = load_playbook()
    catalogue = default_catalogue(pb)
    totals = {"category": 0, "basis": 0, "quantity": 0, "over_cap": 0, "blocked": 0, "rules": 0, "warnings": 0}
    missed = []
    for case in cases:
        segment, rec, _fields = run_case(pb, catalogue, case)
        got = check(pb, case, segment, rec)
        for k, v in got.items():
            totals[k] += int(v)
        bad = [k for k, v in got.items() if (v is False) or (k in ("over_cap", "blocked") and v)]
        if bad:
            missed.append((case, segment, rec, bad))
        if args.show:
            print(case["id"], segment, rec.category, rec.ask.quantity if rec.ask else None,
                  [(o.code, o.category, str(o.per_head), o.unit.get() if o.unit else None, str(o.total))
                   for o in rec.offers], rec.note)
    n = len(cases) or 1
    print(f"cases                          {len(cases)}")
    print(f"right first category / not in catalogue  {totals['category'] / n:.0%}")
    print(f"right basis                    {totals['basis'] / n:.0%}")
    print(f"right quantity                 {totals['quantity'] / n:.0%}")
    print(f"offers above a stated cap      {totals['over_cap']}")
    print(f"blocked items offered          {totals['blocked']}")
    print(f"rules applied right            {totals['rules'] / n:.0%}")
    print(f"minimum-order warnings right   {totals['warnings'] / n:.0%}")
    if not args.quiet:
        for case, segment, rec, bad in missed:
            first = rec.offers[0] if rec.offers else None
            print(f"  {case['id']} {','.join(bad)}: {case['notes'][:50]} → {segment} "
                  f"{first.category if first else None} {first.code if first else rec.note and rec.note[:60]} "
                  f"(want {case['expect']['category']}, q={case['expect']['quantity']} got "
                  f"{rec.ask.quantity if rec.ask else None})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
