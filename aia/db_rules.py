"""Rules the database itself holds, on SQLite and PostgreSQL alike: a revision's content can
never be updated and a revision can never be deleted; an audit event and a review comment can
be neither updated nor deleted; the hash of a published report, on its revision and on its
register entry, is written once, and each stored report of a revision (report_file) can be
neither updated nor deleted; the record of who saved which step (step_save) is never deleted
and changes once only, when submission names the revision it went into. Attached to table
creation here; each migration carries its own copy of the statements as they were when it was
written, and tests/test_migrations.py checks that the two agree."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

from .assessments.models import REVISION_CONTENT, Revision, StepSave
from .audit.models import AuditEvent
from .register.models import RegisterEntry
from .report.models import ReportFile
from .review.models import Comment, CommentReply, CommentState

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
SQLITE.update(
    {
        # A stored report's hash is written once, at publication.
        "revision_pdf": [
            """CREATE TRIGGER revision_pdf_sealed BEFORE UPDATE OF pdf_sha256 ON revision
        WHEN OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS NOT OLD.pdf_sha256
        BEGIN SELECT RAISE(ABORT, 'the hash of a stored report cannot be changed'); END""",
        ],
        # The register names the report it serves by this hash, written at publication.
        "register_entry_pdf": [
            """CREATE TRIGGER register_entry_pdf_sealed BEFORE UPDATE OF pdf_sha256 ON register_entry
        WHEN OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS NOT OLD.pdf_sha256
        BEGIN SELECT RAISE(ABORT, 'the report hash of a register entry cannot be changed'); END""",
        ],
        # A published report in one language: written once, with its file.
        "report_file": [
            """CREATE TRIGGER report_file_no_update BEFORE UPDATE ON report_file
        BEGIN SELECT RAISE(ABORT, 'a stored report cannot be changed'); END""",
            """CREATE TRIGGER report_file_no_delete BEFORE DELETE ON report_file
        BEGIN SELECT RAISE(ABORT, 'a stored report cannot be deleted'); END""",
        ],
        # What a reviewer wrote stays as written.
        "review_comment": [
            """CREATE TRIGGER review_comment_no_update BEFORE UPDATE ON review_comment
        BEGIN SELECT RAISE(ABORT, 'a review comment cannot be changed'); END""",
            """CREATE TRIGGER review_comment_no_delete BEFORE DELETE ON review_comment
        BEGIN SELECT RAISE(ABORT, 'a review comment cannot be deleted'); END""",
        ],
    }
)
SQLITE["revision_order"] = [
    """CREATE TRIGGER revision_publication_order BEFORE UPDATE OF status ON revision
    WHEN NEW.status = 'published' AND EXISTS (
      SELECT 1 FROM revision AS newer WHERE newer.system_id = NEW.system_id
      AND newer.number > NEW.number AND newer.status IN ('published', 'superseded', 'withdrawn'))
    BEGIN SELECT RAISE(ABORT, 'an older revision cannot replace a newer published one'); END""",
]
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
POSTGRESQL.update(
    {
        "revision_pdf": [
            """CREATE OR REPLACE FUNCTION revision_pdf_guard() RETURNS trigger AS $$
        BEGIN
          IF OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256 THEN
            RAISE EXCEPTION 'the hash of a stored report cannot be changed';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""",
            """CREATE TRIGGER revision_pdf_guard BEFORE UPDATE OF pdf_sha256 ON revision
        FOR EACH ROW EXECUTE FUNCTION revision_pdf_guard()""",
        ],
        "register_entry_pdf": [
            """CREATE OR REPLACE FUNCTION register_entry_pdf_guard() RETURNS trigger AS $$
        BEGIN
          IF OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256 THEN
            RAISE EXCEPTION 'the report hash of a register entry cannot be changed';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""",
            """CREATE TRIGGER register_entry_pdf_guard BEFORE UPDATE OF pdf_sha256 ON register_entry
        FOR EACH ROW EXECUTE FUNCTION register_entry_pdf_guard()""",
        ],
        "report_file": [
            """CREATE OR REPLACE FUNCTION report_file_guard() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION 'a stored report cannot be changed or deleted';
        END $$ LANGUAGE plpgsql""",
            """CREATE TRIGGER report_file_guard BEFORE UPDATE OR DELETE ON report_file
        FOR EACH ROW EXECUTE FUNCTION report_file_guard()""",
        ],
        "review_comment": [
            """CREATE OR REPLACE FUNCTION review_comment_guard() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION 'a review comment cannot be changed or deleted';
        END $$ LANGUAGE plpgsql""",
            """CREATE TRIGGER review_comment_guard BEFORE UPDATE OR DELETE ON review_comment
        FOR EACH ROW EXECUTE FUNCTION review_comment_guard()""",
        ],
    }
)


# A publication never makes an older revision current (the publishing service says so first).
POSTGRESQL["revision_order"] = [
    """CREATE OR REPLACE FUNCTION revision_order_guard() RETURNS trigger AS $$
    BEGIN
      IF NEW.status = 'published' AND EXISTS (
        SELECT 1 FROM revision AS newer WHERE newer.system_id = NEW.system_id
        AND newer.number > NEW.number AND newer.status IN ('published', 'superseded', 'withdrawn')
      ) THEN
        RAISE EXCEPTION 'an older revision cannot replace a newer published one';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER revision_publication_order BEFORE UPDATE OF status ON revision
    FOR EACH ROW EXECUTE FUNCTION revision_order_guard()""",
]


def statements(dialect: str, rule: str = "revision") -> list[str]:
    return (POSTGRESQL if dialect == "postgresql" else SQLITE)[rule]


def _attach(table: sa.FromClause, *rules: str) -> None:
    @event.listens_for(table, "after_create")
    def _create_guards(target: sa.Table, connection: sa.Connection, **kw: object) -> None:
        for rule in rules:
            for statement in statements(connection.dialect.name, rule):
                connection.exec_driver_sql(statement)


_attach(Revision.__table__, "revision", "revision_pdf", "revision_order")
_attach(AuditEvent.__table__, "audit_event")
_attach(Comment.__table__, "review_comment")
_attach(RegisterEntry.__table__, "register_entry_pdf")
_attach(ReportFile.__table__, "report_file")


# A reply to a comment, and a comment marked resolved or reopened, stay as written too.
def _sealed(table: str) -> None:
    SQLITE[table] = [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, 'a row of {table} cannot be changed'); END""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, 'a row of {table} cannot be deleted'); END""",
    ]
    POSTGRESQL[table] = [
        f"""CREATE OR REPLACE FUNCTION {table}_guard() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION 'a row of {table} cannot be changed or deleted';
        END $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_guard()""",
    ]


