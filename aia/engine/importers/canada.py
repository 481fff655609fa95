"""Canada's Algorithmic Impact Assessment survey files (SurveyJS JSON, English and French) as
questionnaire definitions of our own format, scored by Canada's method (scoring_canada.py).

- every page with questions becomes a step (in order); its ``visibleIf`` becomes the step's
  ``show_if``, so the design / implementation fork on ``projectDetailsPhase`` works as in the
  Canadian tool;
- radiogroup and dropdown become single choices, checkbox a multiple choice, text a short text,
  comment a long text; html blocks become the step's introduction, as plain text;
- a choice keeps its value; its points are the number after the value's last ``-``;
- questions inside a page or panel named ``...-RS`` score risk, ``...-MS`` mitigation, ``...-NS``
  nothing;
- every text keeps its English (``default``) and French (``fr``);
- the survey's question names are kept in ``origin.names`` (our keys are lower case), so that
  an answer file can be read and written with Canada's names.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from ..errors import DefinitionError
from .canada_conditions import Target, convert
from .canada_levels import LEVELS, NOTICE, TITLE

FORMAT = "canada-aia"
KEY = "canada-aia"
# Our version number for each version of the Canadian tool, in the order they were released.
VERSIONS = {"v0.8a1": 1, "v0.9": 2, "v0.9.1": 3, "v0.10.0": 4, "v1.0.0": 5, "v1.0.1": 6}
PHASE_QUESTION = "projectDetailsPhase"
QUESTION_TYPES = {
    "radiogroup": "single_choice",
    "dropdown": "single_choice",
    "checkbox": "multiple_choice",
    "text": "short_text",
    "comment": "long_text",
}
KINDS = {"RS": "risk", "MS": "mitigation", "NS": None}
SHORT_MAX, LONG_MAX = 500, 10_000


class NotACanadianSurvey(DefinitionError):
    """The file is not one of Canada's AIA survey files (or not one this importer reads)."""


def points_of(value: Any) -> int:
    """The points of a choice: the number after the last '-' of its value, else 0."""
    match = re.search(r"-(\d+)$", str(value))
    return int(match.group(1)) if match else 0


def key_for(name: str) -> str:
    """Our key for a survey name: lower case, a '_' before each capital run ("aboutSystem10A"
    -> "about_system10_a", "ADMresponsible" -> "admresponsible")."""
    key = re.sub(r"(?<=[a-z0-9])([A-Z]+)", r"_\1", name).lower()
    key = re.sub(r"[^a-z0-9_-]", "_", key)
    return key if key[:1].isalpha() else f"q{key}"


def convert_survey(survey: Any, source_version: str, source: str) -> dict[str, Any]:
    """The questionnaire document (our format, as data) for a survey file's JSON."""
    return _Converter(source, source_version).convert(survey)


