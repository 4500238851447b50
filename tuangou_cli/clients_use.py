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


TABLE_COLUMNS = ["id", "name", "segment", "confidence", "stage", "owner", "city", "headcount", "budget_per_head"]


def list_rows(app_ctx: Any, *, segment: str | None, stage: str | None, owner: str | None, city: str | None,
              mine: bool, limit: int = 0, table: bool = False):
    """(columns, rows): every client column straight from the cursor (for files), or, for a table
    (``table``), the columns people read, segments and stages by name. Rows are yielded as read:
    the session stays open until the last one."""
    from .store.queries import clients_query

    checked = filters(app_ctx, segment=segment, stage=stage, owner=owner)
    me = app_ctx.user() if mine else None
    columns, stmt = clients_query(segment=checked["segment"], stage=checked["stage"], owner=checked["owner"],
                                  city=city, mine=me, columns=TABLE_COLUMNS if table else None)
    if limit:
        stmt = stmt.limit(limit)

    def rows():
        with app_ctx.store().scan() as session:
            result = session.connection().execution_options(yield_per=2000).execute(stmt)
            if not table:
                yield from result
                return
            from .plain import code_name

            pb = app_ctx.playbook()
            names: dict[str | None, str | None] = {}  # a few segments and stages, named once each

            def named(code: str | None) -> str | None:
                if code not in names:
                    names[code] = code_name(pb, code)
                return names[code]

            for cid, name, seg, confidence, stg, own, town, headcount, budget in result:
                yield [cid, name, named(seg), None if confidence is None else f"{confidence:.0%}", named(stg),
                       own, town, headcount, None if budget is None else f"{budget:g}"]

    return (TABLE_COLUMNS if table else columns), rows()


def add(app_ctx: Any, name: str, *, parent: str | None = None, **fields: Any) -> tuple[int, str]:
    """(the new client's id, the line saying so)."""
    from . import i18n
    from .store import clients as st

    segment, stage = fields.get("segment"), fields.get("stage")
    pb = app_ctx.playbook() if segment or stage else None
    if stage:
        # A stage of the playbook's line (by code or name), stored as its code. No stage entry:
        # a client that never moved is in its first stage since it was created (the board and the
        # history count from created_at), and its first move records that stage from then.
        from .stageline import need_stages, resolve_stage

        need_stages(pb)
        fields["stage"] = resolve_stage(pb, stage).code
    with app_ctx.store().write() as session:
        if segment:
            st.check_segment(session, segment, pb)
            st.sync_segments(session, pb)
        if parent:
            fields["parent_id"] = st.get_client(session, parent).id
        c = st.create_client(session, name=name, user=app_ctx.user(), **fields)
        return c.id, i18n.t("client.created", id=c.id, name=c.name)


def edit(app_ctx: Any, client: str, *, parent: str | None = None, **fields: Any) -> list[str]:
    """The lines saying what changed (a stage move among them)."""
    from . import i18n
    from .store import clients as st

    segment, stage, owner = fields.get("segment"), fields.get("stage"), fields.get("owner")
    pb = app_ctx.playbook() if segment or stage else None
    user = app_ctx.user()
    moved = None
    with app_ctx.store().write() as session:
        c = st.get_client(session, client)
        if parent:
            fields["parent_id"] = st.check_parent(session, c, st.get_client(session, parent))
        if segment:
            st.check_segment(session, segment, pb)
            st.sync_segments(session, pb)
        if stage:
            # A move along the stage line, as tg handoff makes it: checked against the playbook and
            # recorded (who, when, from -> to) before any other field changes.
            from .store import pipeline as ps

            moved = ps.set_stage(session, pb, c, fields.pop("stage"), owner=owner, user=user)
        else:
            fields.pop("stage", None)
        st.update_client(session, c, user=user, **fields)
        lines = [i18n.t("client.updated", id=c.id, name=c.name)]
    if moved:
        from .stageline import stage_name

        lines.append(i18n.t("client.stage_moved", before=stage_name(pb, moved["from"]["stage"]),
                            after=stage_name(pb, moved["to"]["stage"])))
        if moved["skipped"]:
            lines.append(i18n.t("pipe.skipped", stages=", ".join(stage_name(pb, s) for s in moved["skipped"])))
    return lines


def remove(app_ctx: Any, client: str, confirm) -> tuple[int, str]:
    """Remove a client with all it holds once ``confirm(id, name, counts)`` agrees."""
    from . import i18n
    from .errors import TgError
    from .models import Client
    from .store import clients as st

    db = app_ctx.store()
    with db.read() as session:
        c = st.get_client(session, client)
        cid, cname, counts = c.id, c.name, st.dependants(session, c)
    if not confirm(cid, cname, counts):
        raise TgError(i18n.t("aborted"))
    with db.write() as session:
        c = session.get(Client, cid)
        if c is not None:
            st.delete_client(session, c)
    return cid, cname
