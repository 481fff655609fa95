"""Who hears of what by mail: approvers of a revision to decide on, its authors of each
decision, an agency's staff of a message from the public and its sender of the answer; each in
their language, never the person who did it, never someone who turned notifications off.
Mail goes to a real SMTP server the test starts."""

from __future__ import annotations

import pytest

from aia.assessments import lifecycle
from aia.messages import services as messages
from aia.register import services as register

from .smtp import parts
from .webform import submit_data


@pytest.fixture
def agency_people(make_agency, make_user, db_session):
    agency = make_agency(name="Tax Office")
    author = make_user("author", agency, name="Ana")
    approver = make_user("approver", agency, name="Bo")
    quiet = make_user("approver", agency, name="Cy")
    quiet.mail_notifications = False
    other_agency = make_user("approver")
    author.language = "fr"
    db_session.flush()
    return agency, author, approver, quiet, other_agency


def subjects(inbox, user) -> list[str]:
    return [m["Subject"] for m in inbox.to(user.email)]


def test_each_move_of_a_revision_reaches_who_it_concerns(
    app, db_session, smtp, agency_people, make_system, make_revision, make_user, registry
):
    agency, author, approver, quiet, other_agency = agency_people
    auditor = make_user("auditor")
    system = make_system("Benefits <triage>", agency=agency)
    with app.app_context():
        revision = make_revision(system=system, submitted_by=author)
        db_session.commit()
        assert subjects(smtp, approver) == ["Revision 1 of Benefits <triage> awaits a decision"]
        assert subjects(smtp, quiet) == subjects(smtp, other_agency) == subjects(smtp, author) == []

        lifecycle.change_status(db_session, auditor, revision, "request_changes", "Say <b>why</b> & how")
        db_session.commit()
        [sent_back] = smtp.to(author.email)
        assert sent_back["Subject"] == "Modifications demandées pour la révision 1 de Benefits <triage>"
        text, html = parts(sent_back)
        assert "Say <b>why</b> & how" in text and "Say &lt;b&gt;why&lt;/b&gt; &amp; how" in html

    with app.app_context():
        second = make_revision(system=system, submitted_by=author)
        lifecycle.change_status(db_session, approver, second, "approve")
        lifecycle.change_status(db_session, approver, second, "publish")
        lifecycle.change_status(db_session, approver, second, "withdraw", "Replaced")
        db_session.commit()
    assert subjects(smtp, author)[1:] == [
        "Révision 2 de Benefits <triage> approuvée",
        "Révision 2 de Benefits <triage> publiée",
        "Révision 2 de Benefits <triage> retirée",
    ]
    # The approver who decided hears of none of their own decisions (only of the submissions).
    assert subjects(smtp, approver) == [
        "Revision 1 of Benefits <triage> awaits a decision",
        "Revision 2 of Benefits <triage> awaits a decision",
    ]


def test_a_message_from_the_public_reaches_the_staff_and_the_answer_its_sender(
    app, db_session, smtp, agency_people, make_system, make_revision, registry
):
    agency, author, approver, quiet, other_agency = agency_people
    system = make_system("Benefits", agency=agency)
    revision = make_revision(system=system)
    revision.status = "published"
    definition = registry.get(revision.questionnaire_key, revision.questionnaire_version)
    with app.app_context():
        entry = register.record_publication(db_session, revision, definition)
        db_session.commit()
        smtp.messages.clear()
        feedback = register.submit_feedback(
            db_session, entry, "question", "Why <this>?", "citizen@example.org", language="fr"
        )
        db_session.commit()
    assert subjects(smtp, author) == ["Un message du public à propos de Benefits"]
    assert subjects(smtp, approver) == ["A message from the public about Benefits"]
    assert "Why &lt;this&gt;?" in parts(smtp.to(approver.email)[0])[1]
    assert "citizen@example.org" not in str(smtp.to(approver.email)[0])
    with app.app_context():
        messages.handle_feedback(db_session, approver, feedback, "Because <reasons>.")
        db_session.commit()
    [answer] = smtp.to("citizen@example.org")
    assert answer["Subject"] == "Tax Office a répondu à votre message à propos de Benefits"
    text, html = parts(answer)
    assert "Because <reasons>." in text and "Why <this>?" in text
    assert "Because &lt;reasons&gt;." in html


def test_an_answer_the_agency_publishes_is_shown_on_the_entry(
    app, client, login, db_session, smtp, agency_people, make_system, make_revision, registry
):
    agency, author, approver, quiet, other_agency = agency_people
    system = make_system("Benefits", agency=agency)
    revision = make_revision(system=system)
    revision.status = "published"
    definition = registry.get(revision.questionnaire_key, revision.questionnaire_version)
    with app.app_context():
        entry = register.record_publication(db_session, revision, definition)
        shown = register.submit_feedback(
            db_session, entry, "question", "Shown <q>?", "a@example.org", language="en"
        )
        kept = register.submit_feedback(
            db_session, entry, "complaint", "Kept to us", "b@example.org", language="en"
        )
    login(approver)
    for feedback, publish in ((shown, True), (kept, False)):
        page = client.get("/feedback").get_data(as_text=True)
        fields = submit_data(
            page.split(f'action="/feedback/{feedback.id}"', 1)[1].split("</form>", 1)[0] + "</form>"
        )
        fields.update({f"f{feedback.id}-answer": f"Answer to {feedback.id} <b>", "action": "answer"})
        if publish:
            fields[f"f{feedback.id}-publish"] = "y"
        assert client.post(f"/feedback/{feedback.id}", data=fields).status_code == 302
    page = app.test_client().get(f"/register/{system.uid}").get_data(as_text=True)
    assert "Shown &lt;q&gt;?" in page and f"Answer to {shown.id} &lt;b&gt;" in page
    assert "Kept to us" not in page and f"Answer to {kept.id}" not in page
    assert "a@example.org" not in page
    # Both senders are mailed their answer, published or not.
    assert len(smtp.to("a@example.org")) == len(smtp.to("b@example.org")) == 1
