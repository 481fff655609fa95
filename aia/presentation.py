"""Words and formats shared by the pages and the report."""

from __future__ import annotations

import datetime as dt

from flask import Flask

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
LIKELIHOOD_LABELS = {"probable": "Probable", "occasional": "Occasional",
                     "improbable": "Improbable"}


def format_dt(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(dt.UTC).strftime("%-d %b %Y, %H:%M UTC")


def register(app: Flask) -> None:
    app.jinja_env.filters["dt"] = format_dt
    app.jinja_env.globals.update(STATUS_LABELS=STATUS_LABELS, RATING_LABELS=RATING_LABELS,
                                 LIKELIHOOD_LABELS=LIKELIHOOD_LABELS)
