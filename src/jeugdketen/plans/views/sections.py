"""The plan's own parts: its sections, concerns, goals and actions (and marking an
action done)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from jeugdketen.core.errors import Refusal
from jeugdketen.plans import actions
from jeugdketen.plans.forms import LEVEL_FIELDS, PERFORMER_FIELDS, ActionForm, DoneForm, GoalForm
from jeugdketen.plans.templatetags.plan_page import euro
from jeugdketen.plans.views.base import (
    PlanView,
    _bound,
    _day,
    _done,
    _plan_url,
    _refused_page,
    form_page,
    handles,
)
from jeugdketen.ui.pages import refusal_to_form, submit


@handles("onderdelen")
def post_sections(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "sections")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_sections(view.actor, view.plan_id, revision=data["revision"],
                                    goes_well=data["goes_well"],
                                    own_strength=data["own_strength"],
                                    support_needed=data["support_needed"])
        except Refusal as exc:
            if exc.rule != "plan_changed":
                refusal_to_form(form, exc)
                return view.render(bound={"sections": form})
            # Keep what the user typed; the page shows what is saved now. Sending it again
            # (after reading the new text) is then allowed.
            del view.page
            changed = view.request.POST.copy()
            changed[form.add_prefix("revision")] = str(view.plan.revision)
            form = view.form("sections", changed)
            form.is_valid()
            form.add_error(None, exc.message)
            return view.render(bound={"sections": form}, status=409)
        return _done(view, _("De onderdelen van het plan zijn opgeslagen."), "plan-onderdelen")
    return view.render(bound={"sections": form})


@handles("zorg")
def post_concern(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "concern")
    if submit(view.request, form,
              lambda data: actions.add_concern(view.actor, view.plan_id, **data)) is not None:
        return _done(view, _("De zorg staat in het plan."), "zorgen")
    return view.render(bound={"concern": form})


@handles("zorg-verwijderen")
def post_remove_concern(view: PlanView, item: Any) -> HttpResponse:
    actions.remove_concern(view.actor, item)
    return _done(view, _("De zorg is uit het plan gehaald."), "zorgen")


@handles("doel")
def post_goal(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "goal")
    assert isinstance(form, GoalForm)
    if submit(view.request, form, lambda data: actions.add_goal(
            view.actor, view.plan_id, title=data["title"], person_ids=data["person_ids"],
            weight=data["weight"], levels=form.levels(),
            organisation_id=data["organisation_id"]),
            {f"levels.{k}": v for k, v in LEVEL_FIELDS.items()} | {"levels": None},
    ) is not None:
        return _done(view, _("Het doel staat in het plan."), "doelen")
    return view.render(bound={"goal": form})


@handles("actie")
def post_action(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "action")
    assert isinstance(form, ActionForm)

    def add(data: dict[str, Any]) -> Any:
        professional_id, related_id = form.performer_ids()
        return actions.add_action(
            view.actor, view.plan_id, description=data["description"],
            organisation_id=data["organisation_id"], due_on=data["due_on"],
            performer_professional_id=professional_id, performer_related_id=related_id,
            budget_eur=data["budget_eur"] if data["budget_eur"] is not None else Decimal(0),
            product_code=data["product_code"], goal_id=data["goal_id"])

    if submit(view.request, form, add,
              dict.fromkeys(PERFORMER_FIELDS, "performer")) is not None:
        return _done(view, _("De actie staat in het plan."), "acties")
    return view.render(bound={"action": form})


@form_page("actie-afgerond", item=True)
def action_done_page(view: PlanView, item_id: Any) -> HttpResponse:
    item = next((a for a in view.page.action_rows if a.pk == item_id), None)
    if item is None:
        raise Http404
    if item.done_on is not None and not view.posted:
        messages.info(view.request, _("Deze actie is al afgerond."))
        return redirect(_plan_url(view.plan_id, "acties"))
    form = DoneForm(view.request.POST if view.posted else None, item_id=item.pk)
    refused = _refused_page(view, view.can_edit, form)
    if refused is not None:
        return refused
    if submit(view.request, form, lambda data: actions.complete_action(
            view.actor, item.pk, done_on=data["done_on"],
            spent_eur=data["spent_eur"] if data["spent_eur"] is not None else Decimal(0),
    )) is not None:
        return _done(view, _("De actie is afgerond."), "acties")
    facts = [(_("Wat"), item.description), (_("Wie"), item.who),
             (_("Organisatie"), item.organisation_name), (_("Uiterlijk"), _day(item.due_on)),
             (_("Budget"), euro(item.budget_eur))]
    if item.goal is not None:
        facts.insert(1, (_("Bij doel"), item.goal.title))
    return view.form_page(form, title=_("Actie afronden"), submit=_("Afgerond"),
                          anchor="acties", facts=facts)
