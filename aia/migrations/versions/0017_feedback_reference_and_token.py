"""a message from the public has a reference and is received once

Each message gets a short reference the sender can quote, and the key of its sending (the
same browser, system and words): the same message sent twice (a double click, a reload, back
and send again) is one message. Messages received before have neither.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("reference", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("form_token", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(batch.f("uq_feedback_reference"), ["reference"])
        batch.create_unique_constraint(batch.f("uq_feedback_form_token"), ["form_token"])


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.drop_constraint(batch.f("uq_feedback_form_token"), type_="unique")
        batch.drop_constraint(batch.f("uq_feedback_reference"), type_="unique")
        batch.drop_column("form_token")
        batch.drop_column("reference")
