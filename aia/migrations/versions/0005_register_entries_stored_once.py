"""register entries keep no copy of the answers; their report hash is sealed

A register entry's details held a copy of every answer, step by step, that nothing read: the
answers stay on the revision and in its published PDF. This removes the copy from every
entry, and has the database refuse to change an entry's report hash once it is set, as it
already does for the revision's.

The downgrade removes the seal but does not put the copy back: rebuilding it needs the
questionnaire definitions, which a migration does not load, and no version of the app read it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SQLITE_DATA = [
    "UPDATE register_entry SET details = json_remove(details, '$.answers') "
    "WHERE json_type(details, '$.answers') IS NOT NULL"
]
POSTGRESQL_DATA = [
    "UPDATE register_entry SET details = details - 'answers' WHERE details -> 'answers' IS NOT NULL"
]

SQLITE_SEAL = [
    """CREATE TRIGGER register_entry_pdf_sealed BEFORE UPDATE OF pdf_sha256 ON register_entry
    WHEN OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS NOT OLD.pdf_sha256
    BEGIN SELECT RAISE(ABORT, 'the report hash of a register entry cannot be changed'); END""",
]
SQLITE_SEAL_DROP = ["DROP TRIGGER IF EXISTS register_entry_pdf_sealed"]
POSTGRESQL_SEAL = [
    """CREATE OR REPLACE FUNCTION register_entry_pdf_guard() RETURNS trigger AS $$
    BEGIN
      IF OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256 THEN
        RAISE EXCEPTION 'the report hash of a register entry cannot be changed';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER register_entry_pdf_guard BEFORE UPDATE OF pdf_sha256 ON register_entry
    FOR EACH ROW EXECUTE FUNCTION register_entry_pdf_guard()""",
]
POSTGRESQL_SEAL_DROP = [
    "DROP TRIGGER IF EXISTS register_entry_pdf_guard ON register_entry",
    "DROP FUNCTION IF EXISTS register_entry_pdf_guard()",
]


def upgrade() -> None:
    on_postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL_DATA if on_postgresql else SQLITE_DATA:
        op.execute(statement)
    for statement in POSTGRESQL_SEAL if on_postgresql else SQLITE_SEAL:
        op.execute(statement)


def downgrade() -> None:
    on_postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL_SEAL_DROP if on_postgresql else SQLITE_SEAL_DROP:
        op.execute(statement)
