"""Starting a family's trajectory, and handing its coordination over."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Target, decide
from jeugdketen.chainlog.actions import moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal
from jeugdketen.plans.actions._common import (
    _family,
    _may_coordinate,
    _professional,
    _tell,
    _text,
    emit_plan_event,
)
from jeugdketen.plans.actions.consent import givers_for
from jeugdketen.plans.models import Handover, Origin, Plan, PlanStatus
from jeugdketen.plans.selectors import members_of, plan_for, professional_of, target
from jeugdketen.registry.models import Household

MIN_HANDOVER_REASON = 10
ALL_CATEGORIES = ("base_data", "analysis", "plan", "evaluations")


@audit.write_path
def start_plan(actor: Actor, household_id: Any, coordinator_id: Any, *,
               match_id: Any = None, consent_given_by: list[Any] | None = None,
               origin: str | None = None, started_on: date | None = None,
               at: datetime | None = None) -> Plan:
    """Start a trajectory for a household: by the agreed coordinator of a match about a
    member, or on the family's consent, recorded with the start by the professional who
    will coordinate (`consent_given_by`: who gave it; for each member the law decides who
    may, against the BRP's custody). Having entered the family is not enough. One family,
    one plan: a second open plan is refused. `started_on` (default today) may lie in the
    past: the day the trajectory really began. `at` (default now; for loading history, see
    chainlog.actions.moment) is when it was recorded."""
    from jeugdketen.access.policy import FamilyConsent
    from jeugdketen.referral_index.models import Match

    now = moment(at)
    today = timezone.localdate(now)
    if started_on is None:
        started_on = today
    elif not isinstance(started_on, date) or started_on > today:
        raise Refusal("start_date", _("De startdatum ligt niet na vandaag."), field="started_on")
    household = audit.get_or_deny(actor, Action.CREATE, Data.PLAN, Household.objects,
                                  household_id, "household")
    members = members_of(household)
    match = None
    if match_id not in (None, ""):
        match = audit.get_or_deny(actor, Action.CREATE, Data.PLAN, Match.objects, match_id, "match")
    givers = [str(g) for g in consent_given_by or []]
    start: Any = match if match is not None else (FamilyConsent(tuple(givers)) if givers else None)
    decision = audit.authorize(actor, Action.CREATE, Target(
        Data.PLAN, household=household, members=members, object_id=str(household.pk),
        record=start))
    coordinator = _professional(coordinator_id, "coordinator_id")
    _may_coordinate(coordinator, "coordinator_id")
    givers_of: dict[str, list[str]] = {}
    if match is None:
        if coordinator.pk != professional_of(actor).pk:
            raise Refusal("consent_start_coordinator", _(
                "Wie een plan start op toestemming van het gezin, voert zelf de regie."),
                field="coordinator_id")
        givers_of = givers_for(members, members, set(givers), timezone.localdate(now))
    existing = Plan.objects.filter(household=household, status=PlanStatus.OPEN).first()
    if existing is None:
        try:
            with transaction.atomic():
                plan = Plan.objects.create(
                    household=household, coordinator=coordinator,
                    main_organisation=coordinator.organisation,
                    origin=origin or (Origin.MATCH if match else Origin.DIRECT), match=match,
                    started_on=started_on, created_at=now)
        except IntegrityError:  # someone else started one at this very moment
            existing = Plan.objects.filter(household=household, status=PlanStatus.OPEN).first()
    if existing is not None:
        # The open plan is named only to someone who may read it.
        readable = decide(actor, Action.READ, target(existing, members)).allowed
        raise Refusal("open_plan_exists", _(
            "Dit gezin heeft al een lopend plan: één gezin, één plan."), status=409,
            field="household_id", existing={"id": str(existing.pk)} if readable else None)
    emit_plan_event(Activity.PLAN_STARTED, plan, members, actor, at=now, origin=plan.origin,
                    household_size=len(members), started_by=decision.role,
                    coordinator_organisation_id=coordinator.organisation_id)
    if givers_of:
        from jeugdketen.access.actions import give_consent

        for pid, own in givers_of.items():
            give_consent(actor, pid, plan_id=plan.pk, given_by=own,
                         organisation_id=coordinator.organisation_id,
                         categories=list(ALL_CATEGORIES), at=now)
    return plan


@audit.write_path
def hand_over(actor: Actor, plan_id: Any, *, to_professional_id: Any, on: date | None,
              reason: str, at: datetime | None = None) -> Handover:
    now = moment(at)
    plan, members = plan_for(actor, plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members))
    new = _professional(to_professional_id, "to_professional_id")
    _may_coordinate(new, "to_professional_id")
    if new.pk == plan.coordinator_id:
        raise Refusal("same_coordinator", _("Dit is al de regisseur."), field="to_professional_id")
    reason = _text(reason, "reason")
    if len(reason) < MIN_HANDOVER_REASON:
        raise Refusal("reason_too_short", _("Schrijf de reden voor het gezin op (minstens 10 "
                                            "tekens)."), field="reason")
    on = on or timezone.localdate(now)
    handover = Handover.objects.create(plan=plan, from_professional_id=plan.coordinator_id,
                                       to_professional=new, on=on, reason=reason,
                                       recorded_at=now)
    Plan.objects.filter(pk=plan.pk).update(coordinator=new, main_organisation=new.organisation,
                                           revision=plan.revision + 1)
    emit_plan_event(Activity.COORDINATOR_HANDED_OVER, plan, members, actor, at=now,
                    to_organisation_id=new.organisation_id)
    details = {"family": _family(members), "old": plan.coordinator.full_name,
               "new": new.full_name, "org": new.organisation.name,
               "day": on.strftime("%d-%m-%Y")}
    _tell([plan.coordinator], "handover", _("U heeft de regie overgedragen"), _(
        "Gezin: %(family)s. Vanaf %(day)s is %(new)s (%(org)s) de regisseur.") % details,
        plan, actor, now, to_actor=True)
    _tell([new], "handover", _("U bent de nieuwe regisseur van een gezinsplan"), _(
        "Gezin: %(family)s. Vanaf %(day)s bent u de regisseur; u neemt het over van "
        "%(old)s.") % details, plan, actor, now)
    return handover
