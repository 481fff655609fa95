"""A database's schema as plain data, equal for two databases built alike: tables and their
columns and constraints, indexes, triggers (with their functions on PostgreSQL) and the
full-text structures (FTS5 tables on SQLite, the stored tsvector and its GIN index on
PostgreSQL). Definitions are compared as the database itself reports them, with runs of
white space made one."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

IGNORED_TABLES = {"alembic_version"}


def normal(sql: str | None) -> str:
    """SQL with its white space made one and none beside brackets, commas and semicolons."""
    text = re.sub(r"\s+", " ", sql or "").strip()
    return re.sub(r"\s*([(),;])\s*", r"\1", text)


def snapshot(connection: sa.Connection) -> dict[str, Any]:
    inspector = sa.inspect(connection)
    dialect = connection.dialect
    tables: dict[str, Any] = {}
    for table in sorted(set(inspector.get_table_names()) - IGNORED_TABLES):
        tables[table] = {
            "columns": {c["name"]: _column(c, dialect) for c in inspector.get_columns(table)},
            "primary_key": _primary_key(inspector.get_pk_constraint(table)),
            "foreign_keys": sorted(
                (
                    fk["name"],
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "unique": sorted(
                (u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)
            ),
            "checks": sorted(
                (c["name"], normal(c["sqltext"])) for c in inspector.get_check_constraints(table)
            ),
            "indexes": sorted(
                (
                    i["name"],
                    tuple(i["column_names"]),
                    bool(i["unique"]),
                    # A partial index's WHERE reflects as a clause object: compare its text.
                    repr(sorted((k, normal(str(v))) for k, v in i.get("dialect_options", {}).items())),
                )
                for i in inspector.get_indexes(table)
            ),
        }
    if dialect.name == "postgresql":
        return {"tables": tables, **_postgresql(connection)}
    return {"tables": tables, **_sqlite(connection)}


def _column(column: dict[str, Any], dialect: sa.Dialect) -> dict[str, Any]:
    computed = column.get("computed")
    kind = column["type"]
    # Columns declared without a type (those of an FTS5 table) reflect as NullType.
    declared = "" if isinstance(kind, sa.types.NullType) else kind.compile(dialect=dialect)
    return {
        "type": declared,
        "nullable": column["nullable"],
        "default": column.get("default"),
        "computed": (normal(computed["sqltext"]), computed.get("persisted")) if computed else None,
    }


def _primary_key(constraint: dict[str, Any]) -> tuple:
    return constraint.get("name"), tuple(constraint.get("constrained_columns") or ())


def _sqlite(connection: sa.Connection) -> dict[str, Any]:
    rows = connection.exec_driver_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL"
    ).all()
    triggers = sorted((name, table, normal(sql)) for kind, name, table, sql in rows if kind == "trigger")
    indexes = sorted((name, table, normal(sql)) for kind, name, table, sql in rows if kind == "index")
    # Full-text search: the virtual tables (their shadow tables are among the tables above).
    virtual = sorted(
        (name, normal(sql))
        for kind, name, table, sql in rows
        if kind == "table" and sql.upper().startswith("CREATE VIRTUAL TABLE")
    )
    return {"triggers": triggers, "index_definitions": indexes, "virtual_tables": virtual}


def _postgresql(connection: sa.Connection) -> dict[str, Any]:
    triggers = connection.execute(
        sa.text(
            "SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
        )
    ).all()
    functions = connection.execute(
        sa.text(
            "SELECT p.proname, pg_get_function_identity_arguments(p.oid), p.prosrc FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()"
        )
    ).all()
    indexes = connection.execute(
        sa.text(
            "SELECT indexname, tablename, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename <> 'alembic_version'"
        )
    ).all()
    return {
        "triggers": sorted((name, table, normal(sql)) for name, table, sql in triggers),
        "functions": sorted((name, args, normal(body)) for name, args, body in functions),
        "index_definitions": sorted((name, table, normal(sql)) for name, table, sql in indexes),
    }
