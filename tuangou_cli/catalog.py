"""The catalogue (产品目录): the products a company sells and the bundles made of them. Pure.

A product is one line of a supplier's price list: code, name and spec, a category path
(办公设备/打印机), the unit it is sold in (台, 套, 盒 …), the unit price and whether it
includes VAT, a minimum order, lead time, the occasions, segments and tags it suits, and
quantity tiers. A bundle is made of products, each line a product code and a count per set.

What an offer is built from is an ``Offering``: a bundle, or a single product sold on its own.
Its attribute names are those of a playbook ``Bundle`` (code, name, description, tags,
services, items, set_price), so code written for playbook bundles reads offerings as well.

Reading a price list (``read_rows``) maps Chinese and English headers (品名/名称, 规格, 单位,
单价/含税单价, 税率, 起订量, 货期, 类别, 适用场合 …) to the fields and checks every cell; a
problem is one line naming the row and the column. Nothing here touches the database.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Iterable, Iterator, Sequence

from . import i18n
from .choices import FALSE, TRUE
from .playbook import LocalText
from .pricing import Tier

SEGMENTS = ("office", "welfare", "gift")
TAGS = ("novel", "practical", "economy", "premium", "brandable", "festive", "family", "health", "tech",
        "durable", "safety", "service", "marketing", "custom_logo", "compliant", "card", "luxury", "brand")
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,59}$")
MAX_PRICE = Decimal("100000000")

# The catalogue CSV's own columns, in order (the shipped default and `tg catalog export`).
COLUMNS = ("code", "name_zh", "name_en", "spec_zh", "spec_en", "category_zh", "category_en", "unit_zh",
           "unit_en", "unit_price", "price_includes_vat", "vat_rate", "min_order", "lead_days", "occasions",
           "segments", "tags", "tiers", "active")

# Headers as price lists write them (read by headers.header_field): Chinese and English; where two
# fields share a word (name, category), the Chinese one is listed first and keeps it.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("编码", "商品编码", "产品编码", "物料编码", "货号", "代码", "编号", "型号编码", "sku", "code", "item code",
             "product code", "itemcode", "item no", "item no.", "part no"),
    "name_zh": ("品名", "名称", "商品名称", "产品名称", "货品名称", "物品名称", "中文名", "中文名称", "name_zh", "name",
                "product", "product name", "item", "item name", "description"),
    "name_en": ("英文名", "英文名称", "name_en", "english name", "name (en)"),
    "spec_zh": ("规格", "规格型号", "型号规格", "型号", "规格参数", "spec_zh", "spec", "specification", "specs", "model"),
    "spec_en": ("英文规格", "spec_en", "specification (en)"),
    "category_zh": ("类别", "分类", "品类", "类目", "商品类别", "产品类别", "大类", "category_zh", "category", "type"),
    "category_en": ("英文类别", "category_en", "category (en)"),
    "unit_zh": ("单位", "计量单位", "unit_zh", "unit", "uom"),
    "unit_en": ("英文单位", "unit_en"),
    "unit_price": ("单价", "含税单价", "不含税单价", "价格", "售价", "报价", "销售价", "团购价", "单价元", "unit_price",
                   "price", "unit price", "price incl. vat", "price excl. vat", "net price"),
    "price_includes_vat": ("含税", "是否含税", "价格含税", "price_includes_vat", "includes vat", "incl. vat", "vat included"),
    "vat_rate": ("税率", "增值税率", "增值税税率", "vat_rate", "vat", "vat rate", "tax rate", "tax"),
    "min_order": ("起订量", "最小起订量", "起订", "起订数量", "最低起订", "moq", "min_order", "min order",
                  "minimum order", "min qty"),
    "lead_days": ("货期", "交期", "交货期", "供货周期", "发货周期", "lead_days", "lead time", "lead days", "delivery days"),
    "occasions": ("适用场合", "场合", "适用节日", "节日", "适用场景", "occasions", "occasion"),
    "segments": ("客户类型", "适用客户", "适用对象", "segments", "segment", "buyer type"),
    "tags": ("标签", "特点", "tags", "tag"),
    "tiers": ("阶梯价", "批量折扣", "数量折扣", "阶梯折扣", "tiers", "volume discounts", "quantity tiers"),
    "active": ("状态", "启用", "在售", "上架", "active", "status", "enabled"),
    "lines": ("组成", "套餐组成", "套餐内容", "包含", "lines", "bundle lines", "contents"),
}

UNIT_EN = {"台": "unit", "套": "set", "盒": "box", "张": "card", "件": "piece", "份": "pack", "个": "piece", "箱": "case",
           "瓶": "bottle", "袋": "bag", "把": "piece", "双": "pair", "本": "book", "支": "piece", "桶": "barrel",
           "提": "pack", "只": "piece", "辆": "vehicle", "组": "set", "副": "set", "条": "piece", "块": "piece",
           "卷": "roll", "包": "pack", "罐": "tin", "册": "book", "次": "session", "人": "person", "礼盒": "gift box"}
SEGMENT_WORDS = {"办公": "office", "办公类": "office", "采购": "office", "福利": "welfare", "福利类": "welfare",
                 "礼品": "gift", "礼品类": "gift", "赠品": "gift", "office": "office", "welfare": "welfare",
                 "gift": "gift", "gifts": "gift"}
OCCASION_WORDS = {"春节": "spring_festival", "年货": "spring_festival", "元宵": "lantern", "三八": "womens_day",
                  "三八节": "womens_day", "妇女节": "womens_day", "端午": "dragon_boat", "中秋": "mid_autumn",
                  "国庆": "national_day", "送清凉": "summer", "夏季": "summer", "年终": "year_end", "年会": "year_end",
                  "生日": "birthday", "六一": "childrens_day", "儿童节": "childrens_day", "教师节": "teachers_day",
                  "护士节": "nurses_day", "工会活动": "union_event", "答谢": "client_thanks", "客户答谢": "client_thanks",
                  "促销": "promotion", "开业": "promotion", "会议": "conference", "周年庆": "anniversary",
                  "日常": "routine", "日常采购": "routine", "通用": "any", "不限": "any"}


@dataclass(frozen=True)
class Product:
    code: str
    name: LocalText
    category: LocalText  # a path: 办公设备/打印机 ↔ Office equipment/Printers
    unit: LocalText
    unit_price: Decimal
    spec: LocalText | None = None
    includes_vat: bool = True
    vat_rate: float = 13.0
    min_order: int = 1
    lead_days: int | None = None
    occasions: tuple[str, ...] = ()  # empty: any occasion
    segments: tuple[str, ...] = ()  # empty: any segment
    tags: tuple[str, ...] = ()
    tiers: tuple[Tier, ...] = ()
    active: bool = True

    def row(self) -> dict[str, str]:
        """The product as a catalogue CSV row (COLUMNS)."""
        return {
            "code": self.code, "name_zh": self.name.zh, "name_en": self.name.en,
            "spec_zh": self.spec.zh if self.spec else "", "spec_en": self.spec.en if self.spec else "",
            "category_zh": self.category.zh, "category_en": self.category.en, "unit_zh": self.unit.zh,
            "unit_en": self.unit.en, "unit_price": f"{self.unit_price:.2f}",
            "price_includes_vat": "1" if self.includes_vat else "0", "vat_rate": f"{self.vat_rate:g}",
            "min_order": str(self.min_order), "lead_days": "" if self.lead_days is None else str(self.lead_days),
            "occasions": ";".join(self.occasions), "segments": ";".join(self.segments), "tags": ";".join(self.tags),
            "tiers": ";".join(f"{t.min_qty}:{t.discount_pct:g}" for t in self.tiers),
            "active": "1" if self.active else "0",
        }


@dataclass(frozen=True)
class Line:
    """A bundle line: a product and how many of it go in one set. Reads like a playbook Item."""

    product: Product
    count: int = 1

    @property
    def name(self) -> LocalText:
        return self.product.name

    @property
    def unit_price(self) -> Decimal:
        return self.product.unit_price

    @property
    def per_set(self) -> int:
        return self.count


@dataclass(frozen=True)
class Offering:
    """What can be offered: a bundle of product lines, or one product on its own (``single``)."""

    code: str
    name: LocalText
    description: LocalText
    lines: tuple[Line, ...]
    unit: LocalText  # 套/set for a bundle; the product's unit (台, 盒 …) for one product
    segments: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    occasions: tuple[str, ...] = ()
    services: tuple[LocalText, ...] = ()
    min_order: int = 1
    tiers: tuple[Tier, ...] = ()
    per_group: int | None = None  # one set per this many people (a safety kit per floor)
    fixed: int | None = None  # always this many sets (one meeting room)
    single: bool = False
    source: object = None  # the playbook Bundle it was made from, if any
    paths: tuple[str, ...] = ()  # the lines' category paths, when worked out beforehand (single())

    @property
    def items(self) -> tuple[Line, ...]:
        return self.lines

    @property
    def set_price(self) -> Decimal:
        if self.single:
            return self.lines[0].product.unit_price
        return sum((ln.product.unit_price * ln.count for ln in self.lines), Decimal(0))

    @property
    def categories(self) -> tuple[str, ...]:
        return self.paths or tuple(dict.fromkeys(ln.product.category.zh for ln in self.lines))

    @property
    def includes_vat(self) -> bool:
        return all(ln.product.includes_vat for ln in self.lines)

    @property
    def vat_rate(self) -> float:
        return max((ln.product.vat_rate for ln in self.lines), default=0.0)

    @property
    def lead_days(self) -> int | None:
        days = [ln.product.lead_days for ln in self.lines if ln.product.lead_days is not None]
        return max(days) if days else None

    def in_category(self, category: str) -> bool:
        return any(in_category(c, category) for c in self.categories)


def in_category(path: str, asked: str) -> bool:
    """办公设备/打印机 is in 办公设备/打印机 and in 办公设备."""
    return path == asked or path.startswith(asked.rstrip("/") + "/")


def single(product: Product) -> Offering:
    spec = product.spec or product.name
    return Offering(code=product.code, name=product.name, description=spec, lines=(Line(product, 1),),
                    unit=product.unit, segments=product.segments, tags=product.tags,
                    occasions=tuple(o for o in product.occasions if o != "any"), min_order=product.min_order,
                    tiers=product.tiers, single=True, paths=(product.category.zh,))


@dataclass
class Catalogue:
    """Products by code and the offerings built of them: bundles first, then single products."""

    products: dict[str, Product] = field(default_factory=dict)
    bundles: list[Offering] = field(default_factory=list)
    # offerings() built once (a batch prices every row from one catalogue). A catalogue is made
    # whole and then only read; products and bundles are never replaced in place, so the sizes
    # and identities of the two are enough to tell that it is still the one built from.
    _built: tuple = field(default=(), init=False, repr=False, compare=False)

    def offerings(self) -> list[Offering]:
        key = (len(self.products), len(self.bundles), id(self.products), id(self.bundles))
        if self._built and self._built[0] == key:
            return list(self._built[1])
        bundle_codes = {b.code for b in self.bundles}
        out = [*self.bundles, *(single(p) for p in self.products.values() if p.active and p.code not in bundle_codes)]
        self._built = (key, tuple(out))
        return out

    def categories(self) -> set[str]:
        return {p.category.zh for p in self.products.values() if p.active}

    def offering(self, code: str) -> Offering | None:
        b = next((b for b in self.bundles if b.code == code), None)
        if b is not None:
            return b
        p = self.products.get(code)
        return single(p) if p is not None else None


# --- the playbook's bundles as catalogue bundles ------------------------------------------

SET = LocalText("套", "set")


def product_code(bundle_code: str, index: int) -> str:
    return f"PB-{bundle_code.upper().replace('_', '-')}-{index + 1:02d}"


def from_playbook_bundle(b) -> tuple[list[Product], Offering]:
    """A playbook bundle's items as products (coded PB-<BUNDLE>-NN) and the bundle of them."""
    products, lines = [], []
    for i, item in enumerate(b.items):
        category = getattr(item, "category", None) or LocalText("其他/套餐配件", "Other/Bundle parts")
        unit = getattr(item, "unit", None) or LocalText("件", "piece")
        # The parts of a playbook bundle are sold in it, not on their own (inactive).
        p = Product(code=product_code(b.code, i), name=item.name, category=category, unit=unit,
                    unit_price=item.unit_price, segments=tuple(b.segments), tags=tuple(b.tags),
                    occasions=tuple(b.occasions), active=False)
        products.append(p)
        lines.append(Line(p, item.per_set))
    q = b.quantity
    offering = Offering(code=b.code, name=b.name, description=b.description, lines=tuple(lines), unit=SET,
                        segments=tuple(b.segments), tags=tuple(b.tags), occasions=tuple(b.occasions),
                        services=tuple(b.services), min_order=q.min_sets, tiers=tuple(Tier(t.min_sets, t.discount_pct)
                                                                                        for t in b.tiers),
                        per_group=q.group_size if q.rule == "per_group" else None,
                        fixed=q.sets if q.rule == "fixed" else None, source=b)
    return products, offering


