"""Family-plan endpoints of the JSON API: plans, goals, actions, team, evaluations and the
close (the integral analysis: analysis.api). Every call goes through plans.actions, which
asks the access policy and logs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Router, Schema, Status

from jeugdketen.access.requests import ActorRequest
from jeugdketen.plans import actions
from jeugdketen.plans.actions import FamilyPage, RelatedInput

router = Router(tags=["family plans"])

Score = Literal[-2, -1, 0, 1, 2]


class PlanIn(Schema):
    household_id: UUID
    coordinator_id: int
    match_id: int | None = Field(None, description="Start as the agreed coordinator of this "
                                                   "coordinated match about a member.")
    consent_given_by_person_ids: list[UUID] = Field(
        default_factory=list, max_length=20,
        description="Or start on the family's consent: the members who gave it (the person "
                    "from 16; a custody holder in the BRP under 12; both from 12 to 16). "
                    "You then coordinate the plan yourself (coordinator_id is you) and must "
                    "have entered every member; the consent is recorded for your "
                    "organisation, for this plan.")


class PersonRef(Schema):
    id: UUID
    name: str


class GoalOut(Schema):
    id: int
    title: str
    person_ids: list[UUID]
    weight: int
    levels: dict[str, str]
    latest_score: int | None


class ActionOut(Schema):
    id: int
    description: str
    performer: dict[str, Any]
    organisation_id: int
    due_on: date
    budget_eur: Decimal
    product_code: str
    goal_id: int | None
    done_on: date | None
    spent_eur: Decimal | None


class TeamOut(Schema):
    id: int
    role: str
    professional_id: int | None
    related_person: dict[str, str] | None
    organisation: str | None


class EvaluationOut(Schema):
    id: int
    date: date
    t_score: float
    final: bool
    scores: list[dict[str, int]]


class VersionOut(Schema):
    number: int
    created_at: datetime
    approved_at: datetime | None
    approved_how: str


class PlanOut(Schema):
    id: UUID
    household_id: UUID
    status: Literal["open", "closed"]
    origin: str
    coordinator_id: int
    main_organisation_id: int
    started_on: date
    revision: int
    members: list[PersonRef]
    goes_well: str
    own_strength: str
    support_needed: str
    concerns: list[dict[str, Any]]
    goals: list[GoalOut]
    actions: list[ActionOut]
    team: list[TeamOut]
    evaluations: list[EvaluationOut] | None
    versions: list[VersionOut]
    budget_eur: Decimal
    spent_eur: Decimal
    closed_on: date | None
    close_reason: str | None
    can_continue_without_help: bool | None
    satisfaction: int | None


def plan_out(page: FamilyPage) -> dict[str, Any]:
    plan = page.plan
    latest: dict[int, int] = {}
    for evaluation in page.evaluations or []:
        for score in evaluation.scores.all():
            latest[score.goal_id] = score.score
    return {
        "id": plan.pk, "household_id": plan.household_id, "status": plan.status,
        "origin": plan.origin, "coordinator_id": plan.coordinator_id,
        "main_organisation_id": plan.main_organisation_id, "started_on": plan.started_on,
        "revision": plan.revision,
        "members": [{"id": m.pk, "name": str(m)} for m in page.members],
        "goes_well": plan.goes_well, "own_strength": plan.own_strength,
        "support_needed": plan.support_needed,
        "concerns": [{"id": c.pk, "text": c.text, "priority": c.priority} for c in page.concerns],
        "goals": [{"id": g.pk, "title": g.title, "person_ids": [p.pk for p in g.persons.all()],
                   "weight": g.weight, "levels": g.levels,
                   "latest_score": latest.get(g.pk) if page.evaluations is not None else None}
                  for g in page.goals],
        "actions": [{
            "id": a.pk, "description": a.description,
            "performer": ({"professional_id": a.performer_professional_id}
                          if a.performer_professional_id
                          else {"related_person_id": a.performer_related_id}),
            "organisation_id": a.organisation_id, "due_on": a.due_on,
            "budget_eur": a.budget_eur, "product_code": a.product_code, "goal_id": a.goal_id,
            "done_on": a.done_on, "spent_eur": a.spent_eur} for a in page.actions],
        "team": [{
            "id": m.pk, "role": m.role, "professional_id": m.professional_id,
            "related_person": ({"name": m.related_person.name,
                                "relation": m.related_person.relation,
                                "phone": m.related_person.phone}
                               if m.related_person else None),
            "organisation": m.professional.organisation.name if m.professional else None,
        } for m in page.team if m.left_at is None],
        "evaluations": None if page.evaluations is None else [{
            "id": e.pk, "date": e.on, "t_score": e.t_score, "final": e.final,
            "scores": [{"goal_id": s.goal_id, "score": s.score} for s in e.scores.all()],
        } for e in page.evaluations],
        "versions": [{"number": v.number, "created_at": v.created_at,
                      "approved_at": v.approved_at, "approved_how": v.approved_how}
                     for v in page.versions],
        "budget_eur": page.budget_eur, "spent_eur": page.spent_eur,
        "closed_on": plan.closed_on, "close_reason": plan.close_reason or None,
        "can_continue_without_help": plan.can_continue_without_help,
        "satisfaction": plan.satisfaction,
    }


def _read(request: ActorRequest, plan_id: Any) -> dict[str, Any]:
    return plan_out(actions.read_plan(request.actor, plan_id))


class PlanCreated(Schema):
    id: UUID
    household_id: UUID
    status: Literal["open"]
    origin: str
    coordinator_id: int
    main_organisation_id: int
    started_on: date


@router.post("/plans", response={201: PlanCreated})
def start_plan(request: ActorRequest, payload: PlanIn) -> Status[dict[str, Any]]:
    """Start a trajectory: from a coordinated match (`match_id`, by its agreed coordinator)
    or on the family's consent (`consent_given_by_person_ids`). Having entered the family is
    not enough (403). One family, one plan: a second open plan for the same household is
    refused (409, rule `open_plan_exists`), with the open plan's id in `existing` only for
    someone who may read it. The coordinator comes from an organisation that may coordinate.
    Read the plan with GET /plans/{id} (the coordinator may; whoever started it for someone
    else may not)."""
    plan = actions.start_plan(request.actor, payload.household_id, payload.coordinator_id,
                              match_id=payload.match_id,
                              consent_given_by=[str(p) for p in payload.consent_given_by_person_ids])
    return Status(201, {"id": plan.pk, "household_id": plan.household_id, "status": plan.status,
                        "origin": plan.origin, "coordinator_id": plan.coordinator_id,
                        "main_organisation_id": plan.main_organisation_id,
                        "started_on": plan.started_on})


@router.get("/plans/{plan_id}", response=PlanOut)
def read_plan(request: ActorRequest, plan_id: UUID) -> dict[str, Any]:
    """The plan. `evaluations` is null for a team member without consent for evaluations."""
    return _read(request, plan_id)


class Levels(Schema):
    minus_2: str = Field(alias="-2", min_length=1, max_length=500)
    minus_1: str = Field(alias="-1", min_length=1, max_length=500)
    zero: str = Field(alias="0", min_length=1, max_length=500)
    plus_1: str = Field(alias="1", min_length=1, max_length=500)
    plus_2: str = Field(alias="2", min_length=1, max_length=500)


class GoalIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    person_ids: list[UUID] = Field(min_length=1, max_length=20)
    weight: int = Field(1, ge=1, le=10)
    levels: Levels
    organisation_id: int | None = None


class Created(Schema):
    id: int


@router.post("/plans/{plan_id}/goals", response={201: Created})
def add_goal(request: ActorRequest, plan_id: UUID, payload: GoalIn) -> Status[dict[str, Any]]:
    """A result goal with its five goal-attainment levels in words ("-2" .. "2") and a
    weight (1-10, default 1)."""
    levels = payload.levels.model_dump(by_alias=True)
    goal = actions.add_goal(request.actor, plan_id, title=payload.title,
                            person_ids=payload.person_ids, weight=payload.weight,
                            levels=levels, organisation_id=payload.organisation_id)
    return Status(201, {"id": goal.pk})


class Performer(Schema):
    professional_id: int | None = None
    related_person_id: int | None = None


class ActionIn(Schema):
    description: str = Field(min_length=1, max_length=1000)
    performer: Performer
    organisation_id: int
    due_on: date
    budget_eur: Decimal = Field(Decimal("0"), ge=0, le=1000000, decimal_places=2)
    product_code: str | None = Field(None, max_length=30)
    goal_id: int | None = None


@router.post("/plans/{plan_id}/actions", response={201: Created})
def add_action(request: ActorRequest, plan_id: UUID, payload: ActionIn) -> Status[dict[str, Any]]:
    """Who does what by when: a professional of the team OR a member of the family's
    network (exactly one), the responsible organisation, the budget in euros and a product
    code: for a professional's action `jeugdhulp` when not given, none when empty; an action
    of the family's network has none (a code is refused with `product_code_network`)."""
    item = actions.add_action(
        request.actor, plan_id, description=payload.description,
        performer_professional_id=payload.performer.professional_id,
        performer_related_id=payload.performer.related_person_id,
        organisation_id=payload.organisation_id, due_on=payload.due_on,
        budget_eur=payload.budget_eur, product_code=payload.product_code,
        goal_id=payload.goal_id)
    return Status(201, {"id": item.pk})


