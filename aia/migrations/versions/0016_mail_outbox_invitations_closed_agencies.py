"""outgoing mail goes through an outbox; invitations, notification choices, closed agencies

Each message is a row written in the transaction of the action that causes it, delivered by
the job queue with its attempts and last error kept. A person may turn notifications about
the work off (on for everyone at first); an account opened by an invitation says when it was
invited until the invitation is accepted; an agency may be closed. A message from the public
keeps the language it was written in, for the answer mailed back, and the agency may show
its answer on the public entry.

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column(
            "values",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_dt", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('queued', 'sending', 'sent', 'failed')", name=op.f("ck_mail_outbox_state_known")
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_mail_outbox_attempts_not_negative")),
        sa.CheckConstraint(
            "(state = 'sent') = (sent_dt IS NOT NULL)", name=op.f("ck_mail_outbox_sent_when_sent_dt")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    op.create_index("ix_mail_outbox_state_next_attempt_dt", "mail_outbox", ["state", "next_attempt_dt"])
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(
            sa.Column("mail_notifications", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch.add_column(sa.Column("invited_dt", sa.DateTime(timezone=True), nullable=True))
    op.add_column("agency", sa.Column("closed_dt", sa.DateTime(timezone=True), nullable=True))
    op.add_column("feedback", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column(
        "feedback", sa.Column("answer_published", sa.Boolean(), server_default=sa.false(), nullable=False)
    )


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.drop_column("answer_published")
        batch.drop_column("language")
    op.drop_column("agency", "closed_dt")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("invited_dt")
        batch.drop_column("mail_notifications")
    op.drop_index("ix_mail_outbox_state_next_attempt_dt", table_name="mail_outbox")
    op.drop_table("mail_outbox")
