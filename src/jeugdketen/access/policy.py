"""The access policy: may this actor do this action to this record, and on what ground?

Deny by default. `decide` is a pure question: it reads, never writes. Every answer is
logged by `jeugdketen.access.audit.authorize`, which actions call. The table-driven test
in tests/test_policy_table.py proves every role x action x ground, allowed and denied.

Grounds rest on verified facts only (docs/architecture.md, "Facts and grounds"): who is whose
parent, who holds custody and who lives where come from the BRP; what a professional types
never makes anyone a parent or gives anyone a right.

Grounds in this version:
- registration: the professional entered this person, verified in the BRP by BSN, birth
  date and family name (base data only);
- brp: the platform keeps its copy of BRP facts up to date (the nightly refresh);
- emergency: break-the-glass with a written reason, flagged for the privacy officer;
- self / parent: a person sees their own data; a custody holder in the BRP (gezag) that of
  a child under 16;
- privacy_supervision: the privacy officer sees access logs (never case content);
- data_management: a functional administrator of the person's municipality decides an
  open report back to the BRP (correction proposal);
- administration: platform administrators manage organisations and professionals; a
  functional administrator only within their own municipality and never with privileged
  roles (privacy officer, administrators); a functional administrator adapts the
  decision aids (uploads, previews and activates versions; no personal data);
- own_organisation: a professional's own organisation's records (its signals, its
  decision-aid sessions);
- match: a professional whose own signal is in a match sees that match (contact data only);
- municipal_oversight: the municipality's coordinator sees and settles a match whose
  coordinator agreement is overdue; only they appoint a coordinator (the involved agree
  among themselves and never appoint one, themselves included);
- retention: the nightly retention run (the operator) ends, archives and destroys index
  data as the law requires;
- plan_coordinator: the coordinator (regisseur) of a family's plan: the plan, its
  analyses and evaluations, the household's base data, and the consents given for that
  plan (never other organisations' relationships with the family);
- consent: a member of the plan's care team whose organisation holds the consent of (or
  for) the person given for that plan, for the categories consented, valid today and not
  withdrawn; also the ground to start a plan when the family's consent is recorded with it;
- legal_basis: as consent, on a statutory ground (a child-protection measure, Veilig
  Thuis' statutory task) recorded with its reference and end date by the organisation
  that holds it;
- family: a member of the household from 16 (verified in the BRP) sees and co-owns the
  family's plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone

# The actions, data kinds and grounds are the one vocabulary's (with their labels and
# family texts): the policy answers in no code that has no label.
from jeugdketen.core.vocabulary import Action, Data, Ground, Role

if TYPE_CHECKING:
    from jeugdketen.registry.models import Household, Person, Professional

MIN_EMERGENCY_REASON = 20
PARENT_SEES_UNTIL_AGE = 16


CARE_ROLES = (Role.PROFESSIONAL.value, Role.COORDINATOR.value)
ADMIN_ROLES = (Role.PLATFORM_ADMIN.value, Role.FUNCTIONAL_ADMIN.value)
PRIVILEGED_ROLES = {Role.PRIVACY_OFFICER.value, Role.FUNCTIONAL_ADMIN.value,
                    Role.PLATFORM_ADMIN.value}


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


def holds_custody(holder: Person, child: Person) -> bool:
    """Does the BRP say `holder` has custody (gezag) of `child`? Nothing else makes anyone a
    parent here: not a household a professional entered, not a relation typed in a form."""
    from jeugdketen.registry.models import Kinship

    if not holder.bsn or not child.bsn or child.pk is None:
        return False
    return Kinship.objects.filter(child_id=child.pk, relative_bsn=holder.bsn,
                                  has_custody=True).exists()


def _citizen_ground(actor: Actor, person: Person, today: date) -> Ground | None:
    if actor.person is None:
        return None
    if actor.person.pk == person.pk:
        return Ground.SELF
    if person.age_on(today) >= PARENT_SEES_UNTIL_AGE:
        return None
    return Ground.PARENT if holds_custody(actor.person, person) else None


def _municipality_of(actor: Actor) -> str | None:
    prof = actor.professional
    return prof.organisation.municipality_id if prof is not None else None


def _person_municipalities(person: Person) -> set[str]:
    """Where a person belongs: the municipality of their address (its neighbourhood); only
    for a person without a known neighbourhood, the municipalities of the organisations
    that entered them. Registering someone elsewhere never hands them to that municipality."""
    from jeugdketen.registry.models import Neighbourhood, Registration

    known = getattr(person, "jk_municipalities", None)  # loaded with the person for a list
    if known is not None:
        return set(known)
    if person.neighbourhood_id:
        return set(Neighbourhood.objects.filter(pk=person.neighbourhood_id)
                   .values_list("district__municipality_id", flat=True))
    return set(Registration.objects.filter(person_id=person.pk)
               .values_list("organisation__municipality_id", flat=True))


def _supervises(actor: Actor, person: Person | None) -> bool:
    """The privacy officer supervises the persons of their own municipality only."""
    if "privacy_officer" not in actor.roles or person is None:
        return False
    own = _municipality_of(actor)
    return own is not None and own in _person_municipalities(person)


def _manages_data(actor: Actor, person: Person, *, open_only: bool = True) -> bool:
    """A functional administrator handles the reports back to the BRP of the persons of
    their own municipality; a person's base data only while one is open."""
    if "functional_admin" not in actor.roles or person.pk is None:
        return False
    own = _municipality_of(actor)
    if own is None or own not in _person_municipalities(person):
        return False
    known = getattr(person, "jk_open_correction" if open_only else "jk_correction", None)
    if known is not None:  # loaded with the person for a list
        return bool(known)
    proposals = person.corrections.all()
    return (proposals.filter(status="open") if open_only else proposals).exists()


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
            if _manages_data(actor, person):
                return Decision(True, Ground.DATA_MANAGEMENT, "functional_admin")
            return Decision.deny("no ground to read this person's base data")
        if action is Action.UPDATE:
            if actor.operator:
                return Decision(True, Ground.BRP, "platform_admin")
            if care_role and _registered(actor, person):
                return Decision(True, Ground.REGISTRATION, care_role)
            return Decision.deny("only a professional who registered the person proposes a correction")
        return Decision.deny(f"{action} of base data is not allowed")

    if target.data is Data.CORRECTION:
        person = target.person
        if (action in (Action.READ, Action.UPDATE) and person is not None
                and _manages_data(actor, person, open_only=False)):
            return Decision(True, Ground.DATA_MANAGEMENT, "functional_admin")
        return Decision.deny("correction proposals are decided by a functional administrator "
                             "of the person's municipality")

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
        # Nor changing what an organisation is, or setting up one that holds statutory
        # grounds (Veilig Thuis, a certified institution): a kind decides which legal
        # bases it can record, so a school turned Veilig Thuis could join any family's plan.
        record = target.record or {}
        own = _municipality_of(actor)
        if (own is not None and record.get("municipality_id") == own
                and not PRIVILEGED_ROLES & set(record.get("roles", ()))
                and not record.get("kind_change")
                and record.get("new_kind") not in STATUTORY_KINDS):
            return Decision(True, Ground.ADMINISTRATION, "functional_admin")
        return Decision.deny("a functional administrator manages their own municipality only, "
                             "without privileged roles, changes of kind or statutory kinds")

    if target.data is Data.SIGNAL:
        return _signal(actor, action, target, care_role)
    if target.data in (Data.MATCH, Data.APPOINTMENT):
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
    if target.data is Data.DECISION_AID:
        if action in (Action.CREATE, Action.READ, Action.UPDATE) \
                and "functional_admin" in actor.roles:
            return Decision(True, Ground.ADMINISTRATION, "functional_admin")
        return Decision.deny("the decision aids are adapted by a functional administrator")
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


