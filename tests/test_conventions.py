"""Conventions: tg --version, the config file (environment wins), one exit code for a broken pipe."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuangou_cli import __version__, config


@pytest.fixture
def cfg(tmp_path, monkeypatch):
    path = tmp_path / "conf" / "config.toml"
    monkeypatch.setenv("TG_CONFIG", str(path))
    return path


@pytest.mark.no_db
def test_version(tg):
    r = tg("--version")
    assert r.exit_code == 0 and r.stdout == f"tg {__version__}\n"


_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda s: s.strip() and all(ch.isprintable() for ch in s))


@given(user=_text, database=_text)
def test_the_writer_round_trips_through_tomllib(user, database):
    settings = {"user": user.strip(), "database": database.strip(), "language": "zh"}
    text = config.dumps(settings)
    assert tomllib.loads(text) == settings
    assert config.loads(text) == settings


@pytest.mark.parametrize("text,word", [("language = ", "Invalid value"), ("colour = 'red'", "colour"),
                                       ("user = 3", "text"), ("language = 'fr'", "fr"), ("[user]\nx = 1", "user")])
def test_a_bad_file_is_one_line_with_the_reason(text, word):
    with pytest.raises(Exception) as info:
        config.loads(text, "c.toml")
    assert word in info.value.message and "c.toml" in info.value.message and "\n" not in info.value.message


@pytest.mark.no_db
def test_set_get_unset_and_the_file(tg, cfg, monkeypatch):
    monkeypatch.delenv("TG_USER")
    r = tg("config", "set", "user", "li.na")
    assert r.exit_code == 0 and "li.na" in r.stderr
    assert stat.S_IMODE(os.stat(cfg).st_mode) == 0o600
    assert tomllib.loads(cfg.read_text()) == {"user": "li.na"}
    assert tg("config", "get", "user").stdout == "li.na\n"
    assert tg("config", "path").stdout == f"{cfg}\n"
    data = tg.json("config", "get", "--format", "json")
    assert data["user"] == {"value": "li.na", "source": "file", "variable": "TG_USER"}
    assert data["language"]["source"] == "environment"  # the test sets TG_LANG
    r = tg("config", "set", "colour", "red")
    assert r.exit_code == 2 and "no setting 'colour'" in r.stderr
    r = tg("config", "set", "language", "fr")
    assert r.exit_code == 2
    assert tg("config", "unset", "user").exit_code == 0
    assert tg("config", "get", "user").exit_code == 1


@pytest.mark.no_db
def test_environment_wins_over_the_file(tg, cfg, monkeypatch):
    config.write({"user": "from.file", "language": "zh"}, cfg)
    monkeypatch.setenv("TG_USER", "from.env")
    r = tg("config", "get", "user")
    assert r.stdout == "from.env\n" and "TG_USER" in r.stderr
    monkeypatch.delenv("TG_LANG")
    monkeypatch.delenv("TG_USER")
    config.apply_config()
    try:
        assert os.environ["TG_USER"] == "from.file" and os.environ["TG_LANG"] == "zh"
        assert config.effective("user").source == "file"
    finally:
        for var in config.FILLED:
            os.environ.pop(var, None)
        config.FILLED.clear()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """A demo database made once for the module's whole-process tests."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    r = run_tg("demo", "--clients", "60", env={"TG_DB": str(path), "TG_USER": "tester"})
    assert r.returncode == 0, r.stderr
    return path


def run_tg(*args, env=None, **kw):
    return subprocess.run([sys.executable, "-m", "tuangou_cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, **kw)


@pytest.mark.sqlite_only("a whole tg process on its own SQLite file")
def test_the_config_file_reaches_a_real_run(cfg, db_path, monkeypatch):
    monkeypatch.delenv("TG_DB")
    monkeypatch.delenv("TG_LANG")
    config.write({"database": str(db_path), "language": "zh"}, cfg)
    r = run_tg("clients", "add", "市一中")
    assert r.returncode == 0, r.stderr
    assert db_path.exists() and "已添加" in r.stderr or "市一中" in r.stderr
    cfg.write_text("language = \n")
    r = run_tg("clients", "list")
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and str(cfg) in r.stderr
    assert run_tg("config", "path").returncode == 0  # tg config still works, to mend it


@pytest.mark.sqlite_only("a whole tg process and a pipe")
@pytest.mark.parametrize("args", [["export", "clients"], ["clients", "list"], ["clients", "list", "-f", "csv"],
                                  ["search", "医院"], ["report", "pareto"], ["pipeline", "-f", "json"]])
def test_a_broken_pipe_is_silent_with_one_exit_code(args, db_path, demo_file):
    import shutil

    shutil.copy(demo_file, db_path)
    # The reader is gone before tg writes a byte (as `tg … | head` is once head has its lines).
    proc = subprocess.Popen([sys.executable, "-m", "tuangou_cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141 and err == ""


def test_a_list_written_where_it_cannot_be_is_one_line(tg, testdb, tmp_path):
    """`tg clients list -o` goes export's road, and says what export says."""
    assert tg("clients", "add", "甲公司").exit_code == 0
    for args in (["clients", "list", "--format", "csv"], ["export", "clients"]):
        r = tg(*args, "-o", str(tmp_path / "missing" / "x.csv"))
        assert r.exit_code == 1 and "cannot write" in r.stderr and "internal error" not in r.stderr, r.stderr
