"""The front door (issue 11, ADR 0010): a care report, its triage, one joint intake
meeting with its invitations and outcome, and the capacity and norms behind the queue.

A report's content (the question, the life domains, the desired result, the contact
details, and for a public report the details the reporter gave) is personal data of the
front door: it never leaves these tables (not in the reference index, never in a chain
event's attributes). Capacity and norms are not personal data. Only `intake.actions`
write these tables.
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A reference without look-alike characters (no 0/O, 1/I/L): read out over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_PREFIX = "ZM"


def new_reference() -> str:
    """A fresh report reference, e.g. ZM7K4QX9TB (10 characters; unique by constraint)."""
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class Urgency(models.TextChoices):
    CRISIS = "crisis", _("Crisis: vandaag")
    URGENT = "urgent", _("Spoed: binnen enkele dagen")
    REGULAR = "regular", _("Regulier")


# Queue order: the most urgent first within a step.
URGENCY_RANK = {Urgency.CRISIS: 0, Urgency.URGENT: 1, Urgency.REGULAR: 2}


class ReporterKind(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    FAMILY = "family", _("Gezin")
    PUBLIC = "public", _("Via het openbare formulier")


class Step(models.TextChoices):
    RECEIVED = "received", _("Ontvangen")
    TRIAGED = "triaged", _("Beoordeeld")
    INTAKE_PLANNED = "intake_planned", _("Intake gepland")
    INTAKE_HELD = "intake_held", _("Intake gehouden")
    HELP_STARTED = "help_started", _("Hulp gestart")
    CLOSED = "closed", _("Afgesloten")


# The steps the queue shows (a report in another step is done with).
OPEN_STEPS = (Step.RECEIVED, Step.TRIAGED, Step.INTAKE_PLANNED, Step.INTAKE_HELD)


class TriageDecision(models.TextChoices):
    ADVICE = "advice", _("Advies en afsluiten")
    NEIGHBOURHOOD_TEAM = "neighbourhood_team", _("Hulp door het wijkteam")
    JOINT_INTAKE = "joint_intake", _("Gezamenlijke intake")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")


class OutcomeDecision(models.TextChoices):
    PLAN = "plan", _("Gezinsplan starten")
    ADVICE = "advice", _("Advies en afsluiten")
    REFERRAL = "referral", _("Verwijzen naar specialistische hulp")


class CloseReason(models.TextChoices):
    ADVICE = "advice", _("Advies gegeven")
    VEILIG_THUIS = "veilig_thuis", _("Naar Veilig Thuis")
    HELP_STARTED = "help_started", _("Hulp gestart")
    REFERRAL = "referral", _("Verwezen")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Uitgenodigd")
    ACCEPTED = "accepted", _("Geaccepteerd")
    DECLINED = "declined", _("Afgewezen")
    REPLACED = "replaced", _("Vervangen")


class CareReport(models.Model):
    """A report ("zorgmelding") about a child or a household at the municipality's front
    door, with the step it is in and the norm dates of that step."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # One key from the report to the plan's close: a plan started from this report gets
    # this key as its id.
    trajectory_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Looked up through care_report_queue (municipality, step, received_at): no index of
    # its own (core/indexes.py).
    municipality = models.ForeignKey("registry.Municipality", on_delete=models.PROTECT,
                                     related_name="care_reports", db_index=False)
    # About whom: a person or a household (a public report: neither, until identified).
    person = models.ForeignKey("registry.Person", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="care_reports")
    household = models.ForeignKey("registry.Household", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="care_reports")
    # Denormalised at receipt or identification, for the queue and the chain events.
    neighbourhood_code = models.CharField(max_length=10, blank=True)
    reporter_kind = models.CharField(max_length=12, choices=ReporterKind.choices)
    # The reporting professional: reads the status only.
    reported_by = models.ForeignKey("registry.Professional", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    # The family member who reported.
    reported_by_person = models.ForeignKey("registry.Person", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    # Shown on the public confirmation page; never a login or a look-up key.
    reference = models.CharField(max_length=10, unique=True, default=new_reference,
                                 editable=False)
    urgency = models.CharField(max_length=8, choices=Urgency.choices)
    unsafe = models.BooleanField(default=False)
    received_at = models.DateTimeField(default=timezone.now)
    # The step and its dates, set by every action that changes the step (the queue filters
    # on the stored dates: a norm change applies to steps that start after it).
    step = models.CharField(max_length=14, choices=Step.choices, default=Step.RECEIVED)
    step_since = models.DateField(default=timezone.localdate)
    step_due_on = models.DateField(null=True, blank=True)
    step_overdue3_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=12, choices=CloseReason.choices, blank=True)
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="care_reports")
    # --- front-door content (personal data) ---
    question = models.TextField(blank=True)
    life_domains = models.JSONField(default=list, blank=True)  # keys of analysis' ALL_DOMAINS
    desired_result = models.TextField(blank=True)
    consent_to_share = models.BooleanField(default=False)
    contact_phone = models.CharField(max_length=20, blank=True)
    contact_email = models.EmailField(blank=True)
    # A public report: the details given, for the front door to identify the child.
    given_name = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=6, blank=True)
    house_number = models.CharField(max_length=10, blank=True)
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_relation = models.CharField(max_length=100, blank=True)
    # Set when the retention erased the content (12 months after a close without a plan).
    content_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at"]
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=True) | Q(household__isnull=True),
                                   name="care_report_one_subject"),
        ]
        indexes = [
            models.Index(fields=["municipality", "step", "received_at"],
                         name="care_report_queue"),
            models.Index(fields=["step_due_on"], condition=~Q(step="closed"),
                         name="care_report_open_due"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.step in OPEN_STEPS


class Triage(models.Model):
    """The front door's one triage of a report (one-to-one: a second triage at the same
    moment fails on the constraint)."""

    report = models.OneToOneField(CareReport, on_delete=models.CASCADE, related_name="triage")
    decision = models.CharField(max_length=20, choices=TriageDecision.choices)
    urgency_before = models.CharField(max_length=8, choices=Urgency.choices)
    urgency_after = models.CharField(max_length=8, choices=Urgency.choices)
    by = models.ForeignKey("registry.Professional", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    # Working days from the report's receipt to the triage.
    working_days = models.PositiveIntegerField(default=0)


class IntakeMeeting(models.Model):
    """One intake meeting with the family and the invited organisations (joint), or a
    single organisation's intake (recorded for comparison)."""

    report = models.ForeignKey(CareReport, on_delete=models.CASCADE, related_name="meetings")
    joint = models.BooleanField(default=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=300)  # a place or a video link
    planned_by = models.ForeignKey("registry.Professional", on_delete=models.PROTECT,
                                   related_name="+")
    planned_at = models.DateTimeField(default=timezone.now)
    held_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                   name="intake_meeting_ends_after_start"),
        ]


class Invitation(models.Model):
    """An organisation invited to a meeting (one professional of it comes)."""

    meeting = models.ForeignKey(IntakeMeeting, on_delete=models.CASCADE,
                                related_name="invitations")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT,
                                     related_name="intake_invitations")
    professional = models.ForeignKey("registry.Professional", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=InvitationStatus.choices,
                              default=InvitationStatus.INVITED)
    reason = models.TextField(blank=True)
    invited_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organisation"],
                                    condition=~Q(status="replaced"),
                                    name="invitation_one_open_per_organisation"),
        ]

    @property
    def is_open(self) -> bool:
        """Invited or accepted: the organisation takes part (declined or replaced: not)."""
        return self.status in (InvitationStatus.INVITED, InvitationStatus.ACCEPTED)


