"""Check the shipped catalogue, the offer cases and the test price lists.

Run from the repository root:  python benchmarks/data/check_data.py
Exits 1 on any problem; prints counts per segment, occasion and price band.
Uses only the standard library and PyYAML.
"""
import collections
import csv
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "tuangou_cli" / "data" / "catalog.csv"
CASES = ROOT / "benchmarks" / "data" / "offer_cases.yaml"
TESTDATA = ROOT / "tests" / "data"

HEADER = ("code,name_zh,name_en,spec_zh,spec_en,category_zh,category_en,unit_zh,unit_en,"
          "unit_price,price_includes_vat,vat_rate,min_order,lead_days,occasions,segments,"
          "tags,tiers,active").split(",")
SEGMENTS = {"office", "welfare", "gift"}
OCCASIONS = ("spring_festival lantern womens_day dragon_boat mid_autumn national_day summer "
             "year_end birthday childrens_day teachers_day nurses_day union_event client_thanks "
             "promotion conference anniversary routine").split()
TAGS = set(("novel practical economy premium brandable festive family health tech durable safety "
            "service marketing custom_logo compliant card luxury").split())
VAT_RATES = {"13", "9", "6", "0"}
CODE_RE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
PRICE_RE = re.compile(r"^\d+(?:\.\d{1,2})?$")
PATH_RE = re.compile(r"^[^/]+/[^/]+$")
BANDS = [(0, 10), (10, 30), (30, 100), (100, 180), (180, 500), (500, 2000), (2000, 5000), (5000, 10000)]
CLIENT_KINDS = {"government", "party", "public_institution", "soe", "private", "union", "bank"}
BASES = {"per_unit", "per_head", "per_piece"}
CAP_BASES = BASES | {"total"}
RULES = {"block_card_government", "block_luxury_government", "warn_luxury_soe",
         "warn_union_outside_festival", "warn_union_yearly_amount",
         "cash_reward_to_public_body", "warn_gift_to_hospital"}
WARNINGS = {"min_order_above_need"}

errors = []


def err(msg):
    errors.append(msg)


def check_catalog():
    with CATALOG.open(encoding="utf-8", newline="") as fh:
        raw = fh.read()
    if raw.startswith("\ufeff"):
        err("catalog.csv: has a BOM")
    rows = list(csv.reader(raw.splitlines()))
    if rows[0] != HEADER:
        err(f"catalog.csv: header is not exactly VOCAB.md's: {rows[0]}")
    products = []
    codes = set()
    cat_map_zh, cat_map_en = {}, {}
    for n, row in enumerate(rows[1:], start=2):
        where = f"catalog.csv line {n}"
        if len(row) != len(HEADER):
            err(f"{where}: {len(row)} fields, want {len(HEADER)}")
            continue
        p = dict(zip(HEADER, row))
        for k in ("code", "name_zh", "name_en", "spec_zh", "spec_en", "category_zh",
                  "category_en", "unit_zh", "unit_en", "segments", "tags"):
            if not p[k].strip():
                err(f"{where}: {k} is empty")
            if p[k] != p[k].strip():
                err(f"{where}: {k} has surrounding spaces")
        if not CODE_RE.match(p["code"]):
            err(f"{where}: code {p['code']!r} is not upper-case ASCII with dashes")
        if p["code"] in codes:
            err(f"{where}: duplicate code {p['code']}")
        codes.add(p["code"])
        for k in ("category_zh", "category_en"):
            if not PATH_RE.match(p[k]):
                err(f"{where}: {k} {p[k]!r} is not a two-level path")
        if cat_map_zh.setdefault(p["category_zh"], p["category_en"]) != p["category_en"]:
            err(f"{where}: {p['category_zh']} maps to two English paths")
        if cat_map_en.setdefault(p["category_en"], p["category_zh"]) != p["category_zh"]:
            err(f"{where}: {p['category_en']} maps to two Chinese paths")
        if not PRICE_RE.match(p["unit_price"]):
            err(f"{where}: unit_price {p['unit_price']!r}")
            continue
        price = Decimal(p["unit_price"])
        if price <= 0:
            err(f"{where}: unit_price not positive")
        if p["price_includes_vat"] not in ("0", "1"):
            err(f"{where}: price_includes_vat {p['price_includes_vat']!r}")
        if p["vat_rate"] not in VAT_RATES:
            err(f"{where}: vat_rate {p['vat_rate']!r}")
        for k in ("min_order", "lead_days"):
            if not p[k].isdigit():
                err(f"{where}: {k} {p[k]!r} is not an integer")
        if p["min_order"].isdigit() and int(p["min_order"]) < 1:
            err(f"{where}: min_order < 1")
        if p["lead_days"].isdigit() and not 3 <= int(p["lead_days"]) <= 30:
            err(f"{where}: lead_days {p['lead_days']} outside 3–30")
        occ = p["occasions"].split(";") if p["occasions"] else []
        for o in occ:
            if o not in OCCASIONS:
                err(f"{where}: unknown occasion {o!r}")
        if len(set(occ)) != len(occ):
            err(f"{where}: repeated occasion")
        segs = p["segments"].split(";")
        for s in segs:
            if s not in SEGMENTS:
                err(f"{where}: unknown segment {s!r}")
        tags = p["tags"].split(";")
        for t in tags:
            if t not in TAGS:
                err(f"{where}: unknown tag {t!r}")
        if "compliant" in tags and ({"card", "luxury"} & set(tags)):
            err(f"{where}: compliant together with card/luxury")
        if p["category_zh"].startswith("卡券/") != ("card" in tags):
            err(f"{where}: card tag and 卡券 category disagree")
        last = 0
        if p["tiers"]:
            for t in p["tiers"].split(";"):
                m = re.match(r"^(\d+):(\d+(?:\.\d+)?)$", t)
                if not m:
                    err(f"{where}: tier {t!r}")
                    continue
                q, d = int(m.group(1)), Decimal(m.group(2))
                if q <= last or not 0 < d < 50:
                    err(f"{where}: tiers not increasing or discount odd: {p['tiers']}")
                if q < int(p["min_order"]):
                    err(f"{where}: tier {q} below min_order")
                last = q
        if p["active"] not in ("0", "1"):
            err(f"{where}: active {p['active']!r}")
        products.append(dict(p, price=price, occ=occ, segs=segs, tagset=set(tags)))
    return products, cat_map_zh


