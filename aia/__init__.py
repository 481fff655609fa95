"""aia: impact assessments, transparency reports and a public register for automated
decision systems."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from .engine import Registry
from .extensions import csrf, db

log = logging.getLogger(__name__)


def create_app(config: Any = None) -> Flask:
    """Build the app. ``config`` is a config class, a dict of overrides, or None (environment)."""
    from config import config_from_env

    app = Flask(__name__, instance_relative_config=False)
    if config is None or isinstance(config, dict):
        app.config.from_object(config_from_env())
        app.config.update(config or {})
    else:
        app.config.from_object(config)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("AIA_SECRET_KEY is not set: set it to a long random value "
                           "(or AIA_ENV=development for local use)")
    db.init_app(app)
    csrf.init_app(app)
    app.extensions["aia.questionnaires"] = Registry.from_folder(app.config["QUESTIONNAIRE_DIR"])

    from . import models  # noqa: F401  (every table known before any query)
    from .accounts import bp as accounts_bp
    from .accounts import sessions
    from .assessments import bp as assessments_bp
    from .register import bp as register_bp
    from .register.queue import bp as feedback_queue_bp
    from .report import bp as report_bp
    from .review import bp as review_bp

    sessions.init_app(app)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(assessments_bp)
    app.register_blueprint(report_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(register_bp)
    app.register_blueprint(feedback_queue_bp)
    _register_error_pages(app)
    _register_template_helpers(app)

    from .cli import register_commands

    register_commands(app)
    return app


def _register_error_pages(app: Flask) -> None:
    messages = {
        400: ("Bad request", "The request could not be understood."),
        403: ("Not allowed for your role", "Your account can see this, but its role does not "
                                           "allow this action."),
        404: ("Page not found", "There is nothing at this address. It may have moved, or the "
                                "link may be wrong."),
        405: ("Not allowed", "This page cannot be used that way."),
        409: ("Conflict", "Someone else changed this at the same time."),
        413: ("Too large", "What you sent is larger than this service accepts."),
        429: ("Too many attempts", "Too many attempts in a short time. Wait a few minutes, "
                                   "then try again."),
        500: ("Something went wrong", "The error was logged. Nothing you entered before the "
                                      "last successful save was lost."),
    }

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        title, message = messages.get(error.code or 500, (error.name, error.description))
        return render_template("errors/error.html", code=error.code, title=title,
                               message=message), error.code

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        db.session.rollback()
        log.exception("unhandled error")
        title, message = messages[500]
        return render_template("errors/error.html", code=500, title=title,
                               message=message), 500


def _register_template_helpers(app: Flask) -> None:
    from .presentation import register

    register(app)
