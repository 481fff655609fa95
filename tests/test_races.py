"""Lost races through the real pages: two people submitting one draft, one saving a step while
the other submits, two reviewers deciding at once, and review forms that expired. Each loser
gets a clear message and a 409 (or 400), keeps what they typed on screen, and nothing of
theirs is half-written."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from aia.assessments.models import Draft, Revision
from aia.review.models import Comment

from .answers import STARTER_COMPLETE
from .webform import answers_in, as_fields, form_values, submit_data


@pytest.fixture
def office(make_agency, make_user):
    agency = make_agency(name="Revenue Office")
    return {
        "agency": agency,
        "ana": make_user("author", agency, name="Ana"),
        "bo": make_user("author", agency, name="Bo"),
        "approver": make_user("approver", agency),
        "auditor": make_user("auditor"),
    }


@pytest.fixture
def colleague(app, login, office):
    """A second browser, signed in as Bo."""
    other = app.test_client()
    login(office["bo"], on=other)
    return other


def revisions_of(db_session, system) -> list[Revision]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(Revision).where(Revision.system_id == system.id)))


def test_two_people_submitting_one_draft_make_one_revision(
    client, colleague, db_session, login, office, make_system, make_draft
):
    system = make_system(agency=office["agency"])
    make_draft(STARTER_COMPLETE, system=system)
    login(office["ana"])
    mine = client.get(f"/systems/{system.uid}/review").get_data(as_text=True)
    theirs = colleague.get(f"/systems/{system.uid}/review").get_data(as_text=True)
    assert colleague.post(f"/systems/{system.uid}/review", data=submit_data(theirs)).status_code == 302
    response = client.post(f"/systems/{system.uid}/review", data=submit_data(mine))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else submitted this draft at the same time: it became revision 1" in html
    assert [r.number for r in revisions_of(db_session, system)] == [1]


def test_a_step_saved_while_a_colleague_submits_keeps_the_typing(
    client, colleague, db_session, login, office, make_system, make_draft
):
    system = make_system(agency=office["agency"])
    make_draft(STARTER_COMPLETE, system=system)
    login(office["ana"])
    step = client.get(f"/systems/{system.uid}/draft/about").get_data(as_text=True)
    review = colleague.get(f"/systems/{system.uid}/review").get_data(as_text=True)
    assert colleague.post(f"/systems/{system.uid}/review", data=submit_data(review)).status_code == 302
    typed = "Ranks claims; a person decides every one. Typed after the submission."
    response = client.post(
        f"/systems/{system.uid}/draft/about", data=submit_data(step, as_fields({"purpose": typed}), "save")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else submitted this draft while you were editing it" in html
    assert "revision 1" in html
    assert [v.strip() for v in answers_in(html)["purpose"]] == [typed]
    [revision] = revisions_of(db_session, system)
    assert revision.answers["purpose"] == STARTER_COMPLETE["purpose"]
    assert db_session.scalar(sa.select(Draft).where(Draft.system_id == system.id)) is None


def test_a_submit_after_a_colleagues_save_is_refused_with_their_answers(
    client, colleague, db_session, login, office, make_system, make_draft
):
    system = make_system(agency=office["agency"])
    make_draft(STARTER_COMPLETE, system=system)
    login(office["ana"])
    review = client.get(f"/systems/{system.uid}/review").get_data(as_text=True)
    step = colleague.get(f"/systems/{system.uid}/draft/about").get_data(as_text=True)
    assert (
        colleague.post(
            f"/systems/{system.uid}/draft/about",
            data=submit_data(step, as_fields({"purpose": "Changed by Bo."}), "save"),
        ).status_code
        == 302
    )
    response = client.post(f"/systems/{system.uid}/review", data=submit_data(review))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this draft after you opened this page" in html
    assert "Changed by Bo." in html  # the page now shows the answers that would be submitted
    assert revisions_of(db_session, system) == []


def test_submitting_a_draft_removed_meanwhile_writes_nothing(
    app, db_session, registry, office, make_system, make_draft
):
    """The compare-and-set itself: the loser's draft object is stale (it was loaded before
    the winner removed the row), and submitting it writes nothing."""
    from aia.assessments import services

    system = make_system(agency=office["agency"])
    draft = make_draft(STARTER_COMPLETE, system=system)
    definition = registry.get(draft.questionnaire_key, draft.questionnaire_version)
    # The winner removes the draft row behind this session's back (as another connection
    # would), leaving this session's draft object as it was.
    with db_session.begin_nested():
        db_session.execute(
            sa.delete(Draft).where(Draft.id == draft.id).execution_options(synchronize_session=False)
        )
    with app.app_context(), pytest.raises(services.DraftGone):
        services.submit(db_session, draft, definition, draft.lock_version, actor=office["ana"])
    assert revisions_of(db_session, system) == []


@pytest.fixture
def submitted(db_session, office, make_system, make_revision):
    system = make_system(agency=office["agency"])
    return system, make_revision(system=system, submitted_by=office["ana"])


def test_a_decision_taken_meanwhile_refuses_the_other_and_keeps_their_comments_on_screen(
    app, client, db_session, login, office, submitted
):
    system, revision = submitted
    auditor = app.test_client()
    login(office["auditor"], on=auditor)
    login(office["approver"])
    url = f"/systems/{system.uid}/revisions/1/review"
    mine = client.get(url).get_data(as_text=True)
    theirs = auditor.get(url).get_data(as_text=True)
    assert (
        auditor.post(
            url,
            data=submit_data(
                theirs, {"overall": "The appeal route is missing.", "decision": "request_changes"}
            ),
        ).status_code
        == 302
    )
    typed = "Looks complete to me."
    response = client.post(url, data=submit_data(mine, {"overall": typed, "decision": "approve"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "no longer possible" in html or "meanwhile" in html
    assert [v.strip() for v in form_values(html)["overall"]] == [typed]
    db_session.expire_all()
    assert db_session.get(Revision, revision.id).status == "changes_requested"
    bodies = db_session.scalars(sa.select(Comment.body).where(Comment.revision_id == revision.id))
    assert list(bodies) == ["The appeal route is missing."]


def test_an_expired_review_form_saves_nothing_and_keeps_the_comments(
    client, db_session, login, office, submitted
):
    system, revision = submitted
    login(office["auditor"])
    url = f"/systems/{system.uid}/revisions/1/review"
    page = client.get(url).get_data(as_text=True)
    typed = "Who checks the ranking each month?"
    response = client.post(
        url, data=submit_data(page, {"overall": typed, "csrf_token": "stale", "decision": "request_changes"})
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The form expired" in html
    assert [v.strip() for v in form_values(html)["overall"]] == [typed]
    db_session.expire_all()
    assert db_session.get(Revision, revision.id).status == "submitted"
    assert (
        db_session.scalar(
            sa.select(sa.func.count()).select_from(Comment).where(Comment.revision_id == revision.id)
        )
        == 0
    )


@pytest.mark.parametrize("action", ["publish", "withdraw"])
def test_an_expired_publish_or_withdraw_form_does_nothing(
    client, db_session, login, office, submitted, action
):
    system, revision = submitted
    login(office["approver"])
    response = client.post(
        f"/systems/{system.uid}/revisions/1/{action}",
        data={"csrf_token": "stale", "reason": "Switched off."},
        follow_redirects=True,
    )
    assert response.status_code == 200  # the revision page, after the 400 redirect
    assert "The form expired: nothing was done" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Revision, revision.id).status == "submitted"
