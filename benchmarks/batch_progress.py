"""The cost of `tg classify --batch`'s progress bar: the same run with stderr a pipe (no bar) and
with stderr a terminal (a pseudo-terminal: the bar is drawn), taking turns.

    python benchmarks/batch_progress.py                      # 50,000 rows, 3 runs each
    python benchmarks/batch_progress.py --rows 20000 --runs 5
    python benchmarks/batch_progress.py --before /tmp/old    # also a source tree without the bar

CPU seconds (user + system) of the whole process, from os.wait4, are compared rather than wall
time: a busy machine stretches wall time for every probe alike, but not the work a run does.
Target: the bar drawn costs <= 5 % over the run without one (exit status 1 if missed).
``--before DIR`` adds the runs of DIR's tuangou_cli (through PYTHONPATH), with stderr a pipe.
"""

from __future__ import annotations

import argparse
import os
import pty
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_bench import lead_list  # noqa: E402
from bench import tg_command  # noqa: E402


def run(cmd: list[str], env: dict[str, str], *, terminal: bool) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, bytes written to stderr) of one run."""
    master = slave = None
    if terminal:
        master, slave = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=slave if terminal else subprocess.PIPE)
    got = [0]

    def drain(read) -> None:
        while True:
            try:
                chunk = read()
            except OSError:  # the terminal closed with the child
                return
            if not chunk:
                return
            got[0] += len(chunk)

    if terminal:
        os.close(slave)
        reader = threading.Thread(target=drain, args=(lambda: os.read(master, 65536),))
    else:
        reader = threading.Thread(target=drain, args=(lambda: proc.stderr.read(65536),))
    reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    reader.join()
    if master is not None:
        os.close(master)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {proc.returncode}")
    return usage.ru_utime + usage.ru_stime, wall, got[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, help="a source tree (holding tuangou_cli/) to compare with")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tg-progress-bench-"))
    env = dict(os.environ, TG_LANG="en", TG_USER="bench", HOME=str(work), XDG_DATA_HOME=str(work / "data"),
               TG_DB=str(work / "unused.db"), COLUMNS="100")
    env.pop("TG_PLAYBOOK", None)
    env.pop("NO_COLOR", None)
    leads = lead_list(work / "leads.csv", args.rows, phones=False)
    cmd = tg_command() + ["classify", "--batch", str(leads), "-o", str(work / "out.csv")]
    probes = {"stderr a pipe (no bar)": (env, False), "stderr a terminal (bar)": (env, True)}
    if args.before is not None:
        old = dict(env, PYTHONPATH=str(args.before.resolve()))
        probes = {"before, stderr a pipe": (old, False), **probes}
    cpu: dict[str, list[float]] = {k: [] for k in probes}
    wall: dict[str, list[float]] = {k: [] for k in probes}
    drawn: dict[str, int] = {}
    for _ in range(args.runs):
        for name, (e, terminal) in probes.items():
            c, w, n = run(cmd, e, terminal=terminal)
            cpu[name].append(c)
            wall[name].append(w)
            drawn[name] = n
    print(f"tg classify --batch, {args.rows:,} rows, {args.runs} runs each (median)")
    for name in probes:
        print(f"  {name:<26} cpu {statistics.median(cpu[name]):7.2f} s   wall {statistics.median(wall[name]):7.2f} s"
              f"   stderr {drawn[name]:>7,} bytes")
    base = statistics.median(cpu["stderr a pipe (no bar)"])
    ratio = statistics.median(cpu["stderr a terminal (bar)"]) / base
    ok = ratio <= 1.05
    print(f"bar drawn / no bar: {ratio:.3f} (target <= 1.05) {'ok' if ok else 'MISSED'}")
    if args.before is not None:
        print(f"no bar / before:    {base / statistics.median(cpu['before, stderr a pipe']):.3f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
