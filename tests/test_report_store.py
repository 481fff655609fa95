"""The PDF store: publish once, serve the stored bytes with an ETag; a missing or altered file
is an operator's error, never a silent re-render; unpublished revisions get a marked preview."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from aia.report import build as report_build
from aia.report import routes as report_routes
from aia.report.errors import StoredReportAltered, StoredReportMissing
from aia.report.store import download_name, publish_pdf, stored_pdf

from . import test_report_helpers as helpers
from .test_report_helpers import flat, pdf_text

make_report_revision = helpers.make_report_revision
reader = helpers.reader


@pytest.fixture
def published(app, db_session, make_report_revision):
    revision = make_report_revision("starter", rich=False)
    revision.status = "approved"
    db_session.flush()
    with app.app_context():
        sha256 = publish_pdf(db_session, revision)
    revision.status = "published"
    db_session.flush()
    return revision, Path(app.config["REPORT_DIR"]) / f"{sha256}.pdf"


def url(revision) -> str:
    return f"/systems/{revision.system.uid}/revisions/{revision.number}/report.pdf"


def test_publish_writes_the_file_and_records_its_hash(app, published):
    revision, path = published
    data = path.read_bytes()
    assert revision.pdf_sha256 == hashlib.sha256(data).hexdigest() == path.stem
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temporary left
    text = flat(pdf_text(data))
    assert "Status Published" in text and "Not published" not in text
    with app.app_context():
        assert stored_pdf(revision) == path


def test_download_serves_the_stored_bytes_with_an_etag(app, published, reader, monkeypatch):
    revision, path = published
    monkeypatch.setattr(report_routes, "preview_pdf", _no_render)
    response = reader.get(url(revision))
    assert response.status_code == 200
    assert response.data == path.read_bytes()
    assert response.headers["ETag"] == f'"{revision.pdf_sha256}"'
    assert response.headers["Content-Disposition"] == (
        f'inline; filename="{revision.system.uid}-revision-1.pdf"'
    )
    again = reader.get(url(revision), headers={"If-None-Match": f'"{revision.pdf_sha256}"'})
    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize(
    "damage, error, words",
    [
        ("delete", StoredReportMissing, "is missing"),
        ("alter", StoredReportAltered, "was altered"),
    ],
)
def test_missing_or_altered_file_is_an_error_not_a_re_render(
    app, published, reader, monkeypatch, caplog, damage, error, words
):
    revision, path = published
    if damage == "delete":
        path.unlink()
    else:
        path.write_bytes(path.read_bytes() + b"%")
    with app.app_context(), pytest.raises(error):
        stored_pdf(revision)
    monkeypatch.setattr(report_routes, "preview_pdf", _no_render)
    monkeypatch.setattr(report_build, "render_pdf", _no_render)
    response = reader.get(url(revision))
    assert response.status_code == 503  # an error page that says why, not a crash
    page = response.get_data(as_text=True)
    assert "The stored report is missing or altered" in page and words in page
    assert any(words in record.getMessage() for record in caplog.records)


def test_unpublished_revision_gets_a_marked_preview(app, make_report_revision, reader):
    revision = make_report_revision("starter", rich=False)
    response = reader.get(url(revision))
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert "preview" in response.headers["Content-Disposition"]
    text = flat(pdf_text(response.data))
    assert "Not published" in text and "This is a preview of revision 1" in text


def test_safe_file_name():
    assert download_name('sys-1"; x=../..', 2, False) == "sys-1-x-revision-2.pdf"
    assert download_name("", 1, True) == "system-revision-1-preview.pdf"


def _no_render(*args, **kwargs):
    raise AssertionError("a stored report must never be rendered again")
