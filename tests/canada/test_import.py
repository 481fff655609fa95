"""aia import-questionnaire --format canada-aia: every survey file converts and imports, with
the maximum scores the tool has, both languages and the phase fork; the same file twice
changes nothing; a file that is not a Canadian survey is refused with the reason."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa

from aia.audit.models import AuditEvent
from aia.catalogue.models import ImportedQuestionnaire
from aia.catalogue.queries import all_questionnaires, by_origin
from aia.engine import DefinitionError, load_document, resolve
from aia.engine.importers import convert_survey

from .conftest import FILES, converted, read_survey

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "questionnaire.schema.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("name", FILES)
def test_every_survey_file_converts_with_the_tools_maximum_scores(name: str) -> None:
    version, risk_max, phase_max = FILES[name]
    definition = converted(name)
    assert definition.key == "canada-aia"
    assert definition.origin is not None and definition.origin.version == version
    assert definition.scoring.method == "canada-aia"
    assert definition.max_points("risk") == risk_max
    assert definition.max_points("mitigation") == 2 * phase_max  # the design and implementation copies
    document = convert_survey(read_survey(name), version, name)
    assert [e.message for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(document)] == []


@pytest.mark.parametrize("name", FILES)
def test_the_phase_fork_shows_one_copy_of_the_mitigation_pages(name: str) -> None:
    definition = converted(name)
    phase = definition.origin.key_of()["projectDetailsPhase"]
    steps = {}
    for answer in ("item1", "item2"):
        steps[answer] = set(resolve(definition, {phase: answer}).step_keys())
    design, implementation = steps["item1"] - steps["item2"], steps["item2"] - steps["item1"]
    assert design and all("design" in s for s in design)
    assert implementation and all("implementation" in s for s in implementation)
    mitigation = {s.key for s in definition.steps if any(q.scoring == "mitigation" for q in s.questions)}
    assert mitigation == design | implementation


def test_choices_keep_values_points_kinds_and_both_languages() -> None:
    definition = converted("survey-enfr-v1.0.1.json")
    keys = definition.origin.key_of()
    risk = definition.questions[keys["riskProfile1"]]
    assert risk.scoring == "risk"
    assert [(o.value, o.points) for o in risk.options] == [("item1-3", 3), ("item2-0", 0)]
    mitigation = definition.questions[keys["consultationDesign6"]]
    assert mitigation.scoring == "mitigation"
    department = definition.questions[keys["projectDetailsDepartment-NS"]]
    assert department.scoring is None and all(o.points == 0 for o in department.options)
    french = definition.in_language("fr")
    assert french.step(risk.step_key).title == "Profil de risque"
    assert french.questions[risk.key].label != risk.label
    assert definition.step(risk.step_key).title == "Risk Profile"
    assert "MIT" in definition.origin.notice and "MIT" in french.origin.notice
    assert "Licence du gouvernement ouvert - Canada" in french.origin.notice


def test_conditions_mean_what_they_mean_in_the_canadian_tool() -> None:
    definition = converted("survey-enfr-v1.0.1.json")
    keys = definition.origin.key_of()

    def shown(name: str, answers: dict[str, object]) -> bool:
        ours = {keys[k]: v for k, v in answers.items()}
        return keys[name] in resolve(definition, ours).visible

    # contains on a multiple choice: that option ticked
    assert shown("businessDrivers12", {"businessDrivers11": ["item6-0"]})
    assert not shown("businessDrivers12", {"businessDrivers11": ["item1-2"]})
    # contains on a single choice compares as text: "item2" is in "item2-0"
    assert shown("aboutSystem3A", {"aboutSystem3": "item2-0"})
    assert not shown("aboutSystem3A", {"aboutSystem3": "item1-0"})
    # parentheses, or, and
    assert shown("aboutSystem5C", {"aboutSystem5": "item3-2", "aboutSystem5B": "item1-0"})
    assert not shown("aboutSystem5C", {"aboutSystem5": "item2-1", "aboutSystem5B": "item1-0"})
    # a value that is no option of the question: never shown, as in the tool
    assert not shown(
        "consultationDesign2-other", {"projectDetailsPhase": "item1", "consultationDesign1": "item1-2"}
    )


@pytest.mark.parametrize(
    ("expression", "said"),
    [
        ("{riskProfile1} notempty", "'notempty' is not supported"),
        ('{riskProfile1} != "item1-3"', "cannot read"),
        ('{noSuchQuestion} = "item1"', "{noSuchQuestion} is not an earlier question"),
        ('({riskProfile1} = "item1-3"', "ends too early"),
    ],
)
def test_an_expression_it_cannot_convert_is_refused_with_the_expression_and_where(expression, said) -> None:
    survey = copy.deepcopy(read_survey("survey-enfr-v1.0.1.json"))
    page = next(p for p in survey["pages"] if p["name"] == "riskProfile")
    page["elements"][0]["elements"][1]["visibleIf"] = expression
    with pytest.raises(DefinitionError) as caught:
        convert_survey(survey, "v1.0.1", "edited.json")
    assert caught.value.where.startswith("page riskProfile, riskProfilePanel-RS, riskProfile2")
    assert expression in caught.value.reason and said in caught.value.reason


def test_the_command_imports_into_the_database_once(import_survey, db_session, app) -> None:
    first = import_survey("survey-enfr-v1.0.1.json")
    assert first.exit_code == 0, first.output
    assert first.output.startswith("imported canada-aia v6")
    assert "risk max 167, mitigation max 77 per phase" in first.output
    again = import_survey("survey-enfr-v1.0.1.json")
    assert again.exit_code == 0, again.output
    assert again.output.startswith("unchanged, imported before: canada-aia v6")
    rows = db_session.scalars(sa.select(ImportedQuestionnaire)).all()
    assert [(r.key, r.version, r.source_version) for r in rows] == [("canada-aia", 6, "v1.0.1")]
    events = db_session.scalars(sa.select(AuditEvent).filter_by(action="questionnaire.imported")).all()
    assert len(events) == 1 and events[0].details["source_sha256"] == rows[0].source_sha256
    # Any worker builds the same definition from the row, beside the packaged ones.
    registry = all_questionnaires(db_session, app.extensions["aia.questionnaires"])
    stored = registry.get("canada-aia", 6)
    assert stored is not None and stored.content_hash == rows[0].content_hash
    assert (
        load_document(rows[0].document, "row").content_hash
        == converted("survey-enfr-v1.0.1.json").content_hash
    )
    assert by_origin(registry, "canada-aia", "v1.0.1") is stored
    assert registry.get("starter", 2) is not None


def test_every_version_imports_beside_the_others(import_survey, db_session, app) -> None:
    for name in FILES:
        result = import_survey(name)
        assert result.exit_code == 0, result.output
    registry = all_questionnaires(db_session, app.extensions["aia.questionnaires"])
    assert [d.origin.version for d in registry.all() if d.origin] == [v for v, *_ in FILES.values()]


def test_other_content_under_an_imported_version_is_refused(import_survey, tmp_path) -> None:
    assert import_survey("survey-enfr-v1.0.1.json").exit_code == 0
    survey = read_survey("survey-enfr-v1.0.1.json")
    survey["pages"][2]["title"]["default"] = "Risk profile, edited"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(survey), encoding="utf-8")
    result = import_survey("survey-enfr-v1.0.1.json", path=edited)
    assert result.exit_code == 1
    assert "canada-aia v6 is imported already with other content" in result.output


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("schema: 1\nkey: starter\n", "not a JSON file"),
        ('{"title": "A survey", "questions": []}', "a SurveyJS survey has a list of 'pages'"),
        (
            '{"pages": [{"name": "p1", "elements": [{"type": "radiogroup", "name": "q1", '
            '"choices": ["a", "b"]}]}]}',
            "no page or panel named ...-RS (risk) and ...-MS",
        ),
    ],
)
def test_a_file_that_is_not_a_canadian_survey_is_refused_with_the_reason(
    import_survey, tmp_path, db_session, content, said
) -> None:
    path = tmp_path / "other.json"
    path.write_text(content, encoding="utf-8")
    result = import_survey("survey-enfr-v1.0.1.json", path=path)
    assert result.exit_code == 1
    assert said in result.output
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ImportedQuestionnaire)) == 0


def test_a_version_that_does_not_match_the_file_is_refused(import_survey) -> None:
    result = import_survey("survey-enfr-v1.0.1.json", version="v1.0.0")
    assert result.exit_code == 1
    assert "the file says it is v1.0.1, not v1.0.0" in result.output
    unknown = import_survey("survey-enfr-v1.0.1.json", version="v3")
    assert unknown.exit_code == 1 and "'v3' is not a version this importer knows" in unknown.output