class DoneIn(Schema):
    done_on: date | None = None
    spent_eur: Decimal = Field(Decimal("0"), ge=0, le=1000000, decimal_places=2)


@router.post("/plans/{plan_id}/actions/{action_id}/done", response=Created)
def complete_action(request: ActorRequest, plan_id: UUID, action_id: int, payload: DoneIn) -> dict[str, Any]:
    """The action is done, with the costs actually spent."""
    item = actions.complete_action(request.actor, action_id, done_on=payload.done_on,
                                   spent_eur=payload.spent_eur)
    return {"id": item.pk}


class RelatedIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    relation: str = Field(min_length=1, max_length=100)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


class TeamIn(Schema):
    professional_id: int | None = None
    related_person: RelatedIn | None = None
    role: str = Field(min_length=1, max_length=200)


class TeamCreated(Schema):
    id: int
    related_person_id: int | None


@router.post("/plans/{plan_id}/team", response={201: TeamCreated})
def add_team_member(request: ActorRequest, plan_id: UUID, payload: TeamIn) -> Status[dict[str, Any]]:
    """The coordinator adds a professional (only when their organisation holds consent given
    for this plan by every household member: else 403, rule `no_ground_to_join`; a legal
    basis never shows here, its holder joins with POST /plans/{id}/join) or a member of the
    informal network (name, relation, phone; no login)."""
    related = (RelatedInput(**payload.related_person.model_dump())
               if payload.related_person is not None else None)
    member = actions.add_team_member(request.actor, plan_id, role=payload.role,
                                     professional_id=payload.professional_id, related=related)
    return Status(201, {"id": member.pk, "related_person_id": member.related_person_id})


