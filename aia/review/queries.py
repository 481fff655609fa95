"""The read side of review: the queue, comments, history, comparison."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..accounts.access import visible_to
from ..accounts.models import Agency, User
from ..assessments.models import Revision, System
from ..audit.models import AuditEvent
from ..db import Session
from ..engine import Definition
from ..engine.definition import LEVEL_NAMES
from ..engine.scoring import impact_level, round_half_up
from ..engine.scoring_texts import scores_in_language
from ..engine.translations import TRANSLATIONS
from ..i18n import _
from ..presentation import RATING_LABELS, check_outcome
from .models import Comment, CommentReply, CommentState

QUEUE_STATES = ("submitted", "approved")


def queue(session: Session, viewer: User) -> list[Revision]:
    """Revisions awaiting a decision or publication, oldest first. An approved threshold
    check awaits nothing: it is never published (lifecycle.publication_refusal)."""
    revisions = session.scalars(
        sa.select(Revision)
        .join(System)
        .where(visible_to(viewer, System.agency_id), Revision.status.in_(QUEUE_STATES))
        .options(selectinload(Revision.system).selectinload(System.agency))
        .order_by(Revision.submitted_dt, Revision.id)
    )
    return [r for r in revisions if not (r.status == "approved" and check_outcome(r))]


def comments_by_question(session: Session, revision_id: int) -> dict[str | None, list[Comment]]:
    """Comments on each question (key None: on the whole revision), oldest first."""
    grouped: dict[str | None, list[Comment]] = defaultdict(list)
    for comment in session.scalars(
        sa.select(Comment)
        .where(Comment.revision_id == revision_id)
        .options(selectinload(Comment.author))
        .order_by(Comment.id)
    ):
        grouped[comment.question_key].append(comment)
    return dict(grouped)


def latest_state(session: Session, comment_id: int) -> CommentState | None:
    """The latest mark on a comment (resolved or reopened), None if never marked."""
    return session.scalars(
        sa.select(CommentState)
        .where(CommentState.comment_id == comment_id)
        .options(selectinload(CommentState.actor))
        .order_by(CommentState.id.desc())
        .limit(1)
    ).first()


@dataclass(frozen=True)
class Thread:
    """A comment's replies, oldest first, and its state: resolved by whom and when, or open."""

    replies: list[CommentReply]
    state: CommentState | None

    @property
    def resolved(self) -> bool:
        return bool(self.state and self.state.resolved)


def thread(session: Session, comment_id: int) -> Thread:
    replies = list(
        session.scalars(
            sa.select(CommentReply)
            .where(CommentReply.comment_id == comment_id)
            .options(selectinload(CommentReply.author))
            .order_by(CommentReply.id)
        )
    )
    return Thread(replies, latest_state(session, comment_id))


def threads_of_revision(session: Session, revision_id: int) -> dict[int, Thread]:
    """The thread of every comment on a revision, in two queries (a page shows them all)."""
    of_revision = sa.select(Comment.id).where(Comment.revision_id == revision_id)
    replies: dict[int, list[CommentReply]] = defaultdict(list)
    for reply in session.scalars(
        sa.select(CommentReply)
        .where(CommentReply.comment_id.in_(of_revision))
        .options(selectinload(CommentReply.author))
        .order_by(CommentReply.id)
    ):
        replies[reply.comment_id].append(reply)
    states: dict[int, CommentState] = {}
    for state in session.scalars(
        sa.select(CommentState)
        .where(CommentState.comment_id.in_(of_revision))
        .options(selectinload(CommentState.actor))
        .order_by(CommentState.id)
    ):
        states[state.comment_id] = state  # the latest wins
    ids = session.scalars(of_revision)
    return {comment_id: Thread(replies[comment_id], states.get(comment_id)) for comment_id in ids}


def answered_comments(session: Session, revision: Revision) -> tuple[Revision | None, list[dict[str, Any]]]:
    """For revision N+1: revision N and each of its comments, with its thread and, for a
    comment on an answer, whether that answer changed in N+1."""
    earlier = next((r for r in revision.system.revisions if r.number == revision.number - 1), None)
    if earlier is None:
        return None, []
    rows: list[dict[str, Any]] = []
    for key, comments in comments_by_question(session, earlier.id).items():
        for comment in comments:
            changed = None if key is None else earlier.answers.get(key) != revision.answers.get(key)
            rows.append({"comment": comment, "key": key, "changed": changed})
    rows.sort(key=lambda row: cast(Comment, row["comment"]).id)
    return earlier, rows


def comments_for_draft(session: Session, system: System) -> tuple[Revision | None, dict]:
    """The revision sent back for changes that a new draft answers, and its comments. Every
    step of a draft asks this: only the latest revision's state is read, not the revisions."""
    latest = session.execute(
        sa.select(Revision.id, Revision.status)
        .where(Revision.system_id == system.id)
        .order_by(Revision.number.desc())
        .limit(1)
    ).first()
    if latest is None or latest.status != "changes_requested":
        return None, {}
    revision = session.get(Revision, latest.id)
    assert revision is not None  # noqa: S101  # just read, and revisions are never deleted
    return revision, comments_by_question(session, revision.id)


