"""Reading free-text call notes: the playbook's phrase signals, and the figures in the text.

Pure: no I/O, no printing. A rep types 「工会年终慰问，给职工发，120人，人均三百」 or
"thank-you gifts for our clients, budget 400 per person"; this module finds

* the phrases of the playbook's ``signals`` section (Chinese anywhere, Latin as whole
  words, the longest phrase first so 职工福利 is one hit, not 职工 and 福利), each
  negated when a negation comes just before it in the same clause (不是发福利, 不走招标,
  "not for staff", "no tender") or a refusal just after it (招标就不走了);
* the headcount, the budget per head and the total budget, written in digits or in
  Chinese numerals (一百二十人, 人均三百, 两千五, 1.5万, 20k).

Example:

    >>> from tuangou_cli.notes import figures_in
    >>> f = figures_in("一百二十人，人均三百")
    >>> (f.headcount, f.budget_per_head)
    (120, 300.0)
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from . import i18n
from .playbook import Playbook

# --- folding -------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Compare-form: full-width → half-width (NFKC), case folded, curly apostrophes straight."""
    # A Chinese comma becomes ", " first, so 500，100人 never reads as the number 500,100.
    text = unicodedata.normalize("NFKC", text.replace("\uff0c", ", "))
    return text.casefold().replace("\u2019", "'").replace("\u2018", "'")


# --- negation ------------------------------------------------------------------------------
# Where a clause ends: punctuation, a dash, a line break, or a word that turns the sentence around
# ("不是发福利，而是答谢客户", "not for staff but for our clients").
_CLAUSE_END = re.compile(r"[,.;!?。!?;:\n()\[\]{}<>《》“”\"—–]|\s-+\s|而是|但是|可是|只是|\bbut\b|\bhowever\b|\bwhereas\b")
# 不 negates, except in words where it does not: 不少 (many), 不错 (good), 不仅/不但/不只/不光
# (not only), 不一样/不同 (different), 不断, 不过, 不久, 不管/不论, 不得不, 不如, 不限.
_ZH_BEFORE = re.compile(r"不(?!少|错|仅|但|只|光|一样|同|断|过|久|管|论|得不|如|限|定)|没|无需|无须|并非|勿")
_ZH_WINDOW = 6  # characters before a phrase in which a Chinese negation counts
_EN_WINDOW = 4  # words before a phrase in which an English negation counts
_EN_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")
_LATIN = re.compile(r"[a-z]")
_EN_NEGATORS = {"not", "no", "non", "never", "without", "nor", "neither", "except"}
_EN_PAIRS = {("rather", "than"), ("instead", "of"), ("other", "than")}
_EN_NOT_NEGATING = {("not", "only"), ("not", "just"), ("no", "matter")}
# A refusal right after the phrase: 招标就不走了, 福利今年不发了, "tender is not required".
_AFTER = re.compile(
    r"[^,.;!?。\n]{0,3}?(?:不(?:发|走|用|要|需要|做|搞|买|送|考虑)|没有|取消)"
    r"|\s*(?:is |are |was |will be )?(?:not|no longer) (?:needed|required|necessary|planned|wanted)"
)


# Any word that could negate: a text without one needs no per-phrase negation checks at all.
_ANY_CUE = re.compile(r"不|没|无需|无须|并非|勿|取消|\b(?:not|no|non|never|without|nor|neither|except|rather"
                      r"|instead|other)\b|n't\b")


def _clause_starts(text: str) -> list[int]:
    return [m.end() for m in _CLAUSE_END.finditer(text)]


