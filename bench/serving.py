"""What the benchmarks that serve the app share: a database of their own and a gunicorn on a
free loopback port, ready when it answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def own_database(
    folder: Path, label: str, *, postgresql_only: bool = False
) -> tuple[str, Callable[[], None]]:
    """A new database for one run, and what drops it: on the PostgreSQL server AIA_DATABASE_URL
    names, or else a SQLite file in ``folder`` (unless ``postgresql_only``)."""
    import sqlalchemy as sa

    configured = os.environ.get("AIA_DATABASE_URL", "")
    if not configured.startswith("postgresql"):
        if postgresql_only:
            raise SystemExit(
                f"{sys.argv[0]} measures on PostgreSQL: set AIA_DATABASE_URL=postgresql+psycopg://..."
            )
        return f"sqlite:///{folder / f'{label}.sqlite3'}", lambda: None
    name = f"aia_bench_{label}_{os.getpid()}"
    admin = sa.create_engine(configured, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return sa.make_url(configured).set(database=name).render_as_string(hide_password=False), drop


def serve(
    app: str,
    env: dict[str, str],
    workers: int,
    folder: Path,
    *,
    threads: int = 1,
    probe: str = "/healthz",
    production_config: bool = True,
    root: Path = HERE,
    nice: int = 0,
) -> tuple[subprocess.Popen, str]:
    """gunicorn serving ``app`` with ``workers`` (of ``threads`` each), with the repository's
    deploy/gunicorn.conf.py unless told otherwise, from the checkout ``root``, at the CPU
    priority ``nice`` (as systemd's Nice= sets it); returns it and its address once ``probe``
    answers. Its output goes to a log file in ``folder``."""
    port = free_port()
    config = ["-c", str(HERE / "deploy" / "gunicorn.conf.py"), "--access-logfile", "/dev/null"]
    command = ["nice", "-n", str(nice)] if nice else []
    command += [sys.executable, "-m", "gunicorn", *(config if production_config else [])]
    command += ["--workers", str(workers), "--threads", str(threads), "--bind", f"127.0.0.1:{port}"]
    command += ["--control-socket", str(folder / f"gunicorn-{port}.ctl"), app]
    log = folder / f"gunicorn-{port}.log"
    server = subprocess.Popen(command, cwd=root, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + probe, timeout=30).close()  # noqa: S310 (http, loopback)
            return server, base
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"{app} did not start: {log.read_text()[-2000:]}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=60)
