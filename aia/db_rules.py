"""Rules the database itself holds, on SQLite and PostgreSQL alike: a revision's content can
never be updated and a revision can never be deleted; an audit event can be neither updated
nor deleted. Attached to table creation here and written the same way by the migrations."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

from .assessments.models import REVISION_CONTENT, Revision
from .audit.models import AuditEvent

_content = ", ".join(REVISION_CONTENT)
_changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in REVISION_CONTENT)

SQLITE = {
    "revision": [
        f"""CREATE TRIGGER revision_no_update BEFORE UPDATE OF {_content} ON revision
        BEGIN SELECT RAISE(ABORT, 'a submitted revision cannot be changed'); END""",
        """CREATE TRIGGER revision_no_delete BEFORE DELETE ON revision
        BEGIN SELECT RAISE(ABORT, 'a submitted revision cannot be deleted'); END""",
    ],
    "audit_event": [
        """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
        """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    ],
}
POSTGRESQL = {
    "revision": [
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
    ],
    "audit_event": [
        """CREATE OR REPLACE FUNCTION audit_event_guard() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION 'the audit trail is append-only';
        END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER audit_event_guard BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_guard()""",
        """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_guard()""",
    ],
}
# What undoes them, for the migrations' downgrades (dropping a SQLite table drops its triggers).
POSTGRESQL_DROP = {
    "revision": ["DROP TRIGGER IF EXISTS revision_guard ON revision",
                 "DROP FUNCTION IF EXISTS revision_guard()"],
    "audit_event": ["DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
                    "DROP TRIGGER IF EXISTS audit_event_guard ON audit_event",
                    "DROP FUNCTION IF EXISTS audit_event_guard()"],
}


def statements(dialect: str, table: str = "revision") -> list[str]:
    return (POSTGRESQL if dialect == "postgresql" else SQLITE)[table]


def drop_statements(dialect: str, table: str) -> list[str]:
    return POSTGRESQL_DROP[table] if dialect == "postgresql" else []


def _attach(table: sa.Table) -> None:
    @event.listens_for(table, "after_create")
    def _create_guards(target: sa.Table, connection: sa.Connection, **kw: object) -> None:
        for statement in statements(connection.dialect.name, target.name):
            connection.exec_driver_sql(statement)


_attach(Revision.__table__)
_attach(AuditEvent.__table__)
