"""Staff comments on an order's timeline, private to the admin (a table of their own, so the
events that the REST API, webhooks and the status page read never hold one).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

import orderdesk.db.types

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
When = orderdesk.db.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'order_comments',
        sa.Column('id', BigId, autoincrement=True, nullable=False),
        sa.Column('order_id', BigId, nullable=False),
        sa.Column('staff_id', BigId, nullable=True),
        sa.Column('author', sa.String(length=255), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', When, nullable=False),
        sa.Column('updated_at', When, nullable=False),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_comments_order_id_orders'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_order_comments_staff_id_staff'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_order_comments')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_order_comments_order_id', 'order_comments', ['order_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_order_comments_order_id', table_name='order_comments')
    op.drop_table('order_comments')
