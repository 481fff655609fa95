"""Every refusal of the questionnaire loader: the message names the file, the place (the question
key for a question's problem) and the reason."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from aia.engine import DefinitionError, Registry, load_file

FILE = "broken-v1.yaml"


def _options(*values: str, points: bool = False) -> list[dict[str, Any]]:
    return [
        {"value": v, "label": v.title(), **({"points": i} if points else {})} for i, v in enumerate(values)
    ]


VALID: dict[str, Any] = {
    "schema": 1,
    "key": "broken",
    "version": 1,
    "title": "A valid questionnaire",
    "flags": [{"key": "harm", "label": "Possible harm"}],
    "charter": {"likelihood": "likelihood", "impact": "impact"},
    "scoring": {
        "mitigation_threshold_pct": 80,
        "mitigation_reduction_pct": 15,
        "level_bounds_pct": [25, 50, 75],
    },
    "levels": [
        {"level": n, "name": f"Level {n}", "obligations": [{"area": "Notice", "text": "Tell people."}]}
        for n in (1, 2, 3, 4)
    ],
    "steps": [
        {
            "key": "first",
            "title": "First",
            "questions": [
                {
                    "key": "harms",
                    "type": "yes_no_unsure",
                    "label": "Can it harm?",
                    "flag": "harm",
                    "scoring": "risk",
                    "points": {"yes": 2, "unsure": 1},
                },
                {
                    "key": "kind",
                    "type": "single_choice",
                    "label": "Kind?",
                    "scoring": "risk",
                    "options": _options("a", "b", points=True),
                },
                {"key": "tags", "type": "multiple_choice", "label": "Tags?", "options": _options("x", "y")},
                {
                    "key": "likelihood",
                    "type": "single_choice",
                    "label": "Likelihood?",
                    "options": _options("probable", "occasional", "improbable"),
                },
                {
                    "key": "impact",
                    "type": "single_choice",
                    "label": "Impact?",
                    "options": _options("low", "moderate", "high"),
                },
            ],
        },
        {
            "key": "second",
            "title": "Second",
            "questions": [
                {
                    "key": "detail",
                    "type": "long_text",
                    "label": "Describe the harm.",
                    "show_if": {"flag": "harm"},
                },
                {"key": "name", "type": "short_text", "label": "Name?", "max_length": 50},
                {"key": "count", "type": "number", "label": "How many?", "min": 0, "max": 10},
                {"key": "when", "type": "date", "label": "When?"},
                {
                    "key": "review",
                    "type": "yes_no_unsure",
                    "label": "Reviewed?",
                    "scoring": "mitigation",
                    "points": {"yes": 3},
                },
            ],
        },
    ],
    "roles": {
        "system_name": "name",
        "decision_area": "kind",
        "people_per_year": "count",
        "go_live": "when",
        "commitments": [{"title": "Care", "status": "review", "evidence": "detail"}],
    },
}


def question(doc: dict[str, Any], key: str) -> dict[str, Any]:
    return next(q for step in doc["steps"] for q in step["questions"] if q["key"] == key)


def setq(question_key: str, /, **changes: Any) -> Callable[[dict[str, Any]], None]:
    """Change fields of one question; a value of None removes the field."""

    def change(doc: dict[str, Any]) -> None:
        target = question(doc, question_key)
        for name, value in changes.items():
            if value is None:
                target.pop(name, None)
            else:
                target[name] = value

    return change


def show_if(key: str, condition: Any) -> Callable[[dict[str, Any]], None]:
    return setq(key, show_if=condition)


def top(**changes: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        for name, value in changes.items():
            if value is None:
                doc.pop(name, None)
            else:
                doc[name] = value

    return change


def step0(**changes: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        for name, value in changes.items():
            if value is None:
                doc["steps"][0].pop(name, None)
            else:
                doc["steps"][0][name] = value

    return change


def prepend_question(raw: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc["steps"][0]["questions"].insert(0, raw)


def roles(**changes: Any) -> Callable[[dict[str, Any]], None]:
    """Change the declared roles; a value of None removes the role."""

    def change(doc: dict[str, Any]) -> None:
        for name, value in changes.items():
            if value is None:
                doc["roles"].pop(name, None)
            else:
                doc["roles"][name] = value

    return change


def commitment(**changes: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        for name, value in changes.items():
            if value is None:
                doc["roles"]["commitments"][0].pop(name, None)
            else:
                doc["roles"]["commitments"][0][name] = value

    return change


def _level(index: int, **changes: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc["levels"][index].update(changes)


# (id, change to the valid document, where, part of the reason)
REFUSALS: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    # top level
    ("unknown top-level field", top(colour="red"), "", "unknown top-level field(s) ['colour']"),
    ("wrong schema", top(schema=2), "schema", "must be 1, found 2"),
    ("bad key", top(key="Not A Key"), "key", "lowercase letters"),
    ("version zero", top(version=0), "version", "whole number from 1"),
    ("version true", top(version=True), "version", "whole number from 1"),
    ("version text", top(version="1"), "version", "whole number from 1"),
    ("no title", top(title=None), "title", "is missing"),
    (
        "language without number rules",
        top(language="de"),
        "language",
        "must be a language tag of en, fr (such as en or fr-CA), found 'de'",
    ),
    ("language not a tag", top(language="English"), "language", "must be a language tag"),
    ("language not text", top(language=1), "language", "must be a language tag"),
    ("blank title", top(title="  "), "title", "is missing"),
    # flags
    ("flags not a list", top(flags={"harm": "x"}), "flags", "must be a list"),
    ("flag unknown field", lambda d: d["flags"][0].update(colour="red"), "flags[0]", "a flag has key, label"),
    ("flag bad key", lambda d: d["flags"][0].update(key="Harm!"), "flags[0]", "flag key must be lowercase"),
    (
        "duplicate flag",
        lambda d: d["flags"].append({"key": "harm", "label": "Again"}),
        "flags.harm",
        "duplicate flag key",
    ),
    ("flag without label", lambda d: d["flags"][0].pop("label"), "flags.harm", "needs a label"),
    (
        "flag nobody raises",
        lambda d: d["flags"].append({"key": "unused", "label": "Unused"}),
        "flags.unused",
        "no question raises this flag",
    ),
    (
        "undeclared flag raised",
        setq("harms", flag="other"),
        "question harms",
        "raises flag 'other', which the file does not declare",
    ),
    ("flag not text", setq("harms", flag=["harm"]), "question harms", "'flag' must be a flag key"),
    ("flag_on without flag", setq("review", flag_on=["yes"]), "question review", "'flag_on' without 'flag'"),
    (
        "flag_on bad answer",
        setq("harms", flag_on=["maybe"]),
        "question harms",
        "'flag_on' must be a list of yes / no / unsure",
    ),
    ("flag_on not a list", setq("harms", flag_on=3), "question harms", "'flag_on' must be a non-empty list"),
    ("flag_on empty", setq("harms", flag_on=[]), "question harms", "'flag_on' must be a non-empty list"),
    # steps
    ("no steps", top(steps=[]), "steps", "needs at least one step"),
    ("steps missing", top(steps=None), "steps", "needs at least one step"),
    ("step not a mapping", lambda d: d["steps"].insert(0, "first"), "steps[0]", "a step must be a mapping"),
    ("step bad key", step0(key="First Step"), "steps[0]", "step key must be lowercase"),
    ("duplicate step key", lambda d: d["steps"][1].update(key="first"), "step first", "duplicate step key"),
    (
        "step keyed like the wizard's review page",
        step0(key="review"),
        "step review",
        "'review' is the name of the wizard's own page after the last step",
    ),
    ("step unknown field", step0(colour="red"), "step first", "unknown field(s) ['colour']"),
    ("step without title", step0(title=None), "step first", "needs a title"),
    (
        "step without questions",
        lambda d: d["steps"].insert(0, {"key": "empty", "title": "E", "questions": []}),
        "step empty",
        "needs at least one question",
    ),
    # questions
    (
        "question not a mapping",
        prepend_question("harms"),
        "step first, question 1",
        "a question must be a mapping",
    ),
    (
        "question bad key",
        prepend_question({"key": "Bad Key", "type": "short_text", "label": "L"}),
        "step first, question 1",
        "question key must be lowercase",
    ),
    ("duplicate question key", setq("kind", key="harms"), "question harms", "duplicate question key"),
    ("unknown type", setq("kind", type="slider"), "question kind", "unknown type 'slider'"),
    ("missing type", setq("kind", type=None), "question kind", "unknown type None"),
    (
        "unknown question field",
        setq("kind", colour="red"),
        "question kind",
        "unknown field(s) ['colour'] for a single_choice question",
    ),
    (
        "options on yes_no_unsure",
        setq("harms", options=_options("y", "n")),
        "question harms",
        "unknown field(s) ['options'] for a yes_no_unsure question",
    ),
    ("no label", setq("name", label=None), "question name", "needs a 'label'"),
    ("empty help", setq("name", help=""), "question name", "'help' must be non-empty text"),
    (
        "required not boolean",
        setq("name", required="yes"),
        "question name",
        "'required' must be true or false",
    ),
    # options
    ("no options", setq("tags", options=None), "question tags", "needs 'options'"),
    ("one option", setq("tags", options=_options("x")), "question tags", "a list of at least two options"),
    ("option not a mapping", setq("tags", options=["x", "y"]), "question tags", "option 1 must be a mapping"),
    (
        "option unknown field",
        setq("tags", options=[{"value": "x", "label": "X", "icon": "i"}, {"value": "y", "label": "Y"}]),
        "question tags",
        "option 1 has unknown field(s) ['icon']",
    ),
    (
        "option without value",
        setq("tags", options=[{"label": "X"}, {"value": "y", "label": "Y"}]),
        "question tags",
        "option 1 has no value",
    ),
    (
        "option value not text",
        setq("tags", options=[{"value": 1, "label": "X"}, {"value": "y", "label": "Y"}]),
        "question tags",
        "option 1 has no value",
    ),
    (
        "option without label",
        setq("tags", options=[{"value": "x"}, {"value": "y", "label": "Y"}]),
        "question tags",
        "option 'x' has no label",
    ),
    (
        "negative points",
        setq(
            "kind",
            options=[{"value": "a", "label": "A", "points": -1}, {"value": "b", "label": "B", "points": 2}],
        ),
        "question kind",
        "option 'a' points must be a whole number",
    ),
    (
        "duplicate option value",
        setq("tags", options=_options("x", "x")),
        "question tags",
        "option value 'x' is used twice",
    ),
    (
        "points without scoring",
        setq("kind", scoring=None),
        "question kind",
        "options carry points but the question has no 'scoring",
    ),
    (
        "scoring without points",
        setq("tags", scoring="risk"),
        "question tags",
        "'scoring: risk' but no option carries points",
    ),
    (
        "unknown scoring kind",
        setq("kind", scoring="benefit"),
        "question kind",
        "'scoring' must be one of risk, mitigation",
    ),
    (
        "yes_no_unsure points not a mapping",
        setq("harms", points=[2, 1]),
        "question harms",
        "'points' must map yes / no / unsure",
    ),
    (
        "yes_no_unsure unknown answer",
        setq("harms", points={"maybe": 2}),
        "question harms",
        "'points' has unknown answer(s) ['maybe']",
    ),
    (
        "yes_no_unsure negative points",
        setq("harms", points={"yes": -2}),
        "question harms",
        "points for 'yes' must be a whole number",
    ),
    # other question types
    (
        "max_length zero",
        setq("name", max_length=0),
        "question name",
        "'max_length' must be a whole number above 0",
    ),
    (
        "max_emoji negative",
        setq("name", max_emoji=-1),
        "question name",
        "'max_emoji' must be a whole number, 0 or more",
    ),
    ("min not a number", setq("count", min="none"), "question count", "'min' must be a number"),
    ("min above max", setq("count", min=11), "question count", "'min' is above 'max'"),
    ("whole not boolean", setq("count", whole="no"), "question count", "'whole' must be true or false"),
    # show_if
    ("show_if not a mapping", show_if("name", "harms"), "question name", "show_if must be a mapping"),
    (
        "show_if unknown question",
        show_if("name", {"question": "ghost", "equals": "yes"}),
        "question name",
        "show_if refers to 'ghost', which is not an earlier question",
    ),
    (
        "show_if later question",
        show_if("name", {"question": "when", "answered": True}),
        "question name",
        "show_if refers to 'when', which is not an earlier question",
    ),
    (
        "show_if itself",
        show_if("name", {"question": "name", "answered": True}),
        "question name",
        "show_if refers to 'name', which is not an earlier question",
    ),
    (
        "show_if unknown flag",
        show_if("name", {"flag": "ghost"}),
        "question name",
        "show_if refers to unknown flag 'ghost'",
    ),
    (
        "show_if flag before it is raised",
        prepend_question(
            {"key": "early", "type": "short_text", "label": "Early?", "show_if": {"flag": "harm"}}
        ),
        "question early",
        "show_if uses flag 'harm' before any question raises it",
    ),
    (
        "show_if value not an option",
        show_if("name", {"question": "kind", "equals": "c"}),
        "question name",
        "show_if value 'c' is not an option of 'kind'",
    ),
    (
        "show_if compares a text",
        show_if("count", {"question": "name", "equals": "x"}),
        "question count",
        "show_if compares 'name', which has no options; use 'answered'",
    ),
    (
        "show_if includes on single choice",
        show_if("name", {"question": "kind", "includes": "a"}),
        "question name",
        "'includes' needs a multiple choice question",
    ),
    (
        "show_if two tests",
        show_if("name", {"question": "kind", "equals": "a", "in": ["b"]}),
        "question name",
        "exactly one of 'equals', 'in', 'includes', 'answered'",
    ),
    (
        "show_if no test",
        show_if("name", {"question": "kind"}),
        "question name",
        "exactly one of 'equals', 'in', 'includes', 'answered'",
    ),
    (
        "show_if unknown test",
        show_if("name", {"question": "kind", "contains": "a"}),
        "question name",
        "unknown show_if test 'contains'",
    ),
    (
        "show_if question not text",
        show_if("name", {"question": ["kind"], "equals": "a"}),
        "question name",
        "show_if 'question' must be a question key",
    ),
    (
        "show_if all with more",
        show_if("name", {"all": [{"flag": "harm"}], "flag": "harm"}),
        "question name",
        "show_if 'all' cannot be combined",
    ),
    (
        "show_if any empty",
        show_if("name", {"any": []}),
        "question name",
        "show_if 'any' needs a non-empty list",
    ),
    (
        "show_if not with more",
        show_if("name", {"not": {"flag": "harm"}, "flag": "harm"}),
        "question name",
        "show_if 'not' cannot be combined",
    ),
    (
        "show_if flag with more",
        show_if("name", {"flag": "harm", "equals": "yes"}),
        "question name",
        "show_if 'flag' takes one flag key",
    ),
    (
        "show_if without subject",
        show_if("name", {"equals": "yes"}),
        "question name",
        "show_if needs 'question', 'flag', 'all', 'any' or 'not'",
    ),
    (
        "show_if in empty",
        show_if("name", {"question": "kind", "in": []}),
        "question name",
        "show_if 'in' needs a non-empty list",
    ),
    (
        "show_if answered not boolean",
        show_if("name", {"question": "kind", "answered": "yes"}),
        "question name",
        "show_if 'answered' must be true or false",
    ),
    (
        "show_if value a list",
        show_if("name", {"question": "kind", "equals": ["a"]}),
        "question name",
        "must be text or a number",
    ),
    (
        "show_if nested unknown question",
        show_if("name", {"all": [{"flag": "harm"}, {"not": {"question": "ghost", "answered": True}}]}),
        "question name",
        "show_if refers to 'ghost'",
    ),
    (
        "step show_if to a later question",
        step0(show_if={"question": "harms", "equals": "yes"}),
        "step first",
        "show_if refers to 'harms', which is not an earlier question",
    ),
    # charter
    (
        "charter missing impact",
        top(charter={"likelihood": "likelihood"}),
        "charter",
        "needs exactly 'likelihood' and 'impact'",
    ),
    (
        "charter not a mapping",
        top(charter="likelihood"),
        "charter",
        "needs exactly 'likelihood' and 'impact'",
    ),
    (
        "charter unknown question",
        top(charter={"likelihood": "ghost", "impact": "impact"}),
        "charter.likelihood",
        "unknown question 'ghost'",
    ),
    (
        "charter key not text",
        top(charter={"likelihood": "likelihood", "impact": ["impact"]}),
        "charter.impact",
        "must be the key of a question",
    ),
    (
        "charter wrong options",
        top(charter={"likelihood": "likelihood", "impact": "kind"}),
        "question kind",
        "charter impact needs options low, moderate, high",
    ),
    (
        "charter likelihood wrong options",
        top(charter={"likelihood": "impact", "impact": "impact"}),
        "question impact",
        "charter likelihood needs options probable, occasional, improbable",
    ),
    # scoring
    ("scoring not a mapping", top(scoring=[80, 15]), "scoring", "must be a mapping"),
    ("scoring unknown field", top(scoring={"bonus_pct": 5}), "scoring", "unknown field(s) ['bonus_pct']"),
    (
        "threshold above 100",
        top(scoring={"mitigation_threshold_pct": 120}),
        "scoring.mitigation_threshold_pct",
        "whole percentage from 0 to 100",
    ),
    (
        "reduction not whole",
        top(scoring={"mitigation_reduction_pct": 12.5}),
        "scoring.mitigation_reduction_pct",
        "whole percentage from 0 to 100",
    ),
    (
        "bounds not rising",
        top(scoring={"level_bounds_pct": [50, 25, 75]}),
        "scoring.level_bounds_pct",
        "three rising percentages",
    ),
    (
        "two bounds",
        top(scoring={"level_bounds_pct": [25, 50]}),
        "scoring.level_bounds_pct",
        "three rising percentages",
    ),
    (
        "bound at 100",
        top(scoring={"level_bounds_pct": [25, 50, 100]}),
        "scoring.level_bounds_pct",
        "three rising percentages",
    ),
    # roles
    ("roles not a mapping", top(roles=["name"]), "roles", "must map role names to question keys"),
    ("roles empty", top(roles={}), "roles", "must map role names to question keys"),
    (
        "unknown role",
        roles(colour="name"),
        "roles.colour",
        "unknown role; the roles are system_name, decision, purpose",
    ),
    ("role of an unknown question", roles(purpose="ghost"), "roles.purpose", "unknown question 'ghost'"),
    ("role key not text", roles(purpose=3), "roles.purpose", "takes the key of one question"),
    (
        "role of the wrong type",
        roles(go_live="name", system_name=None),
        "roles.go_live",
        "question 'name' is a short_text question; the role go_live takes a date question",
    ),
    (
        "number role of a text",
        roles(people_per_year="detail", commitments=None),
        "roles.people_per_year",
        "the role people_per_year takes a number question",
    ),
    (
        "one-question role given a list",
        roles(purpose=["detail"]),
        "roles.purpose",
        "takes the key of one question",
    ),
    ("list role given one key", roles(sign_off="when"), "roles.sign_off", "takes a list of question keys"),
    (
        "list role empty",
        roles(mitigation_plans=[]),
        "roles.mitigation_plans",
        "takes a list of question keys",
    ),
    (
        "list role of the wrong type",
        roles(mitigation_plans=["tags"]),
        "roles.mitigation_plans[0]",
        "question 'tags' is a multiple_choice question; the role mitigation_plans takes a "
        "short_text or long_text question",
    ),
    (
        "question in two roles",
        roles(legal_basis="detail"),
        "roles.legal_basis",
        "question 'detail' already plays the role commitments (evidence)",
    ),
    (
        "question twice in a list role",
        top(roles={"mitigation_plans": ["detail", "detail"]}),
        "roles.mitigation_plans[1]",
        "question 'detail' already plays the role mitigation_plans",
    ),
    (
        "commitments not a list",
        roles(commitments={"title": "Care"}),
        "roles.commitments",
        "must be a list of {title, status, evidence}",
    ),
    (
        "commitment without evidence",
        commitment(evidence=None),
        "roles.commitments[0]",
        "a commitment has exactly a title, a status and an evidence question",
    ),
    (
        "commitment with an extra field",
        commitment(weight=2),
        "roles.commitments[0]",
        "a commitment has exactly a title, a status and an evidence question",
    ),
    (
        "commitment with a blank title",
        commitment(title=" "),
        "roles.commitments[0].title",
        "must be non-empty text",
    ),
    (
        "commitment listed twice",
        lambda d: d["roles"].update(
            system_name="name",
            commitments=[
                {"title": "Care", "status": "review", "evidence": "detail"},
                {"title": "Care", "status": "harms", "evidence": "name"},
            ],
        ),
        "roles.commitments[1].title",
        "commitment 'Care' is listed twice",
    ),
    (
        "commitment status of the wrong type",
        commitment(status="tags"),
        "roles.commitments[0].status",
        "the role commitments (status) takes a single_choice or yes_no_unsure question",
    ),
    (
        "commitment evidence of an unknown question",
        commitment(evidence="ghost"),
        "roles.commitments[0].evidence",
        "unknown question 'ghost'",
    ),
    (
        "lending roles without any",
        top(roles=None, version=2, roles_also_for_versions=[1]),
        "roles_also_for_versions",
        "lends the roles of this file, but it declares none",
    ),
    (
        "lending roles to a later version",
        top(version=2, roles_also_for_versions=[2]),
        "roles_also_for_versions",
        "must list earlier versions only (below 2)",
    ),
    (
        "lending roles twice to a version",
        top(version=3, roles_also_for_versions=[1, 1]),
        "roles_also_for_versions",
        "must be a list of version numbers, each once",
    ),
    (
        "lending roles to no version",
        top(version=3, roles_also_for_versions=[]),
        "roles_also_for_versions",
        "must be a list of version numbers, each once",
    ),
    # levels
    ("no levels", top(levels=None), "levels", "must list the four impact levels I to IV"),
    ("three levels", lambda d: d["levels"].pop(), "levels", "must list the four impact levels"),
    ("level unknown field", _level(0, colour="red"), "levels[0]", "a level has level, name and obligations"),
    ("levels out of order", _level(1, level=3), "levels[1]", "expected level 2"),
    (
        "obligations not a list",
        _level(2, obligations="tell people"),
        "levels[2]",
        "obligations must be a list",
    ),
    (
        "obligation without text",
        _level(3, obligations=[{"area": "Notice"}]),
        "levels[3]",
        "each obligation has an area and a text",
    ),
    (
        "obligation with extra field",
        _level(0, obligations=[{"area": "A", "text": "T", "by": "x"}]),
        "levels[0]",
        "each obligation has an area and a text",
    ),
]


def write(tmp_path: Path, document: Any, name: str = FILE) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def refusal(path: Path) -> DefinitionError:
    with pytest.raises(DefinitionError) as caught:
        load_file(path)
    return caught.value


def test_the_valid_document_loads(tmp_path: Path) -> None:
    definition = load_file(write(tmp_path, VALID))
    assert definition.ident == "broken v1"
    assert definition.max_points("risk") == 3
    assert definition.max_points("mitigation") == 3


@pytest.mark.parametrize(
    ("change", "where", "reason"), [pytest.param(c, w, r, id=i) for i, c, w, r in REFUSALS]
)
def test_refusal(tmp_path: Path, change: Callable[[dict[str, Any]], None], where: str, reason: str) -> None:
    document = copy.deepcopy(VALID)
    change(document)
    error = refusal(write(tmp_path, document))
    assert error.source == FILE
    assert error.where == where
    assert reason in error.reason
    place = f" at {where}" if where else ""
    assert str(error) == f"{FILE}{place}: {error.reason}"


def test_document_not_a_mapping(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, ["schema", 1]))
    assert (error.source, error.where) == (FILE, "")
    assert "must be a mapping with schema, key, version, title and steps" in str(error)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / FILE
    path.write_text("", encoding="utf-8")
    assert "must be a mapping" in str(refusal(path))


@pytest.mark.parametrize(
    "text, line",
    [
        ("schema: 1\nkey: [broken\n", 3),
        ("schema: 1\nsteps:\n  - key: a\n   title: b\n", 4),
        ('schema: 1\nkey: "unterminated\n', 3),
    ],
    ids=["unclosed list", "bad indentation", "unclosed quote"],
)
def test_invalid_yaml(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / FILE
    path.write_text(text, encoding="utf-8")
    error = refusal(path)
    assert error.source == FILE
    assert error.where.startswith("line ")
    assert "is not valid YAML" in error.reason
    assert str(error).startswith(f"{FILE} at line ")


def test_duplicate_yaml_key_in_a_question(tmp_path: Path) -> None:
    """YAML would keep the last of two equal keys; the loader refuses the file instead."""
    lines = write(tmp_path, VALID).read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "label: Name?")
    lines.insert(at + 1, lines[at].replace("Name?", "Surname?"))
    path = tmp_path / FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = refusal(path)
    assert error.where == f"line {at + 2}"
    assert "found duplicate key 'label'" in error.reason


def test_duplicate_top_level_key(tmp_path: Path) -> None:
    text = write(tmp_path, VALID).read_text(encoding="utf-8") + "title: Again\n"
    path = tmp_path / FILE
    path.write_text(text, encoding="utf-8")
    assert "found duplicate key 'title'" in refusal(path).reason


def test_yes_and_no_stay_text(tmp_path: Path) -> None:
    """A bare yes / no is an answer value, not a boolean, so show_if on it works unquoted."""
    text = write(tmp_path, VALID).read_text(encoding="utf-8")
    text = text.replace(
        "    show_if:\n      flag: harm\n", "    show_if:\n      question: harms\n      equals: yes\n", 1
    )
    path = tmp_path / FILE
    path.write_text(text, encoding="utf-8")
    definition = load_file(path)
    assert definition.questions["detail"].show_if == {"q": "harms", "in": ["yes"]}


def test_missing_file(tmp_path: Path) -> None:
    error = refusal(tmp_path / "absent-v1.yaml")
    assert (error.source, error.where) == ("absent-v1.yaml", "")
    assert "cannot be read" in error.reason


def test_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / FILE
    path.write_bytes("title: Caf\u00e9\n".encode("latin-1"))
    error = refusal(path)
    assert error.source == FILE
    assert "cannot be read" in error.reason


def test_registry_refuses_the_same_key_and_version_twice(tmp_path: Path) -> None:
    write(tmp_path, VALID, "a-v1.yaml")
    write(tmp_path, VALID, "b-v1.yaml")
    with pytest.raises(DefinitionError) as caught:
        Registry.from_folder(tmp_path)
    assert caught.value.source == "b-v1.yaml"
    assert caught.value.where == "key"
    assert "broken v1 is also defined in a-v1.yaml" in caught.value.reason
