"""The figures in call notes: how many, of what, at what budget on what basis, cap or target.

Pure: no I/O. Numbers are read by :mod:`numbers` (the one reader the imports and prompts use);
this module decides what each number *is* from the words around it:

* a quantity and its unit: 300人, 一百六十位, 八十号人, 20台, 2000份, 3k份, "200 ppl", "120 sets";
* a budget, its basis and its kind: 人均三百 (per head), 每盒不超过80 (per piece, cap), 单价 5000
  左右 (per unit, target), 预算 也就 8w (total, cap), "max RMB 40/box", "cap 120 per head", "~80 each";
* figures seen but not read (三百来个, 两三百人, 几百块, "a few hundred"), so they can be confirmed
  instead of guessed.

Example::

    >>> r = read_figures("三百人 人均150左右")
    >>> (r.quantity.value, r.quantity.unit, r.budgets[0].amount, r.budgets[0].basis, r.budgets[0].kind)
    (300, '人', 150.0, 'per_head', 'target')
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .numbers import CN_CHARS, CN_DIGITS, NUMBER, token_value, vague_at, vague_words

# --- units -------------------------------------------------------------------------------------
# What a counted unit is: people, machines (per unit), sets, pieces. The basis of a budget stated
# per such a unit follows from it (¥/人 per head, ¥/台 per unit, ¥/盒 per piece).
PEOPLE, MACHINE, SET, PIECE = "people", "machine", "set", "piece"

_ZH_UNITS = {
    "号人": ("人", PEOPLE), "个人": ("人", PEOPLE), "人": ("人", PEOPLE), "位": ("人", PEOPLE),
    "名": ("人", PEOPLE), "户": ("户", PEOPLE), "家": ("户", PEOPLE),
    "台": ("台", MACHINE), "辆": ("辆", MACHINE), "部": ("部", MACHINE),
    "套": ("套", SET), "组": ("套", SET),
    "盒": ("盒", PIECE), "只": ("只", PIECE), "份": ("份", PIECE), "件": ("件", PIECE), "张": ("张", PIECE),
    "个": ("个", PIECE), "箱": ("箱", PIECE), "袋": ("袋", PIECE), "瓶": ("瓶", PIECE), "本": ("本", PIECE),
    "支": ("支", PIECE), "把": ("把", PIECE), "条": ("条", PIECE), "双": ("双", PIECE), "提": ("提", PIECE),
    "罐": ("罐", PIECE), "束": ("束", PIECE), "桶": ("桶", PIECE), "顶": ("顶", PIECE), "块": ("块", PIECE),
    "架": ("架", MACHINE), "盏": ("盏", PIECE), "盆": ("盆", PIECE), "枚": ("枚", PIECE), "副": ("副", PIECE),
    "斤": ("斤", PIECE), "公斤": ("公斤", PIECE), "卷": ("卷", PIECE), "座": ("座", MACHINE), "间": ("间", PIECE),
    "具": ("具", PIECE),
    "礼盒": ("盒", PIECE), "大礼包": ("份", PIECE), "礼包": ("份", PIECE),
}
_EN_UNITS = {
    "ppl": ("人", PEOPLE), "people": ("人", PEOPLE), "persons": ("人", PEOPLE), "person": ("人", PEOPLE),
    "pax": ("人", PEOPLE), "heads": ("人", PEOPLE), "head": ("人", PEOPLE), "staff": ("人", PEOPLE),
    "staffers": ("人", PEOPLE), "employees": ("人", PEOPLE), "workers": ("人", PEOPLE),
    "members": ("人", PEOPLE), "colleagues": ("人", PEOPLE), "guests": ("人", PEOPLE),
    "customers": ("人", PEOPLE), "clients": ("人", PEOPLE), "recipients": ("人", PEOPLE),
    "nurses": ("人", PEOPLE), "teachers": ("人", PEOPLE), "drivers": ("人", PEOPLE), "doctors": ("人", PEOPLE),
    "engineers": ("人", PEOPLE), "retirees": ("人", PEOPLE), "residents": ("人", PEOPLE),
    "depositors": ("人", PEOPLE), "volunteers": ("人", PEOPLE), "attendees": ("人", PEOPLE),
    "participants": ("人", PEOPLE), "delegates": ("人", PEOPLE), "partners": ("人", PEOPLE),
    "seats": ("人", PEOPLE), "households": ("户", PEOPLE), "families": ("户", PEOPLE), "homes": ("户", PEOPLE),
    "units": ("台", MACHINE), "unit": ("台", MACHINE), "machines": ("台", MACHINE), "printers": ("台", MACHINE),
    "laptops": ("台", MACHINE), "computers": ("台", MACHINE), "pcs": ("件", PIECE), "pc": ("件", PIECE),
    "monitors": ("台", MACHINE), "cars": ("辆", MACHINE), "vehicles": ("辆", MACHINE), "suvs": ("辆", MACHINE),
    "vans": ("辆", MACHINE), "buses": ("辆", MACHINE), "phones": ("台", MACHINE), "tablets": ("台", MACHINE),
    "projectors": ("台", MACHINE), "desks": ("张", PIECE), "chairs": ("把", PIECE),
    "sets": ("套", SET), "set": ("套", SET), "kits": ("套", SET), "suits": ("套", SET),
    "pieces": ("件", PIECE), "piece": ("件", PIECE), "items": ("件", PIECE), "boxes": ("盒", PIECE),
    "box": ("盒", PIECE), "packs": ("份", PIECE), "pack": ("份", PIECE), "packages": ("份", PIECE),
    "bags": ("袋", PIECE), "bottles": ("瓶", PIECE), "cards": ("张", PIECE), "gifts": ("份", PIECE),
    "hampers": ("份", PIECE), "copies": ("份", PIECE), "cups": ("个", PIECE), "mugs": ("个", PIECE),
    "umbrellas": ("把", PIECE), "tins": ("罐", PIECE), "jackets": ("件", PIECE), "shirts": ("件", PIECE),
    "uniforms": ("套", SET), "coats": ("件", PIECE), "calendars": ("本", PIECE), "notebooks": ("本", PIECE),
    "pens": ("支", PIECE), "portions": ("份", PIECE), "parcels": ("份", PIECE), "cases": ("箱", PIECE),
    "crates": ("箱", PIECE), "vouchers": ("张", PIECE), "coupons": ("张", PIECE),
}
_ZH_UNIT_RE = "|".join(sorted(map(re.escape, _ZH_UNITS), key=len, reverse=True))
_EN_UNIT_RE = "|".join(sorted(map(re.escape, _EN_UNITS), key=len, reverse=True))

_ENDS_WITH_NUMBER = re.compile(r"(?:\d|[一二两三四五六七八九十百千万亿kw])\s?$")
_RANGE_TOKEN = re.compile(r"[一二两三四五六七八九]{2}[十百千万]+")  # 两三百, 五六千: a range
_JIAO = re.compile(r"([一二两三四五六七八九1-9])(?![\d十百千万亿一二三四五六七八九零]|\s?(?:块|元|人|份|个|台|套|盒|件|张|角|毛))")
_PER_SOMETHING = re.compile(r"每(?:个|一)?[\u4e00-\u9fff]{1,2}\s?$|\bper\s[a-z]+\s?$|\b(?:one|1)\s(?:per|a)\s[a-z]+\s?$")
_PRICE_OF_ONE = re.compile(rf"\s?(?!块)(?:{_ZH_UNIT_RE})\s?(?:不超过|最多|[\d一二三四五六七八九十百千]|max|under)")
_UNIT_AFTER_VAGUE = re.compile(rf"\s?(?:{_ZH_UNIT_RE}|{_EN_UNIT_RE}|元|块)?")
_UNIT_AFTER = re.compile(rf"-(?P<dash>person|people|strong|head)\b|\s?(?:多|余|来)?\s?(?:个|位|名)?\s?(?P<zh>{_ZH_UNIT_RE})"
                         rf"(?!均|民|次|员(?!工))|\s?\+?\s?(?:(?:[a-z]+[- ])?(?P<en>{_EN_UNIT_RE})\b)")

# After a number, what makes it not a count: time, size, weight, percent, dates, model numbers.
_NOT_A_FIGURE = re.compile(
    r"\s?(?:年(?!终|底|货)|月|日|号(?!人)|点|时|小时|分钟|天|周|星期|岁|%|‰|折|倍|寸|英寸|g\b|gb|tb|kg|ml|l\b|个装|只装|装"
    r"|克|升|匹|米|cm|mm|km|公里|级|层|楼|期|届|周年|年级|次|档|款|种|样|类|项|家店|个月|核|代"
    r"|\s?(?:years?|months?|weeks?|days?|hours?|yrs?|am|pm|percent|inch|inches|floors?|th|st|nd|rd|x)\b)"
)
_MONEY_AFTER = re.compile(r"\s?(?:来|多|余)?\s?(?:元|块钱|块|rmb|yuan|cny|kuai|bucks|quid|刀)(?![a-z])")
_MONEY_BEFORE = re.compile(r"(?:[¥$]|rmb|cny)\s?$")

# A budget stated per something: after the money (500元/人, 40/box, 120 per head, 80 each,
# 一人500 is handled before the number).
_PER_AFTER = re.compile(
    rf"\s?(?:/|每|一|per\s|a\s|an\s)\s?(?:个)?(?P<zh>{_ZH_UNIT_RE})"
    rf"|\s?(?:/|per\s?|a\s|an\s)\s?(?P<en>person|head|capita|pax|employee|staff|member|guest|customer|client|"
    rf"household|family|box|pc|piece|pack|set|unit|gift|hamper|card|bag|bottle|item|kit|{_EN_UNIT_RE})\b"
    rf"|\s?(?P<each>each|apiece|ea\b)"
)
_PER_EN = {"person": PEOPLE, "head": PEOPLE, "capita": PEOPLE, "pax": PEOPLE, "employee": PEOPLE, "staff": PEOPLE,
           "member": PEOPLE, "guest": PEOPLE, "customer": PEOPLE, "client": PEOPLE, "household": PEOPLE,
           "family": PEOPLE, "box": PIECE, "pc": PIECE, "piece": PIECE, "pack": PIECE, "set": SET, "unit": MACHINE,
           "gift": PIECE, "hamper": PIECE, "card": PIECE, "bag": PIECE, "bottle": PIECE, "item": PIECE, "kit": SET}

# Before the number (read backwards over a few characters of the same clause).
_PER_BEFORE = re.compile(
    r"(?P<head>人均|每人|每位|每个人|每名|一人|一个人|每个员工|每位员工|每个职工)"
    r"|(?P<each>每户|每家|每一户|每一家|each|apiece)"
    r"|(?P<piece>每盒|一盒|每份|一份|每件|一件|每个|单个|每只|每张|每箱|每袋|每瓶|单件|单品|单盒|单份|客单价|一个"
    r"|每本|一本|每把|每条|每双|每提|每罐|每束|每桶|每顶|每支|每盏|每盆|每包|一包|每礼盒)"
    r"|(?P<unit>每台|一台|每辆|一辆|每部|单台|单辆)"
    r"|(?P<set>每套|一套|单套)"
    r"|(?P<price>单价|均价|价位|价格)"
    r"|(?P<en_head>per[- ]head|per[- ]person|per[- ]capita|per[- ]employee|per[- ]staff|a head|each person"
    r"|per household|per family)"
    r"|(?P<en_piece>per[- ]box|per[- ]piece|per[- ]pc|per[- ]gift|per[- ]pack|per[- ]item|per[- ]hamper|a box"
    r"|a piece|each gift|each box)"
    r"|(?P<en_unit>per[- ]unit|per[- ]machine|per[- ]car|per[- ]vehicle|per[- ]printer)"
    r"|(?P<en_set>per[- ]set|per[- ]kit)"
    r"|(?P<en_price>unit price|price each|price per unit)"
)
_TOTAL_BEFORE = re.compile(
    r"总预算|预算总额|预算总共|总价|总共|一共|合计|总额|总计|共计|总金额|总费用|整体预算|总盘子|盘子"
    r"|total budget|budget total|overall budget|in total|total|all in|all-in|overall"
)
_TOTAL_AFTER = re.compile(r"\s?(?:的)?(?:总价|总预算|总额|总共|总包|打包|total|in total|altogether|all in|overall)")
_BUDGET_BEFORE = re.compile(r"预算|budget|经费|费用|资金|花费|标准|spend|报价|价钱|钱")
_BUDGET_AFTER = re.compile(r"\s?(?:的)?(?:预算|budget|经费)")
_CAP = re.compile(
    r"不超过|不超|不高于|不能超|别超|最多|最高|顶多|封顶|上限|控制在|以内|以下|之内|内|也就|只有|就|≤|<=|<|max(?:imum)?"
    r"|under|below|no more than|not more than|not over|up to|at most|within|cap(?:ped)?(?: at)?|tops|limit"
)
_TARGET = re.compile(r"左右|上下|大概|大约|约|差不多|大致|估计|~|≈|about|around|approx(?:imately)?\.?|roughly|circa|ish")
_CAP_AFTER = re.compile(r"\s?(?:以内|以下|之内|内|封顶|为上限|max|or less|tops|at most|top|or under)")
_TARGET_AFTER = re.compile(r"\s?(?:左右|上下|的样子|附近|ish|-ish|or so|give or take)")
# Words a budget's number may be separated from its lead word by: 每人预算 大概 在 ¥300.
_FILL = re.compile(
    r"(?:\s|预算|标准|费用|价格|价位|消费|成本|在|是|为|大概|大约|约|差不多|控制在|不超过|不超|最多|最高|顶多|也就|就|只有|"
    r"上限|封顶|:|=|is|of|at|around|about|approx\.?|roughly|up to|under|below|max|maximum|cap|capped|no more than|"
    r"within|budget|spend|price|[¥$~≈≤<]|<=|rmb|cny|元|的|给|定|要|想|打算|准备|计划|了|也|都|得|能|可以|左右)*$"
)
@dataclass(frozen=True)
class Quantity:
    value: int
    unit: str  # 人, 台, 套, 份 …
    kind: str  # people, machine, set, piece
    quote: str
    start: int


@dataclass(frozen=True)
class BudgetFigure:
    amount: float
    basis: str  # per_unit, per_head, per_piece, total — or "per" (per something, basis by segment)
    kind: str  # cap or target
    quote: str
    start: int
    per: str | None = None  # people, machine, set, piece when stated per something
    explicit: bool = True  # said as a budget (a lead word, a currency, 以内 …), not only inferred


@dataclass(frozen=True)
class UnreadFigure:
    text: str
    looks_like: str  # quantity or budget
    start: int


@dataclass
class FigureReading:
    quantities: list[Quantity] = field(default_factory=list)
    budgets: list[BudgetFigure] = field(default_factory=list)
    unread: list[UnreadFigure] = field(default_factory=list)

    @property
    def quantity(self) -> Quantity | None:
        return self.quantities[0] if self.quantities else None


_CLAUSE_MARK = re.compile(r"[,.;!?。!?;\n()\[\]]|\s-+\s|而是|但是")


def _clause_start(marks: list[int], pos: int) -> int:
    """Where the clause holding ``pos`` starts, from the ends of the text's clause marks."""
    i = bisect.bisect_right(marks, pos) - 1
    return marks[i] if i >= 0 else 0


