"""tg pitch CLIENT — prepare a visit."""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Optional

import typer

from .. import i18n
from ..errors import TgError, UsageError


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
    from .. import store as st
    from ..pitch import build_pitch
    from ..recommend import evaluate, recommend

    if lang:
        i18n.set_lang(i18n.normalise_lang(lang))
    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    if bundle and pb.bundle(bundle) is None:
        raise UsageError(i18n.t("pitch.unknown_bundle", code=bundle, codes=", ".join(b.code for b in pb.bundles)))
    with app_ctx.store().read() as session:
        c = st.get_client(session, client)
        fields = st.client_json(c)
        from ..account_store import account_facts  # accounts (issue 3): contacts, rivals, needs, leverage, case

        facts = account_facts(session, c)
    segment = pb.segment(fields["segment"] or "")
    if segment is None:
        raise TgError(i18n.t("pitch.not_classified", id=fields["id"], name=fields["name"]))

    note = None
    if bundle:
        offer = evaluate(pb, pb.bundle(bundle), segment.code, fields["headcount"], fields["budget_per_head"],
                         fields["budget_total"], [])
    else:
        rec = recommend(pb, segment.code, headcount=fields["headcount"], budget_per_head=fields["budget_per_head"],
                        budget_total=fields["budget_total"], limit=1)
        offer, note = (rec.offers[0] if rec.offers else None), rec.note
    from ..accounts import build_account_pitch

    account = build_account_pitch(pb, segment.code, facts, offer, industry=fields["industry"])
    # The playbook's {contact} and {rival} placeholders: the decision-maker and the first rival.
    placeholders = dict(fields, contact=account.decision_maker.name if account.decision_maker else None,
                        rival=account.rivals[0].name if account.rivals else None)
    text = build_pitch(pb, segment, placeholders, offer)

    if fmt == PitchFormat.json:
        from ..export import json_value

        out = {"client": fields, "pitch": text.as_json(), "note": note,
               "bundle": None if offer is None else {
                   "code": offer.code, "name": offer.bundle.name.get(), "per_head": json_value(offer.per_head),
                   "quantity": offer.quantity, "total": json_value(offer.total), "reasons": offer.reasons,
                   "services": [s.get() for s in offer.bundle.services]},
               "account": account.as_json()}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    elif fmt == PitchFormat.markdown:
        sys.stdout.write(markdown(fields["name"], text, offer, pb.currency, note) + account_markdown(account))
    else:
        from .. import render

        render.print_pitch(fields["name"], text, offer, pb.currency, note)
        render.print_account_pitch(account)


def markdown(name: str, p, offer, currency: str, note: str | None) -> str:
    from ..recommend import money

    lines = [f"# {i18n.t('pitch.heading', client=name)}", "", f"*{p.segment_name}*", "",
             f"## {i18n.t('pitch.opening')}", "", p.opening, "",
             f"## {i18n.t('pitch.stated')}", "", *[f"- {s}" for s in p.stated_needs], "",
             f"## {i18n.t('pitch.guided')}", "", *[f"- {s}" for s in p.guided_needs], "",
             f"## {i18n.t('pitch.objections')}", ""]
    for objection, answer in p.objections:
        lines += [f"- **{objection}**", f"  {answer}"]
    lines += ["", f"## {i18n.t('pitch.close')}", "", p.close, "", f"## {i18n.t('pitch.bundle')}", ""]
    if offer:
        lines.append(f"**{offer.bundle.name.get()}** (`{offer.code}`): {money(offer.per_head, currency)}"
                     f"{i18n.t('per_head_unit')}"
                     + (f", {offer.quantity} × = {money(offer.total, currency)}" if offer.total is not None else ""))
        lines += [f"- {r}" for r in offer.reasons]
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


def account_markdown(a) -> str:
    """The account part of the pitch (issue 3): decision-maker, rivals, needs, leverage, proof case."""
    from ..accounts import account_sections

    lines: list[str] = []
    for heading, items in account_sections(a):
        lines += ["", f"## {heading}", ""]
        lines += [f"  - {text.strip()}" if text.startswith("  ↳ ") else f"- {text}" for text, _style in items]
    return "\n".join(lines) + "\n" if lines else ""
