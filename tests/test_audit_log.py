"""The audit log across agencies for auditors (an approver's shows their own agency), with
filters and a CSV export safe to open in a spreadsheet; people by name and events by their
translated names; and no "Resume" link for someone who may not edit."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import sqlalchemy as sa

from aia.assessments import lifecycle
from aia.audit.models import AuditEvent


@pytest.fixture
def two_agencies(app, db_session, make_agency, make_user, make_system, make_revision, make_draft):
    roads = make_agency(slug="roads", name="Roads Agency")
    water = make_agency(slug="water", name="Water Board")
    roads_author = make_user("author", roads, name="Rana Author")
    roads_approver = make_user("approver", roads, name="Rafael Approver")
    water_author = make_user("author", water, name="Wim Author")
    potholes = make_system("Pothole triage", agency=roads)
    leaks = make_system('=HYPERLINK("http://x.example")', agency=water)
    revision = make_revision(system=potholes, submitted_by=roads_author)
    make_revision(system=leaks, submitted_by=water_author)
    with app.app_context():
        lifecycle.change_status(db_session, roads_approver, revision, "request_changes", "@SUM(1) appeals")
    drafting = make_system("Meter reading order", agency=water)
    make_draft(system=drafting)
    return {"roads": roads, "water": water, "roads_approver": roads_approver, "drafting": drafting}


def rows_of(html: str) -> str:
    return html.split('aria-labelledby="log-title"', 1)[-1]


def test_an_auditor_reads_every_agency_and_filters(app, login, two_agencies, client):
    login("auditor")
    page = client.get("/audit").get_data(as_text=True)
    assert "Pothole triage" in rows_of(page) and "Meter reading order" in rows_of(page)
    assert "Requested changes" in page and "revision.changes_requested" not in rows_of(page)
    assert "Rafael Approver" in page
    roads = rows_of(client.get("/audit?agency=roads").get_data(as_text=True))
    assert "Pothole triage" in roads and "Meter reading order" not in roads
    kind = rows_of(client.get("/audit?kind=revision.changes_requested").get_data(as_text=True))
    assert "Pothole triage" in kind and "Submitted revision" not in kind
    named = rows_of(client.get("/audit?system=pothole").get_data(as_text=True))
    assert "Pothole triage" in named and "Meter reading order" not in named
    today = dt.datetime.now(dt.UTC).date()
    dated = rows_of(client.get(f"/audit?from={today}&to={today}").get_data(as_text=True))
    assert "Pothole triage" in dated
    later = rows_of(client.get(f"/audit?from={today + dt.timedelta(days=1)}").get_data(as_text=True))
    assert "Pothole triage" not in later and "No event matches these filters." in later


def test_an_approver_reads_their_own_agency_only(app, login, two_agencies, client):
    login(two_agencies["roads_approver"])
    page = rows_of(client.get("/audit").get_data(as_text=True))
    assert "Pothole triage" in page and "Meter reading order" not in page
    assert "Meter reading order" not in rows_of(client.get("/audit?agency=water").get_data(as_text=True))


def test_the_csv_opens_in_a_spreadsheet_as_text(app, login, two_agencies, client, db_session):
    login("auditor")
    response = client.get("/audit.csv?agency=water")
    assert response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows and {row["agency"] for row in rows} == {"Water Board"}
    assert any(row["system_name"] == '\'=HYPERLINK("http://x.example")' for row in rows)
    assert "Submitted revision" in {row["what"] for row in rows}
    roads = list(
        csv.DictReader(io.StringIO(client.get("/audit.csv?agency=roads").get_data().decode("utf-8-sig")))
    )
    decided = next(row for row in roads if row["code"] == "revision.changes_requested")
    assert decided["reason"] == "'@SUM(1) appeals"
    assert decided["who"] == "Rafael Approver"
    assert decided["recorded_as"] == two_agencies["roads_approver"].email
    ids = db_session.scalars(
        sa.select(AuditEvent.id).where(AuditEvent.agency_id == two_agencies["roads"].id)
    ).all()
    assert sorted(int(row["event"]) for row in roads) == sorted(ids)


def test_the_log_pages_on_by_hundreds(app, login, make_agency, make_user, client):
    agency = make_agency(slug="busy", name="Busy Agency")
    for number in range(105):
        make_user("author", agency, email=f"person{number}@busy.example")
    login("auditor")
    first = client.get("/audit?agency=busy").get_data(as_text=True)
    assert "Older events" in first
    older = first.split('href="/audit?before=', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    second = client.get("/audit?before=" + older).get_data(as_text=True)
    assert "Newest events" in second and "Older events" not in second


def test_history_names_people_not_addresses(app, login, two_agencies, client, db_session):
    login("auditor")
    system = db_session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "revision.changes_requested"))
    from aia.assessments.models import System

    uid = db_session.get(System, system.system_id).uid
    page = client.get(f"/systems/{uid}/history").get_data(as_text=True)
    assert "Rafael Approver" in page
    assert two_agencies["roads_approver"].email not in page


def test_an_auditor_is_not_offered_to_resume_a_draft(app, login, two_agencies, client):
    login("auditor")
    uid = two_agencies["drafting"].uid
    index = client.get("/").get_data(as_text=True)
    assert f"/systems/{uid}/draft/" not in index
    system = client.get(f"/systems/{uid}").get_data(as_text=True)
    assert "Resume the draft" not in system
    author = app.test_client()
    login("author", two_agencies["water"], on=author)
    assert "Resume the draft" in author.get(f"/systems/{uid}").get_data(as_text=True)
