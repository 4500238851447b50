"""Shell completion of the values tg's commands take (`tg --install-completion`): client names,
bundle and product codes, stages, users, segments, activity types and contact roles.

A parameter is completed by what it is, and what it is its help key says: every argument or
option helped by ``help.pitch.client`` takes a client, so a new command that takes a client the
usual way is completed without a line here. The values come from completing.suggest, which
reads the database and the playbook and never fails; this module only hands them to Click.

tg's own shell classes replace Typer's: bash gets each value escaped (a client name with a space
or a bracket is one word when inserted), and zsh and fish get the help texts as they are (Typer
sends them through Rich's markup first: slow to import, and a name with [brackets] in it would
lose them).
"""

from __future__ import annotations

import contextvars
import os
import re
from typing import Any, Callable

from .. import i18n

# The help key of a parameter → the kind of value it takes (completing.KINDS).
KIND_OF_HELP: dict[str, str] = {
    **dict.fromkeys(("help.pitch.client", "help.classify.name", "help.refer.referrer", "help.refer.referred",
                     "help.field.parent", "help.lib.case.client", "help.team.history.client"), "client"),
    **dict.fromkeys(("help.pitch.bundle", "help.quote.bundle", "help.pipe.deals.bundle", "help.catalog.code"),
                    "offering"),
    "help.quote.item": "product",
    **dict.fromkeys(("help.filter.stage", "help.field.stage", "help.pipe.handoff.stage", "help.trust.handoff_from"),
                    "stage"),
    **dict.fromkeys(("help.filter.owner", "help.field.owner", "help.pipe.handoff.to", "help.pool.to",
                     "help.pipe.agenda.user", "help.pool.user", "help.digest.user", "help.handover.from",
                     "help.handover.to"), "user"),
    **dict.fromkeys(("help.filter.segment", "help.field.segment", "help.lib.case.segment", "help.catalog.segment"),
                    "segment"),
    "help.pipe.log.type": "activity",
    "help.acct.role": "role",
}
# tg catalog set-price CODE takes a product only; its help key is catalog show's.
KIND_OF_PARAM: dict[tuple[str, str], str] = {("set-price", "code"): "product"}

# Does the shell show help texts? Bash does not: its completions skip working them out.
SHOWS_HELP: contextvars.ContextVar[bool] = contextvars.ContextVar("tg_completion_shows_help", default=True)


def attach(command: Any) -> None:
    """Give each parameter of a built command (and of its subcommands) that takes a client, an
    offering, a stage, a user… its completion. Called before the help markers are localised."""
    for param in command.params:
        kind = KIND_OF_PARAM.get((command.name, param.name)) or KIND_OF_HELP.get(
            i18n.help_key(getattr(param, "help", None)) or "")
        if kind is not None:
            # Click's hook for a parameter's own completion (what shell_complete= sets); Typer's
            # autocompletion= would keep only values starting with the typed text as it is, and
            # a folded name (ＡＢＣ, abc for ABC) or a code typed in lower case would be dropped.
            param._custom_shell_complete = completer(kind)
    for sub in getattr(command, "commands", {}).values():
        attach(sub)


def completer(kind: str) -> Callable[[Any, Any, str], list]:
    def complete(ctx: Any, param: Any, incomplete: str) -> list:
        from typer._click.shell_completion import CompletionItem

        from ..completing import suggest
        from .context import AppContext

        if kind == "product" and "=" in incomplete:  # --item CODE=QTY: the quantity is the user's
            return []
        # tg's callback does not run while completing: --db and --playbook given before the
        # command are read from the root's parsed options (else TG_DB, the config file…).
        root = ctx.find_root().params
        app_ctx = AppContext(db=root.get("db"), playbook_path=root.get("playbook"))
        return [CompletionItem(s.value, help=s.help or None)
                for s in suggest(app_ctx, kind, incomplete, helps=SHOWS_HELP.get())]

    complete.kind = kind  # type: ignore[attr-defined]  (which kind: tests check the wiring by it)
    return complete


# --- the shells ---------------------------------------------------------------------------------

_BASH_SPECIAL = re.compile(r"([\s\\'\"`$!&;|<>(){}\[\]*?#~])")


def bash_word(value: str) -> str:
    """A value as bash inserts it as one word: its special characters backslash-escaped."""
    return _BASH_SPECIAL.sub(r"\\\1", " ".join(value.split()))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def shell_classes() -> dict[str, type]:
    from typer._completion_classes import BashComplete, FishComplete, PowerShellComplete, ZshComplete

    class TgBashComplete(BashComplete):
        def get_completions(self, args: list[str], incomplete: str) -> list:
            token = SHOWS_HELP.set(False)
            try:
                return super().get_completions(args, incomplete)
            finally:
                SHOWS_HELP.reset(token)

        def format_completion(self, item: Any) -> str:
            return bash_word(item.value)

    class TgZshComplete(ZshComplete):
        def format_completion(self, item: Any) -> str:
            def escape(s: str) -> str:  # as Typer's ZshComplete quotes a value for _arguments
                return (_one_line(s).replace('"', '""').replace("'", "''").replace("$", "\\$")
                        .replace("`", "\\`").replace(":", r"\\:"))

            if item.help:
                return f'"{escape(item.value)}":"{escape(item.help)}"'
            return f'"{escape(item.value)}"'

    class TgFishComplete(FishComplete):
        def format_completion(self, item: Any) -> str:
            if item.help:
                return f"{_one_line(item.value)}\t{_one_line(item.help)}"
            return _one_line(item.value)

    class TgPowerShellComplete(PowerShellComplete):
        def format_completion(self, item: Any) -> str:
            return f"{_one_line(item.value)}:::{_one_line(item.help or ' ')}"

    return {"bash": TgBashComplete, "zsh": TgZshComplete, "fish": TgFishComplete,
            "powershell": TgPowerShellComplete, "pwsh": TgPowerShellComplete}


def register() -> None:
    """tg's shell classes in place of Typer's, for this run's completion."""
    from typer._click.shell_completion import add_completion_class

    for name, cls in shell_classes().items():
        add_completion_class(cls, name)


def completing(complete_var: str | None, prog_name: str) -> bool:
    """Is this run a shell asking for completions (``_TG_COMPLETE=complete_bash``…)?"""
    var = complete_var or f"_{prog_name}_COMPLETE".replace("-", "_").upper()
    return bool(os.environ.get(var))
