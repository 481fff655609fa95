"""The multi-step form through the test client, signed in as an author, with CSRF on."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from aia.assessments.models import Draft, Revision, System

from .answers import HTML_LIKE, STARTER_COMPLETE
from .webform import answers_in, as_fields, assert_shown_escaped, form_values, submit_data

STEP_ANSWERS = {
    "about": {
        "decision": STARTER_COMPLETE["decision"],
        "purpose": STARTER_COMPLETE["purpose"],
        "go_live": "2025-01-15",
        "people_per_year": "5,000",
        "decision_area": "services",
    },
    "triage": {"affects_rights": "yes", "uses_group_data": "no", "black_box": "no"},
    "risks": {
        "harm_likelihood": "occasional",
        "harm_impact": "moderate",
        "harm_description": "Payments could be delayed.",
        "data_kinds": ["administrative"],
    },
    "mitigation": {"human_review": "yes", "appeal": "no"},
    "signoff": {"contact": "team@agency.example"},
}


def test_csrf_is_on(app):
    assert app.config["WTF_CSRF_ENABLED"] is True


@pytest.fixture
def tax_office(make_agency):
    return make_agency(name="Tax Office")


@pytest.fixture
def started(client, tax_office, login):
    """A system created through the form by a signed-in author; returns (uid, first page)."""
    agency = tax_office
    login("author", agency)
    page = client.get("/systems/new").get_data(as_text=True)
    response = client.post(
        "/systems/new",
        data=submit_data(
            page,
            {
                "name": "Fraud triage",
                "agency": str(agency.id),
                "description": "Ranks files.",
                "questionnaire": "starter:4",
            },
        ),
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    uid = re.search(r"/systems/(sys-[0-9a-f]+)/draft/about", location).group(1)
    return uid, client.get(location).get_data(as_text=True)


def post_step(client, uid, step, page, answers, action="next", **own_fields):
    """Post a step page with ``answers`` (by question key) changed; ``own_fields`` are the
    wizard's fields (such as csrf_token)."""
    return client.post(
        f"/systems/{uid}/draft/{step}", data=submit_data(page, {**as_fields(answers), **own_fields}, action)
    )


def walk_to(client, uid, last_step):
    """Fill every step up to and including ``last_step`` with STEP_ANSWERS."""
    page = client.get(f"/systems/{uid}/draft/about").get_data(as_text=True)
    for step, answers in STEP_ANSWERS.items():
        response = post_step(client, uid, step, page, answers)
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:3000])
        page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
        if step == last_step:
            return page
    return page


