"""Notification delivery log (emails and service callbacks); fulfillment services reached by email.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:12:00.000000
"""
from alembic import op
import sqlalchemy as sa
import orderdesk.db.types

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notification_deliveries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('outbox_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.Column('recipient', sa.Text(), nullable=True),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('message_id', sa.String(length=255), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_deliveries'))
    )
    with op.batch_alter_table('notification_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_notification_deliveries_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_notification_deliveries_event_id', ['event_id'], unique=False)
        batch_op.create_index('ix_notification_deliveries_order_id', ['order_id', 'id'], unique=False)

    with op.batch_alter_table('fulfillment_services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('fulfillment_services', schema=None) as batch_op:
        batch_op.drop_column('email')

    with op.batch_alter_table('notification_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_deliveries_order_id')
        batch_op.drop_index('ix_notification_deliveries_event_id')
        batch_op.drop_index('ix_notification_deliveries_created_at')

    op.drop_table('notification_deliveries')
