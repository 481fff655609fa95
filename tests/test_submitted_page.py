"""The page after Submit: its own address, what happens next (the agency's approvers review the
revision), what the author can do meanwhile; the same on a reload, and where it stands later."""

from __future__ import annotations

import pytest

from aia.assessments import lifecycle

from .answers import STARTER_COMPLETE
from .webform import submit_data


@pytest.fixture
def agency(make_agency):
    return make_agency(name="Roads Office")


def test_submit_leads_to_its_own_page_that_names_the_approvers(
    client, login, agency, make_draft, make_system, make_user, db_session
):
    make_user("approver", agency, name="Ada Approver")
    make_user("approver", agency, name="Bo Approver")
    system = make_system("Pothole ranking", agency=agency)
    make_draft(STARTER_COMPLETE, system=system)
    login("author", agency)
    review = client.get(f"/systems/{system.uid}/review").get_data(as_text=True)
    response = client.post(f"/systems/{system.uid}/review", data=submit_data(review))
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.endswith(f"/systems/{system.uid}/revisions/1/submitted")
    for _ in range(2):  # a reload shows the same page
        page = client.get(location).get_data(as_text=True)
        assert "Revision 1 submitted" in page
        assert "The approvers of Roads Office (Ada Approver, Bo Approver) review it" in page
        assert "Its answers can no longer be changed." in page
        assert f'href="/systems/{system.uid}/revisions/1"' in page
    db_session.expire(system)
    revision = system.revisions[-1]
    approver = make_user("approver", agency, name="Cy Approver")
    lifecycle.change_status(db_session, approver, revision, "request_changes", "Say more.")
    later = client.get(location).get_data(as_text=True)
    assert "Where it stands now:" in later and "Changes requested" in later


def test_an_approver_who_submits_is_told_another_one_decides(
    client, login, agency, make_draft, make_system, db_session
):
    system = make_system("Snow clearing", agency=agency)
    make_draft(STARTER_COMPLETE, system=system)
    login("approver", agency)
    review = client.get(f"/systems/{system.uid}/review").get_data(as_text=True)
    page = client.post(f"/systems/{system.uid}/review", data=submit_data(review), follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "You submitted it, so another approver decides on it." in html
    assert "The agency has no other approver yet" in html


def test_no_such_revision_is_404(client, login, agency, make_system):
    system = make_system(agency=agency)
    login("author", agency)
    assert client.get(f"/systems/{system.uid}/revisions/9/submitted").status_code == 404
