"""Reading client lists: header mapping, cell normalisation, row validation, dedupe. Pure.

The file itself is read by ``cli/imports.py`` (CSV/TSV/XLSX) and the database
side lives in ``bulk.py``; this module only turns rows of strings into
validated rows and decides, from an index of existing keys, which rows create,
update or merge into which client.

Example::

    cols = map_headers(["单位名称", "人数", "来源"], {})
    row = parse_row(7, ["杭州娃哈哈集团有限公司", "120人", "展会"], cols, {})
    dedupe_key(row.name)  # -> "杭州娃哈哈"
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable

from . import i18n
from .errors import UsageError
from .export import FORMULA_PREFIXES
from .names import name_key

# Client fields a column can fill, contact fields, and the export's bookkeeping columns.
CLIENT_FIELDS = ("industry", "city", "headcount", "budget_per_head", "budget_total", "occasion", "segment",
                 "confidence", "stage", "owner")
CONTACT_FIELDS = ("contact", "title", "phone")
META_FIELDS = ("id", "created_at", "updated_at", "created_by", "updated_by", "reason")
IGNORE = "ignore"
FIELDS = ("name", *CLIENT_FIELDS, "notes", *CONTACT_FIELDS, *META_FIELDS, IGNORE)
MAPPABLE = ("name", *CLIENT_FIELDS, "notes", *CONTACT_FIELDS, IGNORE)  # what --map may name

MAX_CELL = 131_072  # characters; the csv module's own field limit
MAX_NAME = 200  # Client.name is VARCHAR(200)
MAX_SHORT = 40  # stage and segment codes
REJECT_REASON = "reason"  # the extra column of a rejects file (ignored when it is re-imported)

# Header names as people write them (Chinese CRMs, Excel lists, our own export); compared after
# header_key() folding, so case, width, spaces, underscores and "(元)"-style units do not matter.
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("单位名称", "客户名称", "名称", "客户", "单位", "客户单位", "公司", "公司名称", "企业名称", "机构名称",
             "组织名称", "name", "client", "clientname", "company", "companyname", "customer", "customername",
             "account", "accountname", "organisation", "organization", "org"),
    "contact": ("联系人", "联系人姓名", "对接人", "姓名", "contact", "contactname", "contactperson", "person"),
    "title": ("职务", "职位", "title", "jobtitle", "position"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "联系方式", "座机", "固话", "phone",
              "phonenumber", "mobile", "mobilephone", "tel", "telephone", "cell"),
    "city": ("城市", "所在城市", "所在地", "地区", "城市地区", "city", "town"),
    "headcount": ("人数", "员工人数", "职工人数", "份数", "headcount", "staff", "employees", "people", "size"),
    "budget_per_head": ("人均预算", "人均", "人均标准", "每人预算", "budgetperhead", "budgethead", "perhead",
                        "budgetperperson"),
    "budget_total": ("预算", "总预算", "预算总额", "采购预算", "budget", "budgettotal", "totalbudget"),
    "industry": ("行业", "所属行业", "industry", "sector"),
    "occasion": ("场合", "节日", "采购场合", "occasion"),
    "owner": ("负责人", "业务员", "跟进人", "销售", "owner", "rep", "salesrep"),
    "notes": ("备注", "说明", "描述", "notes", "note", "remark", "remarks", "comment", "comments", "description"),
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

_NONWORD = re.compile(r"[\W_]+")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")


def header_key(text: str) -> str:
    """'人均预算（元）' → '人均预算'; 'Budget per head' → 'budgetperhead'."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NONWORD.sub("", _BRACKETED.sub("", folded)) or _NONWORD.sub("", folded)


_ALIAS_INDEX = {header_key(alias): fld for fld, aliases in ALIASES.items() for alias in aliases}


# --- dedupe keys ------------------------------------------------------------------------------

_CJK_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司")
_LATIN_SUFFIX = re.compile(
    r"(?:[\s,.]*\b(?:co\.?\s*,?\s*ltd|company\s+limited|corporation|limited|ltd|inc|corp|co|llc|plc|gmbh)\.?)+$")


