"""Words and formats shared by the pages and the report."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from .extensions import questionnaires

STATUS_LABELS = {
    "draft": "Draft",
    "submitted": "Submitted",
    "changes_requested": "Changes requested",
    "approved": "Approved",
    "published": "Published",
    "superseded": "Superseded",
    "withdrawn": "Withdrawn",
}
RATING_LABELS = {"low": "Low", "moderate": "Moderate", "high": "High"}
LIKELIHOOD_LABELS = {"probable": "Probable", "occasional": "Occasional", "improbable": "Improbable"}


def format_dt(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(dt.UTC).strftime("%-d %b %Y, %H:%M UTC")


def check_outcome(revision) -> str | None:
    """For a revision of a check that leads to another questionnaire (the threshold check):
    "needed" or "not needed"; None for an assessment, which has a level and a rating."""
    definition = questionnaires().get(revision.questionnaire_key, revision.questionnaire_version)
    if definition is None or definition.follow_up is None:
        return None
    raised = {flag["key"] for flag in revision.scores.get("flags", [])}
    return "needed" if definition.follow_up.when_flag in raised else "not needed"


def register(app: Flask) -> None:
    app.jinja_env.filters["dt"] = format_dt
    app.jinja_env.globals["check_outcome"] = check_outcome
    app.jinja_env.globals.update(
        STATUS_LABELS=STATUS_LABELS, RATING_LABELS=RATING_LABELS, LIKELIHOOD_LABELS=LIKELIHOOD_LABELS
    )
