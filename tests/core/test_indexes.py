"""The tables written on every request keep only indexes somebody reads (core/indexes.py):
no index that repeats the first columns of another (unless it enforces uniqueness), no
LIKE index; and the migrations that dropped them can be reversed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.intake.models import CareReport
from jeugdketen.referral_index.models import Signal
from jeugdketen.registry.models import Person, Registration

HOT_TABLES = [m._meta.db_table for m in (AccessLogRecord, ChainEvent, Person, Registration,
                                         Signal, CareReport)]


def _indexes(table: str) -> dict[str, dict[str, Any]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name: c for name, c in found.items() if c["index"] or c["unique"] or c["primary_key"]}


def _pattern_indexes(table: str) -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s "
                       "AND indexdef LIKE '%%pattern_ops%%'", [table])
        return [row[0] for row in cursor.fetchall()]


def _redundant(table: str) -> list[str]:
    """Non-unique indexes whose columns start another index of the table."""
    indexes = _indexes(table)
    out = []
    for name, index in indexes.items():
        if index["unique"] or index["primary_key"]:
            continue
        columns = index["columns"]
        for other, more in indexes.items():
            if other != name and more["columns"][:len(columns)] == columns:
                out.append(f"{name} {columns} (also {other} {more['columns']})")
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("table", HOT_TABLES)
def test_hot_tables_keep_no_index_nobody_reads(table: str) -> None:
    assert _redundant(table) == []
    assert _pattern_indexes(table) == []


@pytest.mark.django_db
def test_the_composite_indexes_that_serve_the_dropped_ones_stay() -> None:
    expected = {
        AccessLogRecord: ["client_id", "at"],
        Registration: ["person_id", "professional_id"],
        Signal: ["person_id", "status"],
        CareReport: ["municipality_id", "step", "received_at"],
    }
    for model, columns in expected.items():
        kept = [c["columns"] for c in _indexes(model._meta.db_table).values()]
        assert columns in kept, model


def _index_names(table: str) -> set[str]:
    return set(_indexes(table)) | set(_pattern_indexes(table))


@pytest.mark.django_db
def test_dropping_the_indexes_can_be_reversed() -> None:
    """PostgreSQL, inside the test's transaction (its DDL rolls back with it; SQLite's
    schema editor does not run inside one)."""
    if connection.vendor != "postgresql":
        pytest.skip("migrations inside a transaction: PostgreSQL")
    tables = {"access": AccessLogRecord._meta.db_table,
              "registry": Registration._meta.db_table}
    person = Person._meta.db_table
    after = {app: _index_names(t) for app, t in tables.items()} | {"person": _index_names(person)}
    executor = MigrationExecutor(connection)
    targets = [("access", "0008_hash_every_field_and_anchor_often"),
               ("registry", "0008_organisation_active")]
    try:
        executor.migrate(targets)
        before = {app: _index_names(t) for app, t in tables.items()}
        before["person"] = _index_names(person)
        client_index = connection.schema_editor()._create_index_name(
            tables["access"], ["client_id"])
        assert client_index in before["access"] - after["access"]
        person_index = connection.schema_editor()._create_index_name(
            tables["registry"], ["person_id"])
        assert person_index in before["registry"] - after["registry"]
        dropped = before["person"] - after["person"]  # bsn, system_id, neighbourhood
        assert len(dropped) == 3
        assert all(name.endswith("_like") for name in dropped)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert {app: _index_names(t) for app, t in tables.items()} | {
        "person": _index_names(person)} == after
