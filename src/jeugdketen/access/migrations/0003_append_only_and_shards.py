from django.db import migrations

from jeugdketen.core.append_only import triggers

MAX_SHARDS = 64


def create_shards(apps, schema_editor):
    Shard = apps.get_model("access", "AccessLogShard")
    Shard.objects.bulk_create(Shard(shard=i) for i in range(MAX_SHARDS))


class Migration(migrations.Migration):
    dependencies = [("access", "0002_initial")]

    operations = [
        migrations.RunPython(create_shards, migrations.RunPython.noop),
        *triggers("access_accesslogrecord", "access_auditanchor"),
    ]