_FROM_PB: dict[int, tuple[object, Catalogue]] = {}


def from_playbook(pb) -> Catalogue:
    """The playbook's bundles alone, as a catalogue (what recommend() uses when given none)."""
    cached = _FROM_PB.get(id(pb))
    if cached is not None and cached[0] is pb:
        return cached[1]
    cat = Catalogue()
    for b in pb.bundles:
        products, offering = from_playbook_bundle(b)
        cat.products.update((p.code, p) for p in products)
        cat.bundles.append(offering)
    if len(_FROM_PB) > 8:
        _FROM_PB.clear()
    _FROM_PB[id(pb)] = (pb, cat)
    return cat


def merged(db_catalogue: Catalogue, pb) -> Catalogue:
    """The company's catalogue, plus any playbook bundle it does not have (a custom playbook's)."""
    have = {b.code for b in db_catalogue.bundles}
    extra = [b for b in from_playbook(pb).bundles if b.code not in have]
    if not extra:
        return db_catalogue
    products = dict(db_catalogue.products)
    for b in extra:
        for ln in b.lines:
            products.setdefault(ln.product.code, ln.product)
    return Catalogue(products, [*db_catalogue.bundles, *extra])


# --- reading a price list -----------------------------------------------------------------
# The cell parsers are memoised: a price list repeats its units, rates, occasions, tags and
# tiers row after row (10,000 rows read in a fraction of the time). They raise ValueError,
# which is not cached.


