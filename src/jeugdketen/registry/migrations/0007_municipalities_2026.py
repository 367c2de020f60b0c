"""Every Dutch municipality on 1 January 2026 (CBS, "Gemeentelijke indeling op 1 januari
2026": 342 municipalities), so a fresh install can add organisations at once. The list is
data/gemeenten-2026.csv (its source: docs/operations.md, "Reference data"); next year's
list is loaded with `jeugdketen load_municipalities FILE`.

Self-contained on purpose (a migration must not change when the code does): it reads the
file as it is committed and only adds what is missing, so a municipality already there (a
rename of the demo's, an organisation's) keeps its row."""

from __future__ import annotations

import csv
from importlib import resources

from django.db import migrations

LIST = "data/gemeenten-2026.csv"


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    municipality = apps.get_model("registry", "Municipality")
    text = resources.files("jeugdketen.registry").joinpath(LIST).read_text(encoding="utf-8")
    rows = [(r["GemeentecodeGM"], r["Gemeentenaam"])
            for r in csv.DictReader(text.splitlines(), delimiter=";")]
    known = set(municipality.objects.values_list("code", flat=True))
    municipality.objects.bulk_create(
        [municipality(code=code, name=name, listed=True) for code, name in rows
         if code not in known])
    municipality.objects.filter(code__in=[c for c, _n in rows]).update(listed=True)


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Back: the listed municipalities nothing refers to go; the others stay."""
    municipality = apps.get_model("registry", "Municipality")
    municipality.objects.filter(listed=True, organisations__isnull=True,
                                districts__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0006_municipality_listed_ended"),
    ]

    operations = [migrations.RunPython(load, unload)]
