"""The line that reduces the score: a resubmission whose mitigation crossed it says so on its
results, review and comparison pages, with the answers that did it and what it did to the
level, so that the approver is warned."""

from __future__ import annotations

import pytest

from aia.assessments import lifecycle
from aia.review.queries import mitigation_cliff

RISKY = {"uses_group_data": "yes", "harm_impact": "high", "appeal": "yes"}
UNDER = {**RISKY, "measures": ["bias_tests"]}  # mitigation 7 of 10: level III
OVER = {**RISKY, "measures": ["bias_tests", "logging"]}  # 8 of 10: reduced, level II


@pytest.fixture
def crossed(db_session, make_agency, make_user, make_system, make_revision):
    agency = make_agency(name="Benefits Office")
    author, approver = make_user("author", agency), make_user("approver", agency)
    system = make_system(name="Claim ranking", agency=agency)
    first = make_revision(system=system, submitted_by=author, answers=UNDER)
    lifecycle.change_status(db_session, approver, first, "request_changes", "Add logging.")
    second = make_revision(system=system, submitted_by=author, answers=OVER)
    return system, first, second, approver


def test_the_crossing_and_what_it_did_to_the_level(crossed):
    _, first, second, _ = crossed
    assert (first.scores["impact_level"], second.scores["impact_level"]) == (3, 2)
    cliff = mitigation_cliff(first.scores, second.scores)
    assert cliff["over"] and cliff["moved_level"]
    assert (cliff["old_level"], cliff["new_level"], cliff["level_other_side"]) == ("III", "II", "III")
    assert [(a["old"], a["new"]) for a in cliff["answers"]] == [(2, 3)]
    back = mitigation_cliff(second.scores, first.scores)
    assert not back["over"] and back["moved_level"] and back["level_other_side"] == "II"
    assert mitigation_cliff(first.scores, first.scores) is None


def test_the_approver_is_warned_on_review_results_and_comparison(app, login, crossed):
    system, _, _, approver = crossed
    browser = app.test_client()
    login(approver, on=browser)
    for url in (
        f"/systems/{system.uid}/revisions/2/review",
        f"/systems/{system.uid}/revisions/2",
        f"/systems/{system.uid}/compare?from=1&to=2",
    ):
        html = browser.get(url).get_data(as_text=True)
        assert "Mitigation crossed the 80 % line since revision 1" in html, url
        assert "This alone moved the impact level: level II now, level III on the other side" in html, url
        assert "2 → 3 points" in html, url
    first = browser.get(f"/systems/{system.uid}/revisions/1").get_data(as_text=True)
    assert "Mitigation crossed" not in first
