"""Accounts, API tokens and the NEN 7513 access log.

The access log is append-only (the ORM refuses updates and deletes, and database triggers
refuse them too) and tamper-evident: records are hash-chained per shard, so concurrent
writers each extend their own chain instead of queueing for one head (see
docs/architecture.md, "Access log").
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jeugdketen.core.append_only import AppendOnlyModel


class User(AbstractUser):
    """A login: a professional (see registry.Professional) or a citizen linked to a person."""

    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="citizen_accounts",
        help_text=_("Voor burgers: de persoon van wie dit het account is."),
    )


def hash_token(raw: str) -> str:
    # API tokens are 256-bit random values: a fast hash is enough and keeps requests fast.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    PREFIX = "jk_"

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ActivationCode(models.Model):
    """A one-time code an administrator hands out, without which nobody can link an
    authenticator app to an account: a stolen password alone cannot bind the thief's app.
    Random (80 bits), stored as a SHA-256 digest, bound to one user, used once, expiring.
    A new code revokes the open one; enrolling with it replaces the user's old device."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_codes")
    digest = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")  # empty: the operator (command line)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["user"], condition=models.Q(used_at__isnull=True, revoked_at__isnull=True),
            name="activationcode_one_open_per_user")]


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("toegestaan")
    DENIED = "denied", _("geweigerd")
    # Allowed by the policy, then refused by a domain rule (e.g. a second open plan): the
    # action's work was rolled back and the attempt logged again with the rule as reason.
    REFUSED = "refused", _("afgewezen door een regel")


class AccessLogShard(models.Model):
    """The head of one hash chain of the access log. Writers lock one free head each."""

    shard = models.PositiveSmallIntegerField(primary_key=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)


class AccessLogRecord(AppendOnlyModel):
    """One NEN 7513 record: who did what to whose data, when, from where, on what ground."""

    shard = models.PositiveSmallIntegerField()
    seq = models.BigIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # 2: the hash covers every stored field (HASHED_FIELDS, the id included). Empty: a record
    # written before migration 0006, hashed over HASHED_FIELDS_V1 (no id); verify accepts
    # those only before the first version-2 record of their chain.
    hash_version = models.SmallIntegerField(null=True, blank=True)

    at = models.DateTimeField()
    # Looked up with `at` (accesslog_client_at); no index of its own (core/indexes.py).
    client_id = models.CharField(max_length=64, blank=True)
    user_id = models.BigIntegerField(null=True)
    username = models.CharField(max_length=150, blank=True)
    on_behalf_of = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=120, blank=True)
    organisation_id = models.BigIntegerField(null=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    ip = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    channel = models.CharField(max_length=20)
    token_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=20)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.CharField(max_length=100, blank=True)
    ground = models.CharField(max_length=40, blank=True)
    emergency = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)

    HASHED_FIELDS_V1: ClassVar[tuple[str, ...]] = (
        "shard", "seq", "prev_hash", "at", "client_id", "user_id", "username",
        "on_behalf_of", "role", "organisation_id", "organisation_name", "ip", "user_agent",
        "channel", "token_id", "action", "object_type", "object_id", "data", "ground",
        "emergency", "reason", "outcome",
    )
    # Every stored field but the hash itself (a test keeps it so when a field is added).
    HASHED_FIELDS: ClassVar[tuple[str, ...]] = ("id", "hash_version", *HASHED_FIELDS_V1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shard", "seq"], name="accesslog_shard_seq")]
        indexes = [
            models.Index(fields=["client_id", "at"], name="accesslog_client_at"),
            models.Index(fields=["emergency", "at"], name="accesslog_emergency_at",
                         condition=models.Q(emergency=True)),
        ]


class BreakGlassReview(models.Model):
    """The privacy officer's verdict on one emergency access (the log record stays as it is)."""

    record = models.OneToOneField(AccessLogRecord, on_delete=models.PROTECT, related_name="review")
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT)
    reviewed_at = models.DateTimeField(default=timezone.now)
    justified = models.BooleanField()
    note = models.TextField(blank=True)


class AuditAnchor(AppendOnlyModel):
    """An anchor over all chain heads, itself chained (prev_root); its root hash can be
    published. Taken automatically by the writers (see audit.anchor_if_due) and by
    `jeugdketen audit anchor`."""

    at = models.DateTimeField(default=timezone.now)
    heads = models.JSONField()  # {"shard": [last_seq, last_hash]} for every chain head
    prev_root = models.CharField(max_length=64)
    root = models.CharField(max_length=64)
    # 2: the root covers version, prev_root, at, records and heads. Empty: an anchor made
    # before migration 0006, whose root covers prev_root and heads only.
    version = models.SmallIntegerField(null=True, blank=True)
    records = models.BigIntegerField(null=True, blank=True)  # the sum of the heads' seqs

    class Meta:
        constraints = [
            # One successor per anchor: two processes can never fork the chain. (Partial,
            # so that SQLite adds it as an index instead of rebuilding the append-only
            # table, and so that anchors of the old kind are left as they were.)
            models.UniqueConstraint(fields=["prev_root"], condition=models.Q(version__isnull=False),
                                    name="auditanchor_one_successor"),
        ]


class DataCategory(models.TextChoices):
    """What a consent covers (issue 4): the family decides per category."""

    BASE_DATA = "base_data", _("basisgegevens")
    ANALYSIS = "analysis", _("analyse")
    PLAN = "plan", _("plan")
    EVALUATIONS = "evaluations", _("evaluaties")
    # The front door (issue 11): per person and organisation, with `plan` null.
    INTAKE = "intake", _("intake")


class Consent(models.Model):
    """Consent of (or for) one person for one organisation to see named categories of that
    person's data in one family plan. Given by the person from 16, by a custody holder (BRP)
    under 12, by both from 12 to 15. Withdrawal takes effect at once and is never undone: a
    new consent is a new record. The plan's coordinator sees the consents of that plan only,
    never the family's other relationships."""

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="consents")
    plan = models.ForeignKey("plans.Plan", null=True, on_delete=models.PROTECT,
                             related_name="consents")
    given_by = models.ManyToManyField("registry.Person", related_name="consents_given")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT,
                                     related_name="consents")
    categories = models.JSONField()  # a list of DataCategory values
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)  # empty: until withdrawn
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        indexes = [models.Index(fields=["person", "organisation"], name="consent_person_org")]

    def in_force(self, day: Any) -> bool:
        return (self.withdrawn_at is None and self.valid_from <= day
                and (self.valid_until is None or day <= self.valid_until))


class LegalBasisKind(models.TextChoices):
    CHILD_PROTECTION = "child_protection", _("kinderbeschermingsmaatregel")
    YOUTH_PROBATION = "youth_probation", _("jeugdreclassering")
    VEILIG_THUIS = "veilig_thuis", _("wettelijke taak Veilig Thuis")
    COURT_ORDER = "court_order", _("rechterlijke uitspraak")


class LegalBasis(models.Model):
    """A statutory ground that stands in for consent (for every category) while it lasts:
    a child-protection measure, youth probation, Veilig Thuis' statutory task. Shown to the
    family with its reference and end date."""

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE,
                               related_name="legal_bases")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT,
                                     related_name="legal_bases")
    kind = models.CharField(max_length=20, choices=LegalBasisKind.choices)
    reference = models.CharField(max_length=100)
    valid_from = models.DateField()
    valid_until = models.DateField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "organisation"], name="legalbasis_person_org")]

    def in_force(self, day: Any) -> bool:
        return self.ended_at is None and self.valid_from <= day <= self.valid_until
