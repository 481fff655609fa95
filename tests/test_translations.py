"""The catalogues: every string of the interface is in them, every one is translated into
French (nothing fuzzy, the same placeholders), and the compiled files the app reads say what
the catalogues say (``make translations``, then ``make compile-translations``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "aia" / "translations"
LANGUAGES = ["fr"]


def catalogue(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory):
    """The strings the sources hold today, extracted as `make translations` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "--mapping-file", str(ROOT / "babel.cfg"), "--keyword", "_l"]
        + ["--output-file", str(pot), str(ROOT / "aia")]
    )
    with pot.open("rb") as template:
        return read_po(template)


def ids(catalog) -> set:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_holds_every_string_of_the_sources(extracted, language):
    missing = ids(extracted) - ids(catalogue(language))
    left_over = ids(catalogue(language)) - ids(extracted)
    run = "run `make translations`"
    assert not missing, f"not in the {language} catalogue ({run}): {sorted(map(str, missing))}"
    assert not left_over, f"no longer in the sources ({run}): {sorted(map(str, left_over))}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language):
    catalog = catalogue(language)
    assert not catalog.fuzzy, "the catalogue's header is marked fuzzy"
    untranslated = [m.id for m in catalog if m.id and not (all(m.string) if m.pluralizable else m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"not translated into {language}: {untranslated}"
    assert not fuzzy, f"fuzzy in {language}, to be checked: {fuzzy}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    """Babel's own checks: the same %-placeholders, the right number of plural forms."""
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalogue(language).check()]
    assert not problems, problems


def _key(text):
    return text if isinstance(text, str) else tuple(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_up_to_date(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").open("rb") as mo:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(mo) if m.id}
    source = {_key(m.id): _key(m.string) for m in catalogue(language) if m.id}
    assert compiled == source, "messages.mo differs from messages.po: run `make compile-translations`"


def test_no_template_hides_the_translation_function():
    """``{% set _ = list.append(x) %}`` would shadow ``_()`` for the rest of the template."""
    shadowing = re.compile(r"{%-?\s*set\s+_\s*=")
    found = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "aia" / "templates").rglob("*.html")
        if shadowing.search(path.read_text(encoding="utf-8"))
    ]
    assert not found, f"these templates assign `_` (name the throwaway `_done`): {found}"
