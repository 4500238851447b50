"""Classifying one client on a call: decide → price → save → the pitch `tg pitch` gives.

Callable without the command line: `run_call(app_ctx, pb, CallRequest(...), user=...)` returns a
`CallOutcome`; cli/classify.py parses options, asks the questions (through `questionnaire`, with
the prompts it is given) and prints the outcome. The questions are asked before anything is
read or written, so the first appears at once and no prompt holds the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable

from . import i18n
from .ask import Ask
from .documents import PitchDocument, ask_with_answers, given_before, no_facts, occasion_of, pitch_document
from .offer_call import call_ask
from .offering import CatalogueSource, Priced, price

if TYPE_CHECKING:
    from .classify import Answer, Result
    from .playbook import Playbook, Question

BACK = object()  # what an ask function returns to go back one question


@dataclass
class Step:
    """One answer of the questionnaire, for the line that stays on screen."""

    index: int
    question: "Question"
    answer: "Answer"
    leading: str
    confidence: float


def questionnaire(pb: "Playbook", known_fields: set[str], ask_all: bool,
                  ask: Callable[["Question", int, bool], Any],
                  answered: Callable[[Step], None] = lambda step: None,
                  went_back: Callable[[int], None] = lambda index: None) -> dict[str, "Answer"]:
    """Ask the questions the engine chooses until it is settled; `ask(question, index, can_go_back)`
    returns a raw answer, or BACK to take back the last answer and ask that question again."""
    from . import classify as engine

    answers: dict[str, Any] = {}
    while True:
        q = engine.next_question(pb, answers, known_fields, ask_all)
        if q is None:
            return answers
        raw = ask(q, len(answers) + 1, bool(answers))
        if raw is BACK:
            if answers:
                answers.popitem()  # dicts keep their order: the last answer given
                went_back(len(answers) + 1)
            continue
        answers[q.id] = engine.parse_answer(q, raw)
        code, p = engine.leader(pb, answers)
        seg = pb.segment(code)
        answered(Step(len(answers), q, answers[q.id], seg.name.get() if seg else i18n.t("segment.unknown"), p))


@dataclass
class CallRequest:
    name: str | None = None  # a client's name or id; None: nobody to save
    answers: dict[str, "Answer"] = field(default_factory=dict)
    notes: str | None = None
    flags: dict[str, Any] = field(default_factory=dict)  # --headcount, --budget-per-head, --budget-total
    save: bool = True
    interactive: bool = False  # may a question be asked (several clients of that name)?


@dataclass
class NeedsMet:
    stated_met: list[str]
    stated_open: list[str]
    guided_added: list[str]

    def as_json(self) -> dict[str, Any]:
        return {"stated_met": self.stated_met, "stated_open": self.stated_open, "guided_added": self.guided_added}


@dataclass
class CallOutcome:
    result: "Result"
    segment_name: str
    need_points: list[str]
    values: list[str]
    priced: Priced
    needs: dict[str, NeedsMet]  # by offer code: the needs just stated that it meets or not
    document: PitchDocument | None  # the pitch, as `tg pitch` gives it for this client
    notes: Any = None  # what reading the notes found (notes.NotesMatch)
    client_id: int | None = None
    client_name: str | None = None
    saved_new: bool = False
    given_before: list[str] = field(default_factory=list)
    stop_reason: str | None = None  # where the threshold was reached, or why not

    @property
    def known(self) -> bool:
        from .classify import UNKNOWN

        return self.result.segment != UNKNOWN


# --- the steps --------------------------------------------------------------------------------


def decide(pb: "Playbook", answers: dict[str, "Answer"], notes: str | None) -> tuple["Result", Any]:
    """The kind of buyer from the answers and the notes, with its reasons."""
    from .classify import classify

    match = None
    if notes is not None:
        from .notes import read_notes

        match = read_notes(pb, notes)
    return classify(pb, answers, extra=match), match


def known_fields(pb: "Playbook", result: "Result", match: Any, flags: dict[str, Any],
                 stored: dict[str, Any]) -> dict[str, Any]:
    """What is known of the client: the record, under the answers, under the notes' figures for
    what neither gave, under this call's options (newer wins; never a bundle above a known budget)."""
    from .notes import figures_reason

    fields = {**result.fields, **flags}
    if match is not None:
        match.filled = [k for k in match.figures.fields() if k not in fields]
        for k in match.filled:
            fields[k] = match.figures.fields()[k]
        line = figures_reason(match.figures, set(match.filled), pb.currency)
        if line:
            result.reasons.append(line)
    return {**stored, **fields}


def stated_needs(pb: "Playbook", answers: dict[str, "Answer"]) -> list[dict[str, str]]:
    """The multi-choice answers: what saving records as the client's stated needs."""
    return [{"kind": "stated", "text": q.choice(v).label.get()}
            for qid, answer in answers.items()
            if (q := pb.question(qid)) is not None and q.type == "multiselect" and isinstance(answer, list)
            for v in answer if q.choice(v) is not None]


def needs_met(pb: "Playbook", answers: dict[str, "Answer"], priced: Priced) -> dict[str, NeedsMet]:
    """For each offer, which of the needs just stated it meets and which it leaves open; each
    offer's reasons say so too."""
    from .accounts import need_fit

    needs = stated_needs(pb, answers)
    out = {}
    for offer in priced.offers:
        fit = need_fit(pb, offer.bundle, needs)
        offer.reasons += [i18n.t("acct.pitch.need_met", need=n, why=w) for n, w in fit.met]
        offer.reasons += [i18n.t("acct.pitch.need_open", need=n) for n in fit.open]
        out[offer.code] = NeedsMet([n for n, _ in fit.met], fit.open, fit.adds)
    return out


