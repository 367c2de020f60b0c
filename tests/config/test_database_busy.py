"""Finding 7 of issue 8: a writer that holds SQLite's write lock made other writers fail
with 500. With a real concurrent writer on a file database, the others now get "busy, try
again": 503 with Retry-After (problem details in the API, a readable page on the web), and
the same request succeeds once the lock is gone.

The platform runs in a subprocess on its own SQLite file (WAL, BEGIN IMMEDIATE, a busy
timeout of 0.5 s), as in production; this test process holds the write lock with
`BEGIN IMMEDIATE` from Python's sqlite3, exactly as another worker's transaction would.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite's write lock; PostgreSQL's lock timeout is tested in test_database_busy_pg")

ROOT = Path(__file__).resolve().parents[2]

# Runs inside the subprocess: log in, wait for the lock, try to write, report, try again.
CLIENT = r"""
import json, sys, time
import django
django.setup()
from django.conf import settings
# Static names as they are (no collectstatic manifest here), as in the other tests.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
from django.contrib.auth import get_user_model
from django.test import Client

token = sys.argv[1]
api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
web = Client()
web.force_login(get_user_model().objects.get(username="beheerder"))
org = {"name": "Wijkteam Slot", "kind": "neighbourhood_team", "municipality_code": "GM9901"}

def answer(response, started):
    return {"status": response.status_code, "type": response["Content-Type"],
            "retry_after": response.get("Retry-After"), "seconds": time.monotonic() - started,
            "body": response.content.decode()[:2000]}

def attempts():
    out = {}
    started = time.monotonic()
    out["api"] = answer(api.post("/api/v1/organisations", org, content_type="application/json"),
                        started)
    started = time.monotonic()
    out["web"] = answer(web.post("/tokens/"), started)
    started = time.monotonic()
    out["page"] = answer(web.get("/"), started)
    return out

print("ready", flush=True)
sys.stdin.readline()
print(json.dumps(attempts()), flush=True)
sys.stdin.readline()
print(json.dumps(attempts()), flush=True)
"""


@pytest.fixture
def platform(tmp_path):
    db = tmp_path / "jeugdketen.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "JEUGDKETEN_VAR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "jeugdketen.config.settings",
           "JEUGDKETEN_DB_LOCK_TIMEOUT_SECONDS": "0.5", "JEUGDKETEN_DEMO": "true",
           "JEUGDKETEN_REQUIRE_2FA": "false", "ALLOWED_HOSTS": "testserver",
           "PYTHONPATH": str(ROOT / "src")}
    env.pop("TEST_DATABASE_NAME", None)
    run = [sys.executable, "-m", "jeugdketen"]
    subprocess.run([*run, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=tmp_path)
    out = subprocess.run([*run, "createadmin", "beheerder", "--no-password"], env=env,
                         check=True, cwd=tmp_path, capture_output=True, text=True).stdout
    token = out.strip().splitlines()[-1]
    with sqlite3.connect(db) as setup:
        setup.execute("INSERT INTO registry_municipality (code, name, address_match, "
                      "coordinator_days, min_signal_days, listed) "
                      "VALUES ('GM9901', 'Testdam', 1, 10, 90, 0)")
    return db, env, token


def test_a_writer_waiting_for_the_lock_gets_503_then_succeeds(platform):
    db, env, token = platform
    child = subprocess.Popen([sys.executable, "-c", CLIENT, token], env=env, cwd=db.parent,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        holder = sqlite3.connect(db, isolation_level=None, timeout=5)
        holder.execute("BEGIN IMMEDIATE")  # another writer's transaction: the write lock
        holder.execute("UPDATE registry_municipality SET name = 'Testdam' WHERE code = 'GM9901'")
        child.stdin.write("go\n")
        child.stdin.flush()
        locked = json.loads(child.stdout.readline())
        holder.execute("COMMIT")
        holder.close()
        child.stdin.write("again\n")
        child.stdin.flush()
        free = json.loads(child.stdout.readline())
    finally:
        child.stdin.close()
        child.wait(timeout=60)

    api, web = locked["api"], locked["web"]
    assert api["status"] == 503, api
    assert api["type"] == "application/problem+json"
    body = json.loads(api["body"])
    assert body["type"] == "urn:jeugdketen:problem:database_busy" and body["status"] == 503
    assert int(api["retry_after"]) > 0
    assert api["seconds"] < 5  # waited for the busy timeout, then answered; no hang
    # A form whose action writes, and a page that only reads (but whose session is saved
    # on every request: Django would call that an interrupted session, 400).
    for answer in (web, locked["page"]):
        assert answer["status"] == 503, answer
        assert answer["type"].startswith("text/html") and "Het is even te druk" in answer["body"]
        assert int(answer["retry_after"]) > 0
    # Nothing was half-written, and the same requests succeed once the lock is released.
    assert [free[k]["status"] for k in ("api", "web", "page")] == [201, 200, 200], free
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT count(*) FROM registry_organisation").fetchone() == (1,)
