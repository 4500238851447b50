"""tg digest [--user U | --team] [--format text|markdown|json] [--push URL] [--to wecom|dingtalk|feishu]"""

from __future__ import annotations

import sys
from enum import Enum
from typing import Optional

import typer

from .. import i18n
from .output import say


class DigestFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


class Robot(str, Enum):
    wecom = "wecom"
    dingtalk = "dingtalk"
    feishu = "feishu"


def digest(
    ctx: typer.Context,
    user: Optional[str] = typer.Option(None, "--user", "-u", help=i18n.both("help.digest.user")),
    team: bool = typer.Option(False, "--team", help=i18n.both("help.digest.team")),
    fmt: DigestFormat = typer.Option(DigestFormat.text.value, "--format", "-f", help=i18n.both("help.digest.format"),
                                     case_sensitive=False),
    push: Optional[str] = typer.Option(None, "--push", help=i18n.both("help.digest.push"), metavar="URL",
                                       show_default=False),
    to: Optional[Robot] = typer.Option(None, "--to", help=i18n.both("help.digest.to"), case_sensitive=False,
                                       show_default=False),
) -> None:
    from .. import webhook
    from ..digest import build_digest, push as push_digest, render
    from ..errors import UsageError

    if user and team:
        raise UsageError(i18n.t("digest.user_or_team"))
    url = platform = None
    if push is not None or to is not None:  # checked before any work: a bad URL is one line, nothing sent
        saved_url, saved_to = webhook.configured()
        given = push if push is not None else saved_url
        if not given:
            raise UsageError(i18n.t("webhook.none"))
        url = webhook.check_url(given)
        platform = webhook.check_platform(to.value if to is not None else (saved_to or "wecom"))
    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    me = app_ctx.user()
    d = build_digest(app_ctx.store, pb, user=None if team else (user or me), team=team, also=(me,))
    sys.stdout.write(render(d, fmt.value, currency=pb.currency))
    sys.stdout.flush()  # the digest is out before the robot is asked: its error cannot hide it
    if url is not None:
        host = push_digest(d, url=url, platform=platform, currency=pb.currency)
        say(i18n.t("digest.pushed", host=host, platform=platform))
