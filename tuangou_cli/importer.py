"""Reading client lists: header mapping, cell normalisation, row validation, dedupe. Pure.

The file itself is read by ``tables.py`` (CSV/TSV/XLSX/XLS), its headers and cells by the
vocabulary and parsers of ``cells.py``, and the database side lives in ``bulk.py``; this module
maps a header row to fields, turns rows of strings into validated rows and decides, from an
index of existing keys, which rows create, update or merge into which client.

Example::

    cols = map_headers(["单位名称", "人数", "来源"], {})
    row = parse_row(7, ["杭州娃哈哈集团有限公司", "120人", "展会"], cols, {})
    dedupe_key(row.name)  # -> "杭州娃哈哈"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, make_dataclass
from datetime import datetime
from typing import Any, Iterable

from . import i18n
from .cells import (DIGITS, SIMPLE_PHONE, CellError, field_for, header_key, parse_confidence, parse_datetime, phone_ok,
                    cell_number, parse_phones, parse_phones_quiet, unneutralise)
from .columns import BY_NAME, FILE_FIELDS
from .errors import UsageError, one_line
from .names import name_key
from .tables import MAX_CELL

# Client fields a column can fill (columns.py), contact fields, and the export's bookkeeping columns.
CLIENT_FIELDS = FILE_FIELDS
CONTACT_FIELDS = ("contact", "title", "phone")
META_FIELDS = ("id", "created_at", "updated_at", "created_by", "updated_by", "reason")
IGNORE = "ignore"
MAPPABLE = ("name", *CLIENT_FIELDS, "notes", *CONTACT_FIELDS, IGNORE)  # what --map may name

MAX_NAME = 200  # Client.name is VARCHAR(200)
MAX_SHORT = 40  # stage and segment codes
REJECT_REASON = "reason"  # the extra column of a rejects file (ignored when it is re-imported)

_NONWORD = re.compile(r"[\W_]+")

# --- dedupe keys ------------------------------------------------------------------------------

_CJK_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司")
_LATIN_WORDS = ("ltd", "limited", "corporation", "inc", "corp", "co", "llc", "plc", "gmbh")  # what it can end in
_LATIN_SUFFIX = re.compile(
    r"(?:[\s,.]*\b(?:co\.?\s*,?\s*ltd|company\s+limited|corporation|limited|ltd|inc|corp|co|llc|plc|gmbh)\.?)+$")


def dedupe_key(name: str, key: str | None = None) -> str:
    """The name as compared for duplicates: name_key() folding, common legal suffixes
    (有限公司, 集团, Co., Ltd., Inc., Limited …), spaces and punctuation removed.
    ``key`` is name_key(name) when the caller has it already."""
    key = key if key is not None else name_key(name)
    while key:
        last = key[-1]
        if not last.isascii():
            shorter = key
        elif (last.isalpha() or last == ".") and key.rstrip(".").endswith(_LATIN_WORDS):
            shorter = _LATIN_SUFFIX.sub("", key).rstrip(" ,.")
        else:  # '… 12', '…,', 'acme trading': no Latin suffix can match; the regex would scan for nothing
            shorter = key.rstrip(" ,.")
        if shorter.endswith(_CJK_SUFFIXES):  # one C call rules out the usual miss
            for suffix in _CJK_SUFFIXES:
                if shorter.endswith(suffix) and len(shorter) > len(suffix):
                    shorter = shorter[: -len(suffix)]
                    break
        if not shorter or shorter == key:
            break
        key = shorter
    if key.isalnum():  # nothing for _NONWORD to remove (the usual Chinese name): skip the regex
        return key
    spaced = key.replace(" ", "")
    if spaced.isalnum():  # only spaces to remove (the usual English name); \w is isalnum() or '_'
        return spaced
    return _NONWORD.sub("", key) or key


def city_key(city: str | None) -> str | None:
    """'杭州市' = '杭州' = ' 杭州 '."""
    if not city:
        return None
    key = _NONWORD.sub("", name_key(city))
    if len(key) > 2 and key.endswith("市"):
        key = key[:-1]
    return key or None


# --- headers --------------------------------------------------------------------------------


@dataclass
class Columns:
    """Which column feeds which field. Unknown columns are kept, as 'header: value' note lines."""

    headers: list[str]
    fields: dict[int, str]  # column index → field (client, contact or meta field)
    extras: list[int]  # unknown columns, kept in notes
    mapped_by_user: set[int] = field(default_factory=set)

    cache: dict[str, str] = field(default_factory=dict, repr=False)  # repeated values shared

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
        fld = field_for(headers[i]) if key else None
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

    def text(self) -> str:  # one line, whatever the cell held (it is quoted in the reason)
        return one_line(i18n.t("import.row_problem", row=self.line, column=self.column, reason=self.reason))


@dataclass(slots=True)
class Contact:
    name: str
    title: str | None
    phone: str | None  # cleaned; compare with .keys (worked out when needed: 100k rows stay small)

    @property
    def keys(self) -> tuple[str, ...]:
        return parse_phones_quiet(self.phone)


def _row_values(self) -> dict[str, Any]:
    """The client fields this row gives (not empty)."""
    out = {}
    for f, attr in zip(CLIENT_FIELDS, _SLOTS):
        v = getattr(self, attr)
        if v is not None:
            out[f] = v
    return out


# The attribute of a client field on a Row: the city as written is ``city_name`` (``city`` is its key).
_SLOTS = tuple("city_name" if f == "city" else f for f in CLIENT_FIELDS)

# One valid row — and, once planned, the client it stands for (later rows merge into it). Slots
# rather than a dict (100k rows are 10 MB smaller), one per client field of columns.py, in its
# order: parse_rows() builds rows positionally.
Row = make_dataclass("Row", [
    ("line", int), ("name", str),
    *((attr, Any, None) for attr in _SLOTS),
    ("notes", "str | None", None),
    ("extras", "list[str] | None", None),  # "header: value" lines from unknown columns
    ("contacts", "tuple[Contact, ...]", ()),
    ("id", "int | None", None),  # the export's id and created_at: a fingerprint of one client
    ("created_at", "datetime | None", None),
    # set by the Planner
    ("city", "str | None", None),  # city_key()
    ("key", "str | None", None),  # name_key(name), kept for the insert
    ("existing", "int | None", None),  # the client this row updates
    ("by_id", bool, False),  # matched through the export's fingerprint, so a new name renames
    ("merged", "list[int] | None", None),  # lines merged into this one
    ("dedupe", "str | None", None),  # dedupe_key(name, key), kept for the insert
], slots=True, namespace={"values": property(_row_values), "__module__": __name__})


def segment_lookup(codes: Iterable[str], names: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """{folded code or zh/en name: code}, for a segment column written either way."""
    out = {header_key(c): c for c in codes}
    for code, name in names:
        out.setdefault(header_key(name), code)
    return out


_OWN_RULES = frozenset(("segment", "confidence", "stage"))  # client fields parse_row reads by rules of their own
_NUMERIC = frozenset(f for f in CLIENT_FIELDS if BY_NAME[f].kind in ("integer", "real")) - _OWN_RULES
_INTEGER = frozenset(f for f in _NUMERIC if BY_NAME[f].kind == "integer")
# Client fields kept as the stripped text, with no rule of their own (stage has a length limit).
_PLAIN = frozenset(CLIENT_FIELDS) - _NUMERIC - _OWN_RULES
_SHORT = 64  # values up to this long are shared between rows (cities, owners, stages repeat a lot)


def parse_row(line: int, cells: list[str], cols: Columns, segments: dict[str, str] | None) -> Row | list[Problem]:
    """A row of strings → a Row, or the list of everything wrong with it."""
    problems: list[Problem] | None = None
    values: dict[str, Any] = {}
    name = ""
    notes: list[str] = []
    phones: list[str] = []
    contact = title = None
    rid = created = None
    ncells = len(cells)
    share = cols.cache.setdefault
    for i, fld in cols.fields.items():
        if i >= ncells:
            continue
        text = cells[i]
        if not text or text.isspace():
            continue
        if text[0] == "'":
            text = unneutralise(text)
            if text.isspace():  # an exported "'\t": blank once the apostrophe is off, so empty (not "")
                continue
        try:
            if fld == "name":
                name = " ".join(text.split())
                if len(name) > MAX_NAME:
                    raise CellError(i18n.t("import.reason.too_long", limit=MAX_NAME))
            elif fld in _PLAIN:  # city, industry, owner…: the most common columns, asked first
                text = text.strip()
                values[fld] = share(text, text) if len(text) <= _SHORT else text
            elif fld in _NUMERIC:
                values[fld] = cell_number(text, integer=fld in _INTEGER)
            elif fld == "phone":
                phones.append(parse_phones(text)[0])
            elif fld == "notes":
                notes.append(share(text, text) if len(text) <= _SHORT else text)
            elif fld == "contact":
                contact = " ".join(text.split())
                contact = share(contact, contact)
            elif fld == "confidence":
                values[fld] = parse_confidence(text)
            elif fld == "segment":
                code = (segments or {}).get(header_key(text))
                if code is None:
                    known = ", ".join(sorted(set((segments or {}).values())))
                    raise CellError(i18n.t("import.reason.bad_segment", value=text.strip(), codes=known))
                values[fld] = code
            elif fld == "title":
                title = text.strip()
            elif fld == "id":
                rid = int(text) if text.strip().isdecimal() else None  # (isdigit() admits '²', int() does not)
            elif fld == "created_at":
                created = parse_datetime(text)
            elif fld in META_FIELDS:
                pass
            else:
                text = text.strip()
                if fld == "stage" and len(text) > MAX_SHORT:
                    raise CellError(i18n.t("import.reason.too_long", limit=MAX_SHORT))
                values[fld] = share(text, text) if len(text) <= _SHORT else text
        except CellError as exc:
            problems = problems or []
            problems.append(Problem(line, cols.label(i), str(exc)))
    if not name:
        named = cols.field_of("name")
        if not problems or not any(p.column == cols.label(named[0]) for p in problems):
            problems = [Problem(line, cols.label(named[0]), i18n.t("import.reason.no_name"))] + (problems or [])
    if problems:
        return problems
    extras = None
    if cols.extras or ncells > len(cols.headers):
        for i in [*cols.extras, *range(len(cols.headers), ncells)]:  # unknown columns, cells beyond the header
            if i < ncells and cells[i] and not cells[i].isspace():
                extra = f"{cols.label(i)}: {unneutralise(cells[i]).strip()}"
                extras = extras or []
                extras.append(share(extra, extra) if len(extra) <= _SHORT else extra)
    if extras and sum(map(len, extras)) > MAX_CELL:  # a thousand unknown columns would make huge notes
        return [Problem(line, cols.label(cols.extras[0] if cols.extras else len(cols.headers)),
                        i18n.t("tables.notes_too_long", limit=MAX_CELL))]
    people: tuple[Contact, ...] = ()
    if title and not (contact or phones):  # a title with nobody to hold it: keep it as a note line
        extras = (extras or []) + [f"{cols.label(cols.field_of('title')[0])}: {title}"]
    elif contact or phones:
        people = (Contact(contact or "", share(title, title) if title else None, ", ".join(phones) or None),)
    if "city" in values:
        values["city_name"] = values.pop("city")
    return Row(line, name, notes="\n".join(notes) if notes else None, extras=extras, contacts=people, id=rid,
               created_at=created, **values)


# --- many rows at once ------------------------------------------------------------------------

# The fields parse_rows() reads column by column: every one a lead list or an export of ours has.
_BY_COLUMN = frozenset(("name", *_PLAIN, *_NUMERIC, "stage", "phone", "notes", "contact", "title", "segment",
                        "confidence", *META_FIELDS))
_ASK = object()  # a cell the column-wise pass leaves to parse_row(): unusual, or wrong


def parse_rows(lines: list[int], rows: list[list[str]], cols: Columns,
               segments: dict[str, str] | None) -> tuple[list[Row], list[Problem]]:
    """parse_row() over many rows: the same Rows and Problems, in file order, at a fraction of
    the cost. Each column is converted by one comprehension for its usual values (plain text,
    plain numbers, one plain phone number); a row with any other cell (a neutralised formula,
    '1.2万', two numbers in a phone cell, a missing name, a problem to report) is handed
    whole to parse_row(), so there is one set of rules and every message comes from there."""
    fields = cols.fields
    if not rows or not set(fields.values()) <= _BY_COLUMN:
        return _one_by_one(lines, rows, cols, segments)
    width = len(cols.headers)
    ask = {n for n, r in enumerate(rows) if len(r) > width}  # cells beyond the header row
    columns = list(zip(*(r if len(r) == width else (r + [""] * width)[:width] for r in rows)))
    share = cols.cache.setdefault
    by_field: dict[str, list[list[Any]]] = {}
    for i, fld in fields.items():
        values = _convert(fld, columns[i], share, segments)
        if _ASK in values:
            ask.update(n for n, v in enumerate(values) if v is _ASK)
        by_field.setdefault(fld, []).append(values)
    none = [None] * len(rows)

    def one(fld: str) -> list[Any]:
        found = by_field.get(fld)
        return found[0] if found else none

    def joined(fld: str, sep: str) -> list[Any]:  # phone and notes may come from several columns
        found = by_field.get(fld)
        if not found or len(found) == 1:
            return found[0] if found else none
        return [None if _ASK in parts else sep.join(p for p in parts if p is not None) or None
                for parts in zip(*found)]

    names, phones, notes, people, titles = (one("name"), joined("phone", ", "), joined("notes", "\n"),
                                            one("contact"), one("title"))
    if "title" in by_field:  # a title with nobody to hold it becomes a note line: parse_row's business
        ask.update(n for n, (t, p, ph) in enumerate(zip(titles, people, phones))
                   if t is not None and p is None and ph is None)
    n_fields = len(CLIENT_FIELDS)
    extras = _extras(cols, columns, len(rows))
    if cols.extras:
        ask.update(_long_extras(extras))
    out: list[Any] = [
        Row(line, name, *t[:n_fields], note, extra,
            (Contact(person or "", title, phone),) if person is not None or phone is not None else (), rid, created)
        for line, name, t, note, extra, person, phone, title, rid, created in zip(
            lines, names, zip(*(one(f) for f in CLIENT_FIELDS)), notes, extras, people,
            phones, titles, one("id"), one("created_at"))]
    problems: list[Problem] = []
    for n in sorted(ask):
        result = parse_row(lines[n], rows[n], cols, segments)
        if isinstance(result, list):
            problems.extend(result)
            out[n] = None
        else:
            out[n] = result
    return ([r for r in out if r is not None] if problems else out), problems


def _one_by_one(lines, rows, cols, segments) -> tuple[list[Row], list[Problem]]:
    out, problems = [], []
    for line, cells in zip(lines, rows):
        result = parse_row(line, cells, cols, segments)
        if isinstance(result, list):
            problems.extend(result)
        else:
            out.append(result)
    return out, problems


def _convert(fld: str, column: tuple[str, ...], share, segments: dict[str, str] | None) -> list[Any]:
    """One column's usual values as parse_row() gives them: None for a blank cell, _ASK for
    anything parse_row() must look at."""
    if fld in META_FIELDS and fld not in ("id", "created_at"):
        return [None] * len(column)  # an export's bookkeeping: parse_row reads nothing from it either
    if fld == "name":
        return [_ASK if not v or x[0] == "'" or len(v) > MAX_NAME else v
                for x in column for v in (" ".join(x.split()),)]
    if fld == "contact":
        return [None if not v else _ASK if x[0] == "'" else share(v, v)
                for x in column for v in (" ".join(x.split()),)]
    if fld in _PLAIN or fld == "title" or fld == "stage":
        limit = MAX_SHORT if fld == "stage" else MAX_CELL  # a stage code longer than that is an error
        return [None if not v else _ASK if x[0] == "'" or len(v) > limit else share(v, v) if len(v) <= _SHORT else v
                for x in column for v in (x.strip(),)]
    if fld == "notes":
        return [None if not x or x.isspace() else _ASK if x[0] == "'" else share(x, x) if len(x) <= _SHORT else x
                for x in column]
    if fld in _NUMERIC:
        integer = fld in _INTEGER

        def number(text: str) -> int | float:
            return cell_number(text, integer=integer)

        return [(int(x) if integer else float(x)) if x.isdigit() and x.isascii() and len(x) <= DIGITS
                else None if not x or x.isspace() else _or_ask(number, x) for x in column]
    if fld == "segment":  # a code or a segment's name, as the playbook has it
        known = segments or {}
        return [None if not x or x.isspace() else _ASK if x[0] == "'" else known.get(header_key(x)) or _ASK
                for x in column]
    if fld in ("confidence", "id", "created_at"):
        return [None if not x or x.isspace() else _or_ask(_META[fld], x) for x in column]
    if fld == "phone":  # one plain number (parse_phones' own fast case), else parse_phones itself
        return [(t if " " not in t else " ".join(t.split()))
                if t.isascii() and SIMPLE_PHONE.fullmatch(t) and 5 <= len(t) - t.count(" ") - t.count("-")
                - (t[0] == "+") <= 15 and phone_ok(t, t.replace(" ", "").replace("-", "").lstrip("+"))
                else None if not t else _or_ask(_phone_text, x) for x in column for t in (x.strip(),)]
    raise AssertionError(fld)  # pragma: no cover - _BY_COLUMN lists what is handled here


def _or_ask(parse, text: str) -> Any:
    """parse(text), or _ASK when parse_row() must look at the cell: a neutralised formula, or a
    value the parser refuses (parse_row then reports it, in its words)."""
    if text[0] == "'":
        return _ASK
    try:
        return parse(text)
    except CellError:
        return _ASK


# parse_row's own readings of these columns (an id that is not a number, or a date that is not
# one, is no fingerprint: None, not a problem).
_META = {"confidence": parse_confidence, "id": lambda text: int(text) if text.strip().isdecimal() else None,
         "created_at": parse_datetime}


def _phone_text(text: str) -> str:
    return parse_phones(text)[0]


def _extras(cols: Columns, columns: list[tuple[str, ...]], n: int) -> list[list[str] | None]:
    """The 'header: value' note lines of the unknown columns, per row (None when there are none)."""
    if not cols.extras:
        return [None] * n
    share = cols.cache.setdefault
    per_column = []
    for i in cols.extras:
        label = cols.label(i)
        per_column.append([None if not x or x.isspace() else f"{label}: {unneutralise(x).strip()}"
                           for x in columns[i]])
    out: list[list[str] | None] = []
    for lines in zip(*per_column):
        kept = [share(x, x) if len(x) <= _SHORT else x for x in lines if x is not None]
        out.append(kept or None)
    return out


def _long_extras(extras: list[list[str] | None]) -> list[int]:
    """The rows whose unknown columns add up to more than a cell may hold (parse_row refuses them)."""
    return [n for n, lines in enumerate(extras) if lines and sum(map(len, lines)) > MAX_CELL]


# --- planning: what each row does -------------------------------------------------------------


@dataclass(slots=True)
class Existing:
    """What the index knows of a client already in the database."""

    id: int
    name: str
    city: str | None  # city_key()


@dataclass
class Index:
    """Existing clients, loaded once: dedupe key → clients; plus phones and export fingerprints."""

    by_key: dict[str, Existing | list[Existing]] = field(default_factory=dict)
    phones: dict[int, set[str]] = field(default_factory=dict)  # only for clients sharing a key
    created: dict[int, datetime] = field(default_factory=dict)  # id → created_at (export round trips)

    _cities: dict[str, str | None] = field(default_factory=dict, repr=False)

    def add(self, cid: int, name: str, city: str | None, folded: str | None = None) -> None:
        """folded: the client's stored name_key column, when at hand."""
        key = dedupe_key(name, folded)
        if city is not None:
            city = self._cities.get(city) or self._cities.setdefault(city, city_key(city))
        _add(self.by_key, name if key == name else key, Existing(cid, name, city))

    def get(self, key: str) -> list[Existing]:
        found = self.by_key.get(key)
        return [] if found is None else found if isinstance(found, list) else [found]

    def shared_ids(self) -> list[int]:
        return [e.id for found in self.by_key.values() if isinstance(found, list) for e in found]


