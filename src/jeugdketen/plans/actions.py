"""The only functions that change a family's plan.

Each action asks the access policy, writes, logs the access for every member of the
household (NEN 7513) and emits the chain event, in one transaction. Changes to a plan lock
the plan row first (SELECT ... FOR UPDATE), so two people editing at once are serialised;
a form sent with an older revision of the sections is refused, never silently lost.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import (
    Action,
    Actor,
    Data,
    Decision,
    Ground,
    Target,
    decide,
    joins_on_ground,
)
from jeugdketen.chainlog.actions import emit, moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal
from jeugdketen.plans.gas import t_score
from jeugdketen.plans.models import (
    DEFAULT_PRODUCT_CODE,
    GOAL_LEVELS,
    ApprovalHow,
    CloseReason,
    Comment,
    Concern,
    Evaluation,
    Goal,
    GoalScore,
    Handover,
    Origin,
    Plan,
    PlanAction,
    PlanStatus,
    PlanVersion,
    ProductCode,
    RelatedPerson,
    TeamMember,
)
from jeugdketen.registry.models import (
    Household,
    HouseholdMember,
    Organisation,
    Person,
    Professional,
)

MAX_TEXT = 5000
# A plan is evaluated at least this often: after this many days without an evaluation (or
# since the start) the coordinator's worklist says the evaluation is due.
EVALUATION_INTERVAL_DAYS = 91
MAX_BUDGET = Decimal("1000000")
MIN_HANDOVER_REASON = 10


# --- reading helpers ------------------------------------------------------------------


def members_of(household: Household) -> tuple[Person, ...]:
    return tuple(Person.objects.filter(memberships__household=household)
                 .select_related("neighbourhood").order_by("birth_date", "id"))


def _hood(members: tuple[Person, ...]) -> str:
    return next((m.neighbourhood_id for m in members if m.neighbourhood_id), "") or ""


def target(plan: Plan, members: tuple[Person, ...], data: Data = Data.PLAN,
           person: Person | None = None) -> Target:
    return Target(data, person=person, household=plan.household, members=members,
                  object_id=str(plan.pk), record=plan)


def _plan_for(actor: Actor, plan_id: Any, action: Action, data: Data = Data.PLAN, *,
              lock: bool = False) -> tuple[Plan, tuple[Person, ...]]:
    qs = Plan.objects.select_related("household", "coordinator__organisation",
                                     "main_organisation")
    if lock:
        qs = qs.select_for_update(of=("self",))
    plan = audit.get_or_deny(actor, action, data, qs, plan_id, "plan")
    return plan, members_of(plan.household)


def _emit(activity: Activity, plan: Plan, members: tuple[Person, ...], actor: Actor, *,
          at: datetime | None = None, **attributes: Any) -> None:
    prof = actor.professional
    emit(activity, household=plan.household, trajectory_key=str(plan.pk),
         neighbourhood_code=_hood(members),
         organisation_id=prof.organisation_id if prof is not None else None,
         attributes=attributes, at=at)


def _family(members: tuple[Person, ...]) -> str:
    """The family as its coordinator and team know it: the members' names."""
    return ", ".join(str(m) for m in members)


def _tell(recipients: list[Professional | None], kind: str, subject: str, body: str, plan: Plan,
          actor: Actor, at: datetime | None = None, *, to_actor: bool = False) -> None:
    """Messages about a plan event, in the event's transaction (not to the one who acted,
    unless `to_actor`: the coordinator who handed over keeps a note of it)."""
    from jeugdketen import inbox
    from jeugdketen.referral_index.models import MessageKind

    inbox.send(recipients, MessageKind(kind), subject, body, plan=plan, at=at,
               skip=None if to_actor else actor.professional)


def _me(actor: Actor) -> Professional:
    """The professional behind an actor the policy let change a plan (the coordinator)."""
    if actor.professional is None:
        raise TypeError("only a professional changes a plan")
    return actor.professional


