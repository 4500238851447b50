"""Today's date and the time now, as every command sees them.

``TG_TODAY=YYYY-MM-DD`` sets today's date for a whole run: tests, a simulated 90 days of the
lead pool and a manager's what-if move the clock without touching the system's. The time of
day stays the real one (an audit row still says when it was written).
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timezone

from .errors import UsageError


def today() -> date:
    """TG_TODAY when set (a bad value is a one-line error), else the local date."""
    raw = os.environ.get("TG_TODAY", "").strip()
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        from . import i18n

        raise UsageError(i18n.t("clock.bad_today", value=raw)) from None


def now() -> datetime:
    """The time now in UTC; on TG_TODAY's date when it is set."""
    real = datetime.now(timezone.utc)
    if not os.environ.get("TG_TODAY", "").strip():
        return real
    return datetime.combine(today(), time(real.hour, real.minute, real.second, real.microsecond), timezone.utc)


def days_since(moment: datetime, now: datetime | None = None) -> int:
    """Whole calendar days from a moment's local date to today's (TG_TODAY when set), or to
    ``now``'s date: an age a screen shows (days in a stage, days idle) reads the same at any hour."""
    end = now.astimezone().date() if now is not None else today()
    return (end - moment.astimezone().date()).days
