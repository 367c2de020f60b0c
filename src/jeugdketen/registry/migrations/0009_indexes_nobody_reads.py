"""Indexes nobody reads on the tables a registration writes (core/indexes.py): a
registration's person has no index of its own (registration_unique, person first, serves
its look-ups), and the person's BSN, system id and neighbourhood lose their LIKE indexes
on PostgreSQL (their own indexes stay)."""

from django.db import migrations, models

from jeugdketen.core.indexes import field_index, pattern_indexes


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_organisation_active")]

    operations = [
        field_index("registry", "registration", "person",
                    models.ForeignKey(db_index=False, on_delete=models.CASCADE,
                                      related_name="registrations", to="registry.person")),
        pattern_indexes("registry", "person", "bsn", "system_id", "neighbourhood"),
    ]
