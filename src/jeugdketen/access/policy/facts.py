"""The facts the rules stand on: every database look-up of the access policy.

The rules (`policy/rules/`) are pure functions of (actor, action, target, facts); they ask
a `Facts` and never the database. `DatabaseFacts` answers from the database, one question
at a time and only when a rule asks it (so `decide` makes the same queries, in the same
order, as the if-chain it replaced), honouring the values a list loaded with its records
(`jk_registered`, `jk_municipalities`, `jk_team_professionals`, `jk_involved`...).

This is the one module of the policy that imports other apps' models (inside the
functions, as the policy is imported before the apps are ready).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ValidationError
from django.utils import timezone

from jeugdketen.core.vocabulary import Ground

from .base import FAMILY_RELATIONS, LEGAL_BASIS_HOLDERS, Actor

if TYPE_CHECKING:
    from jeugdketen.access.models import Consent
    from jeugdketen.intake.models import CareReport, Invitation
    from jeugdketen.plans.models import Plan
    from jeugdketen.referral_index.models import Match
    from jeugdketen.registry.models import Household, Person


class Facts(Protocol):
    """What the rules may ask about the world, for one actor on one day."""

    @property
    def today(self) -> date: ...

    def registered(self, person: Person) -> bool:
        """Did the actor's professional enter this person (verified in the BRP)?"""

    def holds_custody(self, holder: Person, child: Person) -> bool:
        """Does the BRP say `holder` has custody (gezag) of `child`?"""

    def actor_municipality(self) -> str | None:
        """The municipality of the actor's organisation (None: not a professional)."""

    def actor_may_signal(self) -> bool:
        """May the actor's organisation register signals?"""

    def actor_organisation_kind(self) -> str:
        """The kind of the actor's organisation ('' for none)."""

    def person_municipalities(self, person: Person) -> set[str]:
        """Where a person belongs (their address; else who entered them)."""

    def has_correction(self, person: Person, *, open_only: bool) -> bool:
        """Is there a report back to the BRP (an open one) about this person?"""

    def coordinates_plan_of_person(self, person: Person) -> bool:
        """Does the actor coordinate a plan of the person's household?"""

    def team_plans_of_person(self, person: Person) -> Sequence[Any]:
        """The plans of the person's household whose care team the actor is in (ids)."""

    def coordinates_plan_of_household(self, household: Household) -> bool:
        """Does the actor coordinate a plan of this household?"""

    def team_plans_of_household(self, household: Household) -> Sequence[Any]:
        """The household's plans whose care team the actor is in (ids)."""

    def care_grounds(self, organisation_id: int, person_ids: list[Any], category: str,
                     plan_id: Any, *, legal_bases: bool = True) -> dict[str, Ground]:
        """Per person: the organisation's consent or legal basis for this category and plan."""

    def on_team(self, plan: Plan) -> bool:
        """Is the actor in the plan's care team (and has not left it)?"""

    def family_tie(self, me: Person, household: Household,
                   members: tuple[Person, ...]) -> bool:
        """Is `me` a BRP-verified parent, carer or child in the household, still tied by the
        BRP to another member?"""

    def involved(self, match: Match) -> bool:
        """Is the actor's own active signal in the match?"""

    def signalled_member(self, match: Match, members: tuple[Person, ...]) -> bool:
        """Is one of the actor's signals in the match about one of these members?"""

    def plan_of_consent(self, consent: Consent) -> Plan | None:
        """The plan a consent was given for."""

    def may_hold(self, record: Any) -> bool:
        """May this legal basis's organisation hold its kind of legal basis?"""

    def report_invitation(self, report: CareReport) -> Invitation | None:
        """The actor's organisation's open invitation (invited or accepted; not declined,
        not replaced) to a meeting about this report, if any."""

    def intake_consent(self, organisation_id: int, person_ids: list[Any]) -> dict[str, Ground]:
        """Per person: the organisation's consent of category `intake` (given with `plan`
        null, in force today), or a legal basis in force."""

    def report_municipality(self, report: CareReport | Any) -> str | None:
        """The municipality of a care report (the report, or its id; None: no such report)."""

    def starting_report_municipality(self, plan: Any) -> str | None:
        """The municipality of the care report this plan is being started from: the report
        whose trajectory key is the plan's id, while its step is not yet `help_started` or
        `closed` (the start moves it on, in the same transaction); None otherwise."""

    def report_subject_ids(self, report: CareReport) -> list[str]:
        """Whom a report is about: its person, or every member of its household (none
        for a public report not yet identified)."""

    def person_report_municipalities(self, person: Person, *, open_only: bool) -> set[str]:
        """The municipalities of the care reports about this person or their household
        (`open_only`: only those not yet at help started or closed)."""


def holds_custody(holder: Person, child: Person) -> bool:
    """Does the BRP say `holder` has custody (gezag) of `child`? Nothing else makes anyone a
    parent here: not a household a professional entered, not a relation typed in a form."""
    from jeugdketen.registry.models import Kinship

    if not holder.bsn or not child.bsn or child.pk is None:
        return False
    return Kinship.objects.filter(child_id=child.pk, relative_bsn=holder.bsn,
                                  has_custody=True).exists()


