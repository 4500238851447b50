"""Building documents: the pitch for a visit, the same for `tg pitch` and `tg classify`.

A document is built from plain facts (the client's fields, the account file, the offer) into
a typed object; render.py and plain.py show it, `as_json` gives it to scripts. Pure but for
`load_pitch`, which reads what it needs in one read-only session.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Sequence

from . import i18n
from .ask import Ask
from .offering import CatalogueSource, Priced, ShownOffer, price
from .pitch import OfferFit, PitchText, build_pitch, offer_fit
from .playbook import OCCASION_QUESTION, Playbook

if TYPE_CHECKING:
    from .accounts import AccountPitch

PAST_QUESTION = "past_items"  # the playbook question that asks what was given before
ITEM_QUESTION = "item"  # the playbook question that asks what an office wants to buy


def ask_with_answers(pb: Playbook, ask: Any, answers: dict[str, Any]) -> Any:
    """The ask with what the questions said of the item (the notes' own reading kept first)."""
    from dataclasses import replace as _replace

    said = answers.get(ITEM_QUESTION)
    if isinstance(said, str) and said.strip() and ask.item is None and pb.question(ITEM_QUESTION) is not None:
        return _replace(ask, item=said.strip())
    return ask


@dataclass
class PitchDocument:
    client: dict[str, Any]  # the client's fields (id and name too; empty for an unsaved call)
    name: str  # the name shown in the heading
    pitch: PitchText
    offer: ShownOffer | None
    note: str | None
    account: "AccountPitch"
    fit: OfferFit = field(default_factory=OfferFit)
    priced: Priced | None = None  # the offer engine's answer: the ask, every offer, warnings, rules

    def as_json(self) -> dict[str, Any]:
        o = self.offer
        out = {"client": self.client, "pitch": self.pitch.as_json(), "note": self.note,
               "bundle": None if o is None else {**o.as_json(), "services": o.services},
               "account": self.account.as_json()}
        if self.priced is not None:
            out.update(self.priced.as_json())
            out["bundles"] = [x.as_json() for x in self.priced.offers]
        return out


def given_before(pb: Playbook, answers: dict[str, Any], ask: Any = None) -> list[str]:
    """What the client handed out before, as the rep said it: the past-items answer's keywords
    that appear in it (in the order said), then what reading the notes found."""
    from .classify import keyword_in
    from .notes import fold

    found: list[str] = []
    q = pb.question(PAST_QUESTION)
    text = answers.get(PAST_QUESTION)
    if q is not None and isinstance(text, str) and text.strip():
        folded = fold(text)
        hits = [(folded.find(fold(k)), k) for rule in q.keywords for k in rule.match if keyword_in(k, folded)]
        found = [k for _, k in sorted(hits)]
    found += [str(g) for g in getattr(ask, "given_before", ()) or ()]
    # 西服 and 西装 both said: keep each once, and drop one held inside another (米面油 / 油)
    unique = list(dict.fromkeys(found))
    return [g for g in unique if not any(g != other and g in other for other in unique)]


def wanted_tags(pb: Playbook, answers: dict[str, Any], notes: str | None, match: Any = None) -> list[str]:
    """The tags a call's answers and notes ask for (what ranks the bundles)."""
    from .classify import classify

    if notes and match is None:
        from .notes import read_notes

        match = read_notes(pb, notes)
    return classify(pb, answers, extra=match).tags


def occasion_of(answers: dict[str, Any], fields: dict[str, Any]) -> str | None:
    """This call's occasion answer (its choice value), else the occasion text known so far."""
    answered = answers.get(OCCASION_QUESTION)
    return answered if isinstance(answered, str) else fields.get("occasion")


def pitch_document(pb: Playbook, segment: str, fields: dict[str, Any], facts: dict[str, Any], priced: Priced, *,
                   wanted: Sequence[str] = (), given: Sequence[str] = ()) -> PitchDocument:
    """The pitch for the first offer priced (or none), with the account's part."""
    from .accounts import build_account_pitch

    facts = dict(facts, needs=[dict(n, text=need_label(pb, n["text"])) for n in facts.get("needs", [])])
    seg = pb.segment(segment)
    offer = priced.offers[0] if priced.offers else None
    account = build_account_pitch(pb, segment, facts, offer, industry=fields.get("industry"))
    # The playbook's {contact} and {rival} placeholders: the decision-maker and the first rival.
    placeholders = dict(fields, contact=account.decision_maker.name if account.decision_maker else None,
                        rival=account.rivals[0].name if account.rivals else None)
    from .accounts import need_tags

    stated = [t for n in facts.get("needs", []) if n["kind"] == "stated" for t in need_tags(pb, n["text"])]
    fit = offer_fit(offer, list(wanted), list(given), stated)
    text = build_pitch(pb, seg, placeholders, offer, fit=fit)
    name = fields.get("name") or i18n.t("fallback.client")
    return PitchDocument(client=fields, name=name, pitch=text, offer=offer, note=priced.note, account=account,
                         fit=fit, priced=priced)


def need_label(pb: Playbook, text: str) -> str:
    """A need recorded from a questionnaire choice, in the run's language (a rep who classified in
    English and pitches in Chinese reads it in Chinese); any other text as it was typed."""
    from .accounts import fold

    key = fold(text)
    for q in pb.questions:
        for c in q.choices:
            if key in (fold(c.label.zh), fold(c.label.en)):
                return c.label.get()
    return text


def no_facts() -> dict[str, Any]:
    """The account file of a client not saved: nothing known yet."""
    from .accounts import Balance

    return {"contacts": [], "competitors": [], "needs": [], "balance": Balance(0.0, 0.0), "case": None,
            "introduced_by": None}


@dataclass
class PitchRequest:
    client: str
    bundle: str | None = None


def load_pitch(app_ctx: Any, pb: Playbook, request: PitchRequest,
               catalogue: CatalogueSource | None = None) -> PitchDocument:
    """`tg pitch CLIENT`: the client, its account file and its last call, priced as that call was,
    from the company's catalogue (the database's, unless `catalogue` says where else)."""
    from .store.catalog import source_for

    store = app_ctx.store()
    catalogue = catalogue or source_for(app_ctx, pb)
    from .store import clients as st
    from .store.accounts import account_facts
    from .errors import TgError

    with store.read() as session:
        c = st.read_client(session, request.client)
        fields = st.client_json(c)
        facts = account_facts(session, c)
        answers = last_answers(session, c.id)
    segment = pb.segment(fields["segment"] or "")
    if segment is None:
        raise TgError(i18n.t("pitch.not_classified", id=fields["id"], name=fields["name"]))
    call = stored_call(pb, segment.code, answers)
    occasion = fields["occasion"] if request.bundle else occasion_of(call.answers, fields)
    priced = price(pb, segment.code, fields, wanted_tags=call.wanted, occasion=occasion, limit=1,
                   bundle=request.bundle, catalogue=catalogue, ask=call.ask, client_name=fields.get("name"),
                   notes=call.notes, answers=call.answers)
    wanted, given = call.wanted, list(call.ask.given_before)
    return pitch_document(pb, segment.code, fields, facts, priced, wanted=wanted, given=given)


@dataclass
class StoredCall:
    """A client's last call as saved (answers, with its notes as "_notes"), read again: what the
    pitch and a quote without items price, so both make the same offer."""

    answers: dict[str, Any]
    notes: str | None
    ask: Any
    wanted: list[str]


def stored_call(pb: Playbook, segment: str, saved: dict[str, Any]) -> StoredCall:
    notes = saved.get("_notes")
    notes = notes if isinstance(notes, str) and notes else None
    answers = {k: v for k, v in saved.items() if pb.question(k) is not None}
    match, ask = None, Ask()
    if notes:
        from .notes import read_notes
        from .offer_call import call_ask

        match = read_notes(pb, notes)  # read once: the tags it asks for and the ask
        ask = call_ask(pb, notes, segment, match)
    wanted = wanted_tags(pb, answers, notes, match)
    given = given_before(pb, answers, ask)
    ask = replace(ask_with_answers(pb, ask, answers), given_before=tuple(given))
    return StoredCall(answers, notes, ask, wanted)


def last_answers(session: Any, client_id: int) -> dict[str, Any]:
    """The answers (and notes, as "_notes") of the client's latest classification; {} if none."""
    from sqlalchemy import JSON, Integer, column, select, table

    # A Core view of the table: reading it loads neither the ORM nor the event-table models.
    t = table("classification", column("id", Integer), column("client_id", Integer), column("answers", JSON))
    row = session.connection().execute(
        select(t.c.answers).where(t.c.client_id == client_id).order_by(t.c.id.desc()).limit(1)).first()
    return dict(row[0]) if row is not None and isinstance(row[0], dict) else {}