@dataclass(frozen=True)
class BundleRow:
    """A price-list row that is a bundle: it names its products (组成: CODE×N;CODE×N)."""

    row: int
    column: str  # the file's name of the lines column, for problems found later
    code: str
    name: LocalText
    description: LocalText
    lines: tuple[tuple[str, int], ...]
    segments: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    occasions: tuple[str, ...] = ()
    min_order: int = 1
    tiers: tuple[Tier, ...] = ()

    def offering(self, products: dict[str, Product]) -> Offering:
        return Offering(code=self.code, name=self.name, description=self.description,
                        lines=tuple(Line(products[c], n) for c, n in self.lines), unit=SET, segments=self.segments,
                        tags=self.tags, occasions=self.occasions, min_order=self.min_order, tiers=self.tiers)


def parse_lines(text: str) -> tuple[tuple[str, int], ...]:
    out = []
    for part in re.split(r"[;；,，]", unicodedata.normalize("NFKC", text)):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9_-]*)\s*(?:[x×*]\s*(\d+))?", part)
        if not m or (m.group(2) is not None and int(m.group(2)) < 1):
            raise ValueError(i18n.t("catalog.bad_lines", value=text))
        out.append((m.group(1).upper(), int(m.group(2) or 1)))
    if not out:
        raise ValueError(i18n.t("catalog.bad_lines", value=text))
    return tuple(out)


