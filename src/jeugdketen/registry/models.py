"""The client registry: places, organisations, professionals, persons and households.

A family is entered once. Persons carry a random UUID as id and a random pseudonym for
the chain event log, so neither an id nor an event reveals a BSN or whether a BSN was
known before.

Where facts come from (docs/architecture.md, "Facts and grounds"): a person with a BSN is
verified in the BRP, and their name, birth date, sex, address, death, parents and custody
are the BRP's (kept only as far as the platform needs them, refreshed on every
registration and by `jeugdketen brp refresh`). A youth without a BSN is what the
professional entered; such a person's relations grant nobody any right.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    code = models.CharField(max_length=6, primary_key=True)  # GMnnnn
    name = models.CharField(max_length=100)
    # Reference index: whether same-address signals match (issue 3); kept here with the
    # municipality's other choices.
    address_match = models.BooleanField(default=True)
    # Working days the involved professionals have to agree on a coordinator.
    coordinator_days = models.PositiveSmallIntegerField(default=10)
    # The shortest duration of a signal: short-lived signals would let a professional probe
    # the index for matches (issue 8, finding 3).
    min_signal_days = models.PositiveSmallIntegerField(default=90)
    # On CBS's yearly list of municipalities (data/gemeenten-JJJJ.csv, `jeugdketen
    # load_municipalities`). Only a listed municipality is ended by a later list that lacks
    # it; one that is not listed (the demo's Voorbeeldstad, a test's) is left alone.
    listed = models.BooleanField(default=False)
    # The day a municipality ceased to exist (merged into another, herindeling). Its rows
    # stay: organisations, districts and the history that refer to it.
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class District(models.Model):
    code = models.CharField(max_length=8, primary_key=True)  # WKnnnnnn
    name = models.CharField(max_length=100)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="districts")

    def __str__(self) -> str:
        return self.name


class Neighbourhood(models.Model):
    code = models.CharField(max_length=10, primary_key=True)  # BUnnnnnnnn
    name = models.CharField(max_length=100)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="neighbourhoods")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PostcodeAddress(models.Model):
    """CBS's postcode + house number to neighbourhood table."""

    postcode = models.CharField(max_length=6)
    house_number = models.PositiveIntegerField()
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["postcode", "house_number"], name="postcode_house_number")
        ]


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", _("School")
    YOUTH_HEALTH_CARE = "youth_health_care", _("Jeugdgezondheidszorg")
    NEIGHBOURHOOD_TEAM = "neighbourhood_team", _("Wijkteam")
    YOUTH_CARE_PROVIDER = "youth_care_provider", _("Jeugdhulpaanbieder")
    MENTAL_HEALTH_CARE = "mental_health_care", _("Geestelijke gezondheidszorg")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    POLICE = "police", _("Politie")
    GP = "gp", _("Huisarts")
    MUNICIPALITY = "municipality", _("Gemeente")
    CERTIFIED_INSTITUTION = "certified_institution", _("Gecertificeerde instelling")


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="organisations")
    may_signal = models.BooleanField(default=False)
    may_coordinate = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # A deactivated organisation no longer signals or coordinates and its accounts cannot
    # log in; its records stay (the law keeps them), so it is never deleted.
    active = models.BooleanField(default=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="organisation_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    COORDINATOR = "coordinator", _("Regisseur")
    PRIVACY_OFFICER = "privacy_officer", _("Privacyfunctionaris")
    MUNICIPAL_ANALYST = "municipal_analyst", _("Gemeentelijk analist")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functioneel beheerder")
    PLATFORM_ADMIN = "platform_admin", _("Platformbeheerder")
    FRONT_DOOR = "front_door", _("Voordeur")


class Professional(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="professional")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="professionals")
    full_name = models.CharField(max_length=200)
    email = models.EmailField()
    phone = models.CharField(max_length=20, blank=True)
    roles = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.full_name} ({self.organisation})"

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


