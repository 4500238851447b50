"""A manager's daily commands at 100,000 clients, against a baseline measured in the same run.

    python benchmarks/manager_bench.py                      # builds a 100k demo database (a few minutes)
    python benchmarks/manager_bench.py --db demo100k.db     # reuses one made by `tg demo --clients 100000`
    python benchmarks/manager_bench.py --runs 9

The baseline is ``tg clients add NAME`` on the same database: starting tg, opening the store and
writing one row (each run adds a name of its own, so every run does the same work). Every listing
goes to /dev/null, not a terminal: it is streamed whole (no page, no limit).

Targets (whole-process medians; peak memory the largest max RSS of the tg process over the runs):

* ``tg agenda`` (a rep owning a quarter of the clients), ``tg pipeline``, ``tg deals list`` and
  ``tg clients list``           each <= 3 x ``tg clients add``, peak memory <= 150 MiB
* ``tg clients list --format csv``  <= 1.5 x ``tg export clients``, peak memory <= 100 MiB

For reference it also times ``tg agenda --all`` (the team's) and ``tg export clients`` itself.
Exit status 1 if a target is missed. The database is copied first: the benchmark never changes the
one given.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import measure_rounds, tg_command  # noqa: E402

MIB = 1024 * 1024
REP = "li.na"  # the demo's busiest owner (about a quarter of the clients)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="a tg demo database to copy (default: make one)")
    parser.add_argument("--clients", type=int, default=100_000)
    args = parser.parse_args()

    tg = tg_command()
    work = Path(tempfile.mkdtemp(prefix="tg-manager-bench-"))
    db = work / "bench.db"
    env = dict(os.environ, TG_DB=str(db), TG_LANG="en", TG_USER=REP, NO_COLOR="1", HOME=str(work),
               XDG_DATA_HOME=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"))
    for name in ("TG_PLAYBOOK", "TG_CONFIG", "PAGER"):
        env.pop(name, None)
    try:
        if args.db:
            shutil.copy(args.db, db)
            subprocess.run(tg + ["db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        else:
            print(f"building a demo database of {args.clients:,} clients…", flush=True)
            subprocess.run(tg + ["demo", "--clients", str(args.clients)], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        serial = itertools.count(1)
        results = measure_rounds({
            "tg clients add NAME": lambda: tg + ["clients", "add", f"基准测试客户 {os.getpid()}-{next(serial)}"],
            "tg agenda": lambda: tg + ["agenda"],
            "tg pipeline": lambda: tg + ["pipeline"],
            "tg deals list": lambda: tg + ["deals", "list"],
            "tg clients list": lambda: tg + ["clients", "list"],
            "tg clients list --format csv": lambda: tg + ["clients", "list", "--format", "csv"],
            "tg export clients": lambda: tg + ["export", "clients"],
            "tg agenda --all": lambda: tg + ["agenda", "--all"],
        }, env, args.runs)

        load = os.getloadavg()
        print(f"tg: {' '.join(tg)}   TG_USER={REP}   runs: {args.runs} (median, seconds; peak RSS the largest "
              f"of the runs)   load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
        for name, (seconds, peak) in results.items():
            print(f"  {name:<30} {seconds:8.3f}   peak {peak / MIB:6.1f} MiB")

        base = "tg clients add NAME"
        checks = [(name, base, 3.0, 150) for name in ("tg agenda", "tg pipeline", "tg deals list", "tg clients list")]
        checks.append(("tg clients list --format csv", "tg export clients", 1.5, 100))
        ok = True
        print("targets:")
        for name, against, limit, mib_limit in checks:
            ratio = results[name][0] / results[against][0]
            mib = results[name][1] / MIB
            passed = ratio <= limit
            fits = mib <= mib_limit
            ok &= passed and fits
            print(f"  {name:<30} {ratio:6.2f} x {against:<20} (target <= {limit:g})  {'ok' if passed else 'MISSED'}"
                  f"   {mib:6.1f} MiB (target <= {mib_limit})  {'ok' if fits else 'MISSED'}")
        print("reference:")
        ratio = results["tg agenda --all"][0] / results[base][0]
        print(f"  {'tg agenda --all':<30} {ratio:6.2f} x {base}")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
