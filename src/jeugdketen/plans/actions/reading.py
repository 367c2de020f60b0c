"""The logged reads of plans: the family page and the lists of plans (each read is logged
for every member of the household, NEN 7513)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Decision, decide
from jeugdketen.plans.models import (
    Comment,
    Concern,
    Evaluation,
    Goal,
    GoalScore,
    Handover,
    Plan,
    PlanAction,
    PlanStatus,
    PlanVersion,
    TeamMember,
)
from jeugdketen.plans.selectors import plans_of_query, target
from jeugdketen.registry.models import Person


@dataclass(slots=True)
class ActionRow:
    """An action as the pages of plans.views show it (read_plan with rows=True): its own
    fields and the names of its performer and organisation, read in one statement instead
    of four model objects per action (240 in the benchmark household)."""

    pk: int
    description: str
    goal_id: int | None
    due_on: date
    budget_eur: Decimal
    spent_eur: Decimal | None
    done_on: date | None
    product_code: str
    organisation_name: str
    performer_name: str | None  # the professional's full name
    related_name: str | None  # or the person from the family's network
    related_relation: str | None
    goal: Goal | None = None  # one of the page's goals

    @property
    def who(self) -> str:
        """The performer as the pages name them: "Anna Jansen", "Oma (grootmoeder)"."""
        if self.performer_name is not None:
            return self.performer_name
        if self.related_name is not None:
            return f"{self.related_name} ({self.related_relation})"
        return "–"


ACTION_ROW_FIELDS = ("id", "description", "goal_id", "due_on", "budget_eur", "spent_eur",
                     "done_on", "product_code", "organisation__name",
                     "performer_professional__full_name", "performer_related__name",
                     "performer_related__relation")


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
    actions: list[PlanAction] = field(default_factory=list)  # read without rows
    evaluations: list[Evaluation] | None = None
    versions: list[PlanVersion] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    relations: dict[str, str] = field(default_factory=dict)  # person id -> parent/carer/child
    budget_eur: Decimal = Decimal("0")
    spent_eur: Decimal = Decimal("0")
    # Read with rows=True (the pages of plans.views): the goals' persons and the goal scores
    # as plain rows instead of objects on each goal and evaluation (480 scores in the
    # benchmark household; building them was most of the read's time).
    goal_persons: dict[int, list[str]] = field(default_factory=dict)  # goal id -> names
    scores: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # evaluation id ->
    # (goal id, score)
    # And the actions as rows of what the pages show (`actions` stays empty).
    action_rows: list[ActionRow] = field(default_factory=list)

    @property
    def latest_version(self) -> PlanVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def version_current(self) -> bool:
        latest = self.latest_version
        return latest is not None and latest.revision == self.plan.revision


@audit.write_path
def read_plan(actor: Actor, plan_id: Any, *, action: Action = Action.READ,
              rows: bool = False) -> FamilyPage:
    """The plan with its team, goals, actions, evaluations and versions, in a number of
    queries that does not grow with the goals, actions or evaluations. `action` is what is
    logged: the page reads, the PDF prints (Action.PRINT). The analyses are the analysis
    app's (analysis.actions.analyses_for). With `rows` the goals' persons and the goal
    scores are in `goal_persons` and `scores` (not prefetched on the goals and evaluations):
    the same data, read and logged the same way."""
    plan = audit.get_or_deny(actor, action, Data.PLAN, Plan.objects.select_related(
        "household", "coordinator__organisation", "main_organisation", "match"), plan_id, "plan")
    # The members (as members_of reads them) with their relation in the household.
    members = tuple(Person.objects.filter(memberships__household_id=plan.household_id)
                    .annotate(jk_relation=F("memberships__relation"))
                    .select_related("neighbourhood").order_by("birth_date", "id"))
    team = list(TeamMember.objects.filter(plan=plan).select_related(
        "professional__organisation", "related_person"))
    plan.jk_team_professionals = {  # type: ignore[attr-defined]
        m.professional_id for m in team if m.professional_id and m.left_at is None}
    decision = audit.authorize(actor, action, target(plan, members))
    page = FamilyPage(plan=plan, members=members, decision=decision, team=team)
    page.relations = {str(m.pk): m.jk_relation for m in members}
    page.handovers = list(plan.handovers.select_related("from_professional", "to_professional"))
    page.concerns = list(plan.concerns.all())
    goals = plan.goals.select_related("organisation")
    if rows:
        page.goals = list(goals)
        for goal_id, given, family in (Goal.persons.through.objects.filter(goal__plan=plan)
                                       .order_by("id").values_list(
                                           "goal_id", "person__given_names",
                                           "person__family_name")):
            page.goal_persons.setdefault(goal_id, []).append(
                str(Person(given_names=given, family_name=family)))
    else:
        page.goals = list(goals.prefetch_related(Prefetch(
            "persons", queryset=Person.objects.only("id", "given_names", "family_name"))))
    if rows:  # rows of the names the pages show; each action's goal is one of the page's goals
        by_id = {g.pk: g for g in page.goals}
        page.action_rows = [
            ActionRow(pk=pk, description=text, goal_id=goal_id, due_on=due_on,
                      budget_eur=budget, spent_eur=spent, done_on=done_on, product_code=code,
                      organisation_name=organisation, performer_name=performer,
                      related_name=related, related_relation=relation,
                      goal=by_id.get(goal_id))
            for (pk, text, goal_id, due_on, budget, spent, done_on, code, organisation,
                 performer, related, relation) in plan.actions.values_list(*ACTION_ROW_FIELDS)]
    else:
        page.actions = list(plan.actions.select_related(
            "performer_professional__organisation", "performer_related", "organisation",
            "goal"))
    amounts = [(a.budget_eur, a.spent_eur) for a in page.actions or page.action_rows]
    page.budget_eur = sum((budget for budget, _spent in amounts), Decimal("0"))
    page.spent_eur = sum((spent or Decimal("0") for _budget, spent in amounts), Decimal("0"))
    versions = plan.versions.select_related("created_by")
    # The pages show a version's number, date and approval; its snapshot only the
    # comparison of versions (read without rows) needs.
    page.versions = list(versions.defer("snapshot") if rows else versions)
    page.comments = list(plan.comments.all())
    if audit.if_allowed(actor, action, target(plan, members, Data.EVALUATION)).allowed:
        evaluations = plan.evaluations.select_related("recorded_by")
        if rows:
            page.evaluations = list(evaluations)
            for evaluation_id, goal_id, score in (GoalScore.objects.filter(
                    evaluation__plan=plan).order_by("id").values_list(
                        "evaluation_id", "goal_id", "score")):
                page.scores.setdefault(evaluation_id, []).append((goal_id, score))
        else:
            page.evaluations = list(evaluations.prefetch_related("scores"))
    return page


def _readable(actor: Actor, plans: list[Plan]) -> list[Plan]:
    """Of these plans, those the actor may read, each logged as read for every member. The
    members of all the plans are read in one query and the log written at once, so a list
    costs the same number of queries however long it is."""
    from dataclasses import replace


    members: dict[Any, list[Person]] = {}
    for person in (Person.objects.filter(memberships__household_id__in={
            p.household_id for p in plans})
            .annotate(jk_household=F("memberships__household_id"))
            .select_related("neighbourhood").order_by("birth_date", "id")):
        members.setdefault(person.jk_household, []).append(person)
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
