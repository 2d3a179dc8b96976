"""roles granted to verified identities; audit names up to 255 characters

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 07:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

#: (table, column, nullable) of the columns that record who did something: a verified e-mail
#: address or a command-line operator's name with the OS account can be longer than 80 characters.
WHO_COLUMNS = (
    ("import_batch", "user", False), ("change_log", "user", False), ("validated_period", "validated_by", False),
    ("validated_period", "reopened_by", True), ("presentation", "created_by", False),
)


def upgrade() -> None:
    op.create_table(
        'role_grant',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('identity', sa.String(length=255), nullable=False),
        sa.Column('role', sa.String(length=32), nullable=False),
        sa.Column('sector', sa.String(length=16), nullable=True),
        sa.Column('granted_by', sa.String(length=255), nullable=False),
        sa.Column('granted_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_by', sa.String(length=255), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_role_grant_identity', 'role_grant', ['identity'], unique=False)
    for table, column, nullable in WHO_COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.String(length=80), type_=sa.String(length=255),
                               existing_nullable=nullable)


def downgrade() -> None:
    for table, column, nullable in WHO_COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.String(length=255), type_=sa.String(length=80),
                               existing_nullable=nullable)
    op.drop_index('ix_role_grant_identity', table_name='role_grant')
    op.drop_table('role_grant')
