"""xlsx out and search at 100,000 clients, against baselines measured in the same run.

    python benchmarks/daily_bench.py                      # builds a 100k demo database (a few minutes)
    python benchmarks/daily_bench.py --db demo100k.db     # reuses one made by `tg demo --clients 100000`
    python benchmarks/daily_bench.py --runs 7

Targets (whole-process medians):

* ``tg export clients -o x.xlsx``  <= 1.3 x a bare script writing the same rows with the same library
  (xlsxwriter, constant_memory: the clients read with sqlite3, written with ``write_row``)
* ``tg search 医院``                <= 1.5 x ``python -c "import sqlmodel"``  (the index built first)

For reference it also times the same rows written by openpyxl's write-only mode (why xlsxwriter
was chosen) and ``tg search`` of a longer text (人民医院, the trigram index itself) and of one
character. Exit status 1 if a target is missed. The database is copied first: the benchmark never
changes the one given.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import medians, tg_command, timed  # noqa: E402

COLUMNS = ("id, name, industry, city, headcount, budget_per_head, budget_total, occasion, segment, confidence, "
           "stage, owner, notes, created_at, updated_at, created_by, updated_by")

BARE = """
import sqlite3, sys
import {lib}
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute("SELECT {cols} FROM client ORDER BY id")
{body}
"""
XLSXWRITER = """wb = xlsxwriter.Workbook(sys.argv[2], {"constant_memory": True, "strings_to_formulas": False,
                                      "strings_to_urls": False, "strings_to_numbers": False})
ws = wb.add_worksheet("clients")
ws.write_row(0, 0, [d[0] for d in rows.description])
for r, row in enumerate(rows, 1):
    ws.write_row(r, 0, row)
wb.close()"""
OPENPYXL = """wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("clients")
ws.append([d[0] for d in rows.description])
for row in rows:
    ws.append(row)
wb.save(sys.argv[2])"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="a tg demo database to copy (default: make one)")
    parser.add_argument("--clients", type=int, default=100_000)
    args = parser.parse_args()

    tg = tg_command()
    work = Path(tempfile.mkdtemp(prefix="tg-daily-bench-"))
    db = work / "bench.db"
    env = dict(os.environ, TG_DB=str(db), TG_LANG="en", TG_USER="bench", NO_COLOR="1", HOME=str(work),
               XDG_DATA_HOME=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"))
    env.pop("TG_PLAYBOOK", None)
    env.pop("TG_CONFIG", None)
    try:
        if args.db:
            shutil.copy(args.db, db)
            subprocess.run(tg + ["db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        else:
            print(f"building a demo database of {args.clients:,} clients…", flush=True)
            subprocess.run(tg + ["demo", "--clients", str(args.clients)], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # The first search builds the trigram index (once per database): not what is timed.
        subprocess.run(tg + ["search", "医院"], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        py = sys.executable
        bare_xw = work / "bare_xw.py"
        bare_xw.write_text(BARE.format(lib="xlsxwriter", cols=COLUMNS, body=XLSXWRITER))
        bare_op = work / "bare_op.py"
        bare_op.write_text(BARE.format(lib="openpyxl", cols=COLUMNS, body=OPENPYXL))
        out = str(work / "x.xlsx")
        results = medians({
            "python -c 'import sqlmodel'": lambda: timed([py, "-c", "import sqlmodel"], env),
            "tg search 医院": lambda: timed(tg + ["search", "医院"], env),
            "tg search 人民医院": lambda: timed(tg + ["search", "人民医院"], env),
            "tg search 医": lambda: timed(tg + ["search", "医"], env),
            "tg export clients -o x.xlsx": lambda: timed(tg + ["export", "clients", "-o", out], env),
            "bare xlsxwriter script": lambda: timed([py, str(bare_xw), str(db), out], env),
            "bare openpyxl write-only script": lambda: timed([py, str(bare_op), str(db), out], env),
        }, args.runs)
        print(f"tg: {' '.join(tg)}   runs: {args.runs} (median, seconds)")
        for name, value in results.items():
            print(f"  {name:<34} {value:8.3f}")
        targets = [("tg export clients -o x.xlsx", "bare xlsxwriter script", 1.3),
                   ("tg search 医院", "python -c 'import sqlmodel'", 1.5)]
        ok = True
        print("targets:")
        for name, base, limit in targets:
            ratio = results[name] / results[base]
            ok &= ratio <= limit
            print(f"  {name:<34} {ratio:6.2f} x {base:<30} (target <= {limit:g})  "
                  f"{'ok' if ratio <= limit else 'MISSED'}")
        print("reference:")
        ratio = results["bare openpyxl write-only script"] / results["bare xlsxwriter script"]
        print(f"  openpyxl write-only / xlsxwriter   {ratio:6.2f} x")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