class _Converter:
    def __init__(self, source: str, source_version: str):
        self.source = source
        self.source_version = source_version
        self.names: dict[str, str] = {}  # our key -> survey name
        self.targets: dict[str, Target] = {}  # survey name -> what a condition can compare

    def refuse(self, reason: str) -> NotACanadianSurvey:
        return NotACanadianSurvey(self.source, "", reason)

    def fail(self, where: str, reason: str) -> DefinitionError:
        return DefinitionError(self.source, where, reason)

    def convert(self, survey: Any) -> dict[str, Any]:
        if self.source_version not in VERSIONS:
            known = ", ".join(VERSIONS)
            raise self.fail(
                "--source-version", f"{self.source_version!r} is not a version this importer knows ({known})"
            )
        self._check_shape(survey)
        steps = []
        step_keys: set[str] = set()
        for page in survey["pages"]:
            step = self._page(page, step_keys)
            if step is not None:
                steps.append(step)
                step_keys.add(step["key"])
        version = VERSIONS[self.source_version]
        return {
            "schema": 1,
            "key": KEY,
            "version": version,
            "title": {lang: f"{text} {self.source_version}" for lang, text in TITLE.items()},
            "description": NOTICE,
            "language": "en",
            "scoring": {"method": FORMAT},
            "levels": LEVELS,
            "steps": steps,
            "origin": {
                "format": FORMAT,
                "version": self.source_version,
                "notice": NOTICE,
                "names": dict(self.names),
            },
        }

    def _check_shape(self, survey: Any) -> None:
        if not isinstance(survey, Mapping) or not isinstance(survey.get("pages"), list):
            raise self.refuse("not a Canadian AIA survey file: a SurveyJS survey has a list of 'pages'")
        for i, page in enumerate(survey["pages"]):
            if (
                not isinstance(page, Mapping)
                or not isinstance(page.get("name"), str)
                or not isinstance(page.get("elements", []), list)
            ):
                raise self.refuse(f"not a Canadian AIA survey file: page {i + 1} has no name or elements")
        names = [e.get("name") for e in _elements(survey["pages"])] + [p["name"] for p in survey["pages"]]
        suffixes = {str(n).rsplit("-", 1)[-1] for n in names if isinstance(n, str) and "-" in n}
        if not {"RS", "MS"} <= suffixes:
            raise self.refuse(
                "not a Canadian AIA survey file: it has no page or panel named ...-RS (risk) and ...-MS "
                "(mitigation)"
            )
        if PHASE_QUESTION not in names:
            raise self.refuse(
                f"not a Canadian AIA survey file: it has no '{PHASE_QUESTION}' question (the project's phase)"
            )
        stated = re.search(r"Algorithmic Impact Assessment (v[0-9][0-9a-z.]*[0-9a-z])", _all_html(survey))
        if stated and stated.group(1) != self.source_version:
            raise self.fail(
                "--source-version",
                f"the file says it is {stated.group(1)}, not {self.source_version}",
            )

    def _page(self, page: Mapping[str, Any], step_keys: set[str]) -> dict[str, Any] | None:
        name = page["name"]
        where = f"page {name}"
        intro: list[dict[str, str]] = []
        questions: list[dict[str, Any]] = []
        show_if = self._condition(page.get("visibleIf"), where)
        kind = _kind_of(name)
        for element in page.get("elements", []):
            self._element(element, kind, None, where, intro, questions)
        if not questions:
            return None
        key = key_for(name)
        while key in step_keys or key == "review":
            key += "_page"
        step: dict[str, Any] = {"key": key, "title": texts(page.get("title"), name), "questions": questions}
        if intro:
            step["intro"] = {
                lang: "\n\n".join(t[lang] for t in intro if t.get(lang)) for lang in ("en", "fr")
            }
            if not step["intro"]["fr"]:
                del step["intro"]["fr"]
        if show_if is not None:
            step["show_if"] = show_if
        return step

    def _element(
        self,
        element: Any,
        kind: str | None,
        container_if: dict[str, Any] | None,
        where: str,
        intro: list[dict[str, str]],
        questions: list[dict[str, Any]],
    ) -> None:
        if not isinstance(element, Mapping) or not isinstance(element.get("name"), str):
            raise self.fail(where, "an element has no name")
        name, etype = element["name"], element.get("type")
        here = f"{where}, {name}"
        condition = self._condition(element.get("visibleIf"), here)
        condition = _both(container_if, condition)
        if etype == "panel":
            inner = _kind_of(name, kind)
            for child in element.get("elements", []) or []:
                self._element(child, inner, condition, here, intro, questions)
            return
        if etype == "html":
            intro.append(texts(element.get("html"), ""))
            return
        qtype = QUESTION_TYPES.get(str(etype))
        if qtype is None:
            raise self.fail(here, f"question type {etype!r} is not one this importer reads")
        questions.extend(self._questions(element, qtype, kind, condition, here))

    def _questions(
        self,
        element: Mapping[str, Any],
        qtype: str,
        kind: str | None,
        condition: dict[str, Any] | None,
        where: str,
    ) -> list[dict[str, Any]]:
        name = element["name"]
        if name in self.targets:
            raise self.fail(where, f"question name {name!r} is used twice")
        key = self._key(name)
        question: dict[str, Any] = {"key": key, "type": qtype, "label": texts(element.get("title"), name)}
        help_text = _join(texts(element.get("description"), ""), texts(element.get("help"), ""))
        if help_text.get("en"):
            question["help"] = help_text if help_text.get("fr") else help_text["en"]
        if element.get("isRequired") is True:
            question["required"] = True
        if condition is not None:
            question["show_if"] = condition
        extra: list[dict[str, Any]] = []
        if qtype in ("single_choice", "multiple_choice"):
            options = self._options(element, where)
            if element.get("hasOther"):
                other = texts(element.get("otherText"), "Other")
                options.append({"value": "other", "label": other})
            if element.get("choicesOrder") == "asc":
                options.sort(
                    key=lambda o: str(o["label"]["en"] if isinstance(o["label"], dict) else o["label"])
                )
            scored = kind is not None and any(points_of(o["value"]) for o in options)
            for option in options:
                if scored and points_of(option["value"]):
                    option["points"] = points_of(option["value"])
            if scored:
                question["scoring"] = kind
            question["options"] = options
            values = tuple(o["value"] for o in options)
            self.targets[name] = Target(key, values, qtype == "multiple_choice")
            if element.get("hasOther"):
                comment_name = f"{name}-Comment"
                extra.append(
                    {
                        "key": self._key(comment_name),
                        "type": "long_text",
                        "label": _join(question["label"], texts(element.get("otherText"), "Other")),
                        "show_if": _both(
                            condition,
                            {"question": key, "includes": "other"}
                            if qtype == "multiple_choice"
                            else {"question": key, "equals": "other"},
                        ),
                        "max_length": LONG_MAX,
                    }
                )
                self.targets[comment_name] = Target(extra[-1]["key"], None, False)
        else:
            question["max_length"] = SHORT_MAX if qtype == "short_text" else LONG_MAX
            self.targets[name] = Target(key, None, False)
        return [question, *extra]

    def _options(self, element: Mapping[str, Any], where: str) -> list[dict[str, Any]]:
        options = []
        seen: set[str] = set()
        for choice in element.get("choices") or []:
            if isinstance(choice, Mapping):
                value, label = choice.get("value"), choice.get("text", choice.get("value"))
            else:
                value, label = choice, choice
            if value is None or str(value).strip() == "":
                raise self.fail(where, "a choice has no value")
            value = str(value)
            if value in seen:
                raise self.fail(where, f"choice value {value!r} is used twice")
            seen.add(value)
            options.append({"value": value, "label": texts(label, value)})
        if len(options) < 2:
            raise self.fail(where, "a choice question needs at least two choices")
        return options

    def _key(self, name: str) -> str:
        key = key_for(name)
        base, n = key, 2
        while key in self.names:
            key, n = f"{base}_{n}", n + 1
        self.names[key] = name
        return key

    def _condition(self, expression: Any, where: str) -> dict[str, Any] | None:
        if expression is None or (isinstance(expression, str) and not expression.strip()):
            return None
        if not isinstance(expression, str):
            raise self.fail(where, "visibleIf must be text")
        return convert(expression, self.targets, lambda reason: self.fail(where, reason))


