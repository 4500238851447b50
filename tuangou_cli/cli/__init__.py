"""The `tg` command line: parse, delegate to the pure modules, hand results to render/export.

Command modules import heavy libraries (sqlmodel, questionary, rich) inside
the functions that need them, so `tg --help` and the first question of
`tg classify` stay fast.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Callable, Iterator, MutableMapping
from typing import TYPE_CHECKING, Any, Optional

import typer
from typer._click import exceptions as click_errors  # Typer's vendored Click
from typer.core import TyperCommand, TyperGroup

from .. import i18n
from ..errors import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, TgError, one_line, scrub
from .completion import attach as attach_completion
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
    # the account: who decides, rivals, needs, what we buy from them
    "contacts": ("contacts", "app", "help.acct.contacts"),
    "competitors": ("competitors", "app", "help.acct.competitors"),
    "needs": ("needs", "app", "help.acct.needs"),
    "reciprocal": ("reciprocal", "app", "help.acct.reciprocal"),
    # the pipeline: contacts made, deals, stages and hand-offs
    "log": ("activities", "log", "help.pipe.log"),
    "agenda": ("activities", "agenda_app", "help.pipe.agenda"),
    "deals": ("deals", "app", "help.pipe.deals"),
    "handoff": ("pipeline", "handoff", "help.pipe.handoff"),
    "pipeline": ("pipeline", "pipeline", "help.pipe.pipeline"),
    # the case library and the manager's reports
    "cases": ("cases", "app", "help.lib.cases"),
    "report": ("reports", "app", "help.lib.report"),
    "demo": ("demo", "demo", "help.lib.demo"),
    # a team on one database
    "history": ("history", "history", "help.team.history"),
    "undo": ("undo", "undo", "help.daily.undo"),
    "catalog": ("catalog", "app", "help.catalog"),
    "quote": ("quote", "app", "help.quote"), "invoice": ("invoice", "app", "help.invoice"),
    "order": ("order", "app", "help.order"), "payment": ("payment", "app", "help.payment"),
    "search": ("search", "search", "help.search"),
    "config": ("config", "app", "help.config"),
    # the day's digest and the month's targets
    "digest": ("digest", "digest", "help.digest"),
    "targets": ("targets", "app", "help.target"),
    # the company keeps its clients: the lead pool, and a rep's hand-over when they leave
    "pool": ("pool", "app", "help.pool"),
    "handover": ("handover", "handover", "help.handover"),
}


def load(name: str) -> Callable[..., Any] | typer.Typer:
    """The function or Typer group behind a top-level command (imports its module)."""
    module, attribute, _ = COMMANDS[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), attribute)


def build_command(name: str) -> Command:
    from typer.main import get_command_from_info, get_group_from_info
    from typer.models import CommandInfo, TyperInfo

    target, help_text = load(name), i18n.t(COMMANDS[name][2])
    if isinstance(target, typer.Typer):
        _adopt(target)
        own = target.info.cls  # a group may bring its own subclass (tg quote's default command)
        cls = own if isinstance(own, type) and issubclass(own, TgSubGroup) else TgSubGroup
        built = get_group_from_info(TyperInfo(target, name=name, help=help_text, cls=cls),
                                    pretty_exceptions_short=True, rich_markup_mode=None, suggest_commands=True)
    else:
        built = get_command_from_info(CommandInfo(name=name, callback=target, help=help_text, cls=TgCommand),
                                      pretty_exceptions_short=True, rich_markup_mode=None)
    attach_completion(built)  # reads the help markers, so before they are localised
    localise(built)
    return built


_TYPER_OPTIONS = {"install_completion": "help.install_completion", "show_completion": "help.show_completion"}


def localise(command: Any, *, subcommands: bool = True) -> None:
    """The help texts of a built command (and of its subcommands) in the run's language: options
    are defined, with their help as markers (i18n.both), before the language is known."""
    for attr in ("help", "short_help", "epilog"):
        setattr(command, attr, i18n.help_text(getattr(command, attr, None)))
    for param in command.params:
        if param.name in _TYPER_OPTIONS:  # Typer's own --install-completion, --show-completion
            param.help = i18n.t(_TYPER_OPTIONS[param.name])
        elif hasattr(param, "help"):
            param.help = i18n.help_text(param.help)
    if subcommands:
        for sub in getattr(command, "commands", {}).values():
            localise(sub)


# Click's own words in a help page, said in Chinese (each as Click lays it out). Type names
# keep their width, so the columns after them stay aligned.
_CLICK_WORDS_ZH = (
    ("Usage: ", "用法："), ("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]..."),
    ("\nArguments:\n", "\n参数：\n"), ("\nOptions:\n", "\n选项：\n"), ("\nCommands:\n", "\n命令：\n"),
    ("Show this message and exit.", "显示本帮助并退出。"), ("[default: ", "[默认："), ("[required]", "[必填]"),
)
_TYPE_WORDS_ZH = (("<int range>", "<整数>     "), ("<float range>", "<数字>       "), ("<int>", "<整数>"),
                  ("<float>", "<数字> "), ("<str>", "<文本>"), ("<path>", "<路径>"), ("<file>", "<文件>"))


def help_in_chinese(text: str) -> str:
    for english, chinese in _CLICK_WORDS_ZH + _TYPE_WORDS_ZH:
        text = text.replace(english, chinese)
    return "\n".join(line.rstrip() for line in text.split("\n"))


class OneLanguageHelp:
    """A help page in the run's language only (Click's own words too), ending with the command
    that shows it in the other language."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        page = ctx.make_formatter()
        super().format_help(ctx, page)  # type: ignore[misc]
        text = page.getvalue()
        formatter.write(help_in_chinese(text) if i18n.get_lang() == "zh" else text)
        other = "en" if i18n.get_lang() == "zh" else "zh"
        prog, _, rest = ctx.command_path.partition(" ")
        command = " ".join(x for x in (prog, "--lang", other, rest, "--help") if x)
        formatter.write("\n" + i18n.t("help.other_lang", command=command) + "\n")


