"""tg invoice info CLIENT — the buyer's invoice details (开票信息): title (抬头), credit code, …"""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Optional

import typer

from .. import i18n
from .options import TextOrJson, format_option
from .output import say

app = typer.Typer(no_args_is_help=True)


def _h(key: str) -> str:
    return i18n.both(key)


class Kind(str, Enum):
    special = "special"
    normal = "normal"


FIELDS = ("title", "credit_code", "address", "phone", "bank", "account", "kind")


@app.command("info", help=_h("help.invoice.info"))
def info(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    title: Optional[str] = typer.Option(None, "--title", help=_h("help.invoice.title")),
    credit_code: Optional[str] = typer.Option(None, "--credit-code", help=_h("help.invoice.credit_code")),
    address: Optional[str] = typer.Option(None, "--address", help=_h("help.invoice.address")),
    phone: Optional[str] = typer.Option(None, "--phone", help=_h("help.invoice.phone")),
    bank: Optional[str] = typer.Option(None, "--bank", help=_h("help.invoice.bank")),
    account: Optional[str] = typer.Option(None, "--account", help=_h("help.invoice.account")),
    kind: Optional[Kind] = typer.Option(None, "--kind", help=_h("help.invoice.kind"), case_sensitive=False),
    fmt: TextOrJson = format_option(TextOrJson.text),
) -> None:
    from ..store import quotes as qs
    from ..store import clients as st
    from ..credit_code import validate
    from ..errors import UsageError

    values = {"title": title, "credit_code": credit_code, "address": address, "phone": phone, "bank": bank,
              "account": account, "kind": kind.value if kind else None}
    for key in ("title", "address", "phone", "bank", "account"):
        if values[key] is not None:
            values[key] = values[key].strip()
            if not values[key]:
                raise UsageError(i18n.t("invoice.empty", option="--" + key.replace("_", "-")))
    if credit_code is not None:
        values["credit_code"] = validate(credit_code)  # a wrong check digit: one line, nothing written
    app_ctx = ctx.obj
    changing = any(v is not None for v in values.values())
    with (app_ctx.store().write() if changing else app_ctx.store().read()) as session:
        c = st.get_client(session, client)
        row = qs.set_billing(session, client=c, user=app_ctx.user(), **values) if changing else qs.billing(session, c.id)
        if row is None:
            from ..errors import NotFound

            raise NotFound(i18n.t("invoice.none", client=c.name, id=c.id))
        shown = {k: getattr(row, k) for k in FIELDS}
        name, cid = c.name, c.id
    if changing:
        say(i18n.t("invoice.saved", client=name, id=cid))
    if fmt == TextOrJson.json:
        sys.stdout.write(json.dumps({"client_id": cid, "client": name, **shown}, ensure_ascii=False, indent=2) + "\n")
    else:
        say(*(f"{i18n.t('invoice.field.' + k)}: {shown[k] if k != 'kind' else i18n.t('invoice.kind.' + shown[k])}"
              for k in FIELDS if shown[k]), file=sys.stdout)
