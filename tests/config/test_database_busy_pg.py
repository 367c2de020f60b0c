"""Finding 7 of issue 8 on PostgreSQL: a writer that waits longer than the lock timeout
(JEUGDKETEN_DB_LOCK_TIMEOUT_SECONDS, PostgreSQL's lock_timeout) for another transaction's
row lock gets 503 "busy, try again" with Retry-After, not a 500 and not an endless wait;
once the lock is released the same request succeeds."""

from __future__ import annotations

import json
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import token_for
from tests.registry.test_concurrency_pg import committed, pg  # noqa: F401 (fixtures)

pytestmark = pytest.mark.postgres


def dsn() -> str:
    db = connection.settings_dict
    return (f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} "
            f"dbname={db['NAME']} user={db['USER']} password={db['PASSWORD'] or ''}")


def test_the_lock_timeout_is_configured(pg, db):  # noqa: F811
    assert settings.DB_LOCK_TIMEOUT_SECONDS == 20
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "20s"


def test_a_writer_waiting_too_long_for_a_row_lock_gets_503(committed):  # noqa: F811
    from django.test import Client

    from tests import factories as f

    admin = f.ProfessionalFactory(roles=["platform_admin"], organisation=committed)
    code = committed.municipality_id
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(admin.user)}")
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")
    holder = psycopg.connect(dsn())
    try:
        holder.execute("UPDATE registry_municipality SET name = name WHERE code = %s", [code])
        started = time.monotonic()
        response = client.patch(f"/api/v1/municipalities/{code}",
                                json.dumps({"coordinator_days": 12}),
                                content_type="application/json")
        waited = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:jeugdketen:problem:database_busy"
    assert int(response["Retry-After"]) > 0
    assert waited < 5
    again = client.patch(f"/api/v1/municipalities/{code}", json.dumps({"coordinator_days": 12}),
                         content_type="application/json")
    assert again.status_code == 200, again.content
    assert again.json()["coordinator_days"] == 12