def _add(index: dict, key: str, item: Any) -> None:
    """index[key] holds one item, or a list once there are several (most keys have one)."""
    have = index.get(key)
    if have is None:
        index[key] = item
    elif isinstance(have, list):
        have.append(item)
    else:
        index[key] = [have, item]


@dataclass(slots=True)
class Merge:
    line: int
    into: int
    name: str


_NONE: frozenset[str] = frozenset()


class Planner:
    """Feeds rows one at a time; groups them into clients to create or update. No I/O.

    Matching an existing client: the export's id + created_at when both match; else the
    dedupe key, narrowed when several clients share it by city (different cities are different
    clients), then by the exact folded name, then by a shared phone. Still several → rejected.
    Rows of the file that match each other the same way are merged into the first.
    """

    def __init__(self, index: Index, on_duplicate: str = "update"):
        self.index = index
        self.on_duplicate = on_duplicate
        self.groups: list[Row] = []  # one per client to create or update, in file order
        self.by_existing: dict[int, Row] = {}
        self.new_by_key: dict[str, Row | list[Row]] = {}
        self.merges: list[Merge] = []
        self.problems: list[Problem] = []
        self._cities: dict[str, str | None] = {}

    def add(self, row: Row, name_column: str = "name") -> None:
        nkey = row.key = name_key(row.name)
        key = dedupe_key(row.name, nkey)
        if key == row.name:
            key = row.name  # one string, not two (most Chinese names fold to themselves)
        row.dedupe = key
        city = row.city_name
        if city is not None:
            cities = self._cities
            city = cities[city] if city in cities else cities.setdefault(city, city_key(city))
        row.city = city
        existing, by_id = None, False
        if row.id is not None and row.created_at is not None:
            when = self.index.created.get(row.id)
            if when is not None and when == row.created_at:
                existing, by_id = row.id, True
        if existing is None:
            cands = self.index.by_key.get(key)
            if cands is not None:
                found = _narrow(cands if isinstance(cands, list) else [cands], row,
                                lambda e: self.index.phones.get(e.id, _NONE))
                if len(found) > 1:
                    ids = ", ".join(f"#{e.id}" for e in sorted(found, key=lambda e: e.id))
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
                row.existing, row.by_id = existing, by_id
                self.by_existing[existing] = row
                self.groups.append(row)
            else:
                self._merge(group, row)
            return
        same = self.new_by_key.get(key)
        if same is not None:
            found = _narrow(same if isinstance(same, list) else [same], row,
                            lambda g: {k for c in g.contacts for k in c.keys})
            if found:
                self._merge(found[0], row)
                return
        _add(self.new_by_key, key, row)
        self.groups.append(row)

    def _merge(self, group: Row, row: Row) -> None:
        for f in _SLOTS:  # a later row's values win
            v = getattr(row, f)
            if v is not None:
                setattr(group, f, v)
        if row.city and not group.city:
            group.city = row.city
        if row.notes is not None:
            if group.notes is None:
                group.notes = row.notes
            elif row.notes not in group.notes:
                group.notes += "\n" + row.notes
        for line in row.extras or ():
            if group.extras is None:
                group.extras = []
            if line not in group.extras:
                group.extras.append(line)
        for person in row.contacts:
            same = next((c for c in group.contacts if _same_contact(person, c)), None)
            if same is None:
                group.contacts += (person,)
            elif person.phone and person.phone != same.phone:
                known = same.keys
                more = [p for p, k in zip(person.phone.split(", "), person.keys) if k not in known]
                same.phone = ", ".join(([same.phone] if same.phone else []) + more) or None
                same.title = same.title or person.title
            else:
                same.title = same.title or person.title
        if group.merged is None:
            group.merged = []
        group.merged.append(row.line)
        self.merges.append(Merge(row.line, group.line, group.name))