def _kind(before: str, after_text: str) -> str:
    if _TARGET_AFTER.match(after_text):
        return "target"
    if _CAP_AFTER.match(after_text):
        return "cap"
    last_cap = max((m.end() for m in _CAP.finditer(before)), default=-1)
    last_target = max((m.end() for m in _TARGET.finditer(before)), default=-1)
    if last_target > last_cap:
        return "target"
    return "cap"


def read_figures(text: str) -> FigureReading:
    """Every count and budget in folded, space-compacted notes ``text``, in order of mention."""
    out = FigureReading()
    taken: list[tuple[int, int]] = []
    vagues = vague_words(text)
    marks: list[int] | None = None
    found = list(NUMBER.finditer(text))  # scanned once: every pass below walks the same numbers
    for m in found:
        raw = m.group()
        if vagues and any(v.start <= m.start() < v.end for v in vagues):
            continue
        if not raw.strip():
            continue
        start, end = m.start(), m.end()
        if raw in ("一", "1", "one", "a") and _PRICE_OF_ONE.match(text, end):
            continue  # 一台不超过5000, 一盒80: the price of one, not an order of one
        prev = text[start - 1:start]
        if prev in ("x", "×") and raw[0].isdigit() and not text[start - 2:start - 1].isalnum():
            word = re.search(r"([a-z\u4e00-\u9fff]+)\s?[x×]$", text[max(0, start - 20):start])
            unit = _EN_UNITS.get(word.group(1)) if word else None
            value = token_value(raw)
            if value and value == int(value) and value >= 1:
                out.quantities.append(Quantity(int(value), unit[0] if unit else "件", unit[1] if unit else PIECE,
                                               text[start - 1:end], start))
            continue  # servers x4, freezers x6
        if prev == "第" or (prev.isascii() and prev.isalnum() and raw[0].isdigit()):
            continue  # 第二人民医院, A4, x200
        if raw[0].isdigit() and _YEAR.fullmatch(raw) and not _COUNTED_YEAR.match(text, end):
            continue  # 2023 was wine: a year
        if raw[0].isdigit() and _LONG_DIGITS.fullmatch(raw.replace(",", "")):
            continue  # a phone number or an id
        after = text[end:end + 40]
        if _NOT_A_FIGURE.match(after) and not _YEAR_END.match(after):
            continue
        if marks is None:
            marks = [m.end() for m in _CLAUSE_MARK.finditer(text)]
        clause = _clause_start(marks, start)
        before = text[max(clause, start - 24):start]
        vague = vague_at(text, start, end)
        fig = _read_one(text, raw, start, end, before, vague)
        if fig is None:
            continue
        if isinstance(fig, UnreadFigure):
            if not any(u.start <= start < u.start + len(u.text) for u in out.unread):
                out.unread.append(fig)
            taken.append((fig.start, fig.start + len(fig.text)))
        elif isinstance(fig, Quantity):
            out.quantities.append(fig)
        else:
            out.budgets.append(fig)
    if not out.quantities:
        # "one each, ~180": an amount said only "about", with nothing else counted, is the count.
        loose = [b for b in out.budgets if b.basis == "bare" and not b.explicit and b.kind == "target"
                 and b.amount == int(b.amount) and b.amount >= 10]
        if loose and len(out.budgets) > 1 or loose and not any(b.explicit for b in out.budgets):
            b = loose[0]
            out.budgets.remove(b)
            out.quantities.append(Quantity(int(b.amount), "", PIECE, b.quote, b.start))
    taken += [(b.start, b.start + 1) for b in out.budgets]
    taken += [(q.start, q.start + len(q.quote)) for q in out.quantities]
    for m in (found if _MAYBE_VAGUE.search(text) else ()):
        # A vague number with nothing after it (人 一百多, 30-40 a month) is still a figure not read.
        raw = m.group()
        if not raw.strip() or any(a <= m.start() < b for a, b in taken) or (raw[0].isascii() and raw[0].isalpha()) \
                or any(v.start <= m.start() < v.end for v in vagues):
            continue
        if not vague_at(text, m.start(), m.end()) or re.fullmatch(r"(?:19|20)\d\d", raw):
            continue
        span = _vague_span(text, m.start(), m.end())
        if not re.search(r"[多来余几]|\d\s?[-~到至]\s?\d|odd|something", span):
            continue  # 三八 (Women's Day), 五一: a name, not an approximation
        tail = text[m.start() + len(span):m.start() + len(span) + 6] if text.startswith(span, m.start()) else ""
        if _NOT_A_FIGURE.match(text, m.end()) or (tail and _NOT_A_FIGURE.match(tail)) or len(span) < 2:
            continue
        if any(u.start <= m.start() < u.start + len(u.text) + 1 for u in out.unread):
            continue
        out.unread.append(UnreadFigure(span, "quantity", m.start()))
        taken.append((m.start(), m.start() + len(span)))
    if not out.quantities:
        for m in found:
            raw = m.group()
            if not raw.strip() or any(v.start <= m.start() < v.end for v in vagues):
                continue
            if any(b.start <= m.start() <= b.start + len(b.quote) + 2 for b in out.budgets) or \
                    any(u.start <= m.start() < u.start + len(u.text) for u in out.unread):
                continue
            value = token_value(raw)
            prev = text[m.start() - 1:m.start()]
            after = text[m.end():m.end() + 3]
            if value is None or value != int(value) or value < 10 or (prev.isascii() and prev.isalnum()) \
                    or prev == "第" or _NOT_A_FIGURE.match(after) or _MONEY_AFTER.match(after) \
                    or re.fullmatch(r"\d{5,}|(?:19|20)\d\d", raw.replace(",", "")) or raw[0] in CN_CHARS and len(raw) < 2 \
                    or vague_at(text, m.start(), m.end()) or re.match(r"\s?(?:/|per|each)", after):
                continue
            # A whole number standing alone among the notes' words (", 300,", "~180") is the count.
            out.quantities.append(Quantity(int(value), "", PIECE, raw, m.start()))
            break
    for v in vagues:
        if any(a <= v.start < b for a, b in taken) or any(u.start == v.start for u in out.unread):
            continue
        after = text[v.end:v.end + 6]
        looks = "budget" if _MONEY_AFTER.match(after) or _BUDGET_BEFORE.search(text[max(0, v.start - 6):v.start]) \
            or re.search(r"(?:块|元)$", v.text) else "quantity"
        unit = _UNIT_AFTER_VAGUE.match(after)
        out.unread.append(UnreadFigure((v.text + (unit.group() if unit else "")).strip(), looks, v.start))
    out.unread.sort(key=lambda u: u.start)
    return out


