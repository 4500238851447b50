"""What `tg playbook show` shows of a playbook: its JSON, and its bundles with their nominal price
per head (the command prints; the prices are worked out here, by the one pricing)."""

from __future__ import annotations

from typing import Any


def bundle_rows(pb) -> list[tuple[str, str, str, str, str]]:
    """(code, name, segments, occasions, nominal price per head) of each playbook bundle."""
    from .recommend import money, nominal_per_head

    return [(b.code, b.name.get(), ", ".join(b.segments), ", ".join(b.occasions) or "*",
             money(nominal_per_head(b), pb.currency)) for b in pb.bundles]


def playbook_json(pb) -> dict[str, Any]:
    from .recommend import nominal_per_head

    def effect(e) -> dict:
        return {"weights": dict(e.weights), "tags": list(e.tags), "sets": dict(e.sets)}

    return {
        "version": pb.version,
        "title": pb.title.as_json(),
        "currency": pb.currency,
        "settings": pb.settings.model_dump(),
        "segments": [
            {"code": s.code, "name": s.name.as_json(), "summary": s.summary.as_json(),
             "need_points": [t.as_json() for t in s.need_points], "values": [t.as_json() for t in s.values]}
            for s in pb.segments
        ],
        "questions": [
            {
                "id": q.id, "type": q.type, "text": q.text.as_json(), "field": q.field, "always": q.always,
                "choices": [{"value": c.value, "label": c.label.as_json(), **effect(c)} for c in q.choices],
                "min": q.min, "max": q.max,
            }
            for q in pb.questions
        ],
        "bundles": [
            {
                "code": b.code, "name": b.name.as_json(), "segments": list(b.segments), "tags": list(b.tags),
                "occasions": list(b.occasions),
                "set_price": float(b.set_price), "per_head": float(nominal_per_head(b)),
                "quantity": b.quantity.model_dump(),
                "tiers": [t.model_dump() for t in b.tiers],
                "items": [{"name": i.name.as_json(), "unit_price": float(i.unit_price), "per_set": i.per_set}
                          for i in b.items],
                "services": [s.as_json() for s in b.services],
            }
            for b in pb.bundles
        ],
    }

