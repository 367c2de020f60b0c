"""The access policy: may this actor do this action to this record, and on what ground?

Deny by default. `decide` is a pure question: it reads, never writes. Every answer is
logged by `jeugdketen.access.audit.authorize`, which actions call. The table-driven test
in tests/test_policy_table.py proves every role x action x ground, allowed and denied.

Grounds in this version:
- registration: the professional entered this person (base data only);
- emergency: break-the-glass with a written reason, flagged for the privacy officer;
- self / parent: a person sees their own data, a parent or carer that of a child under 16;
- privacy_supervision: the privacy officer sees access logs (never case content);
- data_management: a functional administrator decides an open correction proposal;
- administration: platform administrators manage organisations and professionals; a
  functional administrator only within their own municipality and never with privileged
  roles (privacy officer, administrators);
- own_organisation: a professional's own organisation's records (its signals, its
  decision-aid sessions);
- match: a professional whose own signal is in a match sees that match (contact data only);
- municipal_oversight: the municipality's coordinator sees and settles a match whose
  coordinator agreement is overdue;
- retention: the nightly retention run (the operator) ends, archives and destroys index
  data as the law requires;
- plan_coordinator: the coordinator (regisseur) of a family's plan: the plan, its
  analyses and evaluations, the household's base data, and recording consent;
- consent: a member of the plan's care team whose organisation holds the consent of (or
  for) the person, for the categories consented, valid today and not withdrawn;
- legal_basis: as consent, on a statutory ground (a child-protection measure, Veilig
  Thuis' statutory task) recorded with its reference and end date;
- family: a member of the household from 16 sees and co-owns the family's plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from jeugdketen.registry.models import Household, Person, Professional

MIN_EMERGENCY_REASON = 20
PARENT_SEES_UNTIL_AGE = 16


class Action(StrEnum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"
    PRINT = "print"


class Data(StrEnum):
    """What kind of record the action touches."""

    BASE_DATA = "base_data"
    HOUSEHOLD = "household"
    ACCESS_LOG = "access_log"
    BREAK_GLASS = "break_glass"
    CORRECTION = "correction"
    ORGANISATION = "organisation"
    PROFESSIONAL = "professional"
    SIGNAL = "signal"
    MATCH = "match"
    GUIDE_SESSION = "guide_session"
    RIGHTS_REQUEST = "rights_request"
    PLAN = "plan"
    TEAM = "team"
    APPROVAL = "approval"
    COMMENT = "comment"
    ANALYSIS = "analysis"
    EVALUATION = "evaluation"
    CONSENT = "consent"
    LEGAL_BASIS = "legal_basis"


class Ground(StrEnum):
    REGISTRATION = "registration"
    EMERGENCY = "emergency"
    SELF = "self"
    PARENT = "parent"
    PRIVACY_SUPERVISION = "privacy_supervision"
    DATA_MANAGEMENT = "data_management"
    ADMINISTRATION = "administration"
    OWN_ORGANISATION = "own_organisation"
    MATCH = "match"
    MUNICIPAL_OVERSIGHT = "municipal_oversight"
    RETENTION = "retention"
    PLAN_COORDINATOR = "plan_coordinator"
    CONSENT = "consent"
    LEGAL_BASIS = "legal_basis"
    FAMILY = "family"


CARE_ROLES = ("professional", "coordinator")
ADMIN_ROLES = ("platform_admin", "functional_admin")
PRIVILEGED_ROLES = {"privacy_officer", "functional_admin", "platform_admin"}


@dataclass(frozen=True)
class AccessPoint:
    ip: str = ""
    user_agent: str = ""
    channel: str = "system"  # session, api-token, command, system
    token_id: int | None = None


@dataclass(frozen=True)
class Actor:
    """Who asks: a professional, a citizen, or the platform itself (commands, retention)."""

    user: Any = None
    professional: Professional | None = None
    person: Person | None = None  # a citizen's own person
    access_point: AccessPoint = field(default_factory=AccessPoint)
    on_behalf_of: str = ""
    emergency_reason: str = ""
    # The operator at the server's command line (createadmin, demo): a platform admin.
    operator: bool = False

    @property
    def roles(self) -> tuple[str, ...]:
        if self.operator:
            return ("platform_admin",)
        if self.professional is not None:
            return tuple(self.professional.roles)
        if getattr(self.user, "is_superuser", False):
            return ("platform_admin",)  # created with `jeugdketen createadmin`
        if self.person is not None:
            return ("citizen",)
        return ()

    @property
    def username(self) -> str:
        return getattr(self.user, "username", "") or ("operator" if self.operator else "")

    def with_emergency(self, reason: str) -> Actor:
        return Actor(self.user, self.professional, self.person, self.access_point,
                     self.on_behalf_of, reason.strip(), self.operator)


@dataclass(frozen=True)
class Target:
    """The record: its kind, and the person or household it is about (if any)."""

    data: Data
    person: Person | None = None
    household: Household | None = None
    members: tuple[Person, ...] = ()
    object_id: str = ""
    # The record itself where a rule depends on it (a signal's or session's organisation,
    # a match's signals).
    record: Any = None

    @property
    def client_id(self) -> str:
        return str(self.person.pk) if self.person is not None else ""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    ground: str = ""
    role: str = ""
    emergency: bool = False
    reason: str = ""

    @classmethod
    def deny(cls, why: str) -> Decision:
        return cls(False, reason=why)


def _first_role(actor: Actor, roles: tuple[str, ...]) -> str:
    return next((r for r in actor.roles if r in roles), "")


def _registered(actor: Actor, person: Person) -> bool:
    from jeugdketen.registry.models import Registration

    if actor.professional is None or person.pk is None:
        return False
    if getattr(person, "jk_registered_for", None) == actor.professional.pk:
        return bool(person.jk_registered)  # type: ignore[attr-defined]  # loaded with the person
    return Registration.objects.filter(person=person, professional=actor.professional).exists()


def _citizen_ground(actor: Actor, person: Person, today: date) -> Ground | None:
    from jeugdketen.registry.models import HouseholdMember

    if actor.person is None:
        return None
    if actor.person.pk == person.pk:
        return Ground.SELF
    if person.age_on(today) >= PARENT_SEES_UNTIL_AGE:
        return None
    households = HouseholdMember.objects.filter(
        person=actor.person, relation__in=("parent", "carer")
    ).values("household")
    is_parent = HouseholdMember.objects.filter(
        household__in=households, person=person, relation="child"
    ).exists()
    return Ground.PARENT if is_parent else None


def _municipality_of(actor: Actor) -> str | None:
    prof = actor.professional
    return prof.organisation.municipality_id if prof is not None else None


def _person_municipalities(person: Person) -> set[str]:
    """Where a person belongs: their neighbourhood's municipality, and the municipalities
    of the organisations that entered them (for persons without a known address)."""
    from jeugdketen.registry.models import Neighbourhood, Registration

    found = set(Registration.objects.filter(person_id=person.pk)
                .values_list("organisation__municipality_id", flat=True))
    if person.neighbourhood_id:
        found |= set(Neighbourhood.objects.filter(pk=person.neighbourhood_id)
                     .values_list("district__municipality_id", flat=True))
    return found


def _supervises(actor: Actor, person: Person | None) -> bool:
    """The privacy officer supervises the persons of their own municipality only."""
    if "privacy_officer" not in actor.roles or person is None:
        return False
    own = _municipality_of(actor)
    return own is not None and own in _person_municipalities(person)


def _open_correction(person: Person) -> bool:
    return person.corrections.filter(status="open").exists()


def decide(actor: Actor, action: Action, target: Target) -> Decision:
    """Answer the one question. Deny by default: every rule below is an explicit allow."""
    today = timezone.localdate()
    care_role = _first_role(actor, CARE_ROLES)
    admin_role = _first_role(actor, ADMIN_ROLES)

    if target.data is Data.BASE_DATA:
        person = target.person
        if action is Action.CREATE:
            if care_role:
                return Decision(True, Ground.REGISTRATION, care_role)
            return Decision.deny("only professionals and coordinators register persons")
        if person is None:
            return Decision.deny("no person")
        if action in (Action.READ, Action.PRINT):
            citizen = _citizen_ground(actor, person, today)
            if citizen is not None:
                return Decision(True, citizen, "citizen")
            if care_role and _registered(actor, person):
                return Decision(True, Ground.REGISTRATION, care_role)
            if care_role:
                plan_ground = _plan_ground_for_person(actor, person, "base_data", today)
                if plan_ground is not None:
                    return Decision(True, plan_ground, care_role)
            # A written reason: whitespace around it (or instead of it) does not count.
            reason = (actor.emergency_reason or "").strip()
            if care_role and len(reason) >= MIN_EMERGENCY_REASON:
                return Decision(True, Ground.EMERGENCY, care_role, emergency=True,
                                reason=reason)
            if "functional_admin" in actor.roles and _open_correction(person):
                return Decision(True, Ground.DATA_MANAGEMENT, "functional_admin")
            return Decision.deny("no ground to read this person's base data")
        if action is Action.UPDATE:
            if care_role and _registered(actor, person):
                return Decision(True, Ground.REGISTRATION, care_role)
            return Decision.deny("only a professional who registered the person proposes a correction")
        return Decision.deny(f"{action} of base data is not allowed")

    if target.data is Data.CORRECTION:
        person = target.person
        if (action in (Action.READ, Action.UPDATE) and person is not None
                and "functional_admin" in actor.roles and _open_correction(person)):
            return Decision(True, Ground.DATA_MANAGEMENT, "functional_admin")
        return Decision.deny("correction proposals are decided by a functional administrator")

    if target.data is Data.HOUSEHOLD:
        members = target.members
        if action in (Action.CREATE, Action.READ):
            if care_role and members and all(_registered(actor, m) for m in members):
                return Decision(True, Ground.REGISTRATION, care_role)
            if action is Action.READ and care_role and target.household is not None:
                plan_ground = _plan_ground_for_household(actor, target.household, members, today)
                if plan_ground is not None:
                    return Decision(True, plan_ground, care_role)
            if action is Action.READ and actor.person is not None and any(
                m.pk == actor.person.pk for m in members
            ):
                return Decision(True, Ground.SELF, "citizen")
            return Decision.deny("a household needs a ground for every member")
        return Decision.deny(f"{action} of a household is not allowed")

    if target.data is Data.ACCESS_LOG:
        person = target.person
        if action in (Action.READ, Action.EXPORT, Action.PRINT) and person is not None:
            if _supervises(actor, person):
                return Decision(True, Ground.PRIVACY_SUPERVISION, "privacy_officer")
            citizen = _citizen_ground(actor, person, today)
            if citizen is not None and action is not Action.EXPORT:
                return Decision(True, citizen, "citizen")
        return Decision.deny("access logs are for the privacy officer and the person")

    if target.data is Data.BREAK_GLASS:
        # The list is filtered to the officer's municipality by the action; one record
        # (target.record) must come from an organisation of that municipality.
        record = target.record
        own = _municipality_of(actor)
        if (action in (Action.READ, Action.UPDATE) and "privacy_officer" in actor.roles
                and own is not None
                and (record is None or record.get("municipality_id") == own)):
            return Decision(True, Ground.PRIVACY_SUPERVISION, "privacy_officer")
        return Decision.deny("break-the-glass review is for the privacy officer of the municipality")

    if target.data in (Data.ORGANISATION, Data.PROFESSIONAL):
        if action not in (Action.CREATE, Action.READ, Action.UPDATE) or not admin_role:
            return Decision.deny("organisations and professionals are managed by administrators")
        if "platform_admin" in actor.roles:
            return Decision(True, Ground.ADMINISTRATION, "platform_admin")
        # A functional administrator: only within their own municipality, and never handing
        # out the privileged roles (or a token for someone else, which skips 2FA).
        record = target.record or {}
        own = _municipality_of(actor)
        if (own is not None and record.get("municipality_id") == own
                and not PRIVILEGED_ROLES & set(record.get("roles", ()))):
            return Decision(True, Ground.ADMINISTRATION, "functional_admin")
        return Decision.deny("a functional administrator manages their own municipality only, "
                             "without privileged roles")

    if target.data is Data.SIGNAL:
        return _signal(actor, action, target, care_role)
    if target.data is Data.MATCH:
        return _match(actor, action, target, care_role)
    if target.data is Data.GUIDE_SESSION:
        own_session = actor.professional is not None and (
            target.record is None
            or target.record.organisation_id == actor.professional.organisation_id)
        if care_role and action in (Action.CREATE, Action.READ, Action.PRINT) and own_session:
            if target.person is not None and not _registered(actor, target.person):
                return Decision.deny("a decision aid about a person needs a ground for that person")
            return Decision(True, Ground.OWN_ORGANISATION, care_role)
        return Decision.deny("decision-aid answers stay in the professional's own organisation")
    if target.data in PLAN_DATA:
        return _plan(actor, action, target, care_role, today)
    if target.data in (Data.CONSENT, Data.LEGAL_BASIS):
        return _consent(actor, action, target, care_role, today)
    if target.data is Data.RIGHTS_REQUEST:
        if action in (Action.CREATE, Action.READ, Action.UPDATE, Action.EXPORT, Action.PRINT) \
                and _supervises(actor, target.person):
            return Decision(True, Ground.PRIVACY_SUPERVISION, "privacy_officer")
        return Decision.deny("rights requests are handled by the privacy officer")

    return Decision.deny("unknown record kind")


def _signal(actor: Actor, action: Action, target: Target, care_role: str) -> Decision:
    prof = actor.professional
    if actor.operator and action in (Action.UPDATE, Action.DELETE) and target.record is not None:
        # The nightly retention run: the law ends, archives and destroys index data.
        return Decision(True, Ground.RETENTION, "platform_admin")
    if action is Action.CREATE:
        if not care_role or prof is None or target.person is None:
            return Decision.deny("only professionals register signals")
        if not prof.organisation.may_signal:
            return Decision.deny("the organisation is not authorised to register signals")
        if not _registered(actor, target.person):
            return Decision.deny("a signal needs the youth entered in the registry by you")
        return Decision(True, Ground.REGISTRATION, care_role)
    signal = target.record
    if action in (Action.READ, Action.UPDATE) and care_role and prof is not None \
            and signal is not None and signal.organisation_id == prof.organisation_id \
            and signal.status == "active" and signal.expires_on > timezone.localdate():
        return Decision(True, Ground.OWN_ORGANISATION, care_role)
    if action in (Action.READ, Action.EXPORT, Action.PRINT) and _supervises(actor, target.person):
        return Decision(True, Ground.PRIVACY_SUPERVISION, "privacy_officer")
    return Decision.deny("signals are seen by their own organisation and the privacy officer")


def _match(actor: Actor, action: Action, target: Target, care_role: str) -> Decision:
    match = target.record
    prof = actor.professional
    if match is None or prof is None or action not in (Action.READ, Action.UPDATE):
        return Decision.deny("matches are seen only by the professionals involved")
    if care_role and match.signals.filter(contact_id=prof.pk, status="active",
                                          expires_on__gt=timezone.localdate()).exists():
        return Decision(True, Ground.MATCH, care_role)
    if ("coordinator" in actor.roles and prof.organisation.kind == "municipality"
            and match.municipality_id == prof.organisation.municipality_id
            and match.coordinator_overdue()):
        return Decision(True, Ground.MUNICIPAL_OVERSIGHT, "coordinator")
    return Decision.deny("matches are seen only by the professionals involved")


# --- one family, one plan (issue 4) ---------------------------------------------------

PLAN_DATA = (Data.PLAN, Data.TEAM, Data.APPROVAL, Data.COMMENT, Data.ANALYSIS, Data.EVALUATION)
# Which consent category opens which kind of plan data for a care-team member.
CATEGORY_OF = {Data.PLAN: "plan", Data.COMMENT: "plan", Data.APPROVAL: "plan",
               Data.TEAM: "plan", Data.EVALUATION: "evaluations", Data.ANALYSIS: "analysis",
               Data.BASE_DATA: "base_data", Data.HOUSEHOLD: "base_data"}


def care_grounds(organisation_id: int, person_ids: list[Any], category: str,
                 today: date) -> dict[str, Ground]:
    """Per person: the organisation's ground for this category of data today (a legal basis
    first, else consent). Persons without one are left out. Two queries."""
    from jeugdketen.access.models import Consent, LegalBasis

    found: dict[str, Ground] = {}
    ids = [str(p) for p in person_ids]
    for consent in Consent.objects.filter(
            person_id__in=ids, organisation_id=organisation_id, withdrawn_at__isnull=True,
            valid_from__lte=today).only("person_id", "categories", "valid_from",
                                        "valid_until", "withdrawn_at"):
        if consent.in_force(today) and category in consent.categories:
            found[str(consent.person_id)] = Ground.CONSENT
    for basis in LegalBasis.objects.filter(
            person_id__in=ids, organisation_id=organisation_id, ended_at__isnull=True,
            valid_from__lte=today, valid_until__gte=today).only("person_id"):
        found[str(basis.person_id)] = Ground.LEGAL_BASIS
    return found


def _ground_for_all(grounds: dict[str, Ground], person_ids: list[str]) -> Ground | None:
    """A ground for every person, or none: the plan holds data of every member."""
    if not person_ids or any(p not in grounds for p in person_ids):
        return None
    if any(grounds[p] is Ground.CONSENT for p in person_ids):
        return Ground.CONSENT
    return Ground.LEGAL_BASIS


def _on_team(actor: Actor, plan: Any) -> bool:
    from jeugdketen.plans.models import TeamMember

    prof = actor.professional
    if prof is None:
        return False
    loaded = getattr(plan, "jk_team_professionals", None)  # prefetched by the family page
    if loaded is not None:
        return prof.pk in loaded
    return TeamMember.objects.filter(plan=plan, professional=prof, left_at__isnull=True).exists()


def _plans_of_person(person: Person) -> Any:
    from jeugdketen.plans.models import Plan

    return Plan.objects.filter(household__members__person=person)


def _plan_ground_for_person(actor: Actor, person: Person, category: str,
                            today: date) -> Ground | None:
    """The coordinator of a plan of the person's household; or a member of its care team
    whose organisation holds a ground for this person and category."""
    from jeugdketen.plans.models import TeamMember

    prof = actor.professional
    if prof is None or person.pk is None:
        return None
    plans = _plans_of_person(person)
    if plans.filter(coordinator=prof).exists():
        return Ground.PLAN_COORDINATOR
    if TeamMember.objects.filter(plan__in=plans, professional=prof, left_at__isnull=True).exists():
        return care_grounds(prof.organisation_id, [person.pk], category, today).get(str(person.pk))
    return None


def _plan_ground_for_household(actor: Actor, household: Any, members: tuple[Person, ...],
                               today: date) -> Ground | None:
    from jeugdketen.plans.models import Plan, TeamMember

    prof = actor.professional
    if prof is None:
        return None
    plans = Plan.objects.filter(household=household)
    if plans.filter(coordinator=prof).exists():
        return Ground.PLAN_COORDINATOR
    if TeamMember.objects.filter(plan__in=plans, professional=prof, left_at__isnull=True).exists():
        ids = [str(m.pk) for m in members]
        return _ground_for_all(care_grounds(prof.organisation_id, ids, "base_data", today), ids)
    return None


def _family_member(actor: Actor, target: Target, today: date) -> bool:
    """A household member from 16 co-owns the family's plan."""
    me = actor.person
    return me is not None and any(
        m.pk == me.pk for m in target.members) and me.age_on(today) >= PARENT_SEES_UNTIL_AGE


