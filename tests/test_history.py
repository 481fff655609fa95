"""A system's history and trail, two revisions side by side, and who sees which systems."""

from __future__ import annotations

import pytest

from aia.assessments import lifecycle


@pytest.fixture
def two_revisions(db_session, make_agency, make_user, make_system, make_revision):
    agency = make_agency(name="Tax Office")
    author, approver = make_user("author", agency), make_user("approver", agency)
    system = make_system(name="Fraud triage", agency=agency)
    first = make_revision(system=system, submitted_by=author)
    lifecycle.change_status(db_session, approver, first, "request_changes", "Say who hears appeals.")
    make_revision(system=system, submitted_by=author, answers={"appeal": "yes", "harm_impact": "high"})
    return system, author, approver


def test_history_lists_revisions_scores_and_who_did_what(client, login, two_revisions):
    system, author, approver = two_revisions
    login("auditor")
    html = client.get(f"/systems/{system.uid}/history").get_data(as_text=True)
    assert html.count("Revision 1") >= 1 and "Revision 2" in html
    assert "Changes requested" in html and "Submitted" in html
    # People by their names, not their addresses.
    assert author.name in html and approver.name in html
    assert author.email not in html and approver.email not in html
    assert "Say who hears appeals." in html
    assert "Requested changes" in html


def test_compare_highlights_changed_answers_and_scores(client, login, two_revisions):
    system, author, _ = two_revisions
    login(author)
    response = client.get(f"/systems/{system.uid}/compare?from=1&to=2")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 answers changed" in html
    # the changed rows carry the mark; an unchanged answer does not
    appeal = html[html.index("Can people affected appeal") :][:400]
    assert "<mark>" in appeal and "<del>" in appeal
    decision = html[html.index("Which decision does the system take") :][:400]
    assert "<mark>" not in decision
    assert "Charter risk rating" in html
    assert client.get(f"/systems/{system.uid}/compare").status_code == 200  # last two
    assert client.get(f"/systems/{system.uid}/compare?from=1&to=9").status_code == 404


def test_lists_show_only_ones_own_agency(client, login, make_system, make_revision, make_agency):
    mine, theirs = make_agency(), make_agency()
    make_revision(system=make_system(name="Our system", agency=mine))
    make_revision(system=make_system(name="Their system", agency=theirs))
    login("approver", mine)
    for url in ("/", "/review"):
        html = client.get(url).get_data(as_text=True)
        assert "Our system" in html and "Their system" not in html


def test_an_auditor_sees_every_agency(client, login, make_system, make_revision, make_agency):
    make_revision(system=make_system(name="Our system", agency=make_agency()))
    make_revision(system=make_system(name="Their system", agency=make_agency()))
    login("auditor")
    for url in ("/", "/review"):
        html = client.get(url).get_data(as_text=True)
        assert "Our system" in html and "Their system" in html


def test_another_agency_gets_404_and_no_data_for_every_object(
    client, login, db_session, two_revisions, make_draft, make_system
):
    system, _, _ = two_revisions
    draft_system = make_system(name="Fraud drafts", agency=system.agency)
    make_draft(system=draft_system)
    login("approver")  # of another agency
    urls = [
        f"/systems/{system.uid}",
        f"/systems/{system.uid}/revisions/1",
        f"/systems/{system.uid}/revisions/1/report.pdf",
        f"/systems/{system.uid}/revisions/2/review",
        f"/systems/{system.uid}/history",
        f"/systems/{system.uid}/compare?from=1&to=2",
        f"/systems/{draft_system.uid}/draft/about",
        f"/systems/{draft_system.uid}/review",
    ]
    for url in urls:
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 404, url
        assert "Fraud" not in html and system.agency.name not in html, url
