"""A database of one's own for a test run, a live server or a benchmark."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa


@contextmanager
def own_database(sqlite_file: Path, prefix: str = "aia_test") -> Iterator[str]:
    """The URL of a fresh database: the SQLite file given, or, when AIA_DATABASE_URL names a
    PostgreSQL server, a new database there, created here and dropped afterwards, so that runs
    never meet."""
    configured = os.environ.get("AIA_DATABASE_URL", "")
    if not configured.startswith("postgresql"):
        yield f"sqlite:///{sqlite_file}"
        return
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(configured, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(configured).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
