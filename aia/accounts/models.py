from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, now_utc


class Agency(Base):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    def __repr__(self) -> str:
        return f"<Agency {self.slug}>"
