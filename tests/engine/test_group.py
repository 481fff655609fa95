"""The repeatable group type: read from a file (and refused when badly written), built into a
form of rows whose answers are read back per row, checked when stored, shown as text and as
rows, and its rows added, removed and moved in what a step posts."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from aia.engine import (
    DefinitionError,
    answers_from_form,
    build_step_form,
    form_data,
    parse_definition,
    resolve,
)
from aia.engine.group import Group, apply_row_action, row_action
from aia.engine.visibility import missing_required

from ..group_questionnaire import LISTED


@pytest.fixture
def definition():
    return parse_definition(LISTED, "listed-v1.yaml")


def group_of(definition) -> Group:
    question = definition.questions["register"]
    assert isinstance(question, Group)
    return question


def test_a_group_is_read_with_its_row_questions(definition):
    group = group_of(definition)
    assert [q.key for q in group.questions] == ["right", "likelihood", "people", "measures"]
    assert group.row_label == "Risk" and group.add_label == "Add a risk" and group.max_rows == 5
    assert group.min_rows == 0 and group.required


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("        row_label: Risk\n", "needs a 'row_label'"),
        ("        max_rows: 5\n", None),  # the default, 50, is fine
    ],
)
def test_a_group_without_its_fields(change, reason):
    text = LISTED.replace(change, "")
    if reason is None:
        assert group_of(parse_definition(text)).max_rows == 50
        return
    with pytest.raises(DefinitionError, match=reason):
        parse_definition(text)


@pytest.mark.parametrize(
    ("before", "after", "reason"),
    [
        ("max_rows: 5", "max_rows: 0", "'max_rows' must be from 1"),
        ("max_rows: 5", "max_rows: 5\n        min_rows: 6", "'min_rows' is above 'max_rows'"),
        ("max_rows: 5", "max_rows: 5\n        min_rows: -1", "'min_rows' must be a whole number"),
        ("type: number, label: People", "type: group, label: People", "type must be one of"),
        ("{key: people, type: number,", "{key: right, type: number,", "'right' is given twice"),
        ("{key: people, type: number,", "{key: People, type: number,", "key must be lowercase"),
        ("min: 0}", "min: 0, show_if: {question: owner, answered: true}}", "'show_if' is not available"),
        ("max_length: 300}", "max_length: 0}", "row question measures: 'max_length' must be"),
    ],
)
def test_a_badly_written_group_is_refused_with_its_reason(before, after, reason):
    assert before in LISTED
    with pytest.raises(DefinitionError, match=reason) as caught:
        parse_definition(LISTED.replace(before, after, 1), "listed-v1.yaml")
    assert "question register" in str(caught.value)


def test_a_group_needs_row_questions():
    start = LISTED.index("        questions:\n          - key: right")
    end = LISTED.index("  - key: end")
    text = LISTED[:start] + "        questions: []\n" + LISTED[end:]
    with pytest.raises(DefinitionError, match="a group needs 'questions'"):
        parse_definition(text)


ROWS = [
    {"right": "equality", "likelihood": "likely", "people": 1200, "measures": "A second look by a person."},
    {"right": "dignity"},
]


def test_stored_rows_are_checked(definition):
    group = group_of(definition)
    assert group.check_value(ROWS) is None
    assert group.check_value([{}]) is None  # a row just added
    assert group.check_value("text") == "expected a list of rows, each a mapping of its questions to answers"
    assert group.check_value([{"colour": "red"}]) == "row 1 has unknown question(s) ['colour']"
    assert group.check_value([{"right": "dignity"}, {"right": "wealth"}]) == (
        "row 2, right: 'wealth' is not one of the options"
    )
    assert group.check_value([{"people": -1}]).startswith("row 1, people:")
    assert group.check_value([{}] * 6) == "more than 5 rows"


def test_rows_show_as_text_and_as_cells(definition):
    group = group_of(definition)
    assert group.display(ROWS) == (
        "Risk 1: Right at stake: Equality before the law; Likelihood: Likely; People affected each year: "
        "1,200; Measures: A second look by a person. | Risk 2: Right at stake: Human dignity"
    )
    cells = group.rows(ROWS)
    assert [c["answer"] for c in cells[1]] == ["Human dignity", "", "", ""]


def test_a_row_missing_a_required_answer_leaves_the_group_incomplete(definition):
    answers = {"register": [{"likelihood": "rare"}, {"right": "dignity"}]}
    resolution = resolve(definition, answers)
    assert "register" in resolution.answers  # a valid answer, kept...
    assert missing_required(definition, resolution, "risks") == ["register"]  # ...but not complete
    assert group_of(definition).missing_in_rows(answers["register"]) == [(0, "right")]
    assert missing_required(definition, resolve(definition, {"register": ROWS}), "risks") == []
    assert missing_required(definition, resolve(definition, {}), "risks") == ["register"]  # required


def test_the_form_reads_each_row_back(definition):
    step = definition.step("risks")
    form_class = build_step_form(step, ["owner", "register"], base=Form)
    shown = form_class(data=form_data(definition, ["owner", "register"], {"register": ROWS}))
    assert shown["q_register"].entries[0]["q_people"].data == "1200"
    assert shown["q_register"].entries[1]["q_right"].data == "dignity"
    posted = MultiDict(
        [
            ("q_register-0-row", "1"),
            ("q_register-0-q_right", "dignity"),
            ("q_register-0-q_people", "12"),
            ("q_register-0-q_measures", "  Asked twice.\r\n "),
            ("q_register-1-row", "1"),  # a row with nothing chosen yet stays
        ]
    )
    form = form_class(formdata=posted)
    assert form.validate()
    assert answers_from_form(step, form)["register"] == [
        {"right": "dignity", "people": 12, "measures": "Asked twice."},
        {},
    ]
    wrong = form_class(formdata=MultiDict([("q_register-0-row", "1"), ("q_register-0-q_people", "many")]))
    assert not wrong.validate()
    assert wrong["q_register"].entries[0]["q_people"].errors  # the error is at the row's field
    assert "register" not in answers_from_form(step, wrong)


def posted_rows() -> MultiDict:
    return MultiDict(
        [
            ("action", "x"),
            ("q_owner", "Ana"),
            ("q_register-0-row", "1"),
            ("q_register-0-q_right", "dignity"),
            ("q_register-1-row", "1"),
            ("q_register-1-q_right", "equality"),
            ("q_register-2-row", "1"),
            ("q_register-2-q_measures", "third"),
        ]
    )


def rights(data: MultiDict) -> list[tuple[str, str]]:
    return [(k, v) for k, v in data.items(multi=True) if k.startswith("q_register") and not k.endswith("row")]


def test_rows_are_added_removed_and_moved_in_what_was_posted(definition):
    group = group_of(definition)
    added = apply_row_action(group, posted_rows(), "add", None)
    assert added.getlist("q_register-3-row") == ["1"] and added["q_owner"] == "Ana"
    removed = apply_row_action(group, posted_rows(), "remove", 0)
    assert rights(removed) == [("q_register-0-q_right", "equality"), ("q_register-1-q_measures", "third")]
    up = apply_row_action(group, posted_rows(), "up", 2)
    assert rights(up) == [
        ("q_register-0-q_right", "dignity"),
        ("q_register-1-q_measures", "third"),
        ("q_register-2-q_right", "equality"),
    ]
    down = apply_row_action(group, posted_rows(), "down", 0)
    assert rights(down)[0] == ("q_register-0-q_right", "equality")
    # At the ends, and past them, nothing moves.
    assert rights(apply_row_action(group, posted_rows(), "up", 0)) == rights(posted_rows())
    assert rights(apply_row_action(group, posted_rows(), "down", 2)) == rights(posted_rows())
    assert rights(apply_row_action(group, posted_rows(), "remove", 9)) == rights(posted_rows())


def test_no_row_is_added_past_the_maximum(definition):
    group = group_of(definition)
    data = MultiDict([(f"q_register-{i}-row", "1") for i in range(5)])
    assert len(apply_row_action(group, data, "add", None)) == 5


@pytest.mark.parametrize(
    ("action", "read"),
    [
        ("add:register", ("add", "register", None)),
        ("remove:register:2", ("remove", "register", 2)),
        ("up:register:0", ("up", "register", 0)),
        ("down:register:11", ("down", "register", 11)),
        ("add:register:1", None),
        ("remove:register", None),
        ("next", None),
        ("drop:register:1", None),
        ("remove:register:-1", None),
        ("remove:register:99999", None),
        ("", None),
    ],
)
def test_the_row_buttons_are_read(action, read):
    assert row_action(action) == read


def test_rows_go_out_in_an_answer_file_and_come_back_checked(definition):
    from aia.engine.answer_file import read_answer_file, write_answer_file

    document = write_answer_file(definition, {"owner": "Ana", "register": ROWS})
    assert document["answers"]["register"] == ROWS
    read = read_answer_file(document, definition)
    assert read.answers["register"] == ROWS and not read.invalid
    document["answers"]["register"] = [{"right": "wealth"}]
    assert read_answer_file(document, definition).invalid == {
        "register": "row 1, right: 'wealth' is not one of the options"
    }
