"""Reading a questionnaire file: YAML into a Definition, checked as strictly as user input. The
first problem stops the load, with the file, the place in it and the reason."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .conditions import Condition, parse_condition, referenced_flags, referenced_questions
from .definition import (
    IMPACTS,
    LIKELIHOODS,
    SCORING_METHODS,
    Definition,
    Flag,
    FollowUp,
    Level,
    Obligation,
    Origin,
    ScoringRules,
    Step,
    content_hash,
)
from .errors import DefinitionError
from .parsing import NUMBER_FORMATS, primary_language
from .questions import QUESTION_TYPES, Question
from .roles import parse_roles
from .strict_yaml import StrictLoader
from .texts import read_text

SCHEMA_VERSION = 1
TOP_KEYS = {
    "schema",
    "key",
    "version",
    "title",
    "description",
    "use_when",
    "minutes",
    "language",
    "flags",
    "charter",
    "scoring",
    "levels",
    "steps",
    "follow_up",
    "roles",
    "roles_also_for_versions",
    "origin",
}
ORIGIN_FORMATS = ("canada-aia",)
SCORING_FIELDS = ("mitigation_threshold_pct", "mitigation_reduction_pct", "level_bounds_pct")
STEP_KEYS = {"key", "title", "intro", "show_if", "questions"}
# Step keys the wizard uses for pages of its own ("review" is the page after the last step).
RESERVED_STEP_KEYS = frozenset({"review"})


def load_file(path: str | Path) -> Definition:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DefinitionError(path.name, "", f"cannot be read ({error})") from None
    return parse_definition(text, source=path.name)


def load_document(document: Any, source: str) -> Definition:
    """A definition from a document already read (an imported questionnaire, stored as JSON),
    checked as strictly as a file."""
    return _Loader(source).load(document)


def parse_definition(text: str, source: str = "<string>") -> Definition:
    try:
        # StrictLoader is a SafeLoader subclass: it builds no arbitrary objects.
        raw = yaml.load(text, Loader=StrictLoader)  # noqa: S506  # nosec B506
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", error)
        raise DefinitionError(source, where, f"is not valid YAML ({problem})") from None
    return _Loader(source).load(raw)


class _Loader:
    def __init__(self, source: str):
        self.source = source
        self.language = "en"

    def fail(self, where: str, reason: str) -> DefinitionError:
        return DefinitionError(self.source, where, reason)

    def load(self, raw: Any) -> Definition:
        if not isinstance(raw, Mapping):
            raise self.fail("", "must be a mapping with schema, key, version, title and steps")
        unknown = set(raw) - TOP_KEYS
        if unknown:
            raise self.fail("", f"unknown top-level field(s) {sorted(unknown)}")
        if raw.get("schema") != SCHEMA_VERSION:
            raise self.fail("schema", f"must be {SCHEMA_VERSION}, found {raw.get('schema')!r}")
        key = raw.get("key")
        if not isinstance(key, str) or not _is_key(key):
            raise self.fail("key", "must be lowercase letters, digits, '-' or '_'")
        version = raw.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise self.fail("version", "must be a whole number from 1")
        self.language = self._language(raw.get("language", "en"))
        if raw.get("title") is None or (isinstance(raw["title"], str) and not raw["title"].strip()):
            raise self.fail("title", "is missing")
        title = self._text(raw["title"], "title", "title")
        flags = self._flags(raw.get("flags") or [])
        steps, questions = self._steps(raw.get("steps"), flags)
        charter = self._charter(raw.get("charter"), questions)
        definition = Definition(
            key=key,
            version=version,
            title=title,
            description=self._text(raw.get("description") or "", "description", "description", blank=True),
            use_when=self._optional_text(raw, "use_when"),
            minutes=self._minutes(raw.get("minutes")),
            language=self.language,
            source=self.source,
            content_hash=content_hash(raw),
            steps=steps,
            flags=flags,
            charter=charter,
            scoring=self._scoring(raw.get("scoring") or {}),
            levels=self._levels(raw.get("levels")),
            questions=questions,
            follow_up=self._follow_up(raw.get("follow_up"), flags),
            roles=parse_roles(
                raw.get("roles"), {k: q.type_name for k, q in questions.items()}, self.fail, self.language
            ),
            roles_also_for_versions=self._earlier_versions(raw, version),
            origin=self._origin(raw.get("origin"), questions),
        )
        for flag in flags:
            if not definition.flag_raisers(flag):
                raise self.fail(f"flags.{flag}", "no question raises this flag")
        return definition

    def _optional_text(self, raw: Mapping[str, Any], name: str) -> str:
        value = raw.get(name)
        if value is None:
            return ""
        return self._text(value, name, name)

    def _minutes(self, raw: Any) -> int | None:
        """About how long answering takes, in minutes, shown to people choosing a questionnaire."""
        if raw is None:
            return None
        if not isinstance(raw, int) or isinstance(raw, bool) or not 1 <= raw <= 10000:
            raise self.fail("minutes", "must be a whole number of minutes from 1")
        return raw

    def _text(self, raw: Any, where: str, name: str, *, blank: bool = False) -> str:
        """A text of the file: a string, or a mapping language -> string (texts.read_text)."""
        return read_text(raw, self.language, lambda reason: self.fail(where, reason), name, blank=blank)

    def _language(self, raw: Any) -> str:
        """A language tag (en, fr, en-GB...) whose way of writing numbers the engine knows."""
        known = ", ".join(sorted(NUMBER_FORMATS))
        if (
            not isinstance(raw, str)
            or not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", raw)
            or primary_language(raw) not in NUMBER_FORMATS
        ):
            raise self.fail(
                "language", f"must be a language tag of {known} (such as en or fr-CA), found {raw!r}"
            )
        return raw

    def _flags(self, items: Any) -> dict[str, Flag]:
        if not isinstance(items, list):
            raise self.fail("flags", "must be a list")
        flags: dict[str, Flag] = {}
        for i, item in enumerate(items):
            where = f"flags[{i}]"
            if not isinstance(item, Mapping) or set(item) - {"key", "label", "description"}:
                raise self.fail(where, "a flag has key, label and an optional description")
            key = item.get("key")
            if not isinstance(key, str) or not _is_key(key):
                raise self.fail(where, "flag key must be lowercase letters, digits, '-' or '_'")
            if key in flags:
                raise self.fail(f"flags.{key}", "duplicate flag key")
            if item.get("label") is None:
                raise self.fail(f"flags.{key}", "needs a label")
            label = self._text(item["label"], f"flags.{key}", "label", blank=True)
            description = self._text(item.get("description") or "", f"flags.{key}", "description", blank=True)
            flags[key] = Flag(key, label, description)
        return flags

    def _steps(self, items: Any, flags: dict[str, Flag]) -> tuple[list[Step], dict[str, Question]]:
        if not isinstance(items, list) or not items:
            raise self.fail("steps", "needs at least one step")
        steps: list[Step] = []
        questions: dict[str, Question] = {}
        step_keys: set[str] = set()
        raised_so_far: set[str] = set()
        for i, raw_step in enumerate(items):
            if not isinstance(raw_step, Mapping):
                raise self.fail(f"steps[{i}]", "a step must be a mapping")
            skey = raw_step.get("key")
            if not isinstance(skey, str) or not _is_key(skey):
                raise self.fail(f"steps[{i}]", "step key must be lowercase letters, digits, '-' or '_'")
            if skey in RESERVED_STEP_KEYS:
                raise self.fail(
                    f"step {skey}",
                    f"'{skey}' is the name of the wizard's own page "
                    "after the last step; give the step another key",
                )
            if skey in step_keys:
                raise self.fail(f"step {skey}", "duplicate step key")
            step_keys.add(skey)
            unknown = set(raw_step) - STEP_KEYS
            if unknown:
                raise self.fail(f"step {skey}", f"unknown field(s) {sorted(unknown)}")
            if raw_step.get("title") is None:
                raise self.fail(f"step {skey}", "needs a title")
            title = self._text(raw_step["title"], f"step {skey}", "title", blank=True)
            intro = raw_step.get("intro")
            if intro is not None:
                intro = self._text(intro, f"step {skey}", "intro", blank=True)
            show_if = None
            if "show_if" in raw_step:
                show_if = self._condition(
                    raw_step["show_if"], f"step {skey}", questions, raised_so_far, flags
                )
            step = Step(skey, title, intro, show_if)
            raw_questions = raw_step.get("questions")
            if not isinstance(raw_questions, list) or not raw_questions:
                raise self.fail(f"step {skey}", "needs at least one question")
            for j, raw_q in enumerate(raw_questions):
                question = self._question(raw_q, skey, j, questions, raised_so_far, flags)
                questions[question.key] = question
                step.questions.append(question)
                if question.flag:
                    raised_so_far.add(question.flag)
            steps.append(step)
        return steps, questions

    def _question(
        self,
        raw: Any,
        step_key: str,
        index: int,
        earlier: dict[str, Question],
        raised: set[str],
        flags: dict[str, Flag],
    ) -> Question:
        if not isinstance(raw, Mapping):
            raise self.fail(f"step {step_key}, question {index + 1}", "a question must be a mapping")
        qkey = raw.get("key")
        if not isinstance(qkey, str) or not _is_key(qkey):
            raise self.fail(
                f"step {step_key}, question {index + 1}",
                "question key must be lowercase letters, digits, '-' or '_'",
            )
        where = f"question {qkey}"
        if qkey in earlier:
            raise self.fail(where, "duplicate question key")
        qtype = raw.get("type")
        cls = QUESTION_TYPES.get(qtype) if isinstance(qtype, str) else None
        if cls is None:
            raise self.fail(where, f"unknown type {qtype!r}; use one of {', '.join(QUESTION_TYPES)}")
        flag_on = raw.get("flag_on", ["yes"])
        if "flag_on" in cls.extra_keys and (not isinstance(flag_on, list) or not flag_on):
            raise self.fail(where, "'flag_on' must be a non-empty list of yes / no / unsure")
        question = cls(raw, step_key, lambda reason: self.fail(where, reason), self.language)
        if question.flag is not None and question.flag not in flags:
            raise self.fail(where, f"raises flag '{question.flag}', which the file does not declare")
        if "show_if" in raw:
            question.show_if = self._condition(raw["show_if"], where, earlier, raised, flags)
        return question

    def _condition(
        self, raw: Any, where: str, earlier: dict[str, Question], raised: set[str], flags: dict[str, Flag]
    ) -> Condition:
        cond = parse_condition(raw, lambda reason: self.fail(where, reason))
        for ref in referenced_questions(cond):
            if ref not in earlier:
                raise self.fail(where, f"show_if refers to '{ref}', which is not an earlier question")
        for ref in referenced_flags(cond):
            if ref not in flags:
                raise self.fail(where, f"show_if refers to unknown flag '{ref}'")
            if ref not in raised:
                raise self.fail(where, f"show_if uses flag '{ref}' before any question raises it")
        self._check_values(cond, where, earlier)
        return cond

    def _check_values(self, cond: Condition, where: str, earlier: dict[str, Question]) -> None:
        for group in ("all", "any"):
            for sub in cond.get(group, []):
                self._check_values(sub, where, earlier)
        if "not" in cond:
            self._check_values(cond["not"], where, earlier)
        if "q" not in cond or "answered" in cond:
            return
        target = earlier[cond["q"]]
        options = getattr(target, "values", None)
        if options is None:
            raise self.fail(
                where, f"show_if compares '{cond['q']}', which has no options; use 'answered' for it"
            )
        wanted = cond.get("in", [cond.get("has")])
        for value in wanted:
            if value not in options:
                raise self.fail(where, f"show_if value '{value}' is not an option of '{cond['q']}'")
        if "has" in cond and not getattr(target, "multiple", False):
            raise self.fail(
                where, f"'includes' needs a multiple choice question; use 'equals' for '{cond['q']}'"
            )

    def _earlier_versions(self, raw: Mapping[str, Any], version: int) -> tuple[int, ...]:
        """roles_also_for_versions: earlier versions of this file, released before it declared
        roles, whose questions are the same; the Registry checks them against those files."""
        versions = raw.get("roles_also_for_versions")
        if versions is None:
            return ()
        where = "roles_also_for_versions"
        if "roles" not in raw:
            raise self.fail(where, "lends the roles of this file, but it declares none")
        if (
            not isinstance(versions, list)
            or not versions
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in versions)
            or len(set(versions)) != len(versions)
        ):
            raise self.fail(where, "must be a list of version numbers, each once")
        if not all(1 <= v < version for v in versions):
            raise self.fail(where, f"must list earlier versions only (below {version})")
        return tuple(versions)

    def _follow_up(self, raw: Any, flags: dict[str, Flag]) -> FollowUp | None:
        if raw is None:
            return None
        if not isinstance(raw, Mapping) or set(raw) != {"questionnaire", "when_flag", "label"}:
            raise self.fail("follow_up", "needs exactly 'questionnaire', 'when_flag' and 'label'")
        if not isinstance(raw["questionnaire"], str) or not _is_key(raw["questionnaire"]):
            raise self.fail("follow_up.questionnaire", "must be a questionnaire key")
        if raw["when_flag"] not in flags:
            raise self.fail("follow_up.when_flag", f"unknown flag {raw['when_flag']!r}")
        label = self._text(raw["label"], "follow_up.label", "label")
        return FollowUp(raw["questionnaire"], raw["when_flag"], label)

    def _charter(self, raw: Any, questions: dict[str, Question]) -> dict[str, str] | None:
        if raw is None:
            return None
        if not isinstance(raw, Mapping) or set(raw) != {"likelihood", "impact"}:
            raise self.fail("charter", "needs exactly 'likelihood' and 'impact' question keys")
        for part, expected in (("likelihood", LIKELIHOODS), ("impact", IMPACTS)):
            if not isinstance(raw[part], str):
                raise self.fail(f"charter.{part}", "must be the key of a question")
            question = questions.get(raw[part])
            if question is None:
                raise self.fail(f"charter.{part}", f"unknown question '{raw[part]}'")
            if sorted(getattr(question, "values", [])) != sorted(expected):
                raise self.fail(
                    f"question {question.key}", f"charter {part} needs options {', '.join(expected)}"
                )
        return {"likelihood": raw["likelihood"], "impact": raw["impact"]}

    def _scoring(self, raw: Any) -> ScoringRules:
        if not isinstance(raw, Mapping):
            raise self.fail("scoring", "must be a mapping")
        unknown = set(raw) - {
            "method",
            "mitigation_threshold_pct",
            "mitigation_reduction_pct",
            "level_bounds_pct",
        }
        if unknown:
            raise self.fail("scoring", f"unknown field(s) {sorted(unknown)}")
        rules = ScoringRules()
        method = raw.get("method", rules.method)
        if method not in SCORING_METHODS:
            raise self.fail("scoring.method", f"must be one of {', '.join(SCORING_METHODS)}, not {method!r}")
        threshold = raw.get("mitigation_threshold_pct", rules.mitigation_threshold_pct)
        reduction = raw.get("mitigation_reduction_pct", rules.mitigation_reduction_pct)
        bounds = raw.get("level_bounds_pct", list(rules.level_bounds_pct))
        for name, value in (("mitigation_threshold_pct", threshold), ("mitigation_reduction_pct", reduction)):
            if not isinstance(value, int) or not 0 <= value <= 100:
                raise self.fail(f"scoring.{name}", "must be a whole percentage from 0 to 100")
        if (
            not isinstance(bounds, list)
            or len(bounds) != 3
            or not all(isinstance(b, int) for b in bounds)
            or not 0 < bounds[0] < bounds[1] < bounds[2] < 100
        ):
            raise self.fail("scoring.level_bounds_pct", "must be three rising percentages")
        return ScoringRules(method, threshold, reduction, tuple(bounds))

    def _origin(self, raw: Any, questions: dict[str, Question]) -> Origin | None:
        """Where an imported questionnaire comes from (written by the importer)."""
        if raw is None:
            return None
        if not isinstance(raw, Mapping) or set(raw) != {"format", "version", "notice", "names"}:
            raise self.fail("origin", "needs exactly 'format', 'version', 'notice' and 'names'")
        if raw["format"] not in ORIGIN_FORMATS:
            raise self.fail("origin.format", f"must be one of {', '.join(ORIGIN_FORMATS)}")
        if not isinstance(raw["version"], str) or not raw["version"].strip():
            raise self.fail("origin.version", "must be the source's version, as text")
        notice = self._text(raw["notice"], "origin.notice", "notice")
        names = raw["names"]
        if not isinstance(names, Mapping) or not all(isinstance(v, str) and v for v in names.values()):
            raise self.fail("origin.names", "must map question keys to their names in the source")
        for key in names:
            if key not in questions:
                raise self.fail("origin.names", f"unknown question '{key}'")
        if len(set(names.values())) != len(names):
            raise self.fail("origin.names", "a name in the source is given to two questions")
        return Origin(raw["format"], raw["version"].strip(), notice, dict(names))

    def _levels(self, raw: Any) -> list[Level]:
        if not isinstance(raw, list) or len(raw) != 4:
            raise self.fail("levels", "must list the four impact levels I to IV")
        levels = []
        for i, item in enumerate(raw):
            where = f"levels[{i}]"
            if not isinstance(item, Mapping) or set(item) - {"level", "name", "obligations"}:
                raise self.fail(where, "a level has level, name and obligations")
            if item.get("level") != i + 1:
                raise self.fail(where, f"expected level {i + 1}")
            obligations = item.get("obligations") or []
            if not isinstance(obligations, list):
                raise self.fail(where, "obligations must be a list")
            parsed = []
            for ob in obligations:
                if not isinstance(ob, Mapping) or set(ob) != {"area", "text"}:
                    raise self.fail(where, "each obligation has an area and a text")
                area = self._text(ob["area"], where, "area", blank=True)
                parsed.append(Obligation(area, self._text(ob["text"], where, "text", blank=True)))
            name = self._text(item.get("name") or "", where, "name", blank=True)
            levels.append(Level(i + 1, name, tuple(parsed)))
        return levels


def _is_key(value: str) -> bool:
    return bool(value) and value[0].isalpha() and all(c.islower() or c.isdigit() or c in "-_" for c in value)
