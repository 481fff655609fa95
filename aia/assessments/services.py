"""The write side of assessments: create, save a step, submit. Each function flushes and
writes its audit event; the caller commits."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from ..accounts.models import User
from ..db import Session, now_utc
from ..engine import Definition, content_hash, is_answered, missing_required, resolve, score
from ..engine.importers.canada_answers import AnswerFile
from ..engine.translations import (
    TRANSLATED_FROM,
    TRANSLATIONS,
    current_translations,
    kept_translations,
    made_from,
    translations_of,
    with_translations,
)
from . import notifications
from .events import record_event
from .models import AWAITING_DECISION, Draft, Revision, StepSave, System

log = logging.getLogger(__name__)


class DraftConflict(Exception):
    """Someone else saved the draft since this form was opened."""

    def __init__(self, draft: Draft | None):
        super().__init__(f"draft {draft.id if draft else '(gone)'} was changed by someone else")
        self.draft = draft


class DraftGone(DraftConflict):
    """The draft no longer exists: someone else submitted it meanwhile (``revision`` is what it
    became, when it can be found)."""

    def __init__(self, draft: Draft | None, revision: Revision | None):
        super().__init__(draft)
        self.revision = revision


class DraftNotAllowed(Exception):
    """A revision awaits a decision: no new draft until it is approved and published, or sent
    back for changes."""

    def __init__(self, revision: Revision):
        super().__init__(f"revision {revision.number} is {revision.status}")
        self.revision = revision


class AwaitingDecision(Exception):
    """Another revision of the system awaits a decision: one at a time, whatever its
    questionnaire (the database holds this too: a partial unique index on the system)."""

    def __init__(self, revision: Revision):
        super().__init__(f"revision {revision.number} is {revision.status}")
        self.revision = revision


class DraftExists(Exception):
    """A draft is in progress already: an answer file does not replace it."""

    def __init__(self, draft: Draft):
        super().__init__(f"draft {draft.id} is in progress")
        self.draft = draft


class IncompleteDraft(Exception):
    def __init__(self, missing: list[str]):
        super().__init__(f"{len(missing)} required answer(s) missing")
        self.missing = missing


def create_system(
    session: Session, agency_id: int, name: str, description: str, actor: User | None = None
) -> System:
    system = System(agency_id=agency_id, name=name.strip(), description=description.strip())
    session.add(system)
    session.flush()
    record_event(session, "system.created", actor, system=system, details={"name": system.name})
    log.info("system %s created", system.uid)
    return system


# The system's own fields that questionnaire roles ask again: role -> System attribute.
SYSTEM_ROLES = (("system_name", "name"), ("purpose", "description"))


def system_answers(system: System, definition: Definition) -> dict[str, str]:
    """The answers the system already holds for the questionnaire's name and purpose
    questions (those it declares for the roles), where they fit the question."""
    answers = {}
    for role, attribute in SYSTEM_ROLES:
        question = definition.role(role)
        value = getattr(system, attribute)
        if question is not None and value and question.check_value(value) is None:
            answers[question.key] = value
    return answers


def edit_system(
    session: Session,
    system: System,
    name: str,
    description: str,
    draft_definition: Definition | None = None,
    actor: User | None = None,
) -> dict[str, dict[str, str]]:
    """Change the system's name and description, and say so in the audit trail (before and
    after). A draft in progress follows where its name or purpose answer still was the old
    text (or empty), so that the two never disagree (``draft_definition`` is the draft's
    questionnaire); a published revision keeps its own, and
    the next publication carries the change. Returns what changed: field -> {from, to}."""
    changes: dict[str, dict[str, str]] = {}
    for attribute, value in (("name", name.strip()), ("description", description.strip())):
        before = getattr(system, attribute) or ""
        if value != before:
            changes[attribute] = {"from": before, "to": value}
            setattr(system, attribute, value)
    if not changes:
        return changes
    if system.draft is not None and draft_definition is not None:
        _sync_draft(system.draft, draft_definition, changes)
    session.flush()
    record_event(session, "system.edited", actor, system=system, details=changes)
    log.info("system %s edited (%s)", system.uid, ", ".join(changes))
    return changes


def _sync_draft(draft: Draft, definition: Definition, changes: Mapping[str, Mapping[str, str]]) -> None:
    answers = dict(draft.answers)
    for role, attribute in SYSTEM_ROLES:
        question = definition.role(role)
        change = changes.get(attribute)
        if question is None or change is None:
            continue
        held = answers.get(question.key)
        if (held in (None, "", change["from"])) and question.check_value(change["to"]) is None:
            answers[question.key] = change["to"] or None
    if answers != draft.answers:
        draft.answers = answers
        draft.lock_version += 1  # whoever has a step open is told, as for any other save
        draft.updated_dt = now_utc()


def follow_revision(session: Session, revision: Revision, definition: Definition, actor: User | None) -> None:
    """After a submission, the system's name is the one the revision answered (role
    system_name), so that the list, the report and the register agree. The description stays
    the system's own: the register shows it beside the purpose, which may say more."""
    system = revision.system
    name = definition.text_for("system_name", revision.answers).strip()
    if name and name != system.name and len(name) <= 200:
        changes = {"name": {"from": system.name, "to": name}}
        system.name = name
        session.flush()
        record_event(
            session, "system.edited", actor, system=system, details={**changes, "revision": revision.number}
        )