class Outcome(models.Model):
    """What the meeting decided, with the question as understood together."""

    meeting = models.OneToOneField(IntakeMeeting, on_delete=models.CASCADE,
                                   related_name="outcome")
    participants = models.ManyToManyField("registry.Professional", related_name="+")
    family_present = models.ManyToManyField("registry.Person", related_name="+", blank=True)
    question_understood = models.TextField(blank=True)
    decision = models.CharField(max_length=8, choices=OutcomeDecision.choices)
    coordinator = models.ForeignKey("registry.Professional", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    main_organisation = models.ForeignKey("registry.Organisation", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    # Specialised help named by its result, never a product.
    referral_result = models.TextField(blank=True)
    recorded_by = models.ForeignKey("registry.Professional", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)


class OutcomeGoal(models.Model):
    """A result goal named in the meeting, carried to the plan with its five levels."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=300)
    persons = models.ManyToManyField("registry.Person", related_name="+")
    levels = models.JSONField()  # {"-2": text, ..., "2": text}

    class Meta:
        ordering = ["id"]


class IntakeCapacity(models.Model):
    """An organisation's intake slots in a week (from Monday `week_start`); a week without
    a row repeats the latest earlier row."""

    organisation = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE,
                                     related_name="intake_capacity")
    week_start = models.DateField()
    slots = models.PositiveIntegerField()

    class Meta:
        ordering = ["organisation", "week_start"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "week_start"],
                                    name="intake_capacity_week"),
        ]


class Norm(models.Model):
    """A municipality's norm for a step (blank urgency: every urgency); where it has none,
    `intake.norms.DEFAULTS` apply. Steps: `received` (the triage), `triaged` (the intake,
    counted from the report), `intake_held` (help started)."""

    municipality = models.ForeignKey("registry.Municipality", on_delete=models.CASCADE,
                                     related_name="intake_norms")
    step = models.CharField(max_length=14, choices=Step.choices)
    urgency = models.CharField(max_length=8, choices=Urgency.choices, blank=True)
    days = models.PositiveSmallIntegerField()
    working = models.BooleanField(default=False)

    class Meta:
        ordering = ["municipality", "step", "urgency"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "step", "urgency"],
                                    name="intake_norm_unique"),
        ]
