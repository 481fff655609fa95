"""The app as an agency runs it, started for the production tests: gunicorn with three
workers (deploy/gunicorn.conf.py) for the staff and a second one with two for the public
register (deploy/systemd/aia-public.service), AIA_ENV=production, PostgreSQL and Redis, behind
nginx (deploy/nginx.conf) with TLS on a certificate made here, each on a free loopback port.

``Visitor`` is an HTTPS client that speaks from a loopback address of its own choosing
(127.0.0.2, 127.0.0.3...), so the app sees several clients as it would on the internet."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
PUBLIC_WORKERS = 2  # as deploy/systemd/aia-public.service starts it
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with openssl, valid for a day."""
    certificate, key = folder / "site.pem", folder / "site.key"
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    return certificate, key


def nginx_site(
    https_port: int, http_port: int, upstream: str, public_upstream: str, certificate: Path, key: Path
) -> str:
    """deploy/nginx.conf with this run's ports, certificate and upstreams (the staff's pool and
    the public register's) put in."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for example, real in [
        ("server 127.0.0.1:8000;", f"server {upstream};"),
        ("server 127.0.0.1:8001;", f"server {public_upstream};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("/etc/ssl/certs/algorithms.example.gov.pem", str(certificate)),
        ("/etc/ssl/private/algorithms.example.gov.key", str(key)),
        ("server_name algorithms.example.gov;", "server_name 127.0.0.1;"),
    ]:
        assert example in text, f"deploy/nginx.conf no longer holds {example!r}"
        text = text.replace(example, real)
    return text


def nginx_main(folder: Path, site: Path) -> str:
    """The few lines around the site that a distribution's nginx.conf would hold."""
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        "events { worker_connections 256; }\nhttp {\n"
        f"  access_log {folder / 'access.log'};\n"
        + "".join(f"  {name}_temp_path {path};\n" for name, path in temp.items() if name != "body")
        + f"  client_body_temp_path {temp['body']};\n  include {site};\n}}\n"
    )


def wait_until_answering(
    port: int, process: subprocess.Popen, log: Path, speaks_http: bool = False, deadline_s: float = 180
) -> None:
    """Ready when the port accepts a connection (``speaks_http``: answers a request, i.e. a worker has
    loaded the app); a generous deadline, not a measured wait."""
    deadline = time.monotonic() + deadline_s
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if speaks_http:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=deadline_s)
                probe.request("GET", "/login")
                probe.getresponse().read()
                probe.close()
            else:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"not answering on {port}:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.1)


def start_gunicorn(env: dict[str, str], port: int, log: Path, workers: int = WORKERS) -> subprocess.Popen:
    with log.open("w") as out:  # the child keeps its own copy of the file
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
            + ["--workers", str(workers), "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wait_until_answering(port, process, log, speaks_http=True)
    return process


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    """`aia worker`, as production runs it beside gunicorn; started once it says it runs."""
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "aia"), "worker"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while "aia worker:" not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"aia worker did not start:\n{log.read_text()}")
        time.sleep(0.1)
    return process


def start_nginx(
    folder: Path, https_port: int, http_port: int, upstream: str, public_upstream: str
) -> subprocess.Popen:
    certificate, key = make_certificate(folder)
    site = folder / "aia-site.conf"
    site.write_text(nginx_site(https_port, http_port, upstream, public_upstream, certificate, key))
    main = folder / "nginx.conf"
    main.write_text(nginx_main(folder, site))
    log = folder / "nginx.out"
    with log.open("w") as out:
        process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(main), "-g", "daemon off;"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wait_until_answering(https_port, process, log)
    return process


def stop(process: subprocess.Popen) -> None:
    # SIGINT: gunicorn's and nginx's quick shutdown (the tests are over; nothing is in flight).
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def cookies_set(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []


@dataclass
class Visitor:
    """One client: its own loopback address, its own cookies. Every answer is checked for a
    5xx, which fails the test at once."""

    port: int
    certificate: Path
    address: str = "127.0.0.2"
    scheme: str = "https"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        form: dict | None = None,
        json_body: dict | None = None,
        headers=None,
        unavailable_expected: bool = False,
    ) -> Answer:
        """One request. ``unavailable_expected``: a 503 is the answer this test is after (a
        dependency it took down); any other 5xx still fails."""
        headers = dict(headers or {})
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        # As a browser sends it on a same-origin request (Referrer-Policy: same-origin); Flask-WTF
        # checks it on every form posted over HTTPS.
        headers.setdefault("Referer", f"{self.scheme}://127.0.0.1:{self.port}{path}")
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.scheme == "https":
            context = ssl.create_default_context(cafile=str(self.certificate))
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                "127.0.0.1", self.port, context=context, source_address=(self.address, 0), timeout=180
            )
        else:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, source_address=(self.address, 0), timeout=180
            )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read().decode("utf-8", "replace"))
        finally:
            connection.close()
        for cookie in answer.cookies_set:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if re.search(r"(?i)expires=Thu, 01 Jan 1970|max-age=0", cookie):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        assert answer.status < 500 or (unavailable_expected and answer.status == 503), (
            f"{method} {path} answered {answer.status}: {answer.body[:1500]}"
        )
        return answer

    def get(self, path: str, **options) -> Answer:
        return self.request("GET", path, **options)

    def post(self, path: str, **options) -> Answer:
        return self.request("POST", path, **options)
