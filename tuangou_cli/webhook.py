"""Posting a message to a group robot's webhook: WeCom (企业微信), DingTalk (钉钉) or Feishu (飞书).

The webhook URL is a secret (whoever has it can post to the group): it is never printed, and
every message that could quote it is scrubbed (errors.register_secrets). Only https is sent,
except to this machine (a local relay, the tests' server). The standard library's urllib does
the one POST: no dependency for a JSON body and a status code.

Example:

    >>> payload("wecom", "Digest", "## Digest\\n- one")["msgtype"]
    'markdown'
    >>> host_of("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc")
    'qyapi.weixin.qq.com'
"""

from __future__ import annotations

import json
import os
from urllib.parse import parse_qsl, urlsplit

from . import i18n
from .errors import TgError, UsageError, register_secrets

PLATFORMS = ("wecom", "dingtalk", "feishu")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
# What each robot accepts in one message, in bytes of UTF-8 (their documented limits).
MAX_BYTES = {"wecom": 4096, "dingtalk": 20000, "feishu": 20000}
# The digest's form each robot shows best: WeCom and DingTalk render Markdown, Feishu's plain
# text message shows Markdown's marks as they are, so it gets the text.
FORM = {"wecom": "markdown", "dingtalk": "markdown", "feishu": "text"}
TIMEOUT = 15  # seconds: a robot answers in well under one; a dead host must not hang a cron job

URL_VARIABLE = "TG_DIGEST_WEBHOOK"
TO_VARIABLE = "TG_DIGEST_TO"


def host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or "?"
    except ValueError:
        return "?"


def check_url(url: str) -> str:
    """The URL, stripped, if tg may post to it: https, or http to this machine; else a UsageError
    that names only the scheme and host (the rest is the secret)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or not host or any(ch.isspace() or not ch.isprintable() for ch in url):
        raise UsageError(i18n.t("webhook.bad_url"))
    if parts.scheme == "https" or (parts.scheme == "http" and host in LOCAL_HOSTS):
        hide(url)
        return url
    raise UsageError(i18n.t("webhook.not_https", scheme=parts.scheme or "?", host=host))


def hide(url: str) -> None:
    """Keep the URL and its keys out of every message (a driver's error, an internal error)."""
    parts = urlsplit(url)
    secrets = [url, parts.query] + [v for _, v in parse_qsl(parts.query) if len(v) >= 6]
    secrets += [p for p in parts.path.split("/") if len(p) >= 16]  # Feishu's /hook/<token>
    register_secrets(secrets)


def configured() -> tuple[str | None, str | None]:
    """(webhook URL, platform) from the environment or the config file (digest.webhook, digest.to)."""
    return os.environ.get(URL_VARIABLE) or None, os.environ.get(TO_VARIABLE) or None


def check_platform(name: str) -> str:
    name = (name or "").strip().casefold()
    if name not in PLATFORMS:
        raise UsageError(i18n.t("webhook.bad_platform", value=name, known=", ".join(PLATFORMS)))
    return name


def payload(platform: str, title: str, body: str) -> dict:
    """The JSON each robot expects for one message (``body`` in the platform's FORM)."""
    if platform == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": body}}
    if platform == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": body}}
    if platform == "feishu":
        return {"msg_type": "text", "content": {"text": body}}
    raise ValueError(platform)


def _refused(answer: bytes) -> str | None:
    """The robot's own error in a 200 answer (errcode/errmsg, code/msg), or None when it took it."""
    try:
        data = json.loads(answer.decode("utf-8", "replace") or "{}")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    for code, message in (("errcode", "errmsg"), ("code", "msg"), ("StatusCode", "StatusMessage")):
        if code in data and data[code] not in (0, "0", None):
            return f"{data[code]} {data.get(message) or ''}".strip()
    return None


def post(url: str, platform: str, title: str, body: str) -> str:
    """POST the message; the host it went to. A TgError (one line, no URL) when the robot cannot
    be reached or answers an error."""
    import urllib.error
    import urllib.request

    url = check_url(url)
    host = host_of(url)
    data = json.dumps(payload(platform, title, body), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (scheme checked)
            answer = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise TgError(i18n.t("webhook.http_error", host=host, status=exc.code, reason=exc.reason or "")) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise TgError(i18n.t("webhook.unreachable", host=host, reason=str(reason))) from None
    refused = _refused(answer)
    if refused:
        raise TgError(i18n.t("webhook.refused", host=host, reason=refused))
    return host