class RowProblem(ValueError):
    """One bad cell: the row (1 = the header) and the column as the file names it."""

    def __init__(self, row: int, column: str, message: str):
        super().__init__(message)
        self.row, self.column, self.message = row, column, message

    def line(self, source: str) -> str:
        return i18n.t("catalog.bad_cell", path=source, row=self.row, column=self.column, reason=self.message)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().replace("_", " ").split())


@functools.cache
def _aliases() -> dict[str, str]:
    from .headers import alias_index

    return alias_index(HEADER_ALIASES, {f: (f,) for f in COLUMNS})


def map_headers(headers: Sequence[str]) -> dict[str, int]:
    """field → column index; the first column naming a field wins; unknown columns are ignored.
    Headers are read by the one header vocabulary's rules (headers.header_field)."""
    from .headers import header_field

    aliases = _aliases()
    out: dict[str, int] = {}
    for i, h in enumerate(headers):
        f = header_field(aliases, str(h).lstrip("\ufeff*"))
        if f is not None and f not in out:
            out[f] = i
            if f == "unit_price" and "不含税" in str(h):
                out.setdefault("_excl_vat", i)
            elif f == "unit_price" and ("含税" in str(h) or "incl" in str(h).casefold()):
                out.setdefault("_incl_vat", i)
    return out


