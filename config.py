"""Settings. Every value can be set from an ``AIA_*`` environment variable."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _env(name: str, default: str) -> str:
    return os.environ.get(f"AIA_{name}", default)


class Config:
    """Defaults for running on one machine with SQLite."""

    SECRET_KEY = _env("SECRET_KEY", "")
    DATABASE_URL = _env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'aia.sqlite3'}")
    QUESTIONNAIRE_DIR = _env("QUESTIONNAIRE_DIR", str(BASE_DIR / "aia" / "questionnaires"))
    REPORT_DIR = _env("REPORT_DIR", str(BASE_DIR / "reports"))
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = int(_env("CSRF_TIME_LIMIT", str(8 * 3600)))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env("COOKIE_SECURE", "1") == "1"
    MAX_CONTENT_LENGTH = int(_env("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024)))
    # Upper bound on a PDF render, in seconds of wall time.
    REPORT_TIMEOUT = float(_env("REPORT_TIMEOUT", "60"))


class DevelopmentConfig(Config):
    SECRET_KEY = _env("SECRET_KEY", "development-only-secret")
    SESSION_COOKIE_SECURE = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SESSION_COOKIE_SECURE = False
    DATABASE_URL = _env("DATABASE_URL", "sqlite://")


CONFIGS = {"development": DevelopmentConfig, "production": Config, "test": TestConfig}


def config_from_env() -> type[Config]:
    return CONFIGS[_env("ENV", "production")]
