"""Consent per plan, per person, per organisation, per category (issue 4): who gives it
(check_givers), giving and withdrawing it, and the logged read of the consents and legal
bases a plan's coordinator or the family may see. The front door's consent (category
`intake`, issue 11) is the one consent given for no plan: per person and organisation, it
lets an organisation invited to an intake read the care report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.models import Consent, DataCategory, LegalBasis
from jeugdketen.access.policy import Action, Actor, Data, Target, decide
from jeugdketen.access.selectors import custody_holders_of
from jeugdketen.chainlog.actions import emit, moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal

INTAKE = DataCategory.INTAKE.value
CONSENT_ALONE_FROM = 16  # the person gives consent alone from 16
CONSENT_TOGETHER_FROM = 12  # from 12 to 15: the youth and a parent together


def check_givers(person: Any, given_by: set[str], today: date) -> None:
    """Who gives consent (domain.md; WGBO/Jeugdwet): the person from 16, a custody holder
    under 12, the youth and a custody holder together from 12 to 15."""
    age = person.age_on(today)
    me = str(person.pk)
    parents = custody_holders_of(person)
    field = "given_by_person_ids"
    if age >= CONSENT_ALONE_FROM:
        if given_by != {me}:
            raise Refusal("consent_given_by_person", _(
                "Vanaf 16 jaar geeft de persoon zelf toestemming, alleen."), field=field)
        return
    if not given_by or not given_by - {me} <= parents:
        raise Refusal("consent_given_by_parent", _(
            "Onder 16 jaar geeft een ouder met gezag (volgens de BRP) toestemming."),
            field=field)
    if age >= CONSENT_TOGETHER_FROM:
        if me not in given_by or not given_by & parents:
            raise Refusal("consent_given_together", _(
                "Van 12 tot 16 jaar geven de jongere en een ouder samen toestemming."), field=field)
    elif me in given_by or not given_by & parents:
        raise Refusal("consent_given_by_parent", _(
            "Onder 12 jaar geeft een ouder met gezag (volgens de BRP) toestemming."), field=field)


def _consent_fields(categories: Any, valid_from: date, valid_until: date | None) -> list[str]:
    cats = list(dict.fromkeys(categories or []))
    known = {c.value for c in DataCategory}
    if not cats or any(c not in known for c in cats):
        raise Refusal("consent_categories", _(
            "Kies een of meer van: basisgegevens, analyse, plan, evaluaties."), field="categories")
    if valid_until is not None and valid_until < valid_from:
        raise Refusal("consent_period", _(
            "De einddatum ligt vóór de begindatum."), field="valid_until")
    return cats


def _plan_or_intake(categories: Any, plan_id: Any) -> bool:
    """Is this the front door's consent (category `intake` alone, for no plan)? Every other
    category is given for a plan; `intake` never is, nor together with another category."""
    cats = [str(c) for c in categories] if isinstance(categories, list | tuple) else []
    no_plan = plan_id in (None, "")
    if INTAKE in cats and cats != [INTAKE]:
        raise Refusal("consent_intake_alone", _(
            "Toestemming voor de intake wordt apart gegeven, zonder andere onderdelen."),
            field="categories")
    if cats == [INTAKE] and not no_plan:
        raise Refusal("consent_intake_without_plan", _(
            "Toestemming voor de intake hoort niet bij een plan."), field="plan_id")
    if no_plan and cats != [INTAKE]:
        raise Refusal("consent_needs_plan", _(
            "Kies het plan waarvoor de toestemming geldt."), field="plan_id")
    return no_plan


def _plan_members(plan: Any) -> tuple[Any, ...]:
    from jeugdketen.registry.models import Person

    if plan is None:
        return ()
    return tuple(Person.objects.filter(memberships__household_id=plan.household_id))


@audit.write_path
def give_consent(actor: Actor, person_id: Any, *, plan_id: Any, given_by: Any,
                 organisation_id: Any, categories: Any, valid_from: date | None = None,
                 valid_until: date | None = None, at: datetime | None = None) -> Consent:
    """Consent of (or for) a member of a plan's household, for one organisation, in that
    plan; or, with `plan_id` None and `categories` ["intake"] alone, the front door's
    consent for an organisation invited to an intake to read the care reports about the
    person (given by the family, or recorded by the front door of an open report about
    the person). `at` (default now) is when the consent was given; only for loading
    history (see chainlog.actions.moment): the givers' ages count on that day."""
    from jeugdketen.plans.models import Plan
    from jeugdketen.registry.models import Organisation, Person

    now = moment(at)
    today = timezone.localdate(now)
    intake = _plan_or_intake(categories, plan_id)  # the input's shape: nothing looked up
    person = audit.get_or_deny(actor, Action.CREATE, Data.CONSENT, Person.objects, person_id,
                               "person")
    if intake:
        plan = None
        # The consent about to be given: the rule reads that it is the front door's.
        target = Target(Data.CONSENT, person=person, record=Consent(
            person=person, plan=None, categories=[INTAKE]))
    else:
        plan = audit.get_or_deny(actor, Action.CREATE, Data.CONSENT, Plan.objects, plan_id,
                                 "plan")
        target = Target(Data.CONSENT, person=person, members=_plan_members(plan), record=plan)
    decision = audit.authorize(actor, Action.CREATE, target)
    valid_from = valid_from or today
    cats = _consent_fields(categories, valid_from, valid_until)
    givers = {str(g) for g in (given_by or [])}
    if decision.role == "citizen":
        # In their own view a family member gives consent in their own name only.
        givers = {str(actor.person.pk)} if actor.person is not None else set()
    check_givers(person, givers, today)
    try:
        organisation = Organisation.objects.get(pk=organisation_id)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Refusal("unknown_organisation", _("Deze organisatie bestaat niet."),
                      field="organisation_id") from None
    consent = Consent.objects.create(
        person=person, plan=plan, organisation=organisation, categories=cats,
        valid_from=valid_from, valid_until=valid_until, recorded_by=actor.user, recorded_at=now)
    consent.given_by.set(list(Person.objects.filter(pk__in=givers)))
    emit(Activity.CONSENT_GIVEN, person=person, organisation_id=organisation.pk, at=now,
         attributes={"categories": cats, "recorded_by": decision.role,
                     "open_ended": valid_until is None})
    return consent


