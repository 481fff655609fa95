"""aia: impact assessments, transparency reports and a public register for automated
decision systems."""

from __future__ import annotations

import importlib
import logging
import sys
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, g, render_template, request
from flask.wrappers import Response
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, SecurityError

from config import DEVELOPMENT_SECRET_KEY, config_from_env

from . import db as database
from . import (
    i18n,
    models,  # noqa: F401  (every table known before any query)
    web_input,
    web_security,
)
from .accounts import sessions
from .catalogue import queries as catalogue_queries
from .engine import Registry
from .extensions import csrf, db
from .i18n import _l
from .jobs import jobs
from .mail import delivery as mail_delivery
from .ops import observe
from .presentation import register as register_presentation
from .security_log import security_event

log = logging.getLogger(__name__)

# The packages that serve pages, each with a blueprint ``bp`` in its __init__ and its views
# in ``routes``; importing a package never loads its views, create_app does.
BLUEPRINT_PACKAGES = (
    "i18n",
    "accounts",
    "assessments",
    "report",
    "review",
    "publishing",
    "register",
    "messages",
    "ops",
)


def create_app(config: Any = None) -> Flask:
    """Build the app. ``config`` is a config class, a dict of overrides, or None (environment)."""
    app = Flask(__name__, instance_relative_config=False)
    if config is None or isinstance(config, dict):
        app.config.from_object(config_from_env())
        app.config.update(config or {})
    else:
        app.config.from_object(config)
    check_settings(app)
    _configure_logging(app)
    observe.init_app(app)  # first of the request hooks: every later log line has the request's id
    web_input.init_app(app)  # first: the rules added below take its converters
    web_security.init_app(app)
    database.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    app.extensions["aia.questionnaires"] = Registry.from_folder(app.config["QUESTIONNAIRE_DIR"])
    app.extensions["aia.questionnaires.with_imported"] = lambda packaged, session: (
        catalogue_queries.all_questionnaires(session or db.session, packaged)
    )
    sessions.init_app(app)
    for name in BLUEPRINT_PACKAGES:
        importlib.import_module(f"{__name__}.{name}.routes")
        app.register_blueprint(importlib.import_module(f"{__name__}.{name}").bp)
    mail_delivery.init_app(app)
    # Each package's jobs are declared when its views load (above): bind them to the queue.
    jobs.init_app(app)
    _register_request_boundary(app)
    _register_error_pages(app)
    register_presentation(app)
    # The commands reach every package (the demo data, `aia verify`, hence the renderer):
    # loaded when an app is built, so that importing a model never loads them.
    from .cli import register_commands

    register_commands(app)
    return app


class SettingsError(RuntimeError):
    """A setting the app refuses to start with; the message says which and what to do."""


def check_settings(app: Flask) -> None:
    """Refuse to start with settings that would be unsafe. In production: a secret key that is
    missing, short, or the development one (which would let a session made on any developer's
    machine sign in here); no public address (links are built from it, and only its host is
    served)."""
    key = app.config.get("SECRET_KEY") or ""
    if not key:
        raise SettingsError(
            "AIA_SECRET_KEY is not set. On your own machine, run `export AIA_ENV=development` "
            "first; in production, set AIA_SECRET_KEY to a long random value."
        )
    preview_s, worker_s = app.config.get("REPORT_PREVIEW_TIMEOUT", 30), app.config.get("WORKER_TIMEOUT", 90)
    slot_s = app.config.get("REPORT_SLOT_WAIT", 5)
    if app.config.get("REPORT_ISOLATED", True) and float(preview_s) + float(slot_s) >= float(worker_s):
        raise SettingsError(
            f"AIA_REPORT_PREVIEW_TIMEOUT ({preview_s:g} s) and AIA_REPORT_SLOT_WAIT ({slot_s:g} s) "
            f"together must be below AIA_WORKER_TIMEOUT ({worker_s:g} s, the web worker's "
            "timeout): a preview's wait and render are stopped before the worker that waits for "
            "them would be."
        )
    if app.config.get("ENV_NAME", "production") != "production":
        return
    if str(app.config.get("JOBS_URL", "")).startswith("memory:") and not app.config.get("JOBS_CONSUMER"):
        raise SettingsError(
            "AIA_JOBS_URL is memory://, which only the process that enqueues a job can run: use "
            "sqlite:///path or redis://... and run `aia worker`, or set AIA_JOBS_CONSUMER=1 with "
            "a single process."
        )
    if key == DEVELOPMENT_SECRET_KEY:
        raise SettingsError("AIA_SECRET_KEY is the development key: production needs a secret of its own")
    minimum = app.config.get("SECRET_KEY_MIN_LENGTH", 32)
    if len(key) < minimum:
        raise SettingsError(
            f"AIA_SECRET_KEY is {len(key)} characters long: production needs at least {minimum} "
            '(e.g. python3 -c "import secrets; print(secrets.token_urlsafe(48))")'
        )
    public_url = app.config.get("PUBLIC_URL") or ""
    host = urlsplit(public_url).hostname
    if not host:
        raise SettingsError(
            "AIA_PUBLIC_URL is not set: set it to the address people reach the app at, "
            "e.g. https://algorithms.example.gov"
        )
    if not app.config.get("TRUSTED_HOSTS"):
        app.config["TRUSTED_HOSTS"] = [host]


