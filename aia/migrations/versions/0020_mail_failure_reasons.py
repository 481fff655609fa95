"""a failed mail attempt says why in a word the outbox can put in any language

``failure`` names the kind of failure (the address is not one, the server refused the
address or the message for good, refused it for now, could not be reached, refused this
server's sender or sign-in, or something else went wrong); ``last_error`` keeps what the
server or the library said. Messages failed before this revision keep their text, with no kind.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mail_outbox", sa.Column("failure", sa.String(length=24), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mail_outbox") as batch:
        batch.drop_column("failure")
