"""Alembic environment: runs on a connection handed over by ``aia init-db`` or the tests,
or on the app's database (``AIA_DATABASE_URL``) when run as ``alembic upgrade head``."""

from alembic import context

import aia.models  # noqa: F401  (registers every table)
from aia.db import Base, make_engine
from aia.register.search import include_name

config = context.config
target_metadata = Base.metadata


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True,
                      include_name=include_name)
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
