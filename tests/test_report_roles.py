"""The report and the register find answers only through the roles a questionnaire declares.
A questionnaire that declares none still renders a report and publishes, and the report says
what it leaves out; a revision of a version 1 file renders with the roles version 2 lends it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from aia.assessments import lifecycle, services
from aia.engine import Registry, parse_definition
from aia.publishing import services as publishing
from aia.questionnaires import FOLDER
from aia.register import services as register_services
from aia.register.models import RegisterEntry
from aia.report.samples import rich_answers

from .awkward_keys import AWKWARD, SAVED
from .test_report_helpers import build, flat, pdf_text


@pytest.fixture
def people(make_agency, make_user):
    home = make_agency()
    return {"agency": home, "author": make_user("author", home), "approver": make_user("approver", home)}


@pytest.fixture
def without_roles(app, monkeypatch):
    """A questionnaire that declares no roles (the awkward keys one), installed for the test."""
    definition = parse_definition(AWKWARD, "awkward-keys-v1.yaml")
    assert not definition.roles.declared()
    shipped = Registry.from_folder(FOLDER).all()
    monkeypatch.setitem(app.extensions, "aia.questionnaires", Registry([*shipped, definition]))
    return definition


def submitted(db_session, system, definition, answers, actor=None):
    draft = services.start_draft(db_session, system, definition, answers)
    return services.submit(db_session, draft, definition, draft.lock_version, actor=actor)


def test_a_questionnaire_without_roles_renders_and_publishes(
    app, client, db_session, people, make_system, without_roles
):
    system = make_system(name="Without roles", agency=people["agency"])
    revision = submitted(db_session, system, without_roles, SAVED, people["author"])
    with app.app_context():
        lifecycle.change_status(db_session, people["approver"], revision, "approve")
        publishing.publish(db_session, people["approver"], revision)
    assert revision.status == "published"
    stored = Path(app.config["REPORT_DIR"]) / f"{revision.pdf_sha256}.pdf"
    text = flat(pdf_text(stored.read_bytes()))
    assert (
        "Not in this report: the summary of what the system does; the charter commitments; "
        "the plans for further measures; the sign-off. The questionnaire answered (Keys "
        "that are names of the form's own, version 1) does not say which of its questions "
        "give them; every answer is listed under “All answers”."
    ) in text
    assert "Charter commitments" not in text and "Sign-off" not in text
    assert "Meta label A name" in text  # the answers are all there

    entry = db_session.scalar(sa.select(RegisterEntry).where(RegisterEntry.system_id == system.id))
    assert (entry.details["decision"], entry.details["summary"], entry.details["contact"]) == (
        None,
        None,
        None,
    )
    page = client.get(f"/register/{system.uid}").get_data(as_text=True)
    assert "Not given" in page and "Decision it takes or supports" not in page


def test_the_register_reads_the_declared_questions(db_session, make_system, registry):
    definition = registry.latest("ads-impact")
    answers = rich_answers(definition, 200)
    revision = submitted(db_session, make_system(), definition, answers)
    details = register_services.entry_details(revision, definition)
    assert details["decision"] == answers["decision_supported"]
    assert details["summary"] == answers["purpose"]
    assert details["contact"] == answers["public_contact"]
    assert register_services.entry_details(revision, None)["contact"] is None


@pytest.mark.parametrize("key", ["starter", "ads-impact"])
def test_a_version_1_revision_renders_with_the_lent_roles(app, db_session, make_system, registry, key):
    definition = registry.get(key, 1)
    revision = submitted(
        db_session, make_system(name=f"Old {key}"), definition, rich_answers(definition, 200)
    )
    assert (revision.questionnaire_key, revision.questionnaire_version) == (key, 1)
    text = flat(pdf_text(build(app, db_session, revision)))
    assert "The decision it takes or supports" in text
    assert "Questions from the public to" in text
    if key == "ads-impact":
        assert "Charter commitments" in text and "Human oversight Status:" in text
        assert "Not in this report" not in text
    else:
        assert "Not in this report: the charter commitments; the sign-off." in text
