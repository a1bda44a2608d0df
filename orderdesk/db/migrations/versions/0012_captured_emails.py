"""Emails captured in the database when no SMTP server is configured.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import orderdesk.db.types

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('captured_emails',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('template', sa.String(length=64), nullable=False),
    sa.Column('recipient', sa.Text(), nullable=False),
    sa.Column('sender', sa.Text(), nullable=False),
    sa.Column('reply_to', sa.Text(), nullable=True),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_captured_emails')),
    sa.UniqueConstraint('event_id', name=op.f('uq_captured_emails_event_id'))
    )
    with op.batch_alter_table('captured_emails', schema=None) as batch_op:
        batch_op.create_index('ix_captured_emails_order_id', ['order_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('captured_emails', schema=None) as batch_op:
        batch_op.drop_index('ix_captured_emails_order_id')

    op.drop_table('captured_emails')
