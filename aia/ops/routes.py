"""/healthz, /readyz and /metrics."""

from __future__ import annotations

import hmac
import os

from flask import abort, current_app, jsonify, request
from flask.wrappers import Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from . import bp
from .checks import QueueCollector, readiness


def _plain(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/healthz")
def healthz():
    """The process answers (for the service manager: restart it if not)."""
    return _plain(jsonify(status="ok"))


@bp.route("/readyz")
def readyz():
    """This process can serve: 200, or 503 naming the checks that failed (for the load
    balancer: send no one here until it is ready)."""
    results = readiness()
    ready = all(results.values())
    body = jsonify(
        status="ready" if ready else "not ready",
        checks={name: "ok" if ok else "failing" for name, ok in results.items()},
    )
    return _plain(body), 200 if ready else 503


@bp.route("/metrics")
def metrics():
    """The counters, for a scrape that sends AIA_METRICS_TOKEN; 404 to everyone else."""
    token = str(current_app.config.get("METRICS_TOKEN") or "")
    sent = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        abort(404)
    queues = CollectorRegistry(auto_describe=True)
    queues.register(QueueCollector())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        every_worker = CollectorRegistry()
        MultiProcessCollector(every_worker)
        counted = generate_latest(every_worker)
    else:
        counted = generate_latest(REGISTRY)
    return _plain(Response(counted + generate_latest(queues), mimetype=CONTENT_TYPE_LATEST))
