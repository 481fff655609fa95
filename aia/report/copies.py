"""The editable copy (DOCX) of a revision's report, from the same context as its PDF: in the
language of the published PDF when there is one (its reference version), else in the page's."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, current_app
from flask_babel import force_locale

from ..assessments.models import Revision, System
from ..db import Session
from ..i18n import current_language
from .build import definition_for
from .context import report_context
from .editable import DOCX_MIMETYPE, build_docx
from .record import review_record
from .store import download_name, published_anchor, published_language


def register_entry_url(system_uid: str) -> str | None:
    """The public address of a system's register entry, when the public address is set."""
    base = current_app.config.get("PUBLIC_URL", "")
    return f"{base}/register/{system_uid}" if base else None


def editable_copy(session: Session, revision: Revision) -> bytes:
    """The DOCX of a revision: of its published report (the reference PDF's hash on its first
    page) once published, else of its preview."""
    published = bool(revision.pdf_sha256)
    language = published_language(session, revision) if published else current_language()
    with force_locale(language):
        definition = definition_for(revision).in_language(language)
        record = review_record(session, revision)
        context = report_context(
            revision,
            definition,
            published=published,
            anchor=published_anchor(revision) if published else None,
            history=record["history"],
            reviews=record["reviews"],
        )
        reference = {
            "pdf_sha256": revision.pdf_sha256,
            "register_url": register_entry_url(revision.system.uid),
        }
        return build_docx(context, reference, language)


def published_revision(session: Session, system_uid: str, number: int) -> Revision | None:
    """A revision by its system's identifier and number, for the register (which has checked
    that the revision is on it)."""
    return session.scalar(
        sa.select(Revision)
        .join(System, Revision.system_id == System.id)
        .where(System.uid == system_uid, Revision.number == number)
    )


def docx_response(data: bytes, system_uid: str, number: int) -> Response:
    filename = download_name(system_uid, number, preview=False).removesuffix(".pdf") + "-editable-copy.docx"
    response = Response(
        data,
        mimetype=DOCX_MIMETYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
    response.cache_control.no_store = True
    return response
