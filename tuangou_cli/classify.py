"""Scoring, next-question choice and reasons. Pure: no I/O, no printing.

Each answer adds its weights to the segments. Scores become probabilities by
a softmax (``exp(score / temperature)``), so a segment is "clearly ahead" when
its probability reaches the playbook's ``stop_confidence``. The next question
is the unanswered one whose possible answers move the segments still in the
running furthest apart.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import i18n
from .errors import UsageError
from .playbook import Effect, Playbook, Question

UNKNOWN = "unknown"
_YES = {"y", "yes", "true", "1", "是", "是的", "对", "有", "t"}
_NO = {"n", "no", "false", "0", "否", "不是", "没有", "无", "f"}

Answer = str | float | bool | list[str]


class Extra(Protocol):
    """Evidence from outside the questionnaire (phrases in call notes, see notes.py)."""

    weights: dict[str, float]
    tags: list[str]
    fields: dict[str, Any]

    def reasons(self, pb: Playbook, segment: str, runner_up: str | None, lang: str | None) -> list[str]: ...


@dataclass
class Evidence:
    question_id: str
    question: str
    answer: str
    weights: dict[str, float]
    delta: float  # how much this answer favoured the winner over the runner-up


@dataclass
class Result:
    segment: str
    confidence: float
    scores: dict[str, float]
    probabilities: dict[str, float]
    evidence: list[Evidence]
    reasons: list[str]
    tags: list[str]
    fields: dict[str, Any]
    asked: int
    answers: dict[str, Answer] = field(default_factory=dict)


# --- answers -------------------------------------------------------------------------


def parse_answer(q: Question, raw: Any) -> Answer:
    """Turn a raw value (from --answer, a file or a prompt) into the question's answer type."""
    if q.type == "select":
        value = str(raw).strip()
        return _choice_value(q, value)
    if q.type == "multiselect":
        items = raw if isinstance(raw, list) else [p for p in re.split(r"[,，;；]", str(raw))]
        values = [_choice_value(q, str(v).strip()) for v in items if str(v).strip()]
        return list(dict.fromkeys(values))
    if q.type == "number":
        return _number(q, raw)
    if q.type == "confirm":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
        raise UsageError(i18n.t("classify.bad_confirm", qid=q.id, question=q.text.get(), value=str(raw)))
    return str(raw).strip()


def _choice_value(q: Question, value: str) -> str:
    if q.choice(value):
        return value
    # Accept a label too (either language), so a rep can type what they see.
    key = _fold(value)
    for c in q.choices:
        if key in (_fold(c.label.zh), _fold(c.label.en)):
            return c.value
    raise UsageError(
        i18n.t("classify.bad_choice", qid=q.id, value=value, choices=", ".join(c.value for c in q.choices))
    )


def _number(q: Question, raw: Any) -> float:
    """A number as a rep types it: 300, 1,200, 三百人, 400元, ¥1.5万 (the notes' reader), and
    nothing else around it but a unit or a currency."""
    if isinstance(raw, bool):
        raise UsageError(i18n.t("classify.bad_number", qid=q.id, question=q.text.get(), value=str(raw)))
    try:
        plain = unicodedata.normalize("NFKC", str(raw)).strip()
        if "," in plain and not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", plain):
            raise ValueError(plain)  # 1,2,3 is no number; 1,200 is
        x = float(plain.replace(",", ""))
    except ValueError:
        x = _spoken_number(str(raw))
        if x is None:
            raise UsageError(i18n.t("classify.bad_number", qid=q.id, question=q.text.get(), value=str(raw))) from None
    if not math.isfinite(x) or (q.min is not None and x < q.min) or (q.max is not None and x > q.max):
        low = "-∞" if q.min is None else f"{q.min:g}"
        high = "∞" if q.max is None else f"{q.max:g}"
        raise UsageError(i18n.t("classify.number_range", qid=q.id, question=q.text.get(), low=low, high=high))
    return x


