"""The database cache table of the public form's throttle (settings.CACHES["throttle"]):
made here so every database (tests included) has it without a separate command."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_table(apps, schema_editor):
    if settings.CACHES.get("throttle", {}).get("BACKEND", "").endswith("DatabaseCache"):
        call_command("createcachetable", "--database", schema_editor.connection.alias,
                     verbosity=0)


def drop_table(apps, schema_editor):
    location = settings.CACHES.get("throttle", {}).get("LOCATION")
    if location:
        schema_editor.execute(
            f"DROP TABLE IF EXISTS {schema_editor.quote_name(location)}")


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(create_table, drop_table)]