def _bump(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(revision=plan.revision + 1)
    plan.revision += 1


def _text(value: Any, field_name: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if required and not text:
        raise Refusal("required", _("Vul dit veld in."), field=field_name)
    if len(text) > limit:
        raise Refusal("too_long", _("Hoogstens %(n)s tekens.") % {"n": limit}, field=field_name)
    return text


def _professional(pk: Any, field_name: str) -> Professional:
    try:
        return Professional.objects.select_related("organisation").get(pk=pk)
    except (Professional.DoesNotExist, ValueError, TypeError):
        raise Refusal("unknown_professional", _("Deze professional bestaat niet."),
                      field=field_name) from None


def _may_coordinate(prof: Professional, field_name: str) -> None:
    if not prof.organisation.may_coordinate:
        raise Refusal("organisation_may_not_coordinate", _(
            "De regisseur komt van een organisatie die regie mag voeren."), field=field_name)


# --- starting a trajectory --------------------------------------------------------------


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
        if coordinator.pk != _me(actor).pk:
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
    _emit(Activity.PLAN_STARTED, plan, members, actor, at=now, origin=plan.origin,
          household_size=len(members), started_by=decision.role,
          coordinator_organisation_id=coordinator.organisation_id)
    if givers_of:
        from jeugdketen.access.actions import give_consent

        for pid, own in givers_of.items():
            give_consent(actor, pid, plan_id=plan.pk, given_by=own,
                         organisation_id=coordinator.organisation_id,
                         categories=list(ALL_CATEGORIES), at=now)
    return plan


def givers_for(persons: tuple[Person, ...] | list[Person], members: tuple[Person, ...],
               givers: set[str], today: date) -> dict[str, list[str]]:
    """For each of `persons`, those of the givers (members of the household) who can give
    consent for them: the person and the custody holders the BRP names. Whether that is
    enough (alone from 16, a custody holder under 12, both from 12 to 15) the law decides,
    in check_givers; all or nothing."""
    from jeugdketen.access.actions import (
        CONSENT_ALONE_FROM,
        CONSENT_TOGETHER_FROM,
        check_givers,
        custody_holders_of,
    )

    if not givers or not givers <= {str(m.pk) for m in members}:
        raise Refusal("consent_givers", _("Kies wie de toestemming geeft: leden van dit "
                                          "huishouden."), field="given_by_person_ids")
    out: dict[str, list[str]] = {}
    for person in persons:
        pid = str(person.pk)
        age = person.age_on(today)
        if age >= CONSENT_ALONE_FROM:
            own = givers & {pid}  # from 16 the person alone, whoever else consents
        elif age >= CONSENT_TOGETHER_FROM:
            own = givers & (custody_holders_of(person) | {pid})
        else:
            own = givers & custody_holders_of(person)  # under 12 the custody holders
        try:
            check_givers(person, own, today)
        except Refusal as exc:
            raise Refusal(exc.rule, f"{person}: {exc.message}", status=exc.status,
                          field=exc.field) from None
        out[pid] = sorted(own)
    return out


@audit.write_path
def hand_over(actor: Actor, plan_id: Any, *, to_professional_id: Any, on: date | None,
              reason: str, at: datetime | None = None) -> Handover:
    now = moment(at)
    plan, members = _plan_for(actor, plan_id, Action.UPDATE, lock=True)
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
    _emit(Activity.COORDINATOR_HANDED_OVER, plan, members, actor, at=now,
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


# --- the plan's sections ----------------------------------------------------------------


@audit.write_path
def update_sections(actor: Actor, plan_id: Any, *, revision: int, goes_well: str,
                    own_strength: str, support_needed: str, at: datetime | None = None) -> Plan:
    now = moment(at)
    plan, members = _plan_for(actor, plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members))
    if int(revision) != plan.revision:
        raise Refusal("plan_changed", _(
            "Iemand anders heeft het plan intussen gewijzigd. Uw tekst is niet opgeslagen: "
            "bekijk de nieuwe versie en voer uw wijziging opnieuw in."), status=409,
            field="revision")
    plan.goes_well = _text(goes_well, "goes_well", required=False)
    plan.own_strength = _text(own_strength, "own_strength", required=False)
    plan.support_needed = _text(support_needed, "support_needed", required=False)
    plan.revision += 1
    plan.save(update_fields=["goes_well", "own_strength", "support_needed", "revision"])
    _emit(Activity.PLAN_UPDATED, plan, members, actor, at=now, part="sections")
    return plan


@audit.write_path
def add_concern(actor: Actor, plan_id: Any, *, text: str, priority: int,
                at: datetime | None = None) -> Concern:
    now = moment(at)
    plan, members = _plan_for(actor, plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members))
    if priority not in Concern.Priority.values:
        raise Refusal("priority", _("Kies een prioriteit: hoog, gemiddeld of laag."),
                      field="priority")
    concern = Concern.objects.create(plan=plan, text=_text(text, "text"), priority=priority,
                                     created_at=now)
    _bump(plan)
    _emit(Activity.PLAN_UPDATED, plan, members, actor, at=now, part="concern",
          priority=priority)
    return concern


@audit.write_path
def remove_concern(actor: Actor, concern_id: Any) -> None:
    concern = audit.get_or_deny(actor, Action.UPDATE, Data.PLAN, Concern.objects, concern_id,
                                "concern")
    plan, members = _plan_for(actor, concern.plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members))
    # Under the plan's lock: a request that waited for it finds the concern already gone
    # (removed by the one before it) and changes nothing more.
    if not Concern.objects.filter(pk=concern.pk).delete()[0]:
        return
    _bump(plan)
    _emit(Activity.PLAN_UPDATED, plan, members, actor, part="concern_removed")


# --- goals, actions, team -------------------------------------------------------------


def _levels(levels: Any) -> dict[str, str]:
    if not isinstance(levels, dict) or set(map(str, levels)) != set(GOAL_LEVELS):
        raise Refusal("goal_levels", _(
            "Beschrijf alle vijf niveaus: -2, -1, 0 (het verwachte resultaat), 1 en 2."),
            field="levels")
    out = {}
    for key in GOAL_LEVELS:
        value = levels.get(key, levels.get(int(key)))
        out[key] = _text(value, f"levels.{key}", limit=500)
    return out


@audit.write_path
def add_goal(actor: Actor, plan_id: Any, *, title: str, person_ids: list[Any], weight: int = 1,
             levels: dict[str, str], organisation_id: Any = None,
             at: datetime | None = None) -> Goal:
    now = moment(at)
    plan, members = _plan_for(actor, plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members))
    title = _text(title, "title", limit=300)
    member_ids = {str(m.pk) for m in members}
    wanted = {str(p) for p in person_ids or []}
    if not wanted or not wanted <= member_ids:
        raise Refusal("goal_persons", _(
            "Een doel is voor een of meer leden van dit huishouden."), field="person_ids")
    try:
        weight = int(weight)
    except (TypeError, ValueError):
        weight = 0
    if not 1 <= weight <= 10:
        raise Refusal("goal_weight", _("Het gewicht is een geheel getal van 1 tot 10."),
                      field="weight")
    levels = _levels(levels)
    organisation = _responsible(plan, organisation_id) if organisation_id else None
    goal = Goal.objects.create(plan=plan, title=title, weight=weight, levels=levels,
                               organisation=organisation, created_at=now)
    goal.persons.set([m for m in members if str(m.pk) in wanted])
    _bump(plan)
    _emit(Activity.GOAL_SET, plan, members, actor, at=now, weight=weight, persons=len(wanted))
    return goal


def _team_professionals(plan: Plan) -> set[int]:
    return set(TeamMember.objects.filter(plan=plan, left_at__isnull=True,
                                         professional__isnull=False)
               .values_list("professional_id", flat=True))


def _responsible(plan: Plan, organisation_id: Any) -> Organisation:
    """The organisation responsible for a part: the main contractor (the coordinator's
    organisation) or the organisation of a professional in the care team."""
    allowed = {plan.main_organisation_id} | set(
        Professional.objects.filter(pk__in=_team_professionals(plan))
        .values_list("organisation_id", flat=True))
    try:
        organisation_pk = int(organisation_id)
    except (TypeError, ValueError):
        organisation_pk = -1
    if organisation_pk not in allowed:
        raise Refusal("organisation_not_in_plan", _(
            "De verantwoordelijke organisatie is de hoofdaannemer of een organisatie uit het "
            "team."), field="organisation_id")
    return Organisation.objects.get(pk=organisation_pk)


