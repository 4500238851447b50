"""The one parser of the dates people type: every date option reads its value here. Pure.

Absolute: 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日, 20260305, 3-5 or 3月5日 (this year).
Words: 今天 today, 明天 tomorrow, 后天, 大后天, 昨天 yesterday; 周五 / 星期五 / 礼拜五 / fri / friday (the next
one, today counting), 下周一 / next mon (that day of next week), 本周五 / 这周五 (this week's), 月底 / 月末 /
end of month, 下月初 / 下个月 (the first of next month), 月初 (the first of this month).
Relative: 3天后, 2周后, 1个月后, +3, +3d, +2w, +1m, 3 days, in 2 weeks.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, timedelta

_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MD = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_WORDS = {"today": 0, "今天": 0, "今日": 0, "tomorrow": 1, "明天": 1, "明日": 1, "后天": 2, "大后天": 3,
          "yesterday": -1, "昨天": -1}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6,
             "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_EN_DAYS = {"monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu", "friday": "fri",
            "saturday": "sat", "sunday": "sun", "tues": "tue", "thur": "thu", "thurs": "thu"}
_ZH_WEEK = re.compile(r"^(下下|下个?|本|这个?|这)?(?:周|星期|礼拜)([一二三四五六日天七])$")
_EN_WEEK = re.compile(r"^(next |this )?([a-z]+)$")
_UNIT = {"d": "d", "day": "d", "days": "d", "天": "d", "日": "d", "w": "w", "wk": "w", "week": "w", "weeks": "w",
         "周": "w", "星期": "w", "个星期": "w", "礼拜": "w", "个礼拜": "w", "m": "m", "month": "m", "months": "m",
         "月": "m", "个月": "m"}
_REL = re.compile(r"^(\+|in\s*)?\s*(\d{1,4})\s*([a-z]*|天|日|周|星期|个星期|礼拜|个礼拜|个?月)\s*(后|以后|之后|later)?$")
_ZH_DIGITS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_MONTH_END = {"月底", "月末", "本月底", "这个月底", "end of month", "eom", "month end"}
_NEXT_MONTH = {"下月初", "下个月", "下月", "下个月初", "next month"}
_MONTH_START = {"月初", "本月初"}


class BadDate(ValueError):
    pass


def add_months(day: date, months: int) -> date:
    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    return date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def _weekday(target: int, today: date, which: str | None) -> date:
    monday = today - timedelta(days=today.weekday())
    if which in ("下", "下个", "next "):
        return monday + timedelta(days=7 + target)
    if which == "下下":
        return monday + timedelta(days=14 + target)
    if which in ("本", "这", "这个", "this "):
        return monday + timedelta(days=target)
    ahead = (target - today.weekday()) % 7  # the next one, today counting
    return today + timedelta(days=ahead)


def parse(text: str, today: date) -> date:
    """A date from what a person typed; BadDate when it is none of the forms above."""
    s = unicodedata.normalize("NFKC", text).strip().casefold()
    s = " ".join(s.split())
    if not s:
        raise BadDate(text)
    try:
        if s in _WORDS:
            return today + timedelta(days=_WORDS[s])
        if s in _MONTH_END:
            return date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
        if s in _NEXT_MONTH:
            return add_months(today.replace(day=1), 1)
        if s in _MONTH_START:
            return today.replace(day=1)
        if m := _ZH_WEEK.match(s):
            return _weekday(_WEEKDAYS[m.group(2)], today, m.group(1))
        if m := _EN_WEEK.match(s):
            day = _EN_DAYS.get(m.group(2), m.group(2))
            if day in _WEEKDAYS and day.isascii():
                return _weekday(_WEEKDAYS[day], today, m.group(1))
        zh = re.fullmatch(r"([一两二三四五六七八九十])(.*)", s)
        if zh and zh.group(2) and not zh.group(2)[0].isdigit():
            s = f"{_ZH_DIGITS[zh.group(1)]}{zh.group(2)}"  # 三天后 → 3天后
        m = _REL.match(s)
        if m and (m.group(1) or m.group(3) or m.group(4)):  # a bare number is no date
            n, unit = int(m.group(2)), _UNIT.get(m.group(3) or "d")
            if unit == "d":
                return today + timedelta(days=n)
            if unit == "w":
                return today + timedelta(weeks=n)
            if unit == "m":
                return add_months(today, n)
        if re.fullmatch(r"\d{8}", s):
            return date(int(s[:4]), int(s[4:6]), int(s[6:]))
        if m := _YMD.match(s):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _MD.match(s):
            return date(today.year, int(m.group(1)), int(m.group(2)))
    except (ValueError, OverflowError):
        pass
    raise BadDate(text)


def parse_day(text: str, today: date | None = None) -> date:
    """``parse`` for a command option: a bad value is one line naming the forms accepted."""
    from . import i18n
    from .errors import UsageError

    if today is None:
        from .clock import today as clock_today

        today = clock_today()
    try:
        return parse(text, today)
    except BadDate:
        raise UsageError(i18n.t("daily.bad_date", text=text)) from None
