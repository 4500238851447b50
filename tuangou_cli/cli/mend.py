"""What every edit and remove command shares: the question before a removal, the lines after."""

from __future__ import annotations

import sys
from typing import Any, Callable

from .. import i18n
from ..errors import UsageError
from .output import say


def confirmer(yes: bool) -> Callable[[Any], bool]:
    """Ask before removing ``target`` (a mending.Target): --yes skips it; off a terminal, where
    nobody can answer, the refusal says to pass --yes."""

    def confirm(target: Any) -> bool:
        if target.warning:
            say(target.warning)
        if yes:
            return True
        from .. import prompts

        if not prompts.is_interactive():
            raise UsageError(i18n.t("daily.rm_need_yes", what=target.label))
        return prompts.ask_confirm(i18n.t("daily.rm_confirm", what=target.label))

    return confirm


def removed(target: Any) -> None:
    say(i18n.t("daily.removed", what=target.label))
    sys.stdout.write(f"{target.id}\n")


def _value(v: Any) -> str:
    return "–" if v is None else str(v)


def edited(result: Any) -> None:
    if result.note:
        say(result.note)
    if result.changes:
        changes = "; ".join(f"{k}: {_value(old)} → {_value(new)}" for k, (old, new) in result.changes.items())
        say(i18n.t("daily.edited", what=result.label, changes=changes))
    else:
        say(i18n.t("daily.unchanged", what=result.label))
    sys.stdout.write(f"{result.id}\n")
