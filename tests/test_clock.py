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


def test_days_since_counts_calendar_days_whatever_the_hour(monkeypatch):
    """Days in a stage read the same at 08:00 and at 23:00: the README's board does not move
    with the hour the tour is run at."""
    from datetime import datetime, timedelta, timezone

    from tuangou_cli import clock

    import os
    import time

    from pathlib import Path

    if not hasattr(time, "tzset") or not Path("/usr/share/zoneinfo/Asia/Shanghai").exists():
        pytest.skip("needs time.tzset and the tz database (Asia/Shanghai) to set the local time zone")
    monkeypatch.setenv("TG_TODAY", "2026-03-10")
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"  # a rep's local day, UTC+8
    time.tzset()
    try:
        entered = datetime(2026, 3, 1, 14, 30, tzinfo=timezone.utc)  # 22:30 on 1 March in Shanghai
        assert clock.days_since(entered) == 9
        for hour in (0, 8, 15):  # 08:15, 16:15 and 23:15 on 10 March in Shanghai
            assert clock.days_since(entered, datetime(2026, 3, 10, hour, 15, tzinfo=timezone.utc)) == 9
        assert clock.days_since(entered, entered + timedelta(hours=1)) == 0
        assert clock.days_since(entered, entered + timedelta(hours=2)) == 1  # past midnight in Shanghai
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()
