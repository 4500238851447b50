"""The catalogue in the database: read it for an offer, import a price list, change a price.

The catalogue the offer is built from is the database's; a database whose catalogue tables are
empty (never seeded, or on a machine with no database yet) offers the shipped default
(``data/catalog.csv`` plus the playbook's bundles), the same content migration 0006 seeds.

Reading for an offer takes the cheapest road: the stdlib sqlite3 module on a SQLite file at
the schema this tg knows (no SQLAlchemy import: `tg classify` stays instant), SQLAlchemy Core
otherwise. Writes are Core statements inside the caller's one transaction (``Store.write()``),
many rows per statement, with an audit row saying what changed.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from .. import catalog as cat
from ..playbook import LocalText
from ..pricing import Tier

DEFAULT_CATALOG = Path(__file__).resolve().parent.parent / "data" / "catalog.csv"
PRODUCT_COLUMNS = ("code", "name_zh", "name_en", "spec_zh", "spec_en", "category_zh", "category_en", "unit_zh",
                   "unit_en", "price_fen", "includes_vat", "vat_rate", "min_order", "lead_days", "occasions",
                   "segments", "tags", "tiers", "active")
BUNDLE_COLUMNS = ("id", "code", "name_zh", "name_en", "description_zh", "description_en", "segments", "tags",
                  "occasions", "services", "min_sets", "per_group", "fixed_sets", "tiers", "active")


# --- the shipped default ------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _default_products(path: str, _mtime: float) -> tuple[cat.Product, ...]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    out = []
    for item in cat.read_rows(rows[0], rows[1:]):
        if isinstance(item, cat.RowProblem):
            raise ValueError(item.line(path))
        out.append(item)
    return tuple(out)


def default_products(path: Path = DEFAULT_CATALOG) -> tuple[cat.Product, ...]:
    return _default_products(str(path), path.stat().st_mtime)


def default_catalogue(pb) -> cat.Catalogue:
    """The shipped default catalogue with the playbook's bundles."""
    base = cat.Catalogue({p.code: p for p in shipped_products(pb)}, [])
    return cat.merged(base, pb)


def shipped_products(pb) -> tuple[cat.Product, ...]:
    """The shipped default products, unless the playbook says it sells only its own bundles."""
    return default_products() if pb is None or pb.catalog.shipped_products else ()


# --- rows ↔ products ----------------------------------------------------------------------


def product_row(p: cat.Product, by: str, now) -> dict[str, Any]:
    r = p.row()
    return {"code": p.code, "name_zh": p.name.zh, "name_en": p.name.en, "spec_zh": p.spec.zh if p.spec else None,
            "spec_en": p.spec.en if p.spec else None, "category_zh": p.category.zh, "category_en": p.category.en,
            "unit_zh": p.unit.zh, "unit_en": p.unit.en, "price_fen": int(p.unit_price * 100),
            "includes_vat": p.includes_vat, "vat_rate": p.vat_rate, "min_order": p.min_order,
            "lead_days": p.lead_days, "occasions": r["occasions"], "segments": r["segments"], "tags": r["tags"],
            "tiers": r["tiers"], "active": p.active, "updated_at": now, "updated_by": by}


# Catalogue rows repeat their segments, tags, units and categories: each distinct text is
# parsed once per process (5,000 products read in a third of the time).
@functools.lru_cache(maxsize=8192)
def _split(text: str | None) -> tuple[str, ...]:
    return tuple(x for x in text.split(";") if x) if text else ()


@functools.lru_cache(maxsize=4096)
def _tiers(text: str | None) -> tuple[Tier, ...]:
    out = []
    for part in _split(text):
        q, _, pct = part.partition(":")
        out.append(Tier(int(q), float(pct)))
    return tuple(out)


@functools.lru_cache(maxsize=8192)
def _text(zh: str, en: str) -> LocalText:
    return LocalText(zh, en)


