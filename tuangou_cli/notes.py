"""Reading free-text call notes as reps type them: the playbook's phrase signals, who ends up with
the goods, and the figures in the text — one reading that classifies and fills the ask.

Pure: no I/O, no printing. A rep types 「工会 那批 慰问品 发 职工 4百人 人均150左右」 or
"thank-you gifts for our clients, max RMB 40/box, 2k pcs"; this module

* folds the text (full-width → half-width, case) and joins Chinese split by spaces (「发 职工」
  reads as 发职工), keeping where the spaces were: reps separate clauses with them;
* finds the phrases of the playbook's ``signals`` section (Chinese anywhere, Latin as whole
  words, the longest phrase first), each negated when a negation governs it — one just before it
  in its own space-separated clause (「不拿去送人 单位自己用」 negates 送人 only; 「不是 发福利」
  still negates 福利) or a refusal right after it (招标就不走了, 福利今年不发了) — but not a
  refusal of something else (「今年端午不发券了」 refuses the vouchers, not 端午; 「粽子给合作方 内部
  不发」 refuses the staff, not the partners);
* lets *who receives the goods* outweigh *what the goods are*: when the notes name recipients of one
  kind (own staff → welfare, the organisation's own use → office, customers, partners,
  residents → gift), phrases that lean elsewhere only describe the goods and are set aside (the
  reasons say so). Another organisation's people (「共建单位的职工」, "our partners' staff") are
  that organisation's, not ours;
* reads the figures (:mod:`figures`, on the one number reader of :mod:`numbers`) and fills the
  :class:`~tuangou_cli.ask.Ask`.

Rules with clause structure rather than a trained model: every conclusion is a matched phrase or
a read figure that the rep can see, a support centre changes the playbook's phrases without
retraining anything, and the whole reading costs a few regular expressions at start-up.

Example:

    >>> from tuangou_cli.notes import figures_in
    >>> f = figures_in("一百二十人，人均三百")
    >>> (f.headcount, f.budget_per_head)
    (120, 300.0)
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import i18n
from .figures import MACHINE, PEOPLE, PIECE, SET, BudgetFigure, FigureReading, read_figures
from .numbers import chinese_number, fold, parse_number  # noqa: F401  (the public number reader)
from .playbook import Playbook

__all__ = ["fold", "parse_number", "chinese_number", "signals_in", "figures_in", "read_notes", "ask_from",
           "Hit", "Figures", "NotesMatch", "figures_reason"]

# --- joining spaced Chinese ----------------------------------------------------------------

_WIDE = re.compile(r"[^\x00-\x7f]")
_NUMERAL = frozenset("0123456789零〇一二两俩三四五六七八九十百千万亿")


@dataclass(frozen=True)
class Compact:
    """The folded notes with the spaces next to Chinese removed; ``soft`` are where they were."""

    text: str
    soft: list[int]  # positions in ``text`` where a space was taken out (a clause break a rep typed)


def compact(folded: str) -> Compact:
    if not _SPACE_NEXT_TO_WIDE.search(folded):
        return Compact(folded, [])
    out: list[str] = []
    soft: list[int] = []
    size = 0
    pos = 0
    for m in _SPACES.finditer(folded):
        piece = folded[pos:m.start()]
        out.append(piece)
        size += len(piece)
        pos = m.end()
        left = folded[m.start() - 1] if m.start() else ""
        right = folded[m.end()] if m.end() < len(folded) else ""
        if "\n" in m.group():
            out.append("\n")
            size += 1
        elif left and right and (left > "\x7f" or right > "\x7f") and not (left.isascii() and left.isalpha()) \
                and not (right.isascii() and right.isalpha()) and left not in ",.;:" and right not in ",.;:" \
                and not (left in _NUMERAL and right in _NUMERAL and not _one_number(folded, m.start(), m.end())):
            # Joined, except between two numbers (人均两百 一百四十位 is 200 and 140, not one number).
            soft.append(size)
        else:
            out.append(" ")
            size += 1
    out.append(folded[pos:])
    return Compact("".join(out), soft)


_SPACES = re.compile(r"\s+")
_CN_RUN_END = re.compile(r"[零〇一二两俩三四五六七八九十百千万亿]+$")
_CN_RUN_START = re.compile(r"[零〇一二两俩三四五六七八九十百千万亿]+")


def _one_number(text: str, gap_start: int, gap_end: int) -> bool:
    """Whether numerals on both sides of a space are one number (两 百, 一百 二十) rather than two
    (人均两百 一百四十位: 200 and 140; 300 200)."""
    left = _CN_RUN_END.search(text, max(0, gap_start - 12), gap_start)
    right = _CN_RUN_START.match(text, gap_end)
    if not left or not right:
        return False
    head, tail = left.group(), right.group()
    if tail[0] not in "十百千万亿" and not (head[-1] in "百千" and len(tail) <= 3 and not set(tail) & set("百千万亿")):
        return False
    return chinese_number(head + tail) is not None
# Only spaces that join something: between two Chinese characters, or Chinese and a digit.
_SPACE_NEXT_TO_WIDE = re.compile(r"[^\x00-\x7f]\s+[^\x00-\x7f\s,.;:]|[^\x00-\x7f]\s+\d|\d\s+[^\x00-\x7f\s,.;:]")


# --- negation ------------------------------------------------------------------------------
# Where a clause ends: punctuation, a dash, a line break, or a word that turns the sentence around
# ("不是发福利，而是答谢客户", "not for staff but for our clients").
_CLAUSE_END = re.compile(r"[,.;!?。!?;:\n()\[\]{}<>《》“”\"—–/]|\s-+\s|而是|但是|可是|只是|\bbut\b|\bhowever\b"
                         r"|\bwhereas\b|\binstead\b")
# 不 negates, except in words where it does not: 不少 (many), 不错 (good), 不仅/不但/不只/不光
# (not only), 不一样/不同 (different), 不断, 不过, 不久, 不管/不论, 不得不, 不如, 不限, 不超 (a cap).
_ZH_BEFORE = re.compile(r"不(?!少|错|仅|但|只|光|一样|同|断|过|久|管|论|得不|如|限|定|超|高于|低于|能超|多)|没|无需|无须"
                        r"|并非|勿|别(?!的|人|家|墅)|非(?!常|遗)")
_ZH_WINDOW = 7  # characters before a phrase in which a Chinese negation counts
# What may follow a negation at the end of its space-separated piece and still reach into the next
# piece: 「不是 发福利」, 「不 发 职工」, 「不算 福利」.
_OPEN_NEGATION = frozenset({"", "是", "算", "属于", "用于", "为", "给", "要", "走", "是给", "是要", "用"})
_EN_WINDOW = 4  # words before a phrase in which an English negation counts
_EN_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")
_LATIN = re.compile(r"[a-z]")
_EN_NEGATORS = {"not", "no", "non", "never", "without", "nor", "neither", "except"}
_EN_PAIRS = {("rather", "than"), ("instead", "of"), ("other", "than")}
_EN_NOT_NEGATING = {("not", "only"), ("not", "just"), ("no", "matter"), ("no", "more"), ("not", "more"),
                    ("not", "over"), ("no", "later")}
# A refusal right after the phrase, about the phrase: 招标就不走了, 福利今年不发了, 内部不发,
# "tender is not required". Only a few filler words may stand between; and the refusal must end
# there (了, the clause's end): 端午不发券了 refuses 券, not 端午.
_AFTER_ZH = re.compile(r"(?:的|就|也|都|今年|这次|这回|暂时|先|还|已经|目前|一律|就先|这边|那边|这块|就不用|的话)?"
                       r"(?:不(?:用管|管|发|走|用|要|需要|做|搞|买|送|考虑|给|算|参与|涉及|包括)|没有|取消|免了|免)"
                       r"(?P<particle>了|啦|吧|的|呢|咯|哈)?")
_AFTER_EN = re.compile(r"\s*(?:is |are |was |will be |isn't |aren't )?(?:not|no longer) (?:needed|required|necessary"
                       r"|planned|wanted|included|involved|getting any|this time)"
                       r"|\s*(?:get|gets|getting|will get|receive|receives)\s(?:nothing|none|no gifts?)\b"
                       r"|\s*(?:are|is) not getting|\s*(?:aren't|isn't|won't be|will not be|are not|is not) getting")
_ANY_CUE = re.compile(r"不|没|无需|无须|并非|勿|别|非|取消|免|\b(?:not|no|non|never|without|nor|neither|except|rather|nothing|none"
                      r"|instead|other)\b|n't\b")


def _compound(c: Compact, end: int, start: int) -> bool:
    """Whether two phrases, one ending at ``end`` and the next starting at ``start``, are one noun:
    中秋福利 (no space typed between), "festival gifts", "year-end gift" (English words)."""
    gap = c.text[end:start]
    if gap == "":
        i = bisect.bisect_left(c.soft, end)
        return not (i < len(c.soft) and c.soft[i] == end)
    return gap in (" ", "-") and bool(_LATIN.match(c.text, start)) and bool(_LATIN.match(c.text, end - 1))


def _clause_starts(text: str) -> list[int]:
    return [m.end() for m in _CLAUSE_END.finditer(text)]


def _negation_before(c: Compact, start: int, bounds: list[int], prev_end: int) -> int | None:
    """Where a negation of the phrase starting at ``start`` begins, or None.

    ``prev_end`` is where the previous phrase ended: a negation already spent on it is not this one's.
    """
    text = c.text
    i = bisect.bisect_right(bounds, start) - 1
    clause = max(bounds[i] if i >= 0 else 0, prev_end)
    last = None
    for m in _ZH_BEFORE.finditer(text, max(clause, start - _ZH_WINDOW), start):
        last = m
    if last is not None:
        # A space the rep typed between the negation and the phrase ends the negation's reach,
        # unless the negation stood at the end of its own piece (「不是 发福利」).
        j = bisect.bisect_right(c.soft, last.end())
        if j < len(c.soft) and c.soft[j] <= start:
            rest = text[last.end():c.soft[j]]
            if rest not in _OPEN_NEGATION:
                last = None  # 不发 只给合作伙伴: the refusal was complete before the space
        if last is not None:
            return last.start()
    piece = text[max(clause, start - 40):start]
    if not _LATIN.search(piece):
        return None
    offset = start - len(piece)
    words = [(m.group(), m.start()) for m in _EN_WORDS.finditer(piece)][-_EN_WINDOW:]
    for k, (word, pos) in enumerate(words):
        nxt = words[k + 1][0] if k + 1 < len(words) else ""
        if (word, nxt) in _EN_NOT_NEGATING:
            continue
        if word in _EN_NEGATORS or word.endswith("n't") or (word, nxt) in _EN_PAIRS:
            return offset + pos
    return None


def _negation_after(c: Compact, end: int) -> int | None:
    text = c.text
    m = _AFTER_ZH.match(text, end)
    if m is not None:
        if any(end < s < m.end() for s in c.soft):
            return None
        stop = m.end()
        nxt = text[stop:stop + 1]
        if not nxt or nxt in ",.;!?。!?;:\n ()" or stop in c.soft or bisect.bisect_left(c.soft, stop) < len(c.soft) \
                and c.soft[bisect.bisect_left(c.soft, stop)] == stop:
            return m.start("particle") if m.group("particle") else stop
        return None
    m = _AFTER_EN.match(text, end)
    return m.end() if m else None


# --- the signal matcher ----------------------------------------------------------------------


@dataclass(slots=True)
class Hit:
    """One phrase found in the notes."""

    phrase: str  # as written in the playbook
    quote: str  # the words in the notes (with the negation, when negated)
    start: int
    rule: int  # index into playbook.signals
    negated: bool
    weights: dict[str, float]  # what it adds: the rule's weights, or its `negated` weights (shared: read only)
    tags: tuple[str, ...]
    end: int = 0
    recipient: str | None = None  # the rule's recipient code, when the phrase names who receives the goods
    absorbed: bool = False  # another organisation's people (共建单位的职工): not ours
    outweighed: bool = False  # leans elsewhere than the recipients named: describes the goods only

    def as_json(self) -> dict[str, Any]:
        return {"phrase": self.phrase, "quote": self.quote, "negated": self.negated,
                "weights": dict(self.weights), "tags": list(self.tags), "recipient": self.recipient,
                "outweighed": self.outweighed or self.absorbed}




class _Matcher:
    """All phrases of a playbook, found longest first by a scan over the notes.

    A dictionary per first character, not one big regular expression: compiling a regex of a
    thousand phrases cost more than the whole rest of a ``tg classify --notes`` run.
    """

    def __init__(self, pb: Playbook):
        self.lookup: dict[str, tuple[int, str]] = {}
        for i, sig in enumerate(pb.signals):
            for phrase in sig.match:
                key = _phrase_key(phrase)
                if key:
                    self.lookup.setdefault(key, (i, phrase))
        lengths: dict[str, set[int]] = {}
        for key in self.lookup:
            lengths.setdefault(key[0], set()).add(len(key))
        self.lengths = {ch: sorted(ls, reverse=True) for ch, ls in lengths.items()}
        # The first two characters of every longer phrase: where the text's next two are none of
        # them, only a one-character phrase can start here (half the places in a typical note).
        self.pairs = frozenset(key[:2] for key in self.lookup if len(key) > 1)
        # (weights, negated weights, tags) per rule, shared by every hit: read them, never change them.
        self.effects = [(dict(sig.weights), dict(sig.negated), tuple(sig.tags)) for sig in pb.signals]

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """(phrase key, start, end) for each phrase, leftmost-longest, never overlapping. Chinese
        phrases match anywhere; Latin ones as whole words, plurals too (car ≠ card, gifts = gift)."""
        out = []
        lookup, lengths, pairs = self.lookup, self.lengths, self.pairs
        i, n = 0, len(text)
        while i < n:
            sizes = lengths.get(text[i])
            if sizes is None:
                i += 1
                continue
            latin_start = text[i] in _WORD_CHARS
            if latin_start and i and text[i - 1] in _WORD_CHARS:
                i += 1
                continue
            if i + 1 < n and text[i:i + 2] not in pairs:
                if sizes[-1] != 1:
                    i += 1
                    continue
                sizes = _ONE
            for size in sizes:
                key = text[i:i + size]
                if key not in lookup:
                    continue
                end = i + size
                if key[-1] in _WORD_CHARS:
                    if text.startswith("es", end) and (end + 2 >= n or text[end + 2] not in _WORD_CHARS):
                        end += 2
                    elif text.startswith("s", end) and (end + 1 >= n or text[end + 1] not in _WORD_CHARS):
                        end += 1
                    elif end < n and text[end] in _WORD_CHARS:
                        continue
                out.append((key, i, end))
                i = end
                break
            else:
                i += 1
        return out


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_ONE = (1,)


def _phrase_key(phrase: str) -> str:
    """A phrase as it is matched: folded, and spaced the way :func:`compact` leaves the notes."""
    return compact(" ".join(fold(phrase).split())).text.strip()


_MATCHERS: dict[int, tuple[Playbook, _Matcher]] = {}


def _matcher(pb: Playbook) -> _Matcher:
    cached = _MATCHERS.get(id(pb))
    if cached is None or cached[0] is not pb:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        cached = _MATCHERS[id(pb)] = (pb, _Matcher(pb))
    return cached[1]


def _hits(pb: Playbook, c: Compact) -> list[Hit]:
    matcher = _matcher(pb)
    hits: list[Hit] = []
    found = matcher.find(c.text)
    if not found:
        return hits
    text = c.text
    bounds = _clause_starts(text) if _ANY_CUE.search(text) else None
    prev_end = 0  # where the last phrase (and its negation) ended: a negation is spent on one phrase
    for key, start, end in found:
        rule_index, phrase = matcher.lookup[key]
        sig = pb.signals[rule_index]
        weights, negated_weights, tags = matcher.effects[rule_index]
        before = after = None
        if bounds is not None:
            before = _negation_before(c, start, bounds, prev_end)
            after = None if before is not None else _negation_after(c, end)
        shield = not weights and not tags and sig.recipient is None
        if not shield:
            prev_end = end
        if before is None and after is None and hits and hits[-1].negated and hits[-1].end <= start \
                and _compound(c, hits[-1].end, start):
            # The head of the noun the negated word modifies is negated with it: "not about festival
            # gifts", "not a year-end gift thing", 不是中秋福利 (a space only between English words).
            before = hits[-1].start
        if before is None and after is None:
            hits.append(Hit(phrase, text[start:end], start, rule_index, False, weights, tags, end, sig.recipient))
            continue
        quote = text[before if before is not None else start:after if after is not None else end]
        if after is not None:
            prev_end = max(prev_end, after)
        hits.append(Hit(phrase, " ".join(quote.split()), start, rule_index, True, negated_weights, (), end,
                        sig.recipient))
    return hits


def signals_in(pb: Playbook, text: str) -> list[Hit]:
    """The playbook's phrases found in ``text``, in order, each marked negated or not."""
    hits = _hits(pb, compact(fold(text)))
    _resolve_recipients(pb, hits, compact(fold(text)).text)
    return hits


