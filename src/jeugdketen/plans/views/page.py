"""The family page: everything of the plan on one page, with the light forms open in
<details>; and the plan as a PDF."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jeugdketen.access import actions as access_actions
from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Data
from jeugdketen.plans import actions
from jeugdketen.plans.forms import score_text
from jeugdketen.plans.models import GOAL_LEVELS
from jeugdketen.plans.templatetags.plan_page import euro, t_change, t_delta
from jeugdketen.plans.templatetags.plan_page import t_score as t_score_text
from jeugdketen.plans.views.base import PlanView, _day, _forms, _long_day, _short_day, lost_access
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, page


def _history(scores: list[tuple[date, int]]) -> SafeString:
    """A goal's scores over the evaluations: '-1 (7-3-26) → 0 (21-3-26)'. Only numbers and
    dates, no text anyone typed."""
    return mark_safe(" → ".join(  # noqa: S308  numbers and dates only
        f'{score_text(score)} <span class="jk-muted">({_short_day(day)})</span>'
        for day, score in scores))


def item_urls(plan_id: Any, form: str) -> Callable[[int], str]:
    """reverse("plan_item_form") for many items of one form of the plan: reversed once,
    with each item's id in the place of the first's (the id is the path's last part)."""
    head, _sep, tail = reverse("plan_item_form", kwargs={
        "plan_id": plan_id, "form": form, "item_id": 1}).rpartition("/1/")
    return lambda item_id: f"{head}/{int(item_id)}/{tail}"


def family_context(view: PlanView, bound: dict[str, Form]) -> dict[str, Any]:
    page_ = view.page
    plan = page_.plan
    today = view.today
    can_edit = view.can_edit
    can_team = view.may(Action.UPDATE, Data.TEAM)
    can_comment = view.may(Action.CREATE, Data.COMMENT)
    can_evaluate = view.can_evaluate and bool(page_.goals)
    can_approve = view.may(Action.CREATE, Data.APPROVAL)

    # Members, with their relation and age.
    members = [{"person": m, "age": m.age_on(today),
                "relation": page_.relations.get(str(m.pk), "")} for m in page_.members]

    # Evaluations with the change of the T-score, and every goal's scores over them.
    history: dict[int, list[tuple[date, int]]] = {}
    evaluations: list[dict[str, Any]] = []
    previous: float | None = None
    for evaluation in page_.evaluations or []:
        on = evaluation.on
        for goal_id, score in page_.scores.get(evaluation.pk, ()):
            history.setdefault(goal_id, []).append((on, score))
        delta = t_delta(evaluation.t_score, previous)
        evaluations.append({
            "on": _long_day(on), "final": evaluation.final,
            "t_score": t_score_text(evaluation.t_score), "change": t_change(delta),
            "by": evaluation.recorded_by.full_name, "note": evaluation.note})
        previous = evaluation.t_score

    goals = []
    for goal in page_.goals:
        scores = history.get(goal.pk, [])
        latest = scores[-1][1] if scores else None
        goals.append({
            "goal": goal, "persons": ", ".join(page_.goal_persons.get(goal.pk, ())),
            "organisation": goal.organisation.name if goal.organisation is not None else "",
            "levels": [{"score": score_text(int(k)), "text": goal.levels.get(k, ""),
                        "current": latest is not None and int(k) == latest}
                       for k in GOAL_LEVELS],
            "latest": None if latest is None else score_text(latest),
            "latest_on": _long_day(scores[-1][0]) if scores else "",
            "history": _history(scores) if len(scores) > 1 else "",
        })

    # Actions: who, when, budget; an open one links to the page that marks it done.
    action_rows = []
    done_url = item_urls(plan.pk, "actie-afgerond")
    money = functools.cache(euro)  # a page's amounts repeat (one format per amount)
    done_text = _("Afgerond op %(day)s, uitgegeven %(spent)s")
    for item in page_.action_rows:
        done_on = item.done_on
        action_rows.append({
            "pk": item.pk, "description": item.description,
            "goal": item.goal.title if item.goal is not None else "",
            "who": item.who, "organisation": item.organisation_name, "due": _day(item.due_on),
            "budget": money(item.budget_eur), "product_code": item.product_code or "–",
            "done": done_text % {"day": _day(done_on), "spent": money(item.spent_eur)}
            if done_on else "",
            "overdue": done_on is None and item.due_on < today,
            "done_url": done_url(item.pk) if can_edit and done_on is None else ""})

    # Consent and legal bases (the coordinator sees them; the policy decides per person).
    consents = None
    if view.is_coordinator:
        found = access_actions.consents_for(view.actor, list(page_.members), plan=page_.plan)
        consents = [{"person": m, "consents": found.get(str(m.pk), {}).get("consents", []),
                     "legal_bases": found.get(str(m.pk), {}).get("legal_bases", [])}
                    for m in page_.members if str(m.pk) in found]

    forms: dict[str, Form] = {}
    if can_edit:
        forms |= _forms(view, bound, ["sections", "concern", "goal", "action", "consent"])
    if can_team:
        forms |= _forms(view, bound, ["team_professional", "team_network"])
    if can_comment:
        forms |= _forms(view, bound, ["comment"])
    latest_version = page_.latest_version
    if can_approve and latest_version is not None and latest_version.approved_at is None:
        forms |= _forms(view, bound, ["approval"])

    team_active = view.active_team
    return {
        "page": page_, "plan": plan, "members": members, "today": today,
        "family_name": view.family_name,
        "coordinator": plan.coordinator,
        "team": team_active, "lost_access": lost_access(page_, team_active, today),
        "team_former": [m for m in page_.team if m.left_at is not None],
        "goals": goals, "actions": action_rows, "evaluations": evaluations,
        "evaluations_hidden": page_.evaluations is None,
        # The analysis and the T-score chart: the analysis app's tags (analysis_page).
        "plan_view": view, "consents": consents,
        # Only the organisation that holds a legal basis records it (for itself).
        "holds_legal_bases": bool(view.legal_basis_organisations),
        "forms": forms, "open": next(iter(bound), ""),
        "team_picked": _team_picked(view, forms.get("team_professional")),
        "can_edit": can_edit, "can_team": can_team, "can_comment": can_comment,
        "can_evaluate": can_evaluate, "can_close": can_edit and plan.is_open,
        "is_coordinator": view.is_coordinator,
        "can_save_version": can_edit and not page_.version_current,
        "budget": money(page_.budget_eur), "spent": money(page_.spent_eur),
        "budget_left": money(page_.budget_eur - page_.spent_eur),
    }


def _team_picked(view: PlanView, form: Form | None) -> Any:
    """The team picker's candidates (web.pickers.team: only whom the viewer may add),
    searched with ?team_zoek= when the page is asked without JavaScript."""
    if form is None:
        return None
    from jeugdketen.plans import pickers
    from jeugdketen.ui import listing

    chosen = str(form["professional_id"].value() or "")
    search = "" if view.posted else listing.search_text(view.request, "team_zoek")
    return pickers.team(view.actor, view.plan_id, search, chosen=chosen, page=view.page)


@page(r.can_care)
def plan_page(request: HttpRequest, plan_id: Any) -> HttpResponse:
    # The page only reads: its reads' access-log records (plan, evaluations, consents,
    # analysis; per member) are written in one append when it is rendered.
    with audit.deferred():
        return PlanView(request, plan_id).render()


@page(r.can_care)
def plan_pdf(request: HttpRequest, plan_id: Any) -> HttpResponse:
    """The plan as a PDF for the coordinator and the care team (logged as a print)."""
    from jeugdketen.plans.documents import pdf_response, plan_document

    family = actions.read_plan(actor_for(request), plan_id, action=Action.PRINT)
    return pdf_response(plan_document(family, for_family=False))
