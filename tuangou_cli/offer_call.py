"""The offer for one call: from what the call said (segment, tags, fields, the Ask) to a
Recommendation built from the company's catalogue, within the buyer's rules. No I/O here:
the catalogue and the playbook are passed in (catalog_store.for_offer reads the catalogue).

The Ask comes from reading the call (the notes and the answers fill it; ask.py). When a caller
has none yet, ``ask_from_notes`` reads the little the offer cannot do without from the notes'
words: the item asked for (a catalogue category's words), a count with its unit (20台, 300人),
what was given before (冰箱、西服都发过了). It is deliberately small: the notes reader fills the
full Ask, and a caller that has one passes it.

Example::

    rec = offer_for_call(pb, catalogue, segment="office", tags=["service"],
                         fields={"headcount": 20, "budget_total": 80000},
                         notes="设备科招标采购打印机，按参数定", client_name="市人民医院")
    rec.offers[0].category   # 办公设备/打印机
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from decimal import Decimal

from .ask import Ask, Budget
from .recommend import Recommendation, ask_from_fields, offer
from .rules import buyer_of

_COUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(万|千|k)?\s*(台|套|把|张|个|件|双|具|箱|组|支|辆|份|本|位|人|名|盒|条|部|块|pcs|sets|units|staff|people)",
                    re.I)
_GIVEN = re.compile(r"(?:去年|上次|往年|以前|之前)?(?:发的是|发过的是|送的是|发了)?([^，。；,;]*?)(?:都|也)?(?:发过|给过|送过|发过了|发了个遍)")
_GIVEN_LAST = re.compile(r"(?:去年|上次|往年)(?:发的是|送的是|发了)([^，。；,;]+)")
_SPLIT = re.compile(r"[、，,和及与/]|and")
_BUDGET = re.compile(r"(?:每(?:人|份|台|套|个|件|把|张|支|双|具)|人均|单价|each|per (?:person|head|piece|unit))\s*"
                     r"(?:不超过|不超|最多|控制在|max|under|about|around)?\s*(\d+(?:\.\d+)?)\s*(万|千)?\s*(?:元|块)?\s*"
                     r"(以内|之内|以下|不超过|左右|上下|大概)?", re.I)
_BUDGET_EN = re.compile(r"(?:budget|max|under|about|around)\s*(\d+(?:\.\d+)?)()\s*(?:yuan|rmb|元)?\s*(?:per|each|a|/)\s*"
                        r"(?:set|person|head|piece|unit|suit|chair|item)s?()", re.I)
_NOT_AGAIN = re.compile(r"(?:别再发|不要再发|不要发|别发)([\u3400-\u9fff]{1,6}?)(?:了|，|。|,|$)")
_WORD_ONE = re.compile(r"(一|两|二|三)\s*(台|套|把|张|个|件|辆|部)")
_EN_COUNT = re.compile(r"(?<![\d.])(\d{1,6})\s+(?:[a-z-]+\s+){0,3}?(?:clients|staff|people|pcs|pieces|sets|units|guests|"
                       r"members|employees|managers|printers|shredders|chairs|forklifts|laptops|gifts)\b", re.I)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def given_in_notes(text: str) -> list[str]:
    """What the notes say was handed out before: 冰箱、西服、水果都发过了; 去年发的是米面油和购物卡;
    别再发毛巾了."""
    given: list[str] = []
    spans = [m.group(1) for rx in (_GIVEN, _GIVEN_LAST, _NOT_AGAIN) for m in rx.finditer(text)]
    for span in spans:
        for part in _SPLIT.split(span):
            part = re.sub(r"^(?:别再发|不要|都|也|的是|是|发的|发)", "", part.strip())
            part = re.sub(r"(?:都|也|了|等)$", "", part)
            if 1 < len(part) <= 8 and part not in given:
                given.append(part)
    return given


def items_in_notes(pb, text: str, skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(word, category path) of each category named in the notes, the one asked for first.

    Mentions are read in order; a mention right after another without a break names the head
    of a compound (打印机硒鼓 is toner), and the first such head is what is asked for."""
    folded = _fold(text)
    for w in skip:
        folded = folded.replace(_fold(w), " " * len(_fold(w)))
    found: list[tuple[int, int, str, str]] = []  # start, end, word, path
    for fw, path, latin in _category_words(pb):
        at = folded.find(fw)
        while at >= 0:
            if not latin or _whole_word(folded, at, at + len(fw)):
                found.append((at, at + len(fw), fw, path))
            at = folded.find(fw, at + 1)
    # Where mentions overlap, the longest from the same start wins (笔记本电脑 over 笔记本).
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str, str]] = []
    for f in found:
        if kept and f[0] < kept[-1][1]:
            continue
        kept.append(f)
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(kept):
        j = i
        while j + 1 < len(kept) and kept[j + 1][0] == kept[j][1]:  # 打印机|硒鼓: a compound
            j += 1
        out.append((kept[j][2], kept[j][3]))
        out += [(k[2], k[3]) for k in kept[i:j]]
        i = j + 1
    # A later, longer name of the same goods says which form of them (发水果，用水果卡: a fruit card).
    for i, (word, _) in enumerate(out):
        longer = next((x for x in out[i + 1:] if x[0] != word and x[0].startswith(word)), None)
        if longer is not None:
            out[i] = longer
    seen: set[str] = set()
    return [x for x in out if not (x[1] in seen or seen.add(x[1]))]


