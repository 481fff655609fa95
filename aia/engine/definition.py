"""A questionnaire definition as the app uses it: steps, questions, flags, scoring rules, levels
and roles; content-hashed. Read from a file by loader.py."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .conditions import Condition, is_answered
from .parsing import NUMBER_FORMATS, primary_language
from .questions import Question
from .roles import ROLES, Commitment, Roles
from .texts import Text, localized

LIKELIHOODS = ("probable", "occasional", "improbable")
IMPACTS = ("low", "moderate", "high")
LEVEL_NAMES = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Flag:
    key: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Obligation:
    area: str
    text: str


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    obligations: tuple[Obligation, ...]

    @property
    def numeral(self) -> str:
        return LEVEL_NAMES[self.number - 1]


SCORING_METHODS = ("aia", "canada-aia", "eu-fria")


@dataclass(frozen=True)
class ScoringRules:
    method: str = "aia"  # one of SCORING_METHODS: how scoring.score works the levels out
    mitigation_threshold_pct: int = 80
    mitigation_reduction_pct: int = 15
    level_bounds_pct: tuple[int, int, int] = (25, 50, 75)


@dataclass
class Step:
    key: str
    title: str
    intro: str | None
    show_if: Condition | None
    questions: list[Question] = field(default_factory=list)


@dataclass(frozen=True)
class FollowUp:
    """Another questionnaire this one leads to when a flag is raised (a threshold check leads
    to the full assessment), which starts with the answers the two share."""

    questionnaire: str
    when_flag: str
    label: str


@dataclass(frozen=True)
class Origin:
    """Where an imported questionnaire comes from: the format and version of its source, the
    notice its licence asks to show wherever it is shown, and each question's name there."""

    format: str
    version: str
    notice: str
    names: dict[str, str]  # question key -> its name in the source

    def name_of(self, key: str) -> str:
        return self.names.get(key, key)

    def key_of(self) -> dict[str, str]:
        """Source name -> question key."""
        return {name: key for key, name in self.names.items()}


@dataclass
class Definition:
    key: str
    version: int
    title: str
    description: str
    language: str
    source: str
    content_hash: str
    steps: list[Step]
    flags: dict[str, Flag]
    charter: dict[str, str] | None
    scoring: ScoringRules
    levels: list[Level]
    questions: dict[str, Question] = field(default_factory=dict)
    # For people choosing a questionnaire: when to use it, and about how long it takes.
    use_when: str = ""
    minutes: int | None = None
    follow_up: FollowUp | None = None
    roles: Roles = field(default_factory=Roles)
    # Earlier versions with the same questions, which the Registry gives these roles too;
    # on such an earlier version, the file its roles come from.
    roles_also_for_versions: tuple[int, ...] = ()
    roles_lent_by: str | None = None
    origin: Origin | None = None
    _in_languages: dict[str, Definition] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ident(self) -> str:
        return f"{self.key} v{self.version}"

    def in_language(self, language: str | None) -> Definition:
        """This questionnaire with every text in ``language`` where the file gives it, in the
        file's language elsewhere (texts.text_in). Made once per language, then kept."""
        if not language or language == self.language:
            return self
        if language not in self._in_languages:
            twin = localized(dataclasses.replace(self, _in_languages={}), language)
            twin._in_languages = {}
            _write_numbers_in(twin, language)
            self._in_languages[language] = twin
        return self._in_languages[language]

    def languages(self) -> list[str]:
        """The languages the file gives its title in: the file's own, and those it translates."""
        return self.title.languages() if isinstance(self.title, Text) else [self.language]

    # -- roles: the questions that play a part in the report and the register ---------------
    def role(self, name: str) -> Question | None:
        """The question playing the role ``name`` (one of roles.ROLES), if the file says."""
        keys = self._role_keys(name, many=False)
        return self.questions[keys[0]] if keys else None

    def role_questions(self, name: str) -> list[Question]:
        """The questions playing the list role ``name``, in the file's order."""
        return [self.questions[k] for k in self._role_keys(name, many=True)]

    def _role_keys(self, name: str, many: bool) -> tuple[str, ...]:
        if ROLES[name].many != many:  # a KeyError for a name no file can declare
            raise ValueError(
                f"{name} is {'not ' if many else ''}a list role: use {'role' if many else 'role_questions'}()"
            )
        return self.roles.questions.get(name, ())

    @property
    def commitments(self) -> tuple[Commitment, ...]:
        return self.roles.commitments

    def answer_for(self, name: str, answers: Mapping[str, Any]) -> Any:
        """The answer (as stored) given to the question playing the role, or None.
        ``answers`` are those of visible questions (a Resolution's, or a revision's)."""
        question = self.role(name)
        return None if question is None else answers.get(question.key)

    def text_for(self, name: str, answers: Mapping[str, Any]) -> str:
        """The answer to the role's question as a reader sees it; "" when there is none."""
        question = self.role(name)
        return "" if question is None else answer_text(question, answers)

    def step(self, key: str) -> Step:
        return next(s for s in self.steps if s.key == key)

    def has_step(self, key: str) -> bool:
        return any(s.key == key for s in self.steps)

    def flag_raisers(self, flag: str) -> list[Question]:
        return [q for q in self.questions.values() if q.flag == flag]

    def max_points(self, kind: str) -> int:
        """Fixed per version: every question of that kind counts, shown or not."""
        return sum(q.max_points() for q in self.questions.values() if q.scoring == kind)


def _write_numbers_in(definition: Definition, language: str) -> None:
    """Make the questions of ``definition`` (a twin made for a language) read and show numbers
    and dates as ``language`` writes them, when the engine knows how: a page in French reads
    "1,5" as one and a half, whatever the file's language. Answers are stored as plain numbers,
    so a revision reads the same in every language."""
    if primary_language(language) not in NUMBER_FORMATS:
        return
    for question in definition.questions.values():
        question.language = language
        for row_question in getattr(question, "questions", ()):  # a group's
            row_question.language = language


def answer_text(question: Question, answers: Mapping[str, Any]) -> str:
    """A valid, given answer to ``question`` as a reader sees it; "" otherwise."""
    value = answers.get(question.key)
    if not is_answered(value) or question.check_value(value) is not None:
        return ""
    return question.display(value)


def canonical_json(document: Any) -> bytes:
    """One byte string per document: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def content_hash(document: Any) -> str:
    return hashlib.sha256(canonical_json(document)).hexdigest()
