"""The report PDF of a fundamental rights impact assessment: whether it was required, the risk
register as a table, the risk matrix and the duties, read back from the real PDF; the rows of
the register also among the answers."""

from __future__ import annotations

import re

from aia.assessments import services
from aia.seed import JOB_MATCHING

from .test_report_helpers import build, flat, pdf_text


def test_the_report_shows_the_register_and_the_matrix(app, db_session, make_draft, make_system, registry):
    system = make_system(name="Job matching")
    draft = make_draft(JOB_MATCHING, system=system, key="eu-fria")
    revision = services.submit(db_session, draft, registry.get("eu-fria", 1), draft.lock_version)
    db_session.flush()
    text = flat(pdf_text(build(app, db_session, revision, published=True)))
    assert "Fundamental rights impact assessment" in text
    assert "A fundamental rights impact assessment is required." in text
    assert "Rating (the worst remaining risk): Medium (level II)" in text
    assert "Older jobseekers and jobseekers with disabilities Likely (3) x Serious (3) = 9 High" in text
    assert re.search(r"Contents Summary[ .]+\d+ Fundamental rights impact assessment[ .]+\d+", text)
    assert "Risk matrix" in text and "Likely Low Medium High: 1 Very high" in text
    assert "Notify the market surveillance authority (Article 27(3)): To do" in text
    # The register among the answers, as text.
    assert "Risk 2: The right at stake (EU Charter of Fundamental Rights): Article 15" in text
    assert "Final score" not in text and "Levels end at" not in text
    # No charter, triage or mitigation points in this method: the report does not list them.
    assert "Fundamental rights risk Medium" in text and "Charter risk rating" not in text
    assert "Triage flags" not in text and "Mitigation measures" not in text


def test_the_notification_pdf_holds_the_six_elements_and_the_register(
    client, db_session, make_draft, make_system, make_agency, registry, login
):
    agency = make_agency()
    login("author", agency)
    system = make_system(agency=agency, name="Job matching")
    draft = make_draft(JOB_MATCHING, system=system, key="eu-fria")
    revision = services.submit(db_session, draft, registry.get("eu-fria", 1), draft.lock_version)
    db_session.flush()
    response = client.get(f"/systems/{system.uid}/revisions/{revision.number}/fria/notification.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = flat(pdf_text(response.data))
    assert "Notification of a fundamental rights impact assessment" in text
    assert "Public Employment Service" in text and "Sent on not recorded yet" in text
    for title in (
        "(a) The processes",
        "(b) When and how often",
        "(c) The people and groups",
        "(d) The risks of harm",
        "(e) Human oversight",
        "(f) When a risk materialises",
    ):
        assert title in text
    assert "Older jobseekers and jobseekers with disabilities Likely (3) x Serious (3) = 9 High" in text
    assert "<b>No</b> vacancy" in text  # typed text, shown as typed (escaped in the HTML)
