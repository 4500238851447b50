"""Whole-process speed of `tg`, against baselines measured in the same run.

    python benchmarks/bench.py            # 9 runs each, prints medians and ratios
    python benchmarks/bench.py --runs 15  # steadier figures

Each target is a ratio to a baseline, so the numbers mean the same on a slow
laptop and a fast server:

* ``tg --help``                  <= 14  x ``python -c pass``
* ``tg pitch CLIENT``            <= 1.5 x ``python -c "import sqlmodel"``
* first question of classify     <= 0.8 x ``python -c "import sqlmodel"``
  (timed until the question's text appears on a pseudo-terminal)

Exit status 1 if any target is missed. Runs against the `tg` installed next
to this Python (or ``python -m tuangou_cli``), on a throw-away database.
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def compile_package() -> None:
    """Bytecode for every tuangou_cli module, as an installed tg has it. Without it (a fresh
    checkout run with PYTHONDONTWRITEBYTECODE set, as some shells and CI images do) every timed
    process compiles the package's sources again, and the ratios measure the compiler."""
    import compileall

    import tuangou_cli

    compileall.compile_dir(str(Path(tuangou_cli.__file__).parent), quiet=1)


def tg_command() -> list[str]:
    compile_package()
    script = Path(sys.executable).with_name("tg")
    if script.exists():
        return [str(script)]
    found = shutil.which("tg")
    return [found] if found else [sys.executable, "-m", "tuangou_cli"]


def run(cmd: list[str], env: dict[str, str], stdout=subprocess.DEVNULL) -> tuple[float, int]:
    """(seconds, peak RSS in bytes) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage, not the maximum of all children
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-500:]}")
    return elapsed, usage.ru_maxrss * 1024


def measure_rounds(probes: dict, env, runs: int) -> dict[str, tuple[float, int]]:
    """Median seconds and largest peak RSS of each probe {name: make_cmd, or (make_cmd, before)}:
    the probes take turns within every round (one warm-up round first, not counted), so a machine
    that slows down or speeds up during the run moves the baseline and the commands alike;
    ``before()``, when given, runs ahead of each of its probe's runs (a fresh copy of a database)."""
    times: dict[str, list[float]] = {name: [] for name in probes}
    peaks: dict[str, list[int]] = {name: [] for name in probes}
    for i in range(runs + 1):
        for name, probe in probes.items():
            make_cmd, before = probe if isinstance(probe, tuple) else (probe, None)
            if before:
                before()
            t, rss = run(make_cmd(), env)
            if i:
                times[name].append(t)
                peaks[name].append(rss)
    return {name: (statistics.median(times[name]), max(peaks[name])) for name in probes}


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - start


def first_question(cmd: list[str], env: dict[str, str], needle: bytes) -> float:
    """Seconds from spawn until `needle` is on the (pseudo-)terminal screen."""
    master, slave = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    seen = b""
    try:
        while needle not in seen:
            ready, _, _ = select.select([master], [], [], 10)
            if not ready:
                raise RuntimeError(f"no question within 10 s; screen so far: {seen[-300:]!r}")
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elapsed = time.perf_counter() - start
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
    if needle not in seen:
        raise RuntimeError(f"the question never appeared; screen: {seen[-300:]!r}")
    return elapsed


def medians(probes: dict, runs: int) -> dict:
    """Median seconds of each probe. The probes take turns within every round, so a machine
    that slows down or speeds up during the run moves the baseline and the commands alike."""
    for fn in probes.values():
        fn()  # warm the OS file cache; not counted
    times: dict[str, list[float]] = {name: [] for name in probes}
    for _ in range(runs):
        for name, fn in probes.items():
            times[name].append(fn())
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    tg = tg_command()
    work = Path(tempfile.mkdtemp(prefix="tg-bench-"))
    env = dict(os.environ, TG_DB=str(work / "bench.db"), TG_LANG="en", TG_USER="bench", NO_COLOR="1",
               HOME=str(work), XDG_DATA_HOME=str(work / "data"), TERM="xterm")
    env.pop("TG_PLAYBOOK", None)
    subprocess.run(tg + ["classify", "市税务局", "-a", "purpose=staff", "--headcount", "120",
                         "--budget-per-head", "300", "--format", "json"],
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    from tuangou_cli.playbook import load_playbook  # the text of the first question to wait for

    pb = load_playbook()
    from tuangou_cli import classify

    first = classify.next_question(pb, {})
    needle = first.text.en.encode("utf-8")[:24]

    py = sys.executable
    results = medians({
        "python -c pass": lambda: timed([py, "-c", "pass"], env),
        "python -c 'import sqlmodel'": lambda: timed([py, "-c", "import sqlmodel"], env),
        "tg --help": lambda: timed(tg + ["--help"], env),
        "tg pitch 市税务局": lambda: timed(tg + ["pitch", "市税务局"], env),
        "tg classify: first question": lambda: first_question(tg + ["classify"], env, needle),
    }, args.runs)
    targets = [
        ("tg --help", "python -c pass", 14.0),
        ("tg pitch 市税务局", "python -c 'import sqlmodel'", 1.5),
        ("tg classify: first question", "python -c 'import sqlmodel'", 0.8),
    ]
    print(f"tg: {' '.join(tg)}   runs: {args.runs} (median, seconds)")
    for name, value in results.items():
        print(f"  {name:<32} {value:8.3f}")
    ok = True
    print("targets:")
    for name, base, limit in targets:
        ratio = results[name] / results[base]
        passed = ratio <= limit
        ok &= passed
        print(f"  {name:<32} {ratio:6.2f} x {base:<28} (target <= {limit:g})  {'ok' if passed else 'MISSED'}")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
