"""Texts in several languages. Wherever a questionnaire file allows a text, it may write either
a plain string (in the file's ``language``) or a mapping of language tags to the text::

    label: Does the system make the decision itself?
    label: {en: Does the system make the decision itself?, fr: Le système décide-t-il seul ?}

The engine keeps such a text as a ``Text``: a ``str`` (the file's language, so that every reader
that does not ask for a language gets what it always got) that also carries the other languages.
``text_in(text, language)`` is the one way to read it in a language: the language asked for
(``fr-CA`` falls back to ``fr``, and ``fr`` finds a ``fr-CA`` text), else the file's language.
``Definition.in_language(language)`` gives the whole questionnaire with its texts so resolved.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from .parsing import primary_language as primary

LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")
T = TypeVar("T")


class Text(str):
    """A text in its file's language (the string itself) and, maybe, in others. Read in
    another language (``in_language``), it is that language's string and still knows the rest."""

    language: str  # the file's language: the fallback
    reading: str  # the tag of the language this string is in
    translations: dict[str, str]  # language tag -> text, the file's language included

    def __new__(cls, translations: Mapping[str, str], language: str, reading: str | None = None) -> Text:
        tag = _tag(translations, reading or language) or _tag(translations, language)
        if tag is None:
            raise ValueError(f"a text needs its file's language ({language})")
        self = super().__new__(cls, translations[tag])
        self.language = language
        self.reading = tag
        self.translations = dict(translations)
        return self

    def in_language(self, language: str) -> Text:
        """The same text, read in ``language`` (in its file's language when it has none)."""
        return Text(self.translations, self.language, language)

    def languages(self) -> list[str]:
        return sorted(self.translations)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (self.translations, self.language, self.reading))


def text_in(text: str | None, language: str | None) -> str:
    """``text`` in ``language``, else in its file's language. A plain string (engine text, a
    text written once) is what it is in every language; None reads as ""."""
    if text is None:
        return ""
    if isinstance(text, Text) and language:
        return str(text.in_language(language))
    return str(text)


def _tag(translations: Mapping[str, str], language: str) -> str | None:
    """The tag of ``translations`` that serves ``language``: the same tag, else one of the
    same primary language (the bare one first)."""
    if language in translations:
        return language
    wanted = primary(language)
    if wanted in translations:
        return wanted
    return next((t for t in sorted(translations) if primary(t) == wanted), None)


def read_text(
    value: Any,
    language: str,
    fail: Callable[[str], Exception],
    name: str,
    *,
    blank: bool = False,
) -> str:
    """A text as a file writes it: a string, or a mapping language tag -> string that has the
    file's ``language``. Stripped; blank only when ``blank`` allows it. ``fail(reason)``
    builds the error to raise."""
    if isinstance(value, str):
        if not blank and not value.strip():
            raise fail(f"'{name}' must be non-empty text")
        return value.strip()
    if not isinstance(value, Mapping) or not value:
        kind = "text" if blank else "non-empty text"
        raise fail(f"'{name}' must be {kind}, or a mapping of languages to it ({{en: ..., fr: ...}})")
    translations: dict[str, str] = {}
    for tag, text in value.items():
        if not isinstance(tag, str) or not LANGUAGE_TAG.fullmatch(tag):
            raise fail(f"'{name}' has {tag!r} where a language tag (en, fr, fr-CA...) belongs")
        if not isinstance(text, str) or (not blank and not text.strip()):
            raise fail(f"'{name}' in {tag} must be non-empty text")
        translations[tag] = text.strip()
    if _tag(translations, language) is None:
        raise fail(f"'{name}' has no text in the file's language ({language})")
    return Text(translations, language)


def localized(value: T, language: str) -> T:
    """A copy of ``value`` (a definition, a step, a question...) whose every Text is read in
    ``language``; what holds no Text is shared, not copied."""
    return _localized(value, language, {})  # type: ignore[no-any-return]


def _localized(value: Any, language: str, memo: dict[int, Any]) -> Any:
    if isinstance(value, Text):
        return value.in_language(language)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, dict):
        mapping: dict[Any, Any] = {}
        memo[id(value)] = mapping
        mapping.update((k, _localized(v, language, memo)) for k, v in value.items())
        return mapping
    if isinstance(value, list):
        items: list[Any] = []
        memo[id(value)] = items
        items.extend(_localized(v, language, memo) for v in value)
        return items
    if isinstance(value, tuple | frozenset | set):
        memo[id(value)] = collection = type(value)(_localized(v, language, memo) for v in value)
        return collection
    if not hasattr(value, "__dict__"):
        return value
    memo[id(value)] = twin = copy.copy(value)
    for name, attribute in vars(value).items():
        object.__setattr__(twin, name, _localized(attribute, language, memo))
    return twin
