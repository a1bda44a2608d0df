"""Finished outbox rows move to outbox_done.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 11:58:05.348768
"""
from alembic import op
import sqlalchemy as sa
import orderdesk.db.types
from sqlalchemy.dialects import postgresql

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


# Tables whose ids clients keep: on SQLite they move to AUTOINCREMENT so a deleted row's id
# is never handed out again (a recreated table; PostgreSQL identities never reuse ids).
NO_REUSE = ("orders", "line_items", "transactions", "refunds", "fulfillments", "outbox", "events")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in NO_REUSE:
            with op.batch_alter_table(name, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
                pass
    op.create_table('outbox_done',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.Column('subject_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('available_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', orderdesk.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('locked_by', sa.String(length=64), nullable=True),
    sa.Column('done_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_done'))
    )
    with op.batch_alter_table('outbox_done', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_done_done_at', ['done_at'], unique=False)
        batch_op.create_index('ix_outbox_done_subject_id', ['subject_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('outbox_done', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_done_subject_id')
        batch_op.drop_index('ix_outbox_done_done_at')

    op.drop_table('outbox_done')
