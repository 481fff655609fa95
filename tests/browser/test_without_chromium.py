"""Without Chromium, the browser tests are skipped on a workstation but fail in CI."""

from __future__ import annotations

import pytest

from . import live
from .conftest import require_chromium


@pytest.fixture
def no_chromium(monkeypatch):
    monkeypatch.setattr(live, "find_chromium", lambda: None)


def test_skipped_on_a_workstation(no_chromium, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        require_chromium()


@pytest.mark.parametrize("value", ["true", "1"])
def test_a_failure_in_ci(no_chromium, monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="in CI this is a failure"):
        require_chromium()


def test_aia_chromium_names_the_browser(monkeypatch, tmp_path):
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    monkeypatch.setenv("AIA_CHROMIUM", str(browser))
    assert live.find_chromium() == str(browser)
