"""From a revision to its PDF: the questionnaire it answered, its review record, its context,
its data attachment, the render."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import object_session

from ..assessments.models import Revision
from ..audit.queries import Anchor
from ..db import Session, now_utc
from ..engine import Definition, canonical_json
from ..extensions import questionnaire
from ..i18n import current_language
from .cache import cache_key, cached, keep
from .context import report_context
from .errors import ReportError
from .record import review_record
from .render import DataAttachment, render_document, render_html, render_pdf

log = logging.getLogger(__name__)

TEMPLATE = "report/report.html"
ATTACHMENT_NAME = "revision.json"


def definition_for(revision: Revision) -> Definition:
    # Read with the revision's own session, which may not be the request's (a job, a test).
    key, version = revision.questionnaire_key, revision.questionnaire_version
    definition = questionnaire(key, version, object_session(revision))
    if definition is None:
        raise ReportError(
            f"The questionnaire {revision.questionnaire_key} version "
            f"{revision.questionnaire_version} is no longer installed."
        )
    return definition


def revision_attachment(revision: Revision) -> DataAttachment:
    """The revision's data exactly as hashed: ``sha256sum revision.json`` gives its SHA-256."""
    return DataAttachment(
        name=ATTACHMENT_NAME,
        data=canonical_json(revision.hashed_document()),
        description=f"Answers and scores of revision {revision.number} (canonical JSON)",
        created=revision.submitted_dt,
    )


def build_pdf(
    session: Session, revision: Revision, *, published: bool = False, anchor: Anchor | None = None
) -> bytes:
    """The report of a revision, in the language of the moment (the reader's, or the one a
    publication forces), with the questionnaire's texts in it where the questionnaire gives
    them: the register's copy when ``published`` (with the audit trail's head at publication,
    ``anchor``), else a preview."""
    if published:
        html, attachments = published_document(session, revision, anchor, now_utc())
        return render_document(html, attachments)
    definition = definition_for(revision).in_language(current_language())
    context = report_context(revision, definition, published=False, **review_record(session, revision))
    return render_pdf(TEMPLATE, attachments=(revision_attachment(revision),), report=context)


def published_document(
    session: Session, revision: Revision, anchor: Anchor | None, published_dt: dt.datetime
) -> tuple[str, tuple[DataAttachment, ...]]:
    """What the register's copy of a revision is made of, in the language of the moment: its
    HTML and its attachment. The PDF is a function of these alone (its dates are the
    attachment's), so the same HTML and attachment give the same bytes: a publication may
    render first, with no transaction open, and keep the result if this is unchanged when it
    publishes."""
    definition = definition_for(revision).in_language(current_language())
    context = report_context(
        revision,
        definition,
        published=True,
        anchor=anchor,
        published_dt=published_dt,
        **review_record(session, revision),
    )
    return render_html(TEMPLATE, report=context), (revision_attachment(revision),)


def preview_pdf(
    session: Session, revision: Revision, before_render: Callable[[], None] | None = None
) -> bytes:
    """A revision's preview: from the cache when this very document was made before (same
    revision, review record and language), else rendered within a preview's limits, after
    ``before_render`` (which may refuse, e.g. over a rate limit) and kept. In the language of
    the moment, as ``build_pdf``."""
    definition = definition_for(revision).in_language(current_language())
    context = report_context(revision, definition, published=False, **review_record(session, revision))
    html = render_html(TEMPLATE, report=context)
    attachments = (revision_attachment(revision),)
    folder = Path(current_app.config["REPORT_CACHE_DIR"])
    key = cache_key(html, (a.data for a in attachments))
    pdf = cached(folder, key)
    if pdf is not None:
        return pdf
    if before_render is not None:
        before_render()
    pdf = render_document(html, attachments, preview=True)
    keep(folder, key, pdf, int(current_app.config["REPORT_CACHE_FILES"]))
    return pdf
