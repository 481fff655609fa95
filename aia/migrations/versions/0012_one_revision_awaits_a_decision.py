"""one revision awaits a decision, publications keep their order

A system has at most one revision awaiting a decision (submitted or approved), whatever its
questionnaire: a partial unique index. A revision older than one already published is never
published after it: a trigger. An upgrade stops, naming the systems, where the data already
breaks the first rule (send one of the revisions back for changes first).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

AWAITING = "status IN ('submitted', 'approved')"

SQLITE = [
    """CREATE TRIGGER revision_publication_order BEFORE UPDATE OF status ON revision
    WHEN NEW.status = 'published' AND EXISTS (
      SELECT 1 FROM revision AS newer WHERE newer.system_id = NEW.system_id
      AND newer.number > NEW.number AND newer.status IN ('published', 'superseded', 'withdrawn'))
    BEGIN SELECT RAISE(ABORT, 'an older revision cannot replace a newer published one'); END""",
]
POSTGRESQL = [
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


def upgrade() -> None:
    connection = op.get_bind()
    doubled = list(
        connection.execute(
            sa.text(
                "SELECT s.uid FROM revision AS r JOIN system AS s ON s.id = r.system_id "
                "WHERE r.status IN ('submitted', 'approved') "
                "GROUP BY s.uid HAVING COUNT(*) > 1 ORDER BY s.uid"
            )
        ).scalars()
    )
    if doubled:
        raise RuntimeError(
            "these systems have more than one revision awaiting a decision: "
            + ", ".join(doubled)
            + "; send all but one back for changes, then upgrade again"
        )
    op.create_index(
        "uq_revision_awaiting_decision",
        "revision",
        ["system_id"],
        unique=True,
        sqlite_where=sa.text(AWAITING),
        postgresql_where=sa.text(AWAITING),
    )
    for statement in POSTGRESQL if connection.dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER revision_publication_order ON revision")
        op.execute("DROP FUNCTION revision_order_guard()")
    else:
        op.execute("DROP TRIGGER revision_publication_order")
    op.drop_index("uq_revision_awaiting_decision", table_name="revision")
