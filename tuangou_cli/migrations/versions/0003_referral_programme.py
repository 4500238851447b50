"""referral programme

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('referral_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_event_referral_id_referral'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_event'))
    )
    with op.batch_alter_table('referral_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_event_referral_id'), ['referral_id'], unique=False)

    op.create_table('reward',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=True),
    sa.Column('referrer_id', sa.Integer(), nullable=True),
    sa.Column('referrer_name', sa.String(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.String(), nullable=False),
    sa.Column('amount', sa.Float(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('granted_by', sa.String(), nullable=True),
    sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('voided_by', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['deal_id'], ['deal.id'], name=op.f('fk_reward_deal_id_deal'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_reward_referral_id_referral'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['referrer_id'], ['client.id'], name=op.f('fk_reward_referrer_id_client'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reverses_id'], ['reward.id'], name=op.f('fk_reward_reverses_id_reward'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reward'))
    )
    with op.batch_alter_table('reward', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reward_referral_id'), ['referral_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reward_referrer_id'), ['referrer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reward_status'), ['status'], unique=False)

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_client_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_client_parent_id_client'), 'client', ['parent_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('incentive_code', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('credited', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('status_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('converted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('converted_value', sa.Float(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_referral_referred_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_referral_referred_id'), ['referred_id'], unique=False)
        batch_op.create_index('uq_referral_credited_referred', ['referred_id'], unique=True, sqlite_where=sa.text('credited = 1'), postgresql_where=sa.text('credited'))
        batch_op.create_index('ix_referral_credited_referrer', ['referrer_id', 'converted_at', 'converted_value'], unique=False, sqlite_where=sa.text('credited = 1'), postgresql_where=sa.text('credited'))



def downgrade() -> None:
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_credited_referrer', sqlite_where=sa.text('credited = 1'), postgresql_where=sa.text('credited'))
        batch_op.drop_index('uq_referral_credited_referred', sqlite_where=sa.text('credited = 1'), postgresql_where=sa.text('credited'))
        batch_op.drop_index(batch_op.f('ix_referral_referred_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_referral_referred_id'), ['referred_id'])
        batch_op.drop_column('converted_value')
        batch_op.drop_column('converted_at')
        batch_op.drop_column('status_at')
        batch_op.drop_column('credited')
        batch_op.drop_column('incentive_code')

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_client_parent_id_client'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_client_parent_id'))
        batch_op.drop_column('parent_id')

    with op.batch_alter_table('reward', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reward_status'))
        batch_op.drop_index(batch_op.f('ix_reward_referrer_id'))
        batch_op.drop_index(batch_op.f('ix_reward_referral_id'))

    op.drop_table('reward')
    with op.batch_alter_table('referral_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_event_referral_id'))

    op.drop_table('referral_event')
