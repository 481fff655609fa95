"""What a request brings in, cleaned in one place before any view reads it.

- Control characters never reach a view, hence never the database, a page, a PDF or the
  public feed: C0 control characters other than tab, line feed and carriage return (NUL
  among them, which PostgreSQL refuses in text), and the two code points XML forbids
  (U+FFFE, U+FFFF), are removed from query arguments, form values, uploaded files' names
  and JSON bodies.
- A JSON body is read as a form (Flask-WTF reads one as it reads a posted form): an object
  whose values are text, numbers, booleans, nulls or lists of those, nested no deeper than
  ``MAX_JSON_DEPTH``. Anything else is a 400 with a message, never a server error.
- Whole numbers in addresses (``<int:number>``) and in query arguments read through
  ``bounded_int`` stay within what every database column holds (``MAX_INT``); a larger one
  is a page that does not exist (404), or no value.
- Text in an address (``<uid>``, ``<path:...>``) with a control character matches no page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from flask import Flask, Request
from werkzeug.datastructures import FileStorage, ImmutableMultiDict, MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter, ValidationError

from .i18n import _

# The largest INTEGER of PostgreSQL (and a safe one for SQLite's 64-bit integers).
MAX_INT = 2**31 - 1
MAX_JSON_DEPTH = 20
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value: str) -> str:
    """``value`` without the control characters no stored text may hold."""
    return _UNWANTED.sub("", value)


def has_unwanted(value: str) -> bool:
    return _UNWANTED.search(value) is not None


def bounded_int(value: str) -> int:
    """A whole number a database column holds, for ``request.args.get(..., type=bounded_int)``
    (a ValueError there gives the default)."""
    number = int(value)
    if not -MAX_INT <= number <= MAX_INT:
        raise ValueError(f"{value[:20]}... is out of range")
    return number


def clean_document(value: Any, depth: int = MAX_JSON_DEPTH) -> Any:
    """A parsed JSON document (an uploaded file's) with every text cleaned; a ValueError if it
    nests deeper than ``depth``."""
    if depth < 1 and isinstance(value, dict | list):
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_document(item, depth - 1) for item in value]
    if isinstance(value, dict):
        return {clean_text(k): clean_document(v, depth - 1) for k, v in value.items()}
    return value


def _clean_pairs(pairs: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    cleaned: list[tuple[str, Any]] = []
    for key, value in pairs:
        if isinstance(value, str):
            value = clean_text(value)
        elif isinstance(value, FileStorage) and value.filename:
            value.filename = clean_text(value.filename)
        cleaned.append((clean_text(key), value))
    return cleaned


class JSONRefused(BadRequest):
    description = "The JSON sent cannot be read as a form."


def _depth(value: Any) -> int:
    """How deeply ``value`` nests lists and objects (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _form_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return clean_text(value)
    raise JSONRefused(_("A JSON body is read as a form: its values are text, numbers or lists of them."))


class _FormJSON:
    """The ``json_module`` of requests: a JSON body, checked and cleaned as a form."""

    @staticmethod
    def loads(data: str | bytes, **kwargs: Any) -> dict[str, Any]:
        try:
            document = json.loads(data)
        except RecursionError:
            raise JSONRefused(
                _("The JSON sent is nested deeper than %(depth)s levels.", depth=MAX_JSON_DEPTH)
            ) from None
        if _depth(document) > MAX_JSON_DEPTH:
            raise JSONRefused(
                _("The JSON sent is nested deeper than %(depth)s levels.", depth=MAX_JSON_DEPTH)
            )
        if not isinstance(document, dict):
            raise JSONRefused(_("A JSON body is read as a form: send an object of names and values."))
        form: dict[str, Any] = {}
        for key, value in document.items():
            values = value if isinstance(value, list) else [value]
            kept = [v for v in (_form_value(v) for v in values) if v is not None]
            form[clean_text(key)] = kept if isinstance(value, list) else (kept[0] if kept else "")
        return form

    dumps = staticmethod(json.dumps)


class CleanRequest(Request):
    """Flask's request, whose arguments, form values and JSON body come cleaned (see above)."""

    @property
    def json_module(self) -> Any:  # Flask sets the app's provider on each request
        return _FormJSON

    @json_module.setter
    def json_module(self, provider: Any) -> None:
        """Flask gives each request the app's JSON provider; a body is read by ours."""

    @property
    def args(self) -> MultiDict[str, str]:  # cleaned once, then kept
        if "_clean_args" not in self.__dict__:
            self.__dict__["_clean_args"] = ImmutableMultiDict(_clean_pairs(super().args.items(multi=True)))
        return self.__dict__["_clean_args"]

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = ImmutableMultiDict(_clean_pairs(self.__dict__["form"].items(multi=True)))
        files = self.__dict__["files"]
        _clean_pairs(files.items(multi=True))  # file names are cleaned in place

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if isinstance(e, BadRequest):
            raise e
        raise JSONRefused(_("The JSON sent is not valid JSON."))


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` no larger than a database column holds."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        if len(value) > len(str(MAX_INT)):
            raise ValidationError()
        return int(super().to_python(value))  # checked against max


class CleanTextConverter(UnicodeConverter):
    """A text part of an address; one holding a control character matches no page."""

    def to_python(self, value: str) -> str:
        if has_unwanted(value):
            raise ValidationError()
        return value


class CleanPathConverter(PathConverter):
    def to_python(self, value: str) -> str:
        if has_unwanted(value):
            raise ValidationError()
        return value


def init_app(app: Flask) -> None:
    """Before any blueprint adds its rules: rules take their converters when added."""
    app.request_class = CleanRequest
    app.url_map.converters.update(
        {
            "default": CleanTextConverter,
            "string": CleanTextConverter,
            "int": BoundedIntConverter,
            "path": CleanPathConverter,
        }
    )
