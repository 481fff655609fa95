"""replies to reviewers' comments, and comments marked resolved or reopened

A reply is a row of its own under the comment it answers; a comment marked resolved (or
reopened) is a row too, the latest one giving its state. Neither is ever changed or deleted,
and the comment itself stays as written.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

TABLES = ("review_comment_reply", "review_comment_state")


def _sqlite_seal(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, 'a row of {table} cannot be changed'); END""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, 'a row of {table} cannot be deleted'); END""",
    ]


def _postgresql_seal(table: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_guard() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION 'a row of {table} cannot be changed or deleted';
        END $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_guard()""",
    ]


def upgrade() -> None:
    op.create_table(
        "review_comment_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(body) > 0", name=op.f("ck_review_comment_reply_body_not_empty")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user_account.id"], name=op.f("fk_review_comment_reply_author_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["review_comment.id"],
            name=op.f("fk_review_comment_reply_comment_id_review_comment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_comment_reply")),
    )
    op.create_index("ix_review_comment_reply_comment_id", "review_comment_reply", ["comment_id"])
    op.create_table(
        "review_comment_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_review_comment_state_actor_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["review_comment.id"],
            name=op.f("fk_review_comment_state_comment_id_review_comment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_comment_state")),
    )
    op.create_index("ix_review_comment_state_comment_id", "review_comment_state", ["comment_id"])
    on_postgresql = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        for statement in _postgresql_seal(table) if on_postgresql else _sqlite_seal(table):
            op.execute(statement)


def downgrade() -> None:
    on_postgresql = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        if on_postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_guard ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_guard()")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    op.drop_index("ix_review_comment_state_comment_id", table_name="review_comment_state")
    op.drop_table("review_comment_state")
    op.drop_index("ix_review_comment_reply_comment_id", table_name="review_comment_reply")
    op.drop_table("review_comment_reply")