def dedupe_key(name: str) -> str:
    """The name as compared for duplicates: name_key() folding, common legal suffixes
    (有限公司, 集团, Co., Ltd., Inc., Limited …), spaces and punctuation removed."""
    key = name_key(name)
    while True:
        shorter = _LATIN_SUFFIX.sub("", key).rstrip(" ,.")
        for suffix in _CJK_SUFFIXES:
            if shorter.endswith(suffix) and len(shorter) > len(suffix):
                shorter = shorter[: -len(suffix)]
                break
        if not shorter or shorter == key:
            break
        key = shorter
    return _NONWORD.sub("", key) or key


def city_key(city: str | None) -> str | None:
    """'杭州市' = '杭州' = ' 杭州 '."""
    if not city:
        return None
    key = _NONWORD.sub("", name_key(city))
    if len(key) > 2 and key.endswith("市"):
        key = key[:-1]
    return key or None


# --- cells --------------------------------------------------------------------------------------


def unneutralise(text: str) -> str:
    """Undo export.neutralise(): "'=1+1" → "=1+1" (and "''=x" → "'=x")."""
    if text.startswith("'") and text[1:].lstrip("'").startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


class CellError(ValueError):
    """A cell that cannot be what its column says; the message is translated."""


_NUMBER_PREFIX = re.compile(r"^(?:rmb|cny|¥|\$)")
_NUMBER_SUFFIX = re.compile(r"(?:元/人|元每人|/人|每人|元|块|人|名|位|个|rmb|yuan|cny|perhead|pp)$")


def parse_number(text: str, *, integer: bool = False) -> float | int:
    """'1,200' '¥500' '500元' '120人' '5万' '１２０' → a number ≥ 0."""
    t = unicodedata.normalize("NFKC", text).casefold().replace(",", "").replace(" ", "")
    t = _NUMBER_SUFFIX.sub("", _NUMBER_PREFIX.sub("", t))
    scale = 1
    if t.endswith("万"):
        t, scale = t[:-1], 10_000
    try:
        value = float(t) * scale
    except ValueError:
        raise CellError(i18n.t("import.reason.not_number", value=text)) from None
    if not math.isfinite(value):
        raise CellError(i18n.t("import.reason.not_number", value=text))
    if value < 0:
        raise CellError(i18n.t("import.reason.negative", value=text))
    if integer:
        if not value.is_integer():
            raise CellError(i18n.t("import.reason.not_integer", value=text))
        return int(value)
    return value


_PHONE_SPLIT = re.compile(r"[,;/、]+")
_PHONE = re.compile(r"^\+?[\d\s().-]+(?:(?:转|ext\.?|x|#)\s*\d{1,6})?$")
_PHONE_EXT = re.compile(r"(?:转|ext\.?|x|#)\s*\d{1,6}$")


def parse_phones(text: str) -> tuple[str, set[str]]:
    """'+86 138-0000-0000 / 0571-8888 1234转12' → (cleaned text, comparison keys).

    Several numbers may share a cell (separated by , ; / 、); each must look like a phone
    number: digits with spaces, dashes, dots or brackets, 5–15 digits, an optional extension.
    """
    t = unicodedata.normalize("NFKC", text).strip().casefold()
    numbers, keys = [], set()
    for part in _PHONE_SPLIT.split(t):
        part = part.strip()
        if not part:
            continue
        digits = re.sub(r"\D", "", _PHONE_EXT.sub("", part))
        if not _PHONE.match(part) or not 5 <= len(digits) <= 15:
            raise CellError(i18n.t("import.reason.not_phone", value=text))
        keys.add(phone_key(part, digits))
        numbers.append(" ".join(part.split()))
    if not numbers:
        raise CellError(i18n.t("import.reason.not_phone", value=text))
    return ", ".join(numbers), keys


