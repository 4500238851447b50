"""Whole-process speed of `tg quote`, against `tg pitch` measured in the same run.

    python benchmarks/quote_bench.py            # 7 runs each, prints medians and ratios
    python benchmarks/quote_bench.py --runs 11

Targets:

* ``tg quote CLIENT -o q.xlsx``  <= 1.5 x ``tg pitch CLIENT``
* ``tg quote CLIENT -o q.pdf``   <= 2.5 x ``tg pitch CLIENT``

Both quote the bundle the pitch recommends, for the same client. The PDF needs a CJK font on
the machine (apt-get install fonts-noto-cjk) and fpdf2 (pip install 'tuangou-cli[docs]'). The
first PDF made with a font prepares its cached base subset (quote_documents/fonts.py): that run is
the warm-up and is not counted, as the steady state is what a rep waits for. Every run saves
a quote (a new number), as a rep's would. Exit status 1 if a target is missed.
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

CLIENT = "市税务局"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    tg = tg_command()
    work = Path(tempfile.mkdtemp(prefix="tg-quote-bench-"))
    env = dict(os.environ, TG_DB=str(work / "bench.db"), TG_LANG="zh", TG_USER="bench", NO_COLOR="1",
               HOME=str(work), XDG_DATA_HOME=str(work / "data"), XDG_CACHE_HOME=str(work / "cache"))
    env.pop("TG_PLAYBOOK", None)
    env.pop("TG_NO_CACHE", None)
    quiet = {"env": env, "check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(tg + ["classify", CLIENT, "-a", "purpose=staff", "--headcount", "120", "--budget-per-head", "300",
                         "--format", "json"], **quiet)
    subprocess.run(tg + ["invoice", "info", CLIENT, "--title", "国家税务总局某市税务局"], **quiet)

    results = medians({
        f"tg pitch {CLIENT}": lambda: timed(tg + ["pitch", CLIENT], env),
        f"tg quote {CLIENT} -o q.xlsx": lambda: timed(tg + ["quote", CLIENT, "-o", str(work / "q.xlsx")], env),
        f"tg quote {CLIENT} -o q.pdf": lambda: timed(tg + ["quote", CLIENT, "-o", str(work / "q.pdf")], env),
    }, args.runs)
    base = f"tg pitch {CLIENT}"
    targets = [(f"tg quote {CLIENT} -o q.xlsx", 1.5), (f"tg quote {CLIENT} -o q.pdf", 2.5)]
    print(f"tg: {' '.join(tg)}   runs: {args.runs} (median, seconds)")
    for name, value in results.items():
        print(f"  {name:<36} {value:8.3f}")
    ok = True
    print("targets:")
    for name, limit in targets:
        ratio = results[name] / results[base]
        passed = ratio <= limit
        ok &= passed
        print(f"  {name:<36} {ratio:6.2f} x {base:<20} (target <= {limit:g})  {'ok' if passed else 'MISSED'}")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
