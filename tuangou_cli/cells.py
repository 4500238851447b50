"""The one header vocabulary and the one cell parser, for every file tg reads. Pure.

A column means the same thing on every road (``tg import clients``, ``tg classify --batch``,
``--batch --save``, later imports): its header is looked up in ALIASES after ``header_key``
folding, and its cells are read by the parsers below. Numbers are read by
``notes.parse_number`` — the same reading the call notes get ("三百", "2k", "3千", "1.2万",
"¥400", "400元", "三百人") — with a cell's stricter rule on top: the whole cell must be the
number (with a currency sign or a unit), or it is a CellError naming the value.

Example::

    field_for("人均预算（元）")      # -> "budget_per_head"
    cell_number("1.2万")             # -> 12000.0
    cell_number("三百人", integer=True)  # -> 300
    cell_number("很多")              # CellError: not a number: 很多
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timezone

from . import i18n
from .columns import FILE_FIELDS
from .export import FORMULA_PREFIXES
from .headers import alias_index, header_field, header_key  # noqa: F401  (header_key: read from here too)

# Header names as people write them (Chinese CRMs, Excel lists, call sheets, our own export), per
# field; compared after header_key() folding, so case, width, spaces, punctuation and a bracketed
# unit ("人均预算（元）") do not matter.
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("单位名称", "客户名称", "名称", "客户", "单位", "客户单位", "公司", "公司名称", "企业名称", "机构名称",
             "组织名称", "name", "client", "clientname", "company", "companyname", "customer", "customername",
             "account", "accountname", "organisation", "organization", "org"),
    "contact": ("联系人", "联系人姓名", "对接人", "姓名", "contact", "contactname", "contactperson", "person"),
    "title": ("职务", "职位", "title", "jobtitle", "position"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "联系方式", "座机", "固话", "phone",
              "phonenumber", "mobile", "mobilephone", "tel", "telephone", "cell"),
    "city": ("城市", "所在城市", "所在地", "地区", "城市地区", "city", "town"),
    "headcount": ("人数", "员工人数", "职工人数", "员工数", "总人数", "份数", "headcount", "staff", "employees",
                  "people", "size", "numberofemployees", "numberofstaff"),
    "budget_per_head": ("人均预算", "人均", "人均标准", "每人预算", "单人预算", "预算/人", "预算每人", "budgetperhead",
                        "budgethead", "perhead", "perheadbudget", "budgetperperson"),
    "budget_total": ("预算", "总预算", "预算总额", "预算总金额", "总金额", "采购预算", "budget", "budgettotal",
                     "totalbudget"),
    "industry": ("行业", "所属行业", "industry", "sector"),
    "occasion": ("场合", "节日", "采购场合", "occasion"),
    "owner": ("负责人", "业务员", "跟进人", "销售", "owner", "rep", "salesrep"),
    "notes": ("备注", "说明", "描述", "需求", "需求描述", "需求说明", "客户需求", "通话备注", "通话记录", "沟通记录",
              "跟进记录", "跟进情况", "情况说明", "notes", "note", "callnotes", "remark", "remarks", "comment",
              "comments", "description", "requirements", "needs", "details"),
    "segment": ("类型", "客户类型", "类别", "segment", "type", "kind"),
    "stage": ("阶段", "销售阶段", "stage"),
    "confidence": ("把握度", "confidence"),
    "id": ("id", "编号"),
    "created_at": ("createdat", "建档时间"),
    "updated_at": ("updatedat", "更新时间"),
    "created_by": ("createdby",),
    "updated_by": ("updatedby",),
    "reason": ("reason",),
}

# The same headers in traditional characters (Big5 lists from Taiwan and Hong Kong offices).
TRADITIONAL: dict[str, tuple[str, ...]] = {
    "name": ("單位名稱", "客戶名稱", "名稱", "客戶", "單位", "公司名稱", "企業名稱", "機構名稱"),
    "contact": ("聯繫人", "聯絡人", "對接人"),
    "title": ("職務", "職位"),
    "phone": ("電話", "手機", "手機號", "聯繫電話", "聯絡電話", "電話號碼", "聯繫方式"),
    "city": ("城市", "所在城市", "地區"),
    "headcount": ("人數", "員工人數", "職工人數", "員工數", "總人數", "份數"),
    "budget_per_head": ("人均預算", "人均", "每人預算"),
    "budget_total": ("預算", "總預算", "預算總額", "總金額"),
    "industry": ("行業", "所屬行業"),
    "occasion": ("場合", "節日"),
    "owner": ("負責人", "業務員", "跟進人", "銷售"),
    "notes": ("備註", "說明", "描述", "需求", "需求描述", "客戶需求", "通話記錄", "溝通記錄", "跟進記錄"),
    "segment": ("類型", "客戶類型", "類別"),
    "stage": ("階段", "銷售階段"),
}

# A client field is always known by its own name too (a new one, before it has aliases).
_ALIAS_INDEX = alias_index(ALIASES, TRADITIONAL, {f: (f,) for f in FILE_FIELDS})


def field_for(header: str) -> str | None:
    """The client field a header names, or None for a column tg does not know."""
    return header_field(_ALIAS_INDEX, header)


# --- cells ----------------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be what its column says; the message is translated."""


