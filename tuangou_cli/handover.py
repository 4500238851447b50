"""tg handover: everything a rep holds moves to one or more colleagues (shared out in turn) or to
the pool, in one transaction, with each client's hand-off packet written as Markdown.

Each client moves as a hand-off moves it (store.pool.move_owner: the stage line gains the new
owner, the earlier entries stay), so its open deals, follow-ups (which belong to the client's
owner) and the stage it is in go with it; contacts, history and referrals are the client's and
are not touched. The packets are written to a directory beside the target inside the
transaction, and put in place once it has committed: a failure leaves neither moves nor files.

Example::

    plan = handover(app_ctx, pb, from_user="wang", to_users=["li"], user="boss", dry_run=True)
    plan.summary()   # per receiving rep: clients, open deals and their value, follow-ups
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import i18n
from . import pool as rules_
from .clock import today as today_
from .errors import TgError, UsageError
from .playbook import Playbook


@dataclass(frozen=True)
class Receiver:
    """What one receiving rep (None: the pool) gets."""

    to: str | None
    clients: int
    open_deals: int
    open_value: float
    followups: int
    overdue: int


@dataclass
class HandoverResult:
    from_user: str
    to_users: list[str | None]
    dry_run: bool
    items: list[Any] = field(default_factory=list)
    """store.pool.HandoverItem, each with its receiver in ``assigned``."""
    assigned: dict[int, str | None] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def summary(self) -> list[Receiver]:
        out = []
        for to in self.to_users:
            mine = [i for i in self.items if self.assigned[i.client_id] == to]
            out.append(Receiver(to, len(mine), sum(i.open_deals for i in mine), sum(i.open_value for i in mine),
                                sum(i.followups for i in mine), sum(i.overdue for i in mine)))
        return out


def _file_name(cid: int, name: str) -> str:
    """``12-市税务局.md``: the id keeps names apart, the name tells a person which is which."""
    safe = re.sub(r"[\\/:*?\"<>|\x00-\x1f\x7f]+", "_", name).strip(" .")[:60] or "client"
    return f"{cid}-{safe}.md"


def handover(app_ctx: Any, pb: Playbook, *, from_user: str, to_users: list[str], to_pool: bool = False,
             user: str, filters: list[str] | None = None, dry_run: bool = False, out: str | None = None,
             reason: str | None = None, new_user: bool = False) -> HandoverResult:
    from .store import pool as sp
    from .store.pipeline import check_user, packet
    from .plain import packet_markdown
    from .stageline import stage_name
    from .models import Client

    wanted = rules_.parse_filters(filters)
    if to_pool == bool(to_users):
        raise UsageError(i18n.t("handover.to_or_pool"))
    day = today_()
    receivers: list[str | None] = [None] if to_pool else []
    with (app_ctx.store().read() if dry_run else app_ctx.store().write()) as session:
        from_user = check_user(session, from_user)
        for name in to_users:
            name = " ".join(name.split())
            if not name:
                raise UsageError(i18n.t("pipe.empty_user"))
            known = name if new_user else check_user(session, name, also=[user], new_hint=True)
            if known == from_user:
                raise UsageError(i18n.t("handover.same_user", user=known))
            if known not in receivers:
                receivers.append(known)
        result = HandoverResult(from_user, receivers, dry_run)
        result.items = sp.handover_items(session, from_user=from_user, filters=wanted, today=day)
        if not result.items:
            raise TgError(i18n.t("handover.nothing", user=from_user))
        # Shared out in turn, the biggest open value first, so each receiver gets a fair share of it.
        ranked = sorted(result.items, key=lambda i: (-i.open_value, -i.open_deals, i.client_id))
        for n, item in enumerate(ranked):
            result.assigned[item.client_id] = receivers[n % len(receivers)]
        if dry_run:
            return result
        why = " ".join((reason or "").split()) or None
        texts: list[tuple[str, str]] = []
        for item in result.items:
            client = sp.locked(session, session.get(Client, item.client_id))
            if client.owner != from_user:  # released, reassigned or removed since it was read: start again
                raise TgError(i18n.t("handover.moved", id=item.client_id, client=item.client,
                                     owner=client.owner or i18n.t("pool.the_pool")))
            to = result.assigned[item.client_id]
            move = sp.move_owner(session, client, to, action="handover", rule="handover", user=user, today=day,
                                 reason=why)
            if out is not None:
                p = packet(session, pb, client)
                p["handoff"] = {"from_stage": client.stage, "from_stage_name": stage_name(pb, client.stage),
                                "from_owner": move.from_owner, "to_stage": client.stage,
                                "to_stage_name": stage_name(pb, client.stage),
                                "to_owner": to or i18n.t("pool.the_pool"), "skipped": []}
                texts.append((_file_name(client.id, client.name), packet_markdown(p, pb.currency)))
        if out is not None:
            staged = _stage_files(Path(out), texts)
    if out is not None:
        result.files = _put_in_place(Path(out), staged, [n for n, _ in texts])
    return result


def _combined(target: Path) -> bool:
    return target.suffix.lower() == ".md"


def _stage_files(target: Path, texts: list[tuple[str, str]]) -> Path:
    """The packets written to a new directory beside ``target`` (a failure here rolls back the moves)."""
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=".tg-handover-", dir=parent))
        if _combined(target):
            (staged / target.name).write_text("\n\n".join(t for _, t in texts), encoding="utf-8")
        else:
            for name, body in texts:
                (staged / name).write_text(body, encoding="utf-8")
    except OSError as exc:
        raise TgError(i18n.t("handover.cannot_write", path=str(target), reason=exc.strerror or str(exc))) from None
    return staged


def _put_in_place(target: Path, staged: Path, names: list[str]) -> list[Path]:
    try:
        if _combined(target):
            os.replace(staged / target.name, target)
            return [target]
        target.mkdir(parents=True, exist_ok=True)
        done = []
        for name in names:
            os.replace(staged / name, target / name)
            done.append(target / name)
        return done
    finally:
        shutil.rmtree(staged, ignore_errors=True)