def product_from(r: Any) -> cat.Product:
    """A Product from a row in PRODUCT_COLUMNS order (sqlite3 tuple or SQLAlchemy Row)."""
    (code, name_zh, name_en, spec_zh, spec_en, category_zh, category_en, unit_zh, unit_en, price_fen,
     includes_vat, vat_rate, min_order, lead_days, occasions, segments, tags, tiers, active) = r
    return cat.Product(
        code=code, name=LocalText(name_zh, name_en), category=_text(category_zh, category_en),
        unit=_text(unit_zh, unit_en), unit_price=Decimal(price_fen).scaleb(-2),
        spec=LocalText(spec_zh, spec_en or spec_zh) if spec_zh else None, includes_vat=bool(includes_vat),
        vat_rate=float(vat_rate), min_order=int(min_order), lead_days=lead_days, occasions=_split(occasions),
        segments=_split(segments), tags=_split(tags), tiers=_tiers(tiers), active=bool(active))


def _bundle_from(r: Any, lines: list[tuple[str, int]], products: dict[str, cat.Product]) -> cat.Offering | None:
    (_id, code, name_zh, name_en, d_zh, d_en, segments, tags, occasions, services, min_sets, per_group,
     fixed_sets, tiers, active) = r
    if not active:
        return None
    if isinstance(services, str):
        import json

        services = json.loads(services)
    got = [cat.Line(products[c], n) for c, n in lines if c in products]
    if not got:
        return None
    return cat.Offering(code=code, name=LocalText(name_zh, name_en), description=LocalText(d_zh, d_en),
                        lines=tuple(got), unit=cat.SET, segments=_split(segments), tags=_split(tags),
                        occasions=_split(occasions),
                        services=tuple(LocalText(s["zh"], s["en"]) for s in services or ()),
                        min_order=int(min_sets), tiers=_tiers(tiers), per_group=per_group, fixed=fixed_sets)


def _assemble(product_rows: Iterable, bundle_rows: Iterable, line_rows: Iterable) -> cat.Catalogue:
    products = {p.code: p for p in map(product_from, product_rows)}
    lines: dict[int, list[tuple[str, int]]] = {}
    for bundle_id, code, count in line_rows:
        lines.setdefault(bundle_id, []).append((code, count))
    bundles = [b for r in bundle_rows if (b := _bundle_from(r, lines.get(r[0], []), products)) is not None]
    return cat.Catalogue(products, bundles)


_P = ", ".join(PRODUCT_COLUMNS)
_B = ", ".join(BUNDLE_COLUMNS)
_SQL_PRODUCTS = f"SELECT {_P} FROM product ORDER BY id"
_SQL_BUNDLES = f"SELECT {_B} FROM catalog_bundle ORDER BY id"
_SQL_LINES = "SELECT bundle_id, product_code, count FROM bundle_line ORDER BY bundle_id, position, id"


def _where(segment: str | None, category: str | None, occasions: set[str] | None = None) -> tuple[str, dict]:
    """Only what an offer for this segment or category can use: the products of the category
    (whatever their segment), else those for the segment and made for no other occasion than
    these; always every bundle's parts."""
    if category:
        cond, params = "(category_zh = :c OR category_zh LIKE :cp)", {"c": category, "cp": category.rstrip("/") + "/%"}
    elif segment:
        cond, params = "(segments = '' OR ';' || segments || ';' LIKE :sp)", {"sp": f"%;{segment};%"}
        if occasions:
            ors = " OR ".join(f"';' || occasions || ';' LIKE :o{i}" for i in range(len(occasions)))
            cond += f" AND (occasions = '' OR occasions = 'any' OR {ors})"
            params.update({f"o{i}": f"%;{o};%" for i, o in enumerate(sorted(occasions))})
    else:
        return "", {}
    return f" WHERE code IN (SELECT product_code FROM bundle_line) OR (active AND {cond})", params


def load_sqlite(conn, *, segment: str | None = None, category: str | None = None,
                occasions: set[str] | None = None) -> cat.Catalogue:
    """The catalogue through a stdlib sqlite3 connection (narrowed as ``_where`` says)."""
    where, params = _where(segment, category, occasions)
    sql = _SQL_PRODUCTS.replace(" ORDER BY", where + " ORDER BY")
    return _assemble(conn.execute(sql, params), conn.execute(_SQL_BUNDLES), conn.execute(_SQL_LINES))


def load(session, *, segment: str | None = None, category: str | None = None,
         occasions: set[str] | None = None) -> cat.Catalogue:
    """The catalogue through a SQLAlchemy session or connection (narrowed as ``_where`` says)."""
    from sqlalchemy import text

    where, params = _where(segment, category, occasions)
    sql = _SQL_PRODUCTS.replace(" ORDER BY", where + " ORDER BY")
    return _assemble(session.execute(text(sql), params), session.execute(text(_SQL_BUNDLES)),
                     session.execute(text(_SQL_LINES)))


