"""gunicorn's settings for aia in production: ``gunicorn -c deploy/gunicorn.conf.py``.

docs/deployment.md says which AIA_* settings the app itself needs. This file sets the web
server's side; each value can be changed from the environment named beside it."""

import os

wsgi_app = "aia:create_app()"
# Behind nginx on the same machine (deploy/nginx.conf): listen on loopback only.
bind = os.environ.get("AIA_BIND", "127.0.0.1:8000")
# Several workers: every limit counter lives in Redis (AIA_RATELIMIT_STORAGE_URI), never in a
# worker, so the app refuses to start with per-process counters.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A worker that answers nothing for this long is replaced. PDF renders run in a child process
# bounded by AIA_REPORT_TIMEOUT, kept below this.
timeout = int(os.environ.get("AIA_WORKER_TIMEOUT", "90"))
graceful_timeout = 30
keepalive = 5
# The request line and headers a client may send (gunicorn's defaults, written down).
limit_request_line = 4094
limit_request_fields = 100
# Access and error lines on standard output and error, for the service manager's journal.
accesslog = "-"
errorlog = "-"
# The client's address and scheme come from nginx's X-Forwarded-* headers, read by the app
# (AIA_TRUSTED_PROXIES=1, Werkzeug's ProxyFix); gunicorn itself believes them only from here.
forwarded_allow_ips = os.environ.get("AIA_FORWARDED_ALLOW_IPS", "127.0.0.1")
