"""Writing a backup from a running database, and restoring one into an empty database."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from ..db import Base, now_utc
from ..models import RegisterEntry, ReportFile, Revision
from ..report.store import write_atomically
from .archive import MANIFEST, BackupError, Manifest, Reader, TableEntry, decode_value, encode_row

log = logging.getLogger(__name__)

BATCH = 500


@dataclass(frozen=True)
class Summary:
    rows: int
    tables: int
    reports: int
    missing_reports: list[str]


def tables() -> list[sa.Table]:
    """Every table of the app, parents before the rows that refer to them."""
    return list(Base.metadata.sorted_tables)


@contextmanager
def reading_snapshot(url: sa.URL | str) -> Iterator[sa.Connection]:
    """One read transaction that sees the database as it was when it began, while the app goes
    on writing: REPEATABLE READ, read only, on PostgreSQL; on SQLite (write-ahead log) a
    deferred transaction, which takes no write lock, so writers are not held up."""
    url = sa.make_url(url)
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, record: Any) -> None:
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA busy_timeout=15000")

        @event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            conn.exec_driver_sql("BEGIN DEFERRED")

        options: dict[str, Any] = {}
    else:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(**options)
            with connection.begin():
                yield connection
    finally:
        engine.dispose()


def schema_revision(connection: sa.Connection) -> str:
    try:
        revisions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    except sa.exc.DBAPIError:
        revisions = []
    if len(revisions) != 1:
        raise BackupError("the database has no schema revision: run `aia init-db` first")
    return str(revisions[0])


def referenced_reports(connection: sa.Connection) -> set[str]:
    """The stored reports the database names (each report's file, a revision's reference copy,
    a register entry's report)."""
    found: set[str] = set()
    for column in (ReportFile.sha256, Revision.pdf_sha256, RegisterEntry.pdf_sha256):
        found.update(s for s in connection.scalars(sa.select(column).where(column.is_not(None))) if s)
    return found


def write_backup(url: sa.URL | str, report_dir: Path, target: Path) -> Summary:
    """Write the archive to ``target`` (a temporary file renamed when complete)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, part = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(handle)
    try:
        with reading_snapshot(url) as connection, tempfile.TemporaryDirectory(dir=target.parent) as scratch:
            manifest = Manifest(
                schema_revision=schema_revision(connection),
                created_dt=now_utc().isoformat(),
                database=connection.dialect.name,
                tables=[],
            )
            with tarfile.open(part, mode="w:gz") as archive:
                for table in tables():
                    manifest.tables.append(_dump_table(connection, table, archive, Path(scratch)))
                for sha256 in sorted(referenced_reports(connection)):
                    path = report_dir / f"{sha256}.pdf"
                    if not path.is_file():
                        manifest.missing_reports.append(sha256)
                        continue
                    info = archive.gettarinfo(str(path), arcname=f"reports/{sha256}.pdf")
                    with path.open("rb") as file:
                        archive.addfile(info, file)
                    manifest.reports[sha256] = info.size
                raw = manifest.to_json()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(raw), int(now_utc().timestamp()), 0o644
                archive.addfile(info, io.BytesIO(raw))
        os.chmod(part, 0o600)  # password hashes and second-factor secrets are in it
        os.replace(part, target)
    except BaseException:
        Path(part).unlink(missing_ok=True)
        raise
    return Summary(
        rows=sum(t.rows for t in manifest.tables),
        tables=len(manifest.tables),
        reports=len(manifest.reports),
        missing_reports=manifest.missing_reports,
    )


def _dump_table(
    connection: sa.Connection, table: sa.Table, archive: tarfile.TarFile, scratch: Path
) -> TableEntry:
    columns = [c.name for c in table.columns]
    digest, count = hashlib.sha256(), 0
    path = scratch / f"{table.name}.jsonl"
    order = list(table.primary_key.columns) or list(table.columns)
    with path.open("wb") as file:
        for row in connection.execute(sa.select(*table.columns).order_by(*order)):
            line = encode_row(columns, row)
            digest.update(line)
            file.write(line)
            count += 1
    entry = TableEntry(table.name, count, digest.hexdigest(), columns)
    archive.add(str(path), arcname=entry.member)
    return entry


def restore_backup(engine: sa.Engine, report_dir: Path, source: Path) -> Summary:
    """Restore the archive into ``engine``'s database, which must be migrated and empty. The
    whole archive is checked first; the rows go in in one transaction, and the reports are
    stored before it commits, so a refusal or a failure leaves the database as it was."""
    try:
        file = source.open("rb")
    except OSError as error:
        raise BackupError(f"{source.name} cannot be opened ({error.strerror or error})") from None
    with file:
        reader = Reader(file)
        manifest = reader.manifest
        known = {t.name: t for t in tables()}
        unknown = sorted({t.name for t in manifest.tables} - set(known))
        if unknown:
            raise BackupError(f"the archive holds tables this release does not have: {', '.join(unknown)}")
        with engine.connect() as connection:
            here = schema_revision(connection)
            if here != manifest.schema_revision:
                raise BackupError(
                    f"the archive was made at schema revision {manifest.schema_revision} and this "
                    f"database is at {here}: restore it with the release that made it, then upgrade"
                )
            filled = [
                t.name for t in tables() if connection.scalar(sa.select(sa.func.count()).select_from(t))
            ]
        if filled:
            raise BackupError(
                f"the database is not empty (rows in {', '.join(filled)}): restore only into a "
                "freshly migrated database (`aia init-db` on a new one)"
            )
        reader.check()
        with engine.begin() as connection:
            for entry in manifest.tables:
                _load_table(connection, known[entry.name], entry, reader)
            if connection.dialect.name == "postgresql":
                _advance_sequences(connection)
            for sha256 in manifest.reports:
                _store_report(report_dir, sha256, reader.report(sha256))
    log.info(
        "backup %s restored: %d rows, %d reports",
        source.name,
        sum(t.rows for t in manifest.tables),
        len(manifest.reports),
    )
    return Summary(
        rows=sum(t.rows for t in manifest.tables),
        tables=len(manifest.tables),
        reports=len(manifest.reports),
        missing_reports=manifest.missing_reports,
    )


def _load_table(connection: sa.Connection, table: sa.Table, entry: TableEntry, reader: Reader) -> None:
    missing = [
        c.name
        for c in table.columns
        if c.name not in entry.columns and not c.nullable and c.server_default is None
    ]
    if missing:
        raise BackupError(f"table {table.name} in the archive lacks the column(s) {', '.join(missing)}")
    columns = {c.name: c for c in table.columns if c.name in entry.columns}
    batch: list[dict[str, Any]] = []
    for row in reader.rows(entry):
        batch.append({name: decode_value(column, row.get(name)) for name, column in columns.items()})
        if len(batch) >= BATCH:
            connection.execute(table.insert(), batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)


def _advance_sequences(connection: sa.Connection) -> None:
    """Rows went in with their own ids: each id sequence continues after the largest."""
    for table in tables():
        for column in table.primary_key.columns:
            if not _is_integer(column):
                continue
            sequence = connection.scalar(
                sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            )
            if sequence:
                largest = connection.scalar(sa.select(sa.func.max(column)))
                connection.execute(
                    sa.text("SELECT setval(:sequence, :next, false)"),
                    {"sequence": sequence, "next": (largest or 0) + 1},
                )


def _is_integer(column: sa.Column[Any]) -> bool:
    return isinstance(column.type, sa.Integer) or isinstance(getattr(column.type, "impl", None), sa.Integer)


def _store_report(report_dir: Path, sha256: str, pdf: bytes) -> None:
    path = report_dir / f"{sha256}.pdf"
    if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256:
        return
    try:
        write_atomically(report_dir, path.name, pdf)
    except OSError as error:
        raise BackupError(
            f"the report store {report_dir} cannot be written ({error.strerror or error}): "
            "nothing was restored"
        ) from None