_WORDS: dict[int, tuple[object, list]] = {}


def _category_words(pb) -> list:
    """(folded word, category path, whether it is a Latin word) of the playbook's category words,
    worked out once per playbook (hundreds of words, each looked for in every note)."""
    cats = pb.catalog.categories
    kept = _WORDS.get(id(pb))
    if kept is not None and kept[0] is cats:
        return kept[1]
    out = [(fw, d.path.zh, not _CJK.search(fw)) for d in cats for fw in map(_fold, d.words)]
    _WORDS[id(pb)] = (cats, out)
    return out


_CJK = re.compile(r"[\u3400-\u9fff]")


def _whole_word(text: str, start: int, end: int) -> bool:
    """A Latin word there on its own (a plural s or es allowed): printers, not reprinted."""
    def alnum(i: int) -> bool:
        return 0 <= i < len(text) and (text[i].isascii() and text[i].isalnum())

    if alnum(start - 1):
        return False
    for tail in ("", "s", "es"):
        if text.startswith(tail, end) and not alnum(end + len(tail)):
            return True
    return False


def item_in_notes(pb, text: str, skip: tuple[str, ...] = ()) -> tuple[str | None, str | None]:
    found = items_in_notes(pb, text, skip)
    return found[0] if found else (None, None)


def ask_from_notes(pb, text: str | None) -> Ask:
    """The item, the count and unit, a budget and what was given before, as the notes say them."""
    if not text:
        return Ask()
    given = given_in_notes(text)
    item, category = item_in_notes(pb, text, tuple(given))
    norm = unicodedata.normalize("NFKC", text)
    quantity = unit = None
    for m in _COUNT.finditer(norm):
        n = float(m.group(1)) * {"万": 10000, "千": 1000, "k": 1000}.get((m.group(2) or "").casefold(), 1)
        if n >= 1 and n == int(n) and not _is_money(norm, m):
            quantity, unit = int(n), m.group(3)
            if unit in ("位", "名", "staff", "people"):
                unit = "人"
            break
    if quantity is None:
        m = _WORD_ONE.search(norm)
        if m:
            quantity, unit = {"一": 1, "两": 2, "二": 2, "三": 3}[m.group(1)], m.group(2)
    if quantity is None:
        m = _EN_COUNT.search(norm)
        if m:
            quantity = int(m.group(1))
    budget = None
    m = _BUDGET.search(norm) or _BUDGET_EN.search(norm)
    if m:
        amount = Decimal(m.group(1)) * {"万": 10000, "千": 1000}.get(m.group(2) or "", 1)
        kind = "target" if (m.group(3) or "").casefold() in ("左右", "上下", "大概") or \
            re.search(r"about|around", m.group(0), re.I) else "cap"
        budget = Budget(amount, "per_head", kind)  # the basis is set by the segment (offer_for_call)
    return Ask(item=item, category=category, quantity=quantity, unit=unit, budget=budget, given_before=tuple(given))


def call_ask(pb, notes: str | None, segment: str | None = None, match=None) -> Ask:
    """The Ask of a call's notes: the notes reader's figures, occasion, recipients and what was
    given before (notes.py), with the item and its category read by the catalogue's category words
    (the vocabulary the offer is chosen from) — the notes reader's own item where those name none."""
    if not notes:
        return Ask()
    if match is None:
        from .notes import read_notes

        match = read_notes(pb, notes)
    read = match.ask_for(pb, segment)
    small = ask_from_notes(pb, notes)
    given = tuple(dict.fromkeys([*read.given_before, *small.given_before]))
    given = tuple(g for g in given if not any(g != w and g in w for w in given))
    given = tuple(g for g in given if not _wanted_again(notes, g))
    item, category = item_in_notes(pb, notes, given) if given != small.given_before else (small.item, small.category)
    if item is None and read.item not in given:
        item = read.item
    quantity, unit = read.quantity, read.unit
    own = _count_of(match, item)
    if own is not None:
        quantity, unit = own.value, own.unit
    elif quantity is None:
        quantity, unit = small.quantity, small.unit
    return replace(read, item=item, category=category or read.category, given_before=given,
                   quantity=quantity, unit=unit)


