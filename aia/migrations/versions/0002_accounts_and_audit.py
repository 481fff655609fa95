"""accounts, review comments and the audit trail

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

# An audit event can be neither updated nor deleted.
SQLITE_RULES = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
]
POSTGRESQL_RULES = [
    """CREATE OR REPLACE FUNCTION audit_event_guard() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'the audit trail is append-only';
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_event_guard BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_guard()""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_guard()""",
]
# Dropping a SQLite table drops its triggers.
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
    "DROP TRIGGER IF EXISTS audit_event_guard ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_guard()",
]


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("session_generation", sa.Integer(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(role IN ('author', 'approver')) = (agency_id IS NOT NULL)",
            name=op.f("ck_user_account_agency_when_agency_role"),
        ),
        sa.CheckConstraint(
            "role IN ('author', 'approver', 'auditor', 'admin')", name=op.f("ck_user_account_role_known")
        ),
        sa.CheckConstraint(
            "session_generation >= 1", name=op.f("ck_user_account_session_generation_positive")
        ),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_user_account_agency_id_agency")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_account_agency_id"), ["agency_id"], unique=False)

    op.create_table(
        "pending_form",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("form", JSON, nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_pending_form_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_pending_form")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("system_id", sa.Integer(), nullable=True),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("details", JSON, nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_audit_event_actor_id_user_account")
        ),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_audit_event_agency_id_agency")),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revision.id"], name=op.f("fk_audit_event_revision_id_revision")
        ),
        sa.ForeignKeyConstraint(["system_id"], ["system.id"], name=op.f("fk_audit_event_system_id_system")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_event_hash")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_event_prev_hash")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_revision_id"), ["revision_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_system_id"), ["system_id"], unique=False)

    on_postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL_RULES if on_postgresql else SQLITE_RULES:
        op.execute(statement)

    op.create_table(
        "review_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("question_key", sa.String(length=64), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(body) > 0", name=op.f("ck_review_comment_body_not_empty")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user_account.id"], name=op.f("fk_review_comment_author_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revision.id"], name=op.f("fk_review_comment_revision_id_revision")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_comment")),
    )
    with op.batch_alter_table("review_comment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_comment_revision_id"), ["revision_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_comment_revision_id"))

    op.drop_table("review_comment")
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_DROP:
            op.execute(statement)
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_system_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_revision_id"))

    op.drop_table("audit_event")
    op.drop_table("pending_form")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_agency_id"))

    op.drop_table("user_account")
