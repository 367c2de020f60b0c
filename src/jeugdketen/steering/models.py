"""The steering app's tables (issue 13)."""

from __future__ import annotations

# --- steer-sim ---
from django.db import models
from django.utils import timezone


class SimulationRun(models.Model):
    """A what-if simulation of a municipality's front door (issue 13): the scenario asked
    for, and its result (aggregates only: waits, intervals, waiting lists; no report, no
    person). Written only by steering.simulation_actions."""

    class Kind(models.TextChoices):
        VALIDATION = "validation", "validation"
        SCENARIO = "scenario", "scenario"

    class Status(models.TextChoices):
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    municipality = models.ForeignKey("registry.Municipality", on_delete=models.PROTECT,
                                     related_name="simulation_runs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    scenario = models.JSONField(default=dict)
    seed = models.PositiveIntegerField()
    replications = models.PositiveSmallIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()  # the period's last day
    requested_by = models.ForeignKey("registry.Professional", on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    result = models.JSONField(default=dict)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["municipality", "kind", "-created_at"])]
