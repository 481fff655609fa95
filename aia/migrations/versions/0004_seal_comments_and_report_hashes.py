"""seal review comments and the hashes of stored reports

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# A stored report's hash is written once, at publication; what a reviewer wrote stays as
# written.
SQLITE = [
    """CREATE TRIGGER revision_pdf_sealed BEFORE UPDATE OF pdf_sha256 ON revision
    WHEN OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS NOT OLD.pdf_sha256
    BEGIN SELECT RAISE(ABORT, 'the hash of a stored report cannot be changed'); END""",
    """CREATE TRIGGER review_comment_no_update BEFORE UPDATE ON review_comment
    BEGIN SELECT RAISE(ABORT, 'a review comment cannot be changed'); END""",
    """CREATE TRIGGER review_comment_no_delete BEFORE DELETE ON review_comment
    BEGIN SELECT RAISE(ABORT, 'a review comment cannot be deleted'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS revision_pdf_sealed",
    "DROP TRIGGER IF EXISTS review_comment_no_update",
    "DROP TRIGGER IF EXISTS review_comment_no_delete",
]
POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION revision_pdf_guard() RETURNS trigger AS $$
    BEGIN
      IF OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256 THEN
        RAISE EXCEPTION 'the hash of a stored report cannot be changed';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER revision_pdf_guard BEFORE UPDATE OF pdf_sha256 ON revision
    FOR EACH ROW EXECUTE FUNCTION revision_pdf_guard()""",
    """CREATE OR REPLACE FUNCTION review_comment_guard() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'a review comment cannot be changed or deleted';
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER review_comment_guard BEFORE UPDATE OR DELETE ON review_comment
    FOR EACH ROW EXECUTE FUNCTION review_comment_guard()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS revision_pdf_guard ON revision",
    "DROP FUNCTION IF EXISTS revision_pdf_guard()",
    "DROP TRIGGER IF EXISTS review_comment_guard ON review_comment",
    "DROP FUNCTION IF EXISTS review_comment_guard()",
]


def upgrade() -> None:
    on_postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL if on_postgresql else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    on_postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL_DROP if on_postgresql else SQLITE_DROP:
        op.execute(statement)