def is_empty(catalogue: cat.Catalogue) -> bool:
    return not catalogue.products and not catalogue.bundles


def for_offer(app_ctx, pb, *, segment: str | None = None, category: str | None = None,
              occasions: set[str] | None = None) -> cat.Catalogue:
    """The catalogue an offer is built from: the database's (by the cheapest road), else the
    shipped default; with any playbook bundle the database does not have. Given the segment or
    the asked category, only what such an offer can use is read (the whole of it otherwise)."""
    from ..rawdb import connect_at_head, resolve_url, sqlite_file

    url = resolve_url(app_ctx.db)
    path = sqlite_file(url)
    if path is not None:
        if not path.exists():
            return default_catalogue(pb)  # no database yet: nothing to read, nothing created
        conn = connect_at_head(app_ctx.db)
        if conn is not None:
            return _read_sqlite(conn, pb, segment=segment, category=category, occasions=occasions)
    with app_ctx.store().read() as session:
        found = load(session, segment=segment, category=category, occasions=occasions)
        empty = not found.bundles and session.execute(_one()).first() is None
    return default_catalogue(pb) if empty else cat.merged(found, pb)


def _read_sqlite(conn, pb, **filters) -> cat.Catalogue:
    """The catalogue on a sqlite3 connection at HEAD (closed after), else the shipped one."""
    try:
        found = load_sqlite(conn, **filters)
        empty = found.bundles == [] and not conn.execute("SELECT 1 FROM product LIMIT 1").fetchone()
    finally:
        conn.close()
    return default_catalogue(pb) if empty else cat.merged(found, pb)


def catalogue_in(session, pb) -> cat.Catalogue:
    """The whole catalogue as this session sees it (the shipped default while it has none)."""
    found = load(session)
    if not found.bundles and session.execute(_one()).first() is None:
        return default_catalogue(pb)
    return cat.merged(found, pb)


def source_for(app_ctx, pb):
    """The catalogue as an offer reads it (offering.CatalogueSource): for_offer() on this database."""

    def load(*, category: str | None = None, segment: str | None = None, occasions: set[str] | None = None):
        return for_offer(app_ctx, pb, category=category, segment=segment, occasions=occasions)

    return load


def source_read_once(app_ctx, pb):
    """A CatalogueSource for many offers in a row (classify --batch): the whole catalogue read
    once, when first asked for, and never a database created or upgraded for it (a lead list
    is classified without one; the shipped catalogue prices it then)."""
    from ..rawdb import connect_at_head, resolve_url, sqlite_file

    whole: list[cat.Catalogue] = []

    def read() -> cat.Catalogue:
        url = resolve_url(app_ctx.db)
        path = sqlite_file(url)
        if path is not None:
            # No file yet, or one this tg cannot read as it is (another version, not a database):
            # the shipped catalogue, and the file left as it was.
            conn = connect_at_head(app_ctx.db) if path.exists() else None
            return default_catalogue(pb) if conn is None else _read_sqlite(conn, pb)
        from ..db import open_store
        from ..migrations import HEAD

        store = open_store(url, upgrade=False)
        try:
            if store.schema_version() != HEAD:
                return default_catalogue(pb)
            with store.read() as session:
                return catalogue_in(session, pb)
        finally:
            store.engine.dispose()

    def load(**_filters):
        if not whole:
            whole.append(read())
        return whole[0]

    return load


def _one():
    from sqlalchemy import text

    return text("SELECT 1 FROM product LIMIT 1")


# --- writing ------------------------------------------------------------------------------


def _tables():
    from ..models_catalog import BundleLine, CatalogBundle, PriceHistory, Product

    return Product.__table__, CatalogBundle.__table__, BundleLine.__table__, PriceHistory.__table__


