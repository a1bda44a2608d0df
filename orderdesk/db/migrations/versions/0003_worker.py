"""Worker: webhook subscriptions and delivery log, notification templates, status page keys, auto-archive.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 11:41:46.423033
"""
from alembic import op
import sqlalchemy as sa
import orderdesk.db.types
from sqlalchemy.dialects import postgresql

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notification_templates',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_notification_templates'))
    )
    op.create_table('webhook_deliveries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('outbox_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('subscription_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('webhook_id', sa.String(length=36), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries'))
    )
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_deliveries_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_webhook_deliveries_event_id', ['event_id'], unique=False)

    op.create_table('webhook_subscriptions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.Column('format', sa.String(length=8), server_default='json', nullable=False),
    sa.Column('fields', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('api_version', sa.String(length=16), nullable=False),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_subscriptions'))
    )
    with op.batch_alter_table('webhook_subscriptions', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_subscriptions_address_topic', ['address', 'topic'], unique=True)
        batch_op.create_index('ix_webhook_subscriptions_topic', ['topic'], unique=False)

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_key_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_orders_status_key_hash'), ['status_key_hash'])

    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auto_archive', sa.Boolean(), server_default=sa.text('(true)'), nullable=False))
        batch_op.add_column(sa.Column('webhook_secret', sa.String(length=128), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.drop_column('webhook_secret')
        batch_op.drop_column('auto_archive')

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_orders_status_key_hash'), type_='unique')
        batch_op.drop_column('status_key_hash')

    with op.batch_alter_table('webhook_subscriptions', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_subscriptions_topic')
        batch_op.drop_index('ix_webhook_subscriptions_address_topic')

    op.drop_table('webhook_subscriptions')
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_deliveries_event_id')
        batch_op.drop_index('ix_webhook_deliveries_created_at')

    op.drop_table('webhook_deliveries')
    op.drop_table('notification_templates')
