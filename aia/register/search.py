"""Full-text search of the register: an FTS5 index on SQLite, a GIN index over a 'simple'
tsvector on PostgreSQL. Both match every word of the query as a word prefix, whatever the
case. The structures live outside the model metadata: created with the table here, and by the
migration from its own copy of these statements (tests/test_migrations.py compares the two)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from .models import RegisterEntry

MAX_TERMS = 8

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE register_search USING fts5(search_text, content='register_entry',
    content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER register_search_insert AFTER INSERT ON register_entry BEGIN
    INSERT INTO register_search(rowid, search_text) VALUES (new.id, new.search_text); END""",
    """CREATE TRIGGER register_search_delete AFTER DELETE ON register_entry BEGIN
    INSERT INTO register_search(register_search, rowid, search_text)
    VALUES ('delete', old.id, old.search_text); END""",
    """CREATE TRIGGER register_search_update AFTER UPDATE OF search_text ON register_entry BEGIN
    INSERT INTO register_search(register_search, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
    INSERT INTO register_search(rowid, search_text) VALUES (new.id, new.search_text); END""",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS register_search"]
# A stored vector: matching a word found in most entries then reads the vectors instead of
# parsing every entry's text again.
POSTGRESQL_CREATE = [
    "ALTER TABLE register_entry ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX ix_register_entry_search ON register_entry USING gin (search_vector)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS ix_register_entry_search",
    "ALTER TABLE register_entry DROP COLUMN IF EXISTS search_vector",
]


def create_statements(dialect: str) -> list[str]:
    return POSTGRESQL_CREATE if dialect == "postgresql" else SQLITE_CREATE


def drop_statements(dialect: str) -> list[str]:
    return POSTGRESQL_DROP if dialect == "postgresql" else SQLITE_DROP


def include_name(name: str | None, type_: str, parent_names: Mapping[Any, str | None]) -> bool:
    """For schema comparison: the search structures are not part of the model metadata."""
    return not (name or "").startswith(("register_search", "ix_register_entry_search", "search_vector"))


@event.listens_for(RegisterEntry.__table__, "after_create")
def _create_search(target: sa.Table, connection: sa.Connection, **kw: object) -> None:
    for statement in create_statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


@event.listens_for(RegisterEntry.__table__, "before_drop")
def _drop_search(target: sa.Table, connection: sa.Connection, **kw: object) -> None:
    for statement in drop_statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def terms(query: str) -> list[str]:
    """The words of a query, folded: what both indexes match as prefixes."""
    return re.findall(r"\w+", query.casefold())[:MAX_TERMS]


def condition(dialect: str, words: list[str], many: bool = False) -> sa.ColumnElement[bool]:
    """Entries whose name, agency, description or purpose hold every word (as a prefix).

    On SQLite, ``many`` says the words match many entries: the page is then read along the
    sorting index, testing each entry against the matches, instead of sorting every match.
    """
    if dialect == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        vector: sa.ColumnClause[Any] = sa.literal_column("register_entry.search_vector")
        return vector.op("@@")(sa.func.to_tsquery(sa.literal_column("'simple'"), query))
    match = " AND ".join(f'"{w}"*' for w in words)
    matching = (
        sa.select(sa.literal_column("rowid", sa.Integer))
        .select_from(sa.table("register_search"))
        .where(sa.text("register_search MATCH :match").bindparams(match=match))
    )
    if many:
        # Unary plus keeps SQLite from driving the query by the match list.
        return sa.literal_column("+register_entry.id").in_(matching)
    return RegisterEntry.id.in_(matching)
