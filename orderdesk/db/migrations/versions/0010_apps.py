"""Apps: what an access token belongs to; webhook subscriptions and fulfillment services are an app's.

An app outlives its tokens: revoking one and creating another for the same app keeps its
webhooks and fulfillment services. Existing tokens become apps by name (tokens that shared a
name share an app); fulfillment services move from their token to its app. Webhook
subscriptions made before owners were recorded stay ownerless (every app's), as services did.

Revision ID: 0010
Revises: 0009s
Create Date: 2026-12-01 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

import orderdesk.db.types

revision = '0010'
down_revision = '0009s'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'apps',
        sa.Column('id', BigId, autoincrement=True, nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('created_at', orderdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_apps')),
        sa.UniqueConstraint('name', name=op.f('uq_apps_name')),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('app_id', BigId, nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_api_tokens_app_id_apps'), 'apps', ['app_id'], ['id'])
        batch_op.create_index('ix_api_tokens_app_id', ['app_id'], unique=False)
    op.execute(
        "INSERT INTO apps (name, created_at) SELECT name, MIN(created_at) FROM api_tokens GROUP BY name"
    )
    op.execute("UPDATE api_tokens SET app_id = (SELECT apps.id FROM apps WHERE apps.name = api_tokens.name)")
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('app_id', existing_type=BigId, nullable=False)

    with op.batch_alter_table('webhook_subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('app_id', BigId, nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_webhook_subscriptions_app_id_apps'), 'apps', ['app_id'], ['id'])
        batch_op.drop_index('ix_webhook_subscriptions_address_topic')
        # Unique per app: two apps may each send the same topic to the same address.
        batch_op.create_index('ix_webhook_subscriptions_app_address_topic', ['app_id', 'address', 'topic'], unique=True)

    with op.batch_alter_table('fulfillment_services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('app_id', BigId, nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_fulfillment_services_app_id_apps'), 'apps', ['app_id'], ['id'])
    op.execute(
        "UPDATE fulfillment_services SET app_id = (SELECT api_tokens.app_id FROM api_tokens WHERE api_tokens.id = fulfillment_services.api_token_id)"
    )
    with op.batch_alter_table('fulfillment_services', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_fulfillment_services_api_token_id_api_tokens'), type_='foreignkey')
        batch_op.drop_column('api_token_id')


def downgrade() -> None:
    with op.batch_alter_table('fulfillment_services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('api_token_id', BigId, nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_fulfillment_services_api_token_id_api_tokens'), 'api_tokens', ['api_token_id'], ['id'])
    op.execute(
        "UPDATE fulfillment_services SET api_token_id = (SELECT MIN(api_tokens.id) FROM api_tokens WHERE api_tokens.app_id = fulfillment_services.app_id)"
    )
    with op.batch_alter_table('fulfillment_services', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_fulfillment_services_app_id_apps'), type_='foreignkey')
        batch_op.drop_column('app_id')
    with op.batch_alter_table('webhook_subscriptions', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_subscriptions_app_address_topic')
        batch_op.create_index('ix_webhook_subscriptions_address_topic', ['address', 'topic'], unique=True)
        batch_op.drop_constraint(batch_op.f('fk_webhook_subscriptions_app_id_apps'), type_='foreignkey')
        batch_op.drop_column('app_id')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index('ix_api_tokens_app_id')
        batch_op.drop_constraint(batch_op.f('fk_api_tokens_app_id_apps'), type_='foreignkey')
        batch_op.drop_column('app_id')
    op.drop_table('apps')
