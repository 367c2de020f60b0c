from django.db import migrations

from jeugdketen.core.append_only import no_delete


class Migration(migrations.Migration):
    dependencies = [("access", "0003_append_only_and_shards")]

    operations = no_delete("access_accesslogshard")
