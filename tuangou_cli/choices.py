"""One way to read a value picked from a short list: by its code or by its name in either language,
folded (width, case, spaces). An unknown value is refused with the valid ones. Pure."""

from __future__ import annotations

import difflib
from typing import Iterable

from . import i18n
from .names import name_key

# A yes or a no as a spreadsheet cell says it (a price list's 含税 and 在售 columns).
TRUE = frozenset({"1", "true", "yes", "y", "是", "含税", "含", "在售", "启用", "上架", "active", "on"})
FALSE = frozenset({"0", "false", "no", "n", "否", "不含税", "不含", "停售", "停用", "下架", "inactive", "off"})


def _fold(text: str) -> str:
    return name_key(text or "").replace("_", "-")


def pick(value: str, options: Iterable[tuple[str, Iterable[str]]], what: str) -> str:
    """The code of ``value`` among ``options`` ((code, names) pairs); UsageError naming the valid ones."""
    from .errors import UsageError

    options = [(code, list(dict.fromkeys(n for n in names if n and _fold(n) != _fold(code))))
               for code, names in options]
    key = _fold(value)
    for code, names in options:
        if key == _fold(code) or key in (_fold(n) for n in names):
            return code
    labels = {_fold(code): code for code, _ in options}
    for code, names in options:
        labels.update({_fold(n): code for n in names})
    close = difflib.get_close_matches(key, list(labels), n=3, cutoff=0.5)
    valid = ", ".join(f"{code} ({'/'.join(names)})" if names else code for code, names in options)
    hint = ""
    if close:
        hint = i18n.t("pipe.closest", close=", ".join(dict.fromkeys(labels[c] for c in close)))
    raise UsageError(i18n.t("daily.unknown_value", what=i18n.t(f"daily.what.{what}"), value=value, valid=valid)
                     + hint)


ACTIVITY_TYPES = ("call", "visit", "letter", "email", "meeting")


def activity_type(value: str) -> str:
    """call | visit | letter | email | meeting, or 电话, 拜访, 信函, 邮件, 会议 (e-mail, meeting …)."""
    extra = {"call": ("phone", "打电话"), "email": ("mail", "电邮"), "visit": ("上门",)}
    return pick(value, [(c, (*i18n.CATALOGUE[f"pipe.type.{c}"], *extra.get(c, ()))) for c in ACTIVITY_TYPES], "type")


ROLE_CODES = ("decision-maker", "purchaser", "user", "influencer", "gatekeeper")
