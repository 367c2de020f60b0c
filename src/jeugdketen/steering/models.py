"""The steering app's tables (issue 13)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
# --- steer-board ---
# The chain board (issue 13): improvement actions and the minutes of the chain's meeting,
# per municipality. No person of the chain's families is in any of them; an owner is a
# professional or an organisation of the chain (the registry's).


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    DOING = "doing", _("Bezig")
    DONE = "done", _("Klaar")
    DROPPED = "dropped", _("Gestopt")


class Direction(models.TextChoices):
    UP = "up", _("omhoog")
    DOWN = "down", _("omlaag")


class ImprovementAction(models.Model):
    """An improvement action on a bottleneck (plan-do-study-act): what, who, by when, the
    board series (KPI) it should move and by how much; after the due date its measured
    effect (computed from the series, steering.board; `measured` holds it once frozen)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    step = models.CharField(max_length=30, blank=True)  # the value stream step it is aimed at
    what = models.CharField(max_length=500)
    owner_professional = models.ForeignKey(Professional, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    owner_organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    start = models.DateField()
    due = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices,
                              default=ActionStatus.PLANNED)
    kpi = models.CharField(max_length=40)  # a series key of the board (steering.series)
    expected_direction = models.CharField(max_length=4, choices=Direction.choices)
    expected_amount = models.FloatField()
    expected_text = models.CharField(max_length=500, blank=True)
    # The finished scenario run the expected effect was taken from (optional), and a frozen
    # copy of the numbers used: the expectation stays when the run is deleted.
    scenario = models.ForeignKey(SimulationRun, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    scenario_effect = models.JSONField(null=True, blank=True)
    measured = models.JSONField(null=True, blank=True)  # frozen measured effect
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_professional__isnull=False, owner_organisation__isnull=True)
                           | Q(owner_professional__isnull=True,
                               owner_organisation__isnull=False)),
                name="steering_action_one_owner"),
            models.CheckConstraint(condition=Q(due__gte=models.F("start")),
                                   name="steering_action_due_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.what[:40]}"


class Meeting(models.Model):
    """A chain meeting of a municipality on a day, with the board's numbers as they were
    when its minutes were first saved (`snapshot`, never recomputed). Its minutes are
    versions (MinutesVersion), appended, never changed; after `closed_at` a new version
    is a correction."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    week = models.CharField(max_length=8)  # the board's ISO week, "2026-W48"
    snapshot = models.JSONField()  # the board's aggregates at the first save
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["municipality", "held_on"],
                                               name="steering_meeting_one_a_day")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.held_on}"


class MinutesVersion(models.Model):
    """One version of a meeting's minutes: decisions and who does what (text lines), and
    the improvement actions it links to."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    decisions = models.JSONField(default=list)  # lines of text
    tasks = models.JSONField(default=list)  # lines of text: who does what
    actions = models.ManyToManyField(ImprovementAction, blank=True, related_name="+")
    correction = models.BooleanField(default=False)  # saved after the meeting was closed
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "-number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"],
                                               name="steering_minutes_version_unique")]


# --- steer-time: the week's closing ---


class TimeWeekClosing(models.Model):
    """A week's time question closed (steering.time_actions.close_time_weeks): its answers
    entered the chain log at `closed_at`, shuffled, all at that moment, without an actor;
    from then on no answer for that week is taken. One per week (the unique constraint
    keeps a concurrent second closing from emitting them twice)."""

    week = models.DateField()  # the Monday of the ISO week answered for
    closed_at = models.DateTimeField()
    answers = models.PositiveIntegerField()

    class Meta:
        ordering = ["-week"]
        constraints = [models.UniqueConstraint(fields=["week"],
                                               name="steering_time_week_closed_once")]
