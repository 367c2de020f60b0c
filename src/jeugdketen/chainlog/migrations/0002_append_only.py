from django.db import migrations

from jeugdketen.core.append_only import triggers


class Migration(migrations.Migration):
    dependencies = [("chainlog", "0001_initial")]

    operations = triggers("chainlog_chainevent")