# What may stand around the number of a number answer: about, a currency, a unit, 左右.
_AROUND_NUMBER = re.compile(
    r"(?:约|大约|大概|差不多|about|around|~)?\s*(?:[¥$]|rmb|cny)?\s*(?P<n>[0-9.,零〇一二两三四五六七八九十百千万亿kw]+?)\s*"
    r"(?:元|块钱|块|rmb|yuan|号人|个人|人|位|名|个|份|套|台|盒|只|件|张|户|ppl|people|persons|staff|heads"
    r"|pcs|pieces|sets|units|boxes)?\s*(?:左右|上下|/人|每人|per head|each)?",
    re.IGNORECASE)


_WORDS_NUMBER = re.compile(
    r"(?:about|around)?\s*(?P<n>[a-z][a-z\s-]*?)\s*(?:yuan|rmb|people|persons|staff|heads|pcs|pieces|sets|units|boxes)?",
    re.IGNORECASE)


def _spoken_number(text: str) -> float | None:
    from .numbers import parse_number

    folded = unicodedata.normalize("NFKC", text).strip()
    m = _AROUND_NUMBER.fullmatch(folded)
    if m is None:
        # A number in English words (three hundred, two thousand people): the words alone, read
        # by the number parser; anything more around them (120 or so, a few hundred) is refused.
        words = _WORDS_NUMBER.fullmatch(folded)
        if words is None:
            return None
        from .numbers import english_number

        value = english_number(words.group("n"))
        return None if value is None else float(value)
    n = m.group("n")
    if re.search(r"[.,].*[.,]", n) and not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", n) or \
            re.fullmatch(r"\d+,\d{1,2}", n):
        return None  # 1.2.3, 1,2,3 or 12,5: not a number a rep means
    value = parse_number(n)
    return None if value is None else float(value)


def _fold(s: str) -> str:
    return unicodedata.normalize("NFKC", s).casefold().strip()


def effects_of(q: Question, answer: Answer) -> list[Effect]:
    """The playbook effects an answer triggers."""
    if q.type == "select":
        c = q.choice(str(answer))
        return [c] if c else []
    if q.type == "multiselect":
        return [c for c in (q.choice(v) for v in answer) if c]  # type: ignore[union-attr]
    if q.type == "number":
        return [r for r in q.ranges if r.contains(float(answer))]  # type: ignore[arg-type]
    if q.type == "confirm":
        e = q.yes if answer else q.no
        return [e] if e else []
    text = _fold(str(answer))
    return [rule for rule in q.keywords if any(keyword_in(m, text) for m in rule.match)]


def keyword_in(keyword: str, folded_text: str) -> bool:
    """Latin keywords match whole words, plurals too (car, cars ≠ card); Chinese ones match anywhere."""
    k = _fold(keyword)
    if k.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(k)}(?:s|es)?(?![a-z0-9])", folded_text) is not None
    return k in folded_text


def answer_label(q: Question, answer: Answer, lang: str | None = None) -> str:
    if q.type == "select":
        c = q.choice(str(answer))
        return c.label.get(lang) if c else str(answer)
    if q.type == "multiselect":
        return i18n.join(q.choice(v).label.get(lang) for v in answer if q.choice(v))  # type: ignore[union-attr]
    if q.type == "confirm":
        return i18n.t("yes") if answer else i18n.t("no")
    if q.type == "number":
        return f"{float(answer):g}"  # type: ignore[arg-type]
    return str(answer)


# --- scoring -------------------------------------------------------------------------


def answer_weights(q: Question, answer: Answer) -> dict[str, float]:
    total: dict[str, float] = {}
    for e in effects_of(q, answer):
        for code, w in e.weights.items():
            total[code] = total.get(code, 0.0) + w
    return total


def scores(pb: Playbook, answers: dict[str, Answer]) -> dict[str, float]:
    result = {s.code: 0.0 for s in pb.segments}
    for qid, answer in answers.items():
        q = pb.question(qid)
        if q is None:
            continue
        for code, w in answer_weights(q, answer).items():
            result[code] += w
    return result


