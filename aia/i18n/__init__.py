"""The interface's languages: which one a request is served in, and the person's choice of it.

The language of a request is, in this order: the one asked for in the address (``?lang=fr``,
remembered for the rest of the visit), the one chosen earlier in this visit with the header's
switcher, the one saved on the signed-in person's account, the best the browser asks for
(Accept-Language), and English."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast
from urllib.parse import urlencode

from babel import support
from flask import Blueprint, Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import get_locale, get_translations, lazy_gettext
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.fields import TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.i18n import messages_path

from ..extensions import babel

bp = Blueprint("i18n", __name__)

__all__ = [
    "LANGUAGES",
    "Form",
    "_",
    "_l",
    "bp",
    "current_language",
    "init_app",
    "select_language",
    "translate_errors",
    "translate_message",
]

# Each language the interface is written in, named in itself (as a switcher shows it).
LANGUAGES = {"en": "English", "fr": "Français"}
DEFAULT_LANGUAGE = "en"
SESSION_KEY = "lang"


def _l(text: str, **variables: Any) -> str:
    """Text defined at import time (labels, form fields, messages of validators), put into words
    in the language of the page that shows it. Flask-Babel's lazy string behaves as a ``str``
    wherever text is expected; it is typed so."""
    return cast(str, lazy_gettext(text, **variables))


def _catalogue() -> Any:
    """The interface's catalogue in the language of the moment, kept on the request for as long
    as that language holds (a mail written in its reader's language changes it for a while).
    Flask-Babel finds it again for every string."""
    if not has_app_context():
        return get_translations()
    locale = get_locale()
    kept = g.get("aia_catalogue")
    if kept is None or kept[0] is not locale:
        kept = g.aia_catalogue = (locale, get_translations())
    return kept[1]


@lru_cache(maxsize=len(LANGUAGES) + 1)
def _wtforms_catalogue(language: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [language], domain="wtforms")


def one_character_line_breaks(value: Any) -> Any:
    """A text box's line breaks as the browser counted them against its maxlength: one
    character each (it sends them as CR LF)."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class Form(FlaskForm):
    """Every form of the app: Flask-WTF's, whose WTForms messages ("Not a valid choice.")
    are in the page's language. Flask-WTF reads WTForms' catalogue again for each request;
    here it is read once per language and kept. A text box's line breaks are one character
    each, so that its length limit says what the browser's did."""

    class Meta:
        def get_translations(self, form: Any) -> Any:
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return None
            return _wtforms_catalogue(str(get_locale()))

        def bind_field(self, form: Any, unbound_field: UnboundField, options: dict[str, Any]) -> Any:
            if issubclass(unbound_field.field_class, TextAreaField):
                kwargs = dict(unbound_field.kwargs)
                kwargs["filters"] = (*kwargs.get("filters", ()), one_character_line_breaks)
                unbound_field = UnboundField(
                    unbound_field.field_class, *unbound_field.args, name=unbound_field.name, **kwargs
                )
            return super().bind_field(form, unbound_field, options)  # type: ignore[misc]


def translate_message(message: Any) -> Any:
    """An engine's Message (aia.engine.messages) in the page's language, its values too;
    anything else as it is."""
    template, values = getattr(message, "template", None), getattr(message, "values", None)
    if not isinstance(template, str) or not isinstance(values, dict):
        return message
    # The template is one the engine marked with N_ and the catalogues hold.
    return _(template, **{name: translate_message(value) for name, value in values.items()})  # noqa: INT001


def translate_errors(form: Any) -> None:
    """Put the engine's messages among a validated form's errors into the page's language."""
    for field in form:
        for entry in getattr(field, "entries", ()):  # a group's rows, each a form of its own
            if hasattr(entry, "form"):
                translate_errors(entry.form)
        field.errors = [
            error if isinstance(error, dict) else translate_message(error) for error in field.errors
        ]


def select_language() -> str:
    """The language code a request is served in (Flask-Babel's locale selector)."""
    if not has_request_context():
        return current_app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session[SESSION_KEY] = asked
        return asked
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return chosen
    signed_in = current_user.is_authenticated  # type: ignore[attr-defined]  # Flask-Login's proxy is untyped
    saved = getattr(current_user, "language", None) if signed_in else None
    if saved in LANGUAGES:
        return saved
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def current_language() -> str:
    """The code of the language this page is written in (``<html lang>``)."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def page_without_lang() -> str:
    """This page's address without its ``lang`` argument: where the switcher comes back to."""
    arguments = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + (f"?{urlencode(arguments)}" if arguments else "")


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    babel.init_app(app, locale_selector=select_language)
    # A page looks up dozens of strings: each finds the request's catalogue once kept.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=lambda text: _catalogue().ugettext(text),
        ngettext=lambda singular, plural, n: _catalogue().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, text: _catalogue().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: _catalogue().unpgettext(context, singular, plural, n),
    )
    # {% trans %} blocks are written over several lines; their whitespace is not part of the text.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES, current_language=current_language, page_without_lang=page_without_lang
    )