def product_codes(plan: Plan) -> list[ProductCode]:
    municipality = plan.main_organisation.municipality_id
    return list(ProductCode.objects.filter(Q(municipality__isnull=True)
                                           | Q(municipality_id=municipality), active=True)
                .order_by("code"))


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
    plan, members = _plan_for(actor, plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members))
    description = _text(description, "description", limit=1000)
    if (performer_professional_id in (None, "")) == (performer_related_id in (None, "")):
        raise Refusal("one_performer", _(
            "Kies wie het doet: een professional of iemand uit het netwerk."), field="performer")
    professional = related = None
    if performer_professional_id not in (None, ""):
        professional = _professional(performer_professional_id, "performer.professional_id")
        if professional.pk != plan.coordinator_id and professional.pk not in _team_professionals(plan):
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
    _emit(Activity.PLAN_ACTION_PLANNED, plan, members, actor, at=now, budget_eur=str(budget),
          product_code=code, informal=related is not None,
          responsible_organisation_id=organisation.pk)
    return item


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@audit.write_path
def complete_action(actor: Actor, action_id: Any, *, done_on: date | None = None,
                    spent_eur: Any = 0, at: datetime | None = None) -> PlanAction:
    now = moment(at)
    item = audit.get_or_deny(actor, Action.UPDATE, Data.PLAN, PlanAction.objects, action_id,
                             "action")
    plan, members = _plan_for(actor, item.plan_id, Action.UPDATE, lock=True)
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
    _emit(Activity.PLAN_ACTION_DONE, plan, members, actor, at=now,
          spent_eur=str(item.spent_eur),
          budget_eur=str(item.budget_eur), product_code=item.product_code,
          days_late=max(0, (item.done_on - item.due_on).days))
    return item


@dataclass
class RelatedInput:
    name: str
    relation: str
    phone: str = ""
    email: str = ""


@audit.write_path
def add_team_member(actor: Actor, plan_id: Any, *, role: str, professional_id: Any = None,
                    related: RelatedInput | None = None,
                    at: datetime | None = None) -> TeamMember:
    """The coordinator adds a professional only when their organisation holds consent given
    for this plan for every member of the household (which the coordinator sees); a legal
    basis never shows in the answer: its holder joins the team themselves (join_team). A
    member of the informal network needs none (no login; the family brings them in)."""
    now = moment(at)
    plan, members = _plan_for(actor, plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members, Data.TEAM))
    role = _text(role, "role", limit=200)
    if (professional_id in (None, "")) == (related is None):
        raise Refusal("one_member", _(
            "Kies een professional of vul iemand uit het netwerk in."), field="professional_id")
    if related is not None:
        name = _text(related.name, "related_person.name", limit=200)
        relation = _text(related.relation, "related_person.relation", limit=100)
        phone = _text(related.phone, "related_person.phone", required=False, limit=20)
        email = _text(related.email, "related_person.email", required=False, limit=254)
        if email:
            from django.core.exceptions import ValidationError
            from django.core.validators import validate_email
            try:
                validate_email(email)
            except ValidationError:
                raise Refusal("email", _("Geen geldig e-mailadres."),
                              field="related_person.email") from None
        person = RelatedPerson.objects.create(household=plan.household, name=name,
                                              relation=relation, phone=phone, email=email,
                                              created_at=now)
        member = TeamMember.objects.create(plan=plan, related_person=person, role=role,
                                           joined_at=now)
        kind = "informal"
    else:
        professional = _professional(professional_id, "professional_id")
        if professional.pk == plan.coordinator_id or professional.pk in _team_professionals(plan):
            raise Refusal("already_in_team", _("Deze professional zit al in het team."),
                          status=409, field="professional_id")
        if joins_on_ground(professional, members, plan, timezone.localdate(now),
                           legal_bases=False) is None:
            raise Refusal("no_ground_to_join", _(
                "Voor deze organisatie is nog geen toestemming van alle gezinsleden voor dit "
                "plan vastgelegd. Leg eerst de toestemming vast. (Heeft de organisatie een "
                "wettelijke grondslag, dan sluit zij zelf aan.)"), status=403,
                field="professional_id")
        member = TeamMember.objects.create(plan=plan, professional=professional, role=role,
                                           joined_at=now)
        kind = "professional"
    _bump(plan)
    _emit(Activity.TEAM_JOINED, plan, members, actor, at=now, kind=kind,
          member_organisation_id=member.professional.organisation_id if member.professional else None)
    if member.professional is not None:
        _tell([member.professional], "team_joined", _("U zit in het team van een gezinsplan"), _(
            "Gezin: %(family)s. %(coordinator)s (regisseur) heeft u aan het team toegevoegd, "
            "als %(role)s.") % {"family": _family(members), "role": role,
                               "coordinator": plan.coordinator.full_name}, plan, actor, now)
    return member


@audit.write_path
def join_team(actor: Actor, plan_id: Any, *, role: str, at: datetime | None = None
              ) -> TeamMember:
    """A professional joins a plan's care team themselves, on their organisation's consent
    for this plan or its legal basis (a child-protection measure, Veilig Thuis' statutory
    task) for every member. The coordinator and the family see the new team member."""
    now = moment(at)
    plan, members = _plan_for(actor, plan_id, Action.CREATE, Data.TEAM, lock=True)
    me = actor.professional
    if me is not None and (me.pk == plan.coordinator_id or me.pk in _team_professionals(plan)):
        # They see the plan already: saying so reveals nothing new.
        raise Refusal("already_in_team", _("U zit al in het team van dit gezinsplan."),
                      status=409)
    decision = audit.authorize(actor, Action.CREATE, target(plan, members, Data.TEAM))
    role = _text(role, "role", limit=200)
    me = _me(actor)
    member = TeamMember.objects.create(plan=plan, professional=me, role=role, joined_at=now)
    _bump(plan)
    _emit(Activity.TEAM_JOINED, plan, members, actor, at=now, kind="professional",
          member_organisation_id=me.organisation_id, on=decision.ground)
    _tell([plan.coordinator], "team_joined", _("Nieuw in het team"), _(
        "Gezin: %(family)s. %(name)s (%(org)s) sloot aan bij het team, als %(role)s.") % {
        "family": _family(members), "name": me.full_name, "org": me.organisation.name,
        "role": role}, plan, actor, now)
    return member


