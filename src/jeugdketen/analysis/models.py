"""The integral analysis over all life domains ("Zorgroutekaart"), made with the family
within a plan and repeated over time."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Analysis(models.Model):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="analyses")
    made_on = models.DateField()
    made_by = models.ForeignKey("registry.Professional", on_delete=models.PROTECT,
                                related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["made_on", "created_at"]


class DomainScore(models.Model):
    """One member's score on one domain: the professional's and the family's own, side by
    side, with strengths and concerns in words."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="scores")
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    domain = models.CharField(max_length=30)
    professional_score = models.PositiveSmallIntegerField(null=True, blank=True)
    family_score = models.PositiveSmallIntegerField(null=True, blank=True)
    strengths = models.TextField(blank=True)
    concerns = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["analysis", "person", "domain"],
                                    name="domain_score_once"),
            models.CheckConstraint(
                condition=(Q(professional_score__isnull=True)
                           | Q(professional_score__gte=1, professional_score__lte=5))
                & (Q(family_score__isnull=True) | Q(family_score__gte=1, family_score__lte=5)),
                name="domain_score_range"),
        ]


class StressJudgement(models.Model):
    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="stress")
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=10)  # analysis.domains.Stress
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["analysis", "person"], name="stress_once")]