def _negation_before(text: str, start: int, bounds: list[int]) -> int | None:
    """Where a negation of the phrase starting at ``start`` begins, or None."""
    i = bisect.bisect_right(bounds, start) - 1
    clause = bounds[i] if i >= 0 else 0
    m = _ZH_BEFORE.search(text, max(clause, start - _ZH_WINDOW), start)
    if m:
        return m.start()
    piece = text[max(clause, start - 40):start]
    if not _LATIN.search(piece):
        return None
    offset = start - len(piece)
    words = [(m.group(), m.start()) for m in _EN_WORDS.finditer(piece)][-_EN_WINDOW:]
    for i, (word, pos) in enumerate(words):
        nxt = words[i + 1][0] if i + 1 < len(words) else ""
        if (word, nxt) in _EN_NOT_NEGATING:
            continue
        if word in _EN_NEGATORS or word.endswith("n't") or (word, nxt) in _EN_PAIRS:
            return offset + pos
    return None


def _negation_after(text: str, end: int) -> int | None:
    m = _AFTER.match(text, end)
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

    def as_json(self) -> dict[str, Any]:
        return {"phrase": self.phrase, "quote": self.quote, "negated": self.negated,
                "weights": dict(self.weights), "tags": list(self.tags)}


_ALNUM = re.compile(r"[a-z0-9]")


class _Matcher:
    """All phrases of a playbook in one regular expression (a trie, so matching stays linear)."""

    def __init__(self, pb: Playbook):
        self.lookup: dict[str, tuple[int, str]] = {}
        for i, sig in enumerate(pb.signals):
            for phrase in sig.match:
                key = " ".join(fold(phrase).split())
                if key:
                    self.lookup.setdefault(key, (i, phrase))
        self.regex = re.compile(_trie_pattern(list(self.lookup))) if self.lookup else None
        # (weights, negated weights, tags) per rule, shared by every hit: read them, never change them.
        self.effects = [(dict(sig.weights), dict(sig.negated), tuple(sig.tags)) for sig in pb.signals]

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """(phrase key, start, end) for each phrase, leftmost-longest, never overlapping."""
        if self.regex is None:
            return []
        out = []
        for m in self.regex.finditer(text):
            key = " ".join(m.group(1).split())
            if key in self.lookup:
                out.append((key, m.start(), m.end()))
        return out


def _trie_pattern(keys: list[str]) -> str:
    trie: dict = {}
    for k in keys:
        node = trie
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict, after_latin: bool, root: bool = False) -> str:
        # Longer continuations first, ending here last: the regex takes the longest phrase.
        alts = []
        for ch in sorted(k for k in node if k):
            latin = bool(_ALNUM.match(ch))
            head = r"\s+" if ch == " " else re.escape(ch)
            if root and latin:
                # A Latin phrase starts at a word boundary too (checked after its first letter, so
                # the regex engine can still skip ahead by first letters); a Chinese one anywhere.
                head += r"(?<![a-z0-9].)"
            alts.append(head + build(node[ch], latin))
        if "" in node:
            # A Latin phrase ends at a word boundary, plural s/es allowed: car ≠ card, gifts = gift.
            alts.append(r"(?=(?:s|es)?(?![a-z0-9]))" if after_latin else "")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return "(" + build(trie, False, root=True) + r")(?:s|es)?"


_MATCHERS: dict[int, tuple[Playbook, _Matcher]] = {}


def _matcher(pb: Playbook) -> _Matcher:
    cached = _MATCHERS.get(id(pb))
    if cached is None or cached[0] is not pb:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        cached = _MATCHERS[id(pb)] = (pb, _Matcher(pb))
    return cached[1]


def signals_in(pb: Playbook, text: str) -> list[Hit]:
    """The playbook's phrases found in ``text``, in order, each marked negated or not."""
    folded = fold(text)
    matcher = _matcher(pb)
    hits: list[Hit] = []
    found = matcher.find(folded)
    if not found:
        return hits
    bounds = _clause_starts(folded) if _ANY_CUE.search(folded) else None
    for key, start, end in found:
        rule_index, phrase = matcher.lookup[key]
        weights, negated_weights, tags = matcher.effects[rule_index]
        before = after = None
        if bounds is not None:
            before = _negation_before(folded, start, bounds)
            after = None if before is not None else _negation_after(folded, end)
        if before is None and after is None:
            hits.append(Hit(phrase, folded[start:end], start, rule_index, False, weights, tags))
            continue
        quote = folded[before if before is not None else start:after if after is not None else end]
        hits.append(Hit(phrase, " ".join(quote.split()), start, rule_index, True, negated_weights, ()))
    return hits