def plans_to_join(actor: Actor, person: Person) -> list[Plan]:
    """The open plans of the person's households that the actor may join themselves (asks
    the policy only; a plan is named only to someone who may join it)."""
    found = []
    for plan in (Plan.objects.filter(household__members__person=person, status=PlanStatus.OPEN)
                 .select_related("household", "coordinator__organisation").distinct()):
        if decide(actor, Action.CREATE, target(plan, members_of(plan.household),
                                               Data.TEAM)).allowed:
            found.append(plan)
    return found


@audit.write_path
def remove_team_member(actor: Actor, member_id: Any, *, at: datetime | None = None
                       ) -> TeamMember:
    now = moment(at)
    member = audit.get_or_deny(actor, Action.UPDATE, Data.TEAM, TeamMember.objects, member_id,
                               "team member")
    plan, members = _plan_for(actor, member.plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members, Data.TEAM))
    # As it is now, under the plan's lock (a request that waited for it sees it has left).
    member = TeamMember.objects.select_for_update().get(pk=member.pk)
    if member.left_at is None:
        member.left_at = now
        member.save(update_fields=["left_at"])
        _bump(plan)
        _emit(Activity.TEAM_LEFT, plan, members, actor, at=now,
              kind="professional" if member.professional_id else "informal")
        if member.professional_id is not None:
            # They no longer see the plan: the message names no family.
            _tell([member.professional], "team_left", _("U zit niet meer in een team"), _(
                "%(coordinator)s (regisseur) heeft u uit het team van een gezinsplan gehaald. "
                "U ziet dat plan niet meer.") % {"coordinator": plan.coordinator.full_name},
                plan, actor, now)
    return member


# --- evaluations ----------------------------------------------------------------------


def _scores(plan: Plan, scores: list[tuple[Any, Any]]) -> list[tuple[Goal, int]]:
    goals = {g.pk: g for g in plan.goals.all()}
    if not goals:
        raise Refusal("no_goals", _("Zet eerst resultaatdoelen in het plan."), field="scores")
    seen: dict[int, int] = {}
    for goal_id, score in scores:
        pk = _int(goal_id)
        if pk not in goals:
            raise Refusal("goal_not_in_plan", _("Dit doel hoort niet bij dit plan."),
                          field="scores.goal_id")
        if pk in seen:
            raise Refusal("goal_scored_twice", _("Elk doel krijgt één score."),
                          field="scores.goal_id")
        if isinstance(score, bool) or not isinstance(score, int) or not -2 <= score <= 2:
            raise Refusal("goal_score", _("Een score is een geheel getal van -2 tot 2."),
                          field="scores.score")
        seen[pk] = score
    missing = set(goals) - set(seen)
    if missing:
        raise Refusal("goal_not_scored", _("Geef elk doel van het plan een score."),
                      field="scores")
    return [(goals[pk], seen[pk]) for pk in goals]


@audit.write_path
def record_evaluation(actor: Actor, plan_id: Any, *, on: date,
                      scores: list[tuple[Any, Any]], note: str = "",
                      final: bool = False, at: datetime | None = None) -> Evaluation:
    now = moment(at)
    plan, members = _plan_for(actor, plan_id, Action.CREATE, Data.EVALUATION, lock=True)
    audit.authorize(actor, Action.CREATE, target(plan, members, Data.EVALUATION))
    if not isinstance(on, date) or on > timezone.localdate(now) or on < plan.started_on:
        raise Refusal("evaluation_date", _(
            "De datum ligt tussen de start van het plan en vandaag."), field="date")
    scored = _scores(plan, scores)
    t = t_score((score, goal.weight) for goal, score in scored)
    evaluation = Evaluation.objects.create(plan=plan, on=on, t_score=t, final=final,
                                           note=_text(note, "note", required=False),
                                           recorded_by=_me(actor), recorded_at=now)
    GoalScore.objects.bulk_create([GoalScore(evaluation=evaluation, goal=goal, score=score,
                                             weight=goal.weight) for goal, score in scored])
    _bump(plan)
    _emit(Activity.EVALUATION_RECORDED, plan, members, actor, at=now, t_score=t,
          goals=len(scored),
          final=final, day=(on - plan.started_on).days)
    return evaluation


# --- versions, approval, comments ------------------------------------------------------


def snapshot(plan: Plan) -> dict[str, Any]:
    """What the family approves: the plan in words, as it stands."""
    team = TeamMember.objects.filter(plan=plan, left_at__isnull=True).select_related(
        "professional__organisation", "related_person")
    return {
        "coordinator": f"{plan.coordinator.full_name} ({plan.coordinator.organisation.name})",
        "goes_well": plan.goes_well,
        "concerns": [f"[{c.get_priority_display()}] {c.text}" for c in plan.concerns.all()],
        "own_strength": plan.own_strength,
        "support_needed": plan.support_needed,
        "goals": [{"title": g.title, "weight": g.weight, "levels": g.levels}
                  for g in plan.goals.all()],
        "actions": [f"{a.description} – {_performer(a)} – {a.due_on.isoformat()} – "
                    f"€ {a.budget_eur}" + (f" ({a.product_code})" if a.product_code else "")
                    for a in plan.actions.select_related("performer_professional",
                                                         "performer_related")],
        "team": [f"{_member_name(m)}: {m.role}" for m in team],
    }


def _performer(item: PlanAction) -> str:
    if item.performer_professional is not None:
        return item.performer_professional.full_name
    return item.performer_related.name if item.performer_related else ""


def _member_name(member: TeamMember) -> str:
    if member.professional is not None:
        return f"{member.professional.full_name} ({member.professional.organisation.name})"
    related = member.related_person
    return f"{related.name} ({related.relation})" if related else ""


