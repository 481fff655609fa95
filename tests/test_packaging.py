"""The wheel holds everything the app reads at run time, so that a plain (not editable)
install works: the migrations, the questionnaires, the templates, the static files and the
documents the app serves."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Folders of the package whose every file the running app may read.
SHIPPED = [
    "aia/migrations",
    "aia/questionnaires",
    "aia/templates",
    "aia/static",
    "aia/docs",
    "aia/register/schema",
]
# What a checkout holds at its top that the build does not need, and leftovers anywhere.
NOT_BUILT_TOP = {
    ".git",
    ".venv",
    "build",
    "dist",
    "instance",
    "reports",
    "docs",
    "tests",
    "bench",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
}
LEFTOVERS = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")


def _not_built(folder: str, names: list[str]) -> set[str]:
    top = NOT_BUILT_TOP if Path(folder) == ROOT else set()
    return top.intersection(names) | LEFTOVERS(folder, names)


def _files(folder: Path) -> set[str]:
    return {
        p.relative_to(ROOT).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


@pytest.mark.slow
def test_the_wheel_holds_what_the_app_reads(tmp_path):
    source = tmp_path / "source"  # a copy, so that the build writes nothing into the checkout
    shutil.copytree(ROOT, source, ignore=_not_built)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",  # noqa: S603
            "--wheel-dir",
            str(tmp_path / "dist"),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("aia-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "config.py" in names
    assert "aia/cli.py" in names
    for folder in SHIPPED:
        expected = _files(ROOT / folder)
        assert expected, f"{folder} is empty"
        assert expected - names == set(), f"missing from the wheel: {sorted(expected - names)}"
    assert {
        "aia/migrations/env.py",
        "aia/migrations/script.py.mako",
        "aia/docs/scoring.md",
        "aia/questionnaires/ads-impact-v1.yaml",
        "aia/templates/base.html",
        "aia/translations/fr/LC_MESSAGES/messages.mo",
    } <= names


def _load_config(path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("DATABASE_URL", "REPORT_DIR", "DOCS_DIR", "QUESTIONNAIRE_DIR"):
        monkeypatch.delenv(f"AIA_{name}", raising=False)
    spec = importlib.util.spec_from_file_location("config_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Config


def test_a_checkout_keeps_its_data_beside_the_code(monkeypatch):
    config = _load_config(ROOT / "config.py", monkeypatch)
    assert config.DATABASE_URL == f"sqlite:///{ROOT / 'instance' / 'aia.sqlite3'}"
    assert Path(config.REPORT_DIR) == ROOT / "reports"
    assert (Path(config.DOCS_DIR) / "scoring.md").is_file()
    assert (Path(config.QUESTIONNAIRE_DIR) / "ads-impact-v1.yaml").is_file()


def test_an_installed_package_keeps_its_data_in_its_environment(tmp_path, monkeypatch):
    """Installed, config.py sits beside the package in site-packages, with no pyproject.toml."""
    site = tmp_path / "site-packages"
    site.mkdir()
    shutil.copy(ROOT / "config.py", site / "config.py")
    config = _load_config(site / "config.py", monkeypatch)
    instance = Path(sys.prefix) / "var" / "aia-instance"
    assert config.DATABASE_URL == f"sqlite:///{instance / 'aia.sqlite3'}"
    assert Path(config.REPORT_DIR) == instance / "reports"
    assert Path(config.DOCS_DIR) == site / "aia" / "docs"
    assert Path(config.QUESTIONNAIRE_DIR) == site / "aia" / "questionnaires"
