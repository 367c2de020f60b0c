"""Starting a family's trajectory, and handing its coordination over."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

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
from jeugdketen.plans.actions.goals import _create_goal
from jeugdketen.plans.actions.team import _create_member
from jeugdketen.plans.models import Handover, Origin, Plan, PlanStatus
from jeugdketen.plans.selectors import members_of, plan_for, professional_of, target
from jeugdketen.registry.models import Household, Professional

if TYPE_CHECKING:
    from jeugdketen.access.policy import IntakeStart

MIN_HANDOVER_REASON = 10
ALL_CATEGORIES = ("base_data", "analysis", "plan", "evaluations")


@audit.write_path
def start_plan(actor: Actor, household_id: Any, coordinator_id: Any, *,
               match_id: Any = None, consent_given_by: Sequence[Any] | None = None,
               origin: str | None = None, started_on: date | None = None,
               plan_id: Any = None, goals: Sequence[Mapping[str, Any]] = (),
               team: Sequence[Mapping[str, Any]] = (), intake: IntakeStart | None = None,
               at: datetime | None = None) -> Plan:
    """Start a trajectory for a household: by the agreed coordinator of a match about a
    member, on the family's consent, recorded with the start by the professional who
    will coordinate (`consent_given_by`: who gave it; for each member the law decides who
    may, against the BRP's custody), or on an intake decision of the front door (`intake`,
    with the family's consent given at the meeting: the front-door team starts it, the
    coordinator is the one the meeting chose). Having entered the family is not enough.
    One family, one plan: a second open plan is refused.

    `plan_id`: the plan's id (an intake passes the care report's trajectory key, so one key
    runs from the report to the plan's close). `goals` ({title, person_ids, levels,
    weight?}) and `team` ({professional_id, role}) are written with the start, under its
    one decision, as add_goal and add_team_member write them; the family's consent for the
    plan is recorded for the coordinator's organisation and every team organisation.
    `started_on` (default today) may lie in the past: the day the trajectory really began.
    `at` (default now; for loading history, see chainlog.actions.moment) is when it was
    recorded."""
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
    start: Any
    if match is not None:
        start = match
    elif intake is not None:
        start = intake
        givers = givers or [str(g) for g in intake.given_by]
    else:
        start = FamilyConsent(tuple(givers)) if givers else None
    decision = audit.authorize(actor, Action.CREATE, Target(
        Data.PLAN, household=household, members=members, object_id=str(household.pk),
        start=start))
    coordinator = _professional(coordinator_id, "coordinator_id")
    _may_coordinate(coordinator, "coordinator_id")
    givers_of: dict[str, list[str]] = {}
    if match is None:
        if intake is None and coordinator.pk != professional_of(actor).pk:
            raise Refusal("consent_start_coordinator", _(
                "Wie een plan start op toestemming van het gezin, voert zelf de regie."),
                field="coordinator_id")
        givers_of = givers_for(members, members, set(givers), timezone.localdate(now))
    team_professionals = _team_professionals(team, coordinator.pk)
    for i, goal in enumerate(goals):
        if not isinstance(goal, Mapping):
            raise Refusal("goal", _("Een doel heeft een titel, voor wie het is en vijf "
                                    "niveaus."), field=f"goals[{i}]")
    key: dict[str, Any] = {}
    if plan_id not in (None, ""):
        try:
            key["pk"] = uuid.UUID(str(plan_id))
        except ValueError:
            raise Refusal("plan_id", _("Geen geldige sleutel voor een plan."),
                          field="plan_id") from None
    existing = Plan.objects.filter(household=household, status=PlanStatus.OPEN).first()
    if existing is None:
        if key and Plan.objects.filter(pk=key["pk"]).exists():
            raise Refusal("plan_started", _("Dit plan is al gestart."), status=409,
                          field="plan_id")
        try:
            with transaction.atomic():
                plan = Plan.objects.create(
                    **key, household=household, coordinator=coordinator,
                    main_organisation=coordinator.organisation,
                    origin=origin or (Origin.MATCH if match else Origin.DIRECT), match=match,
                    started_on=started_on, created_at=now)
        except IntegrityError:  # someone else started one at this very moment
            existing = Plan.objects.filter(household=household, status=PlanStatus.OPEN).first()
            if existing is None:  # the same key, started at this very moment
                raise Refusal("plan_started", _("Dit plan is al gestart."), status=409,
                              field="plan_id") from None
    if existing is not None:
        # The open plan is named only to someone who may read it.
        readable = decide(actor, Action.READ, target(existing, members)).allowed
        raise Refusal("open_plan_exists", _(
            "Dit gezin heeft al een lopend plan: één gezin, één plan."), status=409,
            field="household_id", existing={"id": str(existing.pk)} if readable else None)
    # A match's trajectory began when the match was made (the first contact, for insight).
    first_contact = ({"first_contact_at": match.created_at.astimezone(UTC).isoformat()}
                     if match is not None and plan.origin == Origin.MATCH else {})
    emit_plan_event(Activity.PLAN_STARTED, plan, members, actor, at=now, origin=plan.origin,
                    household_size=len(members), started_by=decision.role,
                    coordinator_organisation_id=coordinator.organisation_id, **first_contact)
    if givers_of:
        from jeugdketen.access.actions import give_consent

        organisations = list(dict.fromkeys(
            [coordinator.organisation_id] + [p.organisation_id for p in team_professionals]))
        for organisation_id in organisations:
            for pid, own in givers_of.items():
                give_consent(actor, pid, plan_id=plan.pk, given_by=own,
                             organisation_id=organisation_id,
                             categories=list(ALL_CATEGORIES), at=now)
    for i, item in enumerate(team):
        _create_member(actor, plan, members, now, role=item.get("role"),
                       professional_id=item.get("professional_id"), prefix=f"team[{i}].")
    for i, goal in enumerate(goals):
        _create_goal(actor, plan, members, now, title=goal.get("title"),
                     person_ids=goal.get("person_ids"), weight=goal.get("weight", 1),
                     levels=goal.get("levels"), organisation_id=goal.get("organisation_id"),
                     prefix=f"goals[{i}].")
    return plan


def _team_professionals(team: Sequence[Mapping[str, Any]], coordinator_pk: int
                        ) -> list[Professional]:
    """The professionals of a team given with a start (the coordinator leads it, and is not
    in it twice); the checks of each member are _create_member's."""
    out = []
    for i, item in enumerate(team):
        if not isinstance(item, Mapping):
            raise Refusal("team_member", _("Kies een professional."),
                          field=f"team[{i}].professional_id")
        prof = _professional(item.get("professional_id"), f"team[{i}].professional_id")
        if prof.pk == coordinator_pk or prof in out:
            raise Refusal("already_in_team", _("Deze professional zit al in het team."),
                          status=409, field=f"team[{i}].professional_id")
        out.append(prof)
    return out


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
