"""An XLSX sheet read as a stream, straight from the zip: memory flat in the row count.

tables.py reads a small sheet with python-calamine (fast, but it holds the whole sheet in
memory) and a large one here: expat parses the sheet's XML a piece at a time and each row is
handed on as soon as it ends. Only the shared strings table is held (it is what the cells
point into).

The XML is parsed with no document type at all: a DOCTYPE (and so any entity, a "billion
laughs" among them) is an error, not something to expand. Cells keep their type: a number is
an int or a float, a date-formatted number a datetime, a numeric cell holding text its text.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterator
from xml.parsers import expat

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PIECE = 1 << 16
_EPOCH = datetime(1899, 12, 30)
_DATE_FORMATS = frozenset((*range(14, 23), 45, 46, 47))  # Excel's built-in date and time formats
_DATE_CODE = re.compile(r"(\[[^\]]*\]|\"[^\"]*\"|\\.)")


class NotAWorkbook(ValueError):
    """A part of the workbook is missing or is not what a workbook holds."""


def _parser() -> expat.XMLParserType:
    p = expat.ParserCreate(namespace_separator=" ")
    p.buffer_text = True

    def refuse(*_args):
        raise NotAWorkbook("a document type declaration (DOCTYPE) is not allowed in a workbook")

    p.StartDoctypeDeclHandler = refuse
    p.EntityDeclHandler = refuse
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return p


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


def _parse_part(z: zipfile.ZipFile, part: str, start, end=None, text=None) -> None:
    p = _parser()
    p.StartElementHandler = start
    if end is not None:
        p.EndElementHandler = end
    if text is not None:
        p.CharacterDataHandler = text
    with z.open(part) as f:
        while piece := f.read(_PIECE):
            p.Parse(piece, False)
    p.Parse(b"", True)


def _sheets(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, part path) of each sheet, in workbook order."""
    found: list[tuple[str, str]] = []
    targets: dict[str, str] = {}

    def sheet(name, attrs):
        if _local(name) == "sheet":
            found.append((attrs.get("name", ""), attrs.get(f"{_REL} id", "")))

    def rel(name, attrs):
        if _local(name) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    _parse_part(z, "xl/workbook.xml", sheet)
    if "xl/_rels/workbook.xml.rels" in z.namelist():
        _parse_part(z, "xl/_rels/workbook.xml.rels", rel)
    out = []
    for i, (name, rid) in enumerate(found, start=1):
        target = targets.get(rid) or f"worksheets/sheet{i}.xml"
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out.append((name, part))
    return out


def sheet_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [name for name, _part in _sheets(z)]


def sheet_part_size(path: Path, sheet: str | None) -> int:
    with zipfile.ZipFile(path) as z:
        for name, part in _sheets(z):
            if sheet is None or name == sheet:
                try:
                    return z.getinfo(part).file_size
                except KeyError:
                    return 0
    return 0


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    names = set(z.namelist())
    if "xl/sharedStrings.xml" not in names:
        return []
    out: list[str] = []
    parts: list[str] = []
    state = {"in_si": False, "in_t": False, "in_rph": False}

    def start(name, _attrs):
        tag = _local(name)
        if tag == "si":
            state["in_si"] = True
            parts.clear()
        elif tag == "t" and state["in_si"] and not state["in_rph"]:
            state["in_t"] = True
        elif tag == "rPh":  # phonetic hints (furigana): not part of the text
            state["in_rph"] = True

    def end(name):
        tag = _local(name)
        if tag == "si":
            out.append("".join(parts))
            state["in_si"] = False
        elif tag == "t":
            state["in_t"] = False
        elif tag == "rPh":
            state["in_rph"] = False

    def text(data):
        if state["in_t"]:
            parts.append(data)

    _parse_part(z, "xl/sharedStrings.xml", start, end, text)
    return out