# --- figures ---------------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN = "零〇一二两三四五六七八九十百千万亿"


def chinese_number(s: str) -> int | None:
    """一百二十 → 120, 两千五 → 2500, 一万二 → 12000, 一百零五 → 105; None if not a number."""
    total = section = 0
    digit: int | None = None
    last_unit = 0
    zero = False
    if not s:
        return None
    for ch in s:
        if ch in ("零", "〇"):
            zero, digit = True, None
        elif ch in _CN_DIGITS:
            if digit is not None:
                return None  # 五六十: a range, not a number
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            section += (1 if digit is None else digit) * unit
            digit, last_unit, zero = None, unit, False
        elif ch in _CN_BIG:
            big = _CN_BIG[ch]
            section += digit or 0
            if section == 0 and total == 0:
                section = 1  # 万人 → ten thousand
            total = (total + section) * big
            section, digit, last_unit, zero = 0, None, big, False
        else:
            return None
    if digit is not None:
        # 两千五 is 2500 and 一万二 is 12000: a last digit right after a unit counts one place lower.
        section += digit * (last_unit // 10) if last_unit and not zero else digit
    return total + section


_MULTIPLIERS = {"万": 10_000, "w": 10_000, "千": 1000, "k": 1000, "百": 100}


def parse_number(raw: Any) -> float | None:
    """A number as people write it in a cell or a note: 120, 1,200, ¥300, 1.5万, 20k, 三百, 120人."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw)
    m = _NUMBER.search(fold(str(raw)))
    return _value(m.group(0)) if m else None


def _value(token: str) -> float | None:
    t = token.replace(",", "").replace(" ", "")
    if not t:
        return None
    if t[0] in _CN:
        n = chinese_number(t)
        return None if n is None else float(n)
    mult = 1
    if t[-1] in _MULTIPLIERS:
        mult, t = _MULTIPLIERS[t[-1]], t[:-1]
    try:
        return float(t) * mult
    except ValueError:
        return None


# A number: digits (1,200 / 1.5) with an optional 万/千/百/k/w, or Chinese numerals. Atomic, so a
# pattern around it can never settle for part of a number (12 of 120人).
_NUM = rf"(?>\d+(?:,\d{{3}})*(?:\.\d+)?(?:\s*[万千百]|[kw](?![a-z]))?|[{_CN}]+)"
_NUMBER = re.compile(_NUM)
_NUM_CHARS = frozenset("0123456789." + _CN)
_FILL = (r"(?:\s|是|为|在|约|大约|大概|差不多|控制在|不超过|不超|最多|:|=|is|of|at|around|about|approx\.?"
         r"|up to|under|max)*")
_MONEY = r"(?:[¥$]|rmb|cny)?\s*"
_YUAN = r"(?:\s*(?:元|块钱|块|rmb|yuan|cny|dollars?|usd))?"
_NOT_COUNT = r"(?!\s*(?:件|个|份|套|盒|张|台|瓶|袋|样|种|斤|天|次|pcs|pieces|items))"
_NOT_PEOPLE = r"(?!\s*(?:多|余)?\s*(?:个|位|名)?\s*(?:人|员工|职工|份|套|people|persons|staff|employees))"

# Figures led by the number (120人, 500元/人, 400 per person, 2万 total): the numbers are found
# first, then what follows each one is matched in place — one quick pass over the text.
_NUMBER_TOKEN = re.compile(rf"\d+(?:,\d{{3}})*(?:\.\d+)?(?:\s*[万千百]|[kw](?![a-z]))?|[{_CN}]+")
_AFTER_NUMBER = re.compile(
    rf"(?P<per_head>{_YUAN}\s*(?:(?:/|每|一)\s*个?(?:人|位|份)|(?:per|a|an|/)\s*(?:person|head|employee|staff"
    rf"|member|recipient|guest|customer|client)\b|each\b))"
    rf"|(?P<total>{_YUAN}\s*(?:(?:in\s+)?(?:total|altogether|all in)\b|的?(?:总价|总预算|总额|总共)))"
    rf"|(?P<headcount>\s*(?:多|余|来)?\s*(?:个|位|名)?\s*(?:人(?![均次民])|员工|职工|同事|工人|会员|客户|份|件)"
    rf"|\s*\+?\s*(?:people|persons|staff|employees|workers|heads|members|recipients|pax|guests|customers|clients"
    rf"|depositors|pcs|pieces|copies)\b|-(?:person|people|strong)\b)"
)
# Figures led by a word (人均三百, 每人预算500, budget per head: 300, 总预算20万, 人数120): one regex,
# the kind told by which group matched.
_WORD_LED = re.compile(
    rf"(?P<per_head>(?:每人|人均|每位|每个人|每份|一人|单价)\s*(?:预算|标准|费用|价格|价位|消费)?{_FILL}{_MONEY}"
    rf"(?P<n1>{_NUM}){_YUAN}{_NOT_COUNT}"
    rf"|(?:per[- ]head|per[- ]person|per[- ]capita|per[- ]employee)\s*(?:budget|spend|price)?{_FILL}{_MONEY}"
    rf"(?P<n2>{_NUM}){_YUAN})"
    rf"|(?P<total>(?:总预算|预算总额|预算总共|总价|总共|一共|合计|总额|总计|共计|总金额|total budget|budget total"
    rf"|overall budget|in total|total)\s*(?:预算)?{_FILL}{_MONEY}(?P<n3>{_NUM}){_NOT_PEOPLE})"
    # A budget that says neither per head nor total is a total only when written in 万/千/k (预算2万).
    rf"|(?P<bare_budget>(?:预算|budget)\s*{_FILL}{_MONEY}(?P<n4>{_NUM}){_NOT_PEOPLE})"
    rf"|(?P<headcount>(?:人数|员工数|职工数|总人数|规模|headcount|head count|staff of|team of|workforce of)"
    rf"\s*(?:共|有)?{_FILL}(?P<n5>{_NUM}))"
)


_FIELD_OF = {"per_head": "budget_per_head", "total": "budget_total", "bare_budget": "budget_total",
             "headcount": "headcount"}


def _acceptable(kind: str, value: float, raw: str) -> bool:
    if kind == "headcount":
        return 2 <= value <= 10_000_000 and value == int(value)
    if kind == "bare_budget":
        return value >= 10_000 or any(c in raw for c in "万千kw")
    return value > 0


@dataclass
class Figures:
    headcount: int | None = None
    budget_per_head: float | None = None
    budget_total: float | None = None
    quotes: dict[str, str] = field(default_factory=dict)  # field → the words it was read from

    def fields(self) -> dict[str, Any]:
        return {k: v for k, v in (("headcount", self.headcount), ("budget_per_head", self.budget_per_head),
                                  ("budget_total", self.budget_total)) if v is not None}

    def as_json(self) -> dict[str, Any]:
        return {**{k: None for k in ("headcount", "budget_per_head", "budget_total")}, **self.fields(),
                "quotes": dict(self.quotes)}


def figures_in(text: str) -> Figures:
    """Headcount, budget per head and total budget written in the notes (each None when absent).

    The first mention of each counts. A span read as a budget is not read again as a headcount.
    """
    folded = fold(text)
    found: list[tuple[str, int, int, float, str]] = []  # kind, start, end, value, quote
    if _NUM_CHARS.isdisjoint(folded):
        return Figures()
    for number in _NUMBER_TOKEN.finditer(folded):
        m = _AFTER_NUMBER.match(folded, number.end())
        if m is None:
            continue
        start, kind, raw = number.start(), m.lastgroup, number.group()
        if kind == "headcount" and (folded[start - 1:start] == "第" or folded[max(0, start - 2):start] in ("每人", "人均")):
            continue  # 第二人民医院, 每人3件
        value = _value(raw)
        if value is not None and _acceptable(kind, value, raw):
            found.append((kind, start, m.end(), value, folded[start:m.end()]))
    for m in _WORD_LED.finditer(folded):
        kind = next(k for k in ("per_head", "total", "bare_budget", "headcount") if m.group(k) is not None)
        raw = m.group("n1") or m.group("n2") or m.group("n3") or m.group("n4") or m.group("n5")
        value = _value(raw)
        if value is not None and _acceptable(kind, value, raw):
            found.append((kind, m.start(), m.end(), value, m.group(0)))
    found.sort(key=lambda f: f[1])
    fig = Figures()
    taken: list[tuple[int, int]] = []
    for wanted in ("per_head", "total", "bare_budget", "headcount"):
        for kind, start, end, value, quote in found:
            if kind != wanted or any(a < end and start < b for a, b in taken):
                continue
            name = _FIELD_OF[kind]
            if getattr(fig, name) is None:
                setattr(fig, name, int(value) if name == "headcount" else value)
                fig.quotes[name] = " ".join(quote.split())
                taken.append((start, end))
            break
    return fig


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

    @property
    def shown(self) -> list[Hit]:
        """Hits worth a reason: they change a score, ask for a bundle tag, or are negated."""
        return [h for h in self.hits if h.negated or any(h.weights.values()) or h.tags]

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
        for h in self.shown:
            if h.negated:
                negated.append(h)
                continue
            positive = {k: v for k, v in h.weights.items() if v > 0}
            if positive:
                groups.setdefault(max(positive, key=positive.get), []).append(h)
            else:
                tag_only.append(h)
        lines = []
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
        return lines

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "matched": [h.as_json() for h in self.hits], "weights": self.weights,
                "tags": self.tags, "figures": self.figures.as_json()}


def _sum(hits: list[Hit], code: str) -> float:
    seen: dict[int, float] = {}
    for h in hits:
        seen[h.rule] = h.weights.get(code, 0.0)  # once per rule, as in the score
    return round(sum(seen.values()), 2)


def _quoted(hits: list[Hit]) -> str:
    return i18n.t("notes.list_sep").join(f"“{q}”" for q in dict.fromkeys(h.quote for h in hits))


def read_notes(pb: Playbook, text: str) -> NotesMatch:
    """Signals and figures of one note. Each rule counts once, and once more if also negated."""
    hits = signals_in(pb, text)
    weights: dict[str, float] = {}
    tags: list[str] = []
    fields: dict[str, Any] = {}
    counted: set[tuple[int, bool]] = set()
    for h in hits:
        if (h.rule, h.negated) in counted:
            continue
        counted.add((h.rule, h.negated))
        for code, w in h.weights.items():
            weights[code] = weights.get(code, 0.0) + w
        tags.extend(t for t in h.tags if t not in tags)
        if not h.negated:
            fields.update(pb.signals[h.rule].sets)
    return NotesMatch(text=text, hits=hits, figures=figures_in(text), weights=weights, tags=tags, fields=fields)


def figures_reason(fig: Figures, used: set[str], currency: str = "¥") -> str | None:
    """One line naming the figures taken from the notes (only those actually used)."""
    from .recommend import money

    parts = []
    if "headcount" in used and fig.headcount is not None:
        parts.append(i18n.t("notes.figure.headcount", n=fig.headcount, quote=fig.quotes["headcount"]))
    if "budget_per_head" in used and fig.budget_per_head is not None:
        parts.append(i18n.t("notes.figure.per_head", money=money(fig.budget_per_head, currency),
                            quote=fig.quotes["budget_per_head"]))
    if "budget_total" in used and fig.budget_total is not None:
        parts.append(i18n.t("notes.figure.total", money=money(fig.budget_total, currency),
                            quote=fig.quotes["budget_total"]))
    if not parts:
        return None
    return i18n.t("notes.reason.figures", figures=i18n.t("notes.list_sep").join(parts))