@audit.write_path
def save_version(actor: Actor, plan_id: Any, *, at: datetime | None = None) -> PlanVersion:
    """Freeze the plan as it stands and put it to the family."""
    now = moment(at)
    plan, members = _plan_for(actor, plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members))
    last = plan.versions.order_by("-number").first()
    if last is not None and last.revision == plan.revision:
        return last  # nothing changed since: the same version
    version = PlanVersion.objects.create(
        plan=plan, number=(last.number + 1) if last else 1, revision=plan.revision,
        snapshot=snapshot(plan), created_by=_me(actor), created_at=now)
    _emit(Activity.PLAN_VERSION_SAVED, plan, members, actor, at=now, number=version.number)
    return version


@audit.write_path
def approve_version(actor: Actor, plan_id: Any, *, number: int, how: str = "",
                    at: datetime | None = None) -> PlanVersion:
    """The family approves a version: in their own view, or the coordinator records how
    (in a conversation, on paper)."""
    plan, members = _plan_for(actor, plan_id, Action.CREATE, Data.APPROVAL, lock=True)
    decision = audit.authorize(actor, Action.CREATE, target(plan, members, Data.APPROVAL))
    version = plan.versions.filter(number=_int(number)).first()
    last = plan.versions.order_by("-number").first()
    if version is None or last is None or version.pk != last.pk:
        raise Refusal("not_latest_version", _("Alleen de nieuwste versie kan worden goedgekeurd."),
                      field="number")
    if version.approved_at is not None:
        raise Refusal("already_approved", _("Deze versie is al goedgekeurd."), status=409,
                      field="number")
    if decision.ground == Ground.FAMILY:
        how = ApprovalHow.FAMILY_VIEW
        name = str(actor.person) if actor.person is not None else ""
    else:
        if how not in (ApprovalHow.IN_PERSON, ApprovalHow.PAPER):
            raise Refusal("approval_how", _(
                "Leg vast hoe het gezin akkoord gaf: in een gesprek of op papier."), field="how")
        name = ""
    version.approved_at = moment(at)
    version.approved_how = how
    version.approved_by = actor.user
    version.approved_by_name = name
    version.save(update_fields=["approved_at", "approved_how", "approved_by", "approved_by_name"])
    _emit(Activity.PLAN_APPROVED, plan, members, actor, at=version.approved_at,
          number=version.number, how=how)
    if decision.ground == Ground.FAMILY:
        _tell([plan.coordinator], "plan_approved", _("Het gezin keurde het plan goed"), _(
            "Gezin: %(family)s. %(name)s keurde versie %(number)s van het plan goed.") % {
            "family": _family(members), "name": name, "number": version.number},
            plan, actor, version.approved_at)
    return version


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Per part of the plan: the lines removed and added between two versions."""
    out = []
    for key in new:
        before, after = _lines(old.get(key)), _lines(new.get(key))
        if before == after:
            continue
        removed, added = [], []
        for line in difflib.ndiff(before, after):
            if line.startswith("- "):
                removed.append(line[2:])
            elif line.startswith("+ "):
                added.append(line[2:])
        out.append({"part": key, "removed": removed, "added": added})
    return out


def _lines(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [line for line in value.splitlines() if line.strip()]
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict):
                levels = "; ".join(f"{k}: {v}" for k, v in (item.get("levels") or {}).items())
                lines.append(f"{item.get('title')} (×{item.get('weight')}) – {levels}")
            else:
                lines.append(str(item))
        return lines
    return [str(value)]


@audit.write_path
def add_comment(actor: Actor, plan_id: Any, *, text: str, at: datetime | None = None) -> Comment:
    now = moment(at)
    plan, members = _plan_for(actor, plan_id, Action.CREATE, Data.COMMENT)
    decision = audit.authorize(actor, Action.CREATE, target(plan, members, Data.COMMENT))
    by_family = decision.role == "citizen"
    name = (str(actor.person) if by_family and actor.person is not None
            else actor.professional.full_name if actor.professional is not None
            else actor.username)
    comment = Comment.objects.create(plan=plan, author=actor.user, author_name=name,
                                     by_family=by_family, text=_text(text, "text", limit=2000),
                                     created_at=now)
    _emit(Activity.PLAN_COMMENTED, plan, members, actor, at=now, by_family=by_family)
    if by_family:
        _tell([plan.coordinator], "plan_commented", _("Een reactie van het gezin"), _(
            "Gezin: %(family)s. %(name)s schreef een reactie bij het plan.") % {
            "family": _family(members), "name": name}, plan, actor, now)
    return comment


# --- reminders ----------------------------------------------------------------------------


def evaluation_due_on(plan: Plan, last_evaluation: date | None) -> date:
    return (last_evaluation or plan.started_on) + timedelta(days=EVALUATION_INTERVAL_DAYS)


@transaction.atomic
def remind_evaluations(today: date | None = None) -> int:
    """Tell each coordinator once about an open plan whose evaluation is due (run every
    night, like the reference index's overdue alerts). Reads no personal data beyond the
    family's names the coordinator already sees."""
    from django.db.models import Max

    from jeugdketen.referral_index.models import Message, MessageKind

    today = today or timezone.localdate()
    sent = 0
    # Two runs at once tell no one twice: the second waits for the first's locks.
    open_ids = list(Plan.objects.select_for_update().filter(status=PlanStatus.OPEN)
                    .values_list("pk", flat=True))
    plans = (Plan.objects.filter(pk__in=open_ids)
             .annotate(last_evaluation=Max("evaluations__on"))
             .select_related("coordinator", "household"))
    for plan in plans:
        due = evaluation_due_on(plan, plan.last_evaluation)  # type: ignore[attr-defined]
        if due > today:
            continue
        if Message.objects.filter(plan=plan, kind=MessageKind.EVALUATION_DUE,
                                  recipient=plan.coordinator,
                                  created_at__gte=timezone.make_aware(
                                      datetime.combine(due, datetime.min.time()))).exists():
            continue  # told already for this evaluation
        members = members_of(plan.household)
        from jeugdketen import inbox

        inbox.send([plan.coordinator], MessageKind.EVALUATION_DUE, _("Evaluatie nodig"), _(
            "Gezin: %(family)s. Het plan is sinds %(day)s aan een evaluatie toe.") % {
            "family": _family(members), "day": due.strftime("%d-%m-%Y")}, plan=plan)
        sent += 1
    return sent


# --- closing ----------------------------------------------------------------------------


@audit.write_path
def close_plan(actor: Actor, plan_id: Any, *, reason_code: str,
               can_continue_without_help: bool, satisfaction: int | None,
               final_scores: list[tuple[Any, Any]] | None = None, on: date | None = None,
               note: str = "", at: datetime | None = None) -> Plan:
    """Close the trajectory: the CBS reason, whether the family can go on without help, the
    family's satisfaction with the usefulness of the help (1-10), a final evaluation, and
    the costs actually spent, all into the chain event log."""
    plan, members = _plan_for(actor, plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members))
    if reason_code not in CloseReason.values:
        raise Refusal("reason_code", _("Kies een reden van beëindiging (CBS 01 tot en met 05)."),
                      field="reason_code")
    if not isinstance(can_continue_without_help, bool):
        raise Refusal("required", _("Kan het gezin verder zonder hulp? Ja of nee."),
                      field="can_continue_without_help")
    if satisfaction is not None and (isinstance(satisfaction, bool)
                                     or not isinstance(satisfaction, int)
                                     or not 1 <= satisfaction <= 10):
        raise Refusal("satisfaction", _("Een cijfer van 1 tot 10."), field="satisfaction")
    now = moment(at)
    on = on or timezone.localdate(now)
    final = None
    if final_scores:
        scored = _scores(plan, final_scores)
        final = Evaluation.objects.create(
            plan=plan, on=on, final=True, recorded_by=_me(actor), recorded_at=now,
            t_score=t_score((s, g.weight) for g, s in scored),
            note=_text(note, "note", required=False))
        GoalScore.objects.bulk_create([GoalScore(evaluation=final, goal=g, score=s,
                                                 weight=g.weight) for g, s in scored])
        _emit(Activity.EVALUATION_RECORDED, plan, members, actor, at=now, t_score=final.t_score,
              goals=len(scored), final=True, day=(on - plan.started_on).days)
    else:
        final = plan.evaluations.order_by("-on", "-recorded_at").first()
    actions = list(plan.actions.all())
    spent = sum((a.spent_eur or Decimal("0") for a in actions), Decimal("0"))
    budget = sum((a.budget_eur for a in actions), Decimal("0"))
    plan.status = PlanStatus.CLOSED
    plan.closed_on = on
    plan.close_reason = reason_code
    plan.can_continue_without_help = can_continue_without_help
    plan.satisfaction = satisfaction
    plan.costs_spent_eur = spent
    plan.revision += 1
    plan.save(update_fields=["status", "closed_on", "close_reason", "can_continue_without_help",
                             "satisfaction", "costs_spent_eur", "revision"])
    _emit(Activity.PLAN_CLOSED, plan, members, actor, at=now, reason_code=reason_code,
          can_continue_without_help=can_continue_without_help, satisfaction=satisfaction,
          costs_spent_eur=str(spent), budget_eur=str(budget),
          final_t_score=final.t_score if final else None,
          days_open=(on - plan.started_on).days, origin=plan.origin)
    return plan


