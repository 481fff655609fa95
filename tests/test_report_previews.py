"""Previews cannot tie up the site: made once per document (the same bytes from the cache),
limited per person, one host's renders capped, their time limit below the web worker's."""

from __future__ import annotations

import pytest

from aia import SettingsError, create_app
from aia.assessments import lifecycle
from aia.report import routes as report_routes
from aia.report.slots import RendererBusy, render_slot
from config import TestConfig


@pytest.fixture
def previewing(app, tmp_path, make_revision, login, client):
    app.config["REPORT_CACHE_DIR"] = str(tmp_path / "cache")
    app.config["REPORT_SLOTS_DIR"] = str(tmp_path / "slots")
    revision = make_revision()
    login("author", agency=revision.system.agency)
    yield revision
    app.config["REPORT_PREVIEW_LIMIT"] = TestConfig.REPORT_PREVIEW_LIMIT


def preview_url(revision) -> str:
    return f"/systems/{revision.system.uid}/revisions/{revision.number}/report.pdf"


def test_a_preview_is_rendered_once_and_served_again_from_the_cache(
    app, client, db_session, make_user, previewing, monkeypatch
):
    first = client.get(preview_url(previewing))
    assert first.status_code == 200 and first.data.startswith(b"%PDF-")
    rendered = []
    monkeypatch.setattr(report_routes, "_count_a_preview", lambda: rendered.append(1))
    second = client.get(preview_url(previewing))
    assert second.data == first.data and rendered == []  # no render, no count
    # Approved, the revision's preview says so: another document, rendered (and counted).
    lifecycle.change_status(
        db_session, make_user("approver", previewing.system.agency), previewing, "approve"
    )
    approved = client.get(preview_url(previewing))
    assert approved.status_code == 200 and approved.data != first.data and rendered == [1]


def test_previews_beyond_the_limit_are_refused_with_a_page_not_an_error(app, client, previewing, tmp_path):
    app.config["REPORT_PREVIEW_LIMIT"] = "1 per minute"
    assert client.get(preview_url(previewing)).status_code == 200
    app.config["REPORT_CACHE_DIR"] = str(tmp_path / "another-cache")  # the next must render
    refused = client.get(preview_url(previewing))
    assert refused.status_code == 429
    assert "Too many attempts in a short time" in refused.get_data(as_text=True)
    assert "%PDF" not in refused.get_data(as_text=True)


def test_a_preview_waits_briefly_for_a_render_slot_then_says_why(app, client, previewing, tmp_path):
    app.config["REPORT_SLOT_WAIT"] = 0.2
    with render_slot(tmp_path / "slots", 1, 0):  # another process's render holds the only slot
        busy = client.get(preview_url(previewing))
    assert busy.status_code == 503
    assert "Other reports are being made just now (at most 1 at once" in busy.get_data(as_text=True)
    assert client.get(preview_url(previewing)).status_code == 200  # the slot is free again


def test_the_slots_are_shared_and_freed(tmp_path):
    with render_slot(tmp_path, 2, 0) as first, render_slot(tmp_path, 2, 0) as second:
        assert {first, second} == {0, 1}
        with pytest.raises(RendererBusy), render_slot(tmp_path, 2, 0.1):
            pass
    with render_slot(tmp_path, 2, 0) as again:
        assert again == 0


def test_a_preview_wait_and_time_limit_reaching_the_worker_timeout_are_refused():
    config = type("Slow", (TestConfig,), {"REPORT_PREVIEW_TIMEOUT": 85.0, "WORKER_TIMEOUT": 90.0})
    with pytest.raises(
        SettingsError,
        match=r"AIA_REPORT_PREVIEW_TIMEOUT \(85 s\) and AIA_REPORT_SLOT_WAIT \(5 s\) together must be below",
    ):
        create_app(config)