def start_draft_from_answer_file(
    session: Session, system: System, answer_file: AnswerFile, content: bytes, filename: str, actor: User
) -> Draft:
    """A draft holding what an answer file of Canada's AIA tool says, recorded with the file's
    SHA-256 (the draft keeps it, and the submission of the revision records it)."""
    if system.draft is not None:
        raise DraftExists(system.draft)
    draft = start_draft(
        session,
        system,
        answer_file.definition,
        answer_file.answers,
        actor=actor,
        system_fields_win=False,
        kind="answer_file",
    )
    draft.answer_file_sha256 = hashlib.sha256(content).hexdigest()
    session.flush()
    record_event(
        session,
        "draft.answer_file_read",
        actor,
        system=system,
        details={
            "file": filename,
            "sha256": draft.answer_file_sha256,
            "version": answer_file.version,
            "questionnaire": answer_file.definition.ident,
            "answers_read": len(answer_file.answers),
            "unknown_questions": answer_file.unknown,
            "ignored": answer_file.ignored,
            "hidden": answer_file.hidden_names(),
        },
    )
    return draft


def start_draft(
    session: Session,
    system: System,
    definition: Definition,
    answers: Mapping[str, Any] | None = None,
    actor: User | None = None,
    *,
    system_fields_win: bool = True,
    carried_from: Revision | None = None,
    kind: str = "start",
    follows_up: Definition | None = None,
) -> Draft:
    """A new draft, empty or starting from answers (those the definition still knows, with
    the translations of the written ones among them: engine.translations): the
    answers of ``carried_from``, an earlier revision, whose writers stay the writers of the
    answers carried over; or answers ``actor`` gives (an answer file, demo data), recorded as
    written by them (``kind`` says how). The system's name and description are the answers
    of the questions that ask them (unless ``system_fields_win`` is false: an answer file's own win).

    While a revision awaits a decision no draft starts, whatever its questionnaire, except
    the one the awaiting revision's questionnaire leads to (``follows_up``, its definition:
    see Definition.follow_up); that draft is submitted once the decision is made."""
    if carried_from is not None:
        answers = carried_from.answers
    if system.draft is not None:
        return system.draft
    latest = system.latest_revision
    awaiting = awaiting_decision(session, system)
    if awaiting is not None and not _leads_to(follows_up, awaiting, definition):
        raise DraftNotAllowed(awaiting)
    known = {
        k: v
        for k, v in (answers or {}).items()
        if k in definition.questions and definition.questions[k].check_value(v) is None
    }
    # The name and purpose the system holds are not asked a second time. Its name wins over
    # the one given before (a change since is newer), not over the one a file brings.
    name = definition.role("system_name")
    for key, value in system_answers(system, definition).items():
        wins = system_fields_win and name is not None and key == name.key
        if wins or not is_answered(known.get(key)):
            known[key] = value
    # The translations come with the answers they translate, recorded as made from the texts
    # they were given for: an answer that reads differently here (the system's name changed
    # since) has stale translations, as one the author rewrites later.
    translations = kept_translations(definition, known, translations_of(answers or {}))
    if translations:
        known[TRANSLATIONS] = translations
        known[TRANSLATED_FROM] = made_from(definition, answers or {}, translations)
    draft = Draft(
        system=system,
        questionnaire_key=definition.key,
        questionnaire_version=definition.version,
        questionnaire_hash=definition.content_hash,
        answers=known,
        step_key=definition.steps[0].key,
    )
    session.add(draft)
    session.flush()
    if known and carried_from is not None:
        for writer_id in writer_ids(session, carried_from.id):
            record_save(session, system, None, writer_id, "earlier_revision")
    elif known:
        record_save(session, system, None, actor.id if actor else None, kind)
    record_event(
        session,
        "draft.started",
        actor,
        system=system,
        details={
            "questionnaire": definition.ident,
            "from_revision": (
                carried_from.number if carried_from else latest.number if latest and answers else None
            ),
        },
    )
    log.info("draft %s started for system %s with %s", draft.id, system.uid, definition.ident)
    return draft


