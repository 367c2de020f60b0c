"""The chain event log: append-only, the single source for every KPI.

Events carry a pseudonymous person key (never a BSN or a name).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from jeugdketen.core.append_only import AppendOnlyModel


class ChainEvent(AppendOnlyModel):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # The vocabulary is enforced by emit(); no choices on the column, so growing the
    # vocabulary never needs a migration (on SQLite a table rebuild drops the triggers).
    activity = models.CharField(max_length=40)
    trajectory_key = models.CharField(max_length=64, blank=True, db_index=True)
    person_key = models.CharField(max_length=64, blank=True, db_index=True)
    household_key = models.CharField(max_length=64, blank=True)
    organisation_id = models.BigIntegerField(null=True)
    neighbourhood_code = models.CharField(max_length=10, blank=True)
    attributes = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["activity", "at"], name="chainevent_activity_at")]
