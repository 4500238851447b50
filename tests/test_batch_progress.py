"""tg classify --batch's progress bar: drawn on stderr when it is a terminal and the file is big,
never into a pipe, a log file or over rows printed to the same terminal; reported every
batch.TICK rows, not per row."""

from __future__ import annotations

import csv
import os
import pty
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tuangou_cli import batch
from tuangou_cli.cli import output
from tuangou_cli.cli.output import Ticker


def leads(path: Path, rows: int, *, pad: int = 0) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["name", "address", "notes"])
        for i in range(rows):
            w.writerow([f"单位{i}", "路" * pad, f"工会年终慰问，给职工发，{i % 90 + 20}人"])
    return path


class Recorder:
    def __init__(self):
        self.positions: list[int] = []

    def read(self, table) -> None:
        self.positions.append(table.position())

    def phase(self, total: int) -> None: ...

    def advance(self, n: int) -> None: ...


def test_rows_are_reported_every_tick_not_every_row(tmp_path, monkeypatch):
    from tuangou_cli.playbook import load_playbook

    monkeypatch.setattr(batch, "TICK", 10)
    table, cols = batch.open_leads(leads(tmp_path / "l.csv", 25), None, None)
    seen = Recorder()
    with table:
        rows = list(batch.classified_rows(load_playbook(), table, cols, {}, raw=False, progress=seen))
    assert len(rows) == 25
    assert len(seen.positions) == 3, "once before the first row, then after rows 10 and 20"
    assert seen.positions == sorted(seen.positions)


def fake_table(size: int, rows: int | None = None):
    return SimpleNamespace(size=size, total_rows=rows, kind="csv" if rows is None else "xlsx", position=lambda: 0)


@pytest.mark.parametrize("size, rows, stderr_tty, stdout_tty, shares, drawn", [
    (output.BIG_BYTES + 1, None, True, False, False, True),
    (10, output.BIG_ROWS + 1, True, False, False, True),  # a workbook: its row count
    (10, None, True, False, False, False),  # small
    (output.BIG_BYTES + 1, None, False, False, False, False),  # stderr a pipe or a log file
    (output.BIG_BYTES + 1, None, True, True, True, False),  # the rows go to the same terminal
    (output.BIG_BYTES + 1, None, True, True, False, True),  # rows to a file (-o), stdout a terminal
    (output.BIG_BYTES + 1, None, True, False, True, True),  # rows piped on, bar on the terminal
])
def test_the_bar_is_drawn_only_where_it_helps(monkeypatch, size, rows, stderr_tty, stdout_tty, shares, drawn):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: stderr_tty, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: stdout_tty, raising=False)
    with Ticker(shares_terminal=shares, reading="batch.classifying") as ticker:
        ticker.read(fake_table(size, rows))
        assert (ticker.bar is not None) == drawn
    assert ticker.bar is None, "stopped on leaving the block"


def run_tg(args: list[str], tmp_path: Path, *, terminal: bool) -> tuple[int, str]:
    env = dict(os.environ, TG_LANG="en", TG_USER="t", HOME=str(tmp_path), TG_DB=str(tmp_path / "x.db"),
               COLUMNS="100")
    env.pop("TG_PLAYBOOK", None)
    cmd = [sys.executable, "-m", "tuangou_cli", *args]
    if not terminal:
        done = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
        return done.returncode, done.stderr.decode("utf-8", "replace")
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    got = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        got += chunk
    os.close(master)
    return proc.wait(), got.decode("utf-8", "replace")


def test_a_big_file_on_a_terminal_shows_the_bar_and_a_pipe_gets_none(tmp_path):
    path = leads(tmp_path / "big.csv", 2200, pad=160)  # just over a MiB
    assert path.stat().st_size > output.BIG_BYTES
    args = ["classify", "--batch", str(path), "-o", str(tmp_path / "out.csv")]
    code, shown = run_tg(args, tmp_path, terminal=True)
    assert code == 0 and "classifying" in shown and "2200 row(s)" in shown, shown[-500:]
    code, piped = run_tg(args, tmp_path, terminal=False)
    assert code == 0 and "classifying" not in piped and "\x1b" not in piped
    assert piped.splitlines()[0].startswith("classified 2200 row(s)"), piped
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as f:
        assert sum(1 for _ in csv.reader(f)) == 2201, "every row written, the bar or not"