def _plan(actor: Actor, action: Action, target: Target, care_role: str, today: date) -> Decision:
    plan = target.record
    prof = actor.professional
    data = target.data
    if data is Data.PLAN and action is Action.CREATE:
        # Starting a trajectory: the professional entered every member, or is the agreed
        # coordinator of a match about one of them (target.record is then the match). A
        # match is never hung on a plan by someone outside it (its existence is not theirs
        # to learn), and only an agreed (coordinated) match about a member counts.
        from jeugdketen.referral_index.models import Match, MatchStatus

        match = plan if isinstance(plan, Match) else None
        if match is not None:
            if (care_role and prof is not None and match.coordinator_id == prof.pk
                    and match.status == MatchStatus.COORDINATED
                    and match.signals.filter(person_id__in=[m.pk for m in target.members]).exists()):
                return Decision(True, Ground.MATCH, care_role)
            return Decision.deny("a plan is started from a match by its agreed coordinator")
        if care_role and target.members and all(_registered(actor, m) for m in target.members):
            return Decision(True, Ground.REGISTRATION, care_role)
        return Decision.deny("a plan is started by a professional who entered the family or "
                             "coordinates its match")
    from jeugdketen.plans.models import Plan

    if not isinstance(plan, Plan):
        return Decision.deny("no plan")
    coordinator = care_role and prof is not None and plan.coordinator_id == prof.pk
    writes = action in (Action.CREATE, Action.UPDATE, Action.DELETE)
    if coordinator:
        if writes and not plan.is_open:
            return Decision.deny("a closed plan is not changed")
        if action is not Action.DELETE and action is not Action.EXPORT:
            return Decision(True, Ground.PLAN_COORDINATOR, care_role)
    if data is Data.ANALYSIS:
        person = target.person
        if action in (Action.READ, Action.PRINT) and person is not None:
            citizen = _citizen_ground(actor, person, today)
            if citizen is not None:
                return Decision(True, citizen, "citizen")
            if care_role and prof is not None and _on_team(actor, plan):
                ground = care_grounds(prof.organisation_id, [person.pk], "analysis",
                                      today).get(str(person.pk))
                if ground is not None:
                    return Decision(True, ground, care_role)
        return Decision.deny("an analysis is seen by the coordinator, the person (or parent) "
                             "and team members with consent")
    family = _family_member(actor, target, today)
    if family:
        if action in (Action.READ, Action.PRINT) and data in (Data.PLAN, Data.EVALUATION,
                                                                Data.TEAM):
            return Decision(True, Ground.FAMILY, "citizen")
        if data in (Data.APPROVAL, Data.COMMENT) and action is Action.CREATE and plan.is_open:
            return Decision(True, Ground.FAMILY, "citizen")
    if care_role and prof is not None and _on_team(actor, plan):
        reading = action in (Action.READ, Action.PRINT) and data in (
            Data.PLAN, Data.EVALUATION, Data.TEAM)
        commenting = data is Data.COMMENT and action is Action.CREATE and plan.is_open
        if reading or commenting:
            ids = [str(m.pk) for m in target.members]
            ground = _ground_for_all(
                care_grounds(prof.organisation_id, ids, CATEGORY_OF[data], today), ids)
            if ground is not None:
                return Decision(True, ground, care_role)
            return Decision.deny(f"no consent or legal basis for '{CATEGORY_OF[data]}' "
                                 "for every member of the household")
    return Decision.deny("the plan is the family's: its coordinator, its care team with "
                         "consent and the family itself")