def _narrow(cands: list, row: Row, phones_of) -> list:
    """The candidates a row can mean, most specific evidence last."""
    city = row.city
    if city:
        cands = [c for c in cands if c.city is None or c.city == city]
    if len(cands) > 1:
        exact = [c for c in cands if name_key(c.name) == row.key]
        cands = exact or cands
    phones = [k for c in row.contacts for k in c.keys] if len(cands) > 1 else None
    if phones:
        shared = [c for c in cands if any(k in phones_of(c) for k in phones)]
        cands = shared or cands
    if len(cands) > 1 and city:
        same_city = [c for c in cands if c.city == city]
        cands = same_city or cands
    return cands


def _same_contact(a: Contact, b: Contact) -> bool:
    if a.keys and b.keys:
        return any(k in b.keys for k in a.keys)
    return name_key(a.name) == name_key(b.name)


# --- what changes -----------------------------------------------------------------------------


def merged_notes(current: str | None, notes: str | None, extras: list[str] | None) -> str | None:
    """The notes column replaces the notes; unknown columns' lines are added once."""
    base = notes if notes is not None else current
    if not extras:
        return base
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
    group: Row
    fields: dict[str, Any]
    before: dict[str, Any]
    contacts: list[Contact]  # new contacts
    phone_fills: list[tuple[int, str]]  # (contact id, phone) for a known contact without a phone

    def __bool__(self) -> bool:
        return bool(self.fields or self.contacts or self.phone_fills)