def report_catalog(products):
    print(f"catalog.csv: {len(products)} products, {len({p['category_zh'] for p in products})} categories")
    prices = [p["price"] for p in products]
    print(f"  price range: ¥{min(prices)} – ¥{max(prices)}")
    seg = collections.Counter(s for p in products for s in p["segs"])
    print("  per segment: " + ", ".join(f"{s} {seg[s]}" for s in sorted(SEGMENTS)))
    occ = collections.Counter(o for p in products for o in p["occ"])
    occ["any"] = sum(1 for p in products if not p["occ"])
    print("  per occasion: " + ", ".join(f"{o} {occ[o]}" for o in OCCASIONS + ["any"]))
    for s in SEGMENTS:
        if seg[s] < 3:
            err(f"segment {s} has fewer than 3 products")
    for o in OCCASIONS + ["any"]:
        if occ[o] < 3:
            err(f"occasion {o} has fewer than 3 products")
    band_line = []
    for lo, hi in BANDS:
        c = sum(1 for p in products if lo <= p["price"] < hi)
        band_line.append(f"¥{lo}–{hi}: {c}")
    print("  per price band: " + ", ".join(band_line))
    band = [p for p in products if 100 <= p["price"] <= 180 and "welfare" in p["segs"]]
    print(f"  welfare band ¥100–180: {len(band)} products")
    if len(band) < 25:
        err("fewer than 25 welfare products in ¥100–180")
    tags = collections.Counter(t for p in products for t in p["tagset"])
    print("  per tag: " + ", ".join(f"{t} {tags[t]}" for t in sorted(TAGS)))
    vat = collections.Counter(p["vat_rate"] for p in products)
    print("  per VAT rate: " + ", ".join(f"{k}% {v}" for k, v in sorted(vat.items())),
          f"; price excl. VAT: {sum(1 for p in products if p['price_includes_vat'] == '0')}")
    if len(products) < 180:
        err("fewer than 180 products")
    if min(prices) < 5 or max(prices) > 9000:
        err("price outside ¥5–¥9,000")
    for p in products:
        if p["price"] > 5000 and not p["category_zh"].startswith("办公"):
            err(f"{p['code']}: above ¥5,000 and not an office item")


