"""tg pitch CLIENT — prepare a visit."""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Optional

import typer

from .. import i18n
from ..errors import TgError, UsageError, multi_line, one_line


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
    from ..store import clients as st
    from ..pitch import build_pitch
    from ..recommend import evaluate, recommend

    if lang:
        i18n.set_lang(i18n.normalise_lang(lang))
    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    if bundle and pb.bundle(bundle) is None:
        raise UsageError(i18n.t("pitch.unknown_bundle", code=bundle, codes=", ".join(b.code for b in pb.bundles)))
    with app_ctx.store().read() as session:
        c = st.read_client(session, client)
        fields = st.client_json(c)
        from ..store.accounts import account_facts  # contacts, rivals, needs, leverage, case

        facts = account_facts(session, c)
    segment = pb.segment(fields["segment"] or "")
    if segment is None:
        raise TgError(i18n.t("pitch.not_classified", id=fields["id"], name=fields["name"]))

    note = None
    if bundle:
        offer = evaluate(pb, pb.bundle(bundle), segment.code, fields["headcount"], fields["budget_per_head"],
                         fields["budget_total"], [], occasion=fields["occasion"])
    else:
        rec = recommend(pb, segment.code, headcount=fields["headcount"], budget_per_head=fields["budget_per_head"],
                        budget_total=fields["budget_total"], limit=1, occasion=fields["occasion"])
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
    else:
        style = Markdown() if fmt == PitchFormat.markdown else Plain.for_stdout()
        sys.stdout.write(document(style, fields["name"], text, offer, pb.currency, note, account))


class Markdown:
    def title(self, text: str) -> str:
        return f"# {text}"

    def heading(self, text: str) -> str:
        return f"## {text}"

    def strong(self, text: str) -> str:
        return f"**{text}**"

    def em(self, text: str) -> str:
        return f"*{text}*"

    bullet, sub, gap = "- ", "  - ", True


class Plain(Markdown):
    """The pitch as plain text: a rep pastes it into WeChat or an e-mail as it is, so no boxes or
    borders — only bold headings on a terminal (and not even that with NO_COLOR)."""

    def __init__(self, bold: bool):
        self.on, self.off = ("\033[1m", "\033[0m") if bold else ("", "")

    @classmethod
    def for_stdout(cls) -> "Plain":
        import os

        return cls(sys.stdout.isatty() and not os.environ.get("NO_COLOR"))

    def title(self, text: str) -> str:
        return f"{self.on}{text}{self.off}"

    def heading(self, text: str) -> str:
        return f"{self.on}【{text}】{self.off}" if i18n.get_lang() == "zh" else f"{self.on}== {text} =={self.off}"

    def strong(self, text: str) -> str:
        return text

    def em(self, text: str) -> str:
        return text

    bullet, sub, gap = "• ", "  ↳ ", False


def document(st: Markdown, name: str, p, offer, currency: str, note: str | None, account) -> str:
    """The whole pitch in reading order: the segment's script, the bundle, then the account part.

    Names, notes and the playbook's text are data: escape sequences, other control characters and
    bidi marks in them are written as escapes (a note keeps its line breaks; titles and headings
    are one line), before any styling is added."""
    from ..accounts import account_sections
    from ..recommend import money

    shown = multi_line

    def section(heading: str, body: list[str]) -> list[str]:
        return ["", st.heading(one_line(heading)), *([""] if st.gap else []), *body]

    lines = [st.title(one_line(i18n.t("pitch.heading", client=name))), st.em(one_line(p.segment_name))]
    lines += section(i18n.t("pitch.opening"), [shown(p.opening)])
    lines += section(i18n.t("pitch.stated"), [st.bullet + shown(s) for s in p.stated_needs])
    lines += section(i18n.t("pitch.guided"), [st.bullet + shown(s) for s in p.guided_needs])
    lines += section(i18n.t("pitch.objections"),
                     [x for o, a in p.objections for x in (st.bullet + st.strong(shown(o)), f"  → {shown(a)}")])
    lines += section(i18n.t("pitch.close"), [shown(p.close)])
    body = []
    if offer:
        body.append(f"{st.strong(shown(offer.bundle.name.get()))} ({one_line(offer.code)}): "
                    f"{money(offer.per_head, currency)}{i18n.t('per_head_unit')}"
                    + (f" × {offer.quantity} = {money(offer.total, currency)}" if offer.total is not None else ""))
        body += [st.bullet + shown(r) for r in offer.reasons]
    if note:
        body.append(shown(note))
    lines += section(i18n.t("pitch.bundle"), body)
    for heading, items in account_sections(account):
        lines += section(heading, [st.sub + shown(t.strip().removeprefix("↳").strip()) if t.startswith("  ↳ ")
                                   else st.bullet + shown(t) for t, _ in items])
    return "\n".join(lines) + "\n"