def phone_key(part: str, digits: str) -> str:
    """+86 571 8888 1234 = 0571-88881234; +86 138… = 138…."""
    if part.startswith("+") or digits.startswith("00"):
        digits = digits.lstrip("0")
        if digits.startswith("86"):
            digits = digits[2:]
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    return digits.lstrip("0")


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


# --- headers --------------------------------------------------------------------------------


@dataclass
class Columns:
    """Which column feeds which field. Unknown columns are kept, as 'header: value' note lines."""

    headers: list[str]
    fields: dict[int, str]  # column index → field (client, contact or meta field)
    extras: list[int]  # unknown columns, kept in notes
    mapped_by_user: set[int] = field(default_factory=set)

    def label(self, index: int) -> str:
        text = self.headers[index].strip() if index < len(self.headers) else ""
        return text or i18n.t("import.column_n", n=index + 1)

    def field_of(self, name: str) -> list[int]:
        return [i for i, f in self.fields.items() if f == name]

    @property
    def unknown(self) -> list[str]:
        return [self.label(i) for i in self.extras]


def parse_map(values: Iterable[str]) -> dict[str, str]:
    """--map COLUMN=FIELD options → {column: field}; a usage error names what is wrong."""
    out: dict[str, str] = {}
    for value in values:
        column, sep, fld = value.rpartition("=")
        fld = fld.strip().casefold().replace("-", "_")
        if not sep or not column.strip():
            raise UsageError(i18n.t("import.bad_map", value=value))
        if fld not in MAPPABLE:
            raise UsageError(i18n.t("import.map_unknown_field", field=fld, fields=", ".join(MAPPABLE)))
        out[column.strip()] = fld
    return out


# Fields that may come from several columns (two phone columns, two notes columns…).
_MULTI = {"phone", "notes", IGNORE}


def map_headers(headers: list[str], overrides: dict[str, str]) -> Columns:
    """Map a header row to fields: --map first, then the known names. Unknown → extras.

    Raises UsageError when a --map column is not in the header row.
    """
    cols = Columns(headers=list(headers), fields={}, extras=[])
    keys = [header_key(h) for h in headers]
    taken: set[str] = set()
    for column, fld in overrides.items():
        matches = [i for i, h in enumerate(headers) if h.strip() == column]
        if not matches:
            matches = [i for i, k in enumerate(keys) if k and k == header_key(column)]
        if not matches:
            shown = ", ".join(h.strip() for h in headers if h.strip())
            raise UsageError(i18n.t("import.map_unknown_column", column=column, columns=shown))
        for i in matches[:1] if fld not in _MULTI else matches:
            cols.fields[i] = fld
            cols.mapped_by_user.add(i)
        taken.add(fld)
    for i, key in enumerate(keys):
        if i in cols.fields:
            continue
        fld = _ALIAS_INDEX.get(key)
        if fld is not None and (fld not in taken or fld in _MULTI):
            cols.fields[i] = fld
            taken.add(fld)
        elif key:
            cols.extras.append(i)
    cols.fields = {i: f for i, f in cols.fields.items() if f != IGNORE}
    return cols


def has_name(cols: Columns) -> bool:
    return "name" in cols.fields.values()


# --- rows -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Problem:
    line: int
    column: str
    reason: str

    def text(self) -> str:
        return i18n.t("import.row_problem", row=self.line, column=self.column, reason=self.reason)


@dataclass(slots=True)
class Contact:
    name: str
    title: str | None
    phone: str | None
    keys: set[str]


@dataclass(slots=True)
class Row:
    """One valid row: a client's fields as parsed, plus what it brings along."""

    line: int
    name: str
    values: dict[str, Any]  # CLIENT_FIELDS present in the row (non-empty)
    notes: str | None = None
    extras: list[str] | None = None  # "header: value" lines from unknown columns
    contact: Contact | None = None
    id: int | None = None
    created_at: datetime | None = None


def normalise_name(text: str) -> str:
    return " ".join(unneutralise(text).split())


