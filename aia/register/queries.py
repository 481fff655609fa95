"""The read side of the register: search with filters, keyset pagination, entry lookups."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from ..accounts.models import Agency
from ..db import Session
from ..web_input import MAX_INT, has_unwanted
from . import search as fulltext
from .models import Feedback, RegisterEntry

PAGE_SIZE = 20
# Above this many matches, a page is read along the sorting index rather than by sorting
# all the matches (see search.condition).
MANY = 2000
E = RegisterEntry
SORTS: dict[str, tuple[list[orm.QueryableAttribute[Any]], bool]] = {
    # name -> (key columns, descending)
    "newest": ([E.published_dt, E.id], True),
    "oldest": ([E.published_dt, E.id], False),
    "name": ([E.name_sort, E.id], False),
    "level": ([E.impact_level, E.published_dt, E.id], True),
}
LISTED_STATES = ("current", "withdrawn")


@dataclass
class Filters:
    q: str = ""
    agency: str = ""
    level: int | None = None
    rating: str = ""
    state: str = "current"
    published_from: dt.date | None = None
    published_to: dt.date | None = None
    sort: str = "newest"
    # The date arguments given that are not dates (from, to): left out of the search, and said.
    unread_dates: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args) -> Filters:
        unread: list[str] = []

        def date(name: str) -> dt.date | None:
            given = args.get(name, "")
            try:
                return dt.date.fromisoformat(given)
            except ValueError:
                if given.strip():
                    unread.append(given[:40])
                return None

        level = args.get("level", "")
        state = args.get("state", "current")
        return cls(
            q=args.get("q", "").strip()[:200],
            agency=args.get("agency", "")[:64],
            level=int(level) if level in ("1", "2", "3", "4") else None,
            rating=args.get("rating", "") if args.get("rating") in ("low", "moderate", "high") else "",
            state=state if state in ("current", "withdrawn", "all") else "current",
            published_from=date("from"),
            published_to=date("to"),
            sort=args.get("sort") if args.get("sort") in SORTS else "newest",
            unread_dates=unread,
        )

    @property
    def wordless(self) -> bool:
        """A query with nothing to search for (only signs, emoji or punctuation): it matches
        nothing, rather than every entry as no query would."""
        return bool(self.q) and not fulltext.terms(self.q)

    @property
    def dates_crossed(self) -> bool:
        return bool(self.published_from and self.published_to and self.published_from > self.published_to)

    def conditions(self, dialect: str, many: bool = False) -> list[sa.ColumnElement[bool]]:
        states = LISTED_STATES if self.state == "all" else (self.state,)
        where: list[sa.ColumnElement[bool]] = [E.state.in_(states)]
        words = fulltext.terms(self.q)
        if words:
            where.append(fulltext.condition(dialect, words, many))
        elif self.wordless:
            where.append(sa.false())
        if self.agency:
            where.append(E.agency_slug == self.agency)
        if self.level:
            where.append(E.impact_level == self.level)
        if self.rating:
            where.append(E.charter_rating == self.rating)
        if self.published_from:
            where.append(E.published_dt >= _midnight(self.published_from))
        if self.published_to and self.published_to < dt.date.max:  # the last day has no next
            where.append(E.published_dt < _midnight(self.published_to + dt.timedelta(days=1)))
        return where

    def args(self) -> dict[str, str]:
        """The filters as query arguments (for links that keep them)."""
        out = {
            "q": self.q,
            "agency": self.agency,
            "level": str(self.level or ""),
            "rating": self.rating,
            "state": self.state,
            "sort": self.sort,
            "from": self.published_from.isoformat() if self.published_from else "",
            "to": self.published_to.isoformat() if self.published_to else "",
        }
        return {
            k: v for k, v in out.items() if v and (k, v) not in (("state", "current"), ("sort", "newest"))
        }


@dataclass
class Page:
    entries: list[RegisterEntry]
    total: int
    next_cursor: str | None
    first: bool
    filters: Filters = field(default_factory=Filters)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _encode(entry: RegisterEntry, columns: list[orm.QueryableAttribute[Any]]) -> str:
    values = []
    for column in columns:
        value = getattr(entry, column.key)
        values.append(value.isoformat() if isinstance(value, dt.datetime) else value)
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode(cursor: str, columns: list[orm.QueryableAttribute[Any]]) -> list | None:
    """The values a cursor holds, or None for one this page did not write (what it holds
    is checked as the columns it stands for take it)."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, RecursionError):
        return None
    if not isinstance(raw, list) or len(raw) != len(columns):
        return None
    values = []
    for column, value in zip(columns, raw, strict=True):
        if column.key == "published_dt":
            try:
                value = dt.datetime.fromisoformat(value)
            except (TypeError, ValueError):
                return None
            if value.tzinfo is None:
                return None
        elif column.key in ("id", "impact_level"):
            if not isinstance(value, int) or isinstance(value, bool) or not -MAX_INT <= value <= MAX_INT:
                return None
        elif not isinstance(value, str) or has_unwanted(value):
            return None
        values.append(value)
    return values


