"""The migrations: each carries its own SQL; ``upgrade head`` builds the schema the models
build (tables, columns, constraints, indexes, triggers and their functions, full-text search);
each revision goes down and up again; the revisions that move data move it as they promise.
On SQLite, or on PostgreSQL when AIA_DATABASE_URL names a server (each test then works in
databases of its own)."""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError

import aia.models  # noqa: F401  (every table, with the rules and the search set-up)
from aia.cli import alembic_config
from aia.db import Base, engine_of, make_engine
from aia.engine import answers_by_step, load_file
from aia.register.search import include_name

from .answers import STARTER_COMPLETE
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
    with fresh_database(tmp_path, "migrated") as migrated, fresh_database(tmp_path, "models") as models:
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
            connection.exec_driver_sql(
                "DROP TRIGGER review_comment_guard ON review_comment"
                if engine.dialect.name == "postgresql"
                else "DROP TRIGGER review_comment_no_update"
            )
        after = schema_of(engine)
    assert after != before
    assert {k for k in before if before[k] != after[k]} == {"triggers"}


def test_migrations_match_the_models(app):
    """Alembic's own comparison of the run's database (built by the migrations) with the
    models: column types and nullability, constraints, indexes."""
    engine = engine_of(app)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
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


# Data-moving revisions, tested on rows written as the revision before them wrote them (plain
# tables, not the models: the models follow the newest schema).
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
WHEN = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)
AWKWARD = 'Prüfung 👪 مراجعة <b>bold</b> & "quotes"'


def _tables() -> dict[str, sa.Table]:
    meta = sa.MetaData()
    stamp = sa.DateTime(timezone=True)
    return {
        "agency": sa.Table(
            "agency",
            meta,
            sa.Column("id", sa.Integer),
            sa.Column("slug", sa.String),
            sa.Column("name", sa.String),
            sa.Column("created_dt", stamp),
        ),
        "system": sa.Table(
            "system",
            meta,
            *(sa.Column(c, sa.String) for c in ("uid", "name", "description")),
            sa.Column("id", sa.Integer),
            sa.Column("agency_id", sa.Integer),
            sa.Column("created_dt", stamp),
        ),
        "revision": sa.Table(
            "revision",
            meta,
            *(
                sa.Column(c, sa.Integer)
                for c in ("id", "system_id", "number", "questionnaire_version", "impact_level")
            ),
            *(
                sa.Column(c, sa.String)
                for c in (
                    "uid",
                    "questionnaire_key",
                    "questionnaire_hash",
                    "charter_rating",
                    "sha256",
                    "status",
                    "pdf_sha256",
                )
            ),
            sa.Column("answers", JSON),
            sa.Column("scores", JSON),
            sa.Column("submitted_dt", stamp),
        ),
        "register_entry": sa.Table(
            "register_entry",
            meta,
            *(
                sa.Column(c, sa.Integer)
                for c in ("id", "revision_id", "system_id", "agency_id", "revision_number", "impact_level")
            ),
            *(
                sa.Column(c, sa.String)
                for c in (
                    "system_uid",
                    "revision_uid",
                    "name",
                    "name_sort",
                    "agency_slug",
                    "agency_name",
                    "description",
                    "charter_rating",
                    "search_text",
                    "state",
                    "withdrawal_reason",
                    "pdf_sha256",
                )
            ),
            sa.Column("published_dt", stamp),
            sa.Column("ended_dt", stamp),
            sa.Column("details", JSON),
        ),
    }


def _old_details(number: int, answers: list | None) -> dict:
    """An entry's details as the app wrote them before 0005 (``answers`` None: a newer row)."""
    details = {
        "decision": STARTER_COMPLETE["decision"],
        "summary": f"{AWKWARD} {number}",
        "contact": STARTER_COMPLETE["contact"],
        "impact_level_name": "Level II",
        "obligations": [{"area": "Notice", "text": f"Say so on the letter {number}."}],
        "flags": [{"key": "rights", "label": "Affects rights"}],
        "final_score": 12,
        "max_score": 40,
        "questionnaire": {"key": "starter", "version": 1, "title": "Starter assessment"},
        "revision_sha256": f"{number:064x}",
        "submitted_dt": WHEN.isoformat(),
    }
    if answers is not None:
        details["answers"] = answers
    return details


