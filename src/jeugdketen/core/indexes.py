"""Migrations that drop indexes nobody reads, on the tables written on every request.

Django gives every indexed or unique text column on PostgreSQL a second index for LIKE
'prefix%' queries (`<name>_like`, varchar_pattern_ops), and every foreign key its own
index, also where a composite index starting with the same column already serves its
look-ups. The platform never filters those columns with LIKE (its searches are
`icontains`, which no B-tree index serves), so on the access log, the chain event log
and the person, registration, signal and care-report tables each such index only costs:
one more B-tree insert per row written, at national scale into an index too large for
memory, with its pages in the write-ahead log (docs/performance.md, "Indexes nobody
reads"). tests/core/test_indexes.py lists the indexes those tables keep.

The drops are database operations in a migration: `pattern_indexes` drops the `_like`
index of a field whose own index stays (the migration state has no notion of it);
`field_index` drops a field's own index: the migration state's field becomes the one
given (`db_index=False`) while the database only loses the index (an AlterField would
have SQLite rebuild the whole table for it). Both recreate what they dropped when
the migration is reversed."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _drop_like(schema_editor: Any, model: Any, field: Any) -> None:
    """PostgreSQL: drop the field's `_like` index (DROP INDEX IF EXISTS: a field without
    one, a foreign key to an integer or a uuid, is not an error)."""
    if schema_editor.connection.vendor == "postgresql":
        name = schema_editor._create_index_name(model._meta.db_table, [field.column],
                                                suffix="_like")
        schema_editor.execute(schema_editor._delete_index_sql(model, name))


def pattern_indexes(app_label: str, model_name: str, *fields: str) -> migrations.RunPython:
    """Drop the `_like` indexes of these fields (PostgreSQL; SQLite has none)."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        for name in fields:
            _drop_like(schema_editor, model, model._meta.get_field(name))

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model(app_label, model_name)
        for name in fields:
            statement = schema_editor._create_like_index_sql(model, model._meta.get_field(name))
            if statement is not None:
                schema_editor.execute(statement)

    return migrations.RunPython(forwards, backwards, elidable=False)


def field_index(app_label: str, model_name: str, field_name: str,
                field: Any) -> migrations.SeparateDatabaseAndState:
    """Drop a field's own index (and on PostgreSQL its `_like` index, if it has one), for a
    field whose look-ups a composite index serves; `field` is the field as it is now (its
    `db_index=False`). Reversed, it makes them again."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        old = model._meta.get_field(field_name)
        name = schema_editor._create_index_name(model._meta.db_table, [old.column])
        schema_editor.execute(schema_editor._delete_index_sql(model, name))
        _drop_like(schema_editor, model, old)

    def backwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        for statement in schema_editor._field_indexes_sql(model,
                                                          model._meta.get_field(field_name)):
            schema_editor.execute(statement)

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AlterField(model_name=model_name, name=field_name,
                                                field=field)],
        database_operations=[migrations.RunPython(forwards, backwards, elidable=False)],
    )
