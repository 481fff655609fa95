"""Alembic environment: runs on a connection handed over by ``aia init-db`` or the tests,
or on the app's database (``AIA_DATABASE_URL``) when run as ``alembic upgrade head``.

The app's metadata is used here only to autogenerate a new revision; the revisions themselves
import nothing of aia, so that each keeps the meaning it had on the day it was written."""

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext

import aia.models  # noqa: F401  (registers every table)
from aia.db import Base, UTCDateTime, make_engine
from aia.register.search import include_name

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write the app's own column types as the plain SQLAlchemy types they store, so that a
    generated revision needs no import of aia."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    from config import config_from_env

    engine = make_engine(config_from_env().DATABASE_URL)
    with engine.begin() as conn:
        run(conn)