def may_hold(record: Any) -> bool:
    """May this record's organisation hold this kind of legal basis?"""
    organisation = getattr(record, "organisation", None)
    return organisation is not None and organisation.kind in LEGAL_BASIS_HOLDERS.get(
        getattr(record, "kind", ""), set())


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


class DatabaseFacts:
    """The facts from the database, for one actor, asked one at a time."""

    def __init__(self, actor: Actor, today: date | None = None) -> None:
        self.actor = actor
        self.today = today or timezone.localdate()

    # --- registry ----------------------------------------------------------------------

    def registered(self, person: Person) -> bool:
        from jeugdketen.registry.models import Registration

        prof = self.actor.professional
        if prof is None or person.pk is None:
            return False
        if getattr(person, "jk_registered_for", None) == prof.pk:
            return bool(person.jk_registered)  # type: ignore[attr-defined]  # loaded with the person
        return Registration.objects.filter(person=person, professional=prof).exists()

    def holds_custody(self, holder: Person, child: Person) -> bool:
        return holds_custody(holder, child)

    def actor_municipality(self) -> str | None:
        prof = self.actor.professional
        return prof.organisation.municipality_id if prof is not None else None

    def actor_may_signal(self) -> bool:
        prof = self.actor.professional
        return prof is not None and bool(prof.organisation.may_signal)

    def actor_organisation_kind(self) -> str:
        prof = self.actor.professional
        return str(prof.organisation.kind) if prof is not None else ""

    def person_municipalities(self, person: Person) -> set[str]:
        """Where a person belongs: the municipality of their address (its neighbourhood);
        only for a person without a known neighbourhood, the municipalities of the
        organisations that entered them. Registering someone elsewhere never hands them to
        that municipality."""
        from jeugdketen.registry.models import Neighbourhood, Registration

        known = getattr(person, "jk_municipalities", None)  # loaded with the person for a list
        if known is not None:
            return set(known)
        if person.neighbourhood_id:
            return set(Neighbourhood.objects.filter(pk=person.neighbourhood_id)
                       .values_list("district__municipality_id", flat=True))
        return set(Registration.objects.filter(person_id=person.pk)
                   .values_list("organisation__municipality_id", flat=True))

    def has_correction(self, person: Person, *, open_only: bool) -> bool:
        known = getattr(person, "jk_open_correction" if open_only else "jk_correction", None)
        if known is not None:  # loaded with the person for a list
            return bool(known)
        proposals = person.corrections.all()
        return bool((proposals.filter(status="open") if open_only else proposals).exists())

    def family_tie(self, me: Person, household: Household,
                   members: tuple[Person, ...]) -> bool:
        """A parent, custody holder or child of the household (verified in the BRP) for as
        long as the BRP still ties them to another member (a parent, a custody holder, a
        child): a guardianship that ended ends it too."""
        from django.db.models import Q

        from jeugdketen.registry.models import HouseholdMember, Kinship

        # The answer depends on the household and its members only: while a list of the
        # family's plans is read (one household, many plans), it is asked once (the list
        # sets `jk_family_member` to a dict for that read only).
        key = (household.pk, frozenset((m.pk, m.bsn) for m in members), self.today)
        shared: dict[Any, bool] | None = getattr(me, "jk_family_member", None)
        known: dict[Any, bool] = {} if shared is None else shared
        if key not in known:
            others = [m for m in members if m.pk != me.pk and m.bsn]
            known[key] = HouseholdMember.objects.filter(
                household_id=household.pk, person_id=me.pk, brp_verified=True,
                relation__in=FAMILY_RELATIONS).exists() and Kinship.objects.filter(
                Q(child_id=me.pk, relative_bsn__in=[m.bsn for m in others])
                | Q(child_id__in=[m.pk for m in others], relative_bsn=me.bsn)).exists()
        return known[key]

    # --- plans -------------------------------------------------------------------------

    def _plans_of_person(self, person: Person) -> Any:
        from jeugdketen.plans.models import Plan

        return Plan.objects.filter(household__members__person=person)

    def _plans_of_household(self, household: Household) -> Any:
        from jeugdketen.plans.models import Plan

        return Plan.objects.filter(household=household)

    def _team_plans(self, plans: Any) -> list[Any]:
        from jeugdketen.plans.models import TeamMember

        return list(TeamMember.objects.filter(
            plan__in=plans, professional=self.actor.professional,
            left_at__isnull=True).values_list("plan_id", flat=True))

    def _plans_hint(self, person: Person, name: str) -> bool | None:
        """An answer loaded with the person for this actor (`jk_plans_for`), if any."""
        prof = self.actor.professional
        if prof is not None and getattr(person, "jk_plans_for", None) == prof.pk:
            return bool(getattr(person, name))
        return None

    def coordinates_plan_of_person(self, person: Person) -> bool:
        known = self._plans_hint(person, "jk_coordinates")
        if known is not None:
            return known
        return bool(self._plans_of_person(person).filter(
            coordinator=self.actor.professional).exists())

    def team_plans_of_person(self, person: Person) -> list[Any]:
        if self._plans_hint(person, "jk_on_a_team") is False:
            return []  # on no team of a plan of the person's household
        return self._team_plans(self._plans_of_person(person))

    def coordinates_plan_of_household(self, household: Household) -> bool:
        return bool(self._plans_of_household(household).filter(
            coordinator=self.actor.professional).exists())

    def team_plans_of_household(self, household: Household) -> list[Any]:
        return self._team_plans(self._plans_of_household(household))

    def care_grounds(self, organisation_id: int, person_ids: list[Any], category: str,
                     plan_id: Any, *, legal_bases: bool = True) -> dict[str, Ground]:
        return care_grounds(organisation_id, person_ids, category, self.today, plan_id,
                            legal_bases=legal_bases)

    def on_team(self, plan: Plan) -> bool:
        from jeugdketen.plans.models import TeamMember

        prof = self.actor.professional
        if prof is None:
            return False
        loaded = getattr(plan, "jk_team_professionals", None)  # prefetched by the family page
        if loaded is not None:
            return prof.pk in loaded
        return TeamMember.objects.filter(plan=plan, professional=prof,
                                         left_at__isnull=True).exists()

    # --- referral index ----------------------------------------------------------------

    def involved(self, match: Match) -> bool:
        prof = self.actor.professional
        if prof is None:
            return False
        if getattr(match, "jk_involved_for", None) == prof.pk:  # loaded with a list of matches
            return bool(match.jk_involved)  # type: ignore[attr-defined]
        return bool(match.signals.filter(contact_id=prof.pk, status="active",
                                         expires_on__gt=self.today).exists())

    def signalled_member(self, match: Match, members: tuple[Person, ...]) -> bool:
        prof = self.actor.professional
        if prof is None:
            return False
        return bool(match.signals.filter(person_id__in=[m.pk for m in members],
                                         contact_id=prof.pk).exists())

    # --- consent and legal basis -------------------------------------------------------

    def plan_of_consent(self, consent: Consent) -> Plan | None:
        return getattr(consent, "plan", None) if getattr(consent, "plan_id", None) else None

    def may_hold(self, record: Any) -> bool:
        return may_hold(record)

    # --- the front door ----------------------------------------------------------------

    def report_invitation(self, report: CareReport) -> Invitation | None:
        from jeugdketen.intake.models import Invitation

        prof = self.actor.professional
        if prof is None or report.pk is None:
            return None
        return (Invitation.objects.filter(meeting__report_id=report.pk,
                                          organisation_id=prof.organisation_id,
                                          status__in=("invited", "accepted"))
                .order_by("-id").first())

    def intake_consent(self, organisation_id: int, person_ids: list[Any]) -> dict[str, Ground]:
        return care_grounds(organisation_id, person_ids, "intake", self.today, None)

    def report_municipality(self, report: CareReport | Any) -> str | None:
        from jeugdketen.intake.models import CareReport

        if hasattr(report, "_meta"):  # the report itself (saved or about to be)
            code = getattr(report, "municipality_id", None)
            return str(code) if code else None
        if report is None or report == "":
            return None
        try:
            found = (CareReport.objects.filter(pk=str(report))
                     .values_list("municipality_id", flat=True).first())
        except ValidationError:  # not a report id at all
            return None
        return str(found) if found is not None else None

    def starting_report_municipality(self, plan: Any) -> str | None:
        from jeugdketen.intake.models import CareReport, Step

        if getattr(plan, "pk", None) is None:
            return None
        found = (CareReport.objects.filter(trajectory_key=plan.pk)
                 .exclude(step__in=(Step.HELP_STARTED, Step.CLOSED))
                 .values_list("municipality_id", flat=True).first())
        return str(found) if found is not None else None

    def report_subject_ids(self, report: CareReport) -> list[str]:
        from jeugdketen.registry.models import HouseholdMember

        if report.person_id is not None:
            return [str(report.person_id)]
        if report.household_id is not None:
            return [str(p) for p in HouseholdMember.objects.filter(
                household_id=report.household_id).values_list("person_id", flat=True)]
        return []

    def person_report_municipalities(self, person: Person, *, open_only: bool) -> set[str]:
        from django.db.models import Q

        from jeugdketen.intake.models import CareReport, Step
        from jeugdketen.registry.models import HouseholdMember

        if person.pk is None:
            return set()
        reports = CareReport.objects.filter(
            Q(person_id=person.pk) | Q(household_id__in=HouseholdMember.objects.filter(
                person_id=person.pk).values("household_id")))
        if open_only:
            reports = reports.exclude(step__in=(Step.HELP_STARTED, Step.CLOSED))
        return {str(m) for m in reports.values_list("municipality_id", flat=True).distinct()}


__all__ = ["DatabaseFacts", "Facts", "care_grounds", "holds_custody", "may_hold"]
