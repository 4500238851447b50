"""Referral chains at scale: 100,000 clients, 300,000 referrals.

    python benchmarks/referrals_bench.py            # builds the data once, 7 runs each
    python benchmarks/referrals_bench.py --runs 11 --clients 100000 --referrals 300000

Targets (whole-process medians, against a baseline measured in the same run):

* ``tg referrals tree CLIENT --depth 10``  <= 1.5 x ``python -c "import sqlmodel"``
* ``tg report referrals``                  <= 1.5 x ``python -c "import sqlmodel"``

The data is written straight into a database that `tg` created (so the schema is
the real one): referral forests with a realistic fan-out (most clients refer
nobody, a few refer many), one credited referrer per referred client and the
rest kept uncredited, won deals for a third of the clients. Exit status 1 if a
target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import medians, tg_command, timed  # noqa: E402


def build(db: Path, n_clients: int, n_referrals: int, seed: int) -> int:
    """Fill the database; returns the id of a busy referrer to draw the tree of."""
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    now = "2026-06-01 00:00:00.000000"
    with conn:
        conn.executemany(
            "INSERT INTO client (id, name, name_key, segment, stage, owner, created_at, updated_at, created_by, "
            "updated_by) VALUES (?, ?, ?, ?, 'lead', ?, ?, ?, 'bench', 'bench')",
            ((i, f"客户{i:06d}", f"客户{i:06d}", rng.choice(("office", "welfare", "gift")),
              rng.choice(("li", "wang", "zhang", "chen")), now, now) for i in range(1, n_clients + 1)))
        # Credited introductions: each client after the first few was introduced by an earlier one,
        # chosen with a heavy tail (a few great referrers), so trees are bushy and not too deep.
        stars = list(range(1, 201))
        credited = []
        for i in range(201, n_clients + 1):
            if rng.random() < 0.8:
                parent = rng.choice(stars) if rng.random() < 0.3 else rng.randrange(1, i)
                credited.append((parent, i))
        rows = [(a, b, 1) for a, b in credited]
        while len(rows) < n_referrals:  # later introductions of already-referred clients, uncredited
            a, b = rng.randrange(1, n_clients + 1), rng.randrange(1, n_clients + 1)
            if a != b:
                rows.append((a, b, 0))
        conn.executemany(
            "INSERT INTO referral (referrer_id, referred_id, status, credited, created_at, created_by) "
            "VALUES (?, ?, 'introduced', ?, '2026-01-01 00:00:00.000000', 'bench')", rows)
        won = rng.sample(range(1, n_clients + 1), n_clients // 3)
        conn.executemany(
            "INSERT INTO deal (client_id, quantity, amount, status, closed_at, created_at, created_by) "
            "VALUES (?, 100, ?, 'won', '2026-03-01 00:00:00.000000', '2026-02-01 00:00:00.000000', 'bench')",
            ((c, float(rng.randrange(5_000, 500_000))) for c in won))
        won_set = set(won)
        conn.executemany(
            "UPDATE referral SET status = 'won', converted_at = '2026-03-01 00:00:00.000000', "
            "converted_value = (SELECT amount FROM deal WHERE deal.client_id = referral.referred_id) "
            "WHERE referred_id = ? AND credited", ((b,) for _, b in credited if b in won_set))
    conn.execute("ANALYZE")
    conn.close()
    return 1  # a star referrer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--referrals", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    tg = tg_command()
    work = Path(tempfile.mkdtemp(prefix="tg-refbench-"))
    db = work / "bench.db"
    env = dict(os.environ, TG_DB=str(db), TG_LANG="en", TG_USER="bench", NO_COLOR="1", HOME=str(work),
               XDG_DATA_HOME=str(work / "data"), COLUMNS="120")
    env.pop("TG_PLAYBOOK", None)
    subprocess.run(tg + ["db", "upgrade"], env=env, check=True, stderr=subprocess.DEVNULL)
    start = time.perf_counter()
    root = build(db, args.clients, args.referrals, args.seed)
    print(f"built {args.clients:,} clients and {args.referrals:,} referrals in {time.perf_counter() - start:.1f} s")

    results = medians({
        "base": lambda: timed([sys.executable, "-c", "import sqlmodel"], env),
        "tree": lambda: timed(tg + ["referrals", "tree", str(root), "--depth", "10"], env),
        "report": lambda: timed(tg + ["report", "referrals"], env),
    }, args.runs)
    base, tree, report = results["base"], results["tree"], results["report"]
    nodes = subprocess.run(tg + ["referrals", "tree", str(root), "--depth", "10", "--format", "json"], env=env,
                           check=True, capture_output=True, text=True).stdout.count('"depth"')
    print(f"runs: {args.runs} (median, seconds); tree of client #{root}: {nodes} nodes")
    print(f"  python -c 'import sqlmodel'      {base:7.3f}")
    ok = True
    for name, value in (("tg referrals tree --depth 10", tree), ("tg report referrals", report)):
        ratio = value / base
        ok &= ratio <= 1.5
        print(f"  {name:<32} {value:7.3f}   {ratio:5.2f} x import sqlmodel (target <= 1.5)  "
              f"{'ok' if ratio <= 1.5 else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