def _involved(prof: Professional, match: Any) -> bool:
    """Is the professional's own active signal in the match?"""
    if getattr(match, "jk_involved_for", None) == prof.pk:  # loaded with a list of matches
        return bool(match.jk_involved)
    return bool(match.signals.filter(contact_id=prof.pk, status="active",
                                     expires_on__gt=timezone.localdate()).exists())


def _match(actor: Actor, action: Action, target: Target, care_role: str) -> Decision:
    match = target.record
    prof = actor.professional
    if match is None or prof is None or action not in (Action.READ, Action.UPDATE):
        return Decision.deny("matches are seen only by the professionals involved")
    if target.data is Data.APPOINTMENT and action is not Action.UPDATE:
        return Decision.deny("an appointment is made, not read")
    if target.data is Data.MATCH and care_role and _involved(prof, match):
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
# Household members who co-own the family's plan: the BRP's parents, custody holders and
# children (a housemate such as a lodger does not).
FAMILY_RELATIONS = ("parent", "carer", "child")


@dataclass(frozen=True)
class FamilyConsent:
    """Starting a plan on the family's consent, recorded with the start (who may give it for
    whom the action checks against the BRP: the person from 16, a custody holder under 16)."""

    given_by: tuple[str, ...]


def care_grounds(organisation_id: int, person_ids: list[Any], category: str,
                 today: date, plan_id: Any, *, legal_bases: bool = True) -> dict[str, Ground]:
    """Per person: the organisation's ground for this category of data of this plan today
    (a legal basis first, else consent given for this plan; with `legal_bases=False`
    consent only). Persons without one are left out. Two queries."""
    from jeugdketen.access.models import Consent, LegalBasis

    found: dict[str, Ground] = {}
    ids = [str(p) for p in person_ids]
    for consent in Consent.objects.filter(
            person_id__in=ids, organisation_id=organisation_id, plan_id=plan_id,
            withdrawn_at__isnull=True, valid_from__lte=today).only(
                "person_id", "categories", "valid_from", "valid_until", "withdrawn_at"):
        if consent.in_force(today) and category in consent.categories:
            found[str(consent.person_id)] = Ground.CONSENT
    if not legal_bases:
        return found
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


