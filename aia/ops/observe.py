"""Each request's id (the trusted proxy's X-Request-ID, or one made here), returned in a
header and written on every log line of the request; log lines as JSON objects in production;
and the request counters of aia/metrics.py."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from flask import Flask, g, has_request_context, request
from flask.wrappers import Response

from ..metrics import REQUEST_SECONDS, REQUESTS

HEADER = "X-Request-ID"
# What a proxy may hand over as an id: nginx's $request_id (32 hex digits), a UUID, and the
# like; anything else is replaced, so that a log line never carries what a client made up.
ACCEPTED_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$")


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Puts the id of the request being answered (if any) on each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


class JSONLines(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request id, process, and the
    traceback of an exception, if any."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "process": record.process,
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def init_app(app: Flask) -> None:
    trust_header = int(app.config.get("TRUSTED_PROXIES", 0)) > 0

    @app.before_request
    def take_request_id() -> None:
        given = request.headers.get(HEADER, "")
        g.request_id = given if trust_header and ACCEPTED_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def count(response: Response) -> Response:
        endpoint = request.endpoint or "unrouted"
        REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        started = g.get("request_started")
        if started is not None:
            REQUEST_SECONDS.labels(endpoint).observe(time.perf_counter() - started)
        if "request_id" in g:
            response.headers[HEADER] = g.request_id
        return response