# --- who ends up with the goods ------------------------------------------------------------------

OWN = {"own_staff"}
# Between another organisation and people (共建单位的职工, 兄弟单位困难职工, partner's staff): a
# possessive or a short modifier, never a verb or an "and" (给合作单位 发给员工 names two recipients).
_POSSESSIVE_GAP = re.compile(r"(?:[的之里中\s']|'s|[^\x00-\x7f发送给和及与跟、也还并以])*")  # recipients inside the buying organisation; own_use is the organisation itself


def _lean(weights: dict[str, float]) -> str | None:
    """The kind of buyer a phrase leans to: its largest positive weight."""
    best, top = None, 0.0
    for k, v in weights.items():
        if v > top:
            best, top = k, v
    return best


def _resolve_recipients(pb: Playbook, hits: list[Hit], text: str) -> None:
    """Mark another organisation's people as theirs, then set aside what the recipients outweigh."""
    if not any(h.recipient for h in hits):
        return
    for i, h in enumerate(hits):
        if h.recipient not in OWN or h.negated:
            continue
        prev = hits[i - 1] if i else None
        # 共建单位的职工, 结对村 村民, 客户的员工: the people belong to the organisation just named.
        if prev is not None and prev.recipient and prev.recipient not in OWN and prev.recipient != "own_use" \
                and not prev.negated and 0 <= h.start - prev.end <= 4 \
                and _POSSESSIVE_GAP.fullmatch(text[prev.end:h.start]):
            h.absorbed = True
            continue
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        # "staff of our partners", "employees of the client"
        if nxt is not None and nxt.recipient and nxt.recipient not in OWN and nxt.recipient != "own_use" \
                and re.fullmatch(r"\s*(?:of|at|from)\s+(?:our|the|their|its|a)?\s*", text[h.end:nxt.start]):
            h.absorbed = True
    _equipping(pb, hits)
    leans = {}
    for h in hits:
        if h.recipient and not h.negated and not h.absorbed:
            lean = _lean(h.weights)
            if lean:
                leans[lean] = leans.get(lean, 0.0) + h.weights[lean]
    if len(leans) != 1:
        return
    (winner,) = leans
    for h in hits:
        if h.negated or h.recipient and not h.absorbed:
            continue
        lean = _lean(h.weights)
        if lean is not None and lean != winner and h.weights.get(winner, 0) <= 0:
            h.outweighed = True
        elif lean is not None and len(h.weights) > 1:
            # What the goods are counts only toward the kind the recipients say (中秋 for our staff
            # is welfare, its gift lean does not pull the other way).
            h.weights = {winner: h.weights[winner]}


