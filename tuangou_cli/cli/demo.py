"""tg demo — fill the current database with a realistic, reproducible data set."""

from __future__ import annotations

import time

import typer

from .. import i18n
from .output import say


def demo(
    ctx: typer.Context,
    clients: int = typer.Option(300, "--clients", "-n", min=1, max=1_000_000, help=i18n.both("help.lib.demo.clients")),
    seed: int = typer.Option(2013, "--seed", help=i18n.both("help.lib.demo.seed")),
    force: bool = typer.Option(False, "--force", help=i18n.both("help.lib.demo.force")),
) -> None:
    from .. import records

    started = time.perf_counter()
    counts = records.load_demo(ctx.obj, clients=clients, seed=seed, force=force)
    elapsed = time.perf_counter() - started
    say(i18n.t(
        "lib.demo.done", clients=counts.get("client", 0), contacts=counts.get("contact", 0),
        deals=counts.get("deal", 0), stages=counts.get("stage_entry", 0), activities=counts.get("activity", 0),
        cases=counts.get("case_study", 0), referrals=counts.get("referral", 0), seed=seed, seconds=elapsed))