def seed(conn, pb, *, by: str, source: str = "default") -> int:
    """Write the shipped default catalogue and the playbook's bundles into empty catalogue
    tables (a SQLAlchemy connection, inside the caller's transaction). Returns products written."""
    from ..models import utcnow

    product, bundle, line, history = _tables()
    now = utcnow()
    products = list(shipped_products(pb))
    bundles: list[cat.Offering] = []
    if pb is not None:
        for b in pb.bundles:
            parts, offering = cat.from_playbook_bundle(b)
            products += parts
            bundles.append(offering)
    seen: set[str] = set()
    rows = []
    for p in products:
        if p.code not in seen:
            seen.add(p.code)
            rows.append(product_row(p, by, now))
    if rows:
        _insert_many(conn, "product", rows)
        _insert_many(conn, "price_history", [{"product_code": r["code"], "price_fen": r["price_fen"],
                                              "includes_vat": r["includes_vat"], "at": now, "by": by,
                                              "source": source} for r in rows])
    write_bundles(conn, bundles, by=by, now=now)
    return len(rows)


def write_bundles(conn, bundles: list[cat.Offering], *, by: str, now) -> None:
    from sqlalchemy import select

    _product, bundle, line, _history = _tables()
    for b in bundles:
        row = {"code": b.code, "name_zh": b.name.zh, "name_en": b.name.en, "description_zh": b.description.zh,
               "description_en": b.description.en, "segments": ";".join(b.segments), "tags": ";".join(b.tags),
               "occasions": ";".join(b.occasions), "services": [s.as_json() for s in b.services],
               "min_sets": b.min_order, "per_group": b.per_group, "fixed_sets": b.fixed,
               "tiers": ";".join(f"{t.min_qty}:{t.discount_pct:g}" for t in b.tiers), "active": True,
               "updated_at": now, "updated_by": by}
        conn.execute(bundle.insert(), [row])
        bid = conn.execute(select(bundle.c.id).where(bundle.c.code == b.code)).scalar_one()
        conn.execute(line.insert(), [{"bundle_id": bid, "product_code": ln.product.code, "count": ln.count,
                                      "position": i} for i, ln in enumerate(b.lines)])


def ensure_seeded(conn, pb, *, by: str) -> bool:
    """Seed empty catalogue tables with the default (what offers used until now); True if it did."""
    from sqlalchemy import func, select

    product, bundle, _line, _history = _tables()
    if conn.execute(select(func.count()).select_from(product)).scalar_one() or \
            conn.execute(select(func.count()).select_from(bundle)).scalar_one():
        return False
    seed(conn, pb, by=by)
    return True


@dataclass
class ImportResult:
    inserted: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    deactivated: list[str] = field(default_factory=list)
    repriced: list[str] = field(default_factory=list)
    bundles: list[str] = field(default_factory=list)


_COMPARE = tuple(c for c in PRODUCT_COLUMNS if c != "code")


def plan_import(existing: dict[str, tuple], products: list[cat.Product], *, replace: bool) -> ImportResult:
    """What an import would do, from the codes and rows already there (pure)."""
    res = ImportResult()
    incoming = set()
    for p in products:
        incoming.add(p.code)
        old = existing.get(p.code)
        if old is None:
            res.inserted.append(p.code)
            continue
        new = _comparable(product_row(p, "", None))
        if new != old:
            res.updated.append(p.code)
            if new[_COMPARE.index("price_fen")] != old[_COMPARE.index("price_fen")]:
                res.repriced.append(p.code)
        else:
            res.unchanged += 1
    if replace:
        res.deactivated = [c for c, row in existing.items() if c not in incoming and row[_COMPARE.index("active")]]
    return res


def _comparable(row: dict) -> tuple:
    return tuple(bool(row[c]) if c in ("includes_vat", "active") else
                 (float(row[c]) if c == "vat_rate" else row[c]) for c in _COMPARE)


def existing_rows(conn) -> dict[str, tuple]:
    from sqlalchemy import text

    out = {}
    for r in conn.execute(text(f"SELECT {_P} FROM product")):
        d = dict(zip(PRODUCT_COLUMNS, r))
        out[d["code"]] = _comparable(d)
    return out


