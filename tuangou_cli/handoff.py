"""The hand-off packet as Markdown, and its sections as rows for the terminal. Pure."""

from __future__ import annotations

from typing import Any

from . import i18n
from .errors import multi_line, one_line
from .recommend import money


def _money(x: float | None, cur: str) -> str | None:
    return None if x is None else money(x, cur)


def approaches(p: dict[str, Any]) -> list[str]:
    """How to approach each role present, once per role (long prose: a list, not a table cell)."""
    seen: dict[str, str] = {}
    for c in p["contacts"]:
        if c["approach"] and c["role_name"] not in seen:
            seen[c["role_name"]] = c["approach"]
    return [f"{role}: {text}" for role, text in seen.items()]


def sections(p: dict[str, Any], cur: str) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(heading, column headers, rows) for each part of the packet, in reading order."""
    t = i18n.t
    out = []
    out.append((t("pipe.pk.contacts"),
                [t("field.name"), t("pipe.col.role"), t("field.title"), t("field.phone"), t("pipe.col.strength")],
                [[c["name"], c["role_name"], c["title"], c["phone"],
                  _strength(c["strength"], c["strength_note"])] for c in p["contacts"]]))
    needs = [[t("pipe.need.stated"), n] for n in p["needs"]["stated"]]
    needs += [[t("pipe.need.guided"), n] for n in p["needs"]["guided"]]
    out.append((t("pipe.pk.needs"), [t("pipe.col.kind"), t("pipe.col.need")], needs))
    out.append((t("pipe.pk.competitors"),
                [t("field.name"), t("pipe.col.offer"), t("pipe.col.price"), t("pipe.col.their_strength"),
                 t("pipe.col.weakness")],
                [[r["name"], r["offer"], _money(r["price"], cur), r["strength"], r["weakness"]]
                 for r in p["competitors"]]))
    out.append((t("pipe.pk.promises"), [t("field.id"), t("pipe.col.due"), t("pipe.col.next"), t("field.by")],
                [[f"#{a['id']}", a["due"] or "—", a["next_action"], a["by"]] for a in p["promises"]]))
    out.append((t("pipe.pk.activities"),
                [t("field.date"), t("pipe.col.type"), t("pipe.col.text"), t("field.by")],
                [[a["date"], t(f"pipe.type.{a['type']}") if f"pipe.type.{a['type']}" in i18n.CATALOGUE else a["type"],
                  a["text"], a["by"]] for a in p["activities"]]))
    out.append((t("pipe.pk.deals"),
                [t("field.id"), t("pipe.col.bundle"), t("pipe.col.qty"), t("pipe.col.amount"), t("field.status"),
                 t("pipe.col.reason")],
                [[f"#{d['id']}", d["bundle"], d["quantity"], _money(d["amount"], cur),
                  t(f"pipe.status.{d['status']}"), d["lost_reason"]] for d in p["deals"]]))
    out.append((t("pipe.pk.stages"),
                [t("field.stage"), t("field.owner"), t("pipe.col.entered"), t("pipe.col.left")],
                [[s["stage_name"], s["owner"] or t("pipe.unassigned"), s["entered_at"][:16].replace("T", " "),
                  (s["left_at"] or "")[:16].replace("T", " ")] for s in p["stages"]]))
    return out


def _strength(value: int | None, note: str | None) -> str | None:
    if value is None:
        return None
    bar = "●" * value + "○" * (5 - value)
    return f"{bar} {value}/5" + (f" ({note})" if note else "")


def summary(p: dict[str, Any], cur: str) -> list[tuple[str, Any]]:
    c, h = p["client"], p["handoff"]
    t = i18n.t
    return [
        (t("pipe.pk.client"), f"#{c['id']} {c['name']}"),
        (t("field.segment"), c["segment_name"]),
        (t("field.industry"), c["industry"]),
        (t("field.city"), c["city"]),
        (t("field.headcount"), c["headcount"]),
        (t("field.budget_per_head"), _money(c["budget_per_head"], cur)),
        (t("field.budget_total"), _money(c["budget_total"], cur)),
        (t("field.occasion"), c["occasion"]),
        (t("pipe.pk.move"), f"{h['from_stage_name']} → {h['to_stage_name']}"),
        (t("pipe.pk.owner"), f"{h['from_owner'] or t('pipe.unassigned')} → {h['to_owner']}"),
        (t("pipe.pk.won_revenue"), money(p["won_revenue"], cur)),
        (t("field.notes"), c["notes"]),
    ]


def _cell(v: Any) -> str:
    # Stored text: one line, escape sequences and bidi marks shown as escapes (JSON stays exact).
    return "" if v is None else one_line(str(v).replace("|", "\\|").replace("\r\n", " ").replace("\n", " "))


def markdown(p: dict[str, Any], cur: str) -> str:
    c = p["client"]
    lines = [f"# {one_line(i18n.t('pipe.pk.title', client=c['name']))}", ""]
    for label, value in summary(p, cur):
        if value not in (None, ""):
            lines.append(f"- **{label}**: {_cell(value)}")
    for heading, headers, rows in sections(p, cur):
        lines += ["", f"## {heading}", ""]
        if heading == i18n.t("pipe.pk.needs") and approaches(p):  # right after the contacts
            lines[-3:-3] = (["", f"### {i18n.t('pipe.pk.approach')}", ""]
                            + [f"- {multi_line(a)}" for a in approaches(p)])
        if not rows:
            lines.append(f"*{i18n.t('none')}*")
            continue
        lines.append("| " + " | ".join(headers) + " |")
        lines.append("|" + "---|" * len(headers))
        lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