def unneutralise(text: str) -> str:
    """Undo export.neutralise(): "'=1+1" → "=1+1" (and "''=x" → "'=x")."""
    if text.startswith("'") and text[1:].lstrip("'").startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


DIGITS = 15  # a number with more digits (a quadrillion yuan or people) is a mistake, and no longer exact
_UNITS = frozenset("人元名位个块份")  # one-character suffixes of the fast path
_PREFIX = re.compile(r"^(?:rmb|cny|¥|\$)")
_SUFFIX = re.compile(r"(?:元/人|元每人|/人|每人|元|块钱|块|人|名|位|个|份|rmb|yuan|cny|perhead|pp)$")
# What is left once the sign and the unit are off: a number, as notes.parse_number reads it whole.
_ARABIC = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)[万千百kw]?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?[万千百kw]?")
_CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


def cell_number(text: str, *, integer: bool = False) -> float | int:
    """'1,200' '¥500' '500元' '120人' '5万' '１２０' '三百' '2k' → a number ≥ 0; else CellError."""
    if text.isascii() and text.isdigit() and len(text) <= DIGITS:  # the usual case, fast
        return int(text) if integer else float(text)
    # Next most usual: '1,200', '120人' / '500元', '¥300' / '$300'.
    digits = (text.removeprefix("$") if text.isascii() else text[:-1] if text[-1:] in _UNITS
              else text[1:] if text[:1] == "¥" else "")
    if "," in digits and _GROUPED.fullmatch(digits):
        digits = digits.replace(",", "")
    if digits.isascii() and digits.isdigit() and len(digits) <= DIGITS:
        return int(digits) if integer else float(digits)
    from .notes import parse_number as read_number

    t = unicodedata.normalize("NFKC", text).casefold().replace(" ", "").replace("\uffe5", "¥")
    negative = t.startswith("-") and len(t) > 1
    t = _SUFFIX.sub("", _PREFIX.sub("", t.removeprefix("-") if negative else t))
    if "," in t:  # thousands separators only: "1,2,3" is no number
        if not _GROUPED.fullmatch(t):
            raise CellError(i18n.t("import.reason.not_number", value=text))
        t = t.replace(",", "")
    if not (_ARABIC.fullmatch(t) or _CHINESE.fullmatch(t)):
        raise CellError(i18n.t("import.reason.not_number", value=text))
    value = read_number(t)
    if value is None or not math.isfinite(value):
        raise CellError(i18n.t("import.reason.not_number", value=text))
    if abs(value) >= 10 ** DIGITS:
        raise CellError(i18n.t("import.reason.too_large", value=text))
    if negative and value:
        raise CellError(i18n.t("import.reason.negative", value=text))
    if integer:
        if not float(value).is_integer():
            raise CellError(i18n.t("import.reason.not_integer", value=text))
        return int(value)
    return float(value)


