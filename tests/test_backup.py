"""``aia backup`` and ``aia restore``: an archive of the database and the stored reports that
moves an agency between SQLite and PostgreSQL, with the register, its PDFs and their hashes
unchanged and ``aia verify`` passing; damaged archives and non-empty databases are refused
and change nothing; a backup taken while someone writes is consistent."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import tarfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa

from aia import create_app
from aia.accounts.models import Agency
from aia.audit.models import AuditEvent
from aia.backup.services import tables
from aia.cli import upgrade_database
from aia.db import engine_of
from config import TestConfig

from .databases import own_database

ON_POSTGRESQL = os.environ.get("AIA_DATABASE_URL", "").startswith("postgresql")
needs_postgresql = pytest.mark.skipif(not ON_POSTGRESQL, reason="AIA_DATABASE_URL names no PostgreSQL server")


def own_app(url: str, reports: Path):
    config = type("Own", (TestConfig,), {"DATABASE_URL": url, "REPORT_DIR": str(reports)})
    app = create_app(config)
    with app.app_context():
        upgrade_database()
    return app


class Place:
    """A database of its own (SQLite or PostgreSQL) with its report store, migrated and empty."""

    def __init__(self, stack: ExitStack, folder: Path, kind: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if kind == "postgresql":
            url = stack.enter_context(own_database(folder / "unused.sqlite3", prefix="aia_backup"))
        else:
            url = f"sqlite:///{folder / 'aia.sqlite3'}"
        self.kind, self.reports = kind, folder / "reports"
        self.app = own_app(url, self.reports)
        stack.callback(engine_of(self.app).dispose)

    def run(self, *args: str):
        return self.app.test_cli_runner().invoke(args=list(args))

    def counts(self) -> dict[str, int]:
        with engine_of(self.app).connect() as connection:
            return {t.name: connection.scalar(sa.select(sa.func.count()).select_from(t)) for t in tables()}

    def public(self) -> dict[str, object]:
        """What the public reads: the register's open data, and every report it serves."""
        client = self.app.test_client()
        register = json.loads(client.get("/register.json").data)
        register.pop("generated")
        seen: dict[str, object] = {
            "register.json": register,
            "register.csv": client.get("/register.csv").data,
        }
        for entry in register["entries"]:
            page = client.get(f"/register/{entry['id']}").get_data(as_text=True)
            seen[entry["id"]] = re.sub(r'name="(csrf|form)_token"[^>]*', "", page)  # tokens per visitor
            for report in entry["reports"]:
                link = report["url"].removeprefix("http://localhost")
                response = client.get(link)
                assert response.status_code == 200, link
                seen[link] = response.data
        return seen


@pytest.fixture(scope="module")
def stack() -> Iterator[ExitStack]:
    with ExitStack() as stack:
        yield stack


def seeded(stack: ExitStack, folder: Path, kind: str) -> tuple[Place, Path]:
    source = Place(stack, folder, kind)
    assert source.run("seed-demo").exit_code == 0
    archive = folder / "backup.tar.gz"
    result = source.run("backup", str(archive))
    assert result.exit_code == 0, result.output
    assert "backup written to" in result.output
    return source, archive


@pytest.fixture(scope="module")
def from_sqlite(stack, tmp_path_factory) -> tuple[Place, Path]:
    return seeded(stack, tmp_path_factory.mktemp("from-sqlite"), "sqlite")


@pytest.fixture(scope="module")
def from_postgresql(stack, tmp_path_factory) -> tuple[Place, Path]:
    if not ON_POSTGRESQL:
        pytest.skip("AIA_DATABASE_URL names no PostgreSQL server")
    return seeded(stack, tmp_path_factory.mktemp("from-postgresql"), "postgresql")


def restored(source: tuple[Place, Path], target: Place) -> Place:
    place, archive = source
    result = target.run("restore", str(archive))
    assert result.exit_code == 0, result.output
    verified = target.run("verify")
    assert verified.exit_code == 0, verified.output
    assert target.counts() == place.counts()
    assert target.public() == place.public()
    assert sorted(p.name for p in target.reports.iterdir()) == sorted(p.name for p in place.reports.iterdir())
    return target


def test_the_archive_names_each_table_with_its_rows_and_checksum(from_sqlite):
    place, archive = from_sqlite
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())
        names = opened.getnames()
    assert manifest["format"] == "aia-backup" and manifest["format_version"] == 1
    assert [t["name"] for t in manifest["tables"]] == [t.name for t in tables()]
    assert {t["name"]: t["rows"] for t in manifest["tables"]} == place.counts()
    assert len(manifest["reports"]) == len(list(place.reports.iterdir())) > 0
    assert all(f"reports/{r['sha256']}.pdf" in names for r in manifest["reports"])
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # password hashes are in it


