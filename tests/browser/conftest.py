"""Browser tests: a real gunicorn server on a fresh database (SQLite file, or a fresh
PostgreSQL database when DATABASE_URL is PostgreSQL), with demo data, driven by Debian's
chromium through Playwright, with axe-core on every page visited.

Outside CI a missing chromium skips these tests; with CI=true it fails them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("JEUGDKETEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() == "true"
BIN = Path(sys.executable).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database(tmp: Path) -> tuple[str, str | None]:
    """(DATABASE_URL for the server, PostgreSQL database to drop afterwards or None)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"jk_browser_{os.getpid()}"
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        return url.rsplit("/", 1)[0] + "/" + name, name
    return f"sqlite:///{tmp / 'browser.sqlite3'}", None


@pytest.fixture(scope="session")
def platform_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the platform for real and yield its base URL."""
    tmp = tmp_path_factory.mktemp("platform")
    db_url, pg_name = _database(tmp)
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "JEUGDKETEN_VAR": str(tmp / "var"),
        "JEUGDKETEN_DEMO": "true",
        "JEUGDKETEN_REQUIRE_2FA": "true",  # the real two-factor flow
        "SECRET_KEY": "browser-tests-" + "x" * 40,
        # The BRP stand-in of this platform: its own port and population (under var/).
        "JEUGDKETEN_BRP_STANDIN_PORT": str(_free_port()),
    }
    env.pop("JEUGDKETEN_BRP_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _SERVER_ENV.clear()
    _SERVER_ENV.update(env)
    cli = str(BIN / "jeugdketen")
    subprocess.run([cli, "migrate", "--no-input", "-v0"], env=env, check=True)
    subprocess.run([cli, "demo", "--households", "40", "--professionals", "30"], env=env,
                   check=True, capture_output=True)
    port = _free_port()
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen([cli, "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/api/v1/municipalities", timeout=2)
        except urllib.error.HTTPError:
            break  # 401: the server answers
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((tmp / "server.log").read_text()) from None
            time.sleep(0.3)
        else:
            break
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
        if pg_name:
            import psycopg

            admin = db_url.rsplit("/", 1)[0] + "/postgres"
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if IN_CI:
            pytest.fail(f"chromium not found at {CHROMIUM}: CI must install it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, platform_url):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=platform_url, locale="nl-NL")
    page = context.new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    page.on("console", lambda m: "Content Security Policy" in m.text
            and page.csp_violations.append(m.text))  # type: ignore[attr-defined]
    yield page
    context.close()


def totp(secret_b32: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 TOTP, to pass the real two-factor step."""
    key = base64.b32decode(secret_b32.replace(" ", "").upper() + "=" * (-len(secret_b32.replace(" ", "")) % 8))
    counter = int((at or time.time()) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(code).zfill(digits)


def host_of(url: str) -> str:
    return urlparse(url).netloc


PASSWORD = "demo-jeugdketen"
_SECRETS: dict[str, str] = {}
_LAST_STEP: dict[str, int] = {}
_SERVER_ENV: dict[str, str] = {}  # the served platform's environment, for its commands


def activation_code(username: str) -> str:
    """A one-time activation code from the operator's command, as an administrator hands
    one out before the first login."""
    result = subprocess.run([str(BIN / "jeugdketen"), "activation-code", username],
                            env=_SERVER_ENV, check=True, capture_output=True, text=True)
    return result.stdout.strip().splitlines()[-1]


def log_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    """Username, password, then the real second step. The first login types an activation
    code (from `jeugdketen activation-code`) and links the app (the secret is read from
    the page and remembered); later logins type the app's code. A code is accepted once
    per 30-second step, so a second login waits for the next step."""
    from .a11y import assert_accessible

    page.goto("/login/")
    assert_accessible(page, "login")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.jk-form button[type=submit]")
    page.wait_for_url(lambda url: "/2fa/" in url)
    if "/2fa/activeren/" in page.url:
        assert username not in _SECRETS, f"{username} linked an app before, but is asked again"
        assert_accessible(page, "activation code")
        page.fill("#id_activation_code", activation_code(username))
        page.click("form.jk-form button[type=submit]")
        page.wait_for_url(lambda url: "/2fa/" in url and "/activeren/" not in url)
    assert_accessible(page, "two-factor")
    shown = page.locator("code.jk-secret")
    if shown.count():
        _SECRETS[username] = shown.text_content().strip()
    assert username in _SECRETS, f"{username} enrolled before, but its secret is unknown"
    while int(time.time() // 30) == _LAST_STEP.get(username):
        time.sleep(0.5)
    _LAST_STEP[username] = int(time.time() // 30)
    page.fill("#id_code", totp(_SECRETS[username]))
    page.click("form.jk-form button[type=submit]")
    page.wait_for_url(lambda url: "/2fa/" not in url and "/login" not in url)


def new_page(browser, platform_url):  # type: ignore[no-untyped-def]
    page = browser.new_context(base_url=platform_url).new_page()
    page.csp_violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text
            and page.csp_violations.append(m.text))
    return page
