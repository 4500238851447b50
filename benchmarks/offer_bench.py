"""Speed of the offer and the catalogue, as ratios measured in one run (median of several).

    python benchmarks/offer_bench.py [--runs 5]

1. The offer for a call on a 5,000-product catalogue ≤ 1.1× the same on today's 16 bundles:
   `tg classify --notes TEXT --no-save` on each database, and the offer road alone (a process
   that reads the ask, the catalogue and builds the offer, as classify does).
2. `tg pitch CLIENT` ≤ 1.5× `python -c "import sqlmodel"`.
3. `tg catalog import` of 10,000 products ≤ 3× `tg import clients` of 10,000 rows.
Everything runs in a temporary directory; nothing of the user's is touched.
"""

from __future__ import annotations

import argparse
import csv
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

NOTES = "中秋员工福利，全厂300人，每人150左右，老板想要有点新意的"
OFFICE_NOTES = "设备科招标采购打印机，按参数定"
ROAD = """
import sys
from tuangou_cli.cli.context import AppContext
from tuangou_cli.playbook import load_playbook
from tuangou_cli import classify as engine
from tuangou_cli.notes import read_notes
from tuangou_cli.offer_call import offer_from_store
pb = load_playbook()
notes = sys.argv[1]
m = read_notes(pb, notes)
r = engine.classify(pb, {}, extra=m)
fields = {**r.fields, **m.figures.fields()}
rec = offer_from_store(AppContext(), pb, segment=r.segment, tags=r.tags, fields=fields, notes=notes)
print(rec.offers[0].code if rec.offers else rec.note)
"""


def run(cmd: list[str], env: dict, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def big_catalogue(path: Path, n: int) -> None:
    from tuangou_cli import catalog
    from tuangou_cli.store.catalog import default_products

    base = list(default_products())
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(catalog.COLUMNS)
        for i in range(n):
            p = base[i % len(base)]
            q = replace(p, code=f"BIG-{i:05d}", name=type(p.name)(f"{p.name.zh}{i}", f"{p.name.en} {i}"))
            w.writerow([q.row()[c] for c in catalog.COLUMNS])


def leads(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["单位名称", "行业", "城市", "人数", "人均预算"])
        for i in range(n):
            w.writerow([f"测试单位{i:05d}", "企业", "杭州", 100 + i % 300, 150])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    tg = [sys.executable, "-m", "tuangou_cli"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "HOME": str(tmp), "XDG_DATA_HOME": str(tmp / "data"), "XDG_CACHE_HOME": str(tmp / "cache"),
               "TG_LANG": "zh"}
        env.pop("TG_PLAYBOOK", None)
        small, big = tmp / "small.db", tmp / "big.db"
        for db in (small, big):
            subprocess.run([*tg, "--db", str(db), "db", "upgrade"], env=env, check=True, capture_output=True)
        # Today's 16 bundles: the catalogue holds only the playbook's bundles and their parts.
        with sqlite3.connect(small) as conn:
            conn.execute("DELETE FROM product WHERE code NOT IN (SELECT product_code FROM bundle_line)")
        big_catalogue(tmp / "big.csv", 5000)
        subprocess.run([*tg, "--db", str(big), "catalog", "import", str(tmp / "big.csv")], env=env, check=True,
                       capture_output=True)
        out = []
        for label, notes in (("welfare", NOTES), ("office", OFFICE_NOTES)):
            t_small = run([*tg, "--db", str(small), "classify", "--notes", notes, "--no-save"], env, args.runs)
            t_big = run([*tg, "--db", str(big), "classify", "--notes", notes, "--no-save"], env, args.runs)
            r_small = run([sys.executable, "-c", ROAD, notes], {**env, "TG_DB": str(small)}, args.runs)
            r_big = run([sys.executable, "-c", ROAD, notes], {**env, "TG_DB": str(big)}, args.runs)
            out.append(f"classify --notes ({label}): 5,000 products {t_big:.3f}s / 16 bundles {t_small:.3f}s = "
                       f"{t_big / t_small:.2f}x (target ≤ 1.1)")
            out.append(f"offer road ({label}):      5,000 products {r_big:.3f}s / 16 bundles {r_small:.3f}s = "
                       f"{r_big / r_small:.2f}x (target ≤ 1.1)")
        subprocess.run([*tg, "--db", str(big), "classify", "市人民医院", "--notes", NOTES], env=env, check=True,
                       capture_output=True)
        t_pitch = run([*tg, "--db", str(big), "pitch", "1"], env, args.runs)
        t_sqlmodel = run([sys.executable, "-c", "import sqlmodel"], env, args.runs)
        out.append(f"tg pitch {t_pitch:.3f}s / import sqlmodel {t_sqlmodel:.3f}s = {t_pitch / t_sqlmodel:.2f}x "
                   f"(target ≤ 1.5)")
        big_catalogue(tmp / "10k.csv", 10000)
        leads(tmp / "leads.csv", 10000)
        times_cat, times_leads = [], []
        for i in range(max(1, args.runs // 2)):
            for db in (tmp / f"c{i}.db", tmp / f"l{i}.db"):
                subprocess.run([*tg, "--db", str(db), "db", "upgrade"], env=env, check=True, capture_output=True)
            t = time.perf_counter()
            subprocess.run([*tg, "--db", str(tmp / f"c{i}.db"), "catalog", "import", str(tmp / "10k.csv")], env=env,
                           check=True, capture_output=True)
            times_cat.append(time.perf_counter() - t)
            t = time.perf_counter()
            subprocess.run([*tg, "--db", str(tmp / f"l{i}.db"), "import", "clients", str(tmp / "leads.csv")], env=env,
                           check=True, capture_output=True)
            times_leads.append(time.perf_counter() - t)
        c, l_ = statistics.median(times_cat), statistics.median(times_leads)
        out.append(f"catalog import 10,000 {c:.3f}s / import clients 10,000 {l_:.3f}s = {c / l_:.2f}x (target ≤ 3)")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