def test_sqlite_to_sqlite(from_sqlite, stack, tmp_path):
    target = restored(from_sqlite, Place(stack, tmp_path, "sqlite"))
    # The restored database goes on: new rows get new ids.
    assert target.run("create-agency", "after-restore", "After").exit_code == 0


@needs_postgresql
def test_sqlite_to_postgresql(from_sqlite, stack, tmp_path):
    target = restored(from_sqlite, Place(stack, tmp_path, "postgresql"))
    # Every id sequence continues after the rows restored with their own ids.
    assert target.run("create-agency", "after-restore", "After").exit_code == 0
    with engine_of(target.app).connect() as connection:
        ids = connection.scalars(sa.select(Agency.id).order_by(Agency.id)).all()
    assert len(ids) == len(set(ids)) and ids[-1] == len(ids)


@needs_postgresql
def test_postgresql_to_sqlite(from_postgresql, stack, tmp_path):
    target = restored(from_postgresql, Place(stack, tmp_path, "sqlite"))
    assert target.run("create-agency", "after-restore", "After").exit_code == 0


@pytest.fixture
def empty(stack, tmp_path) -> Place:
    return Place(stack, tmp_path / "target", "postgresql" if ON_POSTGRESQL else "sqlite")


def refused(place: Place, archive: Path, reason: str) -> None:
    before = place.counts()
    result = place.run("restore", str(archive))
    assert result.exit_code == 1
    assert "not restored:" in result.output and reason in result.output, result.output
    assert place.counts() == before
    assert not place.reports.exists() or not list(place.reports.iterdir())


def rewritten(archive: Path, target: Path, change) -> Path:
    """A copy of the archive with its members passed through change(name, bytes)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


def test_a_non_empty_database_is_refused(from_sqlite, empty):
    assert empty.run("create-agency", "already-here", "Here").exit_code == 0
    refused(empty, from_sqlite[1], "the database is not empty (rows in agency, audit_event)")


def test_a_row_changed_in_the_archive_is_refused(from_sqlite, empty, tmp_path):
    def change(name: str, data: bytes) -> bytes:
        return data.replace(b"Claim review", b"Claim renew") if name == "tables/system.jsonl" else data

    refused(empty, rewritten(from_sqlite[1], tmp_path / "changed.tar.gz", change), "table system")


def test_a_report_changed_in_the_archive_is_refused(from_sqlite, empty, tmp_path):
    def change(name: str, data: bytes) -> bytes:
        return data[:-10] + b"%%EOF%%EOF" if name.startswith("reports/") else data

    refused(empty, rewritten(from_sqlite[1], tmp_path / "changed.tar.gz", change), "does not match its hash")


def test_a_truncated_archive_is_refused(from_sqlite, empty, tmp_path):
    whole = from_sqlite[1].read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    refused(empty, cut, "damaged")


def test_another_format_version_is_refused(from_sqlite, empty, tmp_path):
    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        return json.dumps({**json.loads(data), "format_version": 99}).encode()

    refused(empty, rewritten(from_sqlite[1], tmp_path / "v99.tar.gz", change), "format version 99")


def test_a_file_that_is_no_archive_is_refused(empty, tmp_path):
    other = tmp_path / "notes.tar.gz"
    other.write_bytes(gzip.compress(b"just some text"))
    refused(empty, other, "not an aia backup")


def test_a_backup_taken_while_someone_writes_is_consistent(stack, tmp_path):
    """A writer adds agencies (each with its audit event, in one transaction) all through the
    backup: the archive holds each agency with its event or neither, the writer is never held
    up into failing, and the restored trail verifies."""
    source = Place(stack, tmp_path / "source", "postgresql" if ON_POSTGRESQL else "sqlite")
    from aia.accounts.services import create_agency
    from aia.extensions import db

    first_written, stop, failures = threading.Event(), threading.Event(), []

    def write() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            try:
                with source.app.app_context():
                    create_agency(db.session, None, f"writer-{number}", f"Writer {number}")
                    db.session.commit()
            except Exception as error:  # noqa: BLE001 (the test reports it)
                failures.append(repr(error))
                return
            first_written.set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert first_written.wait(60)
        result = source.run("backup", str(tmp_path / "live.tar.gz"))
    finally:
        stop.set()
        writer.join(60)
    assert result.exit_code == 0, result.output
    assert failures == []
    target = Place(stack, tmp_path / "target", "sqlite")
    assert target.run("restore", str(tmp_path / "live.tar.gz")).exit_code == 0
    with engine_of(target.app).connect() as connection:
        agencies = connection.scalar(sa.select(sa.func.count()).select_from(Agency))
        events = connection.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "agency.created")
        )
    assert agencies == events >= 1
    assert source.counts()["agency"] >= agencies
    verified = target.run("verify")
    assert verified.exit_code == 0, verified.output