def check_cases(cat_map_zh):
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    ids = set()
    kinds = collections.Counter()
    segs = collections.Counter()
    langs = collections.Counter()
    occs = collections.Counter()
    nic = 0
    for c in cases:
        cid = c.get("id")
        where = f"offer_cases.yaml {cid}"
        if cid in ids:
            err(f"{where}: duplicate id")
        ids.add(cid)
        if c.get("lang") not in ("zh", "en", "mixed"):
            err(f"{where}: lang {c.get('lang')!r}")
        if not isinstance(c.get("notes"), str) or not c["notes"].strip():
            err(f"{where}: notes missing")
        for k in ("headcount", "budget_total", "budget_per_head"):
            if c.get(k) is not None and not (isinstance(c[k], (int, float)) and c[k] > 0):
                err(f"{where}: {k} {c[k]!r}")
        if c.get("client_kind") not in CLIENT_KINDS:
            err(f"{where}: client_kind {c.get('client_kind')!r}")
        e = c.get("expect") or {}
        for k in ("segment", "category", "not_in_catalogue", "basis", "quantity", "cap",
                  "must_not", "excluded_items", "rules"):
            if k not in e:
                err(f"{where}: expect.{k} missing")
        if e.get("segment") not in SEGMENTS:
            err(f"{where}: segment {e.get('segment')!r}")
        cat = e.get("category")
        if cat is not None and cat not in cat_map_zh:
            err(f"{where}: category {cat!r} is not a category_zh in catalog.csv")
        if e.get("not_in_catalogue") is True:
            nic += 1
            if cat is not None:
                err(f"{where}: not in catalogue but a category is named")
        elif e.get("not_in_catalogue") is not False:
            err(f"{where}: not_in_catalogue must be true/false")
        if e.get("basis") not in BASES:
            err(f"{where}: basis {e.get('basis')!r}")
        q = e.get("quantity")
        if q is not None and not (isinstance(q, int) and q > 0):
            err(f"{where}: quantity {q!r}")
        for key in ("cap", "target"):
            b = e.get(key)
            if b is not None:
                if set(b) != {"amount", "basis"} or b["basis"] not in CAP_BASES \
                        or not isinstance(b["amount"], (int, float)) or b["amount"] <= 0:
                    err(f"{where}: {key} {b!r}")
        if e.get("cap") and e.get("target"):
            err(f"{where}: both cap and target")
        for m in e.get("must_not") or []:
            if m not in TAGS and m not in cat_map_zh:
                err(f"{where}: must_not {m!r} is neither a tag nor a category")
        for r in e.get("rules") or []:
            if r not in RULES:
                err(f"{where}: unknown rule {r!r}")
        for w in e.get("warnings") or []:
            if w not in WARNINGS:
                err(f"{where}: unknown warning {w!r}")
        o = e.get("occasion")
        if o is not None and o not in OCCASIONS:
            err(f"{where}: occasion {o!r}")
        if c.get("client_kind") in ("government", "party"):
            for t in ("card", "luxury"):
                if t not in (e.get("must_not") or []):
                    err(f"{where}: government/party case without must_not {t}")
        kinds[c.get("client_kind")] += 1
        segs[e.get("segment")] += 1
        langs[c.get("lang")] += 1
        occs[o or "none"] += 1
    print(f"offer_cases.yaml: {len(cases)} cases, {nic} not in catalogue")
    print("  per segment: " + ", ".join(f"{k} {v}" for k, v in sorted(segs.items())))
    print("  per client kind: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print("  per lang: " + ", ".join(f"{k} {v}" for k, v in sorted(langs.items())))
    print("  per occasion: " + ", ".join(f"{k} {v}" for k, v in sorted(occs.items())))
    rules = collections.Counter(r for c in cases for r in c["expect"].get("rules") or [])
    print("  rules expected: " + ", ".join(f"{k} {v}" for k, v in sorted(rules.items())))
    if len(cases) < 60:
        err("fewer than 60 cases")


def check_feasible(products, cases=None):
    """Each case that is in the catalogue must have at least one product a rep could offer first."""
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    notices = []
    for c in cases:
        e = c["expect"]
        if e["not_in_catalogue"]:
            continue
        q = e.get("quantity")
        bad = set(e.get("must_not") or [])
        cand = []
        for p in products:
            if p["active"] != "1":
                continue
            if e["category"] and p["category_zh"] != e["category"]:
                continue
            if not e["category"]:
                if e["segment"] not in p["segs"]:
                    continue
                if e.get("occasion") and p["occ"] and e["occasion"] not in p["occ"]:
                    continue
            if bad & (p["tagset"] | {p["category_zh"]}):
                continue
            cap = e.get("cap")
            if cap:
                if cap["basis"] == "total":
                    if q and p["price"] * q > cap["amount"]:
                        continue
                elif p["price"] > cap["amount"]:
                    continue
            cand.append(p)
        fits = [p for p in cand if q is None or int(p["min_order"]) <= q]
        if not cand:
            err(f"offer_cases.yaml {c['id']}: no product in the catalogue can be offered")
        elif "min_order_above_need" in (e.get("warnings") or []):
            if fits:
                notices.append(f"{c['id']}: labelled min_order_above_need; products with a smaller "
                               f"minimum exist but are not what was asked: "
                               + ", ".join(p["code"] for p in fits))
        elif not fits:
            err(f"offer_cases.yaml {c['id']}: every candidate has a minimum order above {q}")
    print(f"  feasibility: every in-catalogue case has at least one product within its cap and rules")
    for n in notices:
        print("  note " + n)


def data_rows(path, skip_title):
    text = path.read_text(encoding="utf-8-sig")
    rows = [r for r in csv.reader(text.splitlines()) if any(x.strip() for x in r)]
    return rows[1 + skip_title:], rows[skip_title]


def check_price_lists():
    for name, skip, lo, hi in (("price_list_zh.csv", 1, 40, 60), ("price_list_en.csv", 0, 20, 20),
                               ("price_list_bad.csv", 0, 8, 8)):
        rows, header = data_rows(TESTDATA / name, skip)
        widths = {len(r) for r in rows} | {len(header)}
        print(f"{name}: {len(rows)} data rows, {len(header)} columns")
        if not lo <= len(rows) <= hi:
            err(f"{name}: {len(rows)} rows, want {lo}–{hi}")
        if len(widths) != 1:
            err(f"{name}: ragged rows {sorted(widths)}")


products, cat_map = check_catalog()
report_catalog(products)
check_cases(cat_map)
check_feasible(products)
check_price_lists()
if errors:
    print(f"\n{len(errors)} problem(s):")
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("\nall checks passed")