_MONEY = re.compile(r"^[¥￥$]?\s*(-?[\d,]*\.?\d+)\s*(元|rmb|cny|yuan)?$", re.I)
_INT = re.compile(r"^(\d+)(?:\s*[-~～到至]\s*(\d+))?\s*(天|日|days?|d|周|weeks?|w|个|台|套|盒|张|件|份|箱|瓶|袋|支|本|只|[\u4e00-\u9fff]{1,2})?$", re.I)


@functools.lru_cache(maxsize=4096)
def parse_price(text: str) -> Decimal:
    s = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    m = _MONEY.match(s)
    if not m:
        raise ValueError(i18n.t("catalog.bad_price", value=text))
    try:
        d = Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:
        raise ValueError(i18n.t("catalog.bad_price", value=text)) from None
    if d < 0:
        raise ValueError(i18n.t("catalog.negative_price", value=text))
    if d == 0 or d >= MAX_PRICE:
        raise ValueError(i18n.t("catalog.bad_price", value=text))
    if d != d.quantize(Decimal("0.01")):
        raise ValueError(i18n.t("catalog.price_fen", value=text))
    return d.quantize(Decimal("0.01"))


@functools.lru_cache(maxsize=4096)
def parse_int(text: str, *, what: str) -> int:
    s = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    m = _INT.match(s)
    if not m:
        raise ValueError(i18n.t("catalog.bad_number", what=i18n.t(f"catalog.what.{what}"), value=text))
    n = int(m.group(2) or m.group(1))
    unit = (m.group(3) or "").casefold()
    if unit in ("周", "week", "weeks", "w"):
        n *= 7
    return n


@functools.lru_cache(maxsize=4096)
def parse_rate(text: str) -> float:
    s = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    pct = s.endswith("%")
    s = s.rstrip("%")
    try:
        v = Decimal(s)
    except InvalidOperation:
        raise ValueError(i18n.t("catalog.bad_rate", value=text)) from None
    if not pct and Decimal(0) < v < 1:  # 0.13 means 13%
        v *= 100
    if v < 0 or v > 100:
        raise ValueError(i18n.t("catalog.rate_range", value=text))
    return float(v)


@functools.lru_cache(maxsize=4096)
def parse_bool(text: str) -> bool:
    s = unicodedata.normalize("NFKC", text).strip().casefold()
    if s in TRUE:
        return True
    if s in FALSE:
        return False
    raise ValueError(i18n.t("catalog.bad_bool", value=text))


_LIST_SEP = re.compile(r"[;；,，、|/]")


def split_list(text: str) -> list[str]:
    return [x.strip() for x in _LIST_SEP.split(unicodedata.normalize("NFKC", text)) if x.strip()]


@functools.lru_cache(maxsize=4096)
def parse_occasions(text: str) -> tuple[str, ...]:
    out = []
    for x in split_list(text):
        code = OCCASION_WORDS.get(x, x.casefold())
        if code != "any" and re.fullmatch(r"[a-z][a-z0-9_]*", code):
            out.append(code)
    return tuple(dict.fromkeys(out))


@functools.lru_cache(maxsize=4096)
def parse_segments(text: str) -> tuple[str, ...]:
    out = []
    for x in split_list(text):
        code = SEGMENT_WORDS.get(x.casefold(), SEGMENT_WORDS.get(x))
        if code is None:
            raise ValueError(i18n.t("catalog.bad_segment", value=x, known=", ".join(SEGMENTS)))
        out.append(code)
    return tuple(dict.fromkeys(out))