_LIST_BREAK = re.compile(r"[，,。；;、\n+]|(?:还有|另外|以及|再要|再来|和|及)|\band\b|\bplus\b")


_AGAIN = r"(?:今年还要|今年还是|今年继续|还要|还是要|继续送|继续发|继续|照样|照旧|again|once more|same as last year)"


def _wanted_again(notes: str, goods: str) -> bool:
    """去年发的月饼大家很喜欢，今年还要月饼: handed out before and asked for again."""
    folded, g = _fold(notes), re.escape(_fold(goods))
    return bool(re.search(_AGAIN + r"[^，。；,.;]{0,4}?" + g, folded) or re.search(g + r"[^，。；,.;]{0,6}?" + _AGAIN, folded))


def _count_of(match, item: str | None):
    """The count said with the item itself, when the notes give several (办公椅30把、文件柜10个、
    打印机2台, 先报椅子: 30): the one in the same stretch of the list as the item's name."""
    qs = match.reading.quantities
    if item is None or len(qs) < 2:
        return None
    from .notes import fold

    text = match.compacted
    pos = text.find(fold(item).replace(" ", ""))
    if pos < 0:
        return None
    starts = [0] + [m.end() for m in _LIST_BREAK.finditer(text)]
    begin = max(s for s in starts if s <= pos)
    end = next((m.start() for m in _LIST_BREAK.finditer(text, pos)), len(text))
    near = [q for q in qs if begin <= q.start < end]
    return near[0] if len(near) == 1 else None


def _is_money(text: str, m) -> bool:
    after = text[m.end(): m.end() + 1]
    return after in ("元", "块") or text[max(0, m.start() - 1): m.start()] in ("¥", "￥")


def offer_for_call(pb, catalogue, *, segment: str, tags: list[str] | None = None, fields: dict | None = None,
                   ask: Ask | None = None, notes: str | None = None, client_name: str | None = None,
                   answers: dict | None = None, limit: int = 3, lang: str | None = None,
                   explain: bool = True) -> Recommendation:
    """The offer: the Ask (given, else read from the notes) completed from the record's fields,
    priced the way this segment pays, within the rules for this buyer."""
    from .recommend import BASIS_OF_SEGMENT

    fields = dict(fields or {})
    if ask is None:
        ask = call_ask(pb, notes, segment)
    if ask.category:
        # What they want to buy tells how it is bought when the call did not say what kind of
        # buyer this is, or said a kind the item is never sold to (calendars are gifts).
        own = segment_of_category(catalogue, ask.category, segment)
        if own is not None:
            segment = own
    if segment not in BASIS_OF_SEGMENT and ask.item:
        segment = "office"  # an item asked for by name, nothing known of the buyer: units of it
    basis = BASIS_OF_SEGMENT.get(segment, "per_head")
    if ask.budget is not None and ask.budget.basis != "total" and ask.budget.basis != basis:
        ask = replace(ask, budget=replace(ask.budget, basis=basis))
    ask = ask_from_fields(segment, fields, ask)
    buyer = buyer_of(pb, name=client_name, industry=fields.get("industry"), segment=segment, answers=answers,
                     notes=notes)
    buyer = replace(buyer, recipients=ask.recipients or notes)
    kwargs = dict(catalogue=catalogue, buyer=buyer, wanted_tags=tags, budget_per_head=fields.get("budget_per_head"),
                  budget_total=fields.get("budget_total"), occasion=fields.get("occasion"), limit=limit, lang=lang,
                  explain=explain)
    rec = offer(pb, segment, ask, **kwargs)
    if ask.category and notes and rec.offers and rec.category and not any(
            o.offering.in_category(rec.category) for o in rec.offers):
        # Everything of the asked category is ruled out (白酒 for a government office): the next
        # thing the notes ask for (茶叶) comes before whatever else the rules allow.
        for word, path in items_in_notes(pb, notes, ask.given_before)[1:]:
            nxt = offer(pb, segment, replace(ask, item=word, category=path), **kwargs)
            if nxt.offers and any(o.offering.in_category(path) for o in nxt.offers):
                nxt.rules = [*rec.rules, *(h for h in nxt.rules if h not in rec.rules)]
                nxt.note = " ".join(x for x in (rec.note, nxt.note) if x) or None
                nxt.warnings = [*rec.warnings, *nxt.warnings]
                return nxt
    return rec


