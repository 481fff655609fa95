"""register entries and feedback

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

# Full-text search of the register: an FTS5 index kept by triggers on SQLite, a stored
# 'simple' tsvector with a GIN index on PostgreSQL.
SQLITE_SEARCH = [
    """CREATE VIRTUAL TABLE register_search USING fts5(search_text, content='register_entry',
    content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER register_search_insert AFTER INSERT ON register_entry BEGIN
    INSERT INTO register_search(rowid, search_text) VALUES (new.id, new.search_text); END""",
    """CREATE TRIGGER register_search_delete AFTER DELETE ON register_entry BEGIN
    INSERT INTO register_search(register_search, rowid, search_text)
    VALUES ('delete', old.id, old.search_text); END""",
    """CREATE TRIGGER register_search_update AFTER UPDATE OF search_text ON register_entry BEGIN
    INSERT INTO register_search(register_search, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
    INSERT INTO register_search(rowid, search_text) VALUES (new.id, new.search_text); END""",
]
SQLITE_SEARCH_DROP = ["DROP TABLE IF EXISTS register_search"]
POSTGRESQL_SEARCH = [
    "ALTER TABLE register_entry ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX ix_register_entry_search ON register_entry USING gin (search_vector)",
]
POSTGRESQL_SEARCH_DROP = [
    "DROP INDEX IF EXISTS ix_register_entry_search",
    "ALTER TABLE register_entry DROP COLUMN IF EXISTS search_vector",
]


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("system_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("reply_to", sa.String(length=254), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("received_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_dt", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(state = 'open') = (handled_dt IS NULL)", name=op.f("ck_feedback_handled_when_not_open")
        ),
        sa.CheckConstraint("kind IN ('question', 'complaint')", name=op.f("ck_feedback_kind_known")),
        sa.CheckConstraint(
            "state <> 'answered' OR answer IS NOT NULL", name=op.f("ck_feedback_answered_has_answer")
        ),
        sa.CheckConstraint("state IN ('open', 'answered', 'closed')", name=op.f("ck_feedback_state_known")),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_feedback_agency_id_agency")),
        sa.ForeignKeyConstraint(["system_id"], ["system.id"], name=op.f("fk_feedback_system_id_system")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_system_id"), ["system_id"], unique=False)

    op.create_table(
        "register_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("system_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("system_uid", sa.String(length=32), nullable=False),
        sa.Column("revision_uid", sa.String(length=32), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_sort", sa.String(length=200), nullable=False),
        sa.Column("agency_slug", sa.String(length=64), nullable=False),
        sa.Column("agency_name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("impact_level", sa.Integer(), nullable=False),
        sa.Column("charter_rating", sa.String(length=16), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("published_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=True),
        sa.Column("details", JSON, nullable=False),
        sa.CheckConstraint(
            "(state = 'current') = (ended_dt IS NULL)", name=op.f("ck_register_entry_ended_when_not_current")
        ),
        sa.CheckConstraint(
            "state <> 'withdrawn' OR withdrawal_reason IS NOT NULL",
            name=op.f("ck_register_entry_withdrawal_has_reason"),
        ),
        sa.CheckConstraint(
            "state IN ('current', 'superseded', 'withdrawn')", name=op.f("ck_register_entry_state_known")
        ),
        sa.CheckConstraint("impact_level BETWEEN 1 AND 4", name=op.f("ck_register_entry_impact_level_range")),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_register_entry_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revision.id"], name=op.f("fk_register_entry_revision_id_revision")
        ),
        sa.ForeignKeyConstraint(
            ["system_id"], ["system.id"], name=op.f("fk_register_entry_system_id_system")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_entry")),
        sa.UniqueConstraint("revision_id", name=op.f("uq_register_entry_revision_id")),
        sa.UniqueConstraint("revision_uid", name=op.f("uq_register_entry_revision_uid")),
    )
    with op.batch_alter_table("register_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_register_entry_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(
            "ix_register_entry_by_level", ["state", "impact_level", "published_dt", "id"], unique=False
        )
        batch_op.create_index("ix_register_entry_by_name", ["state", "name_sort", "id"], unique=False)
        batch_op.create_index("ix_register_entry_listing", ["state", "published_dt", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_register_entry_system_id"), ["system_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_register_entry_system_uid"), ["system_uid"], unique=False)

    on_postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL_SEARCH if on_postgresql else SQLITE_SEARCH:
        op.execute(statement)


def downgrade() -> None:
    on_postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL_SEARCH_DROP if on_postgresql else SQLITE_SEARCH_DROP:
        op.execute(statement)
    with op.batch_alter_table("register_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_entry_system_uid"))
        batch_op.drop_index(batch_op.f("ix_register_entry_system_id"))
        batch_op.drop_index("ix_register_entry_listing")
        batch_op.drop_index("ix_register_entry_by_name")
        batch_op.drop_index("ix_register_entry_by_level")
        batch_op.drop_index(batch_op.f("ix_register_entry_agency_id"))

    op.drop_table("register_entry")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_system_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_agency_id"))

    op.drop_table("feedback")