def _kind_of(name: str, inherited: str | None = None) -> str | None:
    suffix = name.rsplit("-", 1)[-1] if "-" in name else ""
    return KINDS[suffix] if suffix in KINDS else inherited


def _both(first: dict[str, Any] | None, second: dict[str, Any] | None) -> dict[str, Any] | None:
    if first is None or second is None:
        return first or second
    return {"all": [first, second]}


def _elements(pages: list[Any]) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []

    def walk(items: Any) -> None:
        for element in items or []:
            if isinstance(element, Mapping):
                found.append(element)
                walk(element.get("elements"))

    for page in pages:
        walk(page.get("elements"))
    return found


def _all_html(survey: Mapping[str, Any]) -> str:
    return " ".join(
        plain(str(e["html"].get("default", "") if isinstance(e.get("html"), Mapping) else e.get("html", "")))
        for e in _elements(survey["pages"])
        if e.get("type") == "html"
    )


def texts(value: Any, fallback: str) -> dict[str, str]:
    """A survey text ({"default": English, "fr": French} or one string) as {en, fr}, in plain
    text; the fallback (the element's name) when there is none."""
    if isinstance(value, Mapping):
        english = plain(str(value.get("default") or value.get("en") or ""))
        french = plain(str(value.get("fr") or ""))
    else:
        english, french = plain(str(value or "")), ""
    english = english or french or fallback
    return {"en": english, "fr": french} if french else {"en": english}


def _join(*parts: dict[str, str]) -> dict[str, str]:
    """Texts one after the other, in each language (English where one has no French)."""
    present = [p for p in parts if p.get("en")]
    if not present:
        return {}
    joined = {"en": " — ".join(p["en"] for p in present)}
    if any(p.get("fr") for p in present):
        joined["fr"] = " — ".join(p.get("fr") or p["en"] for p in present)
    return joined


class _PlainText(HTMLParser):
    BREAKS = {"p", "br", "div", "li", "h1", "h2", "h3", "h4", "tr", "ul", "ol"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain(markup: str) -> str:
    """Text without its HTML: tags dropped, entities read, blank lines made one."""
    if "<" not in markup and "&" not in markup:
        return " ".join(markup.split())
    parser = _PlainText()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    text = "\n".join(line for line in lines if line)
    return html.unescape(text).strip()
