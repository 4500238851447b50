"""tg pitch CLIENT — prepare a visit: parse, build the document (documents.load_pitch), print."""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Optional

import typer

from .. import i18n


class PitchFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


def pitch(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=i18n.both("help.pitch.client"), show_default=False),
    bundle: Optional[str] = typer.Option(None, "--bundle", "-b", help=i18n.both("help.pitch.bundle")),
    fmt: PitchFormat = typer.Option(PitchFormat.text.value, "--format", "-f", help=i18n.both("help.format"),
                                    case_sensitive=False),
    lang: Optional[str] = typer.Option(None, "--lang", help=i18n.both("help.lang"), metavar="zh|en"),
) -> None:
    from ..documents import PitchRequest, load_pitch

    if lang:
        i18n.set_lang(i18n.normalise_lang(lang))
    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    doc = load_pitch(app_ctx, pb, PitchRequest(client=client, bundle=bundle))
    if fmt == PitchFormat.json:
        sys.stdout.write(json.dumps(doc.as_json(), ensure_ascii=False, indent=2) + "\n")
        return
    from ..plain import MarkdownStyle, PlainStyle, document_text

    style = MarkdownStyle() if fmt == PitchFormat.markdown else PlainStyle.for_stdout()
    sys.stdout.write(document_text(style, doc, pb.currency))
