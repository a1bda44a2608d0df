"""The shop's logo: shown on packing slips and in emails.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 08:40:00.000000
"""
from alembic import op
import sqlalchemy as sa
import orderdesk.db.types

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('shop_logo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_logo'))
    )
    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logo_updated_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.drop_column('logo_updated_at')
    op.drop_table('shop_logo')