def _date_styles(z: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell formats (the ``s`` of a cell) that show a number as a date."""
    if "xl/styles.xml" not in z.namelist():
        return frozenset()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    state = {"in_xfs": False}

    def start(name, attrs):
        tag = _local(name)
        if tag == "numFmt":
            try:
                custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
            except ValueError:
                pass
        elif tag == "cellXfs":
            state["in_xfs"] = True
        elif tag == "xf" and state["in_xfs"]:
            try:
                xfs.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xfs.append(0)

    def end(name):
        if _local(name) == "cellXfs":
            state["in_xfs"] = False

    _parse_part(z, "xl/styles.xml", start, end)

    def is_date(fmt: int) -> bool:
        if fmt in _DATE_FORMATS:
            return True
        code = _DATE_CODE.sub("", custom.get(fmt, "")).lower()
        return bool(code) and any(ch in code for ch in "ymdh") and "general" not in code

    return frozenset(i for i, fmt in enumerate(xfs) if is_date(fmt))


def _column(ref: str) -> int:
    """'C7' → 2 (0-based)."""
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            n = n * 26 + ord(ch) - 96
        else:
            break
    return n - 1


def _number(text: str) -> Any:
    try:
        value = float(text)
    except ValueError:
        return text  # a "numeric" cell holding text: the text, as written
    if value.is_integer() and abs(value) < 1e15 and "." not in text and "e" not in text.lower():
        return int(value)
    return value


class SheetStream:
    """One sheet's rows, parsed as they are read from the zip."""

    def __init__(self, path: Path, sheet: str | None):
        self._zip = zipfile.ZipFile(path)
        try:
            sheets = _sheets(self._zip)
            parts = [part for name, part in sheets if sheet is None or name == sheet]
            if not parts:
                raise NotAWorkbook(f"no sheet {sheet}")
            self._part = parts[0]
            self._strings = _shared_strings(self._zip)
            self._dates = _date_styles(self._zip)
        except BaseException:
            self._zip.close()
            raise

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "SheetStream":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values) for each row the sheet holds, in order; values None where blank.

        ElementTree's pull parser builds each row in C; Python only sees a row once it has
        ended, and the rows handed on are dropped from the tree at once."""
        from xml.etree.ElementTree import XMLPullParser

        strings, dates = self._strings, self._dates
        c_tag, v_tag, is_tag, t_tag, row_tag = (f"{{{_MAIN}}}{x}" for x in ("c", "v", "is", "t", "row"))
        data_tag = f"{{{_MAIN}}}sheetData"
        parser = XMLPullParser(events=("start", "end"))
        sheet_data = None
        line = 0
        first = True
        try:
            with self._zip.open(self._part) as f:
                while True:
                    piece = f.read(_PIECE)
                    if first:
                        no_doctype(piece)
                        first = False
                    if piece:
                        parser.feed(piece)
                    else:
                        parser.close()
                    for event, elem in parser.read_events():
                        if event == "start":
                            if elem.tag == data_tag:
                                sheet_data = elem
                            continue
                        if elem.tag != row_tag:
                            continue
                        r = elem.get("r")
                        line = int(r) if r and r.isdigit() else line + 1
                        row: list[Any] = []
                        for c in elem:
                            if c.tag != c_tag:
                                continue
                            kind = c.get("t", "n")
                            if kind == "inlineStr":
                                node = c.find(is_tag)
                                raw = "" if node is None else "".join(t.text or "" for t in node.iter(t_tag))
                            else:
                                v = c.find(v_tag)
                                raw = "" if v is None or v.text is None else v.text
                            value = _value(kind, raw, c.get("s"), strings, dates)
                            ref = c.get("r")
                            col = _column(ref) if ref else len(row)
                            if col >= len(row):
                                if col - len(row) > 100_000:
                                    raise NotAWorkbook(f"a cell at column {col + 1}")
                                row.extend([None] * (col + 1 - len(row)))
                            row[col] = value
                        yield line, row
                        elem.clear()
                    if sheet_data is not None:
                        sheet_data.clear()  # the rows handed on: memory stays flat
                    if not piece:
                        break
        except KeyError:
            raise NotAWorkbook(f"the workbook has no part {self._part}") from None


def no_doctype(piece: bytes) -> None:
    """A DOCTYPE comes before the first element: refuse one (no entity is ever expanded)."""
    head = piece[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head or b"\x00" in head:
        raise NotAWorkbook("a document type declaration (DOCTYPE) is not allowed in a workbook")


def _value(kind: str, raw: str, style: str | None, strings: list[str], dates: frozenset[int]) -> Any:
    if kind == "s":
        try:
            return strings[int(raw)]
        except (ValueError, IndexError):
            raise NotAWorkbook(f"a shared string that does not exist ({raw[:20]})") from None
    if kind in ("inlineStr", "str"):
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return raw  # #N/A, #DIV/0!: shown as written
    if not raw:
        return None
    value = _number(raw)
    if dates and style and style.isdigit() and int(style) in dates and isinstance(value, (int, float)) \
            and 0 <= value < 2_958_466:
        return _EPOCH + timedelta(days=float(value))
    return value