# --- reading: the family page ---------------------------------------------------------


@dataclass
class FamilyPage:
    """Everything the family page shows, each part read on its own ground (parts without a
    ground are None and not shown)."""

    plan: Plan
    members: tuple[Person, ...]
    decision: Decision
    team: list[TeamMember] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)
    concerns: list[Concern] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    actions: list[PlanAction] = field(default_factory=list)
    evaluations: list[Evaluation] | None = None
    versions: list[PlanVersion] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    analyses: dict[str, list[Any]] = field(default_factory=dict)  # person id -> analyses
    relations: dict[str, str] = field(default_factory=dict)  # person id -> parent/carer/child
    budget_eur: Decimal = Decimal("0")
    spent_eur: Decimal = Decimal("0")

    @property
    def latest_version(self) -> PlanVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def version_current(self) -> bool:
        latest = self.latest_version
        return latest is not None and latest.revision == self.plan.revision


@audit.write_path
def read_plan(actor: Actor, plan_id: Any, *, with_analyses: bool = True,
              action: Action = Action.READ) -> FamilyPage:
    """The plan with its team, goals, actions, evaluations, versions and analyses, in a
    number of queries that does not grow with the goals, actions or evaluations. `action`
    is what is logged: the page reads, the PDF prints (Action.PRINT)."""
    plan = audit.get_or_deny(actor, action, Data.PLAN, Plan.objects.select_related(
        "household", "coordinator__organisation", "main_organisation", "match"), plan_id, "plan")
    members = members_of(plan.household)
    team = list(TeamMember.objects.filter(plan=plan).select_related(
        "professional__organisation", "related_person"))
    plan.jk_team_professionals = {  # type: ignore[attr-defined]
        m.professional_id for m in team if m.professional_id and m.left_at is None}
    decision = audit.authorize(actor, action, target(plan, members))
    page = FamilyPage(plan=plan, members=members, decision=decision, team=team)
    page.relations = {str(p): r for p, r in HouseholdMember.objects.filter(
        household_id=plan.household_id).values_list("person_id", "relation")}
    page.handovers = list(plan.handovers.select_related("from_professional", "to_professional"))
    page.concerns = list(plan.concerns.all())
    page.goals = list(plan.goals.select_related("organisation").prefetch_related(
        Prefetch("persons", queryset=Person.objects.only("id", "given_names", "family_name"))))
    page.actions = list(plan.actions.select_related(
        "performer_professional__organisation", "performer_related", "organisation", "goal"))
    page.budget_eur = sum((a.budget_eur for a in page.actions), Decimal("0"))
    page.spent_eur = sum((a.spent_eur or Decimal("0") for a in page.actions), Decimal("0"))
    page.versions = list(plan.versions.select_related("created_by"))
    page.comments = list(plan.comments.all())
    if audit.if_allowed(actor, action, target(plan, members, Data.EVALUATION)).allowed:
        page.evaluations = list(plan.evaluations.select_related("recorded_by")
                                .prefetch_related("scores"))
    if with_analyses:
        from jeugdketen.analysis.actions import analyses_for

        page.analyses = analyses_for(actor, plan, members)
    return page


