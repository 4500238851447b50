"""Where the time of `tg import clients` goes: CPU seconds per phase, in one process.

    python benchmarks/import_phases.py            # 100,000 rows, the bulk benchmark's data
    python benchmarks/import_phases.py --clients 20000

Runs the import's own functions one after another on a fresh database: reading the CSV,
parsing and validating the rows (import_file.read_rows), matching and merging them
(import_file.plan), writing them (bulk.insert_clients) and committing. For finding what to
make faster; the targets are in bulk_bench.py.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import tg_command  # noqa: E402
from bulk_bench import write_clients  # noqa: E402


class NoTicker:
    def read(self, source): pass
    def phase(self, total): pass
    def advance(self, n): pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tg-phases-"))
    csv_path, db = work / "clients.csv", work / "phases.db"
    write_clients(csv_path, args.clients, args.seed)
    env = dict(os.environ, TG_DB=str(db), HOME=str(work), XDG_DATA_HOME=str(work / "data"), TG_LANG="en")
    subprocess.run(tg_command() + ["db", "upgrade"], env=env, check=True, capture_output=True)
    os.environ.update(TG_DB=str(db), HOME=str(work), TG_USER="bench")

    clock = time.process_time
    phases: dict[str, float] = {}
    start = clock()
    from tuangou_cli import bulk, rawdb
    from tuangou_cli import import_file as imports
    phases["imports"] = clock() - start

    start = clock()
    for _ in imports.open_clients_table(csv_path, encoding=None, sheet=None, overrides={}).rows():
        pass
    phases["csv reading"] = clock() - start
    start = clock()
    parsed = imports.read_rows(imports.open_clients_table(csv_path, encoding=None, sheet=None, overrides={}), {},
                               dict, NoTicker())
    phases["parsing and validation"] = clock() - start - phases["csv reading"]
    raw = rawdb.connect_at_head(str(db), write=True)
    db_ = bulk.SqliteDb(raw)
    start = clock()
    out = imports.plan(db_, parsed, "update")
    phases["planning and dedupe"] = clock() - start
    start = clock()
    bulk.insert_clients(db_, out.created, user="bench", now=datetime.now(timezone.utc))
    phases["inserts"] = clock() - start
    start = clock()
    raw.execute("COMMIT")
    raw.close()
    phases["commit"] = clock() - start
    print(f"{args.clients:,} rows, {len(out.created):,} clients created; CPU seconds per phase:")
    for name, seconds in phases.items():
        print(f"  {name:<24} {seconds:6.2f}")
    print(f"  {'total':<24} {sum(phases.values()):6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
