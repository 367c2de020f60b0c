"""Append-only tables: the ORM refuses to change or remove a row (AppendOnlyModel), and
database triggers that refuse UPDATE and DELETE (SQLite and PostgreSQL), used by
migrations, also stop raw SQL from the application's own connection."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a row of an append-only table."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model.__name__} is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model.__name__} is append-only")


class AppendOnlyModel(models.Model):
    """A row is written once and never changed or removed through the ORM."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} is append-only")


PG_FUNCTION = """
CREATE OR REPLACE FUNCTION jeugdketen_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _create(table: str, operations: tuple[str, ...] = ("UPDATE", "DELETE")) -> Any:
    def forwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            # params=None: the function body's '%' are RAISE placeholders, not query
            # parameters (with params=() psycopg refuses the statement).
            schema_editor.execute(PG_FUNCTION, params=None)
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE {' OR '.join(operations)} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION jeugdketen_append_only()"
            )
        elif vendor == "sqlite":
            for op in operations:
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
                )
        else:  # pragma: no cover
            raise RuntimeError(f"append-only triggers are not written for {vendor}")

    def backwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")

    return migrations.RunPython(forwards, backwards)


def triggers(*tables: str) -> list[Any]:
    return [_create(table) for table in tables]


def no_delete(*tables: str) -> list[Any]:
    """Rows that are updated but never removed (the access log's chain heads)."""
    return [_create(table, ("DELETE",)) for table in tables]