def _team_ground(actor: Actor, plans: Any, person_ids: list[str], category: str,
                 today: date) -> Ground | None:
    """A care-team member's ground for these persons in one of these plans: their
    organisation's consent for that plan, or a legal basis."""
    from jeugdketen.plans.models import TeamMember

    prof = actor.professional
    if prof is None:
        return None
    for plan_id in TeamMember.objects.filter(plan__in=plans, professional=prof,
                                             left_at__isnull=True).values_list("plan_id", flat=True):
        ground = _ground_for_all(care_grounds(prof.organisation_id, person_ids, category, today,
                                              plan_id), person_ids)
        if ground is not None:
            return ground
    return None


def _plan_ground_for_person(actor: Actor, person: Person, category: str,
                            today: date) -> Ground | None:
    """The coordinator of a plan of the person's household; or a member of its care team
    whose organisation holds a ground for this person and category in that plan."""
    prof = actor.professional
    if prof is None or person.pk is None:
        return None
    plans = _plans_of_person(person)
    if plans.filter(coordinator=prof).exists():
        return Ground.PLAN_COORDINATOR
    return _team_ground(actor, plans, [str(person.pk)], category, today)


def _plan_ground_for_household(actor: Actor, household: Any, members: tuple[Person, ...],
                               today: date) -> Ground | None:
    from jeugdketen.plans.models import Plan

    prof = actor.professional
    if prof is None:
        return None
    plans = Plan.objects.filter(household=household)
    if plans.filter(coordinator=prof).exists():
        return Ground.PLAN_COORDINATOR
    return _team_ground(actor, plans, [str(m.pk) for m in members], "base_data", today)


def _family_member(actor: Actor, target: Target, today: date) -> bool:
    """A parent, custody holder or child of the household (verified in the BRP), from 16,
    co-owns the family's plan, for as long as the BRP still ties them to another member
    (a parent, a custody holder, a child): a guardianship that ended ends it too."""
    from django.db.models import Q

    from jeugdketen.registry.models import HouseholdMember, Kinship

    me = actor.person
    if (me is None or not me.bsn or target.household is None
            or me.age_on(today) < PARENT_SEES_UNTIL_AGE
            or not any(m.pk == me.pk for m in target.members)):
        return False
    # The answer depends on the household and its members only: while a list of the
    # family's plans is read (one household, many plans), it is asked once (the list sets
    # `jk_family_member` to a dict for that read only).
    key = (target.household.pk, frozenset((m.pk, m.bsn) for m in target.members), today)
    shared: dict[Any, bool] | None = getattr(me, "jk_family_member", None)
    known: dict[Any, bool] = {} if shared is None else shared
    if key not in known:
        others = [m for m in target.members if m.pk != me.pk and m.bsn]
        known[key] = HouseholdMember.objects.filter(
            household_id=target.household.pk, person_id=me.pk, brp_verified=True,
            relation__in=FAMILY_RELATIONS).exists() and Kinship.objects.filter(
            Q(child_id=me.pk, relative_bsn__in=[m.bsn for m in others])
            | Q(child_id__in=[m.pk for m in others], relative_bsn=me.bsn)).exists()
    return known[key]


