"""Which language and direction a run of user text is in, where its script tells: Arabic and
Hebrew letters give their runs ``lang`` and ``dir`` (HTML's dir=auto and script detection,
which WeasyPrint does not do), so that a screen reader reading the tagged PDF switches voice."""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
HEBREW = "\u0590-\u05ff\ufb1d-\ufb4f"
# Neutral characters that stay inside a run when letters of the same script follow them.
_NEUTRAL = r"[\s\d.,:;!?()\-\u060c\u061b\u061f\u066b\u066c]"
SCRIPT_RUNS = re.compile(
    rf"(?P<ar>[{ARABIC}]+(?:{_NEUTRAL}+[{ARABIC}]+)*)|(?P<he>[{HEBREW}]+(?:{_NEUTRAL}+[{HEBREW}]+)*)"
)
LANGUAGE_OF_SCRIPT = {"ar": "ar", "he": "he"}


def text_direction(text: object) -> str:
    """ "rtl" when the first strongly directional letter is right-to-left (as HTML's
    dir=auto), else "ltr"."""
    for char in str(text or ""):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def script_runs(text: object) -> Markup:
    """The text, escaped, with each run of Arabic or Hebrew letters in a
    ``<span lang=".." dir="rtl">``."""
    run = Markup('<span lang="{}" dir="rtl">{}</span>')
    return Markup("").join(
        escape(piece) if language is None else run.format(language, piece)
        for piece, language in runs_of(text)
    )


def runs_of(text: object) -> list[tuple[str, str | None]]:
    """The text as (piece, language) pairs: the language of an Arabic or Hebrew run, else None
    (for documents other than HTML, such as the editable copy)."""
    value = str(text or "")
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for match in SCRIPT_RUNS.finditer(value):
        if match.start() > position:
            pieces.append((value[position : match.start()], None))
        pieces.append((match.group(), LANGUAGE_OF_SCRIPT[match.lastgroup or "ar"]))
        position = match.end()
    if position < len(value):
        pieces.append((value[position:], None))
    return pieces
