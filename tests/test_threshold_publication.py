"""A threshold check gives no impact level: it says whether the full assessment is needed. It
may be approved (the approver confirms its outcome) but never published, so that no page or
export ever shows it with a level."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from aia.assessments import lifecycle
from aia.assessments import services as assessments
from aia.publishing import services as publication
from aia.register.models import RegisterEntry

from .test_threshold_follow_up import threshold_answers
from .webform import form_values

LEVEL = re.compile(r"\bLevel (I|II|III|IV)\b|\blevel-[1-4]\b|impact level", re.IGNORECASE)


@pytest.fixture
def check(db_session, make_agency, make_system, make_user, registry):
    """A threshold check whose outcome is "full assessment needed", submitted by its author,
    with an approver of the same agency."""
    agency = make_agency(slug="roads", name="Roads Agency")
    system = make_system("Pothole triage", agency=agency)
    author = make_user("author", agency)
    approver = make_user("approver", agency)
    definition = registry.latest("threshold")
    draft = assessments.start_draft(
        db_session, system, definition, threshold_answers(registry, definition.version, personal_data="yes")
    )
    revision = assessments.submit(db_session, draft, definition, draft.lock_version, actor=author)
    return {"agency": agency, "system": system, "revision": revision, "approver": approver}


def without_level(page: str) -> bool:
    return LEVEL.search(page) is None


def test_a_threshold_check_is_approved_but_never_published(app, client, login, check, db_session):
    revision = check["revision"]
    with app.test_request_context():
        lifecycle.change_status(db_session, check["approver"], revision, "approve")
        assert revision.status == "approved"
        assert "publish" not in lifecycle.allowed_actions(db_session, check["approver"], revision)
        with pytest.raises(lifecycle.TransitionRefused, match="threshold check is not published"):
            publication.publish(db_session, check["approver"], revision, "")
        with pytest.raises(lifecycle.TransitionRefused, match="threshold check is not published"):
            lifecycle.change_status(db_session, check["approver"], revision, "publish")
    assert revision.status == "approved"
    assert db_session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)) == 0


def test_the_publish_route_refuses_a_threshold_check(app, login, check, db_session):
    system, revision = check["system"], check["revision"]
    with app.test_request_context():
        lifecycle.change_status(db_session, check["approver"], revision, "approve")
    approver = app.test_client()
    login(check["approver"], on=approver)
    page = approver.get(f"/systems/{system.uid}/revisions/1").get_data(as_text=True)
    assert "Publish revision 1" not in page
    assert "A threshold check is not published" in page
    response = approver.post(
        f"/systems/{system.uid}/revisions/1/publish",
        data={"csrf_token": form_values(page)["csrf_token"][0], "reason": ""},
        follow_redirects=True,
    )
    assert "A threshold check is not published" in response.get_data(as_text=True)
    assert revision.status == "approved"
    queue = approver.get("/review").get_data(as_text=True)
    assert "Pothole triage" not in queue  # it awaits nothing


def test_no_page_or_export_gives_a_threshold_check_a_level(app, login, check, db_session, client):
    system, revision = check["system"], check["revision"]
    auditor = app.test_client()
    login("auditor", on=auditor)
    review = auditor.get(f"/systems/{system.uid}/revisions/1/review").get_data(as_text=True)
    assert "Threshold check: full assessment needed" in review
    results = auditor.get(f"/systems/{system.uid}/revisions/1").get_data(as_text=True)
    assert "Full assessment needed" in results
    for page in (review, results):
        main = page.split("<main", 1)[1]
        assert without_level(main), LEVEL.search(main)
    with app.test_request_context():
        lifecycle.change_status(db_session, check["approver"], revision, "approve")
        with pytest.raises(lifecycle.TransitionRefused):
            publication.publish(db_session, check["approver"], revision, "")
    for url in ("/register/", "/register/?level=1", "/register.json", "/register.csv", "/register/feed.atom"):
        body = client.get(url).get_data(as_text=True)
        assert "Pothole triage" not in body, url
    assert client.get(f"/register/{system.uid}").status_code == 404
    assert client.get(f"/register/{system.uid}.json").status_code == 404


def test_comparing_two_checks_shows_their_outcomes_not_levels(app, login, check, db_session, registry):
    system, revision = check["system"], check["revision"]
    with app.test_request_context():
        lifecycle.change_status(db_session, check["approver"], revision, "request_changes", "Again.")
    definition = registry.latest("threshold")
    draft = assessments.start_draft(
        db_session, system, definition, threshold_answers(registry, definition.version)
    )
    assessments.submit(db_session, draft, definition, draft.lock_version)
    auditor = app.test_client()
    login("auditor", on=auditor)
    page = auditor.get(f"/systems/{system.uid}/compare?from=1&to=2").get_data(as_text=True)
    assert "Full assessment needed" in page and "Full assessment not needed" in page
    assert without_level(page.split("<main", 1)[1])
