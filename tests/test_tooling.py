"""The checks around the code: CI's lint step covers the whole project (migrations included,
wherever they sit), the commit hooks and the Makefile run CI's very commands with the
project's own tools, and mypy holds the engine to strict typing while it checks the bodies
of every other function."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TOOLS = (".venv/bin/ruff ", ".venv/bin/mypy ")


def ci_checks() -> list[str]:
    """The ruff and mypy commands of CI's script, as written there."""
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip().startswith(TOOLS)]


def hooks() -> list[dict[str, Any]]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return [{**hook, "repo": repo["repo"]} for repo in config["repos"] for hook in repo["hooks"]]


def makefile_recipes() -> dict[str, list[str]]:
    recipes: dict[str, list[str]] = {}
    target = None
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("\t") and target is not None:
            recipes[target].append(line.strip())
        elif match := re.match(r"([a-z-]+):", line):
            target = match.group(1)
            recipes[target] = []
    return recipes


def project_python_files() -> set[Path]:
    """The Python files of the project, as a fresh clone (CI's) has them."""
    git = shutil.which("git")
    assert git is not None, "the checks are listed against git's files"
    listed = subprocess.run(
        [git, "ls-files", "-z", "--", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {Path(name) for name in listed.split("\0") if name}


def run_tool(command: str, *extra: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """One of CI's commands, with this interpreter's tools rather than .venv/bin/'s."""
    tool, *args = shlex.split(command)
    module = Path(tool).name
    return subprocess.run(
        [sys.executable, "-m", module, *args, *extra],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_ci_lints_and_type_checks() -> None:
    commands = [shlex.split(c)[:2] for c in ci_checks()]
    assert [".venv/bin/ruff", "check"] in commands
    assert [".venv/bin/mypy", "aia"] in commands


def test_ci_lint_covers_every_python_file_of_the_project() -> None:
    """Migrations included, in migrations/ or inside the package: what the lint step does not
    see, nobody checks."""
    ruff = next(c for c in ci_checks() if shlex.split(c)[:2] == [".venv/bin/ruff", "check"])
    listed = run_tool(ruff, "--show-files")
    assert listed.returncode == 0, listed.stderr
    seen = {
        Path(line.strip()).resolve().relative_to(ROOT)
        for line in listed.stdout.splitlines()
        if line.strip().endswith(".py")
    }
    migrations = {p for p in project_python_files() if "migrations" in p.parts}
    assert migrations, "no migration found to check"
    assert project_python_files() - seen == set()


def test_every_ci_check_is_a_commit_hook() -> None:
    on_commit = {
        h["entry"]
        for h in hooks()
        if "manual" not in h.get("stages", []) and h.get("pass_filenames") is False
    }
    assert set(ci_checks()) <= on_commit


def test_hooks_use_the_project_tools_and_download_nothing() -> None:
    for hook in hooks():
        assert hook["repo"] == "local", hook["id"]
        assert hook["language"] == "system", hook["id"]
        assert hook["entry"].startswith(TOOLS), hook["id"]


def test_the_makefile_runs_the_ci_checks() -> None:
    recipes = makefile_recipes()
    assert recipes["lint"] == [c for c in ci_checks() if c.startswith(".venv/bin/ruff ")]
    assert recipes["typecheck"] == [c for c in ci_checks() if c.startswith(".venv/bin/mypy ")]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_help_lists_every_target() -> None:
    make = shutil.which("make")
    assert make is not None
    listed = subprocess.run([make, "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    named = {line.split()[0] for line in listed.splitlines() if line.strip()}
    assert {"lint", "typecheck"} <= named
    assert named == set(makefile_recipes())
    phony = next(
        line
        for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
        if line.startswith(".PHONY:")
    )
    assert set(phony.split()[1:]) == named


PROBE = """
def untyped(value):
    return value


def unchecked_body():
    return 1 + "one"
"""


def test_mypy_is_strict_for_the_engine_only_and_checks_every_body(tmp_path: Path) -> None:
    """The project's mypy settings, on a stand-in package with the same names: an untyped
    function is refused in aia.engine and allowed elsewhere, and the body of an untyped
    function is checked everywhere."""
    for folder in ("aia", "aia/engine", "aia/report"):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "__init__.py").write_text("", encoding="utf-8")
        (tmp_path / folder / "probe.py").write_text(PROBE, encoding="utf-8")
    mypy = next(c for c in ci_checks() if c.startswith(".venv/bin/mypy "))
    result = run_tool(
        mypy,
        "--config-file",
        str(ROOT / "pyproject.toml"),
        "--cache-dir",
        str(tmp_path / "cache"),
        cwd=tmp_path,
    )
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]

    def codes(path: str) -> set[str]:
        return {line.rsplit("[", 1)[-1].rstrip("]") for line in errors if line.startswith(path)}

    assert codes("aia/engine/probe.py") == {"no-untyped-def", "operator"}
    assert codes("aia/report/probe.py") == {"operator"}
    assert codes("aia/probe.py") == {"operator"}
