"""Whole-process speed of `tg classify --batch` and of `tg playbook check` on a YAML bomb.

    python benchmarks/batch_bench.py            # 5 runs each, prints medians and ratios
    python benchmarks/batch_bench.py --runs 9   # steadier figures

These targets were wall-clock asserts in the test suite, where a busy machine failed them; here
each is a ratio to ``python -c "import sqlmodel"`` measured in the same run (the probes take
turns, so a machine slowing down moves the baseline and the commands alike):

* ``tg classify --batch`` of 2,000 call-note rows        <= 4 x ``import sqlmodel``
* the same with ``--save`` into a new database            <= 8 x ``import sqlmodel``
* a second ``--save`` of the same rows (all unchanged)    <= 4 x ``import sqlmodel``
* ``tg playbook check`` of a billion-laughs playbook      <= 2 x ``import sqlmodel``
  (9**9 aliases if expanded: refused without expanding them)

Exit status 1 if any target is missed. Runs the `tg` installed next to this Python (or
``python -m tuangou_cli``) on throw-away databases.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import medians, tg_command, timed  # noqa: E402


def lead_list(path: Path, rows: int, *, phones: bool) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["name", "phone", "notes"] if phones else ["name", "notes"])
        for i in range(rows):
            notes = f"工会年终慰问，给职工发，{i % 900 + 20}人，人均{i % 500 + 50}元"
            w.writerow([f"单位{i}", f"138{i:08d}", notes] if phones else [f"c{i}", notes])
    return path


def billion_laughs() -> str:
    from tuangou_cli.playbook import default_playbook_path

    levels = ['lol_a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"lol_{name}: &{name} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    return "\n".join(levels) + "\n" + default_playbook_path().read_text(encoding="utf-8") + "\nsegments: *i\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()

    tg = tg_command()
    work = Path(tempfile.mkdtemp(prefix="tg-batch-bench-"))
    env = dict(os.environ, TG_LANG="en", TG_USER="bench", NO_COLOR="1", HOME=str(work),
               XDG_DATA_HOME=str(work / "data"), TG_DB=str(work / "unused.db"))
    env.pop("TG_PLAYBOOK", None)
    notes = lead_list(work / "notes.csv", args.rows, phones=False)
    leads = lead_list(work / "leads.csv", args.rows, phones=True)
    bomb = work / "bomb.yaml"
    bomb.write_text(billion_laughs(), encoding="utf-8")
    out = str(work / "out.csv")
    fresh = itertools.count()
    saved = str(work / "saved.db")

    def save_new() -> float:
        return timed(tg + ["--db", str(work / f"new{next(fresh)}.db"), "classify", "--batch", str(leads), "--save",
                           "-o", out], env)

    def save_again() -> float:
        return timed(tg + ["--db", saved, "classify", "--batch", str(leads), "--save", "-o", out], env)

    def check_bomb() -> float:
        import subprocess
        import time

        start = time.perf_counter()
        r = subprocess.run(tg + ["playbook", "check", str(bomb)], env=env, capture_output=True)
        if r.returncode != 1:
            raise RuntimeError(f"the bomb was not refused: exit {r.returncode}")
        return time.perf_counter() - start

    save_again()  # the database the repeated save finds everything in
    py = sys.executable
    results = medians({
        "python -c 'import sqlmodel'": lambda: timed([py, "-c", "import sqlmodel"], env),
        f"classify --batch ({args.rows} rows)": lambda: timed(tg + ["classify", "--batch", str(notes), "-o", out], env),
        "classify --batch --save, new db": save_new,
        "classify --batch --save, unchanged": save_again,
        "playbook check, billion laughs": check_bomb,
    }, args.runs)
    base = "python -c 'import sqlmodel'"
    targets = [(f"classify --batch ({args.rows} rows)", 4.0), ("classify --batch --save, new db", 8.0),
               ("classify --batch --save, unchanged", 4.0), ("playbook check, billion laughs", 2.0)]
    print(f"tg: {' '.join(tg)}   runs: {args.runs} (median, seconds)")
    for name, value in results.items():
        print(f"  {name:<40} {value:8.3f}")
    ok = True
    print("targets:")
    for name, limit in targets:
        ratio = results[name] / results[base]
        passed = ratio <= limit
        ok &= passed
        print(f"  {name:<40} {ratio:5.2f} x {base}  (target <= {limit:g})  {'ok' if passed else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