def _readable(actor: Actor, plans: list[Plan]) -> list[Plan]:
    """Of these plans, those the actor may read, each logged as read for every member. The
    members of all the plans are read in one query and the log written at once, so a list
    costs the same number of queries however long it is."""
    from dataclasses import replace

    from django.db.models import F

    members: dict[Any, list[Person]] = {}
    for person in (Person.objects.filter(memberships__household_id__in={
            p.household_id for p in plans})
            .annotate(jk_household=F("memberships__household_id"))
            .select_related("neighbourhood").order_by("birth_date", "id")):
        members.setdefault(person.jk_household, []).append(person)  # type: ignore[attr-defined]
    shown: list[Plan] = []
    rows: list[dict[str, Any]] = []
    if actor.person is not None:  # a family's plans: its membership is asked once
        actor.person.jk_family_member = {}  # type: ignore[attr-defined]
    try:
        for plan in plans:
            everyone = tuple(members.get(plan.household_id, ()))
            whole = target(plan, everyone)
            decision = decide(actor, Action.READ, whole)
            if decision.allowed:
                rows.extend(audit.entry(actor, Action.READ, replace(whole, person=member),
                                        decision) for member in everyone)
                plan.jk_members = everyone  # type: ignore[attr-defined]
                shown.append(plan)
    finally:
        if actor.person is not None:
            del actor.person.jk_family_member  # type: ignore[attr-defined]
    audit.append(rows)
    return shown


PLAN_ORDER = ("status", "-created_at")


def plans_of_query(actor: Actor, where: Any = None) -> Any:
    """The plans this professional coordinates or is in the team of, narrowed by a search
    `where` (a Q on the plan): a query only, for counting a page of plans_of."""
    prof = actor.professional
    if prof is None:
        return Plan.objects.none()
    qs = Plan.objects.filter(Q(coordinator=prof) | Q(team__professional=prof,
                                                      team__left_at__isnull=True))
    if where is not None:
        qs = qs.filter(pk__in=Plan.objects.filter(where).values("pk"))
    return qs.distinct()


@audit.write_path
def plans_of(actor: Actor, *, include_closed: bool = True, where: Any = None,
             order: tuple[str, ...] = PLAN_ORDER, limit: int = 200, offset: int = 0
             ) -> list[Plan]:
    """The plans this professional coordinates or is in the team of (each listed plan counts
    as read for every member), narrowed by a search `where`, in `order`, a page of them."""
    if actor.professional is None:
        return []
    qs = plans_of_query(actor, where)
    if not include_closed:
        qs = qs.filter(status=PlanStatus.OPEN)
    plans = list(qs.select_related("household", "coordinator__organisation")
                 .order_by(*order)[offset:offset + limit])
    return _readable(actor, plans)


@audit.write_path
def plans_of_citizen(actor: Actor) -> list[Plan]:
    """The family's own plans: of the households the citizen belongs to (from 16)."""
    if actor.person is None:
        return []
    plans = list(Plan.objects.filter(household__members__person=actor.person).distinct()
                 .select_related("household", "coordinator__organisation")
                 .order_by("status", "-created_at"))
    return _readable(actor, plans)


# --- for the coordinator's pages --------------------------------------------------------
# Lookups that find ids and choices for the web pages. Nothing here is a client's personal
# data; whatever the pages then show of a family is read through the actions above.

CARE_ROLE_NAMES = ("professional", "coordinator")


def open_plan_of(household_id: Any) -> Plan | None:
    """The household's open plan (at most one), or None."""
    try:
        return (Plan.objects.filter(household_id=household_id, status=PlanStatus.OPEN)
                .select_related("household").first())
    except (ValueError, TypeError, ValidationError):
        return None


def match_for_policy(match_id: Any) -> Any:
    """A match to ask the policy about (never shown), or None."""
    from jeugdketen.referral_index.models import Match

    try:
        return Match.objects.filter(pk=int(match_id)).first()
    except (ValueError, TypeError):
        return None


def professionals_in(municipality_id: Any, *, coordinating: bool = False,
                     limit: int = 1000) -> list[Professional]:
    """Care professionals of the organisations of a municipality (for a team or a
    coordinator to choose from); with `coordinating`, only of organisations that may
    coordinate."""
    qs = Professional.objects.filter(organisation__municipality_id=municipality_id)
    if coordinating:
        qs = qs.filter(organisation__may_coordinate=True)
    found = qs.select_related("organisation").order_by("organisation__name", "full_name", "pk")
    return [p for p in found[:limit] if any(r in CARE_ROLE_NAMES for r in p.roles)]


def organisations_in(municipality_id: Any) -> list[Organisation]:
    return list(Organisation.objects.filter(municipality_id=municipality_id).order_by("name"))


@dataclass
class HouseholdPlan:
    """What the household page offers: the open plan, if the actor may open it, and
    whether the actor may start one."""

    open_plan_id: Any = None
    may_read: bool = False
    may_start: bool = False


def household_plan(actor: Actor, household_id: Any, members: tuple[Person, ...]
                   ) -> HouseholdPlan:
    """Asks the policy only: nothing is read for display here. An open plan is mentioned
    only to someone who may read it; a professional who could start one is offered the
    start on the family's consent."""
    from jeugdketen.access.policy import FamilyConsent

    plan = open_plan_of(household_id)
    if plan is not None:
        if decide(actor, Action.READ, target(plan, members)).allowed:
            return HouseholdPlan(open_plan_id=plan.pk, may_read=True)
        return HouseholdPlan()
    may_start = decide(actor, Action.CREATE, Target(
        Data.PLAN, household=Household(pk=household_id), members=members,
        object_id=str(household_id), record=FamilyConsent(("?",)))).allowed
    return HouseholdPlan(may_start=may_start)


@dataclass
class MatchHousehold:
    household_id: Any
    size: int
    open_plan_id: Any = None
    may_read: bool = False


