"""tg config path | get [KEY] | set KEY VALUE | unset KEY — the settings file (config.py)."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from .. import i18n
from .options import TextOrJson, format_option, json_text
from .output import say

app = typer.Typer(no_args_is_help=True)


@app.command("path", help=i18n.both("help.config.path"))
def path() -> None:
    from ..config import config_path

    sys.stdout.write(f"{config_path()}\n")


@app.command("get", help=i18n.both("help.config.get"))
def get(
    key: Optional[str] = typer.Argument(None, help=i18n.both("help.config.key"), show_default=False),
    fmt: TextOrJson = format_option(TextOrJson.text),
) -> None:
    from .. import config
    from ..errors import TgError

    keys = [config.known(key)] if key else list(config.SETTINGS)
    found = [config.effective(k) for k in keys]
    if fmt.is_json:
        data = {s.key: {"value": config.shown(s.key, s.value), "source": s.source, "variable": s.variable}
                for s in found}
        sys.stdout.write(json_text(data[key] if key else data, fmt))
        return
    if key:
        setting = found[0]
        if setting.value is None:
            raise TgError(i18n.t("config.not_set", name=key, variable=setting.variable))
        sys.stdout.write(f"{config.shown(key, setting.value)}\n")
        if setting.source == "environment":
            say(i18n.t("config.from_env", variable=setting.variable))
        return
    for s in found:
        note = {"environment": i18n.t("config.src.env", variable=s.variable), "file": i18n.t("config.src.file"),
                "unset": i18n.t("config.src.unset")}[s.source]
        sys.stdout.write(f"{s.key} = {'' if s.value is None else config.shown(s.key, s.value)}  # {note}\n")


@app.command("set", help=i18n.both("help.config.set"))
def set_(
    key: str = typer.Argument(..., help=i18n.both("help.config.key"), show_default=False),
    value: str = typer.Argument(..., help=i18n.both("help.config.value"), show_default=False),
) -> None:
    import os

    from .. import config

    stored, where = config.set_value(key, value)
    say(i18n.t("config.was_set", name=key, value=config.shown(key, stored), path=where))
    var = config.SETTINGS[key]
    if os.environ.get(var) and var not in config.FILLED:
        say(i18n.t("config.env_wins", variable=var))


@app.command("unset", help=i18n.both("help.config.unset"))
def unset(key: str = typer.Argument(..., help=i18n.both("help.config.key"), show_default=False)) -> None:
    from .. import config

    removed, where = config.unset_value(key)
    say(i18n.t("config.was_unset" if removed else "config.was_not_set", name=key, path=where))
