"""The steering app's tables (issue 13)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from jeugdketen.registry.models import (
    Municipality,
    Neighbourhood,
    Organisation,
    Professional,
)

# --- steer-time ---
# The weekly time question and the yearly job-satisfaction survey (docs/steering.md, "Time
# and satisfaction"). Written only by steering.time_actions.

WEEK_HOURS = 80  # no answer is above it: two numbers of 0..80 whose sum is at most 80
SURVEY_VERSION = "jk-werkplezier-1"


class TeamArea(models.Model):
    """A neighbourhood a team (an organisation) works in, set by the municipal analyst: the
    time answers and survey answers of its professionals count for these neighbourhoods."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "neighbourhood"],
                                               name="steering_team_area_unique")]


class TimeAnswer(models.Model):
    """A professional's answer for one ISO week (its Monday): hours on families and hours
    on accountability. Their own data: only they read it. One per professional per week."""

    professional = models.ForeignKey(Professional, on_delete=models.CASCADE,
                                     related_name="time_answers")
    week = models.DateField()  # the Monday of the ISO week answered for
    help_hours = models.PositiveSmallIntegerField()
    accountability_hours = models.PositiveSmallIntegerField()
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week"]
        constraints = [
            models.UniqueConstraint(fields=["professional", "week"],
                                    name="steering_time_answer_once_a_week"),
            models.CheckConstraint(
                condition=Q(help_hours__lte=WEEK_HOURS) & Q(accountability_hours__lte=WEEK_HOURS)
                & Q(help_hours__lte=WEEK_HOURS - F("accountability_hours")),
                name="steering_time_answer_hours"),
        ]


class TimeQuestionSent(models.Model):
    """What `jeugdketen steering ask-time` sent a professional for a week: the question,
    and at most one reminder (kind)."""

    QUESTION, REMINDER = "question", "reminder"
    professional = models.ForeignKey(Professional, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    kind = models.CharField(max_length=10, choices=[(QUESTION, QUESTION), (REMINDER, REMINDER)])
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["professional", "week", "kind"],
                                               name="steering_time_sent_once")]


class SurveyAnswer(models.Model):
    """One anonymous answer to the yearly survey: WITHOUT the respondent and without any
    time (a random key; no ordering): the team, its neighbourhoods, the year, the
    instrument's version and the scores. Nothing links it to a SurveyResponse."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    neighbourhoods = models.JSONField(default=list)  # the team's BU codes when answered
    year = models.PositiveSmallIntegerField()
    version = models.CharField(max_length=30, default=SURVEY_VERSION)
    scores = models.JSONField()  # item key -> 1..5
    overall = models.PositiveSmallIntegerField()  # 0..10

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(overall__lte=10),
                                              name="steering_survey_overall")]


class SurveyResponse(models.Model):
    """The flag that a professional answered the year's survey (prevents a second answer):
    the professional and the year only, no time and nothing of the answer."""

    professional = models.ForeignKey(Professional, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["professional", "year"],
                                               name="steering_survey_once_a_year")]


class SurveyClosing(models.Model):
    """A municipality closed the year's survey: from then on its answers are in the chain
    log (and the figures), and no one answers that year's survey any more."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    closed_at = models.DateTimeField()
    answers = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "year"],
                                               name="steering_survey_closed_once")]


# --- steer-sim ---


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
