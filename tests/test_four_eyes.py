"""The four-eyes rule by authorship: whoever wrote any answer of a revision (saved a step,
by Next, Back, Save draft, the autosave, a form kept across an ended session, or an answer
file) may not approve it, whoever pressed Submit. Each save is recorded (step_save), the
revision takes the draft's saves over at submission, and its submission event names the
writers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from aia.assessments import lifecycle, services
from aia.assessments.models import Revision, StepSave, System
from aia.audit.models import AuditEvent

from .test_wizard import STEP_ANSWERS, post_step
from .webform import as_fields, submit_data


def _new_system(browser, agency) -> tuple[str, str]:
    page = browser.get("/systems/new").get_data(as_text=True)
    response = browser.post(
        "/systems/new",
        data=submit_data(
            page, {"name": "Benefit triage", "agency": str(agency.id), "questionnaire": "starter:4"}
        ),
    )
    assert response.status_code == 302
    uid = response.headers["Location"].split("/")[2]
    return uid, browser.get(response.headers["Location"]).get_data(as_text=True)


def _write_every_step(browser, uid: str, page: str) -> str:
    for step, answers in STEP_ANSWERS.items():
        response = post_step(browser, uid, step, page, answers)
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:2000])
        page = browser.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    return page


def test_an_approver_who_wrote_the_answers_cannot_approve_what_an_author_submitted(
    app, login, make_agency, make_user, db_session
):
    agency = make_agency()
    approver_browser, author_browser, colleague_browser = (app.test_client() for _ in range(3))
    approver = login("approver", agency, on=approver_browser)
    author = login("author", agency, on=author_browser)
    colleague = login("approver", agency, on=colleague_browser)

    uid, page = _new_system(approver_browser, agency)
    _write_every_step(approver_browser, uid, page)
    review = author_browser.get(f"/systems/{uid}/review").get_data(as_text=True)
    response = author_browser.post(f"/systems/{uid}/review", data=submit_data(review))
    assert response.status_code == 302

    system = db_session.scalar(sa.select(System).where(System.uid == uid))
    revision = db_session.scalar(sa.select(Revision).where(Revision.system_id == system.id))
    saves = db_session.scalars(sa.select(StepSave).where(StepSave.system_id == system.id)).all()
    assert {s.step_key for s in saves} == set(STEP_ANSWERS)
    assert {(s.user_id, s.kind, s.revision_id) for s in saves} == {(approver.id, "form", revision.id)}
    assert services.writer_ids(db_session, revision.id) == [approver.id]
    submitted = db_session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.action == "revision.submitted", AuditEvent.revision_id == revision.id
        )
    )
    assert submitted.actor_id == author.id
    assert submitted.details["writers"] == [{"id": approver.id, "email": approver.email}]

    # The review page says why Approve is not there, and a forged Approve is refused.
    url = f"/systems/{uid}/revisions/1/review"
    page = approver_browser.get(url).get_data(as_text=True)
    assert 'value="approve"' not in page
    assert "You wrote answers of this revision" in page
    assert "Request changes" in page
    refused = approver_browser.post(url, data=submit_data(page, {"decision": "approve"}))
    assert refused.status_code == 409
    assert "You wrote answers of this revision" in refused.get_data(as_text=True)
    db_session.refresh(revision)
    assert revision.status == "submitted"

    # A colleague who wrote nothing approves; the approval names the same revision.
    page = colleague_browser.get(url).get_data(as_text=True)
    assert 'value="approve"' in page and "You wrote answers" not in page
    assert (
        colleague_browser.post(
            url, data=submit_data(page, {"decision": "approve", "confirmed": "yes"})
        ).status_code
        == 302
    )
    db_session.refresh(revision)
    assert revision.status == "approved"
    assert colleague.id not in services.writer_ids(db_session, revision.id)
    # Approved: the review page no longer speaks of approving, and says where it is published.
    page = colleague_browser.get(url).get_data(as_text=True)
    assert 'value="approve"' not in page and "Approving asks you to confirm first" not in page
    assert "is approved: it is published from" in page
    assert f'href="/systems/{uid}/revisions/{revision.number}">its page</a>' in page


def test_every_save_path_records_its_writer(app, login, make_agency, db_session, registry):
    agency = make_agency()
    first, second = app.test_client(), app.test_client()
    writer = login("approver", agency, on=first)
    other = login("author", agency, on=second)
    uid, page = _new_system(first, agency)
    # Save draft, then the autosave of another person.
    assert post_step(first, uid, "about", page, {"decision": "Who is called"}, "save").status_code == 302
    page = second.get(f"/systems/{uid}/draft/triage").get_data(as_text=True)
    autosaved = second.post(
        f"/systems/{uid}/draft/triage",
        data=submit_data(page, as_fields({"affects_rights": "yes"}), "autosave"),
    )
    assert autosaved.get_json()["saved"] is True
    system = db_session.scalar(sa.select(System).where(System.uid == uid))
    rows = db_session.execute(
        sa.select(StepSave.user_id, StepSave.step_key, StepSave.kind)
        .where(StepSave.system_id == system.id)
        .order_by(StepSave.id)
    ).all()
    assert [tuple(r) for r in rows] == [(writer.id, "about", "form"), (other.id, "triage", "autosave")]


def test_answers_carried_from_an_earlier_revision_keep_its_writers(
    app, db_session, make_agency, make_user, make_system, registry
):
    agency = make_agency()
    writer, submitter, approver = (make_user(role, agency) for role in ("approver", "author", "approver"))
    system = make_system(agency=agency)
    definition = registry.latest("starter")
    from .answers import STARTER_COMPLETE

    draft = services.start_draft(db_session, system, definition, STARTER_COMPLETE, actor=writer)
    first = services.submit(db_session, draft, definition, draft.lock_version, actor=submitter)
    assert services.writer_ids(db_session, first.id) == [writer.id]
    with app.test_request_context():
        lifecycle.change_status(db_session, approver, first, "request_changes", "Say more.")
    # The next draft starts from revision 1's answers; the author changes one and submits.
    draft = services.start_draft(db_session, system, definition, actor=submitter, carried_from=first)
    services.save_answers(db_session, draft, {"appeal": "yes"}, "mitigation", draft.lock_version, submitter)
    second = services.submit(db_session, draft, definition, draft.lock_version, actor=submitter)
    assert services.writer_ids(db_session, second.id) == sorted([writer.id, submitter.id])
    with app.test_request_context():
        assert "You wrote answers" in (lifecycle.approval_refusal(db_session, writer, second) or "")
        assert lifecycle.approval_refusal(db_session, approver, second) is None
        assert "approve" not in lifecycle.allowed_actions(db_session, writer, second)
        assert "approve" in lifecycle.allowed_actions(db_session, approver, second)


def test_the_record_of_saves_is_written_once(app, login, make_agency, db_session):
    """The database keeps step_save rows as written: no delete, and no change but the one
    submission makes (the revision the draft became, set once)."""
    agency = make_agency()
    browser = app.test_client()
    login("author", agency, on=browser)
    uid, page = _new_system(browser, agency)
    _write_every_step(browser, uid, page)
    system = db_session.scalar(sa.select(System).where(System.uid == uid))
    save = db_session.scalars(sa.select(StepSave).where(StepSave.system_id == system.id)).first()
    for change in (
        sa.update(StepSave).where(StepSave.id == save.id).values(user_id=None),
        sa.update(StepSave).where(StepSave.id == save.id).values(step_key="other"),
        sa.delete(StepSave).where(StepSave.id == save.id),
    ):
        with pytest.raises(sa.exc.DatabaseError, match="step_save cannot be"), db_session.begin_nested():
            db_session.execute(change)
    review = browser.get(f"/systems/{uid}/review").get_data(as_text=True)
    assert browser.post(f"/systems/{uid}/review", data=submit_data(review)).status_code == 302
    db_session.expire_all()
    revision = db_session.scalar(sa.select(Revision).where(Revision.system_id == system.id))
    assert {
        s.revision_id for s in db_session.scalars(sa.select(StepSave).where(StepSave.system_id == system.id))
    } == {revision.id}
    with pytest.raises(sa.exc.DatabaseError, match="step_save cannot be"), db_session.begin_nested():
        db_session.execute(sa.update(StepSave).where(StepSave.id == save.id).values(revision_id=None))
