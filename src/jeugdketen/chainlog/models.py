"""The chain event log: append-only, the single source for every KPI.

Events carry a pseudonymous person key (never a BSN or a name).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from jeugdketen.access.models import AppendOnlyModel
from jeugdketen.chainlog.vocabulary import Activity


class ChainEvent(AppendOnlyModel):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    activity = models.CharField(max_length=40, choices=Activity.choices)
    trajectory_key = models.CharField(max_length=64, blank=True, db_index=True)
    person_key = models.CharField(max_length=64, blank=True, db_index=True)
    household_key = models.CharField(max_length=64, blank=True)
    organisation_id = models.BigIntegerField(null=True)
    neighbourhood_code = models.CharField(max_length=10, blank=True)
    attributes = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["activity", "at"], name="chainevent_activity_at")]
