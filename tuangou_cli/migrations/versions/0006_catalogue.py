"""the catalogue: products, bundles of products, price history; seeded with the default
catalogue and the playbook's bundles

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

import tuangou_cli.sqltypes

# The revision this one follows: the one line to change when migrations are re-chained.
PREVIOUS = '0005'

revision: str = '0006'
down_revision: Union[str, None] = PREVIOUS
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('catalog_bundle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name_zh', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('description_zh', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('description_en', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('segments', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('tags', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('occasions', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('services', sa.JSON(), nullable=False),
    sa.Column('min_sets', sa.Integer(), nullable=False),
    sa.Column('per_group', sa.Integer(), nullable=True),
    sa.Column('fixed_sets', sa.Integer(), nullable=True),
    sa.Column('tiers', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('updated_at', tuangou_cli.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_bundle')),
    sa.UniqueConstraint('code', name=op.f('uq_catalog_bundle_code'))
    )
    op.create_table('price_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_code', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('price_fen', sa.BigInteger(), nullable=False),
    sa.Column('includes_vat', sa.Boolean(), nullable=False),
    sa.Column('at', tuangou_cli.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_history'))
    )
    with op.batch_alter_table('price_history', schema=None) as batch_op:
        batch_op.create_index('ix_price_history_code_at', ['product_code', 'at'], unique=False)

    op.create_table('product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name_zh', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('spec_zh', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('spec_en', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('category_zh', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('category_en', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('unit_zh', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('unit_en', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('price_fen', sa.BigInteger(), nullable=False),
    sa.Column('includes_vat', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('vat_rate', sa.Float(), nullable=False),
    sa.Column('min_order', sa.Integer(), nullable=False),
    sa.Column('lead_days', sa.Integer(), nullable=True),
    sa.Column('occasions', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('segments', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('tags', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('tiers', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('updated_at', tuangou_cli.sqltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product')),
    sa.UniqueConstraint('code', name=op.f('uq_product_code'))
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_category_zh'), ['category_zh'], unique=False)

    op.create_table('bundle_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bundle_id', sa.Integer(), nullable=False),
    sa.Column('product_code', sa.String(length=60), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bundle_id'], ['catalog_bundle.id'], name=op.f('fk_bundle_line_bundle_id_catalog_bundle'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_code'], ['product.code'], name=op.f('fk_bundle_line_product_code_product'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bundle_line'))
    )
    with op.batch_alter_table('bundle_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bundle_line_bundle_id'), ['bundle_id'], unique=False)

    # What offers were made of until now becomes the catalogue: the playbook's bundles (their
    # items as products, coded PB-<BUNDLE>-NN, sold in the bundle) and the shipped default
    # products. Deals keep their bundle codes, which are the catalogue bundles' codes.
    seed()


def seed() -> None:
    from tuangou_cli.store import catalog as catalog_store
    from tuangou_cli.errors import TgError
    from tuangou_cli.playbook import load_playbook

    try:
        pb = load_playbook()
    except TgError:  # a broken custom playbook does not stop the upgrade: its bundles stay in it
        pb = None
    catalog_store.seed(op.get_bind(), pb, by="migration 0006", source="migration")


def downgrade() -> None:
    with op.batch_alter_table('bundle_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bundle_line_bundle_id'))

    op.drop_table('bundle_line')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_category_zh'))

    op.drop_table('product')
    with op.batch_alter_table('price_history', schema=None) as batch_op:
        batch_op.drop_index('ix_price_history_code_at')

    op.drop_table('price_history')
    op.drop_table('catalog_bundle')
