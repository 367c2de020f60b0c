"""Starting and stopping the stand-in as its own process (for `jeugdketen serve` and
`jeugdketen demo` in development and demo mode, and for the test suite)."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings


def reachable(url: str, timeout: float = 1.0) -> bool:
    """Does something answer HTTP at this BRP base URL?"""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.netloc, timeout=timeout)
    try:
        conn.request("POST", parts.path.rstrip("/") + "/personen", body=b"{}",
                     headers={"Content-Type": "application/json"})
        conn.getresponse().read()
        return True
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def url_for(port: int, host: str = "127.0.0.1") -> str:
    from jeugdketen.brp.standin.server import BASE_PATH

    return f"http://{host}:{port}{BASE_PATH}"


def start(*, port: int, db: str, api_key: str = "", host: str = "127.0.0.1",
          wait: float = 20.0) -> subprocess.Popen[bytes]:
    """Start a stand-in and return once it answers."""
    argv = [sys.executable, "-m", "jeugdketen.brp.standin", "--host", host, "--port", str(port),
            "--db", db]
    if api_key:
        argv += ["--api-key", api_key]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + wait
    while not reachable(url_for(port, host), timeout=0.5):
        if proc.poll() is not None:
            error = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(f"the BRP stand-in did not start: {error.strip()}")
        if time.monotonic() > deadline:
            stop(proc)
            raise RuntimeError(f"the BRP stand-in did not answer on port {port}")
        time.sleep(0.05)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()
    if proc.stderr:
        proc.stderr.close()


@contextmanager
def ensure_running() -> Iterator[None]:
    """When the platform uses the stand-in (no JEUGDKETEN_BRP_URL) and nothing answers at its
    address, start one for as long as this lasts."""
    if not settings.BRP_STANDIN or reachable(settings.BRP_URL):
        yield
        return
    proc = start(port=settings.BRP_STANDIN_PORT, db=str(settings.BRP_STANDIN_DB))
    try:
        yield
    finally:
        stop(proc)