@functools.lru_cache(maxsize=4096)
def parse_tags(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x.casefold() for x in split_list(text) if re.fullmatch(r"[a-z][a-z0-9_]*", x.casefold())))


@functools.lru_cache(maxsize=4096)
def parse_tiers(text: str) -> tuple[Tier, ...]:
    tiers = []
    for part in re.split(r"[;；]", text):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"(\d+)\s*[:：]\s*(\d+(?:\.\d+)?)\s*%?", part)
        if not m:
            raise ValueError(i18n.t("catalog.bad_tiers", value=text))
        q, pct = int(m.group(1)), float(m.group(2))
        if q < 2 or not 0 < pct < 90:
            raise ValueError(i18n.t("catalog.bad_tiers", value=text))
        tiers.append(Tier(q, pct))
    for a, b in zip(tiers, tiers[1:]):
        if b.min_qty <= a.min_qty or b.discount_pct <= a.discount_pct:
            raise ValueError(i18n.t("catalog.tiers_rise", value=text))
    return tuple(tiers)


def generated_code(name: str, spec: str) -> str:
    digest = hashlib.sha1(f"{name}\x1f{spec}".encode()).hexdigest()[:8].upper()
    return f"P-{digest}"


def read_rows(headers: Sequence[str], rows: Iterable[Sequence[str]], *, first_row: int = 2,
              lines: Sequence[int] | None = None, header_row: int = 1
              ) -> Iterator[Product | BundleRow | RowProblem]:
    """Each data row as a Product, or a RowProblem for its first bad cell. A missing name or price
    column raises RowProblem for the header row at once; a code seen twice is a problem of the
    second row. Rows are numbered from ``first_row``, or by ``lines`` (the file's own numbers)."""
    cols = map_headers(headers)
    for needed in ("name_zh", "unit_price"):
        if needed not in cols:
            raise RowProblem(header_row, needed, i18n.t("catalog.missing_column", field=needed,
                                               names="/".join(HEADER_ALIASES[needed][:4])))
    names = {f: str(headers[i]) for f, i in cols.items()}
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=first_row):
        if lines is not None:
            n = lines[n - first_row]
        cells = [str(c) if c is not None else "" for c in row]
        if not any(c.strip() for c in cells):
            continue
        # A code given twice is the second row's problem even when the first row has another.
        given = unicodedata.normalize("NFKC", _cell(cols, cells, "code")).strip().upper().replace(" ", "-")
        if given and given in seen:
            yield RowProblem(n, names.get("code", "code"), i18n.t("catalog.duplicate_code", code=given, row=seen[given]))
            continue
        if given:
            seen[given] = n
        try:
            p = _bundle_row(cols, cells, n, names) if _cell(cols, cells, "lines") else _product(cols, cells)
        except _Cell as exc:
            yield RowProblem(n, names.get(exc.field, exc.field), exc.message)
            continue
        if not given and p.code in seen:
            yield RowProblem(n, names.get("code", "code"), i18n.t("catalog.duplicate_code", code=p.code, row=seen[p.code]))
            continue
        seen.setdefault(p.code, n)
        yield p


def _cell(cols: dict[str, int], cells: list[str], f: str) -> str:
    i = cols.get(f)
    return cells[i].strip() if i is not None and i < len(cells) else ""


