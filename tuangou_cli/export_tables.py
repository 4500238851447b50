"""The tables `tg export` can write, in the order `tg export --help` lists them."""

from __future__ import annotations

from typing import NamedTuple


class Exportable(NamedTuple):
    """A table `tg export` can write: ``module.function`` (in tuangou_cli) returns (columns, a Core
    statement) that is run through the Store, so row-level security holds for a rep; ``sheet`` is
    the i18n key of the xlsx sheet's name."""

    module: str
    function: str
    sheet: str


# Every exportable table, in the order `tg export --help` lists them. A feature adds its own table
# with one line here (and its sheet name in i18n.py).
EXPORTS: dict[str, Exportable] = {
    "clients": Exportable("store.queries", "clients_query", "export.sheet.clients"),
    "referrals": Exportable("store.queries", "referrals_query", "export.sheet.referrals"),
    "classifications": Exportable("store.queries", "classifications_query", "export.sheet.classifications"),
    "rewards": Exportable("store.queries", "rewards_query", "export.sheet.rewards"),
    "audit": Exportable("store.queries", "audit_query", "export.sheet.audit"),
    "deals": Exportable("export_queries", "deals_query", "export.sheet.deals"),
    "contacts": Exportable("export_queries", "contacts_query", "export.sheet.contacts"),
    "activities": Exportable("export_queries", "activities_query", "export.sheet.activities"),
    "needs": Exportable("export_queries", "needs_query", "export.sheet.needs"),
    "competitors": Exportable("export_queries", "competitors_query", "export.sheet.competitors"),
    "cases": Exportable("export_queries", "cases_query", "export.sheet.cases"),
}