def resolve(store: Any, name: str) -> tuple[dict[str, Any], list[tuple[int, str, str | None]]]:
    """The stored fields of the one client so named (or with that id), and every candidate; a
    name that is an id (12, #12) must be one: it never becomes a new client's name."""
    from .store import clients as st
    from .errors import NotFound

    with store.read() as session:
        found = st.exact_clients(session, name)
        candidates = [(c.id, c.name, c.city) for c in found]
        record = st.client_json(found[0]) if len(found) == 1 else None
    if not found and st.parse_id(name) is not None:
        raise NotFound(i18n.t("client.not_found", query=name))
    if record is None:
        return {}, candidates
    keys = ("headcount", "budget_per_head", "budget_total", "occasion", "industry", "city")
    fields = {k: record[k] for k in keys if record[k] is not None}
    fields["name"] = record["name"]
    return fields, candidates


def save(store: Any, pb: "Playbook", *, user: str, name: str, client_id: int | None, result: "Result",
         fields: dict[str, Any], notes: str | None) -> tuple[int, str, bool, dict[str, Any]]:
    """Attach the classification to the client (or a new one); (id, name, created, account facts)."""
    from .store import clients as st
    from .store.accounts import account_facts, record_classify_needs
    from .models import Client

    with store.write() as session:
        client = session.get(Client, client_id) if client_id is not None else None
        created = client is None
        if created:
            client = st.create_client(session, name=name, user=user)
        # The notes are kept with the answers ("_notes" can never be a question id).
        answers = {**result.answers, "_notes": notes} if notes is not None else result.answers
        st.save_classification(session, client=client, segment=result.segment, confidence=result.confidence,
                               answers=answers, scores=result.scores, playbook=pb, user=user,
                               fields={k: v for k, v in fields.items() if k in st.CLIENT_FIELDS})
        record_classify_needs(session, client=client, pb=pb, answers=result.answers, user=user)
        session.flush()
        facts = account_facts(session, client)
        return client.id, client.name, created, facts


def run_call(app_ctx: Any, pb: "Playbook", request: CallRequest, *, user: str | None = None,
             pick: Callable[[str, list[tuple[str, int]]], int] | None = None,
             catalogue: CatalogueSource | None = None) -> CallOutcome:
    """Decide, price, save (when asked and a name is given), and build the pitch.

    `app_ctx` (cli/context.AppContext: the database and its catalogue) may be None for a call
    that neither saves nor names a client: the shipped catalogue prices it. `pick(message,
    options)` chooses among several clients of one name (interactive runs); without it that is
    an Ambiguous error. `catalogue` overrides where the catalogue is read from."""
    store = app_ctx.store() if app_ctx is not None and request.name else None
    if catalogue is None and app_ctx is not None:
        from .store.catalog import source_for

        catalogue = source_for(app_ctx, pb)
    from .classify import UNKNOWN
    from .errors import Ambiguous

    result, match = decide(pb, request.answers, request.notes)
    stop_reason = result.reasons[-1] if result.reasons else None
    stored, candidates, client_id = {}, [], None
    if request.name:
        stored, candidates = resolve(store, request.name)
        if len(candidates) == 1:
            client_id = candidates[0][0]
        elif len(candidates) > 1 and request.save:
            message = i18n.t("client.ambiguous", count=len(candidates), query=request.name)
            options = [(f"#{cid}  {cname}  {city or ''}".rstrip(), cid) for cid, cname, city in candidates]
            if pick is None:
                raise Ambiguous(message, details=["  " + title for title, _ in options])
            client_id = pick(message, options)
    fields = known_fields(pb, result, match, request.flags, {k: v for k, v in stored.items() if k != "name"})
    name = stored.get("name") or request.name
    ask = call_ask(pb, request.notes, result.segment, match) if match is not None else Ask()
    given = given_before(pb, result.answers, ask)
    ask = replace(ask_with_answers(pb, ask, result.answers), given_before=tuple(given))

    if result.segment == UNKNOWN:
        note = i18n.t("notes.reason.unknown") if match is not None and not request.answers else i18n.t(
            "classify.no_signal")
        priced, seg_name, points, values = Priced([], note), i18n.t("segment.unknown"), [], []
    else:
        seg = pb.segment(result.segment)
        seg_name, points, values = seg.name.get(), [t.get() for t in seg.need_points], [t.get() for t in seg.values]
        priced = price(pb, result.segment, fields, wanted_tags=result.tags,
                       occasion=occasion_of(result.answers, fields), catalogue=catalogue, ask=ask,
                       notes=request.notes, client_name=name, answers=result.answers)
    needs = needs_met(pb, result.answers, priced)

    outcome = CallOutcome(result, seg_name, points, values, priced, needs, None, notes=match,
                          client_name=name, given_before=given, stop_reason=stop_reason)
    facts = no_facts()
    if request.save and request.name:
        outcome.client_id, outcome.client_name, outcome.saved_new, facts = save(
            store, pb, user=user or "", name=name, client_id=client_id, result=result, fields=fields,
            notes=request.notes)
    elif not request.save and client_id is not None:
        from .store.accounts import account_facts

        with store.read() as session:
            from .store import clients as st

            facts = account_facts(session, st.read_client(session, str(client_id)))
        facts["needs"] = facts["needs"] + [n for n in stated_needs(pb, result.answers)
                                           if n["text"] not in {x["text"] for x in facts["needs"]}]
    else:
        facts["needs"] = stated_needs(pb, result.answers)
    if result.segment != UNKNOWN:
        doc_fields = dict(fields, name=outcome.client_name, id=outcome.client_id)
        outcome.document = pitch_document(pb, result.segment, doc_fields, facts, priced, wanted=result.tags,
                                          given=given)
    return outcome
