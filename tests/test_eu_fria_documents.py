"""A revision of the fundamental rights impact assessment: its page shows whether it is required,
the risk register, the matrix and the duties; the notification and the EU database registration
are JSON documents valid against our own schemas (docs/), prefilled from the revision; the date
the notification was sent is recorded beside the revision, as an audit event."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa

from aia.assessments import fria, services
from aia.audit.models import AuditEvent
from aia.seed import JOB_MATCHING

from .webform import assert_shown_escaped

DOCS = Path(__file__).resolve().parents[1] / "docs"
NOTIFICATION = json.loads((DOCS / "fria-notification.schema.json").read_text(encoding="utf-8"))
REGISTRATION = json.loads((DOCS / "eu-database-registration.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def fria_revision(db_session, make_draft, registry, make_agency, make_system, login):
    agency = make_agency()
    login("approver", agency)
    system = make_system(agency=agency, name="Job matching")
    rows = [{**JOB_MATCHING["risk_register"][0], "measures": "Checks <script>by age</script>"}]
    answers = {**JOB_MATCHING, "risk_register": rows + JOB_MATCHING["risk_register"][1:]}
    draft = make_draft(answers, system=system, key="eu-fria")
    definition = registry.get("eu-fria", 1)
    revision = services.submit(db_session, draft, definition, draft.lock_version)
    db_session.flush()
    return revision


def url(revision, tail: str = "") -> str:
    return f"/systems/{revision.system.uid}/revisions/{revision.number}{tail}"


def validated(schema: dict, document: dict) -> dict:
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(document)] == []
    return document


def test_the_revision_page_shows_the_assessment(client, fria_revision):
    page = client.get(url(fria_revision)).get_data(as_text=True)
    assert "A fundamental rights impact assessment is required." in page
    assert "The deployer is a body governed by public law." in page
    assert "Rating (the worst remaining risk): <strong>Medium</strong>" in page
    assert "Article 21: non-discrimination" in page
    assert "Likely (3) x Serious (3) = 9" in page
    assert "Notify the market surveillance authority (Article 27(3)): <strong>To do</strong>" in page
    assert "Registration in the EU database (Article 49(3)): <strong>To do</strong>" in page
    assert "No date of notification is recorded yet." in page
    assert "Charter risk rating" not in page  # it rates rights, not the charter's risk
    assert_shown_escaped(page, "Checks <script>by age</script>", "the risk register")


def test_the_notification_is_valid_and_holds_the_six_elements(client, fria_revision):
    response = client.get(url(fria_revision, "/fria/notification.json"))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    document = validated(NOTIFICATION, response.get_json())
    assert document["applicability"]["outcome"] == "required"
    assert document["rating"] == "medium" and len(document["risk_register"]) == 3
    assert list(document["elements"]) == [
        "a_processes",
        "b_period_and_frequency",
        "c_people_affected",
        "d_risks_of_harm",
        "e_human_oversight",
        "f_when_a_risk_materialises",
    ]
    risks = {a["question"]: a["answer"] for a in document["elements"]["d_risks_of_harm"]["answers"]}
    assert risks["risk_register"][0]["right"] == "Article 21: non-discrimination"
    assert document["deployer"]["contact"] == "fria@employment.example"
    assert document["sent_on"] is None


def test_the_date_sent_is_recorded_beside_the_revision(client, fria_revision, db_session):
    from .webform import submit_data

    page = client.get(url(fria_revision)).get_data(as_text=True)
    sha_before = fria_revision.sha256
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        url(fria_revision, "/fria/notified"), data=submit_data(page, {"sent_on": tomorrow})
    )
    assert response.status_code == 422
    assert "The date cannot be in the future." in response.get_data(as_text=True)
    today = dt.date.today().isoformat()
    response = client.post(url(fria_revision, "/fria/notified"), data=submit_data(page, {"sent_on": today}))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"sent to the market surveillance authority on {today}" in page
    document = client.get(url(fria_revision, "/fria/notification.json")).get_json()
    assert validated(NOTIFICATION, document)["sent_on"] == today
    event = db_session.scalars(sa.select(AuditEvent).where(AuditEvent.action == fria.NOTIFIED)).one()
    assert event.revision_id == fria_revision.id and event.details == {"sent_on": today}
    db_session.refresh(fria_revision)
    assert fria_revision.sha256 == sha_before  # the revision itself is unchanged


def test_the_registration_is_prefilled_and_valid(client, fria_revision):
    document = validated(REGISTRATION, client.get(url(fria_revision, "/fria/registration.json")).get_json())
    assert document["deployer"] == {
        "name": "Public Employment Service",
        "address": "1 Work Street\n1000 Capital City",
        "contact": "fria@employment.example",
    }
    assert document["submitted_by"] == "Head of digital services"
    assert document["provider_entry_url"] == "https://ai-database.example.eu/systems/0000-demo"
    assert document["fria_summary"].startswith("Three risks;")
    assert document["dpia_summary"].startswith("The jobseeker's file")


def test_no_registration_for_a_deployer_that_is_not_public(
    client, db_session, make_draft, make_system, registry, fria_revision
):
    answers = {**JOB_MATCHING, "deployer_kind": "public_service"}
    system = make_system(agency=fria_revision.system.agency, name="Another")
    draft = make_draft(answers, system=system, key="eu-fria")
    revision = services.submit(db_session, draft, registry.get("eu-fria", 1), draft.lock_version)
    assert client.get(url(revision, "/fria/registration.json")).status_code == 404
    assert client.get(url(revision, "/fria/notification.json")).status_code == 200
    assert "The EU database registration (JSON)" not in client.get(url(revision)).get_data(as_text=True)


def test_documents_of_another_questionnaire_are_not_found(
    client, make_revision, make_system, make_agency, login
):
    agency = make_agency()
    login("author", agency)
    revision = make_revision(system=make_system(agency=agency))
    assert client.get(url(revision)).status_code == 200
    assert "Fundamental rights impact assessment" not in client.get(url(revision)).get_data(as_text=True)
    for tail in ("/fria/notification.json", "/fria/registration.json"):
        assert client.get(url(revision, tail)).status_code == 404


def test_the_register_entry_shows_the_fria_its_rating_and_the_notification_date(
    app, client, db_session, fria_revision, make_user
):
    from aia.assessments import lifecycle
    from aia.publishing import services as publishing

    approver = make_user("approver", fria_revision.system.agency)
    with app.app_context():  # approved and published as an approver does
        lifecycle.change_status(db_session, approver, fria_revision, "approve")
        publishing.publish(db_session, approver, fria_revision)
    db_session.flush()
    register_url = f"/register/{fria_revision.system.uid}"
    page = client.get(register_url).get_data(as_text=True)
    assert "Fundamental rights impact assessment" in page
    assert "A fundamental rights impact assessment is required." in page
    assert "Rating (the worst remaining risk): <strong>Medium</strong>" in page
    assert "No date of notification is recorded yet." in page
    assert "Charter risk rating" not in page  # it rates rights, not the charter's risk
    fria.record_notified(db_session, fria_revision, dt.date(2026, 11, 30), approver)
    page = client.get(register_url).get_data(as_text=True)
    assert "sent to the market surveillance authority on 2026-11-30" in page


def test_the_open_data_carries_the_fria_outcome_and_rating(app, client, db_session, fria_revision, make_user):
    """The entry's JSON, the register's JSON and its CSV say that a FRIA was required and its
    rating; the entry's JSON stays valid against the published schema."""
    import csv
    import io

    import jsonschema

    from aia.assessments import lifecycle
    from aia.publishing import services as publishing
    from aia.register.exports import SCHEMA_PATH

    approver = make_user("approver", fria_revision.system.agency)
    with app.app_context():
        lifecycle.change_status(db_session, approver, fria_revision, "approve")
        publishing.publish(db_session, approver, fria_revision)
    db_session.flush()
    uid = fria_revision.system.uid
    document = client.get(f"/register/{uid}.json").get_json()
    assert document["fria"] == {"outcome": "required", "rating": "medium"}
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    [listed] = [e for e in client.get("/register.json").get_json()["entries"] if e["id"] == uid]
    assert listed["fria"] == document["fria"]
    rows = list(
        csv.DictReader(io.StringIO(client.get("/register.csv").get_data(as_text=True).lstrip("\ufeff")))
    )
    [row] = [r for r in rows if r["id"] == uid]
    assert (row["fria_outcome"], row["fria_rating"]) == ("required", "medium")