def number_or_none(value, *, integer: bool = False) -> float | int | None:
    """A cell's number for a road that reads what it can (classify --batch): None when blank or
    not a number by parse_number's rule. A workbook's own number is taken as it is."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value < 0 or (integer and not float(value).is_integer()):
            return None
        return int(value) if integer else float(value)
    text = str(value).strip()
    if not text:
        return None
    try:
        return cell_number(text, integer=integer)
    except CellError:
        return None


_PHONE_SPLIT = re.compile(r"[,;/、]+")
_PHONE = re.compile(r"^\+?[\d\s().-]+(?:(?:转|ext\.?|x|#)\s*\d{1,6})?$")
_PHONE_EXT = re.compile(r"(?:转|ext\.?|x|#)\s*\d{1,6}$")
SIMPLE_PHONE = re.compile(r"\+?\d[\d -]{3,22}\d")


def parse_phones(text: str) -> tuple[str, tuple[str, ...]]:
    """'+86 138-0000-0000 / 0571-8888 1234转12' → (cleaned text, comparison keys).

    Several numbers may share a cell (separated by , ; / 、); each must look like a phone
    number: digits with spaces, dashes, dots or brackets, 5–15 digits, an optional extension.
    """
    t = text.strip()
    if t.isascii() and SIMPLE_PHONE.fullmatch(t):  # one plain number: the usual case, fast
        digits = t.replace(" ", "").replace("-", "").lstrip("+")
        if 5 <= len(digits) <= 15 and phone_ok(t, digits):
            return " ".join(t.split()), (phone_key(t, digits),)
    t = unicodedata.normalize("NFKC", t).casefold()
    numbers, keys = [], []
    for part in _PHONE_SPLIT.split(t):
        part = part.strip()
        if not part:
            continue
        digits = re.sub(r"\D", "", _PHONE_EXT.sub("", part))
        if not _PHONE.match(part) or not 5 <= len(digits) <= 15 or not phone_ok(part, digits):
            raise CellError(i18n.t("import.reason.not_phone", value=text))
        keys.append(phone_key(part, digits))
        numbers.append(" ".join(part.split()))
    if not numbers:
        raise CellError(i18n.t("import.reason.not_phone", value=text))
    return ", ".join(numbers), tuple(keys)


_MOBILE = re.compile(r"1[3-9]\d{9}")


def phone_ok(part: str, digits: str) -> bool:
    """A number that can be dialled from China: a mobile (1[3-9] and 9 more digits, +86 or not), a
    landline with its area code (0 + 2–3 digits, then 7–8), a 400/800 service number, or a
    number abroad in international form (+ or 00, not 86). A bare local number has no area code."""
    abroad = part.lstrip().startswith("+") or digits.startswith("00")
    national = digits.lstrip("0") if abroad else digits
    if abroad and not national.startswith("86"):
        return 7 <= len(national) <= 15
    if abroad:
        national = national[2:]
        return bool(_MOBILE.fullmatch(national)) or (national[:1] != "1" and 9 <= len(national) <= 11)
    if len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    if _MOBILE.fullmatch(digits):
        return True
    if digits.startswith("0") and not digits.startswith("00"):
        return 10 <= len(digits) <= 12
    return len(digits) == 10 and digits[:3] in ("400", "800")


def phone_key(part: str, digits: str) -> str:
    """+86 571 8888 1234 = 0571-88881234; +86 138… = 138…."""
    if part.startswith("+") or digits.startswith("00"):
        digits = digits.lstrip("0")
        if digits.startswith("86"):
            digits = digits[2:]
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    return digits.lstrip("0")


def parse_phones_quiet(text: str | None) -> tuple[str, ...]:
    """The comparison keys of a stored phone cell; none for one that is not a phone number."""
    if not text:
        return ()
    try:
        return parse_phones(text)[1]
    except CellError:
        return ()


def parse_confidence(text: str) -> float:
    t = unicodedata.normalize("NFKC", text).strip()
    percent = t.endswith("%")
    try:
        value = float(t.rstrip("%"))
    except ValueError:
        raise CellError(i18n.t("import.reason.bad_confidence", value=text)) from None
    if percent:
        value /= 100
    if not (math.isfinite(value) and 0 <= value <= 1):
        raise CellError(i18n.t("import.reason.bad_confidence", value=text))
    return value


def parse_datetime(text: str) -> datetime | None:
    """An export's created_at; anything unreadable just means 'no fingerprint'."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def parse_date(text: str) -> date:
    """'2026-03-05', '2026/3/5', '2026.3.5', '2026年3月5日' (a time after it is ignored) → a date."""
    t = unicodedata.normalize("NFKC", text).strip()
    m = _DATE.match(t)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise CellError(i18n.t("import.reason.not_date", value=text))
