"""Inventory: locations, inventory items and levels, stock committed per order line.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 11:45:45.946849
"""
from alembic import op
import sqlalchemy as sa
import orderdesk.db.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('locations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('address1', sa.String(length=255), nullable=True),
    sa.Column('address2', sa.String(length=255), nullable=True),
    sa.Column('city', sa.String(length=255), nullable=True),
    sa.Column('zip', sa.String(length=32), nullable=True),
    sa.Column('province', sa.String(length=255), nullable=True),
    sa.Column('country_code', sa.String(length=2), nullable=True),
    sa.Column('phone', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locations'))
    )
    op.create_table('inventory_items',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('variant_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('sku', sa.String(length=255), nullable=True),
    sa.Column('tracked', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('requires_shipping', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('cost', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=True),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_inventory_items_variant_id_variants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_items')),
    sa.UniqueConstraint('variant_id', name=op.f('uq_inventory_items_variant_id'))
    )
    op.create_table('inventory_levels',
    sa.Column('inventory_item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('location_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('available', sa.Integer(), server_default='0', nullable=False),
    sa.Column('committed', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['inventory_item_id'], ['inventory_items.id'], name=op.f('fk_inventory_levels_inventory_item_id_inventory_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_inventory_levels_location_id_locations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('inventory_item_id', 'location_id', name=op.f('pk_inventory_levels'))
    )
    with op.batch_alter_table('line_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('location_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.add_column(sa.Column('committed_quantity', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('oversold_quantity', sa.Integer(), server_default='0', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('line_items', schema=None) as batch_op:
        batch_op.drop_column('oversold_quantity')
        batch_op.drop_column('committed_quantity')
        batch_op.drop_column('location_id')

    op.drop_table('inventory_levels')
    op.drop_table('inventory_items')
    op.drop_table('locations')
