"""Roles: which question of a questionnaire plays which part in the report and the register
(the system's name, what it is for, the contact point, the charter commitments...). The report
and the register find answers only through these declarations, never by a question's key.

Written in a questionnaire file as::

    roles:
      system_name: system_name
      purpose: purpose
      contact_point: public_contact
      mitigation_plans: [mitigation_plan, harm_measures]
      commitments:
        - {title: Transparency, status: commitment_transparency_status,
           evidence: commitment_transparency_evidence}

A role names one question; a list role (mitigation_plans, sign_off) names a list of them.
Each role takes only the question types that fit it, and a question plays one role at most.
A file may declare no role at all: the report and the register then leave those parts out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from .texts import read_text

TEXT = ("short_text", "long_text")


@dataclass(frozen=True)
class RoleSpec:
    types: tuple[str, ...]  # the question types that can play the role
    many: bool = False  # a list of questions rather than one
    # A question that plays this role may play one other role too (next_review is also in
    # sign_off, say): it only adds a check, and shows nowhere else.
    beside: bool = False


ROLES: dict[str, RoleSpec] = {
    "system_name": RoleSpec(("short_text",)),
    "decision": RoleSpec(TEXT),
    "purpose": RoleSpec(TEXT),
    "affected_people": RoleSpec(TEXT + ("single_choice", "multiple_choice")),
    "contact_point": RoleSpec(TEXT),
    "decision_area": RoleSpec(("single_choice", "multiple_choice") + TEXT),
    "part_in_decision": RoleSpec(("single_choice",) + TEXT),
    "people_per_year": RoleSpec(("number",)),
    "groups_at_risk": RoleSpec(("multiple_choice",) + TEXT),
    "effects": RoleSpec(("multiple_choice",) + TEXT),
    "stage": RoleSpec(("single_choice",) + TEXT),
    "go_live": RoleSpec(("date",)),
    "built_by": RoleSpec(("single_choice",) + TEXT),
    "legal_basis": RoleSpec(TEXT),
    "mitigation_plans": RoleSpec(TEXT, many=True),
    "sign_off": RoleSpec(TEXT + ("date",), many=True),
    "next_review": RoleSpec(("date",), beside=True),
}
COMMITMENTS = "commitments"
COMMITMENT_PARTS: dict[str, tuple[str, ...]] = {
    "status": ("single_choice", "yes_no_unsure"),
    "evidence": TEXT,
}


@dataclass(frozen=True)
class Commitment:
    """A commitment the questionnaire asks about: how far it is met, and what shows it."""

    title: str
    status: str  # question keys
    evidence: str


@dataclass(frozen=True)
class Roles:
    questions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role -> question keys
    commitments: tuple[Commitment, ...] = ()

    def declared(self) -> bool:
        return bool(self.questions or self.commitments)

    def keys(self) -> list[str]:
        """Every question that plays a role."""
        keys = [k for ks in self.questions.values() for k in ks]
        return keys + [k for c in self.commitments for k in (c.status, c.evidence)]


Fail = Callable[[str, str], Exception]  # (where, reason) -> the error to raise


def parse_roles(raw: Any, question_types: Mapping[str, str], fail: Fail, language: str = "en") -> Roles:
    """The file's ``roles:`` checked against its questions (key -> type name); ``language``
    is the file's, that of a commitment's title when it is written as one string."""
    if raw is None:
        return Roles()
    if not isinstance(raw, Mapping) or not raw:
        raise fail("roles", "must map role names to question keys")
    players: dict[str, str] = {}  # question key -> the role it plays

    def take(key: Any, role: str, types: tuple[str, ...], where: str) -> str:
        if not isinstance(key, str):
            raise fail(where, "must be the key of a question")
        if key not in question_types:
            raise fail(where, f"unknown question '{key}'")
        if question_types[key] not in types:
            raise fail(
                where,
                f"question '{key}' is a {question_types[key]} question; the role "
                f"{role} takes a {' or '.join(types)} question",
            )
        if ROLES.get(role, RoleSpec(())).beside:
            return key
        if key in players:
            raise fail(where, f"question '{key}' already plays the role {players[key]}")
        players[key] = role
        return key

    questions: dict[str, tuple[str, ...]] = {}
    commitments: tuple[Commitment, ...] = ()
    for role, value in raw.items():
        where = f"roles.{role}"
        if role == COMMITMENTS:
            commitments = _commitments(value, take, fail, language)
            continue
        spec = ROLES.get(role)
        if spec is None:
            raise fail(where, f"unknown role; the roles are {', '.join([*ROLES, COMMITMENTS])}")
        if not spec.many:
            if not isinstance(value, str):
                raise fail(where, "takes the key of one question")
            questions[role] = (take(value, role, spec.types, where),)
            continue
        if not isinstance(value, list) or not value:
            raise fail(where, "takes a list of question keys")
        questions[role] = tuple(take(key, role, spec.types, f"{where}[{i}]") for i, key in enumerate(value))
    return Roles(questions, commitments)


def _commitments(
    raw: Any, take: Callable[[Any, str, tuple[str, ...], str], str], fail: Fail, language: str
) -> tuple[Commitment, ...]:
    if not isinstance(raw, list) or not raw:
        raise fail("roles.commitments", "must be a list of {title, status, evidence}")
    found: list[Commitment] = []
    for i, item in enumerate(raw):
        where = f"roles.commitments[{i}]"
        if not isinstance(item, Mapping) or set(item) != {"title", *COMMITMENT_PARTS}:
            raise fail(where, "a commitment has exactly a title, a status and an evidence question")
        title = read_text(item["title"], language, partial(fail, f"{where}.title"), "title")
        if any(c.title == title for c in found):
            raise fail(f"{where}.title", f"commitment '{title}' is listed twice")
        status, evidence = (
            take(item[part], f"{COMMITMENTS} ({part})", types, f"{where}.{part}")
            for part, types in COMMITMENT_PARTS.items()
        )
        found.append(Commitment(title, status, evidence))
    return tuple(found)