def awaiting_decision(session: Session, system: System) -> Revision | None:
    """The system's revision that awaits a decision (submitted or approved), if one does."""
    return session.scalar(
        sa.select(Revision)
        .where(Revision.system_id == system.id, Revision.status.in_(AWAITING_DECISION))
        .order_by(Revision.number.desc())
        .limit(1)
    )


def _leads_to(follows_up: Definition | None, awaiting: Revision, definition: Definition) -> bool:
    """Whether ``follows_up``, the definition ``awaiting`` answered, leads to ``definition``."""
    return (
        follows_up is not None
        and (follows_up.key, follows_up.version)
        == (awaiting.questionnaire_key, awaiting.questionnaire_version)
        and follows_up.follow_up is not None
        and follows_up.follow_up.questionnaire == definition.key
        and definition.key != awaiting.questionnaire_key
    )


def lock_system(session: Session, system: System) -> None:
    """Hold the system's row until the transaction ends: submissions and publications of one
    system take turns (PostgreSQL locks the row; SQLite's writers already take turns)."""
    session.execute(sa.select(System.id).where(System.id == system.id).with_for_update())


def record_save(
    session: Session, system: System, step_key: str | None, user_id: int | None, kind: str
) -> None:
    """Note that ``user_id`` (None: the command line) wrote answers into the system's draft:
    one INSERT, at once (every save writes one; nothing reads the row back)."""
    session.execute(
        sa.insert(StepSave).values(
            system_id=system.id, step_key=step_key, user_id=user_id, kind=kind, saved_dt=now_utc()
        )
    )


def writer_ids(session: Session, revision_id: int) -> list[int]:
    """The people who wrote answers of a revision (the command line is nobody)."""
    return list(
        session.scalars(
            sa.select(StepSave.user_id)
            .where(StepSave.revision_id == revision_id, StepSave.user_id.is_not(None))
            .distinct()
            .order_by(StepSave.user_id)
        )
    )


def save_answers(
    session: Session,
    draft: Draft,
    answers: Mapping[str, Any],
    step_key: str,
    expected_lock: int,
    actor: User | None = None,
    kind: str = "form",
) -> Draft:
    """Merge one step's answers into the draft, unless someone else saved it in between, and
    record who saved which step (``kind``: the form, its autosave, a form kept while the
    session had ended).

    The compare-and-set runs in the database so that two concurrent saves cannot both win.
    """
    _write_draft(session, draft, expected_lock, answers={**draft.answers, **answers}, step_key=step_key)
    record_save(session, draft.system, step_key, actor.id if actor else None, kind)
    return draft


def load_answers(
    session: Session,
    draft: Draft,
    answers: Mapping[str, Any],
    expected_lock: int,
    file: Mapping[str, Any],
    actor: User | None = None,
) -> Draft:
    """Put the answers read from an answer file into the draft (they replace those of the same
    questions; the others stay), unless someone saved the draft since the file was read.
    ``file`` (name, sha256, what was left out) goes in the audit trail."""
    save_answers(session, draft, answers, draft.step_key or "", expected_lock, actor, "answer_file")
    record_event(
        session,
        "draft.answers_loaded",
        actor,
        system=draft.system,
        details={**file, "answers_read": len(answers)},
    )
    log.info("draft %s loaded %s answers from a file", draft.id, len(answers))
    return draft


def save_translations(
    session: Session,
    draft: Draft,
    definition: Definition,
    translations: Mapping[str, Mapping[str, str]],
    expected_lock: int,
    actor: User | None = None,
) -> Draft:
    """Keep the translations of the draft's written answers (engine.translations), unless
    someone else saved the draft in between; a translation left blank is removed. Each one
    saved is taken as made from its answer as it now reads (it is no longer stale). Whoever
    translates is one of the revision's writers (the report prints their words)."""
    answers = with_translations(definition, draft.answers, translations)
    if TRANSLATIONS in answers:
        answers[TRANSLATED_FROM] = made_from(definition, answers, answers[TRANSLATIONS])
    _write_draft(session, draft, expected_lock, answers=answers)
    record_save(session, draft.system, None, actor.id if actor else None, "translation")
    return draft


