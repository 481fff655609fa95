"""Imported questionnaire definitions, stored in our own format (as JSON) with where they came from."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, JSONType, UTCDateTime, now_utc


class ImportedQuestionnaire(Base):
    """One key and version of a questionnaire, imported once and never changed: a revision
    that answered it records its key, version and content hash, which must stay true."""

    __tablename__ = "imported_questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64))
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    # The definition in our format: what the loader reads, as it would read a file.
    document: Mapped[dict[str, Any]] = mapped_column(JSONType)
    source_format: Mapped[str] = mapped_column(sa.String(32))
    source_version: Mapped[str] = mapped_column(sa.String(32))
    source_sha256: Mapped[str] = mapped_column(sa.String(64))  # of the file imported
    imported_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    __table_args__ = (
        sa.UniqueConstraint("key", "version", name="uq_imported_questionnaire_key_version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )
