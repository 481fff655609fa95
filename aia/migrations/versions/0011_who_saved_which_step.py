"""who saved which step of a draft

Every save of a draft's answers is recorded (who, which step, when, how); the revision the
draft becomes at submission takes the rows over, so that nobody who wrote any of its answers
approves it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

KINDS = "'form', 'autosave', 'kept_form', 'answer_file', 'start', 'earlier_revision', 'translation'"


def upgrade() -> None:
    op.create_table(
        "step_save",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("system_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.Column("step_key", sa.String(length=64), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("saved_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f("ck_step_save_kind_known")),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revision.id"], name=op.f("fk_step_save_revision_id_revision")
        ),
        sa.ForeignKeyConstraint(["system_id"], ["system.id"], name=op.f("fk_step_save_system_id_system")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_step_save_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_step_save")),
    )
    op.create_index(op.f("ix_step_save_revision_id"), "step_save", ["revision_id"])
    op.create_index(op.f("ix_step_save_system_id"), "step_save", ["system_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_step_save_system_id"), table_name="step_save")
    op.drop_index(op.f("ix_step_save_revision_id"), table_name="step_save")
    op.drop_table("step_save")
