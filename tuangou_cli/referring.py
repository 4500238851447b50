"""The referral programme's use cases: recording an introduction, the referral list, a
referral's status, the tree of who introduced whom, the rewards (listing, granting, voiding) and
reciprocal purchases. Each opens its own transaction on the app context's store and returns a
typed result for cli/referrals.py, cli/rewards.py and cli/reciprocal.py to print."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from . import i18n
from .errors import NotFound, TgError


# --- tg refer ----------------------------------------------------------------------------------------


@dataclass
class Referred:
    id: int
    referrer: str  # "#id name"
    referred: str


def refer(app_ctx, *, referrer: str, referred: str, contact: str | None, incentive: str | None, note: str | None,
          rule: str | None, credited: bool, confirm_new: Callable[[str], None]) -> Referred:
    """Record that ``referrer`` introduced ``referred``. Both sides are resolved (and
    ``confirm_new`` asked about each new prospect) before the write transaction opens; a new
    prospect is created by name. 查重: a name another rep's client has is refused before
    ``confirm_new`` is asked (and again when it is created)."""
    from .models import Client
    from .store import clients as st
    from .store.referrals import record_referral

    pb = app_ctx.playbook()
    db = app_ctx.store()
    user = app_ctx.user()
    resolved: list[int | str] = []
    with db.read() as session:
        for query in (referrer, referred):
            found = st.exact_clients(session, query)
            if len(found) > 1:
                raise st.ambiguous(query, found)
            if found:
                resolved.append(found[0].id)
            elif st.parse_id(query) is not None:
                st.get_client(session, query)  # an id that does not exist: NotFound with close names
            else:
                # 查重 before asking whether to create it: another rep's client is refused now.
                st.refuse_held_elsewhere(session, query)
                resolved.append(" ".join(query.split()))
    same = resolved[0] == resolved[1] or (
        isinstance(resolved[0], str) and isinstance(resolved[1], str)
        and st.name_key(resolved[0]) == st.name_key(resolved[1]))
    if same:
        raise TgError(i18n.t("refer.self", name=referred))
    for value in resolved:
        if isinstance(value, str):
            confirm_new(value)
    with db.write() as session:
        sides = [session.get(Client, v) if isinstance(v, int) else st.client_named(session, v, user=user)
                 for v in resolved]
        if None in sides:  # removed by someone else since we looked
            raise NotFound(i18n.t("client.not_found", query=referrer if sides[0] is None else referred))
        r = record_referral(session, referrer=sides[0], referred=sides[1], user=user, contact_name=contact,
                            incentive=incentive, note=note, playbook=pb, incentive_code=rule, credited=credited)
        return Referred(r.id, f"#{sides[0].id} {sides[0].name}", f"#{sides[1].id} {sides[1].name}")


# --- tg referrals ------------------------------------------------------------------------------------


def referral_rows(app_ctx, client: str | None) -> list[tuple]:
    """The referrals (of one client, or all), as store.queries.referrals_query's columns, dates in ISO form."""
    from .store import clients as st
    from .store.queries import referrals_query

    with app_ctx.store().read() as session:
        client_id = st.get_client(session, client).id if client else None
        _cols, stmt = referrals_query(client_id)
        rows = []
        for row in session.connection().execute(stmt):
            rec = list(row)
            rec[1] = rec[1].isoformat()
            rec[13] = rec[13].isoformat() if rec[13] else None
            rows.append(tuple(rec))
        return rows


@dataclass
class StatusSet:
    id: int
    old: str
    new: str
    due: list[tuple[int, float]] = field(default_factory=list)  # (reward id, amount) now due


