"""The shop's public URL: where shoppers and apps reach this orderdesk.

Revision ID: 0009s
Revises: 0008
Create Date: 2026-11-25 12:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '0009s'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_url', sa.String(length=2048), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.drop_column('public_url')
