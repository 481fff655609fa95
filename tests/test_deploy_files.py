"""The files of deploy/ are the ones an operator installs (docs/deployment.md): the systemd
units are valid for systemd and run what the guide says, and gunicorn loads its settings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UNITS = ROOT / "deploy" / "systemd"
BIN = Path(sys.executable).parent
NGINX_SITE = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")


def unit(name: str) -> str:
    return (UNITS / name).read_text(encoding="utf-8")


def test_the_units_run_the_two_gunicorn_pools_the_worker_and_a_nightly_backup():
    assert "ExecStart=/srv/aia/venv/bin/gunicorn -c /srv/aia/app/deploy/gunicorn.conf.py" in unit(
        "aia-web.service"
    )
    # The public register's own pool, on the port nginx passes /register to, above the staff's
    # pool in CPU priority.
    public = unit("aia-public.service")
    assert "--bind 127.0.0.1:8001" in public and "server 127.0.0.1:8001;" in NGINX_SITE
    assert "location /register {\n        proxy_pass http://aia_public;" in NGINX_SITE
    assert "\nNice=10\n" in unit("aia-web.service") and "\nNice=" not in public
    assert "ExecStart=/srv/aia/venv/bin/aia worker" in unit("aia-worker.service")
    assert "KillSignal=SIGINT" in unit("aia-worker.service")  # the jobs running finish
    assert "/srv/aia/venv/bin/aia backup " in unit("aia-backup.service")
    assert "OnCalendar=*-*-* 02:30:00" in unit("aia-backup.timer")
    for name in ("aia-web.service", "aia-public.service", "aia-worker.service", "aia-backup.service"):
        assert "EnvironmentFile=/etc/aia/aia.env" in unit(name)


def test_systemd_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    for path in UNITS.iterdir():
        # As installed, with this checkout's virtual environment in place of /srv/aia's.
        text = path.read_text(encoding="utf-8").replace("/srv/aia/venv/bin", str(BIN))
        (tmp_path / path.name).write_text(text.replace("/srv/aia/app", str(ROOT)), encoding="utf-8")
    done = subprocess.run(
        [analyze, "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_gunicorn_loads_its_settings_and_the_app(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AIA_")},
        "AIA_ENV": "development",
        "AIA_DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
        "AIA_REPORT_DIR": str(tmp_path / "reports"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--check-config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
