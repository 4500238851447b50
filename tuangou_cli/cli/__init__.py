"""The `tg` command line: parse, delegate to the pure modules, hand results to render/export.

Command modules import heavy libraries (sqlmodel, questionary, rich) inside
the functions that need them, so `tg --help` and the first question of
`tg classify` stay fast.
"""

from __future__ import annotations

import gc

# Start-up allocates hundreds of thousands of long-lived objects (ORM, pydantic, typer);
# at the default threshold (700) the collector rescans them hundreds of times before the
# first question appears. Collecting less often cuts start-up by ~10% and still collects.
gc.set_threshold(100_000, 50, 100)

import os  # noqa: E402

# tg uses no pydantic plugins; looking for them scans every installed distribution's entry
# points (~15 ms) the first time any model builds. A user's own setting still wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
import importlib  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable, Iterator, MutableMapping  # noqa: E402
from typing import TYPE_CHECKING, Any, Optional  # noqa: E402

import typer  # noqa: E402
from typer.core import TyperGroup  # noqa: E402

from .. import i18n
from ..errors import EXIT_INTERRUPTED, TgError, one_line
from .context import AppContext

if TYPE_CHECKING:
    from typer._click import Command

# Every top-level command: name -> (module in tuangou_cli.cli, attribute, help key). The
# attribute is a function (a command) or a typer.Typer (a group). Commands are built only
# when used: building all fifty (importing their modules, reading every signature) cost
# more than a pitch's database work, and a run uses one.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "classify": ("classify", "classify", "help.classify"),
    "pitch": ("pitch", "pitch", "help.pitch"),
    "refer": ("referrals", "refer", "help.refer"),
    "referrals": ("referrals", "app", "help.referrals"),
    "rewards": ("rewards", "app", "help.rewards"),
    "clients": ("clients", "app", "help.clients"),
    "export": ("export", "export", "help.export"),
    "import": ("imports", "app", "help.import"),
    "playbook": ("playbook", "app", "help.playbook_cmd"),
    "db": ("db", "app", "help.dbcmd"),
    # accounts (issue 3)
    "contacts": ("contacts", "app", "help.acct.contacts"),
    "competitors": ("competitors", "app", "help.acct.competitors"),
    "needs": ("needs", "app", "help.acct.needs"),
    "reciprocal": ("reciprocal", "app", "help.acct.reciprocal"),
    # pipeline (issue 3)
    "log": ("activities", "log", "help.pipe.log"),
    "agenda": ("activities", "agenda_app", "help.pipe.agenda"),
    "deals": ("deals", "app", "help.pipe.deals"),
    "handoff": ("pipeline", "handoff", "help.pipe.handoff"),
    "pipeline": ("pipeline", "pipeline", "help.pipe.pipeline"),
    # library (issue 3)
    "cases": ("cases", "app", "help.lib.cases"),
    "report": ("reports", "app", "help.lib.report"),
    "demo": ("demo", "demo", "help.lib.demo"),
    # team (issue 6)
    "history": ("history", "history", "help.team.history"),
}


def load(name: str) -> Callable[..., Any] | typer.Typer:
    """The function or Typer group behind a top-level command (imports its module)."""
    module, attribute, _ = COMMANDS[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), attribute)


def build_command(name: str) -> Command:
    from typer.main import get_command_from_info, get_group_from_info
    from typer.models import CommandInfo, TyperInfo

    target, help_text = load(name), i18n.both(COMMANDS[name][2])
    if isinstance(target, typer.Typer):
        return get_group_from_info(TyperInfo(target, name=name, help=help_text), pretty_exceptions_short=True,
                                   rich_markup_mode=None, suggest_commands=True)
    return get_command_from_info(CommandInfo(name=name, callback=target, help=help_text),
                                 pretty_exceptions_short=True, rich_markup_mode=None)


class LazyCommands(MutableMapping):
    """The root group's commands, each built on first lookup (see COMMANDS)."""

    def __init__(self) -> None:
        self.built: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self.built:
            if name not in COMMANDS:
                raise KeyError(name)
            self.built[name] = build_command(name)
        return self.built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*COMMANDS, *self.built]))

    def __len__(self) -> int:
        return len(set(COMMANDS) | set(self.built))


def report(error: TgError) -> None:
    # One line each, whatever a quoted name, cell or YAML key holds (hostile input, issue 6).
    sys.stderr.write(f"tg: {one_line(error.message)}\n")
    for line in error.details:
        sys.stderr.write(f"{one_line(line)}\n")
    sys.stderr.flush()


class TgGroup(TyperGroup):
    """The one place that turns the project's errors and Ctrl-C into a message and an exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands()  # type: ignore[assignment]

    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:
        """`tg --help` lists names and help texts: stand-ins carry them, so listing the
        commands does not build (import, inspect) each one."""
        from typer.core import TyperCommand

        lazy = self.commands
        self.commands = {name: lazy.built.get(name) or TyperCommand(name=name, help=i18n.both(COMMANDS[name][2]))
                         for name in lazy}
        try:
            super().format_commands(ctx, formatter)
        finally:
            self.commands = lazy

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except TgError as error:
            report(error)
            ctx.exit(error.exit_code)
        except (KeyboardInterrupt, typer.Abort):
            sys.stderr.write(f"\n{i18n.t('interrupted')}\n")
            ctx.exit(EXIT_INTERRUPTED)
        except UnicodeEncodeError as exc:
            if "surrogate" not in str(exc.reason) or os.environ.get("TG_DEBUG"):
                raise
            # Bytes of the command line that were not UTF-8 (a GBK terminal) reached text that is
            # stored or printed: nothing was written, and the user can fix the terminal.
            report(TgError(i18n.t("hostile.argv_not_utf8")))
            ctx.exit(2)
        except BrokenPipeError:
            # The reader (head, less) went away: stop quietly, as cat does.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(141)
        except Exception as exc:
            # Typer's own exits and usage errors pass through; anything else is our bug, not
            # the user's: one line, and the traceback only on request.
            if type(exc).__module__.split(".")[0] in ("typer", "click") or os.environ.get("TG_DEBUG"):
                raise
            detail = str(exc).splitlines()[0][:200] if str(exc) else ""
            sys.stderr.write(f"tg: {i18n.t('internal', kind=type(exc).__name__, detail=detail)}\n")
            ctx.exit(1)


app = typer.Typer(
    cls=TgGroup,
    help=i18n.both("help.app"),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals would print client data in a bug report
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    ctx: typer.Context,
    db: Optional[str] = typer.Option(None, "--db", help=i18n.both("help.db"), metavar="PATH|URL"),
    playbook: Optional[str] = typer.Option(None, "--playbook", help=i18n.both("help.playbook"), metavar="FILE"),
    lang: Optional[str] = typer.Option(None, "--lang", help=i18n.both("help.lang"), metavar="zh|en"),
) -> None:
    i18n.set_lang(i18n.detect_lang(lang))
    ctx.obj = AppContext(db=db, playbook_path=playbook)


def main() -> None:
    app(prog_name="tg")
