"""TG_TODAY moves every command's today; a bad value is one line."""

from datetime import date

import pytest

from tuangou_cli import clock
from tuangou_cli.errors import UsageError


def test_today_follows_tg_today(monkeypatch):
    monkeypatch.setenv("TG_TODAY", "2027-03-08")
    assert clock.today() == date(2027, 3, 8)
    assert clock.now().date() == date(2027, 3, 8)


def test_today_is_the_real_one_without_it(monkeypatch):
    monkeypatch.delenv("TG_TODAY", raising=False)
    assert clock.today() == date.today()


def test_a_bad_tg_today_is_a_usage_error(monkeypatch):
    monkeypatch.setenv("TG_TODAY", "明天")
    with pytest.raises(UsageError, match="TG_TODAY"):
        clock.today()