def _equipping(pb: Playbook, hits: list[Hit]) -> None:
    """Own staff given work goods (保安 制服, uniforms for front desk staff, 给员工配电脑) are being
    equipped, not rewarded: the organisation uses the goods, an office purchase. Unless something
    says it is a present (福利, 慰问, 礼物, a festival's why)."""
    own = [h for h in hits if h.recipient in OWN and not h.negated and not h.absorbed]
    if not own:
        return
    work = [h for h in hits if not h.negated and pb.signals[h.rule].item and _lean(h.weights) == "office"]
    if not work:
        return
    for h in hits:
        if h.negated or h.recipient or pb.signals[h.rule].item or pb.signals[h.rule].occasion:
            continue
        if _lean(h.weights) in ("welfare", "gift"):
            return  # a why for a present: the staff receive it
    use = next((i for i, s in enumerate(pb.signals) if s.recipient == "own_use"), None)
    if use is None:
        return
    for h in own:
        h.recipient = "own_use"
        h.weights = dict(pb.signals[use].weights)


# --- figures ---------------------------------------------------------------------------------


@dataclass
class Figures:
    headcount: int | None = None
    budget_per_head: float | None = None
    budget_total: float | None = None
    quotes: dict[str, str] = field(default_factory=dict)  # field → the words it was read from
    unread: list[str] = field(default_factory=list)  # figures seen and not read (三百来个): to confirm
    per: str | None = None  # what budget_per_head is per, when said: "piece" (每份), "machine" (每台) or "each" (单价)

    def fields(self) -> dict[str, Any]:
        return {k: v for k, v in (("headcount", self.headcount), ("budget_per_head", self.budget_per_head),
                                  ("budget_total", self.budget_total)) if v is not None}

    def as_json(self) -> dict[str, Any]:
        return {**{k: None for k in ("headcount", "budget_per_head", "budget_total")}, **self.fields(),
                "quotes": dict(self.quotes), "unread": list(self.unread)}


