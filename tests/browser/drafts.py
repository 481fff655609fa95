"""Drafts made straight in the live app's database, for tests about what comes after filling
in (a submission, an answer file): the author's agency owns them."""

from __future__ import annotations

from aia.accounts import services as account_services
from aia.assessments import services
from aia.extensions import db

from ..answers import STARTER_COMPLETE
from . import live


def live_draft(live_app, name: str, answers: dict | None = None, key: str = "starter") -> str:
    """A system of the author's agency with a draft of the latest ``key`` questionnaire
    holding ``answers`` (by default a complete starter assessment); returns its uid."""
    with live_app.app_context():
        agency = account_services.agency_by_slug(db.session, live.PEOPLE["author"][1])
        system = services.create_system(db.session, agency.id, name, "")
        definition = live_app.extensions["aia.questionnaires"].latest(key)
        services.start_draft(db.session, system, definition, STARTER_COMPLETE if answers is None else answers)
        uid = system.uid
        db.session.commit()
    return uid


def live_revision(live_app, name: str, answers: dict | None = None, key: str = "starter") -> str:
    """A system of the browser approver's agency with one submitted revision of the latest
    ``key`` questionnaire (submitted by nobody the browser signs in as); returns its uid."""
    with live_app.app_context():
        agency = account_services.agency_by_slug(db.session, live.PEOPLE["approver"][1])
        system = services.create_system(db.session, agency.id, name, "")
        definition = live_app.extensions["aia.questionnaires"].latest(key)
        draft = services.start_draft(
            db.session, system, definition, STARTER_COMPLETE if answers is None else answers
        )
        services.submit(db.session, draft, definition, draft.lock_version)
        uid = system.uid
        db.session.commit()
    return uid
