"""Importing a questionnaire into the database: idempotent, audited, never a silent change."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..audit.services import record
from ..db import Session
from ..engine import Definition, DefinitionError, load_document
from .models import ImportedQuestionnaire

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Imported:
    definition: Definition
    created: bool  # False: the same definition was imported before; nothing changed


def import_definition(
    session: Session,
    document: dict[str, Any],
    *,
    source: str,
    source_format: str,
    source_version: str,
    source_bytes: bytes,
    packaged_keys: set[str],
) -> Imported:
    """Store a converted definition; the same one again changes nothing. DefinitionError when
    the document is not a valid definition, its key is a packaged questionnaire's, or the key
    and version are stored already with other content."""
    definition = load_document(document, source)
    if definition.key in packaged_keys:
        raise DefinitionError(source, "key", f"'{definition.key}' is a questionnaire packaged with the app")
    stored = session.scalars(
        sa.select(ImportedQuestionnaire).filter_by(key=definition.key, version=definition.version)
    ).first()
    if stored is not None:
        if stored.content_hash == definition.content_hash:
            return Imported(definition, created=False)
        raise DefinitionError(
            source,
            "",
            f"{definition.ident} is imported already with other content (hash "
            f"{stored.content_hash[:12]}, this one {definition.content_hash[:12]}); "
            "an imported version is never changed",
        )
    row = ImportedQuestionnaire(
        key=definition.key,
        version=definition.version,
        content_hash=definition.content_hash,
        document=document,
        source_format=source_format,
        source_version=source_version,
        source_sha256=hashlib.sha256(source_bytes).hexdigest(),
    )
    session.add(row)
    session.flush()
    record(
        session,
        "questionnaire.imported",
        None,
        details={
            "key": definition.key,
            "version": definition.version,
            "content_hash": definition.content_hash,
            "source_format": source_format,
            "source_version": source_version,
            "source_sha256": row.source_sha256,
        },
    )
    log.info("questionnaire %s imported from %s %s", definition.ident, source_format, source_version)
    return Imported(definition, created=True)
