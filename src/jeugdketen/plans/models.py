"""One family, one plan, one coordinator (issue 4; domain.md section 3).

A trajectory is a plan for one household: at most one open plan per household (a partial
unique constraint decides simultaneous starts). The plan names the coordinator, the
sections written with the family, result goals with goal-attainment levels, actions for
professionals and the informal network with the responsible organisation and budget,
evaluations with the Kiresuk-Sherman T-score, versions the family approves, and the close.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_PRODUCT_CODE = "jeugdhulp"
GOAL_LEVELS = ("-2", "-1", "0", "1", "2")


class PlanStatus(models.TextChoices):
    OPEN = "open", _("lopend")
    CLOSED = "closed", _("afgesloten")


class Origin(models.TextChoices):
    MATCH = "match", _("vanuit een match in de verwijsindex")
    CARE_REPORT = "care_report", _("vanuit een zorgmelding")
    DIRECT = "direct", _("gestart door de regisseur")


class CloseReason(models.TextChoices):
    """CBS Beleidsinformatie Jeugd: reden beëindiging."""

    ACCORDING_TO_PLAN = "01", _("volgens plan beëindigd")
    EARLY_AGREED = "02", _("voortijdig, in overeenstemming")
    EARLY_CLIENT = "03", _("voortijdig, eenzijdig door de cliënt")
    EARLY_PROVIDER = "04", _("voortijdig, eenzijdig door de aanbieder")
    EARLY_EXTERNAL = "05", _("voortijdig, door externe omstandigheden")


class Plan(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT,
                                  related_name="plans")
    status = models.CharField(max_length=6, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    origin = models.CharField(max_length=12, choices=Origin.choices)
    match = models.ForeignKey("referral_index.Match", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="plans")
    coordinator = models.ForeignKey("registry.Professional", on_delete=models.PROTECT,
                                    related_name="coordinated_plans")
    # The main contractor: the coordinator's organisation, responsible for the whole.
    main_organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT,
                                          related_name="+")
    started_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)
    # The sections, written with the family.
    goes_well = models.TextField(blank=True)
    own_strength = models.TextField(blank=True)  # what the family and its network do themselves
    support_needed = models.TextField(blank=True)
    # Bumped by every change: a form sent with an older revision is refused, never lost.
    revision = models.PositiveIntegerField(default=1)
    # The close.
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=2, choices=CloseReason.choices, blank=True)
    can_continue_without_help = models.BooleanField(null=True)
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True)
    costs_spent_eur = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(status="open"),
                                    name="one_open_plan_per_household"),
            models.CheckConstraint(condition=Q(satisfaction__isnull=True)
                                   | Q(satisfaction__gte=1, satisfaction__lte=10),
                                   name="plan_satisfaction_range"),
        ]

    @property
    def is_open(self) -> bool:
        return self.status == PlanStatus.OPEN


class Handover(models.Model):
    """The coordinator changed: explicit, with a date and a reason the family sees."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="handovers")
    from_professional = models.ForeignKey("registry.Professional", on_delete=models.PROTECT,
                                          related_name="+")
    to_professional = models.ForeignKey("registry.Professional", on_delete=models.PROTECT,
                                        related_name="+")
    on = models.DateField()
    reason = models.TextField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "recorded_at"]


class Concern(models.Model):
    class Priority(models.IntegerChoices):
        HIGH = 1, _("hoog")
        MEDIUM = 2, _("gemiddeld")
        LOW = 3, _("laag")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="concerns")
    text = models.TextField()
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["priority", "created_at", "id"]


class Goal(models.Model):
    """A result goal ("lives safely at home and attends school at least 3 days a week")
    with its five goal-attainment levels in words."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=300)
    persons = models.ManyToManyField("registry.Person", related_name="+")
    weight = models.PositiveSmallIntegerField(default=1)
    levels = models.JSONField()  # {"-2": text, ..., "2": text}
    organisation = models.ForeignKey("registry.Organisation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=10),
                                              name="goal_weight_range")]


class ProductCode(models.Model):
    """What an action is paid from. One code ("jeugdhulp") for everyone; a municipality may
    add its own."""

    code = models.CharField(max_length=30)
    label = models.CharField(max_length=100)
    municipality = models.ForeignKey("registry.Municipality", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="product_codes")
    # A deactivated code is no longer offered for new actions; actions that have it keep it.
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(municipality__isnull=True),
                                    name="product_code_global_unique"),
            models.UniqueConstraint(fields=["municipality", "code"],
                                    name="product_code_municipality_unique"),
        ]


class RelatedPerson(models.Model):
    """Someone of the family's informal network: a grandparent, neighbour, coach. No login;
    their contact details are in the plan because the family wants them there."""

    household = models.ForeignKey("registry.Household", on_delete=models.CASCADE,
                                  related_name="network")
    name = models.CharField(max_length=200)
    relation = models.CharField(max_length=100)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)


class TeamMember(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="team")
    professional = models.ForeignKey("registry.Professional", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="plan_memberships")
    related_person = models.ForeignKey(RelatedPerson, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=200)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(professional__isnull=False) & Q(related_person__isnull=True))
                | (Q(professional__isnull=True) & Q(related_person__isnull=False)),
                name="team_member_is_one_kind"),
            models.UniqueConstraint(fields=["plan", "professional"],
                                    condition=Q(left_at__isnull=True, professional__isnull=False),
                                    name="team_professional_once"),
        ]


class PlanAction(models.Model):
    """Who does what by when: a professional OR a member of the informal network, with
    the organisation responsible for it, the budget and the product code."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="actions")
    description = models.TextField()
    performer_professional = models.ForeignKey("registry.Professional", null=True, blank=True,
                                               on_delete=models.PROTECT, related_name="+")
    performer_related = models.ForeignKey(RelatedPerson, null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    due_on = models.DateField()
    budget_eur = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    product_code = models.CharField(max_length=30, default=DEFAULT_PRODUCT_CODE)
    done_on = models.DateField(null=True, blank=True)
    spent_eur = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(performer_professional__isnull=False) & Q(performer_related__isnull=True))
                | (Q(performer_professional__isnull=True) & Q(performer_related__isnull=False)),
                name="plan_action_one_performer"),
            models.CheckConstraint(condition=Q(budget_eur__gte=0), name="plan_action_budget"),
        ]


class Evaluation(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="evaluations")
    on = models.DateField()
    t_score = models.FloatField()
    note = models.TextField(blank=True)
    final = models.BooleanField(default=False)
    recorded_by = models.ForeignKey("registry.Professional", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "recorded_at"]


class GoalScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="scores")
    score = models.SmallIntegerField()
    weight = models.PositiveSmallIntegerField()  # the goal's weight at the evaluation

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "goal"], name="goal_score_once"),
            models.CheckConstraint(condition=Q(score__gte=-2, score__lte=2), name="goal_score_range"),
        ]


class ApprovalHow(models.TextChoices):
    IN_PERSON = "in_person", _("in een gesprek")
    PAPER = "paper", _("op papier")
    FAMILY_VIEW = "family_view", _("in de eigen omgeving van het gezin")


class PlanVersion(models.Model):
    """A frozen copy of the plan put to the family. Every version is kept; the family
    approves a version."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    revision = models.PositiveIntegerField()  # the plan's revision it froze
    snapshot = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey("registry.Professional", on_delete=models.PROTECT,
                                   related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_how = models.CharField(max_length=12, choices=ApprovalHow.choices, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once")]


class Comment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=200)
    by_family = models.BooleanField()
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
