"""Comparing two revisions word by word: a changed long answer shows the words taken out
(<del>) and put in (<ins>), each with a text cue; "changes only" leaves out the unchanged
answers and most of the unchanged words of a changed one."""

from __future__ import annotations

import pytest

from aia.assessments import lifecycle
from aia.review.queries import word_changes

LONG = " ".join(f"word{n}" for n in range(200))


def test_one_changed_sentence_is_all_that_is_marked():
    old = f"{LONG} The appeal goes to the mayor. {LONG}"
    new = f"{LONG} The appeal goes to the tax tribunal. {LONG}"
    runs = word_changes(old, new)
    assert [r["text"] for r in runs if r["op"] == "deleted"] == ["mayor."]
    assert [r["text"] for r in runs if r["op"] == "added"] == ["tax tribunal."]
    assert "".join(r["text"] for r in runs if r["op"] != "added") == old
    assert "".join(r["text"] for r in runs if r["op"] != "deleted") == new
    first, last = runs[0], runs[-1]
    assert first["cut"][0] == "" and first["cut"][1].endswith("goes to the ")
    assert last["cut"][0].startswith(" word0") and last["cut"][1] == ""


@pytest.fixture
def long_change(db_session, make_agency, make_user, make_system, make_revision):
    agency = make_agency(name="Tax Office")
    author, approver = make_user("author", agency), make_user("approver", agency)
    system = make_system(name="Fraud triage", agency=agency)
    first = make_revision(
        system=system, submitted_by=author, answers={"purpose": f"{LONG} Sorts <b>claims</b>."}
    )
    lifecycle.change_status(db_session, approver, first, "request_changes", "Say more.")
    make_revision(system=system, submitted_by=author, answers={"purpose": f"{LONG} Sorts <b>letters</b>."})
    return system, author


def test_the_page_marks_words_with_text_cues_and_escapes_them(client, login, long_change):
    system, author = long_change
    login(author)
    html = client.get(f"/systems/{system.uid}/compare?from=1&to=2").get_data(as_text=True)
    assert '<del><span class="visually-hidden">deleted: </span>' in html
    assert '<ins><span class="visually-hidden">added: </span>' in html
    assert "&lt;b&gt;letters&lt;/b&gt;." in html and "<b>letters" not in html
    assert html.count("word150") == 2  # both columns in full
    assert "Which decision does the system take" in html  # unchanged answers too


def test_changes_only_leaves_out_what_did_not_change(client, login, long_change):
    system, author = long_change
    login(author)
    html = client.get(f"/systems/{system.uid}/compare?from=1&to=2&changes=only").get_data(as_text=True)
    assert "Which decision does the system take" not in html
    assert "word150" not in html and "word199" in html  # the words next to the change stay
    assert "[…]" in html
    assert "Show every answer in full" in html
