"""Fulfillment services remember the app (API token) that registered them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 12:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('fulfillment_services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('api_token_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_fulfillment_services_api_token_id_api_tokens'), 'api_tokens', ['api_token_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('fulfillment_services', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_fulfillment_services_api_token_id_api_tokens'), type_='foreignkey')
        batch_op.drop_column('api_token_id')
