"""The account sections of `tg clients show`: competitors, needs, reciprocal balance."""

from __future__ import annotations

from typing import Any

from .. import i18n


def print_sections(detail: dict[str, Any], currency: str = "¥") -> None:
    from .. import render
    from ..recommend import money

    render.print_heading(i18n.t("acct.heading.competitors"))
    cols = ["name", "offer", "price", "strength", "weakness"]
    render.print_rows(cols, [i18n.t(f"acct.col.{c}") for c in cols],
                      [(x["name"], x["offer"], None if x["price"] is None else money(x["price"], currency),
                        x["strength"], x["weakness"]) for x in detail["competitors"]])
    render.print_heading(i18n.t("acct.heading.needs"))
    cols = ["kind", "text", "source"]
    render.print_rows(cols, [i18n.t(f"acct.col.{c}") for c in cols],
                      [(i18n.t(f"acct.kind.{n['kind']}"), n["text"], i18n.t(f"acct.source.{n['source']}"))
                       for n in detail["needs"]])
    render.print_heading(i18n.t("acct.heading.reciprocal"))
    r = detail["reciprocal"]
    cols = ["date", "we_buy", "amount"]
    if r["deals"]:
        render.print_rows(cols, [i18n.t(f"acct.col.{c}") for c in cols],
                          [(d["date"], d["we_buy"], money(d["amount"], currency)) for d in r["deals"]])
    net = r["net"]
    render.print_line(i18n.t("acct.balance", revenue=money(r["their_purchases"], currency),
                             bought=money(r["our_purchases"], currency),
                             net=("+" if net >= 0 else "−") + money(abs(net), currency)))