def import_products(conn, products: list[cat.Product], *, by: str, source: str, replace: bool = False,
                    dry_run: bool = False) -> ImportResult:
    """Upsert products by code in the caller's transaction; with ``replace``, products not in the
    list are made inactive (kept: deals and history refer to them). A changed price is added to
    the price history. One audit row records the import."""
    from sqlalchemy import bindparam

    from ..models import utcnow

    product, _bundle, _line, history = _tables()
    existing = existing_rows(conn)
    res = plan_import(existing, products, replace=replace)
    if dry_run:
        return res
    now = utcnow()
    by_code = {p.code: p for p in products}
    new_rows = [product_row(by_code[c], by, now) for c in res.inserted]
    if new_rows:
        _insert_many(conn, "product", new_rows)
    if res.updated:
        rows = [{**product_row(by_code[c], by, now), "b_code": c} for c in res.updated]
        for r in rows:
            del r["code"]
        conn.execute(product.update().where(product.c.code == bindparam("b_code")), rows)
    if res.deactivated:
        conn.execute(product.update().where(product.c.code.in_(res.deactivated)).values(
            active=False, updated_at=now, updated_by=by))
    priced = [*res.inserted, *res.repriced]
    if priced:
        _insert_many(conn, "price_history", [{"product_code": c, "price_fen": int(by_code[c].unit_price * 100),
                                              "includes_vat": by_code[c].includes_vat, "at": now, "by": by,
                                              "source": source} for c in priced])
    _audit(conn, by, now, "import", {"file": [None, source], "inserted": [None, len(res.inserted)],
                                     "updated": [None, len(res.updated)],
                                     "deactivated": [None, len(res.deactivated)]})
    return res


def _insert_many(conn, table: str, rows: list[dict]) -> None:
    """Rows written by the driver's own executemany, in the caller's transaction: SQLAlchemy's
    per-row parameter processing was most of a 10,000-product import. Timestamps are written as
    SQLAlchemy writes them on SQLite (rawdb.to_sqlite), so both roads read back alike."""
    from datetime import datetime

    from ..rawdb import to_sqlite

    import sqlite3

    if isinstance(conn, sqlite3.Connection):  # the stdlib road (catalog_import on a SQLite file)
        sqlite, mark, cursor = True, "?", conn.cursor()
    else:
        connection = conn.connection() if callable(getattr(conn, "connection", None)) else conn
        sqlite = connection.dialect.name == "sqlite"
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        cursor = connection.connection.driver_connection.cursor()
    cols = list(rows[0])
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})"

    def value(v):
        return to_sqlite(v) if sqlite and isinstance(v, datetime) else v

    try:
        cursor.executemany(sql, [tuple(value(r[c]) for c in cols) for r in rows])
    finally:
        cursor.close()


