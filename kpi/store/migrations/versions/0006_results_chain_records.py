"""results chain records: follow-ups, accountability framework, operational plans, links (issue 16)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 11:07:39
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

#: Tables that now record the import that wrote each row.
BATCHED = ('membership', 'resolution_action')


def upgrade() -> None:
    # The commitment's reference first: the follow-ups refer to it.
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ref', sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_commitment_ref', ['ref'])
        batch_op.create_foreign_key('fk_commitment_batch', 'import_batch', ['batch_id'], ['id'])
    # Commitments stored before have no reference: each gets one from its row number, so that follow-ups,
    # links and imports can name it.
    op.execute("UPDATE commitment SET ref = 'C' || id WHERE ref IS NULL")
    op.create_table('accountability_component',
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('pillar', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('accountability_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('component_code', sa.String(length=24), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['component_code'], ['accountability_component.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('component_code', 'year')
    )
    op.create_table('commitment_follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_ref', sa.String(length=24), nullable=False),
    sa.Column('noted_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['commitment_ref'], ['commitment.ref'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('commitment_ref', 'noted_on')
    )
    op.create_table('operational_plan_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=24), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('node_id', sa.Integer(), nullable=False),
    sa.Column('expected_result', sa.Text(), nullable=False),
    sa.Column('kpi', sa.Text(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=True),
    sa.Column('risk_factors', sa.Text(), nullable=False),
    sa.Column('resources_chf', sa.Float(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ),
    sa.ForeignKeyConstraint(['node_id'], ['framework_node.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ref', 'year')
    )
    op.create_table('record_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_kind', sa.String(length=24), nullable=False),
    sa.Column('record_ref', sa.String(length=80), nullable=False),
    sa.Column('node_id', sa.Integer(), nullable=True),
    sa.Column('indicator_id', sa.Integer(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ),
    sa.ForeignKeyConstraint(['node_id'], ['framework_node.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('record_kind', 'record_ref', 'node_id', 'indicator_id')
    )
    for table in BATCHED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(f'fk_{table}_batch', 'import_batch', ['batch_id'], ['id'])


def downgrade() -> None:
    op.drop_table('record_link')
    op.drop_table('operational_plan_item')
    op.drop_table('commitment_follow_up')
    op.drop_table('accountability_assessment')
    op.drop_table('accountability_component')
    for table in BATCHED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_batch', type_='foreignkey')
            batch_op.drop_column('batch_id')
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.drop_constraint('fk_commitment_batch', type_='foreignkey')
        batch_op.drop_constraint('uq_commitment_ref', type_='unique')
        batch_op.drop_column('batch_id')
        batch_op.drop_column('ref')