def _start(actor: Actor, target: Target, care_role: str) -> Decision:
    """Starting a trajectory needs the agreed coordinator of a match about a member, or the
    family's consent recorded with the start (later: an intake decision of the front door).
    Merely having entered the family is not enough."""
    from jeugdketen.referral_index.models import Match, MatchStatus

    prof = actor.professional
    start = target.record
    if isinstance(start, Match):
        # A match is never hung on a plan by someone outside it (its existence is not
        # theirs to learn), and only an agreed (coordinated) match counts, for the household
        # of a youth the coordinator signalled themselves: an address match never makes
        # anyone the coordinator of the neighbours' family.
        if (care_role and prof is not None and start.coordinator_id == prof.pk
                and start.status == MatchStatus.COORDINATED
                and start.signals.filter(person_id__in=[m.pk for m in target.members],
                                         contact_id=prof.pk).exists()):
            return Decision(True, Ground.MATCH, care_role)
        return Decision.deny("a plan is started from a match by its agreed coordinator")
    if isinstance(start, FamilyConsent):
        if (care_role and start.given_by and target.members
                and all(_registered(actor, m) for m in target.members)):
            return Decision(True, Ground.CONSENT, care_role)
        return Decision.deny("a plan on the family's consent is started by a professional who "
                             "entered every member")
    return Decision.deny("a plan starts from a match's agreed coordinator or with the "
                         "family's consent")


def _plan(actor: Actor, action: Action, target: Target, care_role: str, today: date) -> Decision:
    plan = target.record
    prof = actor.professional
    data = target.data
    if data is Data.PLAN and action is Action.CREATE:
        return _start(actor, target, care_role)
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
                                      today, plan.pk).get(str(person.pk))
                if ground is not None:
                    return Decision(True, ground, care_role)
        return Decision.deny("an analysis is seen by the coordinator, the person (or parent) "
                             "and team members with consent")
    if (data is Data.TEAM and action is Action.CREATE and care_role and prof is not None
            and plan.is_open and not _on_team(actor, plan)):
        # Joining the care team oneself: on one's organisation's consent for this plan, or
        # its legal basis, for every member.
        ground = joins_on_ground(prof, target.members, plan, today)
        if ground is not None:
            return Decision(True, ground, care_role)
        return Decision.deny("no consent for this plan or legal basis for every member")
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
                care_grounds(prof.organisation_id, ids, CATEGORY_OF[data], today, plan.pk), ids)
            if ground is not None:
                return Decision(True, ground, care_role)
            return Decision.deny(f"no consent or legal basis for '{CATEGORY_OF[data]}' "
                                 "for every member of the household")
    return Decision.deny("the plan is the family's: its coordinator, its care team with "
                         "consent and the family itself")


def joins_on_ground(professional: Professional, members: tuple[Person, ...], plan: Any,
                    today: date | None = None, *, legal_bases: bool = True) -> Ground | None:
    """May this professional be in a plan's care team? Only when their organisation holds
    consent given for this plan, or a legal basis, for every member of the household.

    The coordinator adds a professional on the consents of this plan only
    (`legal_bases=False`), which the coordinator sees: whether another organisation holds a
    legal basis must not show in the answer. A professional whose organisation holds a
    legal basis joins the team themselves (ground `legal_basis`)."""
    today = today or timezone.localdate()
    ids = [str(m.pk) for m in members]
    return _ground_for_all(care_grounds(professional.organisation_id, ids, "plan", today,
                                        plan.pk, legal_bases=legal_bases), ids)


