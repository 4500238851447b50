"""The client commands' reads: a list with its filters checked, and everything known about one."""

from __future__ import annotations

from typing import Any


def filters(app_ctx: Any, *, segment: str | None, stage: str | None, owner: str | None) -> dict[str, str | None]:
    """Segment and stage by code or by name in either language, the owner a user the database
    knows: an unknown value is refused with the valid ones, never an empty list."""
    from .pipeline_use import segment_code, stage_code
    from .store import pipeline as ps

    if not (segment or stage or owner):
        return {"segment": None, "stage": None, "owner": None}
    pb = app_ctx.playbook()
    out = {"segment": segment_code(pb, segment) if segment else None,
           "stage": stage_code(pb, stage) if stage and pb.stages else stage, "owner": owner}
    if owner:
        with app_ctx.store().read() as session:
            out["owner"] = ps.check_user(session, owner, also=[app_ctx.user()])
    return out


def detail(app_ctx: Any, client: str) -> dict[str, Any]:
    """Everything known about a client: its fields, contacts, classifications, referrals, rivals,
    needs, reciprocal deals, deals, activities, stage line and open promises."""
    from .store import clients as st
    from .store.accounts import account_detail
    from .store.pipeline import pipeline_detail

    pb = app_ctx.playbook()
    with app_ctx.store().read() as session:
        found = st.get_client(session, client)
        out = st.client_detail(session, found)
        out.update(account_detail(session, found))
        out.update(pipeline_detail(session, pb, found))
        return out
