"""A step that an answer adds is never added silently: with Canada's questionnaire, the project
phase adds its phase's pages. Next says which steps were added and because of which answer, the
added step and the task list say so too, and changing the answer says which steps left."""

from __future__ import annotations

import re

from ..webform import submit_data


def start_canada_draft(client, login, make_system, import_survey) -> str:
    assert import_survey("survey-enfr-v1.0.1.json").exit_code == 0
    author = login("author")
    system = make_system(agency=author.agency)
    page = client.get(f"/systems/{system.uid}").get_data(as_text=True)
    choice = re.search(r'<option[^>]*value="(canada-aia:\d+)"', page).group(1)
    started = client.post(f"/systems/{system.uid}/draft", data=submit_data(page, {"questionnaire": choice}))
    assert started.status_code == 302, started.get_data(as_text=True)[:2000]
    return system.uid


def post_step(client, uid: str, step: str, answers: dict, action: str = "next"):
    page = client.get(f"/systems/{uid}/draft/{step}").get_data(as_text=True)
    return client.post(
        f"/systems/{uid}/draft/{step}",
        data=submit_data(page, {**answers, "action": action}),
        follow_redirects=True,
    )


def test_the_phase_adds_its_steps_and_says_so(client, login, make_system, import_survey):
    uid = start_canada_draft(client, login, make_system, import_survey)
    page = client.get(f"/systems/{uid}/draft/project_details").get_data(as_text=True)
    total_before = int(re.search(r"Step 1 of (\d+)", page).group(1))

    after = post_step(client, uid, "project_details", {"q_project_details_phase": "item1"})
    text = after.get_data(as_text=True)
    assert "4 steps were added because you said “Project Phase” Design:" in text
    assert f"Step 2 of {total_before + 4}" in text

    added = client.get(f"/systems/{uid}/draft/consultation_design").get_data(as_text=True)
    assert "Added because you said:" in added and "“Project Phase”" in added
    tasks = client.get(f"/systems/{uid}/tasks").get_data(as_text=True)
    assert tasks.count("Added because you said:") == 4

    # Implementation instead: the design pages leave, the implementation pages come.
    changed = post_step(
        client, uid, "project_details", {"q_project_details_phase": "item2"}, action="save"
    ).get_data(as_text=True)
    assert "4 steps no longer apply after your answers:" in changed
    assert "4 steps were added because you said “Project Phase” Implementation:" in changed


def test_autosave_before_next_still_names_the_added_steps(client, login, make_system, import_survey):
    uid = start_canada_draft(client, login, make_system, import_survey)
    page = client.get(f"/systems/{uid}/draft/project_details").get_data(as_text=True)
    saved = client.post(
        f"/systems/{uid}/draft/project_details",
        data=submit_data(page, {"q_project_details_phase": "item1", "action": "autosave"}),
    )
    assert saved.get_json()["saved"] is True
    # Next from the page as it was shown (the script puts the new lock version in): the path
    # the page was shown with is the one compared.
    version = str(saved.get_json()["lock_version"])
    after = client.post(
        f"/systems/{uid}/draft/project_details",
        data=submit_data(
            page, {"q_project_details_phase": "item1", "action": "next", "lock_version": version}
        ),
        follow_redirects=True,
    )
    assert "4 steps were added because you said “Project Phase” Design:" in after.get_data(as_text=True)
