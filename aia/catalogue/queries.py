"""The questionnaires of this installation as one Registry: the packaged ones and those stored
in the database. A stored definition never changes, so each process parses it once (keyed by
its content hash) and asks the database only which ones exist."""

from __future__ import annotations

import threading
import weakref

import sqlalchemy as sa

from ..db import Session
from ..engine import Definition, Registry, load_document
from .models import ImportedQuestionnaire

_parsed: dict[str, Definition] = {}  # content hash -> definition
# packaged registry -> (the imported definitions' key, version and hash -> the whole registry)
_registries: weakref.WeakKeyDictionary[Registry, dict[frozenset[tuple[str, int, str]], Registry]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def imported_definitions(session: Session) -> list[Definition]:
    rows = session.execute(
        sa.select(
            ImportedQuestionnaire.key, ImportedQuestionnaire.version, ImportedQuestionnaire.content_hash
        )
    ).all()
    missing = [r.content_hash for r in rows if r.content_hash not in _parsed]
    if missing:
        for stored in session.scalars(
            sa.select(ImportedQuestionnaire).where(ImportedQuestionnaire.content_hash.in_(missing))
        ):
            source = (
                f"{stored.key} v{stored.version} (imported {stored.source_format} {stored.source_version})"
            )
            definition = load_document(stored.document, source)
            with _lock:
                _parsed[stored.content_hash] = definition
    return [_parsed[r.content_hash] for r in rows]


def all_questionnaires(session: Session, packaged: Registry) -> Registry:
    """The packaged questionnaires and the imported ones, as one Registry."""
    imported = imported_definitions(session)
    if not imported:
        return packaged
    ident = frozenset((d.key, d.version, d.content_hash) for d in imported)
    with _lock:
        known = _registries.setdefault(packaged, {})
    registry = known.get(ident)
    if registry is None:
        registry = Registry([*packaged.all(), *imported])
        with _lock:
            known[ident] = registry
    return registry


def by_origin(registry: Registry, source_format: str, source_version: str) -> Definition | None:
    """The imported definition of that version of a source format, if it is imported."""
    return next(
        (
            d
            for d in registry.all()
            if d.origin is not None
            and d.origin.format == source_format
            and d.origin.version == source_version
        ),
        None,
    )
