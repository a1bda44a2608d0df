"""Each app signs its own webhooks: apps get a signing secret of their own.

Apps that exist already take the shop's current secret, so their receivers keep verifying;
apps made from now on get a new random one (shown in the admin's webhook settings, where it
can be rotated).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 08:00:00.000000
"""
import secrets

from alembic import op
import sqlalchemy as sa

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('apps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('webhook_secret', sa.String(length=128), nullable=True))
    bind = op.get_bind()
    shared = bind.execute(sa.text("SELECT webhook_secret FROM shop")).scalar()
    for (app_id,) in bind.execute(sa.text("SELECT id FROM apps")).all():
        bind.execute(sa.text("UPDATE apps SET webhook_secret = :s WHERE id = :id"), {"s": shared or secrets.token_hex(32), "id": app_id})
    with op.batch_alter_table('apps', schema=None) as batch_op:
        batch_op.alter_column('webhook_secret', existing_type=sa.String(length=128), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('apps', schema=None) as batch_op:
        batch_op.drop_column('webhook_secret')