def _fill_as_at_0004(connection: sa.Connection, details: list[dict]) -> None:
    t = _tables()
    connection.execute(
        t["agency"].insert(), [{"id": 1, "slug": "tax", "name": "Tax Office", "created_dt": WHEN}]
    )
    for n, entry_details in enumerate(details, 1):
        connection.execute(
            t["system"].insert(),
            {
                "id": n,
                "uid": f"sys-{n}",
                "agency_id": 1,
                "name": f"System {n} {AWKWARD}",
                "description": "Ranks claims.",
                "created_dt": WHEN,
            },
        )
        connection.execute(
            t["revision"].insert(),
            {
                "id": n,
                "uid": f"rev-{n}",
                "system_id": n,
                "number": 1,
                "questionnaire_key": "starter",
                "questionnaire_version": 1,
                "questionnaire_hash": "0" * 64,
                "answers": STARTER_COMPLETE,
                "scores": {"impact_level": 2},
                "impact_level": 2,
                "charter_rating": "moderate",
                "sha256": f"{n:064x}",
                "status": "published",
                "submitted_dt": WHEN,
                "pdf_sha256": f"{n:064x}",
            },
        )
        connection.execute(
            t["register_entry"].insert(),
            {
                "id": n,
                "revision_id": n,
                "system_id": n,
                "agency_id": 1,
                "revision_number": 1,
                "impact_level": 2,
                "system_uid": f"sys-{n}",
                "revision_uid": f"rev-{n}",
                "name": f"System {n} {AWKWARD}",
                "name_sort": f"system {n}",
                "agency_slug": "tax",
                "agency_name": "Tax Office",
                "description": "Ranks claims.",
                "charter_rating": "moderate",
                "search_text": f"system {n} interview tax office",
                "state": "current",
                "published_dt": WHEN,
                "ended_dt": None,
                "withdrawal_reason": None,
                "pdf_sha256": None if n == 3 else f"{n:064x}",
                "details": entry_details,
            },
        )


def _entries(connection: sa.Connection) -> list[dict]:
    entry = _tables()["register_entry"]
    return [dict(row) for row in connection.execute(sa.select(entry).order_by(entry.c.id)).mappings()]


def _matches(connection: sa.Connection, word: str) -> list[int]:
    """Entry ids the full-text index finds for a word."""
    if connection.dialect.name == "postgresql":
        query = "SELECT id FROM register_entry WHERE search_vector @@ to_tsquery('simple', :word) ORDER BY id"
    else:
        query = "SELECT rowid FROM register_search WHERE register_search MATCH :word ORDER BY rowid"
    return list(connection.execute(sa.text(query), {"word": word}).scalars())


def test_0005_removes_the_copy_of_the_answers_and_seals_the_report_hash(tmp_path):
    starter = load_file(Path(SCRIPT.dir).parent / "questionnaires" / "starter-v1.yaml")
    copied = answers_by_step(starter, STARTER_COMPLETE)
    assert copied and copied[0]["questions"]  # the copy as the app wrote it: every step
    before = [_old_details(1, copied), _old_details(2, None), _old_details(3, [])]
    with fresh_database(tmp_path, "0005") as engine:
        migrate(engine, command.upgrade, "0004")
        with engine.begin() as connection:
            _fill_as_at_0004(connection, before)
            rows_before = _entries(connection)
        migrate(engine, command.upgrade, "0005")
        with engine.connect() as connection:
            rows_after = _entries(connection)
            assert _matches(connection, "interview") == [1, 2, 3]
        for old, new, details in zip(rows_before, rows_after, before, strict=True):
            expected = {k: v for k, v in details.items() if k != "answers"}
            assert new["details"] == expected  # the rest of the details exactly as they were
            assert {k: v for k, v in new.items() if k != "details"} == {
                k: v for k, v in old.items() if k != "details"
            }
        assert rows_after[0]["details"]["summary"] == f"{AWKWARD} 1"

        entry = _tables()["register_entry"]
        with pytest.raises(DBAPIError, match="report hash of a register entry cannot be changed"):
            with engine.begin() as connection:
                connection.execute(entry.update().where(entry.c.id == 1).values(pdf_sha256="f" * 64))
        with engine.begin() as connection:  # a hash not yet set may be written
            connection.execute(entry.update().where(entry.c.id == 3).values(pdf_sha256="c" * 64))

        migrate(engine, command.downgrade, "0004")
        with engine.begin() as connection:
            # The copy does not come back (see the migration); nothing else changes, and the
            # seal is gone with the revision that made it.
            assert [r["details"] for r in _entries(connection)] == [r["details"] for r in rows_after]
            connection.execute(entry.update().where(entry.c.id == 1).values(pdf_sha256="f" * 64))