def test_new_system_form_refuses_missing_name(client, make_agency, login):
    agency = make_agency()
    login("author", agency)
    page = client.get("/systems/new").get_data(as_text=True)
    response = client.post(
        "/systems/new",
        data=submit_data(
            page,
            {"name": "", "agency": str(agency.id), "description": "kept text", "questionnaire": "starter:4"},
        ),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Give the system a name." in html
    assert "kept text" in html


def test_whole_assessment_end_to_end(client, started, db_session):
    uid, page = started
    assert "Step 1 of 5" in page
    assert "<title>Step 1 of 5: About the system" in page
    review = walk_to(client, uid, "signoff")
    assert "Review your answers" in review
    assert "Payments could be delayed." in review
    assert "required answers are missing" not in review

    response = client.post(f"/systems/{uid}/review", data=submit_data(review))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/systems/{uid}/revisions/1/submitted")
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "What happens next" in confirmation
    results = client.get(f"/systems/{uid}/revisions/1").get_data(as_text=True)
    # risk: services 3 + affects_rights yes 3 + administrative 1 = 7 of 17; mitigation 3 of 10
    # (under 80 %): final 7; 7/17 = 41 % -> level II; occasional x moderate -> moderate.
    assert "Level II" in results
    assert "Moderate risk" in results
    assert '7 <span class="muted">of 17</span>' in results
    assert "Possible harm to people" in results

    system = db_session.scalar(sa.select(System).where(System.uid == uid))
    revision = db_session.scalar(sa.select(Revision).where(Revision.system_id == system.id))
    assert revision.number == 1 and revision.status == "submitted"
    assert revision.answers["people_per_year"] == 5000
    assert revision.impact_level == 2 and revision.charter_rating == "moderate"
    assert db_session.scalar(sa.select(Draft).where(Draft.system_id == system.id)) is None

    pdf = client.get(f"/systems/{uid}/revisions/1/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-")


def test_missing_required_answer_stays_on_step_and_keeps_typing(client, started):
    uid, page = started
    response = post_step(
        client,
        uid,
        "about",
        page,
        {"decision": "", "purpose": "My long purpose text ✍️", "decision_area": None},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.count("Answer this question to go on.") >= 2
    assert "My long purpose text ✍️" in html
    assert 'href="#q_decision"' in html  # the error summary links to the field
    assert re.search(r'id="q_decision-error"', html)


def test_invalid_number_and_date_keep_everything_typed(client, started, db_session):
    uid, page = started
    response = post_step(
        client,
        uid,
        "about",
        page,
        {
            "decision": "Kept decision",
            "purpose": "Kept purpose",
            "people_per_year": "lots",
            "go_live": "2025-02-30",
            "decision_area": "internal",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a number, for example 1200." in html
    assert "Enter a real date as YYYY-MM-DD" in html
    values = answers_in(html)
    assert values["people_per_year"] == ["lots"]
    # A date posted in one piece (a page from before the three boxes) is shown in them.
    assert [values[f"go_live-{part}"] for part in ("day", "month", "year")] == [["30"], ["02"], ["2025"]]
    assert values["decision"] == ["Kept decision"]
    # The valid answers were saved all the same.
    draft = db_session.scalar(sa.select(Draft).join(System).where(System.uid == uid))
    assert draft.answers["decision"] == "Kept decision"
    assert "people_per_year" not in draft.answers


def test_an_answer_of_more_emoji_than_allowed_is_refused_and_kept(client, started, db_session):
    """Each emoji costs the report an image: a text answer holds at most 50 (the questionnaire's
    ``max_emoji``), so that no answer within the limits makes a report take minutes."""
    uid, page = started
    flood = "Payments 💶" + "😀" * 60
    typed = {"decision": "Kept decision", "purpose": flood, "decision_area": "internal"}
    response = post_step(client, uid, "about", page, typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Use at most 50 emoji in one answer (now 61)." in html
    assert answers_in(html)["purpose"] == [flood]
    draft = db_session.scalar(sa.select(Draft).join(System).where(System.uid == uid))
    assert draft.answers["decision"] == "Kept decision"
    assert draft.answers.get("purpose") != flood  # the earlier answer stays until one is valid
    # Fifty is allowed.
    page = client.get(f"/systems/{uid}/draft/about").get_data(as_text=True)
    response = post_step(client, uid, "about", page, {**STEP_ANSWERS["about"], "purpose": "😀" * 50})
    assert response.status_code == 302
    db_session.expire_all()
    draft = db_session.scalar(sa.select(Draft).join(System).where(System.uid == uid))
    assert draft.answers["purpose"] == "😀" * 50


def test_a_line_break_counts_as_one_character_as_the_browser_counts_it(
    client, started, tax_office, db_session
):
    """A browser stops typing at a text box's maxlength counting each line break once, and
    sends each as CR LF: an answer of exactly the limit is taken, and stored with LF."""
    uid, page = started
    lines = ["x" * 49] * 100  # 100 lines of 49 letters: 4,900 letters, 99 line breaks
    typed = "\r\n".join(lines) + "y"  # 5,000 characters as typed, 5,099 as sent
    assert len(typed.replace("\r\n", "\n")) == 5000 and len(typed) == 5099
    response = post_step(client, uid, "about", page, {**STEP_ANSWERS["about"], "purpose": typed})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    draft = db_session.scalar(sa.select(Draft).join(System).where(System.uid == uid))
    assert draft.answers["purpose"] == typed.replace("\r\n", "\n")
    # One character more is refused, counted as the browser counts.
    page = client.get(f"/systems/{uid}/draft/about").get_data(as_text=True)
    response = post_step(client, uid, "about", page, {**STEP_ANSWERS["about"], "purpose": typed + "z"})
    assert response.status_code == 422
    assert "Keep this under 5000 characters (now 5001)." in response.get_data(as_text=True)
    # The app's other text boxes count the same way: a new system's description holds 2,000.
    page = client.get("/systems/new").get_data(as_text=True)
    description = "\r\n".join(["d" * 9] * 200)  # 1,999 characters as typed, 2,198 as sent
    fields = {"name": "Line breaks", "agency": str(tax_office.id), "questionnaire": "starter:4"}
    response = client.post("/systems/new", data=submit_data(page, {**fields, "description": description}))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    made = db_session.scalar(sa.select(System).where(System.name == "Line breaks"))
    assert made.description == description.replace("\r\n", "\n")


def test_format_and_required_errors_come_in_one_round(client, started):
    """A number in error and required answers left empty: all named on the first Next, and a
    label ending in "?" joins its message without a colon."""
    uid, page = started
    response = post_step(
        client,
        uid,
        "about",
        page,
        # the purpose came from the system's description: emptied here
        {"decision": "", "purpose": "", "people_per_year": "lots", "decision_area": None},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a number, for example 1200." in html
    for key in ("decision", "purpose", "decision_area"):
        assert re.search(rf'id="q_{key}-error"[^>]*>.*Answer this question to go on\.', html)
    assert "There are 4 problems" in html
    assert "Which decision does the system take or support? Answer this question" in html
    assert "?:" not in html
    # Save draft names only what is wrong, not what is yet to be answered.
    page = html
    response = post_step(client, uid, "about", page, {"people_per_year": "lots"}, action="save")
    assert "Answer this question to go on." not in response.get_data(as_text=True)


def test_a_decimal_comma_is_refused_not_read_as_thousands(client, started, db_session):
    """In an English questionnaire "1,5" could mean one and a half: it is refused, with the
    way to write it, where it used to be saved as 15."""
    uid, page = started
    response = post_step(client, uid, "about", page, {**STEP_ANSWERS["about"], "people_per_year": "1,5"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Write decimals with a point, as in 1.5" in html
    draft = db_session.scalar(sa.select(Draft).join(System).where(System.uid == uid))
    assert "people_per_year" not in draft.answers


def test_conditional_question_appears_after_next_without_javascript(client, started):
    uid, _ = started
    page = walk_to(client, uid, "triage")  # affects_rights = yes raises the harm flag
    assert "Describe the harm you expect" in page
    assert "On what legal basis are biometric data used?" in page  # rendered for the script
    values = form_values(page)
    assert "biometric_basis" not in values["shown"][0].split(",")
    # Ticking biometric data reveals a question on the same step: Next stays and says so.
    response = post_step(client, uid, "risks", page, {**STEP_ANSWERS["risks"], "data_kinds": ["biometric"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Your answers opened more questions on this step" in html
    assert "biometric_basis" in form_values(html)["shown"][0].split(",")
    response = post_step(client, uid, "risks", html, {"biometric_basis": "Statute 12."})
    assert response.status_code == 302


def test_no_flag_no_harm_question(client, started):
    uid, page = started
    response = post_step(client, uid, "about", page, STEP_ANSWERS["about"])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    response = post_step(
        client, uid, "triage", page, {"affects_rights": "no", "uses_group_data": "no", "black_box": "no"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-question="harm_description"' not in page


def test_hidden_answers_are_never_counted(client, started, db_session):
    uid, _ = started
    page = walk_to(client, uid, "triage")
    response = post_step(
        client,
        uid,
        "risks",
        page,
        {**STEP_ANSWERS["risks"], "data_kinds": ["biometric"], "biometric_basis": "Statute 12."},
    )
    assert response.status_code == 302
    # Go back to the step and untick biometric data: its follow-up is now hidden.
    page = client.get(f"/systems/{uid}/draft/risks").get_data(as_text=True)
    response = post_step(
        client, uid, "risks", page, {**STEP_ANSWERS["risks"], "data_kinds": ["administrative"]}
    )
    assert response.status_code == 302
    draft = db_session.scalar(sa.select(Draft).join(System).where(System.uid == uid))
    assert draft.answers["biometric_basis"] == "Statute 12."  # kept in the draft...
    review = walk_to(client, uid, "signoff")
    assert "Statute 12." not in review
    client.post(f"/systems/{uid}/review", data=submit_data(review))
    revision = db_session.scalar(sa.select(Revision).join(System).where(System.uid == uid))
    assert "biometric_basis" not in revision.answers  # ...but never in the revision
    assert all(row["question"] != "biometric_basis" for row in revision.scores["breakdown"])


def test_back_keeps_answers_and_save_draft_resumes(client, started, db_session):
    uid, page = started
    response = post_step(client, uid, "about", page, STEP_ANSWERS["about"])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    response = post_step(client, uid, "triage", page, {"affects_rights": "unsure"}, "back")
    assert response.status_code == 302
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert answers_in(page)["decision"] == [STARTER_COMPLETE["decision"]]
    page = client.get(f"/systems/{uid}/draft/triage").get_data(as_text=True)
    assert answers_in(page)["affects_rights"] == ["unsure"]
    response = post_step(client, uid, "triage", page, {"uses_group_data": "yes"}, "save")
    assert response.headers["Location"].endswith(f"/systems/{uid}/draft/triage")
    index = client.get("/").get_data(as_text=True)
    assert f'href="/systems/{uid}/draft/triage">Resume' in index


def test_expired_csrf_token_loses_nothing(client, started, db_session):
    uid, page = started
    response = post_step(
        client, uid, "about", page, {"decision": "Typed before the session ended"}, csrf_token="expired-token"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your session expired" in html
    assert "Typed before the session ended" in html
    draft = db_session.scalar(sa.select(Draft).join(System).where(System.uid == uid))
    assert "decision" not in draft.answers
    # Pressing Next again on the page as shown now saves.
    response = post_step(client, uid, "about", html, STEP_ANSWERS["about"])
    assert response.status_code == 302


def test_two_people_saving_the_same_draft(client, app, started, db_session, tax_office, login):
    uid, page_a = started
    other = app.test_client()
    login("author", tax_office, on=other)
    page_b = other.get(f"/systems/{uid}/draft/about").get_data(as_text=True)
    first = post_step(other, uid, "about", page_b, {"decision": "Theirs"}, "save")
    assert first.status_code == 302
    second = post_step(client, uid, "about", page_a, {"decision": "Mine"}, "save")
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Someone else saved this draft" in html
    assert answers_in(html)["decision"] == ["Mine"]
    assert "Saved meanwhile by someone else:</strong> Theirs" in html
    draft = db_session.scalar(sa.select(Draft).join(System).where(System.uid == uid))
    assert draft.answers["decision"] == "Theirs"
    # Saving again from the conflict page keeps mine.
    third = post_step(client, uid, "about", html, {}, "save")
    assert third.status_code == 302
    db_session.expire_all()
    assert db_session.get(Draft, draft.id).answers["decision"] == "Mine"


def test_review_lists_missing_answers_and_refuses_submit(client, started, db_session):
    uid, page = started
    review = client.get(f"/systems/{uid}/review").get_data(as_text=True)
    assert "required answers are missing" in review
    assert "Which decision does the system take or support?" in review
    response = client.post(f"/systems/{uid}/review", data=submit_data(review))
    assert response.status_code == 422
    assert (
        db_session.scalar(
            sa.select(sa.func.count()).select_from(Revision).join(System).where(System.uid == uid)
        )
        == 0
    )


def test_user_text_is_shown_escaped_on_every_page_that_shows_it(client, make_agency, login):
    """Markup-looking text typed into the forms comes back as text: on the step where it was
    typed (and in the field, unchanged), on the review page, on the results and the system
    page, and in the list of systems."""
    agency = make_agency(name=f"Agency {HTML_LIKE}")
    login("author", agency)
    name, description = f"System {HTML_LIKE}", f"Description {HTML_LIKE}"
    page = client.get("/systems/new").get_data(as_text=True)
    response = client.post(
        "/systems/new",
        data=submit_data(
            page,
            {
                "name": name,
                "agency": str(agency.id),
                "description": description,
                "questionnaire": "starter:4",
            },
        ),
    )
    assert response.status_code == 302
    uid = re.search(r"/systems/(sys-[0-9a-f]+)/draft/about", response.headers["Location"]).group(1)

    typed = {
        "about": {"decision": f"Decision {HTML_LIKE}", "purpose": f"Purpose {HTML_LIKE}"},
        "risks": {"harm_description": f"Harm {HTML_LIKE}"},
        "signoff": {"contact": f"Contact {HTML_LIKE}", "notes": f"Notes {HTML_LIKE}"},
    }
    for step, answers in STEP_ANSWERS.items():
        url = f"/systems/{uid}/draft/{step}"
        page = client.get(url).get_data(as_text=True)
        assert_shown_escaped(page, name, f"step {step}")
        response = post_step(client, uid, step, page, {**answers, **typed.get(step, {})}, "save")
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        page = client.get(url).get_data(as_text=True)
        for key, text in typed.get(step, {}).items():
            assert_shown_escaped(page, text, f"step {step}, field {key}")
            assert answers_in(page)[key] == [text]  # and the field holds it unchanged
    review = client.get(f"/systems/{uid}/review").get_data(as_text=True)
    assert "required answers are missing" not in review
    assert_shown_escaped(review, name, "review page")
    for answers in typed.values():
        for key, text in answers.items():
            assert_shown_escaped(review, text, f"review page, {key}")

    response = client.post(f"/systems/{uid}/review", data=submit_data(review))
    assert response.status_code == 302
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    assert_shown_escaped(confirmation, name, "page after Submit")
    results = client.get(f"/systems/{uid}/revisions/1").get_data(as_text=True)
    assert "Revision 1: results" in results
    assert_shown_escaped(results, name, "results page")
    assert_shown_escaped(results, agency.name, "results page")
    system_page = client.get(f"/systems/{uid}").get_data(as_text=True)
    for text in (name, description, agency.name):
        assert_shown_escaped(system_page, text, "system page")
    assert_shown_escaped(client.get("/").get_data(as_text=True), name, "list of systems")


def test_unknown_ids_are_404(client, make_system, login):
    system = make_system()
    login("author", system.agency)
    assert client.get("/systems/sys-doesnotexist").status_code == 404
    assert client.get(f"/systems/{system.uid}/revisions/9").status_code == 404
    assert client.get(f"/systems/{system.uid}/draft/nowhere").status_code == 302  # no draft


def test_a_right_to_left_name_is_isolated_in_messages(client, tax_office, login):
    login("author", tax_office)
    page = client.get("/systems/new").get_data(as_text=True)
    name = "تخصيص المساكن"
    response = client.post(
        "/systems/new",
        follow_redirects=True,
        data=submit_data(page, {"name": name, "agency": str(tax_office.id), "questionnaire": "starter:4"}),
    )
    assert f"“\u2068{name}\u2069” created." in response.get_data(as_text=True)


def test_a_draft_of_version_1_still_walks_and_reviews(client, make_draft, make_system, tax_office, login):
    """Drafts started before version 2 keep their version: the pages and the review work."""
    login("author", tax_office)
    draft = make_draft(STARTER_COMPLETE, system=make_system(agency=tax_office), version=1)
    assert (draft.questionnaire_key, draft.questionnaire_version) == ("starter", 1)
    uid = draft.system.uid
    page = client.get(f"/systems/{uid}/draft/about").get_data(as_text=True)
    assert answers_in(page)["decision"] == [STARTER_COMPLETE["decision"]]
    response = post_step(client, uid, "about", page, {"people_per_year": "6,000"}, "save")
    assert response.status_code == 302
    review = client.get(f"/systems/{uid}/review").get_data(as_text=True)
    assert "Starter assessment" in review and "6,000" in review
    assert "required answers are missing" not in review
    response = client.post(f"/systems/{uid}/review", data=submit_data(review))
    assert response.status_code == 302
    results = client.get(f"/systems/{uid}/revisions/1").get_data(as_text=True)
    assert "version 1" in results


def test_a_step_posted_from_a_page_without_field_prefixes_keeps_its_answers(client, started, db_session):
    """A tab opened before question fields carried their prefix posts bare question keys:
    they are read as the answers they are, never saved as empty ones."""
    uid, page = started
    data = {name.removeprefix("q_"): value for name, value in submit_data(page).items()}
    data.update({"decision": "Typed in an old tab", "action": "save"})
    response = client.post(f"/systems/{uid}/draft/about", data=data)
    assert response.status_code == 302
    draft = db_session.scalar(sa.select(Draft).join(System).where(System.uid == uid))
    db_session.refresh(draft)
    assert draft.answers["decision"] == "Typed in an old tab"


def test_change_on_the_review_page_comes_back_to_it(client, started, db_session):
    """Change opens the step with return_to=review; Next then goes back to the review page
    (not on to the next step), Save draft keeps the way back, and only that word is read."""
    uid, _ = started
    walk_to(client, uid, "signoff")
    review = client.get(f"/systems/{uid}/review").get_data(as_text=True)
    assert f'href="/systems/{uid}/draft/risks?return_to=review"' in review
    assert f'href="/systems/{uid}/draft/risks?return_to=review#q_harm_description"' in review

    page = client.get(f"/systems/{uid}/draft/risks?return_to=review").get_data(as_text=True)
    assert form_values(page)["return_to"] == ["review"]
    assert "Next takes you back to the review of your answers." in page
    saved = post_step(client, uid, "risks", page, {"harm_description": "Kept while returning."}, "save")
    assert saved.headers["Location"].endswith("/draft/risks?return_to=review")
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    response = post_step(client, uid, "risks", page, {"harm_description": "Changed from the review."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/systems/{uid}/review")
    assert "Changed from the review." in client.get(response.headers["Location"]).get_data(as_text=True)

    # An error on the way keeps the way back; a step opened otherwise goes on as before.
    response = post_step(
        client,
        uid,
        "about",
        client.get(f"/systems/{uid}/draft/about?return_to=review").get_data(as_text=True),
        {"people_per_year": "lots"},
    )
    assert response.status_code == 422 and form_values(response.get_data(as_text=True))["return_to"] == [
        "review"
    ]
    for opened in ("", "?return_to=https://elsewhere.example"):
        page = client.get(f"/systems/{uid}/draft/risks{opened}").get_data(as_text=True)
        assert form_values(page)["return_to"] == [""]
        response = post_step(client, uid, "risks", page, {})
        assert response.headers["Location"].endswith(f"/systems/{uid}/draft/mitigation")


def date_boxes(day, month, year):
    return {"q_go_live-day": day, "q_go_live-month": month, "q_go_live-year": year}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (("1", "3", "2026"), "2026-03-01"),
        (("01", "03", "2026"), "2026-03-01"),
        (("29", "Feb", "2028"), "2028-02-29"),
        (("31", "december", "2025"), "2025-12-31"),
    ],
)
def test_a_date_in_three_boxes_is_stored_as_an_iso_date(client, started, db_session, typed, stored):
    uid, page = started
    response = client.post(
        f"/systems/{uid}/draft/about",
        data=submit_data(
            page, {**as_fields(STEP_ANSWERS["about"]), "q_go_live": None, **date_boxes(*typed)}, "next"
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    draft = db_session.scalar(sa.select(Draft).join(System).where(System.uid == uid))
    assert draft.answers["go_live"] == stored
    values = form_values(client.get(f"/systems/{uid}/draft/about").get_data(as_text=True))
    day, month, year = stored[8:], stored[5:7], stored[:4]
    assert values["q_go_live-day"] == [str(int(day))] and values["q_go_live-month"] == [str(int(month))]
    assert values["q_go_live-year"] == [year]


@pytest.mark.parametrize(
    ("typed", "message", "at_fault"),
    [
        (("", "3", "2026"), "The date must include a day.", ["day"]),
        (("1", "", ""), "The date must include a month and a year.", ["month", "year"]),
        (("1", "13", "2026"), "Enter the month as a number from 1 to 12, or its name.", ["month"]),
        (("1", "3", "26"), "Enter the year with four digits, for example 2026.", ["year"]),
        (("30", "2", "2025"), "Enter a real date: February 2025 has no day 30.", ["day"]),
        (("x", "3", "2026"), "Enter the day as a number from 1 to 31.", ["day"]),
    ],
)
def test_a_date_in_error_names_the_box_at_fault(client, started, db_session, typed, message, at_fault):
    uid, page = started
    response = client.post(
        f"/systems/{uid}/draft/about",
        data=submit_data(
            page, {**as_fields(STEP_ANSWERS["about"]), "q_go_live": None, **date_boxes(*typed)}, "next"
        ),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    invalid = re.findall(r'id="q_go_live-(day|month|year)"[^>]*aria-invalid="true"', html)
    assert invalid == at_fault
    assert f'href="#q_go_live-{at_fault[0]}"' in html  # the summary links to the first box at fault
    values = answers_in(html)
    assert [values[f"go_live-{p}"] for p in ("day", "month", "year")] == [[t] for t in typed]
    draft = db_session.scalar(sa.select(Draft).join(System).where(System.uid == uid))
    assert "go_live" not in draft.answers


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"q_go_live": None, **date_boxes("1", "", "")}, "La date doit comporter un mois et une année."),
        (
            {"q_go_live": None, **date_boxes("30", "février", "2025")},
            "Saisissez une date qui existe : il n’y a pas de 30 février 2025.",
        ),
        ({"q_go_live": None, **date_boxes("1", "3", "26")}, "Saisissez l’année en quatre chiffres"),
        ({"q_people_per_year": "beaucoup"}, "Saisissez un nombre, par exemple 1200."),
        ({"q_people_per_year": "-3"}, "Saisissez un nombre égal ou supérieur à 0."),
        ({"q_decision": "x" * 400}, "Ne dépassez pas 200 caractères (actuellement 400)."),
        ({"q_purpose": "🚗" * 51}, "N’utilisez pas plus de 50 émojis dans une réponse (actuellement 51)."),
    ],
)
def test_the_engines_messages_are_in_the_page_language(client, started, typed, message):
    """The engine writes its messages in English and knows no Flask; the step page puts them
    into French for a French reader (month names typed in French are read too)."""
    uid, _ = started
    page = client.get(f"/systems/{uid}/draft/about?lang=fr").get_data(as_text=True)
    response = client.post(
        f"/systems/{uid}/draft/about",
        data=submit_data(page, {**as_fields(STEP_ANSWERS["about"]), **typed}, "next"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<html lang="fr"' in html
    assert message.replace("’", "&#39;") in html or message in html, html[-3000:]


def test_a_month_typed_in_french_is_read(client, started, db_session):
    uid, _ = started
    page = client.get(f"/systems/{uid}/draft/about?lang=fr").get_data(as_text=True)
    response = client.post(
        f"/systems/{uid}/draft/about",
        data=submit_data(
            page,
            {
                **as_fields({**STEP_ANSWERS["about"], "people_per_year": "5 000"}),  # as French writes it
                "q_go_live": None,
                **date_boxes("3", "févr.", "2026"),
            },
            "next",
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    draft = db_session.scalar(sa.select(Draft).join(System).where(System.uid == uid))
    assert draft.answers["go_live"] == "2026-02-03"


def test_autosave_keeps_the_valid_answers_and_answers_json(client, started, db_session):
    """The script's save: valid answers kept with the lock version, JSON back, no message by
    any question; a stale lock version is a conflict that saves nothing."""
    uid, page = started
    url = f"/systems/{uid}/draft/about"
    answers = {"purpose": "Typed, not yet Next.", "people_per_year": "lots"}
    response = client.post(url, data=submit_data(page, as_fields(answers), "autosave"))
    assert response.status_code == 200 and response.is_json
    assert response.json["saved"] is True and response.json["errors"] == ["q_people_per_year"]
    draft = db_session.scalar(sa.select(Draft).join(System).where(System.uid == uid))
    assert draft.answers["purpose"] == "Typed, not yet Next." and "people_per_year" not in draft.answers
    assert response.json["lock_version"] == draft.lock_version == 2

    stale = client.post(url, data=submit_data(page, as_fields({"purpose": "From an old tab."}), "autosave"))
    assert stale.status_code == 409 and stale.json == {"saved": False, "reason": "conflict"}
    db_session.expire_all()
    assert db_session.get(Draft, draft.id).answers["purpose"] == "Typed, not yet Next."

    expired = client.post(url, data=submit_data(page, {"csrf_token": "not-a-token"}, "autosave"))
    assert expired.status_code == 400 and expired.json["reason"] == "expired"
