"""What the shell offers on Tab: client names, bundle and product codes, stages, users, segments,
activity types and contact roles that start with what was typed.

A completion runs on every Tab press, in a shell that is waiting: it reads the database the
quickest way there is (the sqlite3 road on a SQLite file, rawdb.connect_at_head; on PostgreSQL
the normal session of the role that connects, so row-level security decides what is offered),
reads the playbook's YAML without validating it (no pydantic), never creates, upgrades or
writes anything, and never fails: a missing or broken database or playbook offers nothing.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterator

from . import i18n
from .names import name_key

LIMIT = 50  # candidates at most: more is a screenful nobody reads; typing on narrows it
PG_CONNECT_SECONDS = 3  # a server that does not answer: the Tab press gives up, it does not hang


@dataclass(frozen=True)
class Suggestion:
    value: str
    help: str = ""
    """What zsh, fish and PowerShell show beside the value (bash shows values only)."""


def suggest(app_ctx: Any, kind: str, incomplete: str, *, helps: bool = True, limit: int = LIMIT) -> list[Suggestion]:
    """The values of ``kind`` (a key of KINDS) that start with ``incomplete``: client names by
    their folded name (width, case, spaces, as the lookup folds them), codes and names case-
    insensitively. ``helps``: work out the help texts too. Never raises."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = KINDS[kind](_Sources(app_ctx, helps), incomplete)
    except Exception:  # noqa: BLE001 - a completion offers nothing rather than a traceback
        return []
    seen: set[str] = set()
    out = []
    for s in found:
        if s.value and s.value not in seen:
            seen.add(s.value)
            out.append(s)
    return out[:limit]


class _Sources:
    """The database and the playbook, each opened at most once, only if asked for."""

    def __init__(self, app_ctx: Any, helps: bool) -> None:
        self.app_ctx, self.helps = app_ctx, helps
        self._playbook: dict[str, Any] | None = None

    @contextmanager
    def database(self) -> Iterator[Any]:
        """A read-only connection (store.suggest's ``session``), or None: no database yet, or one
        this tg cannot read as it is (another schema version, not a database)."""
        from .rawdb import connect_at_head, resolve_url, sqlite_file

        url = resolve_url(self.app_ctx.db)
        if url.split(":", 1)[0].split("+")[0] == "sqlite":
            conn = connect_at_head(self.app_ctx.db) if sqlite_file(url) is not None else None
            try:
                yield conn
            finally:
                if conn is not None:
                    conn.close()
            return
        from .db import open_store
        from .migrations import HEAD

        if "connect_timeout" not in url:
            url += ("&" if "?" in url else "?") + f"connect_timeout={PG_CONNECT_SECONDS}"
        store = open_store(url, upgrade=False)  # never migrates
        try:
            if store.schema_version() != HEAD:
                yield None
            else:
                with store.read() as session:
                    yield session
        finally:
            store.engine.dispose()

    def no_database_yet(self) -> bool:
        """A SQLite file not made yet: what an offer reads then is the shipped catalogue."""
        from .rawdb import resolve_url, sqlite_file

        path = sqlite_file(resolve_url(self.app_ctx.db))
        return path is not None and not path.exists()

    def playbook(self) -> dict[str, Any]:
        if self._playbook is None:
            from .playbook_file import read_unchecked

            try:
                self._playbook = read_unchecked(self.app_ctx.playbook_path)
            except Exception:  # noqa: BLE001 - no playbook: nothing from it
                self._playbook = {}
        return self._playbook

    def entries(self, section: str) -> list[tuple[str, tuple[str, str]]]:
        """(code, (zh, en)) of each entry of a playbook list (stages, segments, roles)."""
        out = []
        for entry in self.playbook().get(section) or []:
            if isinstance(entry, dict) and isinstance(entry.get("code"), str):
                out.append((entry["code"], _texts(entry.get("name"))))
        return out

    def currency(self) -> str:
        value = self.playbook().get("currency")
        return value if isinstance(value, str) else "¥"


def _texts(value: Any) -> tuple[str, str]:
    """A playbook text as (zh, en): a plain string serves both (playbook.LocalText)."""
    if isinstance(value, dict):
        zh, en = value.get("zh"), value.get("en")
        zh, en = (zh if isinstance(zh, str) else ""), (en if isinstance(en, str) else "")
        return zh or en, en or zh
    return (value, value) if isinstance(value, str) else ("", "")


def _local(texts: tuple[str, str]) -> str:
    return texts[0] if i18n.get_lang() == "zh" else texts[1]


def _fold(text: str) -> str:
    return name_key(text or "").replace("_", "-")


def _starts(text: str, key: str) -> bool:
    return _fold(text).startswith(key)


def _join(*parts: str | None) -> str:
    return " · ".join(p for p in parts if p)


# --- the kinds ------------------------------------------------------------------------------


def clients(src: _Sources, incomplete: str) -> list[Suggestion]:
    """Names of clients; beside each, its city and stage."""
    from .store import suggest as sv

    with src.database() as session:
        if session is None:
            return []
        rows = sv.client_names(session, name_key(incomplete), LIMIT * 2)  # same names, other cities
    stages = {code: _local(names) for code, names in src.entries("stages")} if src.helps else {}
    return [Suggestion(name, _join(city, stages.get(stage or "", stage))) for name, city, stage in rows]


def users(src: _Sources, incomplete: str) -> list[Suggestion]:
    """The people clients belong to, and whoever runs tg (a new colleague needs --new-user anyway)."""
    from .store import suggest as sv

    with src.database() as session:
        if session is None and not src.no_database_yet():
            return []  # one that cannot be read: the command would say so
        known = sv.users(session) if session is not None else []
    try:
        me = src.app_ctx.user()
    except Exception:  # noqa: BLE001
        me = None
    key = incomplete.strip().casefold()
    names = sorted({*known, *([me] if me else [])}, key=str.casefold)
    return [Suggestion(u) for u in names if u.casefold().startswith(key)]


