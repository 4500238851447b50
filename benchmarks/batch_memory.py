"""Peak memory of reading a big file: ``tg classify --batch`` of 1,000,000 leads, and imports of xlsx.

    python benchmarks/batch_memory.py                      # 1,000,000 leads as CSV and as XLSX
    python benchmarks/batch_memory.py --rows 200000 --no-xlsx
    python benchmarks/batch_memory.py --import-rows 100000 # also: import of 100k clients, csv vs xlsx

Targets (the whole process's peak RSS, one run each; the files are built once in a temp dir):

* ``tg classify --batch LEADS.csv -o /dev/null`` of 1,000,000 rows   <= 150 MiB
* ``tg classify --batch LEADS.xlsx -o /dev/null`` of 1,000,000 rows  <= 150 MiB
  (memory flat in the row count: the rows are read, classified and written one at a time)

With ``--import-rows N`` it also times ``tg import clients`` of N clients as CSV and as XLSX into
an empty database (the xlsx/csv ratio; issue target <= 3). Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import tg_command  # noqa: E402
from bulk_bench import run, write_clients, write_leads  # noqa: E402

MIB = 1024 * 1024
LIMIT = 150 * MIB


def as_xlsx(src: Path, dst: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("leads")
    with open(src, encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            ws.append(row)
    wb.save(dst)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-xlsx", action="store_true", help="only the CSV batch")
    parser.add_argument("--import-rows", type=int, default=0, help="also time imports of this many clients")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tg-batch-mem-"))
    env = dict(os.environ, TG_DB=str(work / "tg.db"), HOME=str(work), XDG_DATA_HOME=str(work / "data"),
               TG_LANG="en", TG_USER="bench")
    failed = False
    try:
        leads = work / "leads.csv"
        write_leads(leads, args.rows, args.seed)
        files = [leads]
        if not args.no_xlsx:
            as_xlsx(leads, work / "leads.xlsx")
            files.append(work / "leads.xlsx")
        for path in files:
            seconds, peak = run(tg_command() + ["classify", "--batch", str(path), "-o", "/dev/null"], env)
            ok = peak <= LIMIT
            failed |= not ok
            print(f"classify --batch {path.suffix[1:]:<4} {args.rows:>9,} rows: {seconds:7.1f} s, "
                  f"peak {peak / MIB:6.1f} MiB (target <= {LIMIT // MIB} MiB) {'ok' if ok else 'MISSED'}")
        if args.import_rows:
            clients = work / "clients.csv"
            write_clients(clients, args.import_rows, args.seed)
            as_xlsx(clients, work / "clients.xlsx")
            timing = {}
            for path in (clients, work / "clients.xlsx"):
                (work / "tg.db").unlink(missing_ok=True)
                seconds, peak = run(tg_command() + ["import", "clients", str(path)], env)
                timing[path.suffix] = seconds
                print(f"import clients {path.suffix[1:]:<4} {args.import_rows:>9,} rows: {seconds:7.1f} s, "
                      f"peak {peak / MIB:6.1f} MiB")
            ratio = timing[".xlsx"] / timing[".csv"]
            failed |= ratio > 3
            print(f"import xlsx / csv: {ratio:.2f} (target <= 3) {'ok' if ratio <= 3 else 'MISSED'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