def _figures_of(reading: FigureReading) -> Figures:
    """Today's three client fields from the one reading: the count (people, pieces or sets), a
    budget per something, and a total."""
    fig = Figures(unread=[u.text for u in reading.unread])
    for q in reading.quantities:
        if q.kind != MACHINE:
            fig.headcount, fig.quotes["headcount"] = q.value, q.quote
            break
    for b in reading.budgets:
        if b.basis in ("per", "bare") and fig.budget_per_head is None:
            fig.budget_per_head, fig.quotes["budget_per_head"] = b.amount, b.quote
            fig.per = b.per if b.per in (PIECE, MACHINE, "each") else None
        elif b.basis == "total" and fig.budget_total is None:
            fig.budget_total, fig.quotes["budget_total"] = b.amount, b.quote
    return fig


def figures_in(text: str) -> Figures:
    """Headcount, budget per head and total budget written in the notes (each None when absent).

    The first mention of each counts.
    """
    return _figures_of(read_figures(compact(fold(text)).text))


# --- the whole reading -----------------------------------------------------------------------


@dataclass
class NotesMatch:
    """What the notes say, in the shape ``classify.classify(extra=…)`` takes."""

    text: str
    hits: list[Hit]
    figures: Figures
    weights: dict[str, float] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    filled: list[str] = field(default_factory=list)  # figures the caller took from the notes
    support: dict[str, float] = field(default_factory=dict)  # positive evidence per segment
    reading: FigureReading = field(default_factory=FigureReading)
    compacted: str = ""
    soft: list[int] = field(default_factory=list)  # where the rep's spaces were taken out of ``compacted``
    _pb: Any = field(default=None, repr=False, compare=False)
    _ask: Any = field(default=None, repr=False, compare=False)
    no_why: bool = False  # phrases of what and when only: nothing says who receives it or why
    owner_unclear: tuple[str, ...] = ()  # people named by trade alone (环卫工人): whose is not said

    @property
    def shown(self) -> list[Hit]:
        """Hits worth a reason: they change a score, ask for a bundle tag, or are negated."""
        return [h for h in self.hits if h.negated or any(h.weights.values()) or h.tags]

    @property
    def recipients(self) -> list[Hit]:
        return [h for h in self.hits if h.recipient and not h.negated and not h.absorbed]

    def reasons(self, pb: Playbook, segment: str, runner_up: str | None, lang: str | None = None) -> list[str]:
        """The phrases that matched, grouped by the kind of buyer they lean to; negations said."""
        if not self.text.strip():
            return [i18n.t("notes.reason.empty")]
        if not self.shown:
            return [i18n.t("notes.reason.nothing")]

        def name(code: str) -> str:
            seg = pb.segment(code)
            return seg.name.get(lang) if seg else code

        groups: dict[str, list[Hit]] = {}
        tag_only: list[Hit] = []
        negated: list[Hit] = []
        aside: list[Hit] = []
        for h in self.shown:
            if h.negated:
                negated.append(h)
                continue
            if h.absorbed:
                continue  # another organisation's people: part of who receives, said with them
            if h.outweighed:
                aside.append(h)
                continue
            positive = {k: v for k, v in h.weights.items() if v > 0}
            if positive:
                groups.setdefault(max(positive, key=positive.get), []).append(h)
            else:
                tag_only.append(h)
        lines = []
        recipients = self.recipients
        if recipients and aside:
            lines.append(i18n.t("notes.reason.outweighed", who=_quoted(recipients), goods=_quoted(aside)))
        order = sorted(groups, key=lambda code: (code != segment, -_sum(groups[code], code)))
        for code in order:
            lines.append(i18n.t("notes.reason.phrases", phrases=_quoted(groups[code]), segment=name(code),
                                delta=_sum(groups[code], code)))
        sep = i18n.t("notes.list_sep")
        for h in negated:
            effect = sep.join(f"{name(k)} {v:+g}" for k, v in h.weights.items() if v)
            key = "notes.reason.negated_counts" if effect else "notes.reason.negated"
            lines.append(i18n.t(key, quote=h.quote, effect=effect))
        if tag_only:
            tags = sorted({t for h in tag_only for t in h.tags})
            lines.append(i18n.t("notes.reason.tags", phrases=_quoted(tag_only), tags=", ".join(tags)))
        if self.no_why:
            lines.append(i18n.t("notes.reason.no_why"))
        return lines

    @property
    def ask(self):
        """The structured ask the notes state (an :class:`~tuangou_cli.ask.Ask`), a budget's
        basis read for the kind of buyer the notes alone point to."""
        if self._ask is None:
            from .classify import classify

            self._ask = _ask(self._pb, self, classify(self._pb, {}, extra=self).segment)
        return self._ask

    def ask_for(self, pb: Playbook, segment: str | None = None):
        """The ask with a budget's basis read for this kind of buyer (per head for welfare …)."""
        return _ask(pb, self, segment)

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "matched": [h.as_json() for h in self.hits], "weights": self.weights,
                "tags": self.tags, "figures": self.figures.as_json(),
                "unread": [{"text": u.text, "looks_like": u.looks_like} for u in self.reading.unread]}