def _adopt(group: typer.Typer) -> None:
    """Build a group's commands (and groups) with tg's classes, unless one names a class of its own."""
    for info in group.registered_commands:
        if info.cls in (None, TyperCommand):  # typer's decorator names TyperCommand by default
            info.cls = TgCommand
    for sub in group.registered_groups:
        if not isinstance(sub.cls, type) or sub.cls is TyperGroup:  # None or typer's Default(...)
            sub.cls = TgSubGroup
        if sub.typer_instance is not None:
            _adopt(sub.typer_instance)


# --- usage errors with their parts --------------------------------------------------------------
#
# Click says "no such command", "got unexpected extra argument(s)" and "missing command" in English
# words only. tg's command classes raise the same errors (same English message, same exit code 2)
# with their parts as attributes, so that usage.usage_message can say them in Chinese too; and
# they note where an option was misused, which Click leaves out of BadOptionUsage.


class NoSuchCommand(click_errors.UsageError):
    def __init__(self, message: str, ctx: Any, *, name: str, possibilities: list[str]) -> None:
        super().__init__(message, ctx)
        self.command_name = name
        self.possibilities = possibilities


class ExtraArguments(click_errors.UsageError):
    def __init__(self, args: list[str], ctx: Any) -> None:
        super().__init__(f"Got unexpected extra argument(s) ({' '.join(one_line(str(a)) for a in args)})", ctx)
        self.extra_args = list(args)


class MissingCommand(click_errors.UsageError):
    missing_command = True

    def __init__(self, ctx: Any) -> None:
        super().__init__("Missing command.", ctx)


