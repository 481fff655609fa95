"""Rules the database itself holds, on SQLite and PostgreSQL alike: a revision's content can
never be updated and a revision can never be deleted. Attached to table creation here and
written the same way by the migrations."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

from .assessments.models import REVISION_CONTENT, Revision

_content = ", ".join(REVISION_CONTENT)
_changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in REVISION_CONTENT)

SQLITE = [
    f"""CREATE TRIGGER revision_no_update BEFORE UPDATE OF {_content} ON revision
    BEGIN SELECT RAISE(ABORT, 'a submitted revision cannot be changed'); END""",
    """CREATE TRIGGER revision_no_delete BEFORE DELETE ON revision
    BEGIN SELECT RAISE(ABORT, 'a submitted revision cannot be deleted'); END""",
]
POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION revision_guard() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a submitted revision cannot be deleted';
      END IF;
      IF {_changed} THEN
        RAISE EXCEPTION 'a submitted revision cannot be changed';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER revision_guard BEFORE UPDATE OR DELETE ON revision
    FOR EACH ROW EXECUTE FUNCTION revision_guard()""",
]


def statements(dialect: str) -> list[str]:
    return POSTGRESQL if dialect == "postgresql" else SQLITE


@event.listens_for(Revision.__table__, "after_create")
def _create_guards(target: sa.Table, connection: sa.Connection, **kw: object) -> None:
    for statement in statements(connection.dialect.name):
        connection.exec_driver_sql(statement)