def _sum(hits: list[Hit], code: str) -> float:
    seen: dict[int, float] = {}
    for h in hits:
        seen[h.rule] = h.weights.get(code, 0.0)  # once per rule, as in the score
    return round(sum(seen.values()), 2)


def _quoted(hits: list[Hit]) -> str:
    return i18n.t("notes.list_sep").join(f"“{q}”" for q in dict.fromkeys(h.quote for h in hits))


def read_notes(pb: Playbook, text: str) -> NotesMatch:
    """Signals and figures of one note. Each rule counts once, and once more if also negated;
    phrases the named recipients outweigh count for nothing."""
    c = compact(fold(text))
    hits = _hits(pb, c)
    _resolve_recipients(pb, hits, c.text)
    weights: dict[str, float] = {}
    support: dict[str, float] = {}
    tags: list[str] = []
    fields: dict[str, Any] = {}
    counted: set[tuple[int, bool]] = set()
    for h in hits:
        if h.absorbed or h.outweighed or (h.rule, h.negated) in counted:
            if h.outweighed and not h.negated:
                tags.extend(t for t in h.tags if t not in tags)
            continue
        counted.add((h.rule, h.negated))
        for code, w in h.weights.items():
            weights[code] = weights.get(code, 0.0) + w
            if w > 0 and not h.negated:  # a negation is evidence against, never for a third kind
                support[code] = support.get(code, 0.0) + w
        tags.extend(t for t in h.tags if t not in tags)
        if not h.negated:
            fields.update(pb.signals[h.rule].sets)
    # Festive goods and occasions say what and when, not why (月饼 五百盒 may be for staff or for
    # clients); goods used at work (叉车, printers) do say it. Without a why, no kind is named.
    no_why = bool(hits) and not any(_says_why(pb, h) for h in hits)
    if no_why:
        support = {}
    reading = read_figures(c.text)
    return NotesMatch(text=text, hits=hits, figures=_figures_of(reading), weights=weights, tags=tags,
                      fields=fields, support=support, reading=reading, compacted=c.text, no_why=no_why,
                      soft=c.soft, _pb=pb, owner_unclear=_owner_unclear(pb, hits))


