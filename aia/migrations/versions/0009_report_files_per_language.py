"""a published revision's report in each language

A published revision stores one PDF per language its questionnaire is written in, each with
its SHA-256 (table report_file); the revision's pdf_sha256 stays the reference copy, in the
questionnaire's own language. Rows are written at publication and never changed or deleted.
Revisions published before this had one PDF, in English (the language of every questionnaire
then): it gets its row.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SQLITE = [
    """CREATE TRIGGER report_file_no_update BEFORE UPDATE ON report_file
    BEGIN SELECT RAISE(ABORT, 'a stored report cannot be changed'); END""",
    """CREATE TRIGGER report_file_no_delete BEFORE DELETE ON report_file
    BEGIN SELECT RAISE(ABORT, 'a stored report cannot be deleted'); END""",
]
POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION report_file_guard() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'a stored report cannot be changed or deleted';
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER report_file_guard BEFORE UPDATE OR DELETE ON report_file
    FOR EACH ROW EXECUTE FUNCTION report_file_guard()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS report_file_guard ON report_file",
    "DROP FUNCTION IF EXISTS report_file_guard()",
]


def upgrade() -> None:
    op.create_table(
        "report_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_report_file_sha256_length")),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revision.id"], name=op.f("fk_report_file_revision_id_revision")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_file")),
        sa.UniqueConstraint("revision_id", "language", name="uq_report_file_revision_language"),
    )
    op.create_index(op.f("ix_report_file_revision_id"), "report_file", ["revision_id"], unique=False)
    op.execute(
        "INSERT INTO report_file (revision_id, language, sha256, stored_dt) "
        "SELECT id, 'en', pdf_sha256, submitted_dt FROM revision WHERE pdf_sha256 IS NOT NULL"
    )
    on_postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL if on_postgresql else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_DROP:
            op.execute(statement)
    op.drop_index(op.f("ix_report_file_revision_id"), table_name="report_file")
    op.drop_table("report_file")