class JoinIn(Schema):
    role: str = Field(min_length=1, max_length=200)


@router.post("/plans/{plan_id}/join", response={201: TeamCreated})
def join_team(request: ActorRequest, plan_id: UUID, payload: JoinIn) -> Status[dict[str, Any]]:
    """Join the plan's care team yourself: on your organisation's consent for this plan or
    its legal basis (a child-protection measure, Veilig Thuis' statutory task) for every
    household member. Else 403, as for an unknown plan; 409 `already_in_team` for the
    coordinator and a current member of the team."""
    member = actions.join_team(request.actor, plan_id, role=payload.role)
    return Status(201, {"id": member.pk, "related_person_id": None})


class ScoreIn(Schema):
    goal_id: int
    score: Score


class EvaluationIn(Schema):
    date: date
    scores: list[ScoreIn] = Field(min_length=1, max_length=100)
    note: str = Field("", max_length=5000)


class EvaluationCreated(Schema):
    id: int
    t_score: float


@router.post("/plans/{plan_id}/evaluations", response={201: EvaluationCreated})
def record_evaluation(request: ActorRequest, plan_id: UUID, payload: EvaluationIn) -> Status[dict[str, Any]]:
    """A score (-2..2) for every goal of the plan; answers the plan's goal-attainment
    T-score (Kiresuk-Sherman, rho 0.3, with the goals' weights)."""
    evaluation = actions.record_evaluation(
        request.actor, plan_id, on=payload.date,
        scores=[(s.goal_id, s.score) for s in payload.scores], note=payload.note)
    return Status(201, {"id": evaluation.pk, "t_score": evaluation.t_score})


