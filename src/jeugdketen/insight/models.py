"""The insight app's one table in the platform's database: a municipality's publication
settings (the figures themselves live in the insight store, DuckDB, never here)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jeugdketen.registry.models import Municipality

# No count below the threshold is ever shown (issue 12); a municipality may raise it.
THRESHOLD_DEFAULT = 10
THRESHOLD_MIN, THRESHOLD_MAX = 10, 100
# Help that helps: no new report or plan for the household within this many days of the
# close (about six months by default). Only these periods may be chosen: a period that could
# be any day from 90 to 730 let a sweep, day by day, find the day a rounded count moves
# across its boundary, and where returns come one a day that day pins the count
# (docs/insight.md, "Rounded period counts").
FOLLOW_UP_DEFAULT = 182
FOLLOW_UP_CHOICES = (90, 182, 365, 730)  # about 3 months, 6 months, a year, two years
FOLLOW_UP_MIN, FOLLOW_UP_MAX = FOLLOW_UP_CHOICES[0], FOLLOW_UP_CHOICES[-1]


class PublicationSettings(models.Model):
    """How a municipality publishes its insight figures. No row: the defaults."""

    municipality = models.OneToOneField(Municipality, on_delete=models.PROTECT,
                                        primary_key=True, related_name="insight_publication")
    threshold = models.PositiveSmallIntegerField(
        default=THRESHOLD_DEFAULT,
        validators=[MinValueValidator(THRESHOLD_MIN), MaxValueValidator(THRESHOLD_MAX)])
    follow_up_days = models.PositiveSmallIntegerField(
        default=FOLLOW_UP_DEFAULT,
        validators=[MinValueValidator(FOLLOW_UP_MIN), MaxValueValidator(FOLLOW_UP_MAX)])
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=THRESHOLD_MIN) & Q(threshold__lte=THRESHOLD_MAX),
                name="insight_threshold_range"),
            models.CheckConstraint(
                condition=Q(follow_up_days__gte=FOLLOW_UP_MIN)
                & Q(follow_up_days__lte=FOLLOW_UP_MAX),
                name="insight_follow_up_range"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.threshold}, {self.follow_up_days}"
