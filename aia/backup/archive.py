"""The archive's format: how rows become JSON lines and back, and how an archive is read and
checked before anything is restored from it."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import re
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import sqlalchemy as sa

FORMAT = "aia-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
REPORT_NAME = re.compile(r"^reports/([0-9a-f]{64})\.pdf$")
CHUNK = 1 << 20


class BackupError(Exception):
    """An archive that cannot be written or restored; the message says why, for the operator."""


@dataclass
class TableEntry:
    name: str
    rows: int
    sha256: str
    columns: list[str]

    @property
    def member(self) -> str:
        return f"tables/{self.name}.jsonl"


@dataclass
class Manifest:
    schema_revision: str
    created_dt: str
    database: str
    tables: list[TableEntry]
    reports: dict[str, int] = field(default_factory=dict)  # sha256 -> size
    missing_reports: list[str] = field(default_factory=list)

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_revision": self.schema_revision,
            "created_dt": self.created_dt,
            "database": self.database,
            "tables": [
                {"name": t.name, "rows": t.rows, "sha256": t.sha256, "columns": t.columns}
                for t in self.tables
            ],
            "reports": [{"sha256": sha, "size": size} for sha, size in sorted(self.reports.items())],
            "missing_reports": self.missing_reports,
        }
        return json.dumps(document, indent=1, ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            document = json.loads(raw)
        except ValueError:
            raise BackupError("the archive's manifest is not JSON: this is not an aia backup") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise BackupError("the archive's manifest does not name the aia backup format")
        if document.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"the archive is in format version {document.get('format_version')!r}; this "
                f"release reads version {FORMAT_VERSION} only"
            )
        try:
            return cls(
                schema_revision=str(document["schema_revision"]),
                created_dt=str(document["created_dt"]),
                database=str(document["database"]),
                tables=[
                    TableEntry(
                        str(t["name"]), int(t["rows"]), str(t["sha256"]), [str(c) for c in t["columns"]]
                    )
                    for t in document["tables"]
                ],
                reports={str(r["sha256"]): int(r["size"]) for r in document["reports"]},
                missing_reports=[str(s) for s in document.get("missing_reports", [])],
            )
        except (KeyError, TypeError, ValueError):
            raise BackupError("the archive's manifest lacks a part of the format") from None


def _is(column: sa.Column[Any], kind: type) -> bool:
    column_type = column.type
    implementation = getattr(column_type, "impl", column_type)
    return isinstance(column_type, kind) or isinstance(implementation, kind)


def encode_value(value: Any) -> Any:
    """A column's value as JSON can hold it; decode_value gives it back for its column."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def decode_value(column: sa.Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if _is(column, sa.JSON):
        return value
    if _is(column, sa.DateTime):
        moment = dt.datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    if _is(column, sa.Date):
        return dt.date.fromisoformat(value)
    if _is(column, sa.Time):
        return dt.time.fromisoformat(value)
    if _is(column, sa.Numeric) and not _is(column, sa.Float) and not _is(column, sa.Integer):
        return decimal.Decimal(value)
    if _is(column, sa.LargeBinary):
        return base64.b64decode(value)
    return value


def encode_row(columns: list[str], row: sa.Row[Any]) -> bytes:
    document = {name: encode_value(value) for name, value in zip(columns, row, strict=True)}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode() + b"\n"


class Reader:
    """An archive opened for restoring; ``check()`` reads every member against the manifest."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        try:
            self._tar = tarfile.open(fileobj=file, mode="r:gz")
            self.manifest = Manifest.from_json(self._read(MANIFEST))
        except BackupError:
            raise
        except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
            raise BackupError(
                f"the archive cannot be read ({_reason(error)}): damaged or not an aia backup"
            ) from None

    def _member(self, name: str) -> IO[bytes]:
        try:
            member = self._tar.getmember(name)
        except KeyError:
            raise BackupError(f"the archive has no {name}: it is incomplete") from None
        handle = self._tar.extractfile(member)
        if handle is None:
            raise BackupError(f"{name} in the archive is not a file")
        return handle

    def _read(self, name: str) -> bytes:
        return self._member(name).read()

    def check(self) -> None:
        """Read the whole archive once: every table's lines hash and count as the manifest says,
        and every report hashes to its name. Nothing is restored from an archive that fails."""
        try:
            for table in self.manifest.tables:
                digest, count = hashlib.sha256(), 0
                for line in self._member(table.member):
                    digest.update(line)
                    count += 1
                if digest.hexdigest() != table.sha256 or count != table.rows:
                    raise BackupError(
                        f"table {table.name} in the archive does not match its checksum "
                        f"({count} rows read, {table.rows} recorded): the archive is damaged"
                    )
            for sha256, size in self.manifest.reports.items():
                digest, read = hashlib.sha256(), 0
                handle = self._member(f"reports/{sha256}.pdf")
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    read += len(chunk)
                if digest.hexdigest() != sha256 or read != size:
                    raise BackupError(
                        f"report {sha256} in the archive does not match its hash: the archive is damaged"
                    )
        except BackupError:
            raise
        except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
            raise BackupError(
                f"the archive cannot be read to its end ({_reason(error)}): it is damaged or truncated"
            ) from None

    def rows(self, table: TableEntry) -> Iterator[dict[str, Any]]:
        for line in self._member(table.member):
            yield json.loads(line)

    def report(self, sha256: str) -> bytes:
        return self._read(f"reports/{sha256}.pdf")


def _reason(error: BaseException) -> str:
    return str(error) or type(error).__name__
