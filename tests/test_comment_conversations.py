"""Conversations on a review: replies under a reviewer's comment, comments marked resolved
and reopened, and the next revision's review page showing what it answered."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from aia.assessments import lifecycle
from aia.audit.models import AuditEvent
from aia.review import queries, services
from aia.review.models import CommentReply, CommentState

from .answers import HTML_LIKE
from .smtp import parts


@pytest.fixture
def sent_back(db_session, make_agency, make_user, make_system, make_revision):
    """Revision 1 of a system sent back with a comment on an answer and one on the whole."""
    agency = make_agency()
    approver = make_user("approver", agency, name="Ada Approver")
    author = make_user("author", agency, name="Olu Author")
    system = make_system(agency=agency)
    first = make_revision(system=system, submitted_by=author)
    comments = services.review(
        db_session,
        approver,
        first,
        {"purpose": "Say who reads the sorted claims.", None: "Please complete the purpose."},
        "request_changes",
    )
    on_answer = next(c for c in comments if c.question_key == "purpose")
    overall = next(c for c in comments if c.question_key is None)
    return {
        "agency": agency,
        "approver": approver,
        "author": author,
        "system": system,
        "first": first,
        "on_answer": on_answer,
        "overall": overall,
    }


def _events(db_session, action):
    return db_session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_an_author_replies_and_the_reply_is_kept_with_an_audit_event(db_session, sent_back):
    comment = sent_back["on_answer"]
    services.reply(
        db_session, sent_back["author"], sent_back["first"], comment, "  Done: the team reads them.  "
    )
    thread = queries.thread(db_session, comment.id)
    assert [(r.body, r.author.name) for r in thread.replies] == [("Done: the team reads them.", "Olu Author")]
    (event,) = _events(db_session, "comment.replied")
    assert event.details["comment"] == comment.id


def test_an_empty_reply_is_refused(db_session, sent_back):
    with pytest.raises(lifecycle.TransitionRefused):
        services.reply(db_session, sent_back["author"], sent_back["first"], sent_back["on_answer"], "   ")


def test_resolve_and_reopen_are_new_rows_never_edits(db_session, sent_back, make_user):
    comment, author = sent_back["on_answer"], sent_back["author"]
    services.set_resolved(db_session, author, sent_back["first"], comment, True)
    assert queries.thread(db_session, comment.id).resolved
    with pytest.raises(lifecycle.TransitionRefused):
        services.set_resolved(db_session, author, sent_back["first"], comment, True)
    services.set_resolved(db_session, sent_back["approver"], sent_back["first"], comment, False)
    thread = queries.thread(db_session, comment.id)
    assert not thread.resolved and thread.state.actor.name == "Ada Approver"
    assert db_session.scalar(sa.select(sa.func.count()).select_from(CommentState)) == 2
    assert len(_events(db_session, "comment.resolved")) == 1
    assert len(_events(db_session, "comment.reopened")) == 1


def test_who_may_resolve(db_session, sent_back, make_user):
    auditor, other_auditor = make_user("auditor"), make_user("auditor")
    comments = services.add_comments(db_session, auditor, sent_back["first"], {None: "Auditor's note."})
    mine = comments[0]
    assert services.may_resolve(auditor, mine, sent_back["first"])
    assert not services.may_resolve(other_auditor, mine, sent_back["first"])
    assert services.may_reply(other_auditor, sent_back["first"])  # an auditor may reply
    with pytest.raises(lifecycle.NotPermitted):
        services.set_resolved(db_session, other_auditor, sent_back["first"], mine, True)


def test_replies_and_states_are_sealed(db_session, sent_back):
    reply = services.reply(
        db_session, sent_back["author"], sent_back["first"], sent_back["on_answer"], "Yes."
    )
    with pytest.raises(sa.exc.DatabaseError), db_session.begin_nested():
        db_session.execute(sa.update(CommentReply).where(CommentReply.id == reply.id).values(body="No."))


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_author_replies_from_the_drafts_step_page(db_session, client, login, sent_back, make_draft):
    login(sent_back["author"])
    system = sent_back["system"]
    make_draft(system=system)
    page = client.get(f"/systems/{system.uid}/draft/about").get_data(as_text=True)
    comment = sent_back["on_answer"]
    assert f'form="reply-{comment.id}"' in page and f'id="reply-{comment.id}"' in page
    url = f"/systems/{system.uid}/revisions/1/comments/{comment.id}/reply"
    response = client.post(
        url,
        data={"csrf_token": _csrf(page), "body": HTML_LIKE, "back": f"/systems/{system.uid}/draft/about"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/systems/{system.uid}/draft/about#comment-{comment.id}")
    page = client.get(f"/systems/{system.uid}/draft/about").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Olu Author" in page


def test_resolve_and_reopen_on_the_review_page(db_session, client, login, sent_back):
    login(sent_back["approver"])
    system, comment = sent_back["system"], sent_back["overall"]
    page = client.get(f"/systems/{system.uid}/revisions/1/review").get_data(as_text=True)
    url = f"/systems/{system.uid}/revisions/1/comments/{comment.id}/resolved"
    response = client.post(url, data={"csrf_token": _csrf(page), "resolved": "yes", "back": "//evil.example"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/systems/{system.uid}/revisions/1/review#comment-{comment.id}"
    )
    page = client.get(f"/systems/{system.uid}/revisions/1/review").get_data(as_text=True)
    assert "Resolved by Ada Approver on" in page and "Reopen" in page
    client.post(url, data={"csrf_token": _csrf(page), "resolved": "no"})
    page = client.get(f"/systems/{system.uid}/revisions/1/review").get_data(as_text=True)
    assert "Reopened by Ada Approver on" in page and "Mark resolved" in page


def test_a_foreign_agency_gets_404_and_a_wrong_comment_404(
    db_session, client, login, sent_back, make_revision
):
    system, comment = sent_back["system"], sent_back["on_answer"]
    login("approver")
    page = client.get("/account/password").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    url = f"/systems/{system.uid}/revisions/1/comments/{comment.id}/reply"
    assert client.post(url, data={"csrf_token": token, "body": "Hi"}).status_code == 404
    other = make_revision()
    own = f"/systems/{other.system.uid}/revisions/1/comments/{comment.id}/reply"
    assert client.post(own, data={"csrf_token": token, "body": "Hi"}).status_code == 404
    assert not db_session.scalars(sa.select(CommentReply)).all()


def test_the_next_revision_shows_the_comments_it_answered(
    db_session, client, login, sent_back, make_revision
):
    services.reply(db_session, sent_back["author"], sent_back["first"], sent_back["on_answer"], "Changed it.")
    services.set_resolved(db_session, sent_back["author"], sent_back["first"], sent_back["on_answer"], True)
    system = sent_back["system"]
    second = make_revision(system=system, answers={"purpose": "Sorts claims; the review team reads them."})
    assert second.number == 2
    earlier, rows = queries.answered_comments(db_session, second)
    assert earlier.number == 1
    assert {(r["key"], r["changed"]) for r in rows} == {("purpose", True), (None, None)}
    login(sent_back["approver"])
    page = client.get(f"/systems/{system.uid}/revisions/2/review").get_data(as_text=True)
    section = page.split('id="answered-title"')[1].split("</section>")[0]
    assert "Comments on revision 1" in section
    assert "This answer changed in revision 2." in section
    assert "Changed it." in section and "Resolved by Olu Author on" in section
    assert "Please complete the purpose." in section and "Open." in section


def test_an_unchanged_answer_is_marked_so(db_session, sent_back, make_revision):
    second = make_revision(system=sent_back["system"])
    _, rows = queries.answered_comments(db_session, second)
    assert ("purpose", False) in {(r["key"], r["changed"]) for r in rows}


def test_a_reply_mails_the_conversation_but_not_who_wrote_it(app, db_session, sent_back, make_user, smtp):
    """The comment's writer hears of a reply, and so does each earlier replier, by mail with
    both texts and a link to the comment; the replier does not hear of their own."""
    approver, author = sent_back["approver"], sent_back["author"]
    colleague = make_user("author", sent_back["agency"], name="Kim Colleague")
    comment = sent_back["on_answer"]
    with app.app_context():
        db_session.commit()  # the submission's and the decision's mail go out
        smtp.messages.clear()
        services.reply(db_session, author, sent_back["first"], comment, "The <team> reads them & signs.")
        db_session.commit()
        [first] = smtp.to(approver.email)
        assert (
            first["Subject"] == f"Olu Author replied to a comment on revision 1 of {sent_back['system'].name}"
        )
        text, html = parts(first)
        assert "Say who reads the sorted claims." in text and "The <team> reads them & signs." in text
        assert "The &lt;team&gt; reads them &amp; signs." in html and "<team>" not in html
        assert f"/systems/{sent_back['system'].uid}/revisions/1#comment-{comment.id}" in text
        assert smtp.to(author.email) == []
        services.reply(db_session, colleague, sent_back["first"], comment, "Agreed.")
        db_session.commit()
    assert len(smtp.to(approver.email)) == 2 and len(smtp.to(author.email)) == 1
    assert smtp.to(colleague.email) == []


def test_the_reply_mail_is_in_the_reader_s_language(app, db_session, sent_back, smtp):
    sent_back["approver"].language = "fr"
    with app.app_context():
        db_session.commit()
        smtp.messages.clear()
        services.reply(
            db_session, sent_back["author"], sent_back["first"], sent_back["overall"], "C'est fait."
        )
        db_session.commit()
    [message] = smtp.to(sent_back["approver"].email)
    assert message["Subject"].startswith("Olu Author a répondu à un commentaire sur la révision 1 de ")
    text, _ = parts(message)
    assert "Le commentaire :" in text and "La réponse :" in text and "C'est fait." in text


def test_a_revision_s_threads_load_together_as_each_does_alone(db_session, sent_back):
    """What a page reads in two queries for all its comments is what each comment's own
    thread holds: replies in order, and the latest mark."""
    first, on_answer, overall = sent_back["first"], sent_back["on_answer"], sent_back["overall"]
    services.reply(db_session, sent_back["author"], first, on_answer, "One.")
    services.reply(db_session, sent_back["approver"], first, on_answer, "Two.")
    services.set_resolved(db_session, sent_back["approver"], first, on_answer, True)
    services.set_resolved(db_session, sent_back["approver"], first, on_answer, False)
    together = queries.threads_of_revision(db_session, first.id)
    assert set(together) == {on_answer.id, overall.id}
    for comment in (on_answer, overall):
        alone = queries.thread(db_session, comment.id)
        assert [r.id for r in together[comment.id].replies] == [r.id for r in alone.replies]
        assert together[comment.id].state == alone.state
    assert [r.body for r in together[on_answer.id].replies] == ["One.", "Two."]
    assert together[on_answer.id].state is not None and not together[on_answer.id].resolved
