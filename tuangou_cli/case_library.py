"""The support centre's case library as use cases: adding a case, searching and listing them.
Each opens its own transaction; cli/cases.py prints the results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class CaseAdded:
    id: int
    title: str


def add_case(app_ctx, *, title: str, outcome: str, segment: str | None, industry: str | None,
             decided_by: str | None, technique: str | None, lesson: str | None, client: str | None) -> CaseAdded:
    from .store import cases
    from .store import clients as st

    with app_ctx.store().write() as session:
        found = st.get_client(session, client) if client else None
        row = cases.add_case(session, title=title, outcome=outcome, user=app_ctx.user(), segment=segment,
                             industry=industry, decided_by=decided_by, technique=technique, lesson=lesson,
                             client=found)
        return CaseAdded(row.id, row.title)


def search_cases(app_ctx, text: str, *, segment: str | None, outcome: str | None) -> list[Any]:
    """store.cases' hits (case, score, fields), best first."""
    from .store import cases

    with app_ctx.store().read() as session:
        return cases.search_cases(session, text, segment=segment, outcome=outcome)


def list_cases(app_ctx, *, segment: str | None, outcome: str | None) -> list[dict[str, Any]]:
    from .store import cases

    with app_ctx.store().read() as session:
        return cases.list_cases(session, segment=segment, outcome=outcome)