def _owner_unclear(pb: Playbook, hits: list[Hit]) -> tuple[str, ...]:
    """The trade words naming the recipients, when nothing else says whose they are (本单位的,
    给客户, 共建单位 …): a handout to 环卫工人 may be a bureau's welfare or a company's gift."""
    said = [h for h in hits if not h.negated and not h.absorbed]
    trade = [h for h in said if pb.signals[h.rule].owner_unclear]
    if not trade or any(h.recipient and not pb.signals[h.rule].owner_unclear for h in said):
        return ()
    return tuple(dict.fromkeys(h.quote for h in trade))


def _says_why(pb: Playbook, h: Hit) -> bool:
    if h.negated or h.outweighed or h.absorbed:
        return False
    sig = pb.signals[h.rule]
    lean = _lean(h.weights)
    if lean is None or not sig.why:
        return False
    if sig.recipient:
        return True
    if sig.occasion and lean != "gift":
        return False  # 中秋, 端午: when, not why (促销, 答谢 are reasons as well as occasions)
    if sig.item and lean != "office":
        return False  # 月饼, 提货卡: what, not for whom
    return True


# --- the ask -----------------------------------------------------------------------------------

_OCCASION_RANK = {"client_thanks": 1, "promotion": 1, "conference": 1, "anniversary": 1, "year_end": 2,
                  "birthday": 2, "summer": 2, "union_event": 2, "routine": 3}  # festivals: 0
_BASIS_OF = {PEOPLE: "per_head", MACHINE: "per_unit", PIECE: "per_piece"}
_SEGMENT_BASIS = {"office": "per_unit", "welfare": "per_head", "gift": "per_piece"}
# What was handed out before: a cue before the goods (去年发过冰箱 西服 水果, 往年都是购物卡, "we
# gave mooncakes last year") or after a list of them (冰箱西服都发过了, "fridges, suits and fruit
# given before"). The clause ends where this year begins (今年要新的, "this year …").
_GIVEN_BEFORE_CUE = re.compile(
    r"(?:去年|往年|前年|每年|以前|之前|上次|上回|往届|历年|以往|前几年|过去|前两年|早就|已经)[^,.;!?。\n]{0,6}?"
    r"(?:发过|送过|买过|发了|送了|给过|采购过|做过|弄过|都发|发的是|送的是|买的是|送的|发的|买的|给的|都是|就是|是)"
    r"|(?:发过|送过|买过|给过)(?!了)"
    r"|\b(?:we |they )?(?:gave|handed out|sent|did|had|got)\b(?=[^,.;]*\b(?:last year|before|previously|in the past|"
    r"last (?:two|few|2|3) years|20\d\d)\b)|\b(?:last year|previously|in the past|20\d\d) (?:was|were|we gave|they got)\b"
)
_GIVEN_AFTER_CUE = re.compile(
    r"(?:都|也|已经)?(?:发过|送过|买过|给过)了?|都发过|都送过|都是往年的"
    r"|\b(?:given|gave|handed out|done|had) (?:before|already|last year|previously)\b|\balready (?:given|done|had)\b"
    r"|\b(?:last year|before)\b"
)
_THIS_YEAR = re.compile(r"今年|这次|这回|\bthis (?:year|time)\b|\bnow\b|\bwant\b|想要|要换|换成")
# A list of goods after a cue: words split by 和/、/and, ended by this year, a refusal or a wish.
_LIST_END = re.compile(r"今年|这次|这回|前年|去年|别|不要|不想|不再|要|想|换|改|但|,(?!\s?[a-z])|;|\.|\n|\bthis\b|\bnow\b|\bwant|\bbut\b"
                       r"|\bthe (?:boss|chairman|director)\b|\bagain\b|\bplease\b|\bevery year\b|\balready\b"
                       r"|\blast (?:year|two years|few years)\b|\bbefore\b|\bpreviously\b|\b20\d\d\b")
_LIST_SPLIT_KEEP = re.compile(r"(\s*(?:和|与|及|跟|、|,|/|&|\+|\band\b|\bor\b)\s*|\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+)")
_LIST_SPLIT = re.compile(r"\s*(?:和|与|及|跟|、|,|/|&|\+|\band\b|\bor\b)\s*|\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")
_NOT_GOODS = re.compile(r"^(?:的|了|是|都是|就是|发|送|买|给|过|一些|一点|点|东西|礼品|礼物|福利|那种|这种|这个|那个|some|the|a|an"
                        r"|were|was|is|are|they|we|it|of|gifts?|stuff|things?|one|each|类|款|等)$")
