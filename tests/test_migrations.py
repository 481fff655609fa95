"""The migrations: each carries its own SQL; ``upgrade head`` builds the schema the models
build (tables, columns, constraints, indexes, triggers and their functions, full-text search);
each revision goes down and up again; the revisions that move data move it as they promise.
On SQLite, or on PostgreSQL when AIA_DATABASE_URL names a server (each test then works in
databases of its own)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import aia.models  # noqa: F401  (every table, with the rules and the search set-up)
from aia.cli import alembic_config
from aia.db import Base, engine_of, make_engine
from aia.register.search import include_name

from .databases import own_database
from .schema import snapshot

SCRIPT = ScriptDirectory.from_config(alembic_config())
REVISIONS = [r.revision for r in reversed(list(SCRIPT.walk_revisions()))]  # oldest first


@contextmanager
def fresh_database(folder: Path, name: str) -> Iterator[sa.Engine]:
    with own_database(folder / f"{name}.sqlite3", "aia_migrations") as url:
        engine = make_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


def migrate(engine: sa.Engine, action, target: str) -> None:
    """``command.upgrade`` or ``command.downgrade`` to ``target``, in one transaction."""
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        action(cfg, target)


def schema_of(engine: sa.Engine) -> dict:
    with engine.connect() as connection:
        return snapshot(connection)


def test_no_revision_imports_aia():
    """A revision that imported the app would change meaning whenever the app's code does."""
    files = sorted(Path(SCRIPT.versions).glob("*.py"))
    assert len(files) == len(REVISIONS)
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{path.name}:{node.lineno} imports relatively"
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                assert module.split(".")[0] != "aia", f"{path.name}:{node.lineno} imports {module}"


def test_upgrade_head_builds_what_the_models_build(tmp_path):
    with fresh_database(tmp_path, "migrated") as migrated, \
            fresh_database(tmp_path, "models") as models:
        migrate(migrated, command.upgrade, "head")
        Base.metadata.create_all(models)
        built = schema_of(migrated)
        assert built == schema_of(models)
    # The comparison looks at what it says it does.
    assert {"register_entry", "revision", "audit_event"} <= set(built["tables"])
    triggers = {name for name, *_ in built["triggers"]}
    indexes = {name for name, *_ in built["index_definitions"]}
    assert "ix_register_entry_listing" in indexes
    if migrated.dialect.name == "postgresql":
        assert {"revision_guard", "audit_event_guard", "review_comment_guard"} <= triggers
        assert "ix_register_entry_search" in indexes
        assert built["tables"]["register_entry"]["columns"]["search_vector"]["computed"]
    else:
        assert {"revision_no_update", "audit_event_no_delete", "register_search_insert"} <= triggers
        assert [name for name, _ in built["virtual_tables"]] == ["register_search"]


def test_the_comparison_sees_a_trigger_gone(tmp_path):
    with fresh_database(tmp_path, "models") as engine:
        Base.metadata.create_all(engine)
        before = schema_of(engine)
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP TRIGGER review_comment_guard ON review_comment"
                                       if engine.dialect.name == "postgresql"
                                       else "DROP TRIGGER review_comment_no_update")
        after = schema_of(engine)
    assert after != before
    assert {k for k in before if before[k] != after[k]} == {"triggers"}


def test_migrations_match_the_models(app):
    """Alembic's own comparison of the run's database (built by the migrations) with the
    models: column types and nullability, constraints, indexes."""
    engine = engine_of(app)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "include_name": include_name})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_each_revision_goes_down_and_up(tmp_path):
    """Down to each revision gives the schema that revision had on the way up; up again gives
    the head's; down to the base leaves nothing behind."""
    with fresh_database(tmp_path, "down-and-up") as engine:
        empty = schema_of(engine)
        on_the_way_up = {}
        for revision in REVISIONS:
            migrate(engine, command.upgrade, revision)
            on_the_way_up[revision] = schema_of(engine)
        head = on_the_way_up[REVISIONS[-1]]
        for revision in reversed(REVISIONS[:-1]):
            migrate(engine, command.downgrade, revision)
            assert schema_of(engine) == on_the_way_up[revision], f"down to {revision}"
            migrate(engine, command.upgrade, "head")
            assert schema_of(engine) == head, f"up from {revision}"
        migrate(engine, command.downgrade, "base")
        assert schema_of(engine) == empty
        with engine.connect() as connection:
            assert sa.inspect(connection).get_table_names() == ["alembic_version"]

