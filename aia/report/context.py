"""Everything the report shows, as plain dicts and lists: no ORM object reaches a template."""

from __future__ import annotations

from typing import Any

from ..assessments.models import Revision
from ..engine import Definition, resolve
from ..presentation import STATUS_LABELS, format_dt


def answers_by_step(definition: Definition, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The visible questions of each visible step with their answers as text."""
    resolution = resolve(definition, answers)
    steps = []
    for step in resolution.steps:
        rows = [{"key": q.key, "label": q.label, "type": q.type_name,
                 "answer": q.display(resolution.answers.get(q.key))}
                for q in step.questions if q.key in resolution.visible]
        steps.append({"key": step.key, "title": step.title, "questions": rows})
    return steps


def report_context(revision: Revision, definition: Definition) -> dict[str, Any]:
    system = revision.system
    return {
        "system": {"uid": system.uid, "name": system.name, "description": system.description},
        "agency": {"name": system.agency.name},
        "revision": {"uid": revision.uid, "number": revision.number,
                     "status": STATUS_LABELS.get(revision.status, revision.status),
                     "submitted": format_dt(revision.submitted_dt), "sha256": revision.sha256},
        "questionnaire": {"title": definition.title, "key": definition.key,
                          "version": definition.version, "hash": definition.content_hash},
        "scores": revision.scores,
        "steps": answers_by_step(definition, revision.answers),
    }
