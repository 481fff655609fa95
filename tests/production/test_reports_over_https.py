"""Reports on the production stack (see conftest.py): a publication is rendered by `aia
worker`, never by a web worker, and previews being rendered do not hold up the register."""

from __future__ import annotations

import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pyotp
import pytest

from ..webform import submit_data
from .conftest import TO_PREVIEW, TO_PUBLISH
from .site import Visitor

pytestmark = pytest.mark.production

WAIT_S = 180  # a bound on a render on a busy machine: the tests wait for a state, not a time


def signed_in(site, role: str, address: str) -> Visitor:
    visitor = site.visitor(address)
    email, password = site.accounts[role]
    page = visitor.get("/login").body
    assert (
        visitor.post("/login", form=submit_data(page, {"email": email, "password": password})).status == 302
    )
    return visitor


def enrolled_approver(site, address: str) -> Visitor:
    """The approver, whose role must use a second factor in production: set up on its page."""
    visitor = signed_in(site, "approver", address)
    page = visitor.get("/account/second-factor").body
    secret = re.search(r'id="mfa-secret">([A-Z2-7]+)<', page)
    assert secret, page[:1500]
    code = pyotp.TOTP(secret.group(1)).now()
    done = visitor.post("/account/second-factor", form=submit_data(page, {"code": code}))
    assert done.status == 200, done.body[:1500]
    return visitor


def system_path(visitor: Visitor, name: str) -> str:
    found = re.search(r'href="(/systems/[^"]+)" dir="auto">' + re.escape(name) + "<", visitor.get("/").body)
    assert found, f"{name} is not in the list of assessments"
    return found.group(1)


def test_a_publication_is_rendered_by_the_worker(site):
    approver = enrolled_approver(site, "127.0.0.30")
    revision = system_path(approver, TO_PUBLISH) + "/revisions/1"
    page = approver.get(revision).body
    answer = approver.post(revision + "/publish", form={"csrf_token": submit_data(page)["csrf_token"]})
    assert answer.status == 303 and answer.header("Location").endswith(revision + "/publication")
    deadline = time.monotonic() + WAIT_S
    while (status := json.loads(approver.get(revision + "/publication.json").body))["waiting"]:
        assert time.monotonic() < deadline, f"still {status['state']} after {WAIT_S} s"
        time.sleep(0.2)
    assert status["state"] == "done", status
    done = approver.get(revision + "/publication")
    assert done.status == 303  # on to the revision, published
    assert TO_PUBLISH in site.visitor("127.0.0.31").get("/register/").body


def test_two_previews_being_rendered_do_not_hold_up_the_register(site):
    """Two previews of a large report at once (one renders, the other waits for the host's
    only render slot); meanwhile the register answers, before either preview is done."""
    author = signed_in(site, "author", "127.0.0.32")
    preview = system_path(author, TO_PREVIEW) + "/revisions/1/report.pdf"
    finished: list[str] = []
    lock = threading.Lock()
    started = threading.Barrier(3)

    def fetch(visitor: Visitor, path: str, label: str) -> int:
        started.wait()
        status = visitor.get(path).status
        with lock:
            finished.append(label)
        return status

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(fetch, author, preview, "preview")
        second = pool.submit(fetch, author, preview, "preview")  # the same person, another tab
        started.wait()
        time.sleep(0.5)  # both previews reach gunicorn first (the order is checked below)
        public = site.visitor("127.0.0.34")
        answers = [public.get("/register/").status for _ in range(3)]
        with lock:
            finished.append("register")
        assert first.result() == 200 and second.result() == 200
    assert answers == [200, 200, 200]
    assert finished[-1] == "preview", finished