def joins_on_ground(professional: Professional, members: tuple[Person, ...],
                    today: date | None = None) -> Ground | None:
    """May this professional join a plan's care team? Only when their organisation holds
    consent or a legal basis for the plan of every member of the household."""
    today = today or timezone.localdate()
    ids = [str(m.pk) for m in members]
    return _ground_for_all(care_grounds(professional.organisation_id, ids, "plan", today), ids)


def _coordinates_person(actor: Actor, person: Person, *, open_only: bool = False) -> bool:
    prof = actor.professional
    if prof is None or person.pk is None:
        return False
    plans = _plans_of_person(person).filter(coordinator=prof)
    return (plans.filter(status="open") if open_only else plans).exists()


# Which kind of organisation can hold which statutory ground (a school cannot).
LEGAL_BASIS_HOLDERS = {
    "child_protection": {"certified_institution"},
    "youth_probation": {"certified_institution"},
    "veilig_thuis": {"veilig_thuis"},
    "court_order": {"certified_institution", "veilig_thuis", "youth_care_provider"},
}


def may_hold(record: Any) -> bool:
    """May this record's organisation hold this kind of legal basis?"""
    organisation = getattr(record, "organisation", None)
    return organisation is not None and organisation.kind in LEGAL_BASIS_HOLDERS.get(
        getattr(record, "kind", ""), set())