def households_for_match(actor: Actor, match: Any) -> list[MatchHousehold]:
    """For the agreed coordinator of a match: the households of the youth in the match's
    signals, for which the policy lets the actor start a plan from this match."""
    from jeugdketen.referral_index.models import MatchStatus

    prof = actor.professional
    if prof is None or match.status != MatchStatus.COORDINATED or match.coordinator_id != prof.pk:
        return []
    rows = list(HouseholdMember.objects.filter(
        household__members__person__in=match.signals.values("person_id"))
        .select_related("person").distinct().order_by("household_id", "person__birth_date"))
    by_household: dict[Any, list[Person]] = {}
    for row in rows:
        by_household.setdefault(row.household_id, []).append(row.person)
    open_plans = {p.household_id: p for p in Plan.objects.filter(
        household_id__in=list(by_household), status=PlanStatus.OPEN)}
    found = []
    for household_id, persons in by_household.items():
        members = tuple(persons)
        if not decide(actor, Action.CREATE, Target(
                Data.PLAN, household=Household(pk=household_id), members=members,
                object_id=str(household_id), record=match)).allowed:
            continue
        plan = open_plans.get(household_id)
        found.append(MatchHousehold(
            household_id, len(members), plan.pk if plan else None,
            plan is not None and decide(actor, Action.READ, target(plan, members)).allowed))
    return found


@audit.write_path
def record_consents(actor: Actor, plan_id: Any, *, person_ids: list[Any], given_by: list[Any],
                    organisation_id: Any, categories: list[str],
                    valid_until: date | None = None) -> list[Any]:
    """The coordinator records the family's consent, for this plan, for several members at
    once: one consent per person (access.actions.give_consent), all of them or none; each
    given by those who can give it for that person (see givers_for)."""
    from jeugdketen.access.actions import give_consent

    plan, members = _plan_for(actor, plan_id, Action.UPDATE)
    by_id = {str(m.pk): m for m in members}
    wanted = list(dict.fromkeys(str(p) for p in person_ids or []))
    if not wanted or any(p not in by_id for p in wanted):
        raise Refusal("consent_persons", _("Kies voor wie de toestemming geldt: een of meer "
                                           "leden van dit huishouden."), field="person_ids")
    # The policy first, for every person: nothing is written when one of them is refused.
    for pid in wanted:
        consent_target = Target(Data.CONSENT, person=by_id[pid], members=members, record=plan)
        decision = decide(actor, Action.CREATE, consent_target)
        if not decision.allowed:
            raise audit.AccessDenied(actor, Action.CREATE, consent_target, decision)
    givers_of = givers_for([by_id[p] for p in wanted], members,
                           {str(g) for g in given_by or []}, timezone.localdate())
    return [give_consent(actor, pid, plan_id=plan.pk, given_by=givers_of[pid],
                         organisation_id=organisation_id, categories=categories,
                         valid_until=valid_until) for pid in wanted]


# --- product codes ----------------------------------------------------------------------

PRODUCT_CODE_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,29}$"


@audit.write_path
def add_product_code(actor: Actor, municipality_code: str, *, code: str,
                     label: str, at: datetime | None = None) -> ProductCode:
    """One product code ("jeugdhulp") serves everyone; a municipality may add its own, by
    its functional administrator (or a platform administrator). `at`: only for loading
    history (see chainlog.actions.moment)."""
    import re

    from jeugdketen.registry.models import Municipality

    audit.authorize(actor, Action.UPDATE, Target(
        Data.ORGANISATION, object_id=str(municipality_code)[:64],
        record={"municipality_id": municipality_code}))
    municipality = Municipality.objects.filter(code=municipality_code).first()
    if municipality is None:
        raise Refusal("unknown_municipality", _("Deze gemeente is niet bekend in het platform."),
                      field="code")
    code = str(code or "").strip().lower()
    if not re.match(PRODUCT_CODE_PATTERN, code):
        raise Refusal("product_code_format", _(
            "Een productcode heeft kleine letters, cijfers, - of _ (hoogstens 30 tekens)."),
            field="code")
    label = _text(label, "label", limit=100)
    if ProductCode.objects.filter(Q(municipality__isnull=True) | Q(municipality=municipality),
                                  code=code).exists():
        raise Refusal("product_code_exists", _("Deze productcode bestaat al."), status=409,
                      field="code")
    try:
        with transaction.atomic():
            product = ProductCode.objects.create(code=code, label=label, municipality=municipality)
    except IntegrityError:
        raise Refusal("product_code_exists", _("Deze productcode bestaat al."), status=409,
                      field="code") from None
    emit(Activity.PRODUCT_CODE_ADDED, organisation_id=None, at=moment(at),
         attributes={"municipality": municipality.code, "code": code})
    return product


def _municipality_admin(actor: Actor, action: Action, municipality_code: str) -> Any:
    from jeugdketen.registry.models import Municipality

    audit.authorize(actor, action, Target(
        Data.ORGANISATION, object_id=str(municipality_code)[:64],
        record={"municipality_id": municipality_code}))
    municipality = Municipality.objects.filter(code=municipality_code).first()
    if municipality is None:
        raise Refusal("unknown_municipality", _("Deze gemeente is niet bekend in het platform."),
                      status=404, field="code")
    return municipality


@audit.write_path
def list_product_codes(actor: Actor, municipality_code: str) -> list[ProductCode]:
    """The codes for everyone and the municipality's own, switched off ones included
    (administrators of the municipality)."""
    municipality = _municipality_admin(actor, Action.READ, municipality_code)
    return list(ProductCode.objects.filter(Q(municipality__isnull=True)
                                           | Q(municipality=municipality))
                .order_by("municipality_id", "code"))


@audit.write_path
def set_product_code_active(actor: Actor, municipality_code: str, product_id: Any, *,
                            active: bool) -> ProductCode:
    """Switch one of the municipality's own product codes off (no longer offered for new
    actions; actions that have it keep it) or on again. The code for everyone cannot be
    switched off by a municipality."""
    municipality = _municipality_admin(actor, Action.UPDATE, municipality_code)
    product = (ProductCode.objects.select_for_update()
               .filter(pk=int(product_id), municipality=municipality).first()
               if str(product_id).isdigit() else None)
    if product is None:
        raise Refusal("unknown_product_code", _(
            "Deze productcode is geen eigen code van deze gemeente."), status=404, field="code")
    if product.active != active:
        product.active = active
        product.save(update_fields=["active"])
        emit(Activity.PRODUCT_CODE_ACTIVE_CHANGED, organisation_id=None,
             attributes={"municipality": municipality.code, "code": product.code,
                         "active": active})
    return product
