from django.db import migrations


def add_default(apps, schema_editor):
    ProductCode = apps.get_model("plans", "ProductCode")
    ProductCode.objects.get_or_create(code="jeugdhulp", municipality=None,
                                      defaults={"label": "Jeugdhulp"})


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(add_default, migrations.RunPython.noop)]
