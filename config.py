"""Settings. Every value can be set from an ``AIA_*`` environment variable."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
# What the app reads at run time ships inside the package, beside this module in a checkout
# and in an installed package alike.
PACKAGE_DIR = BASE_DIR / "aia"
# A source checkout keeps its database and reports beside the code. An installed package has
# no such place: it keeps them in its environment, <prefix>/var/aia-instance (where Flask puts
# an installed application's instance folder).
IN_CHECKOUT = (BASE_DIR / "pyproject.toml").is_file()
INSTANCE_DIR = BASE_DIR / "instance" if IN_CHECKOUT else Path(sys.prefix) / "var" / "aia-instance"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"AIA_{name}", default)


def _names(listed: str) -> frozenset[str]:
    """A comma-separated setting as a set of its names."""
    return frozenset(name.strip() for name in listed.split(",") if name.strip())


class Config:
    """Defaults for running on one machine with SQLite; as they stand, production."""

    ENV_NAME = "production"

    SECRET_KEY = _env("SECRET_KEY", "")
    DATABASE_URL = _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'aia.sqlite3'}")
    QUESTIONNAIRE_DIR = _env("QUESTIONNAIRE_DIR", str(PACKAGE_DIR / "questionnaires"))
    REPORT_DIR = _env("REPORT_DIR", str(BASE_DIR / "reports" if IN_CHECKOUT else INSTANCE_DIR / "reports"))
    # The scoring method (aia/docs/scoring.md) is served at /register/method.
    DOCS_DIR = _env("DOCS_DIR", str(PACKAGE_DIR / "docs"))
    # Where the public register is reached, e.g. https://algorithms.example.gov: reports name
    # the method page there. Empty: reports name the document instead of an address.
    PUBLIC_URL = _env("PUBLIC_URL", "").rstrip("/")
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = int(_env("CSRF_TIME_LIMIT", str(8 * 3600)))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env("COOKIE_SECURE", "1") == "1"
    MAX_CONTENT_LENGTH = int(_env("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024)))
    # Upper bounds on a PDF render: seconds of wall time, and megabytes of address space of the
    # child process that renders it (AIA_REPORT_ISOLATED=0 renders in the web process, unbounded).
    REPORT_TIMEOUT = float(_env("REPORT_TIMEOUT", "60"))
    REPORT_MEMORY_MB = int(_env("REPORT_MEMORY_MB", "1024"))
    REPORT_ISOLATED = _env("REPORT_ISOLATED", "1") == "1"
    # A preview is rendered while a web request waits: its time limit stays well below the
    # web worker's (AIA_WORKER_TIMEOUT, gunicorn's timeout; the app refuses to start otherwise).
    REPORT_PREVIEW_TIMEOUT = float(_env("REPORT_PREVIEW_TIMEOUT", "30"))
    WORKER_TIMEOUT = float(_env("WORKER_TIMEOUT", "90"))
    # Reports rendered at once on this host (previews and publications alike), the folder of
    # their slots (a local folder, one per host), and how long a preview waits for a slot.
    REPORT_CONCURRENCY = int(_env("REPORT_CONCURRENCY", str(max(1, (os.cpu_count() or 2) - 1))))
    REPORT_SLOTS_DIR = _env("REPORT_SLOTS_DIR", str(INSTANCE_DIR / "render-slots"))
    REPORT_SLOT_WAIT = float(_env("REPORT_SLOT_WAIT", "5"))
    # Previews each person may have rendered (Flask-Limiter syntax); a preview made before
    # comes from the cache, at most REPORT_CACHE_FILES of them, and does not count.
    REPORT_PREVIEW_LIMIT = _env("REPORT_PREVIEW_LIMIT", "10 per minute; 100 per hour")
    REPORT_CACHE_DIR = _env("REPORT_CACHE_DIR", str(INSTANCE_DIR / "preview-cache"))
    REPORT_CACHE_FILES = int(_env("REPORT_CACHE_FILES", "200"))
    # The job queue (aia/jobs): sqlite:///path (one machine; the web workers and `aia worker`
    # share the file), redis://host:6379/0 (several hosts), memory:// (one process, with
    # AIA_JOBS_CONSUMER=1). AIA_JOBS_IMMEDIATE=1 runs each job where it is enqueued.
    JOBS_URL = _env("JOBS_URL", f"sqlite:///{INSTANCE_DIR / 'jobs.sqlite3'}")
    JOBS_NAME = _env("JOBS_NAME", "aia")
    JOBS_IMMEDIATE = _env("JOBS_IMMEDIATE", "0") == "1"
    # Run the jobs in the app's own process, in a thread it starts (development; production
    # runs `aia worker`).
    JOBS_CONSUMER = _env("JOBS_CONSUMER", "0") == "1"
    # Threads of `aia worker`, hence renders at once per worker process.
    JOBS_WORKERS = int(_env("JOBS_WORKERS", "1"))
    # Attempts at a publication's render, and the seconds between two.
    PUBLISH_ATTEMPTS = int(_env("PUBLISH_ATTEMPTS", "3"))
    PUBLISH_RETRY_SECONDS = float(_env("PUBLISH_RETRY_SECONDS", "10"))
    # A signed-in session ends after this many minutes without a request (a fraction is
    # allowed). The browser keeps the cookie longer (KEPT_FORM_HOURS more), so that a step
    # posted after the idle limit reaches the server as an ended session, and is kept.
    SESSION_IDLE_MINUTES = float(_env("SESSION_IDLE_MINUTES", "30"))
    # How long before the idle limit the pages warn, with a way to stay signed in (at most
    # half the idle limit).
    SESSION_WARNING_MINUTES = float(_env("SESSION_WARNING_MINUTES", "2"))
    # How long after its session ended a step form is kept for its author to sign in again.
    KEPT_FORM_HOURS = float(_env("KEPT_FORM_HOURS", "8"))
    # Forms kept per person (a new one replaces the last), Flask-Limiter syntax.
    KEPT_FORM_LIMIT = _env("KEPT_FORM_LIMIT", "10 per hour")
    # The session cookie's name. Production uses the __Host- prefix: the browser then sends it
    # only over HTTPS, to this host, for every path, and no subdomain can set it.
    SESSION_COOKIE_NAME = _env(
        "SESSION_COOKIE_NAME", "__Host-aia-session" if SESSION_COOKIE_SECURE else "aia-session"
    )
    # Host names the app answers to (comma-separated); others get 400. Empty: the host of
    # PUBLIC_URL. Links the app builds always use PUBLIC_URL, never the request's Host.
    TRUSTED_HOSTS = sorted(_names(_env("TRUSTED_HOSTS", ""))) or None
    # Roles that must use a second factor (TOTP) to sign in; others may.
    MFA_REQUIRED_ROLES = _names(_env("MFA_REQUIRED_ROLES", "approver,auditor,admin"))
    # Wrong second-factor codes, and password changes, allowed per person (Flask-Limiter syntax).
    MFA_LIMIT = _env("MFA_LIMIT", "5 per minute; 20 per hour")
    PASSWORD_CHANGE_LIMIT = _env("PASSWORD_CHANGE_LIMIT", "5 per 10 minutes; 20 per day")
    # A production secret key must be at least this long (characters).
    SECRET_KEY_MIN_LENGTH = 32
    PASSWORD_MIN_LENGTH = int(_env("PASSWORD_MIN_LENGTH", "12"))
    # One of argon2-cffi's profiles: RFC_9106_LOW_MEMORY (Argon2id, 64 MiB) or RFC_9106_HIGH_MEMORY.
    PASSWORD_HASH_PROFILE = _env("PASSWORD_HASH_PROFILE", "RFC_9106_LOW_MEMORY")
    # Failed sign-ins allowed, per account and per address (Flask-Limiter syntax).
    LOGIN_LIMIT_PER_ACCOUNT = _env("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute; 20 per hour")
    LOGIN_LIMIT_PER_ADDRESS = _env("LOGIN_LIMIT_PER_ADDRESS", "20 per minute; 100 per hour")
    # memory:// suits one process; use redis://host:6379 with several workers or hosts.
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    # Messages from the public register, per address.
    FEEDBACK_LIMIT = _env("FEEDBACK_LIMIT", "5 per minute; 30 per day")
    RATELIMIT_HEADERS_ENABLED = True
    # Prepended to every limit's key: several apps (or test runs) can share one Redis database.
    RATELIMIT_KEY_PREFIX = _env("RATELIMIT_KEY_PREFIX", "aia")
    # A limit whose storage cannot be reached does not take the page down: the feedback form
    # goes on without its limit. Sign-in does not: it fails closed (aia/accounts/throttle.py).
    RATELIMIT_SWALLOW_ERRORS = True
    # Production refuses per-process limit storage (memory://) unless this says there is one
    # process only.
    SINGLE_PROCESS = _env("SINGLE_PROCESS", "0") == "1"
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host (nginx: 1).
    # 0 believes none of those headers: the client is the connection's address.
    TRUSTED_PROXIES = int(_env("TRUSTED_PROXIES", "0"))
    # Strict-Transport-Security max-age, sent on responses served over HTTPS.
    HSTS_SECONDS = int(_env("HSTS_SECONDS", str(365 * 24 * 3600)))
    # Outgoing mail, through this SMTP server (STARTTLS unless AIA_MAIL_USE_TLS=0, signing in
    # when a user name is set). Without a server, each message is written as a file in MAIL_DIR
    # instead (development: read them there), and nothing is sent.
    MAIL_SERVER = _env("MAIL_SERVER", "")
    MAIL_PORT = int(_env("MAIL_PORT", "587"))
    MAIL_USE_TLS = _env("MAIL_USE_TLS", "1") == "1"
    MAIL_USERNAME = _env("MAIL_USERNAME", "")
    MAIL_PASSWORD = _env("MAIL_PASSWORD", "")
    MAIL_SENDER = _env("MAIL_SENDER", "aia@localhost")
    MAIL_DIR = _env("MAIL_DIR", str(INSTANCE_DIR / "mail"))
    # Seconds to wait for the mail server; attempts at a message, and the wait after the first
    # failed one (it doubles after each, up to an hour).
    MAIL_TIMEOUT = float(_env("MAIL_TIMEOUT", "10"))
    MAIL_ATTEMPTS = int(_env("MAIL_ATTEMPTS", "12"))
    MAIL_RETRY_SECONDS = float(_env("MAIL_RETRY_SECONDS", "60"))
    # Hours a password reset link works, and days an invitation does.
    PASSWORD_RESET_HOURS = float(_env("PASSWORD_RESET_HOURS", "2"))
    INVITATION_DAYS = float(_env("INVITATION_DAYS", "7"))
    # Password reset requests, per address and per account asked for (Flask-Limiter syntax).
    PASSWORD_RESET_LIMIT = _env("PASSWORD_RESET_LIMIT", "5 per 10 minutes; 20 per day")
    # The settings as an agency runs the app; the development and test settings relax them.
    PRODUCTION = True
    # The level of the app's own log lines (DEBUG, INFO, WARNING...), on standard error.
    LOG_LEVEL = _env("LOG_LEVEL", "INFO")
    # json: one JSON object a line, with the request's id (production); text: for a person.
    LOG_FORMAT = _env("LOG_FORMAT", "json")
    # /metrics answers only a scrape that sends this token (Authorization: Bearer ...); unset,
    # it answers 404 to everyone.
    METRICS_TOKEN = _env("METRICS_TOKEN", "")
    # /readyz says "not ready" when a publication has waited this long for a worker.
    READY_QUEUE_MINUTES = float(_env("READY_QUEUE_MINUTES", "15"))


DEVELOPMENT_SECRET_KEY = "development-only-secret"  # nosec B105: refused in production


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    LOG_FORMAT = _env("LOG_FORMAT", "text")
    PRODUCTION = False
    SECRET_KEY = _env("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = _env("SESSION_COOKIE_NAME", "aia-session")
    # Outside production the demo accounts sign in with a password alone; set
    # AIA_MFA_REQUIRED_ROLES to try the second factor.
    MFA_REQUIRED_ROLES = _names(_env("MFA_REQUIRED_ROLES", ""))
    # `aia run` works the queue itself: nothing else to start on your own machine.
    JOBS_URL = _env("JOBS_URL", "memory://")
    JOBS_CONSUMER = _env("JOBS_CONSUMER", "1") == "1"


class TestConfig(Config):
    ENV_NAME = "test"
    LOG_FORMAT = _env("LOG_FORMAT", "text")
    TESTING = True
    PRODUCTION = False
    SECRET_KEY = "test-secret"  # nosec B105
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "aia-session"
    TRUSTED_HOSTS = None
    # The tests that are about the second factor require it themselves.
    MFA_REQUIRED_ROLES: frozenset[str] = frozenset()
    DATABASE_URL = _env("DATABASE_URL", "sqlite://")
    PASSWORD_HASH_PROFILE = "CHEAPEST"  # nosec B105
    # Jobs run where they are enqueued, through huey; the tests of the queue itself start a
    # consumer on a queue of their own.
    JOBS_URL = "memory://"
    JOBS_IMMEDIATE = True
    JOBS_CONSUMER = False
    PUBLISH_RETRY_SECONDS = 0.0
    # Mail is written to this run's own folder unless a test starts an SMTP server.
    MAIL_DIR = str(Path(tempfile.gettempdir()) / f"aia-tests-{os.getpid()}" / "mail")
    MAIL_SERVER = ""
    MAIL_USE_TLS = False
    # No cap on renders shared with other runs on this machine (the tests of the cap set a
    # folder of their own), and previews cached in this run's own folder.
    REPORT_SLOTS_DIR = ""
    REPORT_CACHE_DIR = str(Path(tempfile.gettempdir()) / f"aia-tests-{os.getpid()}" / "preview-cache")


CONFIGS = {"development": DevelopmentConfig, "production": Config, "test": TestConfig}


def config_from_env() -> type[Config]:
    return CONFIGS[_env("ENV", "production")]
