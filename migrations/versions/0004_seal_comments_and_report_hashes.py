"""seal review comments and the hashes of stored reports

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""
from alembic import op

from aia.db_rules import drop_statements, statements

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

RULES = ("revision_pdf", "review_comment")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for rule in RULES:
        for statement in statements(dialect, rule):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for rule in RULES:
        for statement in drop_statements(dialect, rule):
            op.execute(statement)
