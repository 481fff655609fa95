"""the record of who saved which step is written once

A row of step_save says who saved which step of a draft, and when; the four-eyes rule reads
it. It is never deleted, and its one change is the revision the draft became, set once at
submission.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

MESSAGE = "a row of step_save cannot be changed, but for its revision, set once"

SQLITE = [
    f"""CREATE TRIGGER step_save_no_update BEFORE UPDATE ON step_save
    WHEN NOT (OLD.revision_id IS NULL AND NEW.revision_id IS NOT NULL
              AND NEW.id = OLD.id AND NEW.system_id = OLD.system_id
              AND NEW.step_key IS OLD.step_key AND NEW.user_id IS OLD.user_id
              AND NEW.kind = OLD.kind AND NEW.saved_dt = OLD.saved_dt)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    """CREATE TRIGGER step_save_no_delete BEFORE DELETE ON step_save
    BEGIN SELECT RAISE(ABORT, 'a row of step_save cannot be deleted'); END""",
]

POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION step_save_guard() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a row of step_save cannot be deleted';
      END IF;
      IF NOT (OLD.revision_id IS NULL AND NEW.revision_id IS NOT NULL
              AND NEW.id = OLD.id AND NEW.system_id = OLD.system_id
              AND NEW.step_key IS NOT DISTINCT FROM OLD.step_key
              AND NEW.user_id IS NOT DISTINCT FROM OLD.user_id
              AND NEW.kind = OLD.kind AND NEW.saved_dt = OLD.saved_dt) THEN
        RAISE EXCEPTION '{MESSAGE}';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER step_save_guard BEFORE UPDATE OR DELETE ON step_save
    FOR EACH ROW EXECUTE FUNCTION step_save_guard()""",
]


def upgrade() -> None:
    on_postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL if on_postgresql else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS step_save_guard ON step_save")
        op.execute("DROP FUNCTION IF EXISTS step_save_guard()")
    else:
        op.execute("DROP TRIGGER IF EXISTS step_save_no_update")
        op.execute("DROP TRIGGER IF EXISTS step_save_no_delete")
