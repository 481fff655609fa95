"""Revisions are immutable, hashed and held so by the database (the migrations are tested in
test_migrations.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from aia.assessments.models import Revision
from aia.db import now_utc
from aia.engine import content_hash


def test_revision_hash_is_sha256_of_canonical_json(make_revision):
    revision = make_revision()
    assert len(revision.sha256) == 64
    assert revision.sha256 == content_hash(revision.hashed_document())
    assert revision.hashed_document()["questionnaire"]["key"] == "starter"


def test_revision_numbers_follow_each_other(make_revision, make_system):
    system = make_system()
    first = make_revision(system=system, status="changes_requested")  # so a new draft may start
    second = make_revision(system=system, answers={"appeal": "yes"})
    assert (first.number, second.number) == (1, 2)
    assert first.sha256 != second.sha256


@pytest.mark.parametrize(
    "column, value",
    [
        ("answers", {"decision": "rewritten"}),
        ("scores", {"impact_level": 1}),
        ("sha256", "0" * 64),
        ("impact_level", 1),
    ],
)
def test_database_refuses_to_change_a_revision(db_session, make_revision, column, value):
    revision = make_revision()
    with pytest.raises(DBAPIError, match="cannot be changed"):
        with db_session.begin_nested():
            db_session.execute(sa.update(Revision).where(Revision.id == revision.id).values({column: value}))


def test_database_refuses_to_delete_a_revision(db_session, make_revision):
    revision = make_revision()
    with pytest.raises(DBAPIError, match="cannot be deleted"):
        with db_session.begin_nested():
            db_session.execute(sa.delete(Revision).where(Revision.id == revision.id))


def test_status_may_change_but_only_to_a_known_state(db_session, make_revision):
    revision = make_revision()
    with db_session.begin_nested():
        db_session.execute(sa.update(Revision).where(Revision.id == revision.id).values(status="approved"))
    with pytest.raises(DBAPIError):
        with db_session.begin_nested():
            db_session.execute(sa.update(Revision).where(Revision.id == revision.id).values(status="lost"))


def test_datetimes_are_utc_aware(db_session, make_revision):
    revision = make_revision()
    db_session.expire_all()
    loaded = db_session.get(Revision, revision.id)
    assert loaded.submitted_dt.utcoffset().total_seconds() == 0
    assert abs((now_utc() - loaded.submitted_dt).total_seconds()) < 300


def test_a_stored_reports_hash_is_written_once(db_session, make_revision):
    revision = make_revision()
    with db_session.begin_nested():  # the first time, at publication: allowed
        db_session.execute(sa.update(Revision).where(Revision.id == revision.id).values(pdf_sha256="a" * 64))
    with pytest.raises(DBAPIError, match="hash of a stored report cannot be changed"):
        with db_session.begin_nested():
            db_session.execute(
                sa.update(Revision).where(Revision.id == revision.id).values(pdf_sha256="b" * 64)
            )
    with pytest.raises(DBAPIError, match="hash of a stored report cannot be changed"):
        with db_session.begin_nested():
            db_session.execute(sa.update(Revision).where(Revision.id == revision.id).values(pdf_sha256=None))


def test_review_comments_stay_as_written(db_session, make_revision, make_user):
    from aia.review.models import Comment

    revision = make_revision()
    comment = Comment(
        revision_id=revision.id,
        question_key=None,
        author_id=make_user("auditor").id,
        body="Please explain the appeal route.",
    )
    db_session.add(comment)
    db_session.flush()
    with pytest.raises(DBAPIError, match="cannot be changed"):
        with db_session.begin_nested():
            db_session.execute(sa.update(Comment).where(Comment.id == comment.id).values(body="Rewritten."))
    with pytest.raises(DBAPIError, match="cannot be (changed or )?deleted"):
        with db_session.begin_nested():
            db_session.execute(sa.delete(Comment).where(Comment.id == comment.id))


def test_a_register_entrys_report_hash_is_written_once(db_session, make_revision, registry):
    from aia.register.models import RegisterEntry
    from aia.register.services import record_publication

    revision = make_revision(status="published", pdf_sha256="a" * 64)
    definition = registry.get(revision.questionnaire_key, revision.questionnaire_version)
    entry = record_publication(db_session, revision, definition)
    assert entry.pdf_sha256 == "a" * 64
    for value in ("b" * 64, None):
        with pytest.raises(DBAPIError, match="report hash of a register entry cannot be changed"):
            with db_session.begin_nested():
                db_session.execute(
                    sa.update(RegisterEntry).where(RegisterEntry.id == entry.id).values(pdf_sha256=value)
                )
    with db_session.begin_nested():  # the rest of the entry follows its state
        db_session.execute(
            sa.update(RegisterEntry)
            .where(RegisterEntry.id == entry.id)
            .values(state="withdrawn", ended_dt=now_utc(), withdrawal_reason="x")
        )


def test_a_register_entry_keeps_no_copy_of_the_answers(db_session, make_revision, registry):
    from aia.register.services import record_publication

    revision = make_revision(status="published", pdf_sha256="a" * 64)
    definition = registry.get(revision.questionnaire_key, revision.questionnaire_version)
    entry = record_publication(db_session, revision, definition)
    assert "answers" not in entry.details
    assert entry.details["decision"] == revision.answers["decision"]