for _model in (CommentReply, CommentState):
    _sealed(_model.__tablename__)
    _attach(_model.__table__, _model.__tablename__)


# Who saved which step: written once, but for the revision submission names, set once.
_STEP_SAVE_MESSAGE = "a row of step_save cannot be changed, but for its revision, set once"
SQLITE["step_save"] = [
    f"""CREATE TRIGGER step_save_no_update BEFORE UPDATE ON step_save
    WHEN NOT (OLD.revision_id IS NULL AND NEW.revision_id IS NOT NULL
              AND NEW.id = OLD.id AND NEW.system_id = OLD.system_id
              AND NEW.step_key IS OLD.step_key AND NEW.user_id IS OLD.user_id
              AND NEW.kind = OLD.kind AND NEW.saved_dt = OLD.saved_dt)
    BEGIN SELECT RAISE(ABORT, '{_STEP_SAVE_MESSAGE}'); END""",
    """CREATE TRIGGER step_save_no_delete BEFORE DELETE ON step_save
    BEGIN SELECT RAISE(ABORT, 'a row of step_save cannot be deleted'); END""",
]
POSTGRESQL["step_save"] = [
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
        RAISE EXCEPTION '{_STEP_SAVE_MESSAGE}';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER step_save_guard BEFORE UPDATE OR DELETE ON step_save
    FOR EACH ROW EXECUTE FUNCTION step_save_guard()""",
]
_attach(StepSave.__table__, "step_save")
