"""Prepared statements for the hot paths (core/prepared.py, docs/performance.md): on
PostgreSQL a statement run through `prepared.cursor()` is parsed and planned once per
connection, Django's own statements are not prepared, both are logged with their values,
and `instance` reads a row as the ORM would."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jeugdketen.core import prepared
from jeugdketen.registry.models import Person

pg = pytest.mark.skipif("connection.vendor != 'postgresql'",
                        reason="prepared statements are PostgreSQL's")

STATEMENT = "SELECT %s + 1 AS jk_prepared_probe"


def _prepared_names() -> dict[str, int]:
    """The connection's prepared statements of the probe: name -> times it was executed
    (its generic and custom plans together)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, generic_plans + custom_plans FROM pg_prepared_statements "
                       "WHERE statement LIKE %s", ["%jk_prepared_probe%"])
        return dict(cursor.fetchall())


@pg
@pytest.mark.django_db
def test_a_statement_is_prepared_once_and_run_again_by_its_name():
    for n in range(3):
        with prepared.cursor() as cursor:
            cursor.execute(STATEMENT, [n])
            assert cursor.fetchone() == (n + 1,)
    names = _prepared_names()
    assert len(names) == 1 and list(names.values()) == [3]


@pg
@pytest.mark.django_db
def test_djangos_own_statements_are_not_prepared():
    for n in range(6):  # past psycopg's threshold of 5
        with connection.cursor() as cursor:
            cursor.execute(STATEMENT, [n])
            assert cursor.fetchone() == (n + 1,)
    assert _prepared_names() == {}


@pg
@pytest.mark.django_db
def test_a_prepared_statement_survives_a_rolled_back_savepoint():
    """psycopg forgets its prepared statements at a ROLLBACK (also of a savepoint, as when
    an action refuses); the next run prepares the statement again."""
    with prepared.cursor() as cursor:
        cursor.execute(STATEMENT, [1])
    try:
        with transaction.atomic():
            with prepared.cursor() as cursor:
                cursor.execute(STATEMENT, [2])
            raise RuntimeError("refused")
    except RuntimeError:
        pass
    with prepared.cursor() as cursor:
        cursor.execute(STATEMENT, [3])
        assert cursor.fetchone() == (4,)


@pytest.mark.django_db
def test_a_prepared_statement_is_logged_with_its_values():
    with CaptureQueriesContext(connection) as captured, prepared.cursor() as cursor:
        cursor.execute(STATEMENT, [41])
        assert cursor.fetchone() == (42,)
    assert [q["sql"] for q in captured.captured_queries] == [
        STATEMENT.replace("%s", "41")]


@pytest.mark.django_db
def test_instance_reads_a_row_as_the_orm_does():
    person = Person.objects.create(
        bsn=None, system_id="JK-PREP-1", given_names="Sanne", family_name="Test",
        birth_date=date(2015, 3, 1), sex="V", neighbourhood_unknown=True)
    with prepared.cursor() as cursor:
        # the columns in the fields' order, then two more; the table's own order may differ
        cursor.execute(f"SELECT {prepared.columns(Person, 'p')}, 7, 'x' "
                       f"FROM {Person._meta.db_table} p WHERE p.id = %s",
                       [Person._meta.pk.get_db_prep_value(person.pk, connection)])
        row = cursor.fetchone()
    read, extra = prepared.instance(Person, row)
    assert list(extra) == [7, "x"]
    orm = Person.objects.get(pk=person.pk)
    for field in Person._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(orm, field.attname), field.name
    assert isinstance(read.pk, uuid.UUID) and read.neighbourhood_unknown is True
    assert not read._state.adding


@pg
@pytest.mark.django_db
def test_with_prepared_statements_off_nothing_is_prepared(settings):
    """For a pooler that does not keep prepared statements
    (JEUGDKETEN_DB_PREPARED_STATEMENTS=false): the same statements, bound on the client."""
    settings.DB_PREPARED_STATEMENTS = False
    for n in range(6):
        with prepared.cursor() as cursor:
            cursor.execute(STATEMENT, [n])
            assert cursor.fetchone() == (n + 1,)
    assert _prepared_names() == {}
    settings.DB_PREPARED_STATEMENTS = True
    with prepared.cursor() as cursor:
        cursor.execute(STATEMENT, [7])
    assert len(_prepared_names()) == 1
