"""The reference index of at-risk youth (Verwijsindex, Jeugdwet 7.1.4).

A signal holds ONLY the youth, the organisation, the contact professional with phone and
e-mail, the registration date and the duration. There is no field for the nature of the
problem anywhere: not here, not in the API, the UI or the chain event attributes.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_DURATION_DAYS = 730
ARCHIVE_YEARS = 5
LAST_AGE = 23  # the index covers youth up to the 23rd birthday


class SignalStatus(models.TextChoices):
    ACTIVE = "active", _("actief")
    ENDED = "ended", _("beëindigd")
    ARCHIVED = "archived", _("gearchiveerd")


class EndReason(models.TextChoices):
    UNJUSTIFIED = "unjustified", _("ten onrechte gemeld")
    RISK_GONE = "risk_gone", _("risico is weg")
    EXPIRED = "expired", _("looptijd verstreken")
    AGE = "age_23", _("23ste verjaardag")
    DEATH = "death", _("overlijden")


class Signal(models.Model):
    # Looked up through signal_person_status (person, status): no index of its own.
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="signals",
                               db_index=False)
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT,
                                     related_name="signals")
    contact = models.ForeignKey("registry.Professional", on_delete=models.PROTECT,
                                related_name="signals")
    contact_phone = models.CharField(max_length=20)
    contact_email = models.EmailField()
    registered_on = models.DateField()
    duration_days = models.PositiveSmallIntegerField()
    expires_on = models.DateField()
    status = models.CharField(max_length=10, choices=SignalStatus.choices,
                              default=SignalStatus.ACTIVE)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, choices=EndReason.choices, blank=True)
    archived_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"],
                                    condition=Q(status="active"),
                                    name="one_active_signal_per_organisation"),
            models.CheckConstraint(condition=Q(duration_days__gte=1, duration_days__lte=MAX_DURATION_DAYS),
                                   name="signal_duration_range"),
        ]
        indexes = [
            models.Index(fields=["status", "expires_on"], name="signal_status_expires"),
            models.Index(fields=["person", "status"], name="signal_person_status"),
        ]


class MatchKind(models.TextChoices):
    CLIENT = "client", _("cliëntmatch")
    FAMILY = "family", _("gezinsmatch")
    ADDRESS = "address", _("adresmatch")


class MatchStatus(models.TextChoices):
    OPEN = "open", _("regievoerder nog niet afgesproken")
    COORDINATED = "coordinated", _("regievoerder afgesproken")
    CLOSED = "closed", _("afgesloten")


class Match(models.Model):
    kind = models.CharField(max_length=10, choices=MatchKind.choices)
    # What the signals share: the youth (client), a parent (family) or an address. A key,
    # never shown: one open match per key (unique), so concurrent signals join one match.
    subject_key = models.CharField(max_length=80)
    municipality = models.ForeignKey("registry.Municipality", null=True,
                                     on_delete=models.SET_NULL)
    signals = models.ManyToManyField(Signal, related_name="matches")
    status = models.CharField(max_length=12, choices=MatchStatus.choices,
                              default=MatchStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    coordinator_due = models.DateField()
    proposed_coordinator = models.ForeignKey("registry.Professional", null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="+")
    proposed_by = models.ForeignKey("registry.Professional", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(null=True, blank=True)
    coordinator = models.ForeignKey("registry.Professional", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="coordinated_matches")
    agreed_at = models.DateTimeField(null=True, blank=True)
    appointed_by_municipality = models.BooleanField(default=False)
    signals_aligned = models.BooleanField(null=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_key"], condition=~Q(status="closed"),
                                    name="one_open_match_per_subject"),
        ]

    def coordinator_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == MatchStatus.OPEN and today > self.coordinator_due


class MessageKind(models.TextChoices):
    INDEX = "index", _("verwijsindex")
    PLAN_APPROVED = "plan_approved", _("plan goedgekeurd door het gezin")
    PLAN_COMMENTED = "plan_commented", _("reactie van het gezin")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("toestemming ingetrokken")
    TEAM_JOINED = "team_joined", _("aangesloten bij een team")
    TEAM_LEFT = "team_left", _("uit een team")
    HANDOVER = "handover", _("wisseling van regisseur")
    EVALUATION_DUE = "evaluation_due", _("evaluatie nodig")


class Message(models.Model):
    """The platform inbox: messages of the reference index and of family plans. A message
    holds contact details and what the recipient may already see, nothing else (never the
    content of a plan)."""

    recipient = models.ForeignKey("registry.Professional", on_delete=models.CASCADE,
                                  related_name="messages")
    kind = models.CharField(max_length=20, choices=MessageKind.choices,
                            default=MessageKind.INDEX)
    match = models.ForeignKey(Match, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="messages")
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="messages")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="message_recipient_unread")]


class RightsKind(models.TextChoices):
    INSPECTION = "inspection", _("inzage")
    CORRECTION = "correction", _("correctie")
    COPY = "copy", _("kopie")
    OBJECTION = "objection", _("bezwaar")


class RightsRequest(models.Model):
    """A request of the youth or parents; the municipality answers within four weeks."""

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE,
                               related_name="rights_requests")
    kind = models.CharField(max_length=12, choices=RightsKind.choices)
    requested_by = models.CharField(max_length=200)
    received_on = models.DateField()
    due_on = models.DateField()
    outcome = models.TextField(blank=True)
    granted = models.BooleanField(null=True)
    answered_on = models.DateField(null=True, blank=True)
    handled_by = models.ForeignKey("registry.Professional", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
