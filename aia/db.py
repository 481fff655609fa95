"""The database layer: Flask-SQLAlchemy's ``db`` (one session per application context), the
declarative base with stable constraint names, the JSON and UTC datetime types, the time
helper, and how SQLite is opened so that concurrent writers wait for each other instead of
failing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import sqlalchemy as sa
from flask import Flask, has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, orm
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")

# Requests that only read: on SQLite their transactions begin DEFERRED (see sqlite_hooks).
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Set while code outside a reading request only reads (read_only_transaction).
_reading_only: ContextVar[bool] = ContextVar("aia_reading_only", default=False)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.types.TypeDecorator[dt.datetime]):
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


class _Declarative(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class AppSession(FlaskSession):
    """Flask-SQLAlchemy's session, which also honours a connection the session was bound to:
    the tests bind it to one connection holding an outer transaction that is rolled back."""

    def get_bind(
        self, mapper: Any = None, clause: Any = None, bind: Any = None, **kwargs: Any
    ) -> sa.Engine | sa.Connection:
        if bind is None and isinstance(self.bind, sa.Connection):
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


db = SQLAlchemy(
    model_class=_Declarative,
    disable_autonaming=True,
    session_options={"class_": AppSession, "expire_on_commit": False},
)
if TYPE_CHECKING:
    # A type checker cannot take a class made at run time as a base: it checks the models
    # against the declarative base that db.Model extends.
    Base = _Declarative
else:
    # The base of every model (Flask-SQLAlchemy's copy of the declarative base above).
    Base = db.Model

# What services and queries take: the request's session (``db.session``, a proxy to the
# session of the application context) or a plain one (commands, tests).
Session: TypeAlias = orm.Session | orm.scoped_session[FlaskSession]


def init_app(app: Flask) -> None:
    url = app.config["DATABASE_URL"]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    options: dict[str, Any] = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.startswith("postgresql"):
        # A connection broken by a server restart is replaced before it is used.
        options.setdefault("pool_pre_ping", True)
    elif url.startswith("sqlite"):
        database = sa.make_url(url).database
        if database and database != ":memory:":
            # A fresh checkout has no instance/ folder yet.
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sqlite_hooks(db.engine)


def sqlite_hooks(engine: sa.Engine) -> None:
    """Let SQLAlchemy, not the driver, open transactions (so savepoints work); enforce foreign
    keys; use the write-ahead log, so readers never block the writer; and begin transactions
    IMMEDIATE, so that two writers queue for the lock (busy_timeout) instead of the second
    failing with "database is locked" when it upgrades a read to a write. A request that only
    reads (GET) begins DEFERRED, so that reading never queues behind writers (if such a
    request writes after all, SQLite upgrades its lock, waiting as long as busy_timeout)."""
    in_memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        reading = _reading_only.get() or (has_request_context() and request.method in READ_ONLY_METHODS)
        conn.exec_driver_sql("BEGIN DEFERRED" if reading else "BEGIN IMMEDIATE")


@contextmanager
def read_only_transaction(session: Session) -> Iterator[None]:
    """A transaction that only reads, for work that must not hold SQLite's write lock while
    it reads (a publication reads what it will render, then renders with no transaction
    open). On SQLite it begins DEFERRED wherever it runs; on every database it is rolled back
    at the end, so nothing written in it is kept. Refused when the session already has a
    transaction: that one began as it began, and would go on holding what it holds."""
    plain = session() if isinstance(session, orm.scoped_session) else session
    if plain.in_transaction():
        raise RuntimeError("read_only_transaction needs a session with no transaction open")
    token = _reading_only.set(True)
    try:
        yield
    finally:
        try:
            session.rollback()
        finally:
            _reading_only.reset(token)


def engine_of(app: Flask) -> sa.Engine:
    """The app's engine, for code outside a request (commands, tests, benchmarks)."""
    with app.app_context():
        return db.engine


def make_engine(url: str) -> sa.Engine:
    """An engine opened the way the app opens its own (for tools outside a request)."""
    if url.startswith("sqlite"):
        database = sa.make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = sa.pool.StaticPool
            kwargs["connect_args"] = {"check_same_thread": False}
        engine = sa.create_engine(url, **kwargs)
        sqlite_hooks(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)