@audit.write_path
def withdraw_consent(actor: Actor, consent_id: Any, *, at: datetime | None = None) -> Consent:
    """Takes effect at once: the organisation's next request is denied (and logged so).
    `at` (default now): only for loading history (see chainlog.actions.moment)."""
    now = moment(at)
    consent: Consent = audit.get_or_deny(
        actor, Action.UPDATE, Data.CONSENT,
        Consent.objects.select_for_update(of=("self",)).select_related("person", "plan"),
        consent_id, "consent")
    decision = audit.authorize(actor, Action.UPDATE, Target(
        Data.CONSENT, person=consent.person, members=_plan_members(consent.plan),
        object_id=str(consent.pk), record=consent))
    if consent.withdrawn_at is None:
        consent.withdrawn_at = now
        consent.withdrawn_by = actor.user
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        emit(Activity.CONSENT_WITHDRAWN, person=consent.person,
             organisation_id=consent.organisation_id, at=now,
             attributes={"by": decision.role, "categories": consent.categories})
        _tell_coordinator_withdrawn(actor, consent, now)
    return consent


def _tell_coordinator_withdrawn(actor: Actor, consent: Consent, now: datetime) -> None:
    """The plan's coordinator hears of a withdrawn consent at once (in this transaction)."""
    from jeugdketen import inbox
    from jeugdketen.referral_index.models import MessageKind

    plan = consent.plan
    if plan is None:
        return
    family = ", ".join(str(m) for m in _plan_members(plan))
    inbox.send([plan.coordinator], MessageKind.CONSENT_WITHDRAWN, _("Toestemming ingetrokken"), _(
        "Gezin: %(family)s. De toestemming van %(person)s voor %(organisation)s is "
        "ingetrokken. Die organisatie ziet de gegevens niet meer.") % {
        "family": family, "person": str(consent.person),
        "organisation": consent.organisation.name}, plan=plan, at=now, skip=actor.professional)


@audit.write_path
def consents_for(actor: Actor, persons: list[Any], *, plan: Any = None
                 ) -> dict[str, dict[str, list[Any]]]:
    """Consents and legal bases of these persons, for those the actor may see them of:
    {person_id: {"consents": [...], "legal_bases": [...]}}. Each person read is logged.

    The family and the privacy officer see all of them. A plan's coordinator (`plan`) sees
    only the consents given for that plan, and only the legal bases of the organisations in
    the plan (the coordinator's own and the care team's): never the family's relationships
    with other organisations."""
    members = tuple(persons)
    decisions = [(p, decide(actor, Action.READ, Target(Data.CONSENT, person=p, members=members,
                                                       record=plan))) for p in persons]
    audit.append([audit.entry(actor, Action.READ, Target(Data.CONSENT, person=p, record=plan), d)
                  for p, d in decisions])
    whole = [p.pk for p, d in decisions if d.allowed and d.ground != "plan_coordinator"]
    of_plan = [p.pk for p, d in decisions if d.allowed and d.ground == "plan_coordinator"]
    out: dict[str, dict[str, list[Any]]] = {str(p): {"consents": [], "legal_bases": []}
                                            for p in [*whole, *of_plan]}
    consents = Consent.objects.filter(person_id__in=whole)
    bases = LegalBasis.objects.filter(person_id__in=whole)
    if of_plan and plan is not None:
        from jeugdketen.plans.models import TeamMember

        # The organisations in the plan: its main organisation and the active care team's
        # (a subquery of the legal-basis read, not a query of its own).
        in_plan = Q(organisation_id__in=TeamMember.objects.filter(
            plan=plan, professional__isnull=False, left_at__isnull=True)
            .values("professional__organisation_id"))
        if plan.main_organisation_id is not None:
            in_plan |= Q(organisation_id=plan.main_organisation_id)
        consents = consents | Consent.objects.filter(person_id__in=of_plan, plan=plan)
        bases = bases | LegalBasis.objects.filter(in_plan, person_id__in=of_plan)
    for consent in (consents.select_related("organisation").prefetch_related("given_by")
                    .order_by("-recorded_at")):
        out[str(consent.person_id)]["consents"].append(consent)
    for basis in bases.select_related("organisation").order_by("-recorded_at"):
        out[str(basis.person_id)]["legal_bases"].append(basis)
    return out
