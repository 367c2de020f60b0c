"""Evaluations of the result goals, and the nightly reminder that one is due."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data
from jeugdketen.chainlog.actions import moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal
from jeugdketen.plans.actions._common import _bump, _family, _int, _text, emit_plan_event
from jeugdketen.plans.gas import t_score
from jeugdketen.plans.models import Evaluation, Goal, GoalScore, Plan, PlanStatus
from jeugdketen.plans.selectors import (
    evaluation_due_on,
    members_of,
    plan_for,
    professional_of,
    target,
)


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
    plan, members = plan_for(actor, plan_id, Action.CREATE, Data.EVALUATION, lock=True)
    audit.authorize(actor, Action.CREATE, target(plan, members, Data.EVALUATION))
    if not isinstance(on, date) or on > timezone.localdate(now) or on < plan.started_on:
        raise Refusal("evaluation_date", _(
            "De datum ligt tussen de start van het plan en vandaag."), field="date")
    scored = _scores(plan, scores)
    t = t_score((score, goal.weight) for goal, score in scored)
    evaluation = Evaluation.objects.create(plan=plan, on=on, t_score=t, final=final,
                                           note=_text(note, "note", required=False),
                                           recorded_by=professional_of(actor), recorded_at=now)
    GoalScore.objects.bulk_create([GoalScore(evaluation=evaluation, goal=goal, score=score,
                                             weight=goal.weight) for goal, score in scored])
    _bump(plan)
    emit_plan_event(Activity.EVALUATION_RECORDED, plan, members, actor, at=now, t_score=t,
                    goals=len(scored),
                    final=final, day=(on - plan.started_on).days)
    return evaluation


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
        due = evaluation_due_on(plan, plan.last_evaluation)
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
