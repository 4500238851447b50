"""Peak memory of `tg classify --notes -` (call notes on stdin), the whole process.

    python benchmarks/notes_memory.py                # 10 MB, and the largest notes accepted
    python benchmarks/notes_memory.py --mb 10 --runs 1

Targets (peak RSS of the tg process, from os.wait4, the child's own rusage; exit status 1 if
one is missed):

* 10 MB of notes on stdin, every clause a signal                    <= 150 MiB
  (more than limits.NOTES_BYTES: refused in one line, read no further)
* notes of just under limits.NOTES_BYTES, as much matching text as is accepted, in Chinese,
  in English and both mixed                                          <= 150 MiB

Each run: `tg classify --no-save --notes - -f json` with stdin a file of the notes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import tg_command  # noqa: E402

MIB = 1024 * 1024
LIMIT = 150 * MIB

ZH = "工会年终慰问，给职工发，300人，人均200元，不要购物卡，去年发过大米和油；"
EN = "union year-end benefit for our staff, 300 people, about 200 yuan each, no shopping cards; "
MIXED = "春节给客户送礼 client gifts for partners, 预算五万, logo printed, 不超过 100 元一份。"


def notes_file(path: Path, unit: str, size: int) -> Path:
    """``unit`` repeated to ``size`` bytes of UTF-8 (cut on a whole unit)."""
    data = unit.encode("utf-8")
    path.write_bytes(data * (size // len(data)))
    return path


def run(cmd: list[str], env: dict[str, str], stdin: Path) -> tuple[int, float, int, str]:
    """(exit status, seconds, peak RSS in bytes, last stderr line) of one whole process."""
    start = time.perf_counter()
    with open(stdin, "rb") as f:
        proc = subprocess.Popen(cmd, env=env, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = proc.stderr.read().decode("utf-8", "replace")
        _, status, usage = os.wait4(proc.pid, 0)
    proc.stderr.close()
    elapsed = time.perf_counter() - start
    lines = err.strip().splitlines()
    return os.waitstatus_to_exitcode(status), elapsed, usage.ru_maxrss * 1024, lines[-1] if lines else ""


def main() -> int:
    from tuangou_cli.limits import NOTES_BYTES

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=10.0, help="the size of the big notes, in MB")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tg-notes-memory-"))
    env = dict(os.environ, TG_LANG="en", TG_USER="bench", NO_COLOR="1", HOME=str(work),
               XDG_DATA_HOME=str(work / "data"), TG_DB=str(work / "unused.db"))
    env.pop("TG_PLAYBOOK", None)
    cmd = tg_command() + ["classify", "--no-save", "--notes", "-", "-f", "json"]
    under = NOTES_BYTES - 4096
    cases = [(f"{args.mb:g} MB, Chinese", notes_file(work / "big.txt", ZH, int(args.mb * 1_000_000))),
             (f"{under / MIB:.2f} MiB, Chinese", notes_file(work / "zh.txt", ZH, under)),
             (f"{under / MIB:.2f} MiB, English", notes_file(work / "en.txt", EN, under)),
             (f"{under / MIB:.2f} MiB, mixed", notes_file(work / "mixed.txt", MIXED, under))]
    ok = True
    print(f"tg classify --notes - (limits.NOTES_BYTES = {NOTES_BYTES / MIB:g} MiB)")
    for name, path in cases:
        code, seconds, peak, last = run(cmd, env, path)
        passed = peak <= LIMIT
        ok &= passed
        print(f"  {name:<22} exit {code}  {seconds:7.1f} s  peak {peak / MIB:7.1f} MiB "
              f"(target <= {LIMIT // MIB} MiB) {'ok' if passed else 'MISSED'}")
        if code != 0:
            print(f"    {last[:160]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