def segment_of_category(catalogue, category: str, segment: str | None = None) -> str | None:
    """The segment the products of a category are for, when ``segment`` is not among them
    (None: keep the segment, or nothing of that category is sold)."""
    from collections import Counter

    from .catalog import in_category

    products = [p for p in catalogue.products.values()
                if p.active and p.segments and in_category(p.category.zh, category)]
    if not products or any(segment in p.segments for p in products):
        return None
    return Counter(p.segments[0] for p in products).most_common(1)[0][0]


def offer_from(source, pb, *, segment: str, tags: list[str] | None = None, fields: dict | None = None,
               ask: Ask | None = None, notes: str | None = None, client_name: str | None = None,
               answers: dict | None = None, limit: int = 3, lang: str | None = None,
               explain: bool = True, match=None) -> Recommendation:
    """offer_for_call() on the catalogue ``source`` gives (offering.CatalogueSource), reading only
    what this ask can use: the asked category, else the segment."""
    given = ask if ask is not None else call_ask(pb, notes, segment, match)
    part = _wanted_part(pb, given, segment, fields)
    if notes and len(items_in_notes(pb, notes, given.given_before)) > 1:
        # Several items named: if the first is ruled out the next is offered (offer_for_call), so
        # the part read must hold them all.
        part = {"category": None, "segment": None, "occasions": part["occasions"]}
    catalogue = source(**part)
    return offer_for_call(pb, catalogue, segment=segment, tags=tags, fields=fields, ask=given, notes=notes,
                          client_name=client_name, answers=answers, limit=limit, lang=lang, explain=explain)


def _wanted_part(pb, ask: Ask, segment: str, fields: dict | None) -> dict:
    from .catalog import Catalogue
    from .recommend import accepted_occasions, occasion_of, resolve_category

    category = None
    if ask.category or ask.item:
        category, _ = resolve_category(pb, Catalogue(), ask)  # by the playbook's category words
    occasions = accepted_occasions(pb, occasion_of(pb, ask.occasion or (fields or {}).get("occasion")))
    return {"category": category, "segment": None if category else segment, "occasions": occasions}


def price_one(source, pb, code: str, *, segment: str, tags: list[str] | None = None, fields: dict | None = None,
              ask: Ask | None = None, notes: str | None = None, client_name: str | None = None,
              answers: dict | None = None, match=None) -> Recommendation:
    """The one offering ``code`` names (a bundle or a product), priced for this ask whatever its
    fit: a rep who chose it sees its total, the budget it passes and the rules it meets."""
    from . import i18n
    from .catalog import Catalogue
    from .errors import UsageError

    catalogue = source()
    chosen = catalogue.offering(code)
    if chosen is None:
        raise UsageError(i18n.t("pitch.unknown_offering", code=code))
    given = ask if ask is not None else call_ask(pb, notes, segment, match)
    # Only the chosen offering, asked for as itself: no category or occasion leaves it out.
    alone = Catalogue({ln.product.code: ln.product for ln in chosen.lines}, [] if chosen.single else [chosen])
    # Asked for by its own category, so no segment, occasion or history leaves it out.
    given = replace(given, item=None, category=chosen.categories[0] if chosen.categories else None,
                    occasion=None, given_before=())
    fields = {k: v for k, v in (fields or {}).items() if k != "occasion"}
    rec = offer_for_call(pb, alone, segment=segment, tags=tags, fields=fields, ask=given, notes=None,
                         client_name=client_name, answers=answers, limit=1)
    if not rec.offers:
        from . import i18n
        from .recommend import offer as engine_offer

        # Above the budget (or ruled out): priced all the same, for this buyer, the note saying why.
        loose = replace(rec.ask or given, budget=None)
        buyer = buyer_of(pb, name=client_name, industry=(fields or {}).get("industry"), segment=segment,
                         answers=answers, notes=notes)
        again = engine_offer(pb, segment, loose, catalogue=alone, limit=1, buyer=buyer,
                             headcount=(fields or {}).get("headcount"))
        no_budget = i18n.t("offer.reason.no_budget")
        for o in again.offers:
            o.reasons = [r for r in o.reasons if r != no_budget]
            o.rules = list(dict.fromkeys([*rec.rules, *o.rules]))
        said = {w.text for w in rec.warnings}
        again.warnings = [*rec.warnings, *(w for w in again.warnings if w.text not in said)]
        again.rules = list(dict.fromkeys([*rec.rules, *again.rules]))
        again.note, again.ask = rec.note, rec.ask
        return again
    return rec


def offer_from_store(app_ctx, pb, **kwargs) -> Recommendation:
    """offer_from() on the catalogue in the database (or the shipped default when there is none)."""
    from .store.catalog import source_for

    return offer_from(source_for(app_ctx, pb), pb, **kwargs)
