"""Result goals (GAS) and the actions of the plan towards them: who does what, by when, paid
from which product code."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data
from jeugdketen.chainlog.actions import moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal
from jeugdketen.plans.actions._common import _bump, _int, _professional, _text, emit_plan_event
from jeugdketen.plans.models import (
    DEFAULT_PRODUCT_CODE,
    GOAL_LEVELS,
    Goal,
    Plan,
    PlanAction,
    RelatedPerson,
)
from jeugdketen.plans.selectors import plan_for, product_codes, target, team_professionals
from jeugdketen.registry.models import Organisation, Person, Professional

MAX_BUDGET = Decimal("1000000")


def _levels(levels: Any, prefix: str = "") -> dict[str, str]:
    if not isinstance(levels, dict) or set(map(str, levels)) != set(GOAL_LEVELS):
        raise Refusal("goal_levels", _(
            "Beschrijf alle vijf niveaus: -2, -1, 0 (het verwachte resultaat), 1 en 2."),
            field=f"{prefix}levels")
    out = {}
    for key in GOAL_LEVELS:
        value = levels.get(key, levels.get(int(key)))
        out[key] = _text(value, f"{prefix}levels.{key}", limit=500)
    return out


@audit.write_path
def add_goal(actor: Actor, plan_id: Any, *, title: str, person_ids: list[Any], weight: int = 1,
             levels: dict[str, str], organisation_id: Any = None,
             at: datetime | None = None) -> Goal:
    now = moment(at)
    plan, members = plan_for(actor, plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members))
    return _create_goal(actor, plan, members, now, title=title, person_ids=person_ids,
                        weight=weight, levels=levels, organisation_id=organisation_id)


def _create_goal(actor: Actor, plan: Plan, members: tuple[Person, ...], now: datetime, *,
                 title: Any, person_ids: Any, weight: Any = 1, levels: Any,
                 organisation_id: Any = None, prefix: str = "") -> Goal:
    """A goal of the plan, on the decision of the action that calls it (add_goal, or
    start_plan for the goals an intake agreed on): checks the input, writes, emits
    `goal.set`. `prefix` goes before the fields a refusal names ("goals[0].")."""
    title = _text(title, f"{prefix}title", limit=300)
    member_ids = {str(m.pk) for m in members}
    many = isinstance(person_ids, list | tuple | set | frozenset)
    wanted = {str(p) for p in person_ids} if many else set()
    if not wanted or not wanted <= member_ids:
        raise Refusal("goal_persons", _(
            "Een doel is voor een of meer leden van dit huishouden."),
            field=f"{prefix}person_ids")
    try:
        weight = int(weight)
    except (TypeError, ValueError):
        weight = 0
    if not 1 <= weight <= 10:
        raise Refusal("goal_weight", _("Het gewicht is een geheel getal van 1 tot 10."),
                      field=f"{prefix}weight")
    levels = _levels(levels, prefix)
    organisation = (_responsible(plan, organisation_id, f"{prefix}organisation_id")
                    if organisation_id else None)
    goal = Goal.objects.create(plan=plan, title=title, weight=weight, levels=levels,
                               organisation=organisation, created_at=now)
    goal.persons.set([m for m in members if str(m.pk) in wanted])
    _bump(plan)
    emit_plan_event(Activity.GOAL_SET, plan, members, actor, at=now, weight=weight,
                    persons=len(wanted))
    return goal


def _responsible(plan: Plan, organisation_id: Any,
                 field_name: str = "organisation_id") -> Organisation:
    """The organisation responsible for a part: the main contractor (the coordinator's
    organisation) or the organisation of a professional in the care team."""
    allowed = {plan.main_organisation_id} | set(
        Professional.objects.filter(pk__in=team_professionals(plan))
        .values_list("organisation_id", flat=True))
    try:
        organisation_pk = int(organisation_id)
    except (TypeError, ValueError):
        organisation_pk = -1
    if organisation_pk not in allowed:
        raise Refusal("organisation_not_in_plan", _(
            "De verantwoordelijke organisatie is de hoofdaannemer of een organisatie uit het "
            "team."), field=field_name)
    return Organisation.objects.get(pk=organisation_pk)


def _money(value: Any, field_name: str) -> Decimal:
    text = str(value).strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # "99,50", as the Dutch write it
    try:
        amount = Decimal(text).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise Refusal("amount", _("Een bedrag in euro's, zoals 250 of 99,50."),
                      field=field_name) from None
    if not amount.is_finite() or not Decimal("0") <= amount <= MAX_BUDGET:
        raise Refusal("amount_range", _("Een bedrag van 0 tot 1.000.000 euro."),
                      field=field_name)
    return amount


@audit.write_path
def add_action(actor: Actor, plan_id: Any, *, description: str, organisation_id: Any,
               due_on: date, performer_professional_id: Any = None,
               performer_related_id: Any = None, budget_eur: Any = 0,
               product_code: str | None = None, goal_id: Any = None,
               at: datetime | None = None) -> PlanAction:
    """An action of the plan. The product code says what a professional's action is paid
    from (not given: "jeugdhulp"; empty: none); an action of the family's informal network
    is paid from nothing and has no product code."""
    now = moment(at)
    plan, members = plan_for(actor, plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members))
    description = _text(description, "description", limit=1000)
    if (performer_professional_id in (None, "")) == (performer_related_id in (None, "")):
        raise Refusal("one_performer", _(
            "Kies wie het doet: een professional of iemand uit het netwerk."), field="performer")
    professional = related = None
    if performer_professional_id not in (None, ""):
        professional = _professional(performer_professional_id, "performer.professional_id")
        if (professional.pk != plan.coordinator_id
                and professional.pk not in team_professionals(plan)):
            raise Refusal("performer_not_in_team", _(
                "Deze professional zit niet in het team van dit plan."),
                field="performer.professional_id")
    else:
        related = RelatedPerson.objects.filter(pk=_int(performer_related_id),
                                               household=plan.household).first()
        if related is None:
            raise Refusal("performer_not_in_network", _(
                "Deze persoon hoort niet bij het netwerk van dit gezin."),
                field="performer.related_person_id")
    organisation = _responsible(plan, organisation_id)
    if not isinstance(due_on, date):
        raise Refusal("date", _("Een datum."), field="due_on")
    budget = _money(budget_eur, "budget_eur")
    code = (product_code or "").strip()
    if related is not None:
        if code:
            raise Refusal("product_code_network", _(
                "Een actie van iemand uit het netwerk van het gezin heeft geen productcode."),
                field="product_code")
    elif product_code is None:
        code = DEFAULT_PRODUCT_CODE
    if code and code not in {p.code for p in product_codes(plan)}:
        raise Refusal("product_code", _("Onbekende productcode voor deze gemeente."),
                      field="product_code")
    goal = None
    if goal_id not in (None, ""):
        goal = Goal.objects.filter(pk=_int(goal_id), plan=plan).first()
        if goal is None:
            raise Refusal("goal_not_in_plan", _("Dit doel hoort niet bij dit plan."),
                          field="goal_id")
    item = PlanAction.objects.create(
        plan=plan, goal=goal, description=description, performer_professional=professional,
        performer_related=related, organisation=organisation, due_on=due_on,
        budget_eur=budget, product_code=code, created_at=now)
    _bump(plan)
    emit_plan_event(Activity.PLAN_ACTION_PLANNED, plan, members, actor, at=now,
                    budget_eur=str(budget), product_code=code, informal=related is not None,
                    responsible_organisation_id=organisation.pk)
    return item


@audit.write_path
def complete_action(actor: Actor, action_id: Any, *, done_on: date | None = None,
                    spent_eur: Any = 0, at: datetime | None = None) -> PlanAction:
    now = moment(at)
    item = audit.get_or_deny(actor, Action.UPDATE, Data.PLAN, PlanAction.objects, action_id,
                             "action")
    plan, members = plan_for(actor, item.plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members))
    # Read again under the plan's lock: a request that waited for it must see the action as
    # the one before it left it (done), not as it was before the wait.
    item = PlanAction.objects.select_for_update().get(pk=item.pk)
    if item.done_on is not None:
        raise Refusal("action_done", _("Deze actie is al afgerond."), status=409, field="done_on")
    item.done_on = done_on or timezone.localdate(now)
    item.spent_eur = _money(spent_eur, "spent_eur")
    item.save(update_fields=["done_on", "spent_eur"])
    _bump(plan)
    emit_plan_event(Activity.PLAN_ACTION_DONE, plan, members, actor, at=now,
                    spent_eur=str(item.spent_eur),
                    budget_eur=str(item.budget_eur), product_code=item.product_code,
                    days_late=max(0, (item.done_on - item.due_on).days))
    return item