def compare(
    old: Revision, new: Revision, old_def: Definition | None, new_def: Definition | None
) -> dict[str, Any]:
    """Both revisions' answers question by question (the newer questionnaire's order first),
    and their scores, each row marked changed or not."""
    labels: dict[str, str] = {}
    order: list[str] = []
    for definition in (new_def, old_def):
        for question in definition.questions.values() if definition else []:
            labels.setdefault(question.key, question.label)
            if question.key not in order:
                order.append(question.key)
    for key in list(old.answers) + list(new.answers):
        if key not in order and key != TRANSLATIONS:  # translations are not answers to compare
            order.append(key)

    def shown(definition: Definition | None, answers: dict, key: str) -> str:
        if key not in answers:
            return ""
        if definition and key in definition.questions:
            return definition.questions[key].display(answers[key])
        return str(answers[key])

    answers = []
    for k in order:
        if k not in old.answers and k not in new.answers:
            continue
        before, after = shown(old_def, old.answers, k), shown(new_def, new.answers, k)
        changed = old.answers.get(k) != new.answers.get(k)
        answers.append(
            {
                "key": k,
                "label": labels.get(k, k),
                "old": before,
                "new": after,
                "changed": changed,
                "words": word_changes(before, after) if changed else [],
            }
        )
    return {
        "answers": answers,
        "scores": _score_rows(old, new, old_def, new_def),
        "changed": sum(row["changed"] for row in answers),
    }


_WORDS = re.compile(r"\s+|[^\s]+")
CONTEXT_WORDS = 6  # kept either side of a change in the "changes only" view


