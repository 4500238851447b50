"""the lead pool: pool_event (claims, releases, reclaims, assignments, hand-overs), pool_setting

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('pool_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('client_name', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('from_owner', sa.String(), nullable=True),
    sa.Column('to_owner', sa.String(), nullable=True),
    sa.Column('rule', sa.String(length=80), nullable=False),
    sa.Column('reason', sa.String(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pool_event'))
    )
    with op.batch_alter_table('pool_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pool_event_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pool_event_day'), ['day'], unique=False)
        batch_op.create_index('ix_pool_event_by_day', ['to_owner', 'action', 'day'], unique=False)
        batch_op.create_index('ix_pool_event_from', ['from_owner', 'client_id'], unique=False)
    op.create_table('pool_setting',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_pool_setting'))
    )


def downgrade() -> None:
    op.drop_table('pool_setting')
    with op.batch_alter_table('pool_event', schema=None) as batch_op:
        batch_op.drop_index('ix_pool_event_from')
        batch_op.drop_index('ix_pool_event_by_day')
        batch_op.drop_index(batch_op.f('ix_pool_event_day'))
        batch_op.drop_index(batch_op.f('ix_pool_event_client_id'))
    op.drop_table('pool_event')
