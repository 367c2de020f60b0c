"""Closing the trajectory."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor
from jeugdketen.chainlog.actions import moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal
from jeugdketen.plans.actions._common import _text, emit_plan_event
from jeugdketen.plans.actions.evaluations import _scores
from jeugdketen.plans.gas import t_score
from jeugdketen.plans.models import CloseReason, Evaluation, GoalScore, Plan, PlanStatus
from jeugdketen.plans.selectors import plan_for, professional_of, target


@audit.write_path
def close_plan(actor: Actor, plan_id: Any, *, reason_code: str,
               can_continue_without_help: bool, satisfaction: int | None,
               final_scores: list[tuple[Any, Any]] | None = None, on: date | None = None,
               note: str = "", at: datetime | None = None) -> Plan:
    """Close the trajectory: the CBS reason, whether the family can go on without help, the
    family's satisfaction with the usefulness of the help (1-10), a final evaluation, and
    the costs actually spent, all into the chain event log."""
    plan, members = plan_for(actor, plan_id, Action.UPDATE, lock=True)
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
            plan=plan, on=on, final=True, recorded_by=professional_of(actor), recorded_at=now,
            t_score=t_score((s, g.weight) for g, s in scored),
            note=_text(note, "note", required=False))
        GoalScore.objects.bulk_create([GoalScore(evaluation=final, goal=g, score=s,
                                                 weight=g.weight) for g, s in scored])
        emit_plan_event(Activity.EVALUATION_RECORDED, plan, members, actor, at=now,
                        t_score=final.t_score, goals=len(scored), final=True,
                        day=(on - plan.started_on).days)
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
    emit_plan_event(Activity.PLAN_CLOSED, plan, members, actor, at=now, reason_code=reason_code,
                    can_continue_without_help=can_continue_without_help, satisfaction=satisfaction,
                    costs_spent_eur=str(spent), budget_eur=str(budget),
                    final_t_score=final.t_score if final else None,
                    days_open=(on - plan.started_on).days, origin=plan.origin)
    return plan