def segment_lookup(codes: Iterable[str], names: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """{folded code or zh/en name: code}, for a segment column written either way."""
    out = {header_key(c): c for c in codes}
    for code, name in names:
        out.setdefault(header_key(name), code)
    return out


def parse_row(line: int, cells: list[str], cols: Columns, segments: dict[str, str] | None) -> Row | list[Problem]:
    """A row of strings → a Row, or the list of everything wrong with it."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    name = ""
    notes: list[str] = []
    phones: list[str] = []
    phone_keys: set[str] = set()
    contact = title = None
    rid = created = None
    ncells = len(cells)
    for i, fld in cols.fields.items():
        if i >= ncells:
            continue
        raw = cells[i]
        if not raw or raw.isspace():
            continue
        text = unneutralise(raw)
        try:
            if fld == "name":
                name = " ".join(text.split())
                if len(name) > MAX_NAME:
                    raise CellError(i18n.t("import.reason.too_long", limit=MAX_NAME))
            elif fld in ("headcount", "budget_per_head", "budget_total"):
                values[fld] = parse_number(text, integer=fld == "headcount")
            elif fld == "phone":
                shown, keys = parse_phones(text)
                phones.append(shown)
                phone_keys |= keys
            elif fld == "confidence":
                values[fld] = parse_confidence(text)
            elif fld == "segment":
                code = (segments or {}).get(header_key(text))
                if code is None:
                    known = ", ".join(sorted(set((segments or {}).values())))
                    raise CellError(i18n.t("import.reason.bad_segment", value=text.strip(), codes=known))
                values[fld] = code
            elif fld == "stage":
                values[fld] = text.strip()
                if len(values[fld]) > MAX_SHORT:
                    raise CellError(i18n.t("import.reason.too_long", limit=MAX_SHORT))
            elif fld == "notes":
                notes.append(text)
            elif fld == "contact":
                contact = " ".join(text.split())
            elif fld == "title":
                title = text.strip()
            elif fld == "id":
                rid = int(text) if text.strip().isdigit() else None
            elif fld == "created_at":
                created = parse_datetime(text)
            elif fld in META_FIELDS:
                pass
            else:
                values[fld] = text.strip()
        except CellError as exc:
            problems.append(Problem(line, cols.label(i), str(exc)))
    if not name and not any(p.column in cols.field_of("name") for p in problems):
        named = cols.field_of("name")
        problems.insert(0, Problem(line, cols.label(named[0]) if named else "name", i18n.t("import.reason.no_name")))
    if problems:
        return problems
    extras = None
    for i in cols.extras:
        if i < ncells and cells[i] and not cells[i].isspace():
            extras = extras or []
            extras.append(f"{cols.label(i)}: {unneutralise(cells[i]).strip()}")
    for i in range(len(cols.headers), ncells):  # cells beyond the header row
        if cells[i] and not cells[i].isspace():
            extras = extras or []
            extras.append(f"{cols.label(i)}: {unneutralise(cells[i]).strip()}")
    person = None
    if title and not (contact or phones):  # a title with nobody to hold it: keep it as a note line
        extras = (extras or []) + [f"{cols.label(cols.field_of('title')[0])}: {title}"]
    elif contact or phones:
        person = Contact(contact or "", title or None, ", ".join(phones) or None, phone_keys)
    return Row(line, name, values, "\n".join(notes) if notes else None, extras, person, rid, created)


# --- planning: what each row does -------------------------------------------------------------


@dataclass(slots=True)
class Existing:
    """What the index knows of a client already in the database."""

    id: int
    name_key: str
    city: str | None  # city_key


@dataclass
class Index:
    """Existing clients, loaded once: dedupe key → clients; plus phones and export fingerprints."""

    by_key: dict[str, list[Existing]] = field(default_factory=dict)
    phones: dict[int, set[str]] = field(default_factory=dict)  # only for clients sharing a key
    created: dict[int, datetime] = field(default_factory=dict)  # id → created_at (export round trips)

    def add(self, cid: int, name: str, city: str | None) -> None:
        self.by_key.setdefault(dedupe_key(name), []).append(Existing(cid, name_key(name), city_key(city)))

    def shared_ids(self) -> list[int]:
        return [e.id for group in self.by_key.values() if len(group) > 1 for e in group]


@dataclass(slots=True)
class Group:
    """A client the file describes: one row, or several rows merged into one."""

    line: int
    name: str
    key: str
    name_key: str
    city: str | None
    values: dict[str, Any]
    notes: list[str]
    extras: list[str]
    contacts: list[Contact]
    existing: int | None = None  # the client it updates
    by_id: bool = False  # matched through the export's id + created_at (so a new name renames)
    merged: list[int] = field(default_factory=list)  # lines merged into this one


@dataclass(slots=True)
class Merge:
    line: int
    into: int
    name: str


class Planner:
    """Feeds rows one at a time; groups them into clients to create or update. No I/O.

    Matching an existing client: the export's id + created_at when both match; else the
    dedupe key, narrowed when several clients share it by city (different cities are different
    clients), then by the exact folded name, then by a shared phone. Still several → rejected.
    """

    def __init__(self, index: Index, on_duplicate: str = "update"):
        self.index = index
        self.on_duplicate = on_duplicate
        self.groups: list[Group] = []
        self.by_existing: dict[int, Group] = {}
        self.new_by_key: dict[str, list[Group]] = {}
        self.merges: list[Merge] = []
        self.problems: list[Problem] = []

    def add(self, row: Row, name_column: str = "name") -> None:
        key = dedupe_key(row.name)
        nkey = name_key(row.name)
        city = city_key(row.values.get("city"))
        phones = row.contact.keys if row.contact else set()
        existing, by_id = None, False
        if row.id is not None and row.created_at is not None:
            when = self.index.created.get(row.id)
            if when is not None and when == row.created_at:
                existing, by_id = row.id, True
        if existing is None:
            cands = self.index.by_key.get(key)
            if cands:
                found = _narrow(cands, nkey, city, phones, lambda e: self.index.phones.get(e.id, _NONE))
                if len(found) > 1:
                    ids = ", ".join(f"#{e.id}" for e in found)
                    self.problems.append(Problem(row.line, name_column, i18n.t("import.reason.ambiguous", ids=ids)))
                    return
                if found:
                    existing = found[0].id
        if existing is not None:
            if self.on_duplicate == "error":
                self.problems.append(Problem(row.line, name_column, i18n.t("import.reason.exists", id=existing)))
                return
            group = self.by_existing.get(existing)
            if group is None:
                group = self._new_group(row, key, nkey, city)
                group.existing, group.by_id = existing, by_id
                self.by_existing[existing] = group
            else:
                self._merge(group, row, city)
            return
        same = self.new_by_key.get(key)
        if same:
            found = _narrow(same, nkey, city, phones, lambda g: {k for c in g.contacts for k in c.keys})
            if found:
                self._merge(found[0], row, city)
                return
        self.new_by_key.setdefault(key, []).append(self._new_group(row, key, nkey, city))

    def _new_group(self, row: Row, key: str, nkey: str, city: str | None) -> Group:
        group = Group(row.line, row.name, key, nkey, city, row.values,
                      [row.notes] if row.notes is not None else [], row.extras or [],
                      [row.contact] if row.contact else [])
        self.groups.append(group)
        return group

    def _merge(self, group: Group, row: Row, city: str | None) -> None:
        group.values.update(row.values)  # a later row's values win
        if city and not group.city:
            group.city = city
        if row.notes is not None and row.notes not in group.notes:
            group.notes.append(row.notes)
        for line in row.extras or ():
            if line not in group.extras:
                group.extras.append(line)
        if row.contact:
            same = next((c for c in group.contacts if _same_contact(row.contact, c)), None)
            if same is None:
                group.contacts.append(row.contact)
            else:
                same.phone, same.title = same.phone or row.contact.phone, same.title or row.contact.title
                same.keys |= row.contact.keys
        group.merged.append(row.line)
        self.merges.append(Merge(row.line, group.line, group.name))


_NONE: frozenset[str] = frozenset()


def _narrow(cands: list, nkey: str, city: str | None, phones: set[str], phones_of) -> list:
    """The candidates a row can mean, most specific evidence last."""
    if city:
        cands = [c for c in cands if c.city is None or c.city == city]
    if len(cands) > 1:
        exact = [c for c in cands if c.name_key == nkey]
        cands = exact or cands
    if len(cands) > 1 and phones:
        shared = [c for c in cands if phones & phones_of(c)]
        cands = shared or cands
    if len(cands) > 1 and city:
        same_city = [c for c in cands if c.city == city]
        cands = same_city or cands
    return cands


def _same_contact(a: Contact, b: Contact) -> bool:
    if a.keys and b.keys:
        return bool(a.keys & b.keys)
    return name_key(a.name) == name_key(b.name)


# --- what changes -----------------------------------------------------------------------------


def merged_notes(current: str | None, notes: list[str], extras: list[str]) -> str | None:
    """The notes column replaces the notes; unknown columns' lines are added once."""
    base = "\n".join(notes) if notes else current
    have = set(base.splitlines()) if base else set()
    add = [line for line in extras if line not in have]
    if not add:
        return base
    return (base + "\n" if base else "") + "\n".join(add)


def _same(current: Any, new: Any) -> bool:
    if current is None:
        return False
    if isinstance(new, str):
        return isinstance(current, str) and current.strip() == new
    try:
        return float(current) == float(new)
    except (TypeError, ValueError):
        return False


@dataclass(slots=True)
class Change:
    """An update to one existing client; empty when the file says nothing new."""

    id: int
    group: Group
    fields: dict[str, Any]
    before: dict[str, Any]
    contacts: list[Contact]  # new contacts
    phone_fills: list[tuple[int, str]]  # (contact id, phone) for a known contact without a phone

    def __bool__(self) -> bool:
        return bool(self.fields or self.contacts or self.phone_fills)


def diff(group: Group, current: dict[str, Any], contacts: list[tuple[int, str, str | None]]) -> Change:
    """What an update would change: current = the client's columns; contacts = (id, name, phone)."""
    changes: dict[str, Any] = {}
    if group.by_id and group.name != current["name"]:
        changes["name"] = group.name
        changes["name_key"] = name_key(group.name)
    for k, v in group.values.items():
        if not _same(current.get(k), v):
            changes[k] = v
    notes = merged_notes(current.get("notes"), group.notes, group.extras)
    if notes != current.get("notes"):
        changes["notes"] = notes
    known = [(cid, name_key(n), parse_phones_quiet(p)) for cid, n, p in contacts]
    new: list[Contact] = []
    fills: list[tuple[int, str]] = []
    for c in group.contacts:
        if c.keys and any(c.keys & keys for _, _, keys in known):
            continue  # that number is already on file
        same_name = [(cid, keys) for cid, k, keys in known if c.name and k == name_key(c.name)]
        if same_name and not c.keys:
            continue  # that person is already on file
        blank = [cid for cid, keys in same_name if not keys]
        if blank:
            fills.append((blank[0], c.phone))  # a known person, now with a number
            continue
        new.append(c)
    before = {k: current.get(k) for k in changes if k != "name_key"}
    return Change(current["id"], group, changes, before, new, fills)


def parse_phones_quiet(text: str | None) -> set[str]:
    if not text:
        return set()
    try:
        return parse_phones(text)[1]
    except CellError:
        return set()


def new_client(group: Group, *, user: str, now: datetime) -> dict[str, Any]:
    """The column values of a client to insert (Core insert, so defaults are ours to give)."""
    row = {k: None for k in CLIENT_FIELDS}
    row.update(group.values)
    row.update(name=group.name, name_key=group.name_key, notes=merged_notes(None, group.notes, group.extras),
               created_at=now, updated_at=now, created_by=user, updated_by=user)
    if not row.get("stage"):
        row["stage"] = "lead"
    return row
