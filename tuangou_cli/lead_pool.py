"""The lead pool's use cases (tg pool list, claim, release, assign, sweep, warnings): each opens
its one transaction, reads today's date once (clock.today) and returns typed results.

Example::

    app_ctx = AppContext(db=url)   # what every command is given (cli/context.py)
    moved = claim(app_ctx, app_ctx.playbook(), "市税务局", user="li")
    result = sweep(app_ctx, app_ctx.playbook(), user="boss")   # result.reclaimed, result.warned
"""

from __future__ import annotations

from typing import Any

from . import pool as rules_
from .clock import today as today_
from .playbook import Playbook


def list_pool(app_ctx: Any, *, filters: list[str] | None = None) -> list:
    from .store import pool as sp

    wanted = rules_.parse_filters(filters)
    day = today_()
    with app_ctx.store().read() as session:
        return sp.pool_rows(session, filters=wanted, today=day)


def _client(session, query: str):
    from .store.clients import get_client

    return get_client(session, query)


def claim(app_ctx: Any, pb: Playbook, query: str, *, user: str):
    from .store import pool as sp

    day = today_()
    with app_ctx.store().write() as session:
        return sp.claim(session, pb, _client(session, query), user=user, today=day)


def release(app_ctx: Any, query: str, *, reason: str | None, user: str):
    from .store import pool as sp

    rules_.clean_reason(reason)  # before the database is opened: nothing to roll back
    day = today_()
    with app_ctx.store().write() as session:
        return sp.release(session, _client(session, query), user=user, reason=reason, today=day)


def assign(app_ctx: Any, query: str, *, to: str, user: str, new_user: bool = False):
    from .store import pool as sp
    from .store.pipeline import check_user

    day = today_()
    with app_ctx.store().write() as session:
        client = _client(session, query)
        if not new_user:
            to = check_user(session, to, also=[user], new_hint=True)
        return sp.assign(session, client, to=to, user=user, today=day)


def sweep(app_ctx: Any, pb: Playbook, *, user: str, dry_run: bool = False):
    """Reclaim what the rules say is due (dry_run: say what would go, write nothing)."""
    from .store import pool as sp

    day = today_()
    if dry_run:
        with app_ctx.store().read() as session:
            found = sp.verdicts(session, pb.pool, day)
            result = sp.SweepResult(day, len(found))
            for v in found:
                if rules_.is_due(v, day):
                    result.reclaimed.append(sp.Move(v.client_id, v.name, "reclaim", v.owner, None, v.code))
                elif rules_.is_warned(v, day, pb.pool):
                    result.warned.append(sp.as_warning(v, day))
            result.warned.sort(key=lambda w: (w.due, w.client_id))
            return result
    with app_ctx.store().write() as session:
        sp.sync_settings(session, pb.pool, user=user)
        return sp.sweep(session, pb.pool, user=user, today=day)


def warnings(app_ctx: Any, pb: Playbook, *, user: str | None, explicit_me: bool = False):
    """The reclaim warnings of ``user`` (everyone's: None), for the agenda and the digest. A user
    named on the command line must be one the database knows (``explicit_me``: the one running tg,
    who may hold nothing yet)."""
    from .store import pool as sp

    from .store.pipeline import check_user

    day = today_()
    with app_ctx.store().read() as session:
        if user is not None and not explicit_me:
            user = check_user(session, user)
        return sp.reclaim_warnings(session, pb.pool, user, day)
