"""The care team: adding a professional or someone of the network, taking a member out,
and handing over the coordination."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from jeugdketen.access.policy import Action, decide
from jeugdketen.plans import actions, selectors
from jeugdketen.plans.actions import RelatedInput
from jeugdketen.plans.forms import NETWORK_FIELDS
from jeugdketen.plans.views.base import (
    PlanView,
    _bound,
    _done,
    _plan_url,
    _refused_page,
    form_page,
    handles,
)
from jeugdketen.ui.pages import submit


@handles("team-professional")
def post_team_professional(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "team_professional")
    if submit(view.request, form, lambda data: actions.add_team_member(
            view.actor, view.plan_id, role=data["role"],
            professional_id=data["professional_id"])) is not None:
        return _done(view, _("De professional zit in het team."), "team")
    return view.render(bound={"team_professional": form})


@handles("team-netwerk")
def post_team_network(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "team_network")
    if submit(view.request, form, lambda data: actions.add_team_member(
            view.actor, view.plan_id, role=data["role"], related=RelatedInput(
                name=data["name"], relation=data["relation"], phone=data["phone"],
                email=data["email"])), dict(NETWORK_FIELDS)) is not None:
        return _done(view, _("%(name)s zit in het team.") % {"name": form.cleaned_data["name"]},
                     "team")
    return view.render(bound={"team_network": form})


@handles("team-verwijderen")
def post_remove_member(view: PlanView, item: Any) -> HttpResponse:
    actions.remove_team_member(view.actor, item)
    return _done(view, _("Het teamlid is uit het team gehaald."), "team")


@form_page("overdracht")
def handover_page(view: PlanView, _item: Any) -> HttpResponse:
    form = view.form("handover", view.request.POST if view.posted else None)
    refused = _refused_page(view, view.can_edit, form)
    if refused is not None:
        return refused
    handover = submit(view.request, form, lambda data: actions.hand_over(
        view.actor, view.plan_id, to_professional_id=data["to_professional_id"], on=data["on"],
        reason=data["reason"]))
    if handover is not None:
        messages.success(view.request, _("De regie is overgedragen aan %(name)s.") % {
            "name": handover.to_professional.full_name})
        # The former coordinator sees the plan only if they are in its team.
        plan = selectors.open_plan_of(view.plan.household_id) or view.plan
        if decide(view.actor, Action.READ, selectors.target(plan, view.page.members)).allowed:
            return redirect(_plan_url(view.plan_id, "regie"))
        return redirect("my_plans")
    return view.form_page(
        form, title=_("Regie overdragen"), submit=_("Regie overdragen"), anchor="regie",
        facts=[(_("Regisseur"), view.plan.coordinator.full_name)],
        intro=_("De nieuwe regisseur neemt het plan over; het gezin ziet de overdracht met "
                "de datum en de reden."))
