"""orders: sales_order, order_line, packing_line, delivery_event, invoice, instalment, payment, earning

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('sales_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=True),
    sa.Column('quote_id', sa.Integer(), nullable=True),
    sa.Column('total_fen', sa.BigInteger(), nullable=False),
    sa.Column('ordered_on', sa.Date(), nullable=False),
    sa.Column('delivery_date', sa.Date(), nullable=True),
    sa.Column('address', sa.String(), nullable=True),
    sa.Column('occasion', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_sales_order_client_id_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['deal_id'], ['deal.id'], name=op.f('fk_sales_order_deal_id_deal'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['quote_id'], ['quote.id'], name=op.f('fk_sales_order_quote_id_quote'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_order'))
    )
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_order_client_id'), ['client_id'], unique=False)

    op.create_table('delivery_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('by', sa.String(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['sales_order.id'], name=op.f('fk_delivery_event_order_id_sales_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_event'))
    )
    with op.batch_alter_table('delivery_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_event_order_id'), ['order_id'], unique=False)

    op.create_table('instalment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['sales_order.id'], name=op.f('fk_instalment_order_id_sales_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instalment')),
    sa.UniqueConstraint('order_id', 'position', name='uq_instalment_position')
    )
    with op.batch_alter_table('instalment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instalment_order_id'), ['order_id'], unique=False)

    op.create_table('invoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('billing', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('courier', sa.String(length=60), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['sales_order.id'], name=op.f('fk_invoice_order_id_sales_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reverses_id'], ['invoice.id'], name=op.f('fk_invoice_reverses_id_invoice'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_invoice_reverses_id'))
    )
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_order_id'), ['order_id'], unique=False)

    op.create_table('order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('total_fen', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['sales_order.id'], name=op.f('fk_order_line_order_id_sales_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_line'))
    )
    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_line_order_id'), ['order_id'], unique=False)

    op.create_table('packing_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['sales_order.id'], name=op.f('fk_packing_line_order_id_sales_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_packing_line')),
    sa.UniqueConstraint('order_id', 'department', 'code', name='uq_packing_line')
    )
    with op.batch_alter_table('packing_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_packing_line_order_id'), ['order_id'], unique=False)

    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=40), nullable=True),
    sa.Column('note', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['sales_order.id'], name=op.f('fk_payment_order_id_sales_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_order_id'), ['order_id'], unique=False)

    op.create_table('earning',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('reward_id', sa.Integer(), nullable=True),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['sales_order.id'], name=op.f('fk_earning_order_id_sales_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_earning_payment_id_payment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reward_id'], ['reward.id'], name=op.f('fk_earning_reward_id_reward'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_earning'))
    )
    with op.batch_alter_table('earning', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_earning_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_earning_reward_id'), ['reward_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('earning', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_earning_reward_id'))
        batch_op.drop_index(batch_op.f('ix_earning_order_id'))

    op.drop_table('earning')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_order_id'))

    op.drop_table('payment')
    with op.batch_alter_table('packing_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_packing_line_order_id'))

    op.drop_table('packing_line')
    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_line_order_id'))

    op.drop_table('order_line')
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_order_id'))

    op.drop_table('invoice')
    with op.batch_alter_table('instalment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instalment_order_id'))

    op.drop_table('instalment')
    with op.batch_alter_table('delivery_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_event_order_id'))

    op.drop_table('delivery_event')
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_order_client_id'))

    op.drop_table('sales_order')
