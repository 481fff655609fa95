"""Everything the report shows, as plain dicts and lists: no ORM object reaches a template.

The report works with any questionnaire. The summary, the charter commitments, the plans for
further measures and the sign-off come from the questions the questionnaire file declares for
those roles (engine.roles); a part it declares nothing for is left out, and the report says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from flask import current_app
from flask_babel import format_date
from markupsafe import Markup

from ..assessments.models import Revision
from ..audit.queries import Anchor
from ..engine import Definition, Resolution, answers_by_step, canonical_json, resolve
from ..engine.definition import answer_text
from ..engine.group import Group
from ..engine.scoring_texts import scores_in_language
from ..engine.translations import answers_in_language
from ..i18n import _, _l, current_language
from ..presentation import CHARTER_MEANINGS, RATING_LABELS, STATUS_LABELS, format_dt
from .charts import area_totals, impact_chart_svgs, risk_matrix_svg
from .errors import ReportTooLarge

# The plain-language summary: the role whose question fills each heading.
SUMMARY_ROLES: tuple[tuple[str, str], ...] = (
    ("decision", _l("The decision it takes or supports")),
    ("purpose", _l("What it is for")),
    ("affected_people", _l("The people it is about")),
    ("decision_area", _l("Area of the decisions")),
    ("part_in_decision", _l("The system's part in the decision")),
    ("people_per_year", _l("People it decides about in a year")),
    ("groups_at_risk", _l("Groups that could be treated differently")),
    ("effects", _l("Effects that can follow from a decision")),
    ("stage", _l("Stage")),
    ("go_live", _l("In use since, or from")),
    ("built_by", _l("Built by")),
    ("legal_basis", _l("Legal basis")),
    ("contact_point", _l("Questions from the public to")),
)
# The parts of the report that roles fill, as the report names them when they are left out.
ROLE_PARTS: tuple[tuple[str, str], ...] = (
    ("summary", _l("the summary of what the system does")),
    ("commitments", _l("the charter commitments")),
    ("mitigation_plans", _l("the plans for further measures")),
    ("sign_off", _l("the sign-off")),
)

# Limits on what a report is rendered from, so that one revision cannot tie up the renderer.
MAX_ANSWERS_BYTES = 512 * 1024
MAX_TEXT_CHARS = 50_000


# How the anchor is written among a published report's keywords (see integrity.anchors).
ANCHOR_KEYWORD = "aia-chain-head:"


def check_size(revision: Revision) -> None:
    """Refuse a revision whose text is over the limits, saying which limit and by how much."""
    size = len(canonical_json(revision.answers))
    if size > MAX_ANSWERS_BYTES:
        raise ReportTooLarge(
            f"The answers of revision {revision.number} take {size // 1024} KiB; a report is "
            f"made from at most {MAX_ANSWERS_BYTES // 1024} KiB of answers."
        )
    texts = [("system name", revision.system.name), ("description", revision.system.description)]
    texts += [(f"answer '{key}'", value) for key, value in revision.answers.items() if isinstance(value, str)]
    for what, text in texts:
        if len(text or "") > MAX_TEXT_CHARS:
            raise ReportTooLarge(
                f"The {what} of revision {revision.number} has {len(text):,} characters; a "
                f"report shows at most {MAX_TEXT_CHARS:,} characters in one answer."
            )


def summary(definition: Definition, resolution: Resolution) -> list[dict[str, str]]:
    items = []
    for role, heading in SUMMARY_ROLES:
        question = definition.role(role)
        if question is not None and (text := answer_text(question, resolution.answers)):
            items.append({"heading": str(heading), "text": text, "key": question.key})
    return items


def commitments(definition: Definition, resolution: Resolution) -> list[dict[str, str]]:
    """The commitments the questionnaire asks about, with status and evidence."""
    return [
        {
            "title": c.title,
            "status": answer_text(definition.questions[c.status], resolution.answers) or "Not answered",
            "status_value": str(resolution.answers.get(c.status) or ""),
            "evidence": answer_text(definition.questions[c.evidence], resolution.answers),
        }
        for c in definition.commitments
    ]


def mitigation(definition: Definition, resolution: Resolution, scores: Mapping[str, Any]) -> dict[str, Any]:
    measures = [
        {"label": row["label"], "answer": row["answer_text"], "points": row["points"], "max": row["max"]}
        for row in scores.get("breakdown", [])
        if row["kind"] == "mitigation"
    ]
    plans = [
        {"label": q.label, "text": text}
        for q in definition.role_questions("mitigation_plans")
        if (text := answer_text(q, resolution.answers))
    ]
    return {"measures": measures, "plans": plans, **scores.get("mitigation", {})}


def sign_off(definition: Definition, resolution: Resolution) -> list[dict[str, str]]:
    """Who stands behind the assessment, as the sign-off questions shown were answered. A
    date there is what the author typed (a questionnaire may call it the date of approval):
    it is marked so, since the approval the app recorded is in the review record beside it."""
    return [
        {
            "label": str(_("%(label)s (as typed in the assessment)", label=q.label))
            if q.type_name == "date"
            else q.label,
            "answer": answer_text(q, resolution.answers),
        }
        for q in definition.role_questions("sign_off")
        if q.key in resolution.visible
    ]


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'


def page_furniture_css() -> Markup:
    """The words of the pages' running header and footer, in the report's language, as CSS
    that follows the stylesheet (its @page boxes hold text, which a stylesheet file cannot
    translate)."""
    page_line = _css_string(_("Page %(page)s of %(pages)s", page="\x00", pages="\x01"))
    page_line = page_line.replace("\x00", '" counter(page) "').replace("\x01", '" counter(pages) "')
    footer = _css_string(_("Transparency report") + " · ")
    revision = _css_string(_("Revision") + " ")
    return Markup(  # noqa: S704  # nosec B704  (our own words, quoted as CSS strings above)
        f"@page {{ @bottom-left {{ content: {footer} string(agency); }} "
        f"@bottom-right {{ content: {page_line}; }} }}\n"
        f".running-revision {{ string-set: revision-line {revision} content(); }}"
    )


def declared_parts(definition: Definition) -> set[str]:
    """The parts of ROLE_PARTS the questionnaire declares questions for."""
    parts = {part for part, _ in ROLE_PARTS if part in definition.roles.questions}
    if any(role in definition.roles.questions for role, _ in SUMMARY_ROLES):
        parts.add("summary")
    if definition.commitments:
        parts.add("commitments")
    return parts


def status_in_report(revision: Revision, listed: Revision, published: bool) -> str:
    """The status of a listed revision as the report states it. The register's copy is made
    just before its publication takes effect: in it, this revision is published and the one
    published before it is superseded, as they are from the moment the copy is on the register."""
    if not published:
        return listed.status
    if listed.number == revision.number:
        return "published"
    if listed.status == "published":
        return "superseded"
    return listed.status


def revision_list(revision: Revision, published: bool = False) -> list[dict[str, Any]]:
    """The system's revisions up to this one (later ones do not change this report)."""
    return [
        {
            "number": r.number,
            "submitted": format_dt(r.submitted_dt),
            "status": str(STATUS_LABELS.get(status := status_in_report(revision, r, published), status)),
            "impact_level": r.scores.get("impact_level_numeral", ""),
            "sha256": r.sha256,
            "this": r.number == revision.number,
        }
        for r in revision.system.revisions
        if r.number <= revision.number
    ]


