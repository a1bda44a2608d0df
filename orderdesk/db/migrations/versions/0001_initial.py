"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 11:09:37.786951
"""
from alembic import op
import sqlalchemy as sa
import orderdesk.db.types
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # Order numbers come from a sequence so concurrent creates never collide.
        op.execute("CREATE SEQUENCE IF NOT EXISTS order_number_seq START 1")
    op.create_table('api_tokens',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('scopes', sa.Text(), nullable=False),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    op.create_table('customers',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('first_name', sa.String(length=255), nullable=True),
    sa.Column('last_name', sa.String(length=255), nullable=True),
    sa.Column('phone', sa.String(length=64), nullable=True),
    sa.Column('state', sa.String(length=20), server_default='disabled', nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('tags', sa.Text(), server_default='', nullable=False),
    sa.Column('verified_email', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('tax_exempt', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('accepts_marketing', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('default_address', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('email', name=op.f('uq_customers_email'))
    )
    op.create_table('events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('verb', sa.String(length=64), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('arguments', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('author', sa.String(length=255), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_subject', ['subject_type', 'subject_id', 'id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.Column('subject_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('available_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('locked_until', orderdesk.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('locked_by', sa.String(length=64), nullable=True),
    sa.Column('done_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('event_id', name=op.f('uq_outbox_event_id'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_claimable', ['available_at', 'id'], unique=False, postgresql_where=sa.text('done_at IS NULL'), sqlite_where=sa.text('done_at IS NULL'))

    op.create_table('products',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('vendor', sa.String(length=255), nullable=True),
    sa.Column('product_type', sa.String(length=255), server_default='', nullable=False),
    sa.Column('handle', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='active', nullable=False),
    sa.Column('tags', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('handle', name=op.f('uq_products_handle'))
    )
    op.create_table('shop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('domain', sa.String(length=255), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('iana_timezone', sa.String(length=64), nullable=False),
    sa.Column('order_name_prefix', sa.String(length=20), server_default='#', nullable=False),
    sa.Column('order_name_suffix', sa.String(length=20), server_default='', nullable=False),
    sa.Column('order_number_offset', sa.Integer(), server_default='1000', nullable=False),
    sa.Column('exchange_rates', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop'))
    )
    op.create_table('orders',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('number', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name_prefix', sa.String(length=20), nullable=False),
    sa.Column('name_suffix', sa.String(length=20), nullable=False),
    sa.Column('order_number_offset', sa.Integer(), nullable=False),
    sa.Column('custom_name', sa.String(length=255), nullable=True),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('confirmation_number', sa.String(length=32), nullable=True),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('phone', sa.String(length=64), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('tags', sa.Text(), server_default='', nullable=False),
    sa.Column('note_attributes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('presentment_currency', sa.String(length=3), nullable=False),
    sa.Column('billing_address', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('shipping_address', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('shipping_lines', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('tax_lines', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('discount_codes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('taxes_included', sa.Boolean(), nullable=False),
    sa.Column('tax_exempt', sa.Boolean(), nullable=False),
    sa.Column('buyer_accepts_marketing', sa.Boolean(), nullable=False),
    sa.Column('test', sa.Boolean(), nullable=False),
    sa.Column('source_name', sa.String(length=255), nullable=False),
    sa.Column('extra', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('total_line_items_price', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('total_line_items_price_presentment', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('total_discounts', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('total_discounts_presentment', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('subtotal_price', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('subtotal_price_presentment', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('total_shipping_price', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('total_shipping_price_presentment', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('total_tax', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('total_tax_presentment', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('total_price', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('total_price_presentment', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('total_weight', sa.Integer(), nullable=False),
    sa.Column('financial_status', sa.String(length=32), nullable=False),
    sa.Column('fulfillment_status', sa.String(length=32), nullable=True),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('processed_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_orders_customer_id_customers'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('number', name=op.f('uq_orders_number')),
    sa.UniqueConstraint('token', name=op.f('uq_orders_token'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_created_at_id', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_orders_financial_status', ['financial_status'], unique=False)
        batch_op.create_index('ix_orders_fulfillment_status', ['fulfillment_status'], unique=False)
        batch_op.create_index('ix_orders_processed_at', ['processed_at'], unique=False)
        batch_op.create_index('ix_orders_updated_at', ['updated_at'], unique=False)

    op.create_table('variants',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('sku', sa.String(length=255), nullable=True),
    sa.Column('barcode', sa.String(length=255), nullable=True),
    sa.Column('price', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('compare_at_price', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=True),
    sa.Column('position', sa.Integer(), server_default='1', nullable=False),
    sa.Column('option1', sa.String(length=255), nullable=True),
    sa.Column('option2', sa.String(length=255), nullable=True),
    sa.Column('option3', sa.String(length=255), nullable=True),
    sa.Column('requires_shipping', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('taxable', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('grams', sa.Integer(), server_default='0', nullable=False),
    sa.Column('inventory_policy', sa.String(length=20), server_default='deny', nullable=False),
    sa.Column('inventory_management', sa.String(length=40), nullable=True),
    sa.Column('fulfillment_service', sa.String(length=255), server_default='manual', nullable=False),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_variants_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_variants'))
    )
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_variants_product_id'), ['product_id'], unique=False)

    op.create_table('fulfillments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('location_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('service', sa.String(length=255), nullable=False),
    sa.Column('tracking_company', sa.String(length=255), nullable=True),
    sa.Column('tracking_numbers', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('tracking_urls', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('shipment_status', sa.String(length=32), nullable=True),
    sa.Column('notify_customer', sa.Boolean(), nullable=False),
    sa.Column('quantities', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_fulfillments_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillments'))
    )
    with op.batch_alter_table('fulfillments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fulfillments_order_id'), ['order_id'], unique=False)

    op.create_table('line_items',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('variant_title', sa.String(length=255), nullable=True),
    sa.Column('sku', sa.String(length=255), nullable=True),
    sa.Column('vendor', sa.String(length=255), nullable=True),
    sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('variant_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('price', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('price_presentment', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('grams', sa.Integer(), nullable=False),
    sa.Column('requires_shipping', sa.Boolean(), nullable=False),
    sa.Column('taxable', sa.Boolean(), nullable=False),
    sa.Column('gift_card', sa.Boolean(), nullable=False),
    sa.Column('fulfillment_service', sa.String(length=255), nullable=False),
    sa.Column('variant_inventory_management', sa.String(length=40), nullable=True),
    sa.Column('properties', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('tax_lines', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('discount_allocations', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('restocked_quantity', sa.Integer(), server_default='0', nullable=False),
    sa.Column('removed_quantity', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_line_items_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_items'))
    )
    with op.batch_alter_table('line_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_items_order_id'), ['order_id'], unique=False)

    op.create_table('transactions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('amount', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('amount_presentment', orderdesk.db.types.ExactDecimal(precision=20, scale=4), nullable=False),
    sa.Column('gateway', sa.String(length=64), nullable=False),
    sa.Column('parent_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('authorization', sa.String(length=255), nullable=True),
    sa.Column('authorization_expires_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('error_code', sa.String(length=64), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('test', sa.Boolean(), nullable=False),
    sa.Column('source_name', sa.String(length=64), nullable=False),
    sa.Column('receipt', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('processed_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_transactions_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transactions'))
    )
    with op.batch_alter_table('transactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transactions_order_id'), ['order_id'], unique=False)



def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS order_number_seq")
    with op.batch_alter_table('transactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transactions_order_id'))

    op.drop_table('transactions')
    with op.batch_alter_table('line_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_items_order_id'))

    op.drop_table('line_items')
    with op.batch_alter_table('fulfillments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fulfillments_order_id'))

    op.drop_table('fulfillments')
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_variants_product_id'))

    op.drop_table('variants')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_updated_at')
        batch_op.drop_index('ix_orders_processed_at')
        batch_op.drop_index('ix_orders_fulfillment_status')
        batch_op.drop_index('ix_orders_financial_status')
        batch_op.drop_index(batch_op.f('ix_orders_customer_id'))
        batch_op.drop_index('ix_orders_created_at_id')

    op.drop_table('orders')
    op.drop_table('shop')
    op.drop_table('products')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_claimable', postgresql_where=sa.text('done_at IS NULL'), sqlite_where=sa.text('done_at IS NULL'))

    op.drop_table('outbox')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_subject')

    op.drop_table('events')
    op.drop_table('customers')
    op.drop_table('api_tokens')
