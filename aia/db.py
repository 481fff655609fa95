"""The database layer: declarative base, naming convention, JSON type, time helper, and a
session per application context bound to the app's engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from flask.globals import app_ctx
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Timezone-aware UTC datetimes on every database (SQLite drops the offset)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given; use now_utc()")
            value = value.astimezone(dt.UTC)
        return value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class _DatabaseState:
    def __init__(self, engine: sa.Engine):
        self.engine = engine
        # Tests bind sessions to one connection holding an outer transaction.
        self.bind: sa.Engine | sa.Connection = engine
        self.join_transaction_mode: str | None = None


def _scope() -> int:
    return id(app_ctx._get_current_object())


class Database:
    """``db.session`` is one SQLAlchemy session per application context."""

    def __init__(self) -> None:
        self.session: scoped_session[Session] = scoped_session(self._new_session, scopefunc=_scope)

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions["aia.db"] = _DatabaseState(engine)
        app.teardown_appcontext(lambda exc: self.session.remove())

    @staticmethod
    def state(app: Flask | None = None) -> _DatabaseState:
        return (app or current_app).extensions["aia.db"]

    @property
    def engine(self) -> sa.Engine:
        return self.state().engine

    def _new_session(self) -> Session:
        state = self.state()
        options: dict[str, Any] = {"bind": state.bind, "expire_on_commit": False}
        if state.join_transaction_mode:
            options["join_transaction_mode"] = state.join_transaction_mode
        return Session(**options)


def make_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        database = sa.make_url(url).database
        if database and database != ":memory:":
            # A fresh checkout has no instance/ folder yet.
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = sa.pool.StaticPool
            kwargs["connect_args"] = {"check_same_thread": False}
        engine = sa.create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection: Any, record: Any) -> None:
            # Let SQLAlchemy, not the driver, open transactions, so savepoints work; and
            # have SQLite enforce foreign keys.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: sa.Connection) -> None:
            conn.exec_driver_sql("BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)
