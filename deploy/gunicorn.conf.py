"""gunicorn's settings for aia in production: ``gunicorn -c deploy/gunicorn.conf.py``.

docs/deployment.md says which AIA_* settings the app itself needs. This file sets the web
server's side; each value can be changed from the environment named beside it."""

import os
import shutil
import tempfile

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
# An access line ends with the time taken (ms) and the request's id, which the app's own lines
# (JSON, AIA_LOG_FORMAT) carry too: one id finds every line of a request.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms %({x-request-id}o)s'
# The client's address and scheme come from nginx's X-Forwarded-* headers, read by the app
# (AIA_TRUSTED_PROXIES=1, Werkzeug's ProxyFix); gunicorn itself believes them only from here.
forwarded_allow_ips = os.environ.get("AIA_FORWARDED_ALLOW_IPS", "127.0.0.1")

# The counters of /metrics (aia/metrics.py): each process writes its own in one folder, and a
# scrape adds them up, whichever worker answers it. AIA_METRICS_DIR names the folder (under
# systemd, /run/aia/metrics: RuntimeDirectory= makes it anew at each start; give `aia worker`
# the same, and the publications' render times are counted too); without it, a folder of this
# gunicorn's own in the temporary directory, removed when it stops. Set here, in the master,
# before any worker imports the app.


def on_starting(server):
    folder = os.environ.get("AIA_METRICS_DIR") or os.path.join(
        tempfile.gettempdir(), f"aia-metrics-{os.getpid()}"
    )
    if not os.environ.get("AIA_METRICS_DIR"):
        shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if not os.environ.get("AIA_METRICS_DIR"):
        shutil.rmtree(os.environ.get("PROMETHEUS_MULTIPROC_DIR", ""), ignore_errors=True)
