"""`scripts/dev` as a developer runs it: on another port, the links in the mail it sends name
that port."""

from __future__ import annotations

import email
import email.policy
import http.cookiejar
import os
import shutil
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

from .smtp import free_port
from .webform import submit_data

ROOT = Path(__file__).resolve().parent.parent


def _wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"no {what} after {seconds:g} s")


def _answers(opener: urllib.request.OpenerDirector, url: str) -> bool:
    try:
        opener.open(url, timeout=2).close()
    except OSError:
        return False
    return True


def test_on_another_port_the_links_in_mail_name_that_port(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIA_")}
    env.update(
        PORT=str(port),
        AIA_DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        AIA_REPORT_DIR=str(tmp_path / "reports"),
        AIA_REPORT_CACHE_DIR=str(tmp_path / "preview-cache"),
        AIA_REPORT_SLOTS_DIR=str(tmp_path / "slots"),
        AIA_MAIL_DIR=str(tmp_path / "mail"),
    )
    server = subprocess.Popen(
        [shutil.which("bash") or "/bin/bash", "scripts/dev"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        base = f"http://127.0.0.1:{port}"
        _wait_for(lambda: _answers(opener, f"{base}/login"), 240, "answer from scripts/dev")
        page = opener.open(f"{base}/login/forgot", timeout=10).read().decode()
        fields = submit_data(page, {"email": "admin@aia.example"})
        opener.open(
            f"{base}/login/forgot", data=urllib.parse.urlencode(fields, doseq=True).encode(), timeout=10
        ).close()
        # The demo data sends mail of its own: the reset is the one asked for here.
        [written] = _wait_for(
            lambda: list((tmp_path / "mail").glob("*-password_reset.eml")), 30, "mail written"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()
    assert f"{base}/login/reset/" in text
    assert "localhost:5000" not in text