def search(session: Session, filters: Filters, cursor: str | None = None, page_size: int = PAGE_SIZE) -> Page:
    """One page of entries after ``cursor``, and the number of entries that match."""
    columns, descending = SORTS[filters.sort]
    dialect = session.get_bind().dialect.name
    where = filters.conditions(dialect)
    total = session.scalar(sa.select(sa.func.count()).select_from(E).where(*where)) or 0
    if total > MANY:
        where = filters.conditions(dialect, many=True)
    query = sa.select(E).where(*where)
    after = _decode(cursor, columns) if cursor else None
    if after is not None:
        key = sa.tuple_(*columns)
        query = query.where(key < sa.tuple_(*after) if descending else key > sa.tuple_(*after))
    order = [c.desc() if descending else c.asc() for c in columns]
    rows = list(session.scalars(query.order_by(*order).limit(page_size + 1)))
    next_cursor = _encode(rows[page_size - 1], columns) if len(rows) > page_size else None
    return Page(rows[:page_size], total, next_cursor, after is None, filters)


def latest_entry(session: Session, system_uid: str) -> RegisterEntry | None:
    """The entry the public sees for a system: its current one, or its withdrawn one."""
    return session.scalar(
        sa.select(E)
        .where(E.system_uid == system_uid, E.state.in_(LISTED_STATES))
        .order_by(E.published_dt.desc(), E.id.desc())
        .limit(1)
    )


def entry_history(session: Session, system_uid: str) -> list[RegisterEntry]:
    return list(
        session.scalars(sa.select(E).where(E.system_uid == system_uid).order_by(E.revision_number.desc()))
    )


def entry_for_revision(session: Session, system_uid: str, number: int) -> RegisterEntry | None:
    return session.scalar(sa.select(E).where(E.system_uid == system_uid, E.revision_number == number))


def iter_current(session: Session, batch: int = 1000) -> Iterator[sa.Row]:
    """Every current entry as a plain row (same attribute names as RegisterEntry), in id
    order, a batch at a time: memory stays the same however large the register grows."""
    return iter_matching(session, Filters(), batch)


def iter_matching(session: Session, filters: Filters, batch: int = 1000) -> Iterator[sa.Row]:
    """Every entry the register's page lists for ``filters`` (its search words, agency,
    level, rating, state and dates), as plain rows in id order, a batch at a time."""
    where = filters.conditions(session.get_bind().dialect.name)
    last_id = 0
    while True:
        rows = session.execute(
            sa.select(*E.__table__.c).where(*where, E.id > last_id).order_by(E.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def feed_events(session: Session, limit: int = 50) -> list[tuple[str, dt.datetime, RegisterEntry]]:
    """Latest publications and withdrawals, newest first."""
    published = list(session.scalars(sa.select(E).order_by(E.published_dt.desc()).limit(limit)))
    withdrawn = list(
        session.scalars(sa.select(E).where(E.state == "withdrawn").order_by(E.ended_dt.desc()).limit(limit))
    )
    events = [("published", e.published_dt, e) for e in published]
    events += [("withdrawn", e.ended_dt, e) for e in withdrawn if e.ended_dt]
    events.sort(key=lambda item: (item[1], item[2].id), reverse=True)
    return events[:limit]


def agencies(session: Session, state: str = "current") -> list[tuple[str, str]]:
    """Agencies with at least one entry in ``state`` (current, withdrawn or all listed), for
    the filter: one with nothing current is not offered among current entries."""
    states = LISTED_STATES if state == "all" else (state,)
    listed = sa.select(E.id).where(E.agency_id == Agency.id, E.state.in_(states))
    rows = session.execute(sa.select(Agency.slug, Agency.name).where(listed.exists()).order_by(Agency.name))
    return [(slug, name) for slug, name in rows]


def count_withdrawn(session: Session, filters: Filters) -> int:
    """How many withdrawn entries match ``filters`` otherwise: said when a search among
    current entries finds nothing."""
    others = dataclasses.replace(filters, state="withdrawn")
    where = others.conditions(session.get_bind().dialect.name)
    return session.scalar(sa.select(sa.func.count()).select_from(E).where(*where)) or 0


def published_answers(session: Session, system_id: int) -> list[Feedback]:
    """The messages about a system whose answer its agency chose to show, newest first."""
    return list(
        session.scalars(
            sa.select(Feedback)
            .where(Feedback.system_id == system_id, Feedback.answer_published.is_(True))
            .order_by(Feedback.handled_dt.desc(), Feedback.id.desc())
            .limit(50)
        )
    )
