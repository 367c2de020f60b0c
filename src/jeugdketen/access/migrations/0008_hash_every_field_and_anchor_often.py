"""Issue 8, finding 9. Records get a hash version (2: the hash covers every stored field,
the id included; empty: written before this migration, verified as before). Anchors get a
version and their record count (2: the root covers them too), and at most one successor
each, so the automatic anchoring of several processes can never fork the anchor chain.
Only nullable columns and an index: no rewrite of the append-only tables, whose triggers
stay in place."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('access', '0007_consent_for_a_plan'),
    ]

    operations = [
        migrations.AddField(
            model_name='accesslogrecord',
            name='hash_version',
            field=models.SmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='auditanchor',
            name='records',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='auditanchor',
            name='version',
            field=models.SmallIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='accesslogrecord',
            name='outcome',
            field=models.CharField(choices=[('allowed', 'toegestaan'), ('denied', 'geweigerd'), ('refused', 'afgewezen door een regel')], max_length=10),
        ),
        migrations.AddConstraint(
            model_name='auditanchor',
            constraint=models.UniqueConstraint(condition=models.Q(('version__isnull', False)), fields=('prev_root',), name='auditanchor_one_successor'),
        ),
    ]
