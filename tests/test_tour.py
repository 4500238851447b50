"""The README's "A short tour", run as written: every `$ ` line of its console blocks, in order, on a
fresh database, through a shell (pipes, redirections and the files it makes included), with `tg`
the one under test. Each command must succeed, and every output line the README shows must come
out, in that order (a line `…` stands for lines left out; dates, times and durations may differ).
So the figures the tour quotes are the figures tg gives.

To see what the tour really prints (to mend the README): TG_TOUR_PRINT=1 pytest tests/test_tour.py -s
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"
TODAY = "2026-12-02"


def tour_text() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## A short tour\n")
    end = text.index("\n## Commands\n", start)
    return text[start:end]


def steps(text: str) -> list[tuple[str, list[str]]]:
    """(command, the output lines shown under it) for each `$ ` line of the console blocks."""
    out: list[tuple[str, list[str]]] = []
    in_block = False
    pending = ""
    for line in text.splitlines():
        if line.startswith("```"):
            in_block = line.strip() == "```console" if not in_block else False
            continue
        if not in_block:
            continue
        if pending or line.startswith("$ "):
            command = (pending + " " + line.strip()) if pending else line[2:]
            if command.endswith("\\"):
                pending = command[:-1].rstrip()
                continue
            pending = ""
            out.append((command, []))
        elif out:
            out[-1][1].append(line)
    return out


_VARYING = [
    (re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2})?)?"), "<when>"),
    (re.compile(r"\d+(\.\d+)? ?(s|秒)\b"), "<secs>"),
    (re.compile(r"(用时|in) <secs>"), "<secs>"),
]


def norm(line: str) -> str:
    line = line.rstrip()
    for pattern, repl in _VARYING:
        line = pattern.sub(repl, line)
    return line


def shown_in(expected: list[str], actual: str) -> str | None:
    """None when every shown line comes out in order; else the first one that does not."""
    got = [norm(x) for x in actual.splitlines()]
    at = 0
    for line in expected:
        if not line.strip() or line.strip() == "…":
            continue
        want = norm(line)
        while at < len(got) and got[at] != want:
            at += 1
        if at == len(got):
            return line
        at += 1
    return None


_SHELL = re.compile(r"[|<>;&$`*?~]")


def _in_process(command: str) -> tuple[int | None, str]:
    """A plain `tg …` (no pipe, redirection or other shell syntax) runs in this process, as the
    tests' `tg` does, which is much quicker than starting a Python for each; (None, "") otherwise."""
    import shlex

    line = command.split("  #", 1)[0].strip()
    if not line.startswith("tg ") or _SHELL.search(line):
        return None, ""
    from typer.testing import CliRunner

    from tuangou_cli.cli import app

    from .conftest import _EngineTracker

    render = sys.modules.get("tuangou_cli.render")
    if render is not None:  # a new process reads the terminal's width afresh: so does this run
        render._out = None
    try:
        result = CliRunner().invoke(app, shlex.split(line)[1:], catch_exceptions=False)
    finally:
        _EngineTracker.flush()
    return result.exit_code, result.stderr + result.stdout


def test_the_tour_parses():
    commands = [c for c, _ in steps(tour_text())]
    assert len(commands) > 20 and all(c.lstrip().startswith(("tg ", "printf ", "cat ")) or "tg " in c
                                      for c in commands)


def test_the_readme_tour_runs_as_written(tmp_path, db_url, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "tg"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tuangou_cli "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", TG_TODAY=TODAY, TG_USER="wang.fang",
               COLUMNS="100", TERM="dumb")
    for key in ("TG_TODAY", "TG_USER", "COLUMNS", "TERM"):
        monkeypatch.setenv(key, env[key])
    monkeypatch.chdir(work)
    printing = bool(os.environ.get("TG_TOUR_PRINT"))
    for command, expected in steps(tour_text()):
        code, output = _in_process(command)
        if code is None:
            # As a terminal shows it: what tg says (stderr) and its data (stdout) in one stream.
            run = subprocess.run(["bash", "-o", "pipefail", "-c", f"( {command}\n) 2>&1"], cwd=work, env=env,
                                 stdout=subprocess.PIPE, text=True, timeout=300)
            code, output = run.returncode, run.stdout
        if printing:
            sys.stdout.write(f"$ {command}\n{output}")
            continue
        assert code == 0, f"$ {command}\nexit {code}\n{output}"
        missing = shown_in(expected, output)
        assert missing is None, f"$ {command}\nthe README shows {missing!r}; tg printed:\n{output}"
    if printing:
        pytest.skip("printed the tour")