def diff(group: Row, current: dict[str, Any], contacts: list[tuple[int, str, str | None]]) -> Change:
    """What an update would change: current = the client's columns; contacts = (id, name, phone)."""
    changes: dict[str, Any] = {}
    if group.by_id and group.name != current["name"]:
        changes["name"] = group.name
        changes["name_key"] = name_key(group.name)
        changes["dedupe_key"] = dedupe_key(group.name, changes["name_key"])[:200]
    for k, v in group.values.items():
        if not _same(current.get(k), v):
            changes[k] = v
    notes = merged_notes(current.get("notes"), group.notes, group.extras)
    if notes != current.get("notes"):
        changes["notes"] = notes
    new: list[Contact] = []
    fills: list[tuple[int, str]] = []
    same_text = {p for _, _, p in contacts if p}
    people = [c for c in group.contacts if not (c.phone and c.phone in same_text)]  # the usual re-import
    known = [(cid, name_key(n), parse_phones_quiet(p)) for cid, n, p in contacts] if people else []
    for c in people:
        if c.keys and any(k in keys for _, _, keys in known for k in c.keys):
            continue  # that number is already on file
        same_name = [(cid, keys) for cid, k, keys in known if c.name and k == name_key(c.name)]
        if same_name and not c.keys:
            continue  # that person is already on file
        blank = [cid for cid, keys in same_name if not keys]
        if blank:
            fills.append((blank[0], c.phone))  # a known person, now with a number
            continue
        new.append(c)
    before = {k: current.get(k) for k in changes if k not in ("name_key", "dedupe_key")} if changes else _EMPTY
    return Change(current["id"], group, changes or _EMPTY, before, new or _NO_CONTACTS, fills or _NO_CONTACTS)


_EMPTY: dict[str, Any] = {}  # shared by the many unchanged clients of a re-import (never mutated)
_NO_CONTACTS: list = []
