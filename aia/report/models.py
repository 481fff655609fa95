"""The stored PDFs of a published revision: one per language its questionnaire is written in.
The revision's own ``pdf_sha256`` names the reference copy (in the questionnaire's language);
every copy, that one included, has a row here. A row is written at publication and never
changed or deleted, like the file it names."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, now_utc


class ReportFile(Base):
    """One stored PDF of a published revision, in one language."""

    __tablename__ = "report_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revision.id"), index=True)
    language: Mapped[str] = mapped_column(sa.String(16))  # the PDF's lang, an interface language
    sha256: Mapped[str] = mapped_column(sa.String(64))
    stored_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    __table_args__ = (
        sa.UniqueConstraint("revision_id", "language", name="uq_report_file_revision_language"),
        sa.CheckConstraint("length(sha256) = 64", name="sha256_length"),
    )
