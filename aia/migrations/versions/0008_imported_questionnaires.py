"""imported questionnaires live in the database

Questionnaires imported from other formats (Canada's AIA survey files) are stored here, in our
own format as JSON, so that every worker and every host sees them; a key and version is
imported once and never changed. A draft started from an answer file keeps the file's SHA-256,
which its submission records.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "imported_questionnaire",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("document", JSON, nullable=False),
        sa.Column("source_format", sa.String(length=32), nullable=False),
        sa.Column("source_version", sa.String(length=32), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_imported_questionnaire_version_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_questionnaire")),
        sa.UniqueConstraint("key", "version", name=op.f("uq_imported_questionnaire_key_version")),
    )
    with op.batch_alter_table("draft") as batch_op:
        batch_op.add_column(sa.Column("answer_file_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("draft") as batch_op:
        batch_op.drop_column("answer_file_sha256")
    op.drop_table("imported_questionnaire")