def set_referral_status(app_ctx, referral_id: int, new_status: str, *, note: str | None, force: bool) -> StatusSet:
    from sqlalchemy import select

    from .models import Referral, Reward
    from .store import referrals as programme

    pb = app_ctx.playbook()
    with app_ctx.store().write() as session:
        referral = session.get(Referral, referral_id)
        if referral is None:
            raise TgError(i18n.t("refer.not_found", id=referral_id))
        old = referral.status
        programme.set_status(session, referral, new_status, user=app_ctx.user(), playbook=pb, note=note, force=force)
        due = [(r.id, r.amount) for r in session.exec(select(Reward).where(Reward.referral_id == referral.id)).scalars()
               if r.status == "due"]
        return StatusSet(referral.id, old, new_status, due)


@dataclass
class Tree:
    root_id: int
    root_name: str
    root_won: float
    nodes: list[dict[str, Any]]
    totals: dict[int, float]  # node id -> won in its branch (up: its own)


def referral_tree(app_ctx, client: str, *, depth: int, up: bool) -> Tree:
    from .store import clients as st
    from .store import referrals as programme

    with app_ctx.store().read() as session:
        root = st.read_client(session, client)
        root_id, root_name = root.id, root.name
        root_won = st.won_revenue(session, root.id)
        nodes = programme.tree(session, root.id, depth=depth, up=up)
    totals = programme.branch_totals(nodes, root_id) if not up else {n["id"]: n["won"] for n in nodes}
    return Tree(root_id, root_name, root_won, nodes, totals)


# --- tg rewards --------------------------------------------------------------------------------------


@dataclass
class Rewards:
    columns: list[str]
    rows: list[tuple]


def reward_rows(app_ctx, *, referrer: str | None, due: bool) -> Rewards:
    from .store import clients as st
    from .store.queries import rewards_query

    with app_ctx.store().read() as session:
        referrer_id = st.get_client(session, referrer).id if referrer else None
        columns, stmt = rewards_query(referrer_id=referrer_id, due_only=due)
        rows = [tuple(v.isoformat() if hasattr(v, "isoformat") else v for v in row)
                for row in session.connection().execute(stmt)]
    return Rewards(list(columns), rows)


@dataclass
class RewardChange:
    id: int
    amount: float
    was_granted: bool = False
    reversal_id: int | None = None  # the reversing entry of a voided grant
    reversal_amount: float | None = None


def grant_reward(app_ctx, reward_id: int) -> RewardChange:
    from .store import referrals as programme

    with app_ctx.store().write() as session:
        reward = programme.grant(session, programme.get_reward(session, reward_id), user=app_ctx.user())
        return RewardChange(reward.id, reward.amount)


def void_reward(app_ctx, reward_id: int, *, reason: str) -> RewardChange:
    from .store import referrals as programme

    with app_ctx.store().write() as session:
        reward = programme.get_reward(session, reward_id)
        was_granted = reward.status == "granted"
        result = programme.void(session, reward, user=app_ctx.user(), reason=reason)
        if was_granted:
            return RewardChange(reward_id, reward.amount, True, result.id, result.amount)
        return RewardChange(reward_id, reward.amount)


# --- tg reciprocal -----------------------------------------------------------------------------------


@dataclass
class ReciprocalAdded:
    id: int
    client: str
    we_buy: str
    amount: float
    balance: Any  # store.accounts balance: revenue, bought, net


def add_reciprocal(app_ctx, client: str, *, we_buy: str, amount: float, on: date | None) -> ReciprocalAdded:
    from .store import accounts as acc
    from .store import clients as st

    with app_ctx.store().write() as session:
        c = st.get_client(session, client)
        row = acc.add_reciprocal(session, client=c, we_buy=we_buy, amount=amount, on=on, user=app_ctx.user())
        return ReciprocalAdded(row.id, c.name, row.we_buy, row.amount, acc.balance(session, c.id))


def reciprocal_rows(app_ctx, client: str | None) -> list[list]:
    from .store import accounts as acc
    from .store import clients as st

    with app_ctx.store().read() as session:
        client_id = st.get_client(session, client).id if client else None
        return [[r[0], r[1].isoformat(), *r[2:]] for r in acc.reciprocal_rows(session, client_id)]