def _coded(options: list[tuple[str, tuple[str, str]]], incomplete: str) -> list[Suggestion]:
    """A short list's codes (the name beside each) and names in the run's language (the code
    beside each), whichever start with what was typed; every command takes either."""
    key = _fold(incomplete)
    codes = [Suggestion(code, _local(names)) for code, names in options if _starts(code, key)]
    named = [Suggestion(_local(names), code) for code, names in options
             if _local(names) and _fold(_local(names)) != _fold(code) and _starts(_local(names), key)]
    return codes + named


def stages(src: _Sources, incomplete: str) -> list[Suggestion]:
    return _coded(src.entries("stages"), incomplete)


def segments(src: _Sources, incomplete: str) -> list[Suggestion]:
    return _coded(src.entries("segments"), incomplete)


def activity_types(src: _Sources, incomplete: str) -> list[Suggestion]:
    from .choices import ACTIVITY_TYPES

    return _coded([(c, i18n.CATALOGUE[f"pipe.type.{c}"]) for c in ACTIVITY_TYPES], incomplete)


def roles(src: _Sources, incomplete: str) -> list[Suggestion]:
    from .choices import ROLE_CODES

    named = dict(src.entries("roles"))
    return _coded([(c, named.get(c) or i18n.CATALOGUE[f"acct.role.{c}"]) for c in ROLE_CODES], incomplete)


# Offerings: a bundle's code or a product's. The code is what a command takes; when no code starts
# with what was typed, a name (in either language) that does offers its code, so 中秋<Tab> finds
# the bundle.


@dataclass(frozen=True)
class _Offer:
    code: str
    names: tuple[str, str]
    fen: int | None
    unit: tuple[str, str] | None  # None: a bundle, priced per set


def _catalogue(src: _Sources) -> tuple[list[_Offer], list[_Offer]]:
    """(bundles, products) as an offer reads them (store.catalog.for_offer): the database's, with
    any playbook bundle it does not have; the shipped price list while it has none."""
    from .store import suggest as sv

    with src.database() as session:
        if session is not None:
            bundles = [_Offer(code, (zh, en), fen, None) for code, zh, en, fen in sv.bundles(session)]
            products = [_Offer(code, (zh, en), fen, (uzh, uen)) for code, zh, en, fen, uzh, uen in sv.products(session)]
        elif src.no_database_yet():
            bundles, products = [], []
        else:  # one that cannot be read: the command would say so
            return [], []
    if not bundles and not products and (src.playbook().get("catalog") or {}).get("shipped_products", True):
        products = _shipped_products()  # as default_catalogue: unless the playbook sells only its own
    have = {b.code for b in bundles}
    for entry in src.playbook().get("bundles") or []:
        if isinstance(entry, dict) and isinstance(entry.get("code"), str) and entry["code"] not in have:
            bundles.append(_Offer(entry["code"], _texts(entry.get("name")), _playbook_set_fen(entry), None))
    return bundles, products


def _playbook_set_fen(entry: dict[str, Any]) -> int | None:
    """One set of a playbook bundle: its items' prices times their counts (playbook.Bundle.set_price)."""
    try:
        total = sum(Decimal(str(i["unit_price"])) * int(i.get("per_set", 1)) for i in entry["items"])
        return int(total * 100)
    except Exception:  # noqa: BLE001 - a malformed entry: no price shown
        return None


def _shipped_products() -> list[_Offer]:
    import csv

    from .store.catalog import DEFAULT_CATALOG

    from .choices import FALSE

    with open(DEFAULT_CATALOG, encoding="utf-8-sig", newline="") as f:
        return [_Offer(r["code"], (r["name_zh"], r["name_en"]), round(Decimal(r["unit_price"]) * 100),
                       (r["unit_zh"], r["unit_en"]))
                for r in csv.DictReader(f) if (r.get("active") or "1").strip().casefold() not in FALSE]


def _offers(src: _Sources, found: list[_Offer], incomplete: str) -> list[Suggestion]:
    key = _fold(incomplete)
    by_code = [o for o in found if _starts(o.code, key)]
    # Names only when no code fits: "mid" means mid_autumn_box, not every product called Mid-Autumn….
    by_name = [o for o in found if any(_starts(n, key) for n in o.names if n)] if key and not by_code else []
    if not src.helps:
        return [Suggestion(o.code) for o in by_code + by_name]
    from .pricing import money

    currency = src.currency()

    def help_of(o: _Offer) -> str:
        if o.fen is None:
            return _local(o.names)
        price = money(Decimal(o.fen).scaleb(-2), currency)
        each = (i18n.t("complete.per_set", price=price) if o.unit is None
                else i18n.t("complete.per_unit", price=price, unit=_local(o.unit)))
        return _join(_local(o.names), each)

    return [Suggestion(o.code, help_of(o)) for o in by_code + by_name]


def offerings(src: _Sources, incomplete: str) -> list[Suggestion]:
    """What --bundle and tg catalog show take: a bundle, or one product on its own."""
    bundles, products = _catalogue(src)
    return _offers(src, bundles + products, incomplete)


def products(src: _Sources, incomplete: str) -> list[Suggestion]:
    """What --item CODE=QTY and tg catalog set-price take: a product."""
    return _offers(src, _catalogue(src)[1], incomplete)


KINDS: dict[str, Callable[[_Sources, str], list[Suggestion]]] = {
    "client": clients, "user": users, "stage": stages, "segment": segments, "activity": activity_types,
    "role": roles, "offering": offerings, "product": products,
}
