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
import sys  # noqa: E402
from typing import Optional  # noqa: E402

import typer  # noqa: E402
from typer.core import TyperGroup

from .. import i18n
from ..errors import EXIT_INTERRUPTED, TgError, one_line
from . import cases as cases_cmd  # library (issue 3)
from . import classify as classify_cmd
from . import clients as clients_cmd
from . import db as db_cmd
from . import demo as demo_cmd  # library (issue 3)
from . import export as export_cmd
from . import imports as imports_cmd
from . import pitch as pitch_cmd
from . import playbook as playbook_cmd
from . import referrals as referrals_cmd
from . import rewards as rewards_cmd
from . import reports as reports_cmd  # library (issue 3)
from .context import AppContext


def report(error: TgError) -> None:
    # One line each, whatever a quoted name, cell or YAML key holds (hostile input, issue 6).
    sys.stderr.write(f"tg: {one_line(error.message)}\n")
    for line in error.details:
        sys.stderr.write(f"{one_line(line)}\n")
    sys.stderr.flush()


class TgGroup(TyperGroup):
    """The one place that turns the project's errors and Ctrl-C into a message and an exit code."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except TgError as error:
            report(error)
            ctx.exit(error.exit_code)
        except (KeyboardInterrupt, typer.Abort):
            sys.stderr.write(f"\n{i18n.t('interrupted')}\n")
            ctx.exit(EXIT_INTERRUPTED)
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


app.command("classify", help=i18n.both("help.classify"))(classify_cmd.classify)
app.command("pitch", help=i18n.both("help.pitch"))(pitch_cmd.pitch)
app.command("refer", help=i18n.both("help.refer"))(referrals_cmd.refer)
app.add_typer(referrals_cmd.app, name="referrals", help=i18n.both("help.referrals"))
app.add_typer(rewards_cmd.app, name="rewards", help=i18n.both("help.rewards"))
app.add_typer(clients_cmd.app, name="clients", help=i18n.both("help.clients"))
app.command("export", help=i18n.both("help.export"))(export_cmd.export)
app.add_typer(imports_cmd.app, name="import", help=i18n.both("help.import"))
app.add_typer(playbook_cmd.app, name="playbook", help=i18n.both("help.playbook_cmd"))
app.add_typer(db_cmd.app, name="db", help=i18n.both("help.dbcmd"))
# accounts (issue 3): contacts, competitors, needs, reciprocal
from . import competitors as competitors_cmd  # noqa: E402
from . import contacts as contacts_cmd  # noqa: E402
from . import needs as needs_cmd  # noqa: E402
from . import reciprocal as reciprocal_cmd  # noqa: E402

app.add_typer(contacts_cmd.app, name="contacts", help=i18n.both("help.acct.contacts"))
app.add_typer(competitors_cmd.app, name="competitors", help=i18n.both("help.acct.competitors"))
app.add_typer(needs_cmd.app, name="needs", help=i18n.both("help.acct.needs"))
app.add_typer(reciprocal_cmd.app, name="reciprocal", help=i18n.both("help.acct.reciprocal"))
# pipeline (issue 3): log, agenda, deals, handoff, pipeline, report credit
from . import activities as activities_cmd  # noqa: E402
from . import deals as deals_cmd  # noqa: E402
from . import pipeline as pipeline_cmd  # noqa: E402

app.command("log", help=i18n.both("help.pipe.log"))(activities_cmd.log)
app.add_typer(activities_cmd.agenda_app, name="agenda", help=i18n.both("help.pipe.agenda"))
app.add_typer(deals_cmd.app, name="deals", help=i18n.both("help.pipe.deals"))
app.command("handoff", help=i18n.both("help.pipe.handoff"))(pipeline_cmd.handoff)
app.command("pipeline", help=i18n.both("help.pipe.pipeline"))(pipeline_cmd.pipeline)
# `tg report` is one group (cli/reports.py: pareto, funnel); credit and referrals join it.
reports_cmd.app.command("credit", help=i18n.both("help.pipe.report.credit"))(pipeline_cmd.report_credit)
reports_cmd.app.command("referrals", help=i18n.both("help.referrals.report"))(referrals_cmd.report_referrals)
# library (issue 3): cases, report pareto/funnel, demo
app.add_typer(cases_cmd.app, name="cases", help=i18n.both("help.lib.cases"))
app.add_typer(reports_cmd.app, name="report", help=i18n.both("help.lib.report"))
app.command("demo", help=i18n.both("help.lib.demo"))(demo_cmd.demo)
# team (issue 6): the audit trail
from . import history as history_cmd  # noqa: E402

app.command("history", help=i18n.both("help.team.history"))(history_cmd.history)


def main() -> None:
    app(prog_name="tg")