def per_before_any(before: str) -> bool:
    return any(_FILL.match(before[m.end():]) for m in _PER_BEFORE.finditer(before))


# Any word before a number that could make it a price, a budget or a per-something count; without
# one, a number followed by a unit is simply a count (the common case, read without the rest).
_ANY_LEAD = re.compile(_PER_BEFORE.pattern + "|" + _TOTAL_BEFORE.pattern + "|" + _BUDGET_BEFORE.pattern + "|"
                       + _CAP.pattern + "|" + _TARGET.pattern + r"|[¥$]|rmb|cny|每|per\b")


def _read_one(text: str, raw: str, start: int, end: int, before: str, vague: bool):
    if not vague and raw[0] in "0123456789" and not _ANY_LEAD.search(before):
        quick = _UNIT_AFTER.match(text, end, end + 30)
        if quick and quick.group("zh") and quick.group("zh") != "块" and not _MORE_AFTER.match(text, end) \
                and not _PER_AFTER.match(text, end) and not _MONEY_AFTER.match(text, end):
            value = token_value(raw)
            unit, kind = _ZH_UNITS[quick.group("zh")]
            if value is not None and value == int(value) and (value >= 2 or value == 1 and kind in (MACHINE, SET)):
                return Quantity(int(value), unit, kind, text[start:quick.end()].strip(), start)
    value = token_value(raw)
    money_after = _MONEY_AFTER.match(text, end)
    pos = money_after.end() if money_after else end
    if money_after and value is not None and money_after.group().strip() in ("块", "元"):
        jiao = _JIAO.match(text, pos)
        if jiao:  # 两块五 = 2.5, 3元5 = 3.5
            value += (CN_DIGITS.get(jiao.group(1)) if jiao.group(1) in CN_DIGITS else int(jiao.group(1))) / 10
            pos = jiao.end()
    multiplied = not _MULTIPLIER_CHARS.isdisjoint(raw)
    per_after = _PER_AFTER.match(text, pos)
    per_before = None
    lead = None
    bare = not before.strip()
    for pm in () if bare else _PER_BEFORE.finditer(before):
        if _FILL.match(before[pm.end():]):
            per_before, lead = pm, pm
    total_before = None
    for tm in () if bare else _TOTAL_BEFORE.finditer(before):
        if _FILL.match(before[tm.end():]):
            total_before = tm
    budget_before = None
    for bm in () if bare else _BUDGET_BEFORE.finditer(before):
        if _FILL.match(before[bm.end():]) and not _ENDS_WITH_NUMBER.search(before, 0, bm.start()):
            budget_before = bm  # (30w预算 三百五十人: that 预算 is the 30w's, not the count's)
    money_before = _MONEY_BEFORE.search(before)
    cap_before = None
    for cm in () if bare else _CAP.finditer(before):
        if _FILL.match(before[cm.end():]) and cm.group() not in ("就", "内", "也就", "只有"):
            cap_before = cm
    target_before = None
    for tm in () if bare else _TARGET.finditer(before):
        if _FILL.match(before[tm.end():]) and tm.group() not in ("约",):
            target_before = tm
    total_after = _TOTAL_AFTER.match(text, pos)
    budget_after = _BUDGET_AFTER.match(text, pos)
    after_text = text[pos:pos + 12]
    # A count: the number followed by a unit (300人, 20台, 3k份, 200 ppl) and not a price per unit.
    unit_m = _UNIT_AFTER.match(text[end:end + 30])
    is_money = bool(money_after or money_before or per_before or total_before or budget_before or per_after
                    or total_after or budget_after)
    if (raw[0].isascii() and raw[0].isalpha()) and not (money_after or money_before):
        is_money = False  # "one each", "two per table": counts in words, not prices
    if unit_m and per_before and not money_after and per_before.lastgroup not in ("price", "en_price"):
        return None  # 每人3件, 每盒6个: a count inside each, not the order
    if per_before is not None and per_before.lastgroup in ("price", "en_price") and unit_m and not money_after:
        per_before = None  # 价格 一千个: asking the price of a thousand
    if unit_m and not money_after and not per_before and not (total_before or budget_before) and not money_before:
        if per_after and per_after.start() == end:
            pass  # 40/box is a price
        else:
            zh, en = unit_m.group("zh"), unit_m.group("en")
            unit, kind = _ZH_UNITS[zh] if zh else _EN_UNITS[en] if en else ("人", PEOPLE)
            if _MORE_AFTER.match(text, end):
                vague = True
            quote = text[start:end + unit_m.end()].strip()
            if vague or value is None:
                span = _vague_span(text, start, end)
                if unit_m.group("en"):
                    span = " ".join(text[start:end + unit_m.end()].split())
                return UnreadFigure(span, "quantity", start - _range_head(text, start))
            if value != int(value) or value < 1 or (value == 1 and kind not in (MACHINE, SET)):
                return None
            if _PER_SOMETHING.search(before):
                return None  # 每层一台, 每个网点一套: so many per floor, not the order
            if per_before_any(before):
                return None  # 每人3件: a count per head, not the order
            return Quantity(int(value), unit, kind, quote, start)
    if not is_money and value is not None and not vague and value == int(value) and value >= 1:
        noun = re.match(r"\s(?:[a-z]+[- ])?([a-z]{3,})s\b|\s([a-z]{3,}s)\b|\s(?:of them|of those)\b", text[end:end + 30]) \
            or (re.match(r"\s([a-z]{3,})\b", text[end:end + 20]) if raw in ("one",) else None)
        stop = {"years", "months", "weeks", "days", "hours", "yrs", "times", "floors", "percent", "points", "minutes"}
        if noun and not re.match(r"\s(?:each|per|a|an|max|yuan|rmb|tops|total)\b", text[end:end + 8]):
            word = next(g for g in noun.groups() if g) if any(noun.groups()) else ""
            if word not in stop and (value >= 2 or raw in ("one", "1")):
                return Quantity(int(value), "件", PIECE, text[start:end + noun.end()].strip(), start)
    if not is_money:
        hb = re.search(r"(?:人数|headcount|head count|规模|staff of|team of|workforce of|总人数|员工数|职工数)", before)
        if hb and _FILL.match(before[hb.end():]) and value is not None and not vague and value == int(value) \
                and value >= 2:
            return Quantity(int(value), "人", PEOPLE, text[start:end], start)
        # "cap 200", "under 150", "≤40", "两百以内": a limit on a bare amount is a budget; "~120"
        # too, though with nothing else counted it may be the count (read_figures decides).
        strong_cap = (cap_before is not None and cap_before.group() not in ("内", "就", "也就", "只有", "<"))
        after_kind = _CAP_AFTER.match(text, end) or _TARGET_AFTER.match(text, end)
        if (strong_cap or (cap_before is not None and cap_before.group() == "<") or target_before is not None
                or after_kind) and value is not None and not vague and value > 0 and not unit_m:
            kind = "target" if (_TARGET_AFTER.match(text, end) or (target_before and not strong_cap)) else "cap"
            quote_from = min(x.start() for x in (cap_before, target_before) if x is not None) + start - len(before) \
                if (cap_before or target_before) else start
            stop = after_kind.end() if after_kind else end
            return BudgetFigure(value, "bare", kind, " ".join(text[quote_from:stop].split()), start,
                                explicit=bool(strong_cap or (after_kind and _CAP_AFTER.match(text, end))))
        if not is_money:
            return None
    if value is None and not money_after and not re.search(r"[多来余几]", text[end:end + 1]) \
            and not _RANGE_TOKEN.fullmatch(raw):
        return None  # 三八节, 五一: a name made of numerals, not an amount
    if vague or value is None:
        end_at = pos + (per_after.end() - pos if per_after else 0)
        return UnreadFigure(_vague_span(text, start, end_at), "budget", start)
    if value <= 0:
        return None
    # A qualifier belongs to the nearest number: 大概一百来份 每份两百 caps the 200, it is not "about".
    own = before
    last_number = None
    for last_number in NUMBER.finditer(before):
        pass
    if last_number is not None and last_number.group().strip():
        own = before[last_number.end():]
    kind = _kind(own, after_text)
    quote_start = min(x.start() for x in (per_before, total_before, budget_before, cap_before, target_before)
                      if x is not None) + (start - len(before)) if any(
        x is not None for x in (per_before, total_before, budget_before, cap_before, target_before)) else start
    quote_end = pos
    per = None
    basis = None
    if per_after:
        quote_end = per_after.end()
        g = per_after.group("zh"), per_after.group("en"), per_after.group("each")
        if g[0]:
            per = _ZH_UNITS[g[0]][1]
        elif g[1]:
            per = _PER_EN.get(g[1]) or _EN_UNITS.get(g[1], (None, PIECE))[1]
        else:
            per = "each"
    elif per_before:
        name = per_before.lastgroup or ""
        per = {"head": PEOPLE, "en_head": PEOPLE, "piece": PIECE, "en_piece": PIECE, "unit": MACHINE,
               "en_unit": MACHINE, "set": SET, "en_set": SET, "price": "each", "en_price": "each",
               "each": "each"}[name]
    elif total_after or total_before:
        basis = "total"
        if total_after:
            quote_end = total_after.end()
    elif budget_before or budget_after or money_before or money_after:
        if multiplied or value >= 10_000:
            basis = "total"
        else:
            basis = "bare"  # 预算300: per head or in all? the caller decides, or reports it unread
        if budget_after:
            quote_end = budget_after.end()
    else:
        basis = "total" if (multiplied or value >= 10_000) else "bare"
    m_kind_after = _TARGET_AFTER.match(text, quote_end) or _CAP_AFTER.match(text, quote_end)
    if m_kind_after:
        kind = "target" if _TARGET_AFTER.match(text, quote_end) else "cap"
        quote_end = m_kind_after.end()
    quote = " ".join(text[quote_start:quote_end].split())
    explicit = basis != "bare" or bool(money_after or money_before or budget_before or budget_after)
    if per is not None:
        return BudgetFigure(value, "per", kind, quote, start, per=per, explicit=True)
    return BudgetFigure(value, basis or "total", kind, quote, start, explicit=explicit)


