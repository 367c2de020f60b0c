"""A signal's person has no index of its own: signal_person_status (person, status)
serves its look-ups. One B-tree insert fewer per signal (core/indexes.py)."""

from django.db import migrations, models

from jeugdketen.core.indexes import field_index


class Migration(migrations.Migration):
    dependencies = [("referral_index", "0002_message_kinds_and_plans")]

    operations = [
        field_index("referral_index", "signal", "person",
                    models.ForeignKey(db_index=False, on_delete=models.CASCADE,
                                      related_name="signals", to="registry.person")),
    ]
