"""publications go through the job queue

A publication is rendered by a worker, not by the request that asked for it. Each revision
handed to the queue has one row saying where its publication stands (queued, running, done,
failed), how many attempts it took and, when it failed, why.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publication_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("requested_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_dt", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_publication_job_state_known")
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_publication_job_attempts_not_negative")),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_publication_job_requested_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revision.id"], name=op.f("fk_publication_job_revision_id_revision")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_job")),
        sa.UniqueConstraint("revision_id", name=op.f("uq_publication_job_revision_id")),
    )


def downgrade() -> None:
    op.drop_table("publication_job")