def _bundle_row(cols: dict[str, int], cells: list[str], n: int, names: dict[str, str]) -> BundleRow:
    def get(f: str) -> str:
        return _cell(cols, cells, f)

    def parsed(f: str, fn, *args, **kw):
        try:
            return fn(get(f), *args, **kw)
        except ValueError as exc:
            raise _Cell(f, str(exc)) from None

    name_zh = get("name_zh")
    if not name_zh:
        raise _Cell("name_zh", i18n.t("catalog.no_name"))
    code = unicodedata.normalize("NFKC", get("code")).strip().upper().replace(" ", "-") or \
        generated_code(name_zh, get("lines"))
    if not CODE_RE.match(code):
        raise _Cell("code", i18n.t("catalog.bad_code", value=get("code")))
    spec = get("spec_zh") or name_zh
    min_order = parsed("min_order", parse_int, what="min_order") if get("min_order") else 1
    if min_order < 1:
        raise _Cell("min_order", i18n.t("catalog.min_order_zero", value=get("min_order")))
    return BundleRow(n, names.get("lines", "lines"), code, LocalText(name_zh, get("name_en") or name_zh),
                     LocalText(spec, get("spec_en") or spec), parsed("lines", parse_lines),
                     segments=parsed("segments", parse_segments), tags=parsed("tags", parse_tags),
                     occasions=parsed("occasions", parse_occasions), min_order=min_order,
                     tiers=parsed("tiers", parse_tiers))


class _Cell(Exception):
    def __init__(self, field: str, message: str):
        self.field, self.message = field, message


_CATEGORY_NAME = re.compile(r"[^\W\d_]")


def _product(cols: dict[str, int], cells: list[str]) -> Product:
    n = len(cells)
    vals = {f: cells[i].strip() for f, i in cols.items() if i < n}
    get = vals.get

    def parsed(f: str, fn, *args, **kw):
        try:
            return fn(vals.get(f, ""), *args, **kw)
        except ValueError as exc:
            raise _Cell(f, str(exc)) from None

    name_zh = get("name_zh", "")
    if not name_zh:
        raise _Cell("name_zh", i18n.t("catalog.no_name"))
    if not get("unit_price", ""):
        raise _Cell("unit_price", i18n.t("catalog.no_price"))
    price = parsed("unit_price", parse_price)
    spec_zh = get("spec_zh", "")
    code = unicodedata.normalize("NFKC", get("code", "")).strip().upper().replace(" ", "-") or generated_code(name_zh, spec_zh)
    if not CODE_RE.match(code):
        raise _Cell("code", i18n.t("catalog.bad_code", value=get("code", "")))
    category_zh = get("category_zh", "") or "其他"
    if not _CATEGORY_NAME.search(category_zh):  # 0301: an ERP category number, not a path
        raise _Cell("category_zh", i18n.t("catalog.bad_category", value=category_zh))
    unit_zh = get("unit_zh", "") or "件"
    if get("price_includes_vat", ""):
        includes = parsed("price_includes_vat", parse_bool)
    else:
        includes = "_excl_vat" not in cols
    vat = parsed("vat_rate", parse_rate) if get("vat_rate", "") else 13.0
    min_order = parsed("min_order", parse_int, what="min_order") if get("min_order", "") else 1
    if min_order < 1:
        raise _Cell("min_order", i18n.t("catalog.min_order_zero", value=get("min_order", "")))
    lead = parsed("lead_days", parse_int, what="lead_days") if get("lead_days", "") else None
    active = parsed("active", parse_bool) if get("active", "") else True
    return Product(
        code=code, name=LocalText(name_zh, get("name_en", "") or name_zh),
        spec=LocalText(spec_zh, get("spec_en", "") or spec_zh) if spec_zh else None,
        category=LocalText(category_zh, get("category_en", "") or category_zh),
        unit=LocalText(unit_zh, get("unit_en", "") or UNIT_EN.get(unit_zh, unit_zh)), unit_price=price,
        includes_vat=includes, vat_rate=vat, min_order=min_order, lead_days=lead,
        occasions=parsed("occasions", parse_occasions), segments=parsed("segments", parse_segments),
        tags=parsed("tags", parse_tags), tiers=parsed("tiers", parse_tiers), active=active,
    )


def search_products(catalogue: Catalogue, query: str) -> list[Product]:
    """Active products whose code, name, spec, category or tags hold every word of the query."""
    words = [_fold(w) for w in query.split() if w.strip()]
    out = []
    for p in catalogue.products.values():
        if not p.active:
            continue
        text = _fold(" ".join([p.code, p.name.zh, p.name.en, p.spec.zh if p.spec else "",
                                     p.spec.en if p.spec else "", p.category.zh, p.category.en, *p.tags]))
        if all(w in text for w in words):
            out.append(p)
    return out