_YEAR = re.compile(r"(?:19|20)\d\d")
_COUNTED_YEAR = re.compile(r"\s?(?:人|元|块|份|套|台|盒|件)")
_LONG_DIGITS = re.compile(r"\d{7,}")
_YEAR_END = re.compile(r"\s?年(?:终|底|货)")
_MULTIPLIER_CHARS = frozenset("万千kw亿")
_MORE_AFTER = re.compile(r"\s?(?:多|余|来)")
_MAYBE_VAGUE = re.compile(r"[多来余几把+\-–~到至]|odd|something")
_RANGE_HEAD = re.compile(r"(?:\d+|[一二两三四五六七八九十百千万]+)\s?(?:-|–|~|到|至)\s?$")


def _range_head(text: str, start: int) -> int:
    """How far the first half of a range (200- in 200-300人) reaches back from ``start``."""
    m = _RANGE_HEAD.search(text, max(0, start - 12), start)
    return start - m.start() if m else 0


def _vague_span(text: str, start: int, end: int) -> str:
    """The words of a vague figure: from a 几/上/近 before the number to its unit or 来/多 after."""
    start -= _range_head(text, start)
    s = start
    while s > 0 and text[s - 1] in "几数上近好将小" + CN_CHARS:
        s -= 1
    e = end
    m = re.match(r"\s?(?:来|多|余|几|把|出头|\+)?\s?(?:个|位|名)?\s?(?:号人|人|元|块|份|件|套|台|盒|户)?", text[e:])
    if m:
        e += m.end()
    m = re.match(r"\s?(?:-|–|~|到|至)\s?[\d一二两三四五六七八九十百千万]+[万千kw]?\s?(?:号人|人|元|块|份|件|套|台|盒|户)?", text[e:])
    if m:
        e += m.end()
    return " ".join(text[s:e].split())
