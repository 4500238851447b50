"""trust: one live reward per referral, one reversal per reward, the 查重 key of every client

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Two tg winning one deal at the same moment could book a referral's reward twice, or reverse a
granted one twice (before tg waited for each other: db.serialise). The two partial unique
indexes make that impossible whatever writes the rows. A database that already holds such
duplicates is repaired first, never silently: of the live rewards of one referral, the one
money most likely went by is kept (granted before due before pending, then the oldest), every
other is voided with a reason naming the kept one and an audit row by "tg db upgrade"; of two
reversals of one reward the oldest is kept, the others voided the same way. Nothing is deleted.

``client.dedupe_key`` is the name as compared for duplicates (importer.dedupe_key): stored, so
that the server can answer "is this organisation already a client of the company?" for a rep
who cannot see the other rep's client (rls.py, 查重) without tg reading every name.
"""
from datetime import datetime, timezone
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

LIVE = "reverses_id IS NULL AND status IN ('pending', 'due', 'granted')"
REVERSAL = "reverses_id IS NOT NULL AND status <> 'voided'"
BY = "tg db upgrade"
KEEP_FIRST = {"granted": 0, "due": 1, "pending": 2}


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dedupe_key', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_client_dedupe_key'), ['dedupe_key'], unique=False)
    _fill_dedupe_keys(conn)
    _void_duplicates(conn)
    with op.batch_alter_table('reward', schema=None) as batch_op:
        batch_op.create_index('uq_reward_live_referral', ['referral_id'], unique=True,
                              sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))
        batch_op.create_index('uq_reward_reverses', ['reverses_id'], unique=True,
                              sqlite_where=sa.text(REVERSAL), postgresql_where=sa.text(REVERSAL))


def _fill_dedupe_keys(conn) -> None:
    from tuangou_cli.importer import dedupe_key

    client = sa.table('client', sa.column('id', sa.Integer), sa.column('name', sa.String),
                      sa.column('name_key', sa.String), sa.column('dedupe_key', sa.String))
    rows = conn.execute(sa.select(client.c.id, client.c.name, client.c.name_key)).all()
    update = client.update().where(client.c.id == sa.bindparam('cid')).values(dedupe_key=sa.bindparam('key'))
    for start in range(0, len(rows), 2000):
        conn.execute(update, [{"cid": cid, "key": dedupe_key(name, key)[:200]} for cid, name, key in rows[start:start + 2000]])


def _void_duplicates(conn) -> None:
    reward = sa.table('reward', sa.column('id', sa.Integer), sa.column('referral_id', sa.Integer),
                      sa.column('referrer_id', sa.Integer), sa.column('reverses_id', sa.Integer),
                      sa.column('status', sa.String), sa.column('reason', sa.String),
                      sa.column('voided_at', sa.DateTime(timezone=True)), sa.column('voided_by', sa.String))
    audit = sa.table('audit', sa.column('at', sa.DateTime(timezone=True)), sa.column('by', sa.String),
                     sa.column('table_name', sa.String), sa.column('row_id', sa.Integer),
                     sa.column('client_id', sa.Integer), sa.column('action', sa.String), sa.column('changes', sa.JSON))
    groups: dict[tuple[str, int], list[tuple[int, str, int | None, str | None]]] = {}
    for rid, ref, rev, status, referrer, reason in conn.execute(sa.select(
            reward.c.id, reward.c.referral_id, reward.c.reverses_id, reward.c.status, reward.c.referrer_id,
            reward.c.reason).where(reward.c.status != 'voided')):
        if rev is not None:
            groups.setdefault(("reverses", rev), []).append((rid, status, referrer, reason))
        elif ref is not None and status in KEEP_FIRST:
            groups.setdefault(("referral", ref), []).append((rid, status, referrer, reason))
    now = datetime.now(timezone.utc)
    for (kind, _), rows in groups.items():
        if len(rows) < 2:
            continue
        rows.sort(key=lambda r: (KEEP_FIRST.get(r[1], 0) if kind == "referral" else 0, r[0]))
        kept = rows[0][0]
        for rid, status, referrer, reason in rows[1:]:
            why = f"duplicate of reward #{kept} (voided by {BY})"
            conn.execute(reward.update().where(reward.c.id == rid).values(
                status='voided', reason=why, voided_at=now, voided_by=BY))
            conn.execute(audit.insert().values(
                at=now, by=BY, table_name='reward', row_id=rid, client_id=referrer, action='update',
                changes={"status": [status, "voided"], "reason": [reason, why], "voided_by": [None, BY]}))


def downgrade() -> None:
    with op.batch_alter_table('reward', schema=None) as batch_op:
        batch_op.drop_index('uq_reward_reverses', sqlite_where=sa.text(REVERSAL), postgresql_where=sa.text(REVERSAL))
        batch_op.drop_index('uq_reward_live_referral', sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_dedupe_key'))
        batch_op.drop_column('dedupe_key')
