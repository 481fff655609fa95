"""Words and formats shared by the pages and the report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask, current_app, has_app_context, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import object_session

from .engine import text_in
from .extensions import questionnaire
from .i18n import LANGUAGES, _l, current_language

# Lazy: each is put into words in the language of the page or report that shows it.
STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "changes_requested": _l("Changes requested"),
    "approved": _l("Approved"),
    "published": _l("Published"),
    "superseded": _l("Superseded"),
    "withdrawn": _l("Withdrawn"),
}
RATING_LABELS = {"low": _l("Low"), "moderate": _l("Moderate"), "high": _l("High")}
# What a scored question counts as, in the breakdown of the scores.
KIND_LABELS = {"risk": _l("risk"), "mitigation": _l("mitigation")}
RISK_LABELS = {"low": _l("Low risk"), "moderate": _l("Moderate risk"), "high": _l("High risk")}
# The state of a step in a draft's task list (assessments.tasks).
TASK_STATES = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "needs_attention": _l("Needs attention"),
    "completed": _l("Completed"),
}
# What a charter rating means (the engine stores these words in English, with the scores).
CHARTER_MEANINGS = {
    "low": _l("the charter's commitments could be applied"),
    "moderate": _l("the charter's commitments should be applied"),
    "high": _l("the charter's commitments must be applied"),
}
LIKELIHOOD_LABELS = {
    "probable": _l("Probable"),
    "occasional": _l("Occasional"),
    "improbable": _l("Improbable"),
}


def format_dt(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    # Day, abbreviated month and time in the page's language ("1 Dec 2026", "1 déc. 2026").
    return format_datetime(value.astimezone(dt.UTC), "d MMM y, HH:mm 'UTC'", rebase=False)


def check_outcome(revision) -> str | None:
    """For a revision of a check that leads to another questionnaire (the threshold check):
    "needed" or "not needed"; None for an assessment, which has a level and a rating. Reads
    imported questionnaires with the revision's own session (a caller may hold one of its own)."""
    if not has_app_context():
        return None  # no registry to ask (a script working on the database alone)
    key, version = revision.questionnaire_key, revision.questionnaire_version
    definition = questionnaire(key, version, object_session(revision))
    if definition is None or definition.follow_up is None:
        return None
    raised = {flag["key"] for flag in revision.scores.get("flags", [])}
    return "needed" if definition.follow_up.when_flag in raised else "not needed"


def spreadsheet_safe(value: str) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula (a leading =, +, -, @,
    tab or carriage return gets a quote before it)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def in_language(text: str | None) -> str:
    """A questionnaire's text in the page's language, else in the questionnaire's own."""
    return text_in(text, current_language())


def language_name(code: str) -> str:
    """A language's name in the page's language, for a sentence ("anglais, français" on a French
    page). A switcher names each language in itself instead (``LANGUAGES``)."""
    locale = get_locale()
    names = locale.languages if locale is not None else {}
    return str(names.get(code) or LANGUAGES.get(code, code))


def quoted(text: Any) -> str:
    """``text`` between the quotation marks of the page's language (“…” in English, « … » in
    French)."""
    return _("“%(text)s”", text=text)


def register(app: Flask) -> None:
    app.jinja_env.filters["dt"] = format_dt
    app.jinja_env.filters["quoted"] = quoted
    app.jinja_env.filters["in_language"] = in_language
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.globals["check_outcome"] = check_outcome
    app.jinja_env.globals.update(
        STATUS_LABELS=STATUS_LABELS,
        RATING_LABELS=RATING_LABELS,
        RISK_LABELS=RISK_LABELS,
        KIND_LABELS=KIND_LABELS,
        LIKELIHOOD_LABELS=LIKELIHOOD_LABELS,
        CHARTER_MEANINGS=CHARTER_MEANINGS,
        TASK_STATES=TASK_STATES,
    )


def public_url_for(endpoint: str, **values: Any) -> str:
    """An absolute link for people elsewhere (open data, feed, reports): under the configured
    PUBLIC_URL, never the Host header of whoever asked. Without PUBLIC_URL (allowed outside
    production only) it falls back to the request's own address."""
    base = current_app.config.get("PUBLIC_URL", "")
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base + url_for(endpoint, _external=False, **values)
