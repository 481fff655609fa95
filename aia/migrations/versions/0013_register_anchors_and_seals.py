"""register entries carry the audit trail's head at publication and a seal

Each entry records the newest audit event (number and hash) at its publication, which its
published report prints too, and the SHA-256 of what the public reads of it (a seal that
`aia verify` recomputes). Entries published before are sealed as they stand now, with no
anchor.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

import datetime as dt
import hashlib
import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

entries = sa.table(
    "register_entry",
    sa.column("id", sa.Integer),
    sa.column("system_uid", sa.String),
    sa.column("revision_uid", sa.String),
    sa.column("revision_number", sa.Integer),
    sa.column("name", sa.String),
    sa.column("agency_slug", sa.String),
    sa.column("agency_name", sa.String),
    sa.column("description", sa.Text),
    sa.column("impact_level", sa.Integer),
    sa.column("charter_rating", sa.String),
    sa.column("published_dt", sa.DateTime(timezone=True)),
    sa.column("pdf_sha256", sa.String),
    sa.column("details", JSON),
    sa.column("seal_sha256", sa.String),
)


def _seal(row) -> str:
    """The seal as the app computed it the day this was written (RegisterEntry.sealed_document)."""
    published = row.published_dt
    if isinstance(published, str):
        published = dt.datetime.fromisoformat(published)
    if published.tzinfo is None:
        published = published.replace(tzinfo=dt.UTC)
    document = {
        "system": row.system_uid,
        "revision": row.revision_uid,
        "number": row.revision_number,
        "name": row.name,
        "agency": {"slug": row.agency_slug, "name": row.agency_name},
        "description": row.description,
        "impact_level": row.impact_level,
        "charter_rating": row.charter_rating,
        "published": published.astimezone(dt.UTC).isoformat(),
        "pdf_sha256": row.pdf_sha256,
        "details": row.details,
        "anchor": [None, None],
    }
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("register_entry") as batch_op:
        batch_op.add_column(sa.Column("anchor_event_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("anchor_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("seal_sha256", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    for row in connection.execute(sa.select(entries)).all():
        connection.execute(sa.update(entries).where(entries.c.id == row.id).values(seal_sha256=_seal(row)))


def downgrade() -> None:
    # Plain ALTER TABLE on both databases: a batch copy of the table on SQLite would drop the
    # triggers of the register's search and of its report hash.
    for column in ("seal_sha256", "anchor_hash", "anchor_event_id"):
        op.execute(f"ALTER TABLE register_entry DROP COLUMN {column}")