def _configure_logging(app: Flask) -> None:
    """The app's own loggers (``aia.*``) reach the operator: on standard error unless the
    process has configured logging itself (gunicorn's --log-config, a test runner). In
    production (AIA_LOG_FORMAT=json) each line is a JSON object with the request's id."""
    logger = logging.getLogger(__name__)
    logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    if not logging.getLogger().handlers and not any(h.name == "aia" for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        if app.config.get("LOG_FORMAT", "json") == "json":
            handler.setFormatter(observe.JSONLines())
        else:
            handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s")
            )
        handler.addFilter(observe.RequestIdFilter())
        handler.name = "aia"
        logger.addHandler(handler)


def _register_request_boundary(app: Flask) -> None:
    """One place owns a request's transaction: services flush, the end of the request commits
    (or, for a server error or an exception, rolls back; Flask-SQLAlchemy removes the session
    when the request ends)."""

    @app.after_request
    def commit(response: Response) -> Response:
        if response.status_code >= 500:
            db.session.rollback()
            return response
        try:
            db.session.commit()
        except SQLAlchemyError:
            log.exception("commit failed at the end of %s %s", request.method, request.path)
            return app.make_response(not_saved_page())
        return response


def not_saved_page() -> tuple[str, int, dict[str, str]]:
    """The 503 page for a request whose transaction could not be completed. It reads nothing
    from the database, which may be gone: the person's record is not read again (the page is
    shown as to a visitor) and the session's objects are let go."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass
    db.session.remove()
    g._login_user = sessions.login_manager.anonymous_user()  # Flask-Login's per-request user
    title, message = ERROR_MESSAGES[503] if request.method not in ("GET", "HEAD") else UNAVAILABLE
    page = render_template("errors/error.html", code=503, title=title, message=message)
    return page, 503, {"Retry-After": "5"}


# A page that only reads, when the database cannot be reached: nothing was being saved.
UNAVAILABLE = (
    _l("Not available just now"),
    _l("The database could not be reached to show this page. Try again in a moment."),
)


ERROR_MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (
        _l("Not allowed for your role"),
        _l("Your account can see this, but its role does not allow this action."),
    ),
    404: (
        _l("Page not found"),
        _l("There is nothing at this address. It may have moved, or the link may be wrong."),
    ),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    409: (_l("Conflict"), _l("Someone else changed this at the same time.")),
    413: (_l("Too large"), _l("What you sent is larger than this service accepts.")),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts in a short time. Wait a few minutes, then try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("The error was logged. Nothing you entered before the last successful save was lost."),
    ),
    503: (
        _l("Not saved"),
        _l(
            "The database could not save this just now, so nothing of this "
            "request was kept. Go back and try again in a moment."
        ),
    ),
}


# Refusals worth a security event: the role may not (403), too many attempts (429), a host
# not served (400 from TRUSTED_HOSTS is logged by its own handler).
SECURITY_STATUSES = {403: "denied", 429: "rate_limited"}


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        # No page of ours can be built for a host we do not serve (links need the host).
        security_event("untrusted_host", "refused", host=request.headers.get("Host", ""))
        return Response("This service is not served at this address.\n", 400, mimetype="text/plain")

    @app.errorhandler(CSRFError)
    def form_expired(error: CSRFError):
        security_event("csrf", "refused", reason=error.description)
        return render_template(
            "errors/error.html",
            code=400,
            title=_l("The form expired"),
            message=_l(
                "The page was open too long or your session ended. Go back, reload the page and try again."
            ),
        ), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in SECURITY_STATUSES:
            security_event(SECURITY_STATUSES[error.code], "refused", status=error.code)
        title, message = ERROR_MESSAGES.get(error.code or 500, (error.name, error.description))
        if isinstance(error, web_input.JSONRefused):
            message = error.description  # what was wrong with the body, in the person's language
        return render_template("errors/error.html", code=error.code, title=title, message=message), error.code

    @app.errorhandler(DBAPIError)
    def database_unreachable(error: DBAPIError):
        """The database went away (restarted, failed over, the network cut): a 503 that says
        nothing was kept, never a 500. Other database errors are the app's own: a 500."""
        if not (error.connection_invalidated or isinstance(error, OperationalError | InterfaceError)):
            return server_error(error)
        log.warning("database unreachable during %s %s: %s", request.method, request.path, error.orig)
        return not_saved_page()

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        db.session.rollback()
        log.exception("unhandled error")
        title, message = ERROR_MESSAGES[500]
        return render_template("errors/error.html", code=500, title=title, message=message), 500