class CloseIn(Schema):
    reason_code: Literal["01", "02", "03", "04", "05"]
    can_continue_without_help: bool
    satisfaction: int | None = Field(None, ge=1, le=10)
    final_scores: list[ScoreIn] | None = Field(None, max_length=100)
    note: str = Field("", max_length=5000)


class Closed(Schema):
    id: UUID
    status: Literal["closed"]
    closed_on: date
    close_reason: str
    final_t_score: float | None
    costs_spent_eur: Decimal


@router.post("/plans/{plan_id}/close", response=Closed)
def close_plan(request: ActorRequest, plan_id: UUID, payload: CloseIn) -> dict[str, Any]:
    """Close the trajectory with the CBS reason ("01".."05"), whether the family can go on
    without help, its satisfaction with the usefulness of the help (1-10) and optionally
    the final scores per goal (else the latest evaluation counts as the final one)."""
    plan = actions.close_plan(
        request.actor, plan_id, reason_code=payload.reason_code,
        can_continue_without_help=payload.can_continue_without_help,
        satisfaction=payload.satisfaction, note=payload.note,
        final_scores=[(s.goal_id, s.score) for s in payload.final_scores or []] or None)
    final = plan.evaluations.order_by("-on", "-recorded_at").first()
    return {"id": plan.pk, "status": "closed", "closed_on": plan.closed_on,
            "close_reason": plan.close_reason, "final_t_score": final.t_score if final else None,
            "costs_spent_eur": plan.costs_spent_eur}


class VersionCreated(Schema):
    number: int


@router.post("/plans/{plan_id}/versions", response={201: VersionCreated})
def save_version(request: ActorRequest, plan_id: UUID) -> Status[dict[str, Any]]:
    """Freeze the plan as it stands as a version for the family to approve."""
    version = actions.save_version(request.actor, plan_id)
    return Status(201, {"number": version.number})


class ApproveIn(Schema):
    how: Literal["in_person", "paper"]


@router.post("/plans/{plan_id}/versions/{number}/approve", response=VersionOut)
def approve_version(request: ActorRequest, plan_id: UUID, number: int, payload: ApproveIn) -> dict[str, Any]:
    """The coordinator records how the family approved the newest version."""
    version = actions.approve_version(request.actor, plan_id, number=number, how=payload.how)
    return {"number": version.number, "created_at": version.created_at,
            "approved_at": version.approved_at, "approved_how": version.approved_how}


class ProductCodeIn(Schema):
    code: str = Field(min_length=1, max_length=30, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    label: str = Field(min_length=1, max_length=100)


class ProductCodeOut(Schema):
    code: str
    label: str
    municipality: str | None


@router.post("/municipalities/{code}/product-codes", response={201: ProductCodeOut},
             tags=["administration"])
def add_product_code(request: ActorRequest, code: str, payload: ProductCodeIn) -> Status[dict[str, Any]]:
    """Administrators of the municipality: add a product code for plan actions (the single
    code `jeugdhulp` is always there). An existing code is refused (409)."""
    product = actions.add_product_code(request.actor, code, code=payload.code,
                                       label=payload.label)
    return Status(201, {"code": product.code, "label": product.label, "municipality": code})
