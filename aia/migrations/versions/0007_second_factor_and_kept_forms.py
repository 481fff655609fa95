"""second factor, passwords set by an administrator, one kept form per person

Accounts gain a TOTP secret with the last time step accepted (a code is used once), recovery
codes (stored as SHA-256), and a flag for a password an administrator chose. A kept form now
always belongs to a known person, one per person: the rows of nobody are deleted, and of
several rows of one person the newest stays.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(
            sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("mfa_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("mfa_last_step", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.alter_column("must_change_password", server_default=None)
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_dt", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_recovery_code_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
        sa.UniqueConstraint("user_id", "code_sha256", name=op.f("uq_recovery_code_user_id")),
    )
    op.create_index(op.f("ix_recovery_code_user_id"), "recovery_code", ["user_id"])
    op.execute("DELETE FROM pending_form WHERE user_id IS NULL")
    op.execute(
        "DELETE FROM pending_form WHERE EXISTS (SELECT 1 FROM pending_form AS newer "
        "WHERE newer.user_id = pending_form.user_id AND (newer.created_dt > pending_form.created_dt "
        "OR (newer.created_dt = pending_form.created_dt AND newer.token > pending_form.token)))"
    )
    with op.batch_alter_table("pending_form") as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_pending_form_user_id"), ["user_id"])


def downgrade() -> None:
    with op.batch_alter_table("pending_form") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_pending_form_user_id"), type_="unique")
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=True)
    op.drop_index(op.f("ix_recovery_code_user_id"), table_name="recovery_code")
    op.drop_table("recovery_code")
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("mfa_last_step")
        batch_op.drop_column("mfa_secret")
        batch_op.drop_column("must_change_password")
