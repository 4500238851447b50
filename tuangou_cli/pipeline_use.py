"""The board and hand-off commands' work: reading the board for a filter, handing a client on.

Filters take codes or names in either language and refuse an unknown value with the valid ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import i18n


@dataclass
class Board:
    rows: list[dict[str, Any]]
    stages: list[tuple[str, str]]
    """(code, name) of every stage shown, in line order (the playbook's, lost ones last, then stages set by hand)"""


def segment_code(pb: Any, value: str | None) -> str | None:
    from .choices import pick

    if value is None:
        return None
    return pick(value, [(s.code, (s.name.zh, s.name.en)) for s in pb.segments], "segment")


def stage_code(pb: Any, value: str | None) -> str | None:
    from .choices import pick

    if value is None:
        return None
    return pick(value, [(s.code, (s.name.zh, s.name.en)) for s in pb.stages], "stage")


def summary(app_ctx: Any, *, owner: str | None, segment: str | None, limit: int) -> list[dict[str, Any]]:
    """The board for a screen: each stage's count and open value with its first ``limit`` clients."""
    from .stageline import need_stages
    from .store import pipeline as ps

    pb = app_ctx.playbook()
    need_stages(pb)
    seg = segment_code(pb, segment)
    with app_ctx.store().scan() as session:
        if owner:
            owner = ps.check_user(session, owner, also=[app_ctx.user()])
        return ps.board_summary(session, pb, owner=owner, segment=seg, limit=limit)


def board(app_ctx: Any, *, owner: str | None, segment: str | None) -> Board:
    from .stageline import need_stages
    from .store import pipeline as ps

    pb = app_ctx.playbook()
    need_stages(pb)
    seg = segment_code(pb, segment)
    with app_ctx.store().scan() as session:
        if owner:
            owner = ps.check_user(session, owner, also=[app_ctx.user()])
        rows = ps.board(session, pb, owner=owner, segment=seg)
    from .stageline import board_order

    codes = [(s.code, s.name.get()) for s in board_order(pb)]
    known = {c for c, _ in codes}
    extra = sorted({r["stage"] for r in rows} - known)  # stages set by hand, unknown to the playbook
    names = {r["stage"]: r["stage_name"] for r in rows}
    return Board(rows=rows, stages=codes + [(c, names[c]) for c in extra])


@dataclass
class Handed:
    packet: dict[str, Any]
    lines: list[str]


def handoff(app_ctx: Any, client: str, *, to: str, stage: str | None, from_stage: str | None,
            new_user: bool) -> Handed:
    from .errors import UsageError
    from .models import Client
    from .stageline import need_stages, resolve_stage, stage_name
    from .store import clients as st
    from .store import pipeline as ps

    pb = app_ctx.playbook()
    to = " ".join(to.split())
    if not to:
        raise UsageError(i18n.t("pipe.empty_user"))
    need_stages(pb)
    expect = resolve_stage(pb, from_stage).code if from_stage else None
    db = app_ctx.store()
    # The stage the hand-off leaves is the one the client is in now, as read here (or --from):
    # if another tg moves the client before this one writes, this one is refused, not carried on.
    with db.read() as session:
        found = st.get_client(session, client)
        cid, expect = found.id, expect or found.stage
    with db.write() as session:
        c = session.get(Client, cid)
        if c is None:  # removed by someone else since we looked
            raise st.NotFound(i18n.t("client.not_found", query=client))
        if not new_user:
            to = ps.check_user(session, to, also=[app_ctx.user()], new_hint=True)
        move = ps.handoff(session, pb, c, to=to, stage=stage, user=app_ctx.user(), expect=expect)
        packet = ps.packet(session, pb, c)
    packet["handoff"] = {
        "from_stage": move["from"]["stage"], "from_stage_name": stage_name(pb, move["from"]["stage"]),
        "from_owner": move["from"]["owner"], "to_stage": move["to"]["stage"],
        "to_stage_name": stage_name(pb, move["to"]["stage"]), "to_owner": to, "skipped": move["skipped"],
    }
    c = packet["client"]
    lines = [i18n.t("pipe.handed", id=c["id"], client=c["name"], stage=c["stage_name"], to=to)]
    if move["skipped"]:
        lines.append(i18n.t("pipe.skipped", stages=", ".join(stage_name(pb, s) for s in move["skipped"])))
    return Handed(packet=packet, lines=lines)