def _consent(actor: Actor, action: Action, target: Target, care_role: str,
             today: date) -> Decision:
    """Consent and legal bases: recorded by the plan's coordinator (consent on the family's
    word, a legal basis with its reference) or by the organisation that holds the legal
    basis; given and withdrawn by the family in their own view; seen by the family."""
    person = target.person
    record = target.record
    prof = actor.professional
    if person is None:
        return Decision.deny("no person")
    if action in (Action.READ, Action.PRINT):
        citizen = _citizen_ground(actor, person, today)
        if citizen is not None:
            return Decision(True, citizen, "citizen")
        if care_role and _coordinates_person(actor, person):
            return Decision(True, Ground.PLAN_COORDINATOR, care_role)
        if _supervises(actor, person):
            return Decision(True, Ground.PRIVACY_SUPERVISION, "privacy_officer")
        return Decision.deny("consent is seen by the family, the coordinator and the privacy officer")
    if action not in (Action.CREATE, Action.UPDATE):
        return Decision.deny(f"{action} of consent is not allowed")
    if target.data is Data.LEGAL_BASIS and not may_hold(record):
        return Decision.deny("this organisation cannot hold this legal basis")
    if care_role and _coordinates_person(actor, person, open_only=True):
        return Decision(True, Ground.PLAN_COORDINATOR, care_role)
    if target.data is Data.LEGAL_BASIS:
        if (care_role and prof is not None and record is not None
                and record.organisation_id == prof.organisation_id and _registered(actor, person)):
            return Decision(True, Ground.REGISTRATION, care_role)
        return Decision.deny("a legal basis is recorded by its own organisation or the coordinator")
    # Consent: the person from 16 and a parent for a child under 16 give and withdraw it in
    # their own view (who must give it together is checked by the action).
    citizen = _citizen_ground(actor, person, today)
    if citizen is not None:
        return Decision(True, citizen, "citizen")
    return Decision.deny("consent is given by the family, or recorded by the coordinator")
