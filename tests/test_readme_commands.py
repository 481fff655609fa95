"""Every ``aia`` command in the README's table runs as written, in the environment the README
tells a newcomer to set up (the virtual environment's ``bin`` on the PATH, AIA_ENV=development),
on a database of its own; and ``aia`` without those settings says what is missing in one line."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from aia.cli import COMMANDS

from .conftest import SHARED_DATA
from .databases import own_database

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BIN = Path(sys.executable).parent

# What a newcomer would type for each placeholder of the table.
EXAMPLES = {
    "SLUG": "readme-agency",
    "NAME": "README agency",
    "EMAIL": "ana@readme.example",
    "ROLE": "author",
    "FOLDER": str(ROOT / "aia" / "questionnaires"),
}
# Placeholders whose example depends on the command: Canada's survey file to import, then an
# answer file of that version to score (the survey files are reference data, read where they lie).
CANADA_SURVEY = (
    Path(os.environ.get("AIA_CANADA_AIA_DATA", SHARED_DATA / "canada-aia")) / "survey-enfr-v1.0.1.json"
)
EXAMPLES_FOR = {
    "import-questionnaire": {"V": "v1.0.1", "FILE": str(CANADA_SURVEY)},
    # Relative to the folder the commands run in: the archive `aia backup` writes, which
    # `aia restore` loads into a database of its own.
    "backup": {"FILE": "aia-backup.tar.gz"},
    "restore": {"FILE": "aia-backup.tar.gz"},
    "score": {"FILE...": str(ROOT / "tests" / "canada" / "answers" / "level-boundary-42.json")},
}
PASSWORD = "a long enough password for the readme"


def table_commands() -> list[str]:
    """The commands of the README's table, as written there."""
    section = README.read_text(encoding="utf-8").split("## The `aia` command", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(aia [^`]+)` \|", section, flags=re.MULTILINE)


def as_typed(written: str) -> list[str]:
    """A table entry with its placeholders filled in and its optional parts given."""
    words: list[str] = []
    for word in shlex.split(written.replace("[", "").replace("]", "")):
        if word.isupper():
            examples = {**EXAMPLES, **EXAMPLES_FOR.get(words[1] if len(words) > 1 else "", {})}
            assert word in examples, f"no example for {word} of `{written}`: add one to EXAMPLES"
            word = examples[word]
        words.append(word)
    return words


def environment(**settings: str) -> dict[str, str]:
    """The newcomer's shell: none of this machine's AIA_* settings, the venv on the PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIA_", "FLASK_"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(settings)
    return env


def run(words: list[str], env: dict[str, str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(words, env=env, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=300)


def test_the_table_lists_every_command_of_ours():
    listed = {shlex.split(c)[1] for c in table_commands()}
    ours = {command.name for command in COMMANDS}
    assert ours <= listed, f"commands missing from the README's table: {sorted(ours - listed)}"


def test_every_command_of_the_readme_runs_as_written(tmp_path):
    commands = table_commands()
    assert len(commands) >= 8
    with own_database(tmp_path / "readme.sqlite3", "aia_readme") as database_url:
        env = environment(
            AIA_ENV="development",
            AIA_DATABASE_URL=database_url,
            AIA_REPORT_DIR=str(tmp_path / "reports"),
            # Cheaper hashing and in-process renders: settings the README lists, for speed.
            AIA_PASSWORD_HASH_PROFILE="CHEAPEST",
            AIA_REPORT_ISOLATED="0",
        )
        served = []
        for written in commands:
            words = as_typed(written)
            if words[1] in ("run", "worker"):
                served.append(words)  # it serves until stopped: tried last, below
                continue
            if words[1] == "worker":
                assert_works_jobs(words, env, tmp_path)  # it runs until stopped
                continue
            stdin = ""
            if words[1] in ("import-questionnaire", "score") and not CANADA_SURVEY.exists():
                continue  # the reference data is not beside this checkout
            if words[1] == "create-user":
                # The table offers the password on standard input; a test has no terminal.
                words.append("--password-stdin")
                stdin = PASSWORD + "\n"
            if words[1] == "restore":
                assert_restores(words, env, tmp_path)
                continue
            done = run(words, env, tmp_path, stdin)
            assert done.returncode == 0, f"`{written}` failed:\n{done.stdout}\n{done.stderr}"
            assert "Traceback" not in done.stderr, f"`{written}`:\n{done.stderr}"
            if words[1] == "verify":
                assert "FAIL" not in done.stdout and done.stdout.count("ok  ") >= 3, done.stdout
        assert served, "the table has no `aia run`"
        for words in served:
            if words[1] == "worker":
                assert_works_the_queue(words, env, tmp_path)
            else:
                assert_serves(words, {**env, "FLASK_RUN_PORT": "0"}, tmp_path)


def assert_restores(words: list[str], env: dict[str, str], cwd: Path) -> None:
    """`aia restore` loads the backup written above into a new database, migrated first as the
    README says, and `aia verify` passes there."""
    with own_database(cwd / "restored.sqlite3", "aia_readme_restored") as url:
        fresh = {**env, "AIA_DATABASE_URL": url, "AIA_REPORT_DIR": str(cwd / "restored-reports")}
        for step in (["aia", "init-db"], words, ["aia", "verify"]):
            done = run(step, fresh, cwd)
            assert done.returncode == 0, f"`{' '.join(step)}` failed:\n{done.stdout}\n{done.stderr}"
            assert "Traceback" not in done.stderr, done.stderr


def assert_works_the_queue(words: list[str], env: dict[str, str], cwd: Path) -> None:
    """`aia worker` starts on the queue it names and waits for jobs until stopped."""
    with subprocess.Popen(
        words, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as worker:
        assert worker.stdout is not None
        line = worker.stdout.readline()
        running = worker.poll() is None
        worker.terminate()
        _, errors = worker.communicate(timeout=30)
    assert line.startswith("aia worker: 1 thread(s) on "), line + errors
    assert running, f"`aia worker` stopped by itself:\n{errors}"
    assert "Traceback" not in errors, errors


def assert_works_jobs(words: list[str], env: dict[str, str], cwd: Path) -> None:
    """`aia worker` starts, says which queue it takes jobs from, and stops on SIGINT."""
    worker = subprocess.Popen(
        words, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert worker.stdout is not None
        first = worker.stdout.readline()
        assert re.match(r"aia worker: \d+ thread\(s\) on \S+", first), first + (
            worker.stderr.read() if worker.stderr else ""
        )
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=30)
        for stream in (worker.stdout, worker.stderr):
            if stream is not None:
                stream.close()


def assert_serves(words: list[str], env: dict[str, str], cwd: Path) -> None:
    """`aia run` serves the sign-in page on the port it says (FLASK_RUN_PORT=0: a free one)."""
    server = subprocess.Popen(words, env=env, cwd=cwd, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stderr is not None
        address = None
        for line in server.stderr:
            if found := re.search(r"Running on (http://127\.0\.0\.1:\d+)", line):
                address = found.group(1)
                break
        assert address, "`aia run` never said where it serves"
        with urllib.request.urlopen(f"{address}/login", timeout=30) as response:
            assert response.status == 200
            assert "Sign in" in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stderr is not None:
            server.stderr.close()


def test_without_settings_aia_says_what_is_missing_in_one_line(tmp_path):
    """No AIA_ENV (production) and no secret key: --help lists our commands; a command stops
    with one line saying what to set, and no traceback."""
    env = environment(AIA_DATABASE_URL=f"sqlite:///{tmp_path / 'none.sqlite3'}")
    helped = run(["aia", "--help"], env, tmp_path)
    assert helped.returncode == 0, helped.stderr
    assert "Traceback" not in helped.stderr
    for command in COMMANDS:
        assert re.search(rf"^  {re.escape(command.name)} ", helped.stdout, re.MULTILINE), helped.stdout
    refused = run(["aia", "verify"], env, tmp_path)
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr
    assert "AIA_SECRET_KEY is not set" in refused.stderr
    assert "export AIA_ENV=development" in refused.stderr
    assert not (tmp_path / "none.sqlite3").exists()  # nothing was touched