_LIST_CUE = re.compile(
    r"(?:去年|往年|前年|以前|之前|上次|上回|往届|历年|以往|前几年|前两年|过去几年|每年)[^,.;!?。\n]{0,3}?"
    r"(?:发过|送过|买过|发了|送了|给过|发的是|送的是|买的是|送的|发的|买的|给的|都是|是|gave|got|发)"
    r"|\b(?:past (?:few |two |3 |three )?years|last year|every year|in 20\d\d|20\d\d) (?:were|was|it was|we gave|they got)\s"
    r"|\b(?:they(?:'ve| have)? (?:had|got)|they did|we (?:gave|sent|did)|they got|gave)\s"
    r"|\b(?:last year|past years|previous years)[,:]?\s(?=[a-z])"
)
_YEAR_RIGHT_BEFORE = re.compile(r"(?:去年|往年|前年|每年都是|每年|历年都是)\s?$")
_LIST_GAP = re.compile(r"(?:[\s,、和及与跟/+&]|and|or|\bthe\b)*")
_WANTED_AFTER = re.compile(r"[^,.;!?。\n]{0,3}?(?:也要|要|想|需要|今年|这次|\bthis\b|\bnow\b|\bwanted\b)")



def _ask(pb: Playbook, match: NotesMatch, segment: str | None):
    from .ask import Ask, Budget, Unread

    reading = match.reading
    seg = segment if segment in _SEGMENT_BASIS else None
    quantity = _pick_quantity(reading, seg)
    budget = _pick_budget(reading, seg, quantity)
    unread = [Unread(u.text, u.looks_like) for u in reading.unread]
    quotes: dict[str, str] = {}
    ask_budget = None
    if budget is not None:
        basis = _basis(budget, seg, quantity)
        ask_budget = Budget(amount=Decimal(str(budget.amount)).normalize() if budget.amount != int(budget.amount)
                            else Decimal(int(budget.amount)), basis=basis, kind=budget.kind, quote=budget.quote)
        quotes["budget"] = budget.quote
    if quantity is not None:
        quotes["quantity"] = quantity.quote
    occasion = None
    items: list[str] = []
    given: list[str] = []
    item_hits = [h for h in match.hits if pb.signals[h.rule].item and not h.negated]
    for h in match.hits:
        sig = pb.signals[h.rule]
        if h.negated:
            continue
        if sig.occasion and (occasion is None or _OCCASION_RANK.get(sig.occasion, 0) < _OCCASION_RANK.get(occasion, 0)):
            occasion = sig.occasion  # a named festival first, then a purpose (答谢), then a time (年底)
            quotes["occasion"] = h.quote
        if sig.item:
            if _given_before(match.compacted, h, item_hits):
                if h.quote not in given:
                    given.append(h.quote)
            elif h.quote not in items:
                items.append(h.quote)
    if occasion is None and seg == "office":
        occasion = "routine"  # an office buys to run the place unless the notes name an occasion
    # Goods the playbook does not know are taken from the list after the cue; a known phrase inside
    # a longer word of that list (坚果 in 坚果礼盒) gives way to the whole word.
    known = {h.quote for h in item_hits}
    listed = _given_list(_spaced(match), known)
    for word in listed:
        if word not in given:
            given.append(word)
    given = [g for g in given if not any(g != w and g in w for w in given)]
    recipients = None
    rec = [h for h in match.recipients if h.recipient]
    if rec:
        codes = list(dict.fromkeys(h.recipient for h in rec))
        recipients = ",".join(codes)
        quotes["recipients"] = _quoted(rec)
    return Ask(item=items[0] if items else None, quantity=quantity.value if quantity else None,
               unit=quantity.unit if quantity else None, budget=ask_budget, occasion=occasion,
               recipients=recipients, given_before=tuple(given), unread=tuple(unread), quotes=quotes)


def _given_list(text: str, known: set[str]) -> list[str]:
    """Goods named after a cue of what was handed out before, known to the playbook or not
    (去年发的丝巾, "they got scarves last year", 前两年发了保温杯和电动牙刷). ``text`` has the rep's
    spaces; after a bare space only goods the playbook knows continue the list (去年送的茶叶 反响一般)."""
    out: list[str] = []
    for m in _LIST_CUE.finditer(text):
        stop = _LIST_END.search(text, m.end())
        piece = text[m.end():stop.start() if stop else len(text)].strip()
        parts = _LIST_SPLIT_KEEP.split(piece)
        words = [(parts[0], "")] + [(parts[i + 1], parts[i]) for i in range(1, len(parts) - 1, 2)]
        for n, (word, sep) in enumerate(words):
            word = word.strip(" '\"")
            if n and not sep.strip() and word not in known and not word.isascii():
                break
            if word.startswith("的"):
                word = word[1:]
            if not word or _NOT_GOODS.match(word) or len(word) > 24 or any(ch.isdigit() for ch in word):
                continue
            if not word.isascii() and not 1 <= len(word) <= 6:
                continue
            if word.isascii() and len(word.split()) > 3:
                continue
            if word not in out:
                out.append(word)
    return out


def _spaced(match: "NotesMatch") -> str:
    """The compacted notes with the rep's spaces put back (where words were joined)."""
    text, out, last = match.compacted, [], 0
    for pos in match.soft:
        out.append(text[last:pos])
        out.append(" ")
        last = pos
    out.append(text[last:])
    return "".join(out)


