"""A report store that refuses the report at publication (a read-only file system, a full
one) tells the approver what happened on the publication's page, not a generic error page;
nothing is published and the revision stays approved.

The stores are real file systems (tmpfs, mounted read-only, or too small for a report): a
permission bit would not stop the root user these tests may run as."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from aia.assessments import lifecycle
from aia.assessments.models import Revision

from .webform import submit_data


@contextmanager
def mounted_store(folder: Path, options: str) -> Iterator[Path]:
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if mount is None or umount is None:
        pytest.skip("no mount command here")
    folder.mkdir()
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", options, f"aia-store-{uuid.uuid4().hex[:8]}", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a file system of its own here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run([umount, str(folder)], check=True)


@pytest.fixture
def read_only_store(tmp_path) -> Iterator[Path]:
    with mounted_store(tmp_path / "read-only", "ro,size=1m") as folder:
        yield folder


@pytest.fixture
def full_store(tmp_path) -> Iterator[Path]:
    with mounted_store(tmp_path / "full", "size=64k") as folder:
        filler = folder / "filler"
        try:
            with filler.open("wb") as file:
                while True:
                    file.write(b"\0" * 4096)
                    file.flush()
                    os.fsync(file.fileno())
        except OSError:
            pass
        yield folder


@pytest.fixture
def people_for_publication(db_session, make_user, make_system, make_revision):
    approver = make_user("approver")
    system = make_system(agency=approver.agency)
    revision = make_revision(system=system, submitted_by=make_user("author", approver.agency))
    lifecycle.change_status(db_session, approver, revision, "approve")
    return system, revision, approver


def publish_into(app, client, db_session, login, people, store: Path) -> str:
    system, revision, approver = people
    kept = app.config["REPORT_DIR"]
    app.config["REPORT_DIR"] = str(store)
    try:
        login(approver)
        page = client.get(f"/systems/{system.uid}/revisions/1").get_data(as_text=True)
        response = client.post(
            f"/systems/{system.uid}/revisions/1/publish", data={"csrf_token": submit_data(page)["csrf_token"]}
        )
        assert response.status_code == 303
        progress = client.get(response.headers["Location"])
        assert progress.status_code == 200
        db_session.expire_all()
        assert db_session.get(Revision, revision.id).status == "approved"
        assert db_session.get(Revision, revision.id).pdf_sha256 is None
        return progress.get_data(as_text=True)
    finally:
        app.config["REPORT_DIR"] = kept


def test_a_read_only_store_is_named_to_the_approver(
    app, client, db_session, login, people_for_publication, read_only_store
):
    page = publish_into(app, client, db_session, login, people_for_publication, read_only_store)
    assert "Revision 1 could not be published" in page
    assert "The report store is read-only: the report could not be stored, so nothing was published." in page
    assert "The revision is still approved: nothing was published." in page
    assert str(read_only_store) not in page  # the path is for the operator's log


def test_a_full_store_is_named_to_the_approver(
    app, client, db_session, login, people_for_publication, full_store
):
    page = publish_into(app, client, db_session, login, people_for_publication, full_store)
    assert "The report store is full: the report could not be stored" in page
    assert not [p for p in full_store.iterdir() if p.name != "filler"]  # no part of a report left
