"""Messages for the person answering (a number out of range, a date that does not exist...),
written in English by the engine, which knows no Flask. A ``Message`` is that English text and
also carries its template and values, so that the web layer can put it into the page's language
(``aia.i18n.translate_message``); the templates are marked with ``N_`` for the catalogues."""

from __future__ import annotations

from typing import Any


def N_(template: str) -> str:  # noqa: N802 - the name the message extractor looks for
    """Marks ``template`` as a message to translate; returns it unchanged."""
    return template


class Message(str):
    """A message: the English text (the string itself), its ``template`` and its ``values``
    (which may be Messages themselves)."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Message:
        self = super().__new__(cls, template % values if values else template)
        self.template = template
        self.values = values
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.values))


def _rebuild(template: str, values: dict[str, Any]) -> Message:
    return Message(template, **values)