def _plain_rows(rows: Iterable[Mapping[str, Any]] | None, keys: tuple[str, ...]) -> list[dict]:
    """Rows given by other parts of the app, reduced to text under the keys the template reads."""
    return [{key: "" if row.get(key) is None else str(row.get(key)) for key in keys} for row in rows or ()]


HISTORY_KEYS = ("when", "event", "actor", "note")
REVIEW_KEYS = ("when", "reviewer", "decision", "comment")


def method_url() -> str | None:
    """The address of the scoring method on the public register, when it is configured (a
    report names no address that depends on who happened to render it)."""
    base = current_app.config.get("PUBLIC_URL", "")
    return f"{base}/register/method" if base else None


def fria_part(
    definition: Definition, scores: Mapping[str, Any], answers: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The fundamental rights impact assessment's results in the report's words: the register
    with its options' labels and its rows' texts as ``answers`` give them (the answers in the
    report's language: answers_in_language), and the matrix (likelihood down, severity
    across)."""
    result = scores.get("fria") if scores.get("method") == "eu-fria" else None
    register = definition.questions.get("risk_register")
    if not isinstance(result, Mapping) or not isinstance(register, Group):
        return None
    asked = {q.key: q for q in register.questions}
    rows = answers.get(register.key)
    rows = rows if isinstance(rows, list) else []

    def label(key: str, value: Any) -> str:
        question = asked.get(key)
        return question.display(value) if question is not None and value is not None else ""

    def written(risk: Mapping[str, Any], key: str) -> Any:
        # A risk is the register's row of its number (scoring_fria.rated_risks).
        number = risk.get("number")
        row = rows[number - 1] if isinstance(number, int) and 0 < number <= len(rows) else None
        text = row.get(key) if isinstance(row, Mapping) else None
        return text or risk.get(key, "")

    matrix = result.get("matrix", [])
    return {
        "applicability": result.get("applicability", {}),
        "rating": result.get("rating"),
        "duties": result.get("duties", []),
        "risks": [
            {
                **risk,
                "right_text": label("right", risk.get("right")) or risk.get("right_text", ""),
                "likelihood_text": label("likelihood", risk.get("likelihood")),
                "severity_text": label("severity", risk.get("severity")),
                "group": written(risk, "group"),
                "measures": written(risk, "measures"),
            }
            for risk in result.get("risks", [])
        ],
        "severities": [label("severity", cell["severity"]) for cell in (matrix[0] if matrix else [])],
        "matrix": [
            {"likelihood": label("likelihood", line[0]["likelihood"]), "cells": line}
            for line in matrix
            if line
        ],
    }


def report_context(
    revision: Revision,
    definition: Definition,
    *,
    history: Iterable[Mapping[str, Any]] | None = None,
    reviews: Iterable[Mapping[str, Any]] | None = None,
    published: bool = False,
    anchor: Anchor | None = None,
    published_dt: dt.datetime | None = None,
) -> dict[str, Any]:
    """The report of one revision. ``history`` and ``reviews`` are optional lists of dicts
    (keys in HISTORY_KEYS and REVIEW_KEYS); ``published`` makes the copy for the register,
    anything else is marked as a preview; ``anchor`` is the audit trail's head at publication,
    printed in the report and written in its keywords, where `aia verify` reads it back;
    ``published_dt`` is when the copy goes on the register (the cover prints its day)."""
    check_size(revision)
    system = revision.system
    # the words in the report's language
    scores = scores_in_language(definition, revision.scores, revision.answers)
    # the written answers in the report's language where they were translated
    answers = answers_in_language(definition, revision.answers, current_language())
    resolution = resolve(definition, answers)
    charter = scores.get("charter") or {}
    risk_areas = area_totals(scores.get("breakdown", []), "risk")
    mitigation_areas = area_totals(scores.get("breakdown", []), "mitigation")
    status = "published" if published else revision.status
    submitted = revision.submitted_dt
    declared = declared_parts(definition)
    return {
        "published": published,
        # the name the revision answered, where its questionnaire asks it (role system_name)
        "system": {
            "uid": system.uid,
            "name": definition.text_for("system_name", resolution.answers) or system.name,
            "description": system.description,
        },
        "agency": {"name": system.agency.name},
        "revision": {
            "uid": revision.uid,
            "number": revision.number,
            "status": str(STATUS_LABELS.get(status, status)),
            "submitted": format_dt(submitted),
            "submitted_date": format_date(submitted, "d MMMM y"),
            "submitted_iso": submitted.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "sha256": revision.sha256,
            "published_date": format_date(published_dt, "d MMMM y") if published and published_dt else None,
        },
        "questionnaire": {
            "title": definition.title,
            "key": definition.key,
            "version": definition.version,
            "hash": definition.content_hash,
            "language": definition.language or "en",
            # the notice an imported questionnaire's licence asks for (Canada's AIA)
            "notice": str(definition.origin.notice) if definition.origin else None,
        },
        "scores": scores,
        "fria": fria_part(definition, scores, answers),
        "charter": {
            **charter,
            "label": str(RATING_LABELS.get(charter.get("rating") or "", "")),
            "meaning": str(CHARTER_MEANINGS.get(charter.get("rating") or "", charter.get("meaning") or "")),
            "matrix_svg": risk_matrix_svg(charter.get("likelihood"), charter.get("impact")),
        }
        if charter
        else None,
        # a FRIA has its register and matrix instead of points (fria_part)
        "impact_chart_svgs": []
        if scores.get("method") == "eu-fria"
        else impact_chart_svgs(scores, risk_areas, mitigation_areas),
        "risk_areas": risk_areas,
        "summary": summary(definition, resolution),
        "declared": sorted(declared),
        "left_out": [str(name) for part, name in ROLE_PARTS if part not in declared],
        "flags": scores.get("flags", []),
        "commitments": commitments(definition, resolution),
        "sign_off": sign_off(definition, resolution),
        "obligations": scores.get("obligations", []),
        "mitigation": mitigation(definition, resolution, scores),
        "steps": answers_by_step(definition, answers, resolution),
        "revisions": revision_list(revision, published),
        "history": _plain_rows(history, HISTORY_KEYS) if history is not None else None,
        "reviews": _plain_rows(reviews, REVIEW_KEYS) if reviews is not None else None,
        "method_url": method_url(),
        "page_css": page_furniture_css(),
        "anchor": {"event": anchor.event_id, "hash": anchor.hash, "text": anchor.text} if anchor else None,
        "keywords": [
            str(_l("algorithmic impact assessment")),
            str(_l("transparency report")),
            str(_l("automated decision system")),
            system.agency.name,
            str(_l("impact level %(numeral)s", numeral=scores.get("impact_level_numeral", ""))),
            *([ANCHOR_KEYWORD + anchor.text] if anchor else []),
        ],
    }
