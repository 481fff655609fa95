"""The system's name and description: asked once (the questionnaire's name and purpose
questions start from them), editable by its authors with an audit event, and read by the
register and the report through the questionnaire's declared name role."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from aia.assessments import lifecycle, services
from aia.assessments.models import System
from aia.audit.models import AuditEvent
from aia.publishing import services as publication
from aia.register.models import RegisterEntry
from aia.report.context import report_context
from aia.report.samples import minimal_answers

from .webform import submit_data


@pytest.fixture
def tax_office(make_agency):
    return make_agency(slug="tax", name="Tax Office")


def _events(db_session, system, action):
    return db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.system_id == system.id, AuditEvent.action == action)
    ).all()


def test_the_name_and_description_are_the_first_answers(client, login, tax_office, db_session):
    login("author", tax_office)
    page = client.get("/systems/new").get_data(as_text=True)
    assert "About 10 minutes." in page and "About 180 minutes." in page  # how long each takes
    assert "Not sure which one? Start with the Threshold check" in page
    response = client.post(
        "/systems/new",
        data=submit_data(
            page,
            {
                "name": "Parking permit sorter",
                "agency": str(tax_office.id),
                "description": "Sorts permit requests by urgency.",
                "questionnaire": "ads-impact:5",
            },
        ),
    )
    assert response.status_code == 302
    system = db_session.scalar(sa.select(System).where(System.name == "Parking permit sorter"))
    assert system.draft.answers["system_name"] == "Parking permit sorter"
    assert system.draft.answers["purpose"] == "Sorts permit requests by urgency."
    step = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="Parking permit sorter"' in step


def test_authors_edit_the_name_the_draft_follows_and_the_trail_says_so(
    client, login, make_system, make_draft, tax_office, db_session
):
    system = make_system("Parkign permits", agency=tax_office, description="Sorts requests.")
    draft = make_draft(system=system, key="ads-impact")
    assert draft.answers["system_name"] == "Parkign permits"
    lock = draft.lock_version
    login("author", tax_office)
    form = client.get(f"/systems/{system.uid}/edit").get_data(as_text=True)
    response = client.post(
        f"/systems/{system.uid}/edit",
        data=submit_data(form, {"name": "Parking permits", "description": "Sorts requests."}),
    )
    assert response.status_code == 302
    db_session.refresh(system)
    db_session.refresh(draft)
    assert system.name == "Parking permits"
    assert system.draft.answers["system_name"] == "Parking permits"
    assert system.draft.lock_version == lock + 1  # someone with the step open is told
    (event,) = _events(db_session, system, "system.edited")
    assert event.details == {"name": {"from": "Parkign permits", "to": "Parking permits"}}
    history = client.get(f"/systems/{system.uid}/history").get_data(as_text=True)
    assert "Name or description changed" in history


def test_a_blank_name_is_refused_and_nothing_changes(client, login, make_system, tax_office, db_session):
    system = make_system("Kept name", agency=tax_office)
    login("author", tax_office)
    form = client.get(f"/systems/{system.uid}/edit").get_data(as_text=True)
    response = client.post(f"/systems/{system.uid}/edit", data=submit_data(form, {"name": "  "}))
    assert response.status_code == 422
    assert "Give the system a name." in response.get_data(as_text=True)
    db_session.refresh(system)
    assert system.name == "Kept name"
    assert not _events(db_session, system, "system.edited")


def test_register_and_report_read_the_name_role_and_a_new_publication_carries_a_change(
    app, client, login, make_system, make_user, tax_office, db_session, registry
):
    system = make_system("Letter sorter", agency=tax_office)
    # The full assessment (a threshold check is never published) declares its name question.
    definition = registry.get("ads-impact", 4)
    approver = make_user("approver", tax_office)

    def publish(name: str):
        draft = services.start_draft(db_session, system, definition, minimal_answers(definition))
        draft.answers = {**draft.answers, "system_name": name}  # as typed in the name question
        revision = services.submit(db_session, draft, definition, draft.lock_version)
        with app.app_context():
            lifecycle.change_status(db_session, approver, revision, "approve")
            publication.publish(db_session, approver, revision, "Ready.")
        return revision

    first = publish("Letter sorter for permits")
    assert system.name == "Letter sorter for permits"  # the questionnaire's answer is kept in sync
    with app.test_request_context():
        assert report_context(first, definition)["system"]["name"] == "Letter sorter for permits"
    # Renamed on the system page: the register keeps the published name until a publication.
    services.edit_system(db_session, system, "Permit letter sorter", "", actor=approver)
    entry = client.get(f"/register/{system.uid}").get_data(as_text=True)
    assert "Letter sorter for permits" in entry and "Permit letter sorter" not in entry
    login("author", tax_office)
    edit = client.get(f"/systems/{system.uid}/edit").get_data(as_text=True)
    assert re.search(r"The public register shows \W+Letter sorter for permits", edit)
    second = publish("Permit letter sorter")
    assert second.answers["system_name"] == "Permit letter sorter"
    names = db_session.scalars(
        sa.select(RegisterEntry.name).where(RegisterEntry.system_id == system.id).order_by(RegisterEntry.id)
    ).all()
    assert names == ["Letter sorter for permits", "Permit letter sorter"]