# Which kind of organisation can hold which statutory ground (a school cannot).
LEGAL_BASIS_HOLDERS = {
    "child_protection": {"certified_institution"},
    "youth_probation": {"certified_institution"},
    "veilig_thuis": {"veilig_thuis"},
    "court_order": {"certified_institution", "veilig_thuis", "youth_care_provider"},
}


# Organisations that hold statutory grounds of their own: only the platform administrator
# sets one up or changes an organisation's kind.
STATUTORY_KINDS = LEGAL_BASIS_HOLDERS["child_protection"] | LEGAL_BASIS_HOLDERS["veilig_thuis"]


def may_hold(record: Any) -> bool:
    """May this record's organisation hold this kind of legal basis?"""
    organisation = getattr(record, "organisation", None)
    return organisation is not None and organisation.kind in LEGAL_BASIS_HOLDERS.get(
        getattr(record, "kind", ""), set())


def has_person_ground(actor: Actor, person: Person, today: date | None = None) -> bool:
    """Does a care professional have a ground for this person at all (they entered them, or
    a plan of the person's household gives them one)? Asked before anything else about
    the person is judged, so that no answer tells more than 'no ground'."""
    if not _first_role(actor, CARE_ROLES):
        return False
    return _registered(actor, person) or _plan_ground_for_person(
        actor, person, "base_data", today or timezone.localdate()) is not None


def _plan_of(record: Any) -> Any:
    """The plan a consent target is about: the plan itself, or a consent's plan."""
    from jeugdketen.plans.models import Plan

    if isinstance(record, Plan):
        return record
    return getattr(record, "plan", None) if getattr(record, "plan_id", None) else None


def _consent(actor: Actor, action: Action, target: Target, care_role: str,
             today: date) -> Decision:
    """Consent is given for a plan: recorded by that plan's coordinator on the family's word,
    or given and withdrawn by the family in their own view; the coordinator sees the
    consents of their own plan only. A legal basis is recorded by the organisation that
    holds it. The family sees all of theirs; the privacy officer supervises."""
    person = target.person
    record = target.record
    prof = actor.professional
    if person is None:
        return Decision.deny("no person")
    plan = _plan_of(record)
    member = plan is not None and any(m.pk == person.pk for m in target.members)
    coordinates = (bool(care_role) and prof is not None and plan is not None
                   and plan.coordinator_id == prof.pk and member)
    if action in (Action.READ, Action.PRINT):
        citizen = _citizen_ground(actor, person, today)
        if citizen is not None:
            return Decision(True, citizen, "citizen")
        if coordinates:
            return Decision(True, Ground.PLAN_COORDINATOR, care_role)
        if _supervises(actor, person):
            return Decision(True, Ground.PRIVACY_SUPERVISION, "privacy_officer")
        return Decision.deny("consent is seen by the family, the plan's coordinator and the "
                             "privacy officer")
    if action not in (Action.CREATE, Action.UPDATE):
        return Decision.deny(f"{action} of consent is not allowed")
    if target.data is Data.LEGAL_BASIS:
        if not may_hold(record):
            return Decision.deny("this organisation cannot hold this legal basis")
        if (prof is not None and record.organisation_id == prof.organisation_id
                and has_person_ground(actor, person, today)):
            return Decision(True, Ground.OWN_ORGANISATION, care_role)
        return Decision.deny("a legal basis is recorded by a professional of the organisation "
                             "that holds it")
    citizen = _citizen_ground(actor, person, today)
    if action is Action.UPDATE:
        # Withdrawal: the family (the person from 16, a custody holder under 16) and the
        # coordinator of the plan it was given for; nobody else.
        if citizen is not None:
            return Decision(True, citizen, "citizen")
        if coordinates:
            return Decision(True, Ground.PLAN_COORDINATOR, care_role)
        return Decision.deny("consent is withdrawn by the family or the plan's coordinator")
    if plan is None or not member:
        return Decision.deny("consent is given for a plan of the person's household")
    if coordinates:
        if not plan.is_open:
            return Decision.deny("a closed plan records no consent")
        return Decision(True, Ground.PLAN_COORDINATOR, care_role)
    # The person from 16 and a custody holder for a child under 16 give it in their own
    # view (who must give it together is checked by the action).
    if citizen is not None:
        return Decision(True, citizen, "citizen")
    return Decision.deny("consent is given by the family, or recorded by the plan's coordinator")
