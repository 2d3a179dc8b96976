"""observations by income group and country group, and the share of population imputed (issue 15)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

#: (column, type) added to ``observation``: two disaggregation columns (income groups, LDCs) and the share
#: of an aggregate's population whose values were imputed (kpi.connectivity).
COLUMNS = (
    ("income_group", sa.String(length=8)),
    ("country_group", sa.String(length=8)),
    ("imputed_pct", sa.Float()),
)


def upgrade() -> None:
    with op.batch_alter_table('observation') as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('observation') as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