def import_products_sqlite(conn, products: list[cat.Product], *, by: str, source: str, replace: bool = False,
                           dry_run: bool = False) -> ImportResult:
    """import_products() through a stdlib sqlite3 connection already in its write transaction:
    the same rows, history and audit row, without loading SQLAlchemy (a third of a big import)."""
    import json
    from datetime import datetime, timezone

    from ..rawdb import to_sqlite

    def utcnow() -> datetime:  # models.utcnow, without loading SQLAlchemy with the models
        return datetime.now(timezone.utc)

    existing = {}
    for r in conn.execute(f"SELECT {_P} FROM product"):
        d = dict(zip(PRODUCT_COLUMNS, r))
        existing[d["code"]] = _comparable(d)
    res = plan_import(existing, products, replace=replace)
    if dry_run:
        return res
    now = utcnow()
    stamp = to_sqlite(now)
    by_code = {p.code: p for p in products}
    if res.inserted:
        _insert_many(conn, "product", [product_row(by_code[c], by, now) for c in res.inserted])
    if res.updated:
        cols = [c for c in PRODUCT_COLUMNS if c != "code"] + ["updated_at", "updated_by"]
        rows = []
        for c in res.updated:
            r = product_row(by_code[c], by, now)
            r["updated_at"] = stamp
            rows.append(tuple(r[k] for k in cols) + (c,))
        conn.executemany(f"UPDATE product SET {', '.join(k + ' = ?' for k in cols)} WHERE code = ?", rows)
    if res.deactivated:
        conn.executemany("UPDATE product SET active = 0, updated_at = ?, updated_by = ? WHERE code = ?",
                         [(stamp, by, c) for c in res.deactivated])
    priced = [*res.inserted, *res.repriced]
    if priced:
        _insert_many(conn, "price_history", [{"product_code": c, "price_fen": int(by_code[c].unit_price * 100),
                                              "includes_vat": by_code[c].includes_vat, "at": now, "by": by,
                                              "source": source} for c in priced])
    changes = {"file": [None, source], "inserted": [None, len(res.inserted)], "updated": [None, len(res.updated)],
               "deactivated": [None, len(res.deactivated)]}
    conn.execute("INSERT INTO audit (at, by, table_name, row_id, client_id, action, changes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (stamp, by, "product", 0, None, "import", json.dumps(changes)))
    return res


def is_empty_sqlite(conn) -> bool:
    return conn.execute("SELECT 1 FROM product LIMIT 1").fetchone() is None and \
        conn.execute("SELECT 1 FROM catalog_bundle LIMIT 1").fetchone() is None


def _audit(conn, by: str, now, action: str, changes: dict, row_id: int = 0) -> None:
    from ..models_history import Audit

    conn.execute(Audit.__table__.insert(), [{"at": now, "by": by, "table_name": "product", "row_id": row_id,
                                             "client_id": None, "action": action, "changes": changes}])


@dataclass(frozen=True)
class PriceChange:
    code: str
    old: Decimal
    new: Decimal


def set_price(conn, code: str, price: Decimal, *, by: str, includes_vat: bool | None = None) -> PriceChange:
    """A product's new price, the old one kept in the price history."""
    from sqlalchemy import select

    from ..errors import NotFound
    from ..models import utcnow
    from .. import i18n

    product, _bundle, _line, history = _tables()
    row = conn.execute(select(product.c.id, product.c.price_fen, product.c.includes_vat)
                       .where(product.c.code == code)).first()
    if row is None:
        raise NotFound(i18n.t("catalog.unknown_product", code=code))
    now = utcnow()
    fen = int(price * 100)
    vat = row.includes_vat if includes_vat is None else includes_vat
    conn.execute(product.update().where(product.c.id == row.id).values(price_fen=fen, includes_vat=vat,
                                                                        updated_at=now, updated_by=by))
    conn.execute(history.insert(), [{"product_code": code, "price_fen": fen, "includes_vat": vat, "at": now,
                                     "by": by, "source": "set-price"}])
    old, new = Decimal(row.price_fen).scaleb(-2), Decimal(fen).scaleb(-2)
    _audit(conn, by, now, "update", {"unit_price": [str(old), str(new)]}, row_id=row.id)
    return PriceChange(code, old, new)


def price_history(conn, code: str) -> list[tuple[Any, Decimal, bool, str, str | None]]:
    """(at, price, includes VAT, by, source), oldest first."""
    from sqlalchemy import select

    _product, _bundle, _line, history = _tables()
    rows = conn.execute(select(history.c.at, history.c.price_fen, history.c.includes_vat, history.c.by,
                               history.c.source).where(history.c.product_code == code)
                        .order_by(history.c.at, history.c.id))
    return [(r.at, Decimal(r.price_fen).scaleb(-2), bool(r.includes_vat), r.by, r.source) for r in rows]


def price_at(conn, code: str, when) -> Decimal | None:
    """The price a product had at a moment (what a deal made then was priced at)."""
    found = None
    for at, price, _vat, _by, _src in price_history(conn, code):
        if at <= when:
            found = price
    return found


def history_for(app_ctx, code: str) -> list:
    """A product's price history from the database; none when there is no database yet."""
    from ..rawdb import resolve_url, sqlite_file

    path = sqlite_file(resolve_url(app_ctx.db))
    if path is not None and not path.exists():
        return []
    with app_ctx.store().read() as session:
        return price_history(session, code)


def upsert_bundles(conn, rows: list, *, by: str) -> list[str]:
    """Bundle rows of a price list: a bundle of the same code is replaced with its lines."""
    from sqlalchemy import delete, select

    from ..models import utcnow

    product, bundle, line, _history = _tables()
    now = utcnow()
    known = {r.code: r for r in conn.execute(select(product.c.code))}
    products = {c: cat.Product(code=c, name=LocalText(c, c), category=LocalText("", ""), unit=LocalText("", ""),
                               unit_price=Decimal(1)) for c in known}
    offerings = [r.offering(products) for r in rows]
    codes = [o.code for o in offerings]
    old = [r.id for r in conn.execute(select(bundle.c.id).where(bundle.c.code.in_(codes)))]
    if old:
        conn.execute(delete(line).where(line.c.bundle_id.in_(old)))
        conn.execute(delete(bundle).where(bundle.c.id.in_(old)))
    write_bundles(conn, offerings, by=by, now=now)
    _audit(conn, by, now, "import", {"bundles": [None, codes]})
    return codes