def probabilities(score: dict[str, float], temperature: float) -> dict[str, float]:
    top = max(score.values())
    exp = {k: math.exp((v - top) / temperature) for k, v in score.items()}
    total = sum(exp.values())
    return {k: v / total for k, v in exp.items()}


def ranked(prob: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(prob.items(), key=lambda kv: -kv[1])


def leader(pb: Playbook, answers: dict[str, Answer]) -> tuple[str, float]:
    """The leading segment and its probability; UNKNOWN while the top two are tied."""
    return _lead(probabilities(scores(pb, answers), pb.settings.temperature))


def _lead(prob: dict[str, float]) -> tuple[str, float]:
    order = ranked(prob)
    if len(order) > 1 and math.isclose(order[0][1], order[1][1], abs_tol=1e-9):
        return UNKNOWN, order[0][1]
    return order[0]


def is_settled(pb: Playbook, answers: dict[str, Answer]) -> bool:
    code, p = leader(pb, answers)
    return code != UNKNOWN and p >= pb.settings.stop_confidence and len(answers) >= pb.settings.min_questions


def settled_at(pb: Playbook, answers: dict[str, Answer]) -> tuple[int, float] | None:
    """(k, confidence) for the first k answers, in the order given, that settle the leader the
    whole set settles on; None if they never do. The questions after it were asked only because
    the offer needs them (or --all asked everything)."""
    items = list(answers.items())
    final, _ = leader(pb, answers)
    for k in range(1, len(items) + 1):
        head = dict(items[:k])
        code, p = leader(pb, head)
        if code == final and is_settled(pb, head):
            return k, p
    return None


# --- choosing the next question ---------------------------------------------------------


def separation(q: Question, running: list[str]) -> float:
    """Mean spread (max − min weight among running segments) over a question's outcomes."""
    outcomes = q.outcomes()
    if not outcomes or len(running) < 2:
        return 0.0
    spread = 0.0
    for e in outcomes:
        ws = [e.weights.get(code, 0.0) for code in running]
        spread += max(ws) - min(ws)
    return spread / len(outcomes)


def next_question(
    pb: Playbook,
    answers: dict[str, Answer],
    known_fields: set[str] = frozenset(),  # type: ignore[assignment]
    ask_all: bool = False,
) -> Question | None:
    """The question to ask now, or None when done.

    Skips questions already answered and those whose client field is already
    known (e.g. ``--headcount`` given). Once settled, only ``always``
    questions (the ones the bundle needs) are still asked.
    """
    pending = [
        q for q in pb.questions
        if q.id not in answers and not (q.field and q.field in known_fields)
    ]
    if not pending:
        return None
    lead = leader(pb, answers)[0]
    if not ask_all and is_settled(pb, answers):
        return _put(next((q for q in pending if q.always and _asks(q, lead)), None), lead)
    prob = probabilities(scores(pb, answers), pb.settings.temperature)
    running = [c for c, p in prob.items() if p >= pb.settings.running_share]
    best = max(pending, key=lambda q: separation(q, running))  # max keeps playbook order on ties
    if separation(best, running) > 0 or ask_all:
        return _put(best, lead)
    # Nothing left separates the segments: only what the offer needs remains.
    return _put(next((q for q in pending if q.always and _asks(q, lead)), None), lead)


def _asks(q: Question, lead: str) -> bool:
    return not q.segments or lead in q.segments


def _put(q: Question | None, lead: str) -> Question | None:
    """The question as worded for the leading kind of buyer."""
    if q is None or lead not in q.by_segment:
        return q
    return q.model_copy(update={"text": q.by_segment[lead]})


# --- the result -------------------------------------------------------------------------


def classify(
    pb: Playbook, answers: dict[str, Answer], *, asked: int | None = None, lang: str | None = None,
    extra: Extra | None = None,
) -> Result:
    """Score the answers (plus ``extra`` evidence, such as call notes) and explain the result."""
    score = scores(pb, answers)
    for code, w in (extra.weights if extra else {}).items():
        score[code] = score.get(code, 0.0) + w
    prob = probabilities(score, pb.settings.temperature)
    code, confidence = _lead(prob)
    unclear = getattr(extra, "owner_unclear", ())
    if unclear and code != UNKNOWN and not answers:
        # Whose 环卫工人? The notes lean one way but cannot be sure: below the threshold, so the
        # call screen says to ask (the questionnaire's answers settle it when given).
        capped = min(confidence, pb.settings.stop_confidence - 0.05)
        if capped < confidence:
            # The other kinds share what the leader gives up, so the probabilities still say it.
            rest = 1.0 - prob[code]
            prob = {k: (capped if k == code else (v / rest * (1.0 - capped) if rest else (1.0 - capped) / (len(prob) - 1)))
                    for k, v in prob.items()}
            confidence = capped
    support = getattr(extra, "support", None)
    if support is not None and code != UNKNOWN and support.get(code, 0.0) <= 0 \
            and not any(w > 0 for q, a in answers.items() if (qq := pb.question(q)) is not None
                        for w in [answer_weights(qq, a).get(code, 0.0)]):
        # Only negated evidence for the others: nothing says this kind buys, so no kind wins by default.
        code = UNKNOWN
    confidence = round(confidence, 4)  # as shown: the reasons and the heading say the same figure
    order = ranked(prob)
    runner_up = order[1][0] if len(order) > 1 else None

    evidence: list[Evidence] = []
    tags: list[str] = []
    fields: dict[str, Any] = {}
    for qid, answer in answers.items():
        q = pb.question(qid)
        if q is None:
            continue
        for e in effects_of(q, answer):
            tags.extend(t for t in e.tags if t not in tags)
            fields.update(e.sets)
        if q.field:
            fields[q.field] = int(answer) if q.field == "headcount" else answer
        weights = answer_weights(q, answer)
        if code != UNKNOWN:
            delta = weights.get(code, 0.0) - (weights.get(runner_up, 0.0) if runner_up else 0.0)
            if delta > 0:
                evidence.append(Evidence(qid, q.text.get(lang), answer_label(q, answer, lang), weights, delta))
    evidence.sort(key=lambda e: -e.delta)
    if extra is not None:
        tags.extend(t for t in extra.tags if t not in tags)
        fields = {**extra.fields, **fields}  # what the answers say beats what the notes suggest
    n = len(answers) if asked is None else asked

    reasons = []
    if code == UNKNOWN:
        if extra is not None:
            reasons += extra.reasons(pb, code, runner_up, lang)
        reasons.append(i18n.t("classify.no_signal" if n or extra is None else "notes.reason.unknown"))
    else:
        seg = pb.segment(code)
        seg_name = seg.name.get(lang) if seg else code
        for e in evidence[:3]:
            reasons.append(i18n.t("classify.reason.answer", question=e.question, answer=e.answer,
                                  segment=seg_name, delta=e.delta))
        if extra is not None:
            reasons += extra.reasons(pb, code, runner_up, lang)
        if unclear and not answers:
            reasons.append(i18n.t("notes.reason.whose", who=i18n.join(unclear)))
        key = "classify.reason.stopped" if confidence >= pb.settings.stop_confidence else "classify.reason.below"
        reached = settled_at(pb, answers) if key == "classify.reason.stopped" and extra is None else None
        if reached is not None and reached[0] < n:
            key = "classify.reason.reached_early"
        if n == 0 and extra is not None:
            key = "notes.reason.stopped" if confidence >= pb.settings.stop_confidence else "notes.reason.below"
        at, at_confidence = reached if reached is not None else (n, confidence)
        reasons.append(i18n.t(key, confidence=confidence, threshold=pb.settings.stop_confidence, asked=n, at=at,
                              at_confidence=at_confidence))
    return Result(
        segment=code,
        confidence=round(confidence, 4),
        scores=score,
        probabilities={k: round(v, 4) for k, v in prob.items()},
        evidence=evidence,
        reasons=reasons,
        tags=tags,
        fields=fields,
        asked=len(answers) if asked is None else asked,
        answers=dict(answers),
    )
