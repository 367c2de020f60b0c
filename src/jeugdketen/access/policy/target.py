"""The target of a decision: the kind of data, whom it is about, and the record a rule looks at.

A `Target` is typed per kind: a signal's rule reads `target.signal`, a plan's `target.plan`,
a start `target.start` (a match or the family's consent), the administration rules a
`Scope`. Callers either set those fields, or pass the record as `record=` and the target
files it under the field its kind reads (`Target(Data.SIGNAL, record=signal)` sets
`signal`, over a field given with it); a record a kind's rules do not read is not kept.
A target has no `record` to read back: read the field (`target.signal`).

The front door's targets (`Data.CARE_REPORT`, `Data.INTAKE`) carry the report as
`report` and whom it is about as `person` (a report about a person) or `household` and
`members` (a report about a household), as the caller loaded them; a public report that
is not yet identified has neither.

Pure: no database and no other app's code (model types are named for type checking only;
a model is recognised by its `_meta.label`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import InitVar, dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from jeugdketen.core.vocabulary import Data

from .base import PLAN_DATA

if TYPE_CHECKING:
    from jeugdketen.access.models import Consent, LegalBasis
    from jeugdketen.guide.models import GuideSession
    from jeugdketen.intake.models import CareReport
    from jeugdketen.plans.models import Plan
    from jeugdketen.referral_index.models import Match, Signal
    from jeugdketen.registry.models import Household, Person


@dataclass(frozen=True)
class Scope:
    """What the administration and break-glass rules look at: the municipality a record
    (an organisation, an account, a break-the-glass record) belongs to, the roles it holds
    or is given, and whether an organisation's kind changes and to what."""

    municipality_id: str | None = None
    roles: tuple[str, ...] = ()
    kind_change: bool = False
    new_kind: str | None = None

    @classmethod
    def of(cls, record: Scope | Mapping[str, Any]) -> Scope:
        if isinstance(record, Scope):
            return record
        return cls(municipality_id=record.get("municipality_id"),
                   roles=tuple(record.get("roles") or ()),
                   kind_change=bool(record.get("kind_change")),
                   new_kind=record.get("new_kind"))


@dataclass(frozen=True)
class FamilyConsent:
    """Starting a plan on the family's consent, recorded with the start (who may give it for
    whom the action checks against the BRP: the person from 16, a custody holder under 16)."""

    given_by: tuple[str, ...]


@dataclass(frozen=True)
class IntakeStart:
    """Starting a plan on the front door's intake decision (ADR 0010): the care report it
    comes from and who of the family gave consent (recorded with the start)."""

    report_id: str
    given_by: tuple[str, ...]


@dataclass(frozen=True)
class IntakeSettingsScope:
    """What the rule for the front door's settings looks at: the municipality, and for an
    organisation's intake capacity that organisation (None: the municipality's norms)."""

    municipality_id: str
    organisation_id: int | None = None

    @classmethod
    def of(cls, record: IntakeSettingsScope | Mapping[str, Any]) -> IntakeSettingsScope:
        if isinstance(record, IntakeSettingsScope):
            return record
        return cls(municipality_id=str(record.get("municipality_id") or ""),
                   organisation_id=record.get("organisation_id"))


# What callers may pass as `record=`.
Record: TypeAlias = ("Plan | Match | Signal | Consent | LegalBasis | FamilyConsent | Scope"
                     " | GuideSession | CareReport | IntakeStart | IntakeSettingsScope"
                     " | Mapping[str, Any]")

# The front door's kinds of data: their rules read `report` (a care report).
REPORT_DATA = (Data.CARE_REPORT, Data.INTAKE)

SCOPED = (Data.ORGANISATION, Data.PROFESSIONAL, Data.BREAK_GLASS)


def _label(record: object) -> str:
    """'app.Model' for a model instance (a proxy's concrete model), else ''."""
    concrete = getattr(getattr(type(record), "_meta", None), "concrete_model", None)
    return str(concrete._meta.label) if concrete is not None else ""


def _fields_for(data: Data, record: Any) -> dict[str, Any]:
    """The typed field of this kind of target that holds `record` (none: not kept)."""
    if data is Data.SIGNAL:
        return {"signal": record}
    if data in (Data.MATCH, Data.APPOINTMENT):
        return {"match": record}
    if data is Data.GUIDE_SESSION:
        return {"session": record}
    if data in SCOPED:
        return {"scope": Scope.of(record)}
    if data in (Data.CONSENT, Data.LEGAL_BASIS):
        if _label(record) == "plans.Plan":  # consent (to be) given for this plan
            return {"plan": record}
        return {"consent": record} if data is Data.CONSENT else {"legal_basis": record}
    if data in PLAN_DATA:
        if _label(record) == "plans.Plan":
            return {"plan": record}
        if (isinstance(record, FamilyConsent | IntakeStart)
                or _label(record) == "referral_index.Match"):
            return {"start": record}
    if data in REPORT_DATA and _label(record) == "intake.CareReport":
        return {"report": record}
    if data is Data.INTAKE_SETTINGS and isinstance(record, IntakeSettingsScope | Mapping):
        return {"intake_settings": IntakeSettingsScope.of(record)}
    return {}


@dataclass(frozen=True)
class Target:
    """The record: its kind, the person or household it is about (if any), and per kind the
    record its rules look at."""

    data: Data
    person: Person | None = None
    household: Household | None = None
    members: tuple[Person, ...] = ()
    object_id: str = ""
    # Any record, filed under its kind's field below (see the module's docstring).
    record: InitVar[Record | None] = None
    plan: Plan | None = None  # plan data; a consent given for this plan
    start: Match | FamilyConsent | IntakeStart | None = None  # creating a plan: from what
    signal: Signal | None = None
    match: Match | None = None  # a match, an appointment in it
    consent: Consent | None = None
    legal_basis: LegalBasis | None = None
    session: GuideSession | None = None  # a decision-aid session
    scope: Scope | None = None  # organisations, professionals, break-the-glass records
    # The front door: the care report (of a report, its triage, outcome, meetings and
    # invitations; for CREATE the report about to be saved); the settings' scope.
    report: CareReport | None = None
    intake_settings: IntakeSettingsScope | None = None

    def __post_init__(self, record: Record | None) -> None:
        if record is not None:
            for name, value in _fields_for(self.data, record).items():
                object.__setattr__(self, name, value)

    @property
    def client_id(self) -> str:
        return str(self.person.pk) if self.person is not None else ""
