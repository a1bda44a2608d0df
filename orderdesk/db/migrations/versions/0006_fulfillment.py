"""Fulfillment orders, fulfillment events, fulfillment services, automation settings.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 12:03:54.190238
"""
from alembic import op
import sqlalchemy as sa
import orderdesk.db.types
from sqlalchemy.dialects import postgresql

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fulfillment_services',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('handle', sa.String(length=255), nullable=False),
    sa.Column('callback_url', sa.Text(), nullable=True),
    sa.Column('inventory_management', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('tracking_support', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('requires_shipping_method', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('fulfillment_orders_opt_in', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('location_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('response_deadline_seconds', sa.Integer(), server_default='86400', nullable=False),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_fulfillment_services_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_services')),
    sa.UniqueConstraint('handle', name=op.f('uq_fulfillment_services_handle'))
    )
    op.create_table('fulfillment_orders',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('assigned_location_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('request_status', sa.String(length=32), nullable=False),
    sa.Column('status_before_hold', sa.String(length=20), nullable=True),
    sa.Column('fulfill_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('fulfill_by', orderdesk.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lines', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('holds', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('merchant_requests', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('service_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_fulfillment_orders_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_orders')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('fulfillment_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fulfillment_orders_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_fulfillment_orders_status', ['status'], unique=False)

    op.create_table('fulfillment_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('fulfillment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('happened_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('city', sa.String(length=255), nullable=True),
    sa.Column('province', sa.String(length=255), nullable=True),
    sa.Column('country', sa.String(length=255), nullable=True),
    sa.Column('zip', sa.String(length=32), nullable=True),
    sa.Column('address1', sa.String(length=255), nullable=True),
    sa.Column('latitude', sa.String(length=32), nullable=True),
    sa.Column('longitude', sa.String(length=32), nullable=True),
    sa.Column('estimated_delivery_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['fulfillment_id'], ['fulfillments.id'], name=op.f('fk_fulfillment_events_fulfillment_id_fulfillments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_events')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('fulfillment_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fulfillment_events_fulfillment_id'), ['fulfillment_id'], unique=False)

    with op.batch_alter_table('fulfillments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fulfillment_order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fulfillment_order_count', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fulfillment_automation', sa.String(length=16), server_default='manual', nullable=False))
        batch_op.add_column(sa.Column('hold_unpaid_fulfillment', sa.Boolean(), server_default=sa.text('(false)'), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.drop_column('hold_unpaid_fulfillment')
        batch_op.drop_column('fulfillment_automation')

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('fulfillment_order_count')

    with op.batch_alter_table('fulfillments', schema=None) as batch_op:
        batch_op.drop_column('fulfillment_order_id')

    with op.batch_alter_table('fulfillment_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fulfillment_events_fulfillment_id'))

    op.drop_table('fulfillment_events')
    with op.batch_alter_table('fulfillment_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_fulfillment_orders_status')
        batch_op.drop_index(batch_op.f('ix_fulfillment_orders_order_id'))

    op.drop_table('fulfillment_orders')
    op.drop_table('fulfillment_services')
