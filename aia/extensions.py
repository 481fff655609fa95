"""Extensions, created once and bound to an app in create_app."""

from typing import Any

from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

from .db import db
from .engine import Definition, Registry

__all__ = ["babel", "csrf", "db", "limiter", "login_manager", "questionnaire", "questionnaires", "talisman"]

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# No default limits: only the routes that ask for one are limited (sign-in).
limiter = Limiter(key_func=get_remote_address)
# Security headers on every response (aia/web_security.py).
talisman = Talisman()


def questionnaires(session: Any = None) -> Registry:
    """The questionnaire definitions the app offers: those packaged with it (loaded by
    create_app) and those imported into the database (which create_app's hook adds, so that
    every worker and host sees an import at once), read with ``session`` (the caller's, when
    it works with one of its own) or the app's."""
    registry: Registry = current_app.extensions["aia.questionnaires"]
    with_imported = current_app.extensions.get("aia.questionnaires.with_imported")
    return with_imported(registry, session) if with_imported is not None else registry


def questionnaire(key: str, version: int, session: Any = None) -> Definition | None:
    """One version of a questionnaire. A packaged one is found without asking the database
    (an import never takes a packaged questionnaire's key); only another is looked up among
    the imported ones."""
    packaged: Registry = current_app.extensions["aia.questionnaires"]
    return packaged.get(key, version) or questionnaires(session).get(key, version)
