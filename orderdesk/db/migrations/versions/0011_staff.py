"""Staff accounts, their admin sessions, and failed logins.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 07:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

import orderdesk.db.types

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
When = orderdesk.db.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'staff',
        sa.Column('id', BigId, autoincrement=True, nullable=False),
        sa.Column('email', sa.String(length=255), nullable=False),
        sa.Column('name', sa.String(length=255), server_default='', nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('permissions', sa.Text(), server_default='', nullable=False),
        sa.Column('password_hash', sa.Text(), nullable=False),
        sa.Column('disabled_at', When, nullable=True),
        sa.Column('created_at', When, nullable=False),
        sa.Column('updated_at', When, nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
        sa.UniqueConstraint('email', name=op.f('uq_staff_email')),
        sqlite_autoincrement=True,
    )
    op.create_table(
        'staff_sessions',
        sa.Column('id', BigId, autoincrement=True, nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('staff_id', BigId, nullable=False),
        sa.Column('created_at', When, nullable=False),
        sa.Column('expires_at', When, nullable=False),
        sa.Column('revoked_at', When, nullable=True),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_staff_sessions_staff_id_staff'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_sessions')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_staff_sessions_token_hash')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_staff_sessions_staff_id', 'staff_sessions', ['staff_id'], unique=False)
    op.create_table(
        'login_failures',
        sa.Column('id', BigId, autoincrement=True, nullable=False),
        sa.Column('key', sa.String(length=300), nullable=False),
        sa.Column('failed_at', When, nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_login_failures_key_failed_at', 'login_failures', ['key', 'failed_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_login_failures_key_failed_at', table_name='login_failures')
    op.drop_table('login_failures')
    op.drop_index('ix_staff_sessions_staff_id', table_name='staff_sessions')
    op.drop_table('staff_sessions')
    op.drop_table('staff')