class LocalizedUsageError(click_errors.UsageError):
    """A usage error said in Chinese: the usage line, the hint and the message, as Click lays them out."""

    def show(self, file: Any = None) -> None:
        from typer._click.utils import echo

        ctx, out = self.ctx, file or sys.stderr
        if ctx is not None:
            formatter = ctx.make_formatter()
            formatter.write_usage(ctx.command_path, " ".join(ctx.command.collect_usage_pieces(ctx)),
                                  prefix=i18n.t("usage.usage"))
            echo(formatter.getvalue().rstrip("\n"), file=out, color=ctx.color)
            if ctx.command.get_help_option(ctx) is not None:
                echo(i18n.t("usage.hint", command=ctx.command_path, option=ctx.help_option_names[0]), file=out,
                     color=ctx.color)
            echo("", file=out)
        echo(i18n.t("usage.error", message=one_line(self.message)), file=out, color=ctx.color if ctx else None)


def localized(exc: click_errors.UsageError) -> click_errors.UsageError | None:
    """``exc`` said in the current language; None when Click's own words will do (English, and
    the help shown for a group called without a command)."""
    if i18n.get_lang() == "en" or isinstance(exc, click_errors.NoArgsIsHelpError):
        return None
    from .usage import usage_message

    return LocalizedUsageError(usage_message(exc), exc.ctx or getattr(exc, "parse_ctx", None))


def _parsing(parse: Callable[..., list[str]], ctx: typer.Context, args: list[str]) -> list[str]:
    try:
        return parse(ctx, args)
    except click_errors.BadOptionUsage as exc:
        exc.parse_ctx = ctx  # Click gives it no context: which command's option was misused
        raise


