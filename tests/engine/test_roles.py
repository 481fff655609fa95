"""Roles: a questionnaire file says which of its questions play which part in the report and
the register. The shipped version 2 files declare them for the questions of version 1, and lend
them to version 1 through the Registry once it is shown to have the same role questions."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from aia.engine import DefinitionError, Registry, load_file
from aia.engine.roles import ROLES
from aia.engine.strict_yaml import StrictLoader
from aia.report.context import SUMMARY_ROLES

from .test_loader_refusals import VALID, write

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "aia" / "questionnaires"
REGISTRY = Registry.from_folder(QUESTIONNAIRES)
KEYS = ("starter", "ads-impact", "threshold")


def raw(name: str) -> dict[str, Any]:
    return yaml.load((QUESTIONNAIRES / name).read_text(encoding="utf-8"), Loader=StrictLoader)  # noqa: S506


@pytest.mark.parametrize("key", KEYS)
def test_version_2_is_version_1_with_roles(key: str) -> None:
    """Same questions, same rules, same text: only the version and the roles differ."""
    one, two = raw(f"{key}-v1.yaml"), raw(f"{key}-v2.yaml")
    assert (one["version"], two["version"]) == (1, 2)
    assert "roles" not in one and two["roles"]
    assert two["roles_also_for_versions"] == [1]
    for document in (one, two):
        for name in ("version", "roles", "roles_also_for_versions"):
            document.pop(name, None)
    assert one == two


@pytest.mark.parametrize("key", KEYS)
def test_version_1_answers_with_the_roles_of_version_2(key: str) -> None:
    one, two = REGISTRY.get(key, 1), REGISTRY.get(key, 2)
    assert one.roles == two.roles and one.roles.declared()
    assert one.roles_lent_by == f"{key}-v2.yaml" and two.roles_lent_by is None
    assert one.content_hash != two.content_hash  # each version keeps its own identity
    assert not load_file(QUESTIONNAIRES / f"{key}-v1.yaml").roles.declared()  # the file alone


def test_the_full_assessment_declares_every_part_the_report_shows() -> None:
    ads = REGISTRY.latest("ads-impact")
    undeclared = [role for role, _ in SUMMARY_ROLES if ads.role(role) is None]
    assert undeclared == ["affected_people"]  # no question of ads-impact asks who is affected
    assert ads.role("system_name").key == "system_name"
    assert ads.role("contact_point").key == "public_contact"
    assert [q.key for q in ads.role_questions("sign_off")] == [
        "prepared_by_role",
        "approver_role",
        "signoff_date",
        "next_review_date",
    ]
    assert "mitigation_plan" in [q.key for q in ads.role_questions("mitigation_plans")]
    assert [c.title for c in ads.commitments] == [
        "Data",
        "Transparency",
        "Human oversight",
        "Privacy, ethics and human rights",
        "Partnership",
        "People",
    ]
    for commitment in ads.commitments:
        # The title is the one the question's area gives (as the report used to derive it).
        area = ads.questions[commitment.status].area
        assert area == f"Charter commitment: {commitment.title[:1].lower()}{commitment.title[1:]}"
        assert ads.questions[commitment.evidence].area == area


def test_the_threshold_check_names_the_system() -> None:
    check = REGISTRY.latest("threshold")
    assert check.role("system_name").key == "system_name"
    assert check.text_for("system_name", {"system_name": "Rota planner"}) == "Rota planner"
    assert check.role("purpose") is None and check.text_for("purpose", {}) == ""
    assert check.commitments == ()


def test_answers_through_roles() -> None:
    starter = REGISTRY.latest("starter")
    answers = {
        "contact": "team@agency.example",
        "people_per_year": 125000,
        "decision_area": "services",
        "go_live": "not a date",
    }
    assert starter.answer_for("contact_point", answers) == "team@agency.example"
    assert starter.text_for("people_per_year", answers) == "125,000"
    assert starter.text_for("decision_area", answers) == "Access to public services or benefits"
    assert starter.text_for("go_live", answers) == ""  # an invalid answer shows as none
    assert starter.text_for("purpose", answers) == ""  # not answered
    with pytest.raises(KeyError):
        starter.role("contact")  # a role name no file can declare
    with pytest.raises(ValueError, match="use role_questions"):
        starter.role("mitigation_plans")
    assert [q.key for q in starter.role_questions("mitigation_plans")] == ["explanation_how"]
    assert starter.role_questions("sign_off") == []


def test_every_role_takes_only_question_types_that_exist() -> None:
    from aia.engine.questions import QUESTION_TYPES

    for spec in ROLES.values():
        assert set(spec.types) <= set(QUESTION_TYPES)


# -- lending roles to an earlier version ----------------------------------------------------


def versions(tmp_path: Path, *changes) -> Path:
    """The valid document of test_loader_refusals as version 1 (without roles) and version 2
    (with them), each changed as given."""
    one = copy.deepcopy(VALID)
    one.pop("roles")
    two = copy.deepcopy(VALID) | {"version": 2, "roles_also_for_versions": [1]}
    for change in changes:
        change(one, two)
    write(tmp_path, one, "broken-v1.yaml")
    write(tmp_path, two, "broken-v2.yaml")
    return tmp_path


def registry_refusal(folder: Path) -> DefinitionError:
    with pytest.raises(DefinitionError) as caught:
        Registry.from_folder(folder)
    return caught.value


def test_roles_are_lent_to_an_earlier_version(tmp_path: Path) -> None:
    registry = Registry.from_folder(versions(tmp_path))
    assert registry.get("broken", 1).role("system_name").key == "name"
    again = Registry(registry.all())  # a registry built from another one
    assert again.get("broken", 1).roles == registry.get("broken", 2).roles


def test_lending_roles_to_a_version_not_installed(tmp_path: Path) -> None:
    folder = versions(tmp_path)
    (folder / "broken-v1.yaml").unlink()
    error = registry_refusal(folder)
    assert (error.source, error.where) == ("broken-v2.yaml", "roles_also_for_versions")
    assert error.reason == "broken v1 is not installed"


def second_step_question(index: int, **changes: Any):
    def change(one: dict[str, Any], two: dict[str, Any]) -> None:
        one["steps"][1]["questions"][index] = changes

    return change


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda one, two: one.update(roles={"purpose": "detail"}), "broken v1 declares roles of its own"),
        (
            second_step_question(1, key="name", type="short_text", label="Another name?"),
            "question 'name' is not the same in broken v1 (missing, or another type or label)",
        ),
        (
            second_step_question(2, key="count", type="short_text", label="How many?"),
            "question 'count' is not the same in broken v1",
        ),
        (
            second_step_question(3, key="when_else", type="date", label="When?"),
            "question 'when' is not the same in broken v1",
        ),
    ],
    ids=["declares its own", "other label", "other type", "missing"],
)
def test_lending_roles_is_refused_when_they_would_not_hold(tmp_path: Path, change, reason: str) -> None:
    error = registry_refusal(versions(tmp_path, change))
    assert (error.source, error.where) == ("broken-v2.yaml", "roles_also_for_versions")
    assert reason in error.reason


def test_two_files_cannot_lend_roles_to_the_same_version(tmp_path: Path) -> None:
    def third(one, two):
        write(tmp_path, two | {"version": 3, "roles_also_for_versions": [1]}, "broken-v3.yaml")

    error = registry_refusal(versions(tmp_path, third))
    assert error.source == "broken-v3.yaml"
    assert "broken v1 already has the roles of broken-v2.yaml" in error.reason
