"""The access log's client_id loses its own index (and on PostgreSQL its LIKE index):
accesslog_client_at (client_id, at) serves every look-up by client. One B-tree insert
fewer, two on PostgreSQL, for every record written (core/indexes.py)."""

from django.db import migrations, models

from jeugdketen.core.indexes import field_index


class Migration(migrations.Migration):
    dependencies = [("access", "0008_hash_every_field_and_anchor_often")]

    operations = [
        field_index("access", "accesslogrecord", "client_id",
                    models.CharField(blank=True, max_length=64)),
    ]
