"""One revision of a system awaits a decision at a time, whatever its questionnaire, and no
order of publications makes an older revision current: the app refuses with a message, and
the database refuses too (a partial unique index, a trigger), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from aia.assessments import lifecycle, services
from aia.assessments.models import Draft, Revision
from aia.publishing import services as publishing
from aia.register.models import RegisterEntry

from .test_threshold_follow_up import threshold_answers
from .webform import submit_data


def test_no_second_revision_starts_with_another_questionnaire(
    app, login, make_agency, make_system, make_revision, db_session
):
    agency = make_agency()
    system = make_system(agency=agency)
    make_revision(system=system)  # submitted: awaits a decision
    author = app.test_client()
    login("author", agency, on=author)
    page = author.get(f"/systems/{system.uid}").get_data(as_text=True)
    assert "a new draft can start once it is published or sent back" in page
    token = submit_data(author.get("/systems/new").get_data(as_text=True))["csrf_token"]
    for questionnaire in ("threshold:4", "ads-impact:5", "starter:4"):
        response = author.post(
            f"/systems/{system.uid}/draft", data={"csrf_token": token, "questionnaire": questionnaire}
        )
        assert response.status_code == 409, questionnaire
        shown = author.get(f"/systems/{system.uid}").get_data(as_text=True)
        assert "Revision 1 awaits a decision: a new draft can start once it is published" in shown
    assert db_session.scalar(sa.select(Draft).where(Draft.system_id == system.id)) is None


def test_the_follow_up_of_a_check_starts_but_is_submitted_after_the_checks_decision(
    app, login, make_agency, make_system, make_user, db_session, registry
):
    agency = make_agency()
    system = make_system(agency=agency)
    check = registry.latest("threshold")
    draft = services.start_draft(db_session, system, check, threshold_answers(registry, check.version))
    first = services.submit(db_session, draft, check, draft.lock_version)
    full = registry.latest("ads-impact")
    with pytest.raises(services.DraftNotAllowed):
        services.start_draft(db_session, system, registry.latest("starter"), follows_up=check)
    follow_up = services.start_draft(db_session, system, full, follows_up=check)
    assert follow_up.questionnaire_key == "ads-impact"
    # Submitting it while the check awaits its decision is refused; nothing is lost.
    with pytest.raises(services.AwaitingDecision) as refused:
        services.submit(db_session, follow_up, full, follow_up.lock_version)
    assert refused.value.revision.id == first.id
    assert db_session.get(Draft, follow_up.id) is not None
    # Once the check is decided, the submission goes on (to what the draft still lacks).
    with app.test_request_context():
        lifecycle.change_status(db_session, make_user("approver", agency), first, "request_changes", "Later.")
    with pytest.raises(services.IncompleteDraft):
        services.submit(db_session, follow_up, full, follow_up.lock_version)


def test_the_review_page_says_why_a_draft_cannot_be_submitted_yet(
    app, login, make_agency, make_system, db_session, registry
):
    agency = make_agency()
    system = make_system(agency=agency)
    check = registry.latest("threshold")
    draft = services.start_draft(db_session, system, check, threshold_answers(registry, check.version))
    services.submit(db_session, draft, check, draft.lock_version)
    services.start_draft(db_session, system, registry.latest("ads-impact"), follows_up=check)
    author = app.test_client()
    login("author", agency, on=author)
    page = author.get(f"/systems/{system.uid}/review").get_data(as_text=True)
    response = author.post(f"/systems/{system.uid}/review", data=submit_data(page))
    assert response.status_code == 409
    assert "Revision 1 awaits a decision: this draft can be submitted once" in response.get_data(as_text=True)
    assert db_session.scalar(sa.select(Draft).where(Draft.system_id == system.id)) is not None


def test_the_database_holds_one_awaiting_revision_per_system(db_session, make_system, make_revision):
    system = make_system()
    make_revision(system=system, status="changes_requested")
    make_revision(system=system, answers={"appeal": "yes"})  # submitted
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.execute(
            sa.update(Revision)
            .where(Revision.system_id == system.id, Revision.number == 1)
            .values(status="approved")
        )


@pytest.fixture
def older_approved_newer_published(app, db_session, make_agency, make_user, make_system, make_revision):
    """Revision 1 approved, revision 2 published after it (as the out-of-order publications
    of before could leave them): built state by state."""
    agency = make_agency()
    approver = make_user("approver", agency)
    system = make_system(agency=agency)
    first = make_revision(system=system, status="changes_requested")
    second = make_revision(system=system, answers={"appeal": "yes"}, status="approved")
    with app.app_context():
        publishing.publish(db_session, approver, second)
    db_session.execute(sa.update(Revision).where(Revision.id == first.id).values(status="approved"))
    db_session.refresh(first)
    return approver, system, first, second


def test_an_older_revision_is_never_published_over_a_newer_one(
    app, db_session, login, older_approved_newer_published
):
    approver, system, first, second = older_approved_newer_published
    with app.app_context(), pytest.raises(lifecycle.TransitionRefused, match="an older revision cannot"):
        publishing.publish(db_session, approver, first)
    # Through the page: the message, and the register still shows revision 2.
    browser = app.test_client()
    login(approver, on=browser)
    page = browser.get(f"/systems/{system.uid}/revisions/1").get_data(as_text=True)
    response = browser.post(
        f"/systems/{system.uid}/revisions/1/publish",
        data={"csrf_token": submit_data(page)["csrf_token"]},
        follow_redirects=True,
    )
    assert "Revision 2 was published after revision 1 was approved" in response.get_data(as_text=True)
    current = db_session.scalar(
        sa.select(RegisterEntry).where(RegisterEntry.system_id == system.id, RegisterEntry.state == "current")
    )
    assert current.revision_number == 2
    db_session.refresh(first)
    assert first.status == "approved"


def test_the_database_refuses_an_older_publication_too(db_session, older_approved_newer_published):
    _approver, _system, first, _second = older_approved_newer_published
    with pytest.raises(DBAPIError, match="an older revision cannot replace a newer published one"):
        with db_session.begin_nested():
            db_session.execute(sa.update(Revision).where(Revision.id == first.id).values(status="published"))
