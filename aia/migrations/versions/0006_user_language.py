"""each person may keep the interface language they chose

A nullable column: a person who never chose a language is served in the one their browser
asks for.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("user_account", sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    op.drop_column("user_account", "language")