def _write_draft(session: Session, draft: Draft, expected_lock: int, **values: Any) -> None:
    """Write ``values`` into the draft unless someone else saved it since ``expected_lock``:
    a compare-and-set in the database, so that of two concurrent saves only one wins."""
    written = {**values, "lock_version": expected_lock + 1, "updated_dt": now_utc()}
    result = session.execute(
        sa.update(Draft)
        .where(Draft.id == draft.id, Draft.lock_version == expected_lock)
        .values(**written)
        .execution_options(synchronize_session=False)
    )
    if cast(sa.CursorResult[Any], result).rowcount != 1:
        _raise_conflict(session, draft)
    # The row now holds exactly what was written: the draft in memory says so too, without
    # reading it back (one statement less on every save).
    for name, value in written.items():
        set_committed_value(draft, name, value)


def _raise_conflict(session: Session, draft: Draft) -> None:
    """Say which race was lost: a colleague saved the draft (it is reloaded with their
    answers), or submitted it (it is gone; the revision it became is named)."""
    system_id, draft_id = draft.system_id, draft.id
    current = session.scalar(
        sa.select(Draft).where(Draft.id == draft_id).execution_options(populate_existing=True)
    )
    if current is not None:
        raise DraftConflict(current)
    latest = session.scalar(
        sa.select(Revision).where(Revision.system_id == system_id).order_by(Revision.number.desc()).limit(1)
    )
    raise DraftGone(draft, latest)


def submit(
    session: Session, draft: Draft, definition: Definition, expected_lock: int, actor: User | None = None
) -> Revision:
    """Freeze the draft into the system's next revision and record who submitted it, in the
    caller's transaction: if either write fails, neither happens.

    The draft is removed first, by a compare-and-set on its lock version: of two people
    submitting (or one saving while another submits), exactly one wins, and nothing is written
    for the other, who is told what happened (DraftConflict, DraftGone)."""
    if draft.lock_version != expected_lock:
        raise DraftConflict(draft)
    system = draft.system
    lock_system(session, system)
    # Whoever held the system's lock may have just submitted this very draft: say so (it
    # became their revision), rather than that a revision awaits a decision.
    if session.scalar(sa.select(Draft.lock_version).where(Draft.id == draft.id)) != expected_lock:
        _raise_conflict(session, draft)
    awaiting = awaiting_decision(session, system)
    if awaiting is not None:
        raise AwaitingDecision(awaiting)
    resolution = resolve(definition, draft.answers)
    missing = missing_required(definition, resolution)
    if missing:
        raise IncompleteDraft(missing)
    with session.no_autoflush:
        deleted = session.execute(
            sa.delete(Draft)
            .where(Draft.id == draft.id, Draft.lock_version == expected_lock)
            .execution_options(synchronize_session=False)
        )
    if cast(sa.CursorResult[Any], deleted).rowcount != 1:
        _raise_conflict(session, draft)
    session.expunge(draft)
    set_committed_value(system, "draft", None)
    number = (
        session.scalar(sa.select(sa.func.max(Revision.number)).where(Revision.system_id == system.id)) or 0
    ) + 1
    scores = score(definition, resolution.answers)
    revision = Revision(
        system=system,
        number=number,
        questionnaire_key=definition.key,
        questionnaire_version=definition.version,
        questionnaire_hash=definition.content_hash,
        # the visible answers, and the translations of the written ones among them (not those
        # made from an answer since rewritten: the report shows it as written)
        answers=with_translations(
            definition, resolution.answers, current_translations(definition, draft.answers)
        ),
        scores=scores,
        impact_level=scores["impact_level"],
        charter_rating=(scores["charter"] or {}).get("rating"),
        sha256="",
        submitted_dt=now_utc(),
    )
    revision.sha256 = content_hash(revision.hashed_document())
    session.add(revision)
    session.flush()
    # The draft's saves become the revision's: everyone who wrote its answers.
    session.execute(
        sa.update(StepSave)
        .where(StepSave.system_id == system.id, StepSave.revision_id.is_(None))
        .values(revision_id=revision.id)
        .execution_options(synchronize_session=False)
    )
    writers = session.execute(
        sa.select(User.id, User.email).where(User.id.in_(writer_ids(session, revision.id))).order_by(User.id)
    ).all()
    details: dict[str, Any] = {
        "number": number,
        "sha256": revision.sha256,
        "to": "submitted",
        "writers": [{"id": w.id, "email": w.email} for w in writers],
    }
    if draft.answer_file_sha256:
        details["answer_file_sha256"] = draft.answer_file_sha256
    record_event(session, "revision.submitted", actor, revision=revision, details=details)
    notifications.submitted(session, revision, actor)
    follow_revision(session, revision, definition, actor)
    log.info("revision %s of system %s submitted (%s)", number, system.uid, revision.sha256)
    return revision
