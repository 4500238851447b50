"""Option types shared by several commands."""

from __future__ import annotations

from enum import Enum

import typer

from .. import i18n


# Upper bounds that keep numbers finite and inside a 32-bit integer column on every engine.
MAX_HEADCOUNT = 10_000_000
MAX_MONEY = 1e12


class ListFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class TextOrJson(str, Enum):
    text = "text"
    json = "json"


def format_option(default: Enum):
    return typer.Option(default.value, "--format", "-f", help=i18n.both("help.format"), case_sensitive=False)


def yes_option():
    return typer.Option(False, "--yes", "-y", help=i18n.both("help.yes"))
