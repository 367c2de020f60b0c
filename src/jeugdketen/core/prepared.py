"""A cursor for the statements on a hot path that run with the same text on every request
(the API token's look-up, a person's read, a signal, a registration, a care report, the
access-log append, every chain event): on PostgreSQL bound on the server and prepared
once per database connection, so the server parses and plans them once instead of on
every request (docs/performance.md, "Prepared statements"). Off with
DB_PREPARED_STATEMENTS (JEUGDKETEN_DB_PREPARED_STATEMENTS=false).

Django's own cursors bind on the client (the parameters written into the statement's
text), which keeps every other query as it is and works behind a pooler in transaction
mode; a statement run through this cursor needs a direct connection or a pooler that
keeps prepared statements (docs/operations.md). On SQLite it is Django's cursor.

A statement for it: one fixed text (no values written into it, the same for every call),
parameters whose types PostgreSQL can tell from where they are used (a `None` where the
type cannot be told needs a cast, `%s::integer`)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import Model

_CURSOR: type | None = None


def _cursor_class() -> type:
    """Django's server-binding cursor (its error and time-zone handling), preparing every
    statement it runs (psycopg's prepare=True: the first run prepares, later runs execute
    the prepared statement by its name)."""
    global _CURSOR
    if _CURSOR is None:
        from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]
            ServerBindingCursor,
        )

        class PreparingCursor(ServerBindingCursor):  # type: ignore[misc]
            def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None,
                        binary: bool | None = None) -> Any:
                return super().execute(query, params, prepare=True, binary=binary)

        _CURSOR = PreparingCursor
    return _CURSOR


def cursor() -> Any:
    """A cursor whose statements are prepared (PostgreSQL) or Django's cursor (SQLite, or
    with DB_PREPARED_STATEMENTS off). Use it as `with prepared.cursor() as cursor:`; it
    logs its statements like Django's (CaptureQueriesContext, DEBUG), and its errors are
    Django's."""
    db = connections[DEFAULT_DB_ALIAS]  # once: every attribute of `connection` looks it up
    if db.vendor != "postgresql" or not settings.DB_PREPARED_STATEMENTS:
        return db.cursor()
    db.close_if_health_check_failed()  # as Django's connection.cursor()
    db.ensure_connection()
    with db.wrap_database_errors:
        raw = _cursor_class()(db.connection)
        db.validate_thread_sharing()
        if db.queries_logged:
            return _DebugCursor(raw, db)
        return db.make_cursor(raw)


class _DebugCursor(CursorDebugWrapper):
    """Django's debug cursor (DEBUG, CaptureQueriesContext), logging a prepared statement
    with its values written in, as for Django's own cursors (Django would log None: a
    prepared statement has no text of its own on the client)."""

    def debug_sql(self, sql: Any = None, params: Any = None,
                  use_last_executed_query: bool = False, many: bool = False) -> Any:
        if use_last_executed_query and sql is not None and not many:
            with contextlib.suppress(DatabaseError):  # else logged as written
                sql = self.db.ops.compose_sql(sql, params)
        return super().debug_sql(sql, params, False, many)


def columns(model: type[Model], alias: str) -> str:
    """The model's columns, in the order of its fields, for a statement whose rows
    `instance` reads: `SELECT {columns(Person, "p")}, other, columns FROM ...`."""
    qn = connection.ops.quote_name
    return ", ".join(f"{alias}.{qn(f.column)}" for f in model._meta.concrete_fields)


M = TypeVar("M", bound=Model)

_CONVERTERS: dict[tuple[str, Any], list[tuple[int, Any, list[Any]]]] = {}


def instance(model: type[M], row: Sequence[Any]) -> tuple[M, Sequence[Any]]:
    """A row that starts with `columns(model, ...)` as the model's instance (its values
    converted as the ORM converts them), and the values after them."""
    fields = model._meta.concrete_fields
    key = (connection.vendor, model)
    converters = _CONVERTERS.get(key)
    if converters is None:
        converters = []
        for i, field in enumerate(fields):
            col = field.get_col(model._meta.db_table)
            found = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]
            if found:
                converters.append((i, col, found))
        _CONVERTERS[key] = converters
    values = list(row[:len(fields)])
    for i, col, found in converters:
        for convert in found:
            values[i] = convert(values[i], col, connection)
    return model.from_db(connection.alias, [f.attname for f in fields], values), \
        row[len(fields):]