class TgCommand(OneLanguageHelp, TyperCommand):
    """A command whose extra arguments are an ExtraArguments error."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        if ctx.allow_extra_args or ctx.resilient_parsing:
            return _parsing(super().parse_args, ctx, args)
        ctx.allow_extra_args = True  # Click keeps the extra arguments instead of failing with words only
        try:
            rest = _parsing(super().parse_args, ctx, args)
        finally:
            ctx.allow_extra_args = False
        if rest:
            raise ExtraArguments(rest, ctx)
        return rest


class TgSubGroup(OneLanguageHelp, TyperGroup):
    """A command group whose unknown command is a NoSuchCommand and a missing one a MissingCommand."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        return _parsing(super().parse_args, ctx, args)

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> tuple[Any, Any, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click_errors.UsageError as exc:
            # Click's plain UsageError here is its "No such command" (options given where the
            # command was expected raise their own, more precise errors).
            if type(exc) is not click_errors.UsageError or not args or self.get_command(ctx, args[0]):
                raise
            import difflib

            close = difflib.get_close_matches(args[0], list(self.commands.keys()))
            raise NoSuchCommand(exc.message, exc.ctx, name=args[0], possibilities=close) from None

    def invoke(self, ctx: typer.Context) -> Any:
        if not getattr(ctx, "_protected_args", True) and not self.invoke_without_command:
            raise MissingCommand(ctx)
        return super().invoke(ctx)


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
    # One line each, whatever a quoted name, cell or YAML key holds: a hostile value cannot
    # break the message into lines or move the cursor. No password of the database URL either.
    sys.stderr.write(f"tg: {one_line(scrub(error.message))}\n")
    for line in error.details:
        sys.stderr.write(f"{one_line(scrub(line))}\n")
    sys.stderr.flush()


class TgGroup(TgSubGroup):
    """The one place that turns the project's errors, Click's usage errors and Ctrl-C into a
    message and an exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands()  # type: ignore[assignment]

    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:
        """`tg --help` lists names and help texts: stand-ins carry them, so listing the
        commands does not build (import, inspect) each one."""
        from typer.core import TyperCommand

        lazy = self.commands
        self.commands = {name: lazy.built.get(name) or TyperCommand(name=name, help=i18n.t(COMMANDS[name][2]))
                         for name in lazy}
        try:
            super().format_commands(ctx, formatter)
        finally:
            self.commands = lazy

    def _main_shell_completion(self, ctx_args: MutableMapping[str, Any], prog_name: str,
                               complete_var: str | None = None) -> None:
        """A shell asking for completions (Tab): tg's shell classes answer (cli/completion.py), and
        whatever goes wrong, the shell gets no candidates rather than a traceback on the prompt."""
        from . import completion

        if not completion.completing(complete_var, prog_name):
            return
        try:
            completion.register()
            super()._main_shell_completion(ctx_args, prog_name, complete_var)
        except (Exception, KeyboardInterrupt):
            if os.environ.get("TG_DEBUG"):
                raise
            sys.exit(0)

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        raw = list(args)
        # The language, from --lang (anywhere before "--") or the environment, before any help
        # can be shown: tg's callback sets it again, and refuses an unknown --lang.
        i18n.set_lang(_language(_lang_option(raw)))
        localise(self, subcommands=False)
        try:
            return super().parse_args(ctx, args)
        except click_errors.UsageError as exc:
            # The root's own options are wrong (tg --foo): tg's callback has not run.
            better = localized(exc)
            if better is None:
                raise
            raise better from exc

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except click_errors.UsageError as exc:
            # Usage errors of the command line after the root's options. "No such command" comes
            # before tg's callback sets the language: set it from the parsed --lang first.
            i18n.set_lang(_language(ctx.params.get("lang")))
            better = localized(exc)
            if better is None:
                raise
            raise better from exc
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
            ctx.exit(_pipe_gone())
        except Exception as exc:
            # Typer's own exits and usage errors pass through; anything else is our bug, not
            # the user's: one line, and the traceback only on request.
            if type(exc).__module__.split(".")[0] in ("typer", "click") or os.environ.get("TG_DEBUG"):
                raise
            detail = str(exc).splitlines()[0][:200] if str(exc) else ""
            sys.stderr.write(f"tg: {one_line(scrub(i18n.t('internal', kind=type(exc).__name__, detail=detail)))}\n")
            ctx.exit(1)


def _language(explicit: str | None) -> str:
    """The language tg's callback would choose (an unknown --lang: as if it were not given)."""
    try:
        return i18n.detect_lang(explicit)
    except TgError:
        return i18n.detect_lang()


def _lang_option(args: list[str]) -> str | None:
    """The value of --lang among the root's arguments, read before Click could parse them."""
    value = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
    return value


def _version(wanted: bool) -> None:
    if wanted:
        from .. import __version__

        sys.stdout.write(f"tg {__version__}\n")
        raise typer.Exit()


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
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_version, help=i18n.both("help.version")),
) -> None:
    if lang is not None:  # else the language TgGroup.parse_args chose (a command's own --lang counts)
        i18n.set_lang(i18n.detect_lang(lang))
    from ..config import check

    check(ctx.invoked_subcommand)  # a broken config file stops every command but `tg config`
    ctx.obj = AppContext(db=db, playbook_path=playbook)
    ctx.call_on_close(ctx.obj.close)


def tune_start_up() -> None:
    """Process-wide settings for a short-lived command, made by ``main`` rather than on import, so
    a program importing tuangou_cli as a library keeps its own."""
    # A command allocates hundreds of thousands of long-lived objects (ORM, pydantic, typer); at
    # the default threshold (700) the collector rescans them hundreds of times before the first
    # question appears. Collecting less often cuts start-up by ~10% and still collects.
    gc.set_threshold(100_000, 50, 100)
    # tg uses no pydantic plugins; looking for them scans every installed distribution's entry
    # points (~15 ms) the first time any model builds. A user's own setting still wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def main() -> None:
    from ..config import apply_config

    tune_start_up()
    apply_config()  # the config file's settings, under the environment's
    try:
        app(prog_name="tg")
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = _pipe_gone()
    sys.exit(code)


def _pipe_gone() -> int:
    """The reader (head, less) went away: stop quietly, as cat does, with the shell's exit code for
    SIGPIPE. Whether it is seen while a command writes (export) or when the last buffered lines
    are flushed (a listing), the code is the same."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE
