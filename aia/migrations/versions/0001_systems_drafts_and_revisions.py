"""systems, drafts and revisions

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

# A submitted revision's content can never be updated, and a revision never deleted.
SQLITE_RULES = [
    """CREATE TRIGGER revision_no_update BEFORE UPDATE OF system_id, number, uid,
    questionnaire_key, questionnaire_version, questionnaire_hash, answers, scores, impact_level,
    charter_rating, sha256, submitted_dt ON revision
    BEGIN SELECT RAISE(ABORT, 'a submitted revision cannot be changed'); END""",
    """CREATE TRIGGER revision_no_delete BEFORE DELETE ON revision
    BEGIN SELECT RAISE(ABORT, 'a submitted revision cannot be deleted'); END""",
]
POSTGRESQL_RULES = [
    """CREATE OR REPLACE FUNCTION revision_guard() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a submitted revision cannot be deleted';
      END IF;
      IF NEW.system_id IS DISTINCT FROM OLD.system_id OR NEW.number IS DISTINCT FROM OLD.number
         OR NEW.uid IS DISTINCT FROM OLD.uid
         OR NEW.questionnaire_key IS DISTINCT FROM OLD.questionnaire_key
         OR NEW.questionnaire_version IS DISTINCT FROM OLD.questionnaire_version
         OR NEW.questionnaire_hash IS DISTINCT FROM OLD.questionnaire_hash
         OR NEW.answers IS DISTINCT FROM OLD.answers OR NEW.scores IS DISTINCT FROM OLD.scores
         OR NEW.impact_level IS DISTINCT FROM OLD.impact_level
         OR NEW.charter_rating IS DISTINCT FROM OLD.charter_rating
         OR NEW.sha256 IS DISTINCT FROM OLD.sha256
         OR NEW.submitted_dt IS DISTINCT FROM OLD.submitted_dt THEN
        RAISE EXCEPTION 'a submitted revision cannot be changed';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER revision_guard BEFORE UPDATE OR DELETE ON revision
    FOR EACH ROW EXECUTE FUNCTION revision_guard()""",
]
# Dropping a SQLite table drops its triggers.
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS revision_guard ON revision",
    "DROP FUNCTION IF EXISTS revision_guard()",
]


def upgrade() -> None:
    op.create_table(
        "agency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
        sa.UniqueConstraint("slug", name=op.f("uq_agency_slug")),
    )
    op.create_table(
        "system",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_system_agency_id_agency")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_system")),
        sa.UniqueConstraint("uid", name=op.f("uq_system_uid")),
    )
    with op.batch_alter_table("system", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_system_agency_id"), ["agency_id"], unique=False)

    op.create_table(
        "draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("system_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_key", sa.String(length=64), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("questionnaire_hash", sa.String(length=64), nullable=False),
        sa.Column("answers", JSON, nullable=False),
        sa.Column("step_key", sa.String(length=64), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("lock_version >= 1", name=op.f("ck_draft_lock_version_positive")),
        sa.ForeignKeyConstraint(["system_id"], ["system.id"], name=op.f("fk_draft_system_id_system")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft")),
        sa.UniqueConstraint("system_id", name=op.f("uq_draft_system_id")),
    )
    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("system_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("questionnaire_key", sa.String(length=64), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("questionnaire_hash", sa.String(length=64), nullable=False),
        sa.Column("answers", JSON, nullable=False),
        sa.Column("scores", JSON, nullable=False),
        sa.Column("impact_level", sa.Integer(), nullable=False),
        sa.Column("charter_rating", sa.String(length=16), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("submitted_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "charter_rating IS NULL OR charter_rating IN ('low', 'moderate', 'high')",
            name=op.f("ck_revision_charter_rating_known"),
        ),
        sa.CheckConstraint(
            "status IN ('submitted', 'changes_requested', 'approved', 'published', "
            "'superseded', 'withdrawn')",
            name=op.f("ck_revision_status_known"),
        ),
        sa.CheckConstraint("impact_level BETWEEN 1 AND 4", name=op.f("ck_revision_impact_level_range")),
        sa.CheckConstraint("number >= 1", name=op.f("ck_revision_number_positive")),
        sa.ForeignKeyConstraint(["system_id"], ["system.id"], name=op.f("fk_revision_system_id_system")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision")),
        sa.UniqueConstraint("system_id", "number", name="uq_revision_system_number"),
        sa.UniqueConstraint("uid", name=op.f("uq_revision_uid")),
    )
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revision_system_id"), ["system_id"], unique=False)

    on_postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL_RULES if on_postgresql else SQLITE_RULES:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_DROP:
            op.execute(statement)
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revision_system_id"))

    op.drop_table("revision")
    op.drop_table("draft")
    with op.batch_alter_table("system", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_system_agency_id"))

    op.drop_table("system")
    op.drop_table("agency")
