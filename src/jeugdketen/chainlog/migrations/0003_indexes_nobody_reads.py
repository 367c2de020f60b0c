"""The chain event's trajectory and person keys lose their LIKE indexes on PostgreSQL
(their own indexes stay): one B-tree insert fewer each for every chain event
(core/indexes.py)."""

from django.db import migrations

from jeugdketen.core.indexes import pattern_indexes


class Migration(migrations.Migration):
    dependencies = [("chainlog", "0002_append_only")]

    operations = [pattern_indexes("chainlog", "chainevent", "trajectory_key", "person_key")]