class Sex(models.TextChoices):
    # The BRP codes.
    M = "M", _("man")
    V = "V", _("vrouw")
    O = "O", _("onbekend")  # noqa: E741


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    bsn = models.CharField(max_length=9, unique=True, null=True, blank=True)
    # For youth without a BSN: a platform identifier instead (never both empty).
    system_id = models.CharField(max_length=20, unique=True, null=True, blank=True)
    pseudonym = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_names = models.CharField(max_length=200)
    family_name = models.CharField(max_length=200)
    birth_date = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    date_of_death = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=6, blank=True)
    house_number = models.PositiveIntegerField(null=True, blank=True)
    house_letter = models.CharField(max_length=1, blank=True)
    house_number_addition = models.CharField(max_length=4, blank=True)
    neighbourhood = models.ForeignKey(Neighbourhood, null=True, blank=True, on_delete=models.SET_NULL)
    # A well-formed postcode the table does not know: accepted, neighbourhood left empty.
    neighbourhood_unknown = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # When the BRP last confirmed these base data (empty for a youth without a BSN, whose
    # data are as entered). Only a verified address takes part in the address match.
    brp_verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bsn__isnull=False) | models.Q(system_id__isnull=False),
                name="person_has_identifier",
            )
        ]
        # The reference index's address match looks persons up by address on every signal.
        indexes = [models.Index(fields=["postcode", "house_number"], name="person_address")]

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name}"

    @property
    def identifier(self) -> str:
        return self.bsn or self.system_id or ""

    @property
    def verified(self) -> bool:
        return self.brp_verified_at is not None

    @property
    def house(self) -> str:
        """The house number as written: 70A, 12-2, 7 B-1."""
        if self.house_number is None:
            return ""
        text = f"{self.house_number}{self.house_letter}"
        return f"{text}-{self.house_number_addition}" if self.house_number_addition else text

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class Registration(models.Model):
    """A professional entered (or re-entered) this person: the ground for reading base data."""

    # Looked up through registration_unique (person, professional): no index of its own.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="registrations",
                               db_index=False)
    professional = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="registrations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "professional"], name="registration_unique")
        ]


class Kinship(models.Model):
    """A fact from the BRP about a child: this BSN is a parent of the child (ouders), holds
    custody of the child (gezag), or both. Replaced as a whole whenever the child's BRP
    record is read. Only custody gives a parent a right (domain.md section 6)."""

    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="kin")
    relative_bsn = models.CharField(max_length=9)
    is_parent = models.BooleanField(default=False)
    has_custody = models.BooleanField(default=False)
    custody_type = models.CharField(max_length=30, blank=True)  # the BRP API's gezag type

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "relative_bsn"], name="kinship_unique")
        ]
        indexes = [models.Index(fields=["relative_bsn"], name="kinship_relative")]


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACCEPTED = "accepted", _("doorgegeven aan de BRP")
    REJECTED = "rejected", _("afgewezen")


class CorrectionProposal(models.Model):
    """A report back to the BRP (terugmelding): a professional entered base data that differ
    from the BRP's. The platform never overwrites BRP data; the municipality's functional
    administrator passes a well-founded report on to the BRP, or rejects it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="corrections")
    proposed_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField()  # {field: {"current": ..., "proposed": ...}}
    status = models.CharField(max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(Professional, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)


class Relation(models.TextChoices):
    """A member's place in a household, derived from the BRP for persons with a BSN: a
    parent of a child in the household, a custody holder who is not a parent (carer), a
    child of a parent or carer in it, or someone else living at the same BRP address."""

    PARENT = "parent", _("ouder")
    CARER = "carer", _("gezaghebbende")
    CHILD = "child", _("kind")
    HOUSEMATE = "housemate", _("huisgenoot")


class Household(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(Professional, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    relation = models.CharField(max_length=10, choices=Relation.choices)
    # True when the BRP confirms the relation; a youth without a BSN is placed as entered,
    # which grants nobody any right.
    brp_verified = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "person"], name="household_member_unique")
        ]