def _given_before(text: str, h: Hit, items: list[Hit]) -> bool:
    """Whether the goods word sits in a clause saying it was handed out before."""
    left = max(text.rfind(p, 0, h.start) for p in ",.;!?。\n") + 1
    right = min([r for r in (text.find(p, h.end) for p in ",.;!?。\n") if r >= 0], default=len(text))
    for m in _GIVEN_BEFORE_CUE.finditer(text, left, h.start):
        if not _THIS_YEAR.search(text, m.end(), h.start):
            return True
    if _YEAR_RIGHT_BEFORE.search(text, left, h.start):
        return True  # 去年米面油, 每年都是月饼
    # Right after other goods of a list that was handed out (去年发过冰箱、西服、水果: the 、 became a
    # comma), unless this one is wanted now (去年发了月饼，粽子也要).
    before = [i for i in items if i.end <= h.start and _LIST_GAP.fullmatch(text, i.end, h.start)]
    if before and not _WANTED_AFTER.match(text, h.end) and _given_before(text, before[-1], items):
        return True
    # After the goods: the goods, the other goods of the list, then the cue (冰箱 西服 都发过了).
    pos = h.end
    later = [i for i in items if i.start >= h.end]
    while pos < right:
        gap = _LIST_GAP.match(text, pos)
        pos = gap.end()
        nxt = next((i for i in later if i.start == pos), None)
        if nxt is not None:
            pos = nxt.end
            continue
        return bool(_GIVEN_AFTER_CUE.match(text, pos))
    return False


WEIGHTS = ("斤", "公斤")


def _pick_quantity(reading: FigureReading, seg: str | None):
    qs = reading.quantities
    if not qs:
        return None
    # A weight beside another count is the goods' size (4公斤干粉灭火器60具), not how many.
    qs = [q for q in qs if q.unit not in WEIGHTS] or qs
    want = {"office": (MACHINE, SET, PIECE, PEOPLE), "welfare": (PEOPLE, SET, PIECE, MACHINE),
            "gift": (PIECE, SET, PEOPLE, MACHINE)}.get(seg or "", (PEOPLE, PIECE, SET, MACHINE))
    for kind in want:
        for q in qs:
            if q.kind == kind:
                return q
    return qs[0]


def _pick_budget(reading: FigureReading, seg: str | None, quantity) -> BudgetFigure | None:
    bs = reading.budgets
    if not bs:
        return None
    per = [b for b in bs if b.basis == "per"]
    total = [b for b in bs if b.basis == "total"]
    bare = [b for b in bs if b.basis == "bare"]
    if per:
        return per[0]
    if bare and (not total or bare[0].start < total[0].start and bare[0].explicit):
        return bare[0] if not total else total[0]
    if total:
        return total[0]
    return bare[0]


def _basis(b: BudgetFigure, seg: str | None, quantity) -> str:
    if b.basis == "bare":
        # A small amount that says neither per what nor in all (人均 left out: "max 200", "预算300",
        # "~¥180") is what each recipient gets: per head, per piece or per unit by the kind of buyer.
        return _SEGMENT_BASIS.get(seg or "", "per_head")
    if b.basis != "per":
        return b.basis
    per = b.per
    if per == PEOPLE:
        return "per_head"  # 人均 is per head whoever buys
    if seg == "office":
        return "per_unit"  # an office buys units: 每把, 单价, each are per unit
    if per == "each" or per == SET or per is None:
        if seg in _SEGMENT_BASIS:
            return _SEGMENT_BASIS[seg]
        per = quantity.kind if quantity is not None and per == "each" else per
        return _BASIS_OF.get(per, "per_head")
    return _BASIS_OF[per]


def ask_from(pb: Playbook, text: str, segment: str | None = None):
    """The ask the notes state (item, quantity and unit, budget with basis and kind, occasion,
    recipients, given before, figures seen but not read). Without ``segment`` the notes'
    own classification decides a budget's basis where the words leave it open (单价, each)."""
    match = read_notes(pb, text)
    if segment is None:
        from .classify import classify

        segment = classify(pb, {}, extra=match).segment
    return match.ask_for(pb, segment)


def figures_reason(fig: Figures, used: set[str], currency: str = "¥") -> str | None:
    """One line naming the figures taken from the notes (only those actually used)."""
    from .recommend import money

    parts = []
    if "headcount" in used and fig.headcount is not None:
        parts.append(i18n.t("notes.figure.headcount", n=fig.headcount, quote=fig.quotes["headcount"]))
    if "budget_per_head" in used and fig.budget_per_head is not None:
        # 单价, each: one of whatever is bought (a unit, a piece, a set), never said to be per head.
        key = {PIECE: "notes.figure.per_piece", MACHINE: "notes.figure.per_unit",
               "each": "notes.figure.each"}.get(fig.per or "", "notes.figure.per_head")
        parts.append(i18n.t(key, money=money(fig.budget_per_head, currency), quote=fig.quotes["budget_per_head"]))
    if "budget_total" in used and fig.budget_total is not None:
        parts.append(i18n.t("notes.figure.total", money=money(fig.budget_total, currency),
                            quote=fig.quotes["budget_total"]))
    # Figures seen and not read are said whether or not anything was used, so the rep confirms them.
    unread = [i18n.t("notes.reason.unread", text=text) for text in fig.unread]
    sep = i18n.t("notes.reason.sep")
    if not parts:
        return sep.join(unread) if unread else None
    return sep.join([i18n.t("notes.reason.figures", figures=i18n.t("notes.list_sep").join(parts)), *unread])
