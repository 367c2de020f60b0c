"""A care report's municipality has no index of its own (care_report_queue, municipality
first, serves its look-ups) and its reference loses its LIKE index on PostgreSQL (its
unique index stays): up to three B-tree inserts fewer for every care report
(core/indexes.py)."""

from django.db import migrations, models

from jeugdketen.core.indexes import field_index, pattern_indexes


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_throttle_cache_table")]

    operations = [
        field_index("intake", "carereport", "municipality",
                    models.ForeignKey(db_index=False, on_delete=models.PROTECT,
                                      related_name="care_reports",
                                      to="registry.municipality")),
        pattern_indexes("intake", "carereport", "reference"),
    ]