def word_changes(old: str, new: str) -> list[dict[str, Any]]:
    """How ``old`` became ``new``, word by word: runs of {"op": "same" | "deleted" |
    "added", "text": ...}, spaces kept; a run of unchanged words also says how much of it
    the "changes only" view leaves out ("cut": the text shown either side of the gap)."""
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    runs: list[dict[str, Any]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append({"op": "same", "text": "".join(before[i1:i2])})
            continue
        if op in ("delete", "replace"):
            runs.append({"op": "deleted", "text": "".join(before[i1:i2])})
        if op in ("insert", "replace"):
            runs.append({"op": "added", "text": "".join(after[j1:j2])})
    for index, run in enumerate(runs):
        if run["op"] != "same":
            continue
        words = _WORDS.findall(run["text"])
        keep = 2 * CONTEXT_WORDS  # tokens: words and the spaces between them
        head = keep if index > 0 else 0  # context after the change before it
        tail = keep if index < len(runs) - 1 else 0  # context before the next change
        if len(words) > head + tail + 2:
            run["cut"] = ("".join(words[:head]), "".join(words[len(words) - tail :]))
    return runs


def _score_rows(
    old: Revision, new: Revision, old_def: Definition | None, new_def: Definition | None
) -> list[dict[str, Any]]:
    """The figures of both revisions, in the words of each one's questionnaire as given (read
    in the page's language). A threshold check gives no level, rating or score: its one figure
    is its outcome."""
    old_scores = scores_in_language(old_def, old.scores) if old_def else old.scores
    new_scores = scores_in_language(new_def, new.scores) if new_def else new.scores

    def outcome(revision: Revision) -> str:
        found = check_outcome(revision)
        if found is None:
            return _("Level %(numeral)s", numeral=revision.scores.get("impact_level_numeral"))
        return _("Full assessment needed") if found == "needed" else _("Full assessment not needed")

    def charter(scores: dict) -> str:
        rating = (scores.get("charter") or {}).get("rating")
        return str(RATING_LABELS.get(rating, rating)) if rating else _("Not rated")

    def flags(scores: dict) -> str:
        return ", ".join(f["label"] for f in scores.get("flags", [])) or _("None")

    def of(part: str) -> Callable[[dict], str]:
        return lambda s: _("%(points)s of %(max)s", points=s[part]["points"], max=s[part]["max"])

    checks = check_outcome(old) is not None or check_outcome(new) is not None
    rows: list[tuple[str, Callable[[dict], str]]] = (
        []
        if checks
        else [
            (_("Charter risk rating"), charter),
            (_("Final score"), lambda s: str(s.get("final_score"))),
            (_("Risk points"), of("risk")),
            (_("Mitigation points"), of("mitigation")),
        ]
    )
    rows.append((_("Triage flags"), flags))
    first = {
        "label": _("Outcome") if checks else _("Impact level"),
        "old": outcome(old),
        "new": outcome(new),
    }
    return [{**first, "changed": first["old"] != first["new"]}] + [
        {
            "label": label,
            "old": get(old_scores),
            "new": get(new_scores),
            "changed": get(old_scores) != get(new_scores),
        }
        for label, get in rows
    ]


LOG_PAGE_SIZE = 100


@dataclass(frozen=True)
class LogFilters:
    """What the audit log is narrowed to; every value as typed in the page's address, those
    that do not parse left out."""

    agency: str = ""  # an agency's slug
    kind: str = ""  # an event's code, e.g. "revision.approved"
    system: str = ""  # part of a system's name, or its identifier
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> LogFilters:
        def day(name: str) -> dt.date | None:
            try:
                return dt.date.fromisoformat((args.get(name) or "").strip()[:10])
            except ValueError:
                return None

        def text(name: str, limit: int) -> str:
            return (args.get(name) or "").replace("\x00", "").strip()[:limit]

        return cls(text("agency", 64), text("kind", 48), text("system", 200), day("from"), day("to"))

    def args(self) -> dict[str, str]:
        values = {
            "agency": self.agency,
            "kind": self.kind,
            "system": self.system,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class LogLine:
    event: AuditEvent
    who: str  # the person's name today, else the name or address recorded with the event
    agency: str
    system_uid: str
    system_name: str
    revision_number: int | None


def audit_log(
    session: Session, viewer: User, filters: LogFilters, before: int | None = None, limit: int | None = None
) -> list[LogLine]:
    """The audit events this person may read (an auditor: every agency's; an approver: their
    agency's), newest first, as ``filters`` narrow them; ``before`` an event id to page on."""
    query = (
        sa.select(AuditEvent, User.name, Agency.name, System.uid, System.name, Revision.number)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .outerjoin(Agency, Agency.id == AuditEvent.agency_id)
        .outerjoin(System, System.id == AuditEvent.system_id)
        .outerjoin(Revision, Revision.id == AuditEvent.revision_id)
        .where(AuditEvent.agency_id.is_not(None), visible_to(viewer, cast(Any, AuditEvent.agency_id)))
        .order_by(AuditEvent.id.desc())
    )
    if filters.agency:
        query = query.where(Agency.slug == filters.agency)
    if filters.kind:
        query = query.where(AuditEvent.action == filters.kind)
    if filters.system:
        pattern = "%" + filters.system.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(System.uid == filters.system, System.name.ilike(pattern, escape="\\")))
    if filters.date_from:
        query = query.where(AuditEvent.created_dt >= _midnight(filters.date_from))
    if filters.date_to and filters.date_to < dt.date.max:
        query = query.where(AuditEvent.created_dt < _midnight(filters.date_to + dt.timedelta(days=1)))
    if before is not None:
        query = query.where(AuditEvent.id < before)
    if limit is not None:
        query = query.limit(limit)
    return [
        LogLine(event, user_name or event.actor, agency or "", uid or "", system or "", number)
        for event, user_name, agency, uid, system, number in session.execute(query)
    ]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def log_agencies(session: Session, viewer: User) -> list[tuple[str, str]]:
    """The agencies whose events this person may read: (slug, name), by name."""
    return [
        (row.slug, row.name)
        for row in session.execute(
            sa.select(Agency.slug, Agency.name).where(visible_to(viewer, Agency.id)).order_by(Agency.name)
        )
    ]


def names_of(session: Session, user_ids: set[int]) -> dict[int, str]:
    """People's names by account id (those with a name)."""
    if not user_ids:
        return {}
    rows = session.execute(sa.select(User.id, User.name).where(User.id.in_(user_ids)))
    return {row.id: row.name for row in rows if row.name}


def mitigation_cliff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any] | None:
    """When mitigation crossed the line that reduces the score (either way) from the scores
    ``old`` to ``new``: the levels before and after, whether the crossing alone moved the
    level (the level ``new`` would have on the other side of the line), and the mitigation
    answers whose points changed. None when it did not cross, or the scores give no level."""
    try:
        was, now = old["mitigation"], new["mitigation"]
        if bool(was["strong"]) == bool(now["strong"]):
            return None
        bounds = tuple(new["level_bounds_pct"])
        risk = new["risk"]
    except (KeyError, TypeError):
        return None
    if now["strong"]:
        other_side = risk["points"]  # without the reduction
    else:
        other_side = round_half_up(risk["points"] * (100 - int(old.get("reduction_pct") or 0)), 100)
    level_other_side = impact_level(other_side, risk["max"], bounds)

    def points(scores: dict[str, Any]) -> dict[str, tuple[str, int]]:
        return {
            row["question"]: (row["label"], row["points"])
            for row in scores.get("breakdown", [])
            if row.get("kind") == "mitigation"
        }

    before, after = points(old), points(new)
    answers = [
        {
            "label": (after.get(key) or before[key])[0],
            "old": before.get(key, ("", 0))[1],
            "new": after.get(key, ("", 0))[1],
        }
        for key in list(after) + [k for k in before if k not in after]
        if before.get(key, ("", 0))[1] != after.get(key, ("", 0))[1]
    ]
    return {
        "over": bool(now["strong"]),
        "threshold_pct": now.get("threshold_pct"),
        "reduction_pct": new.get("reduction_pct") or old.get("reduction_pct"),
        "old_points": was["points"],
        "new_points": now["points"],
        "max": now["max"],
        "old_level": old.get("impact_level_numeral"),
        "new_level": new.get("impact_level_numeral"),
        "moved_level": level_other_side != new.get("impact_level"),
        "level_other_side": LEVEL_NAMES[level_other_side - 1],
        "answers": answers,
    }
