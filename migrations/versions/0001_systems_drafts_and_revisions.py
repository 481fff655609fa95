"""systems, drafts and revisions

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from aia.db import UTCDateTime
from aia.db_rules import statements

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_dt', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency')),
    sa.UniqueConstraint('slug', name=op.f('uq_agency_slug'))
    )
    op.create_table('system',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_dt', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_system_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_system')),
    sa.UniqueConstraint('uid', name=op.f('uq_system_uid'))
    )
    with op.batch_alter_table('system', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_system_agency_id'), ['agency_id'], unique=False)

    op.create_table('draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_key', sa.String(length=64), nullable=False),
    sa.Column('questionnaire_version', sa.Integer(), nullable=False),
    sa.Column('questionnaire_hash', sa.String(length=64), nullable=False),
    sa.Column('answers', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('step_key', sa.String(length=64), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('created_dt', UTCDateTime(), nullable=False),
    sa.Column('updated_dt', UTCDateTime(), nullable=False),
    sa.CheckConstraint('lock_version >= 1', name=op.f('ck_draft_lock_version_positive')),
    sa.ForeignKeyConstraint(['system_id'], ['system.id'], name=op.f('fk_draft_system_id_system')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft')),
    sa.UniqueConstraint('system_id', name=op.f('uq_draft_system_id'))
    )
    op.create_table('revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('questionnaire_key', sa.String(length=64), nullable=False),
    sa.Column('questionnaire_version', sa.Integer(), nullable=False),
    sa.Column('questionnaire_hash', sa.String(length=64), nullable=False),
    sa.Column('answers', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('scores', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('impact_level', sa.Integer(), nullable=False),
    sa.Column('charter_rating', sa.String(length=16), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('submitted_dt', UTCDateTime(), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.CheckConstraint("charter_rating IS NULL OR charter_rating IN ('low', 'moderate', 'high')", name=op.f('ck_revision_charter_rating_known')),
    sa.CheckConstraint("status IN ('submitted', 'changes_requested', 'approved', 'published', 'superseded', 'withdrawn')", name=op.f('ck_revision_status_known')),
    sa.CheckConstraint('impact_level BETWEEN 1 AND 4', name=op.f('ck_revision_impact_level_range')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_revision_number_positive')),
    sa.ForeignKeyConstraint(['system_id'], ['system.id'], name=op.f('fk_revision_system_id_system')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revision')),
    sa.UniqueConstraint('system_id', 'number', name='uq_revision_system_number'),
    sa.UniqueConstraint('uid', name=op.f('uq_revision_uid'))
    )
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revision_system_id'), ['system_id'], unique=False)

    for statement in statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS revision_guard ON revision")
        op.execute("DROP FUNCTION IF EXISTS revision_guard()")
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revision_system_id'))

    op.drop_table('revision')
    op.drop_table('draft')
    with op.batch_alter_table('system', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_system_agency_id'))

    op.drop_table('system')
    op.drop_table('agency')
