"""What every response carries and where a request comes from: the security headers
(Flask-Talisman), ``Cache-Control: no-store`` on the signed-in pages, the client's address
behind trusted proxies (Werkzeug's ProxyFix), and rate-limit storage fit for the processes
that share it."""

from __future__ import annotations

import logging

from flask import Flask, request
from flask.wrappers import Response
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import talisman

log = logging.getLogger(__name__)

# There is no inline script or style anywhere: everything comes from the app's own files.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}
# Storage whose counters live in one process only.
PER_PROCESS_STORAGE = ("memory://",)


class UnsafeDeployment(RuntimeError):
    """A production setting that would let the app run without the protection it promises."""


def init_app(app: Flask) -> None:
    check_rate_limit_storage(app)
    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies:
        # Only the last `proxies` hops are believed: a client cannot pose as another by
        # sending the headers itself.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's documented way to wrap
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    talisman.init_app(
        app,
        # nginx (docs/deployment.md) redirects plain HTTP; the app answers what reaches it.
        force_https=False,
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        # Sent only over HTTPS (as seen through the trusted proxies).
        strict_transport_security=True,
        strict_transport_security_max_age=int(app.config.get("HSTS_SECONDS", 365 * 24 * 3600)),
        strict_transport_security_include_subdomains=False,
        # An unpublished assessment's address never leaves the site.
        referrer_policy="same-origin",
        # The session cookie's settings stay those of config.py.
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
        session_cookie_http_only=True,
    )
    app.after_request(no_store_for_signed_in)


def no_store_for_signed_in(response: Response) -> Response:
    """A signed-in page is never kept by the browser or a cache on the way: after signing out,
    Back shows nothing, and a shared computer keeps no unpublished assessment."""
    if request.endpoint != "static" and current_user.is_authenticated:  # type: ignore[attr-defined]  # Flask-Login's proxy is untyped
        response.headers["Cache-Control"] = "no-store"
    return response


def check_rate_limit_storage(app: Flask) -> None:
    """In production the limits must hold across every worker: per-process counters are
    refused unless the operator says the app runs in one process (AIA_SINGLE_PROCESS=1)."""
    if not app.config.get("PRODUCTION"):
        return
    storage = app.config.get("RATELIMIT_STORAGE_URI", "memory://")
    if storage.startswith(PER_PROCESS_STORAGE) and not app.config.get("SINGLE_PROCESS"):
        raise UnsafeDeployment(
            f"AIA_RATELIMIT_STORAGE_URI is {storage!r}: its counters live in each worker, so with "
            "several workers every limit is multiplied. Set it to redis://host:6379/N, or set "
            "AIA_SINGLE_PROCESS=1 if the app really runs in one process."
        )
