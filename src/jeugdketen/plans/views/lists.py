"""My plans (the plans a professional coordinates or is in the team of), joining a
plan's team, and starting a plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jeugdketen.access.policy import Action, Data, Target, decide
from jeugdketen.core.errors import Refusal
from jeugdketen.plans import actions, selectors
from jeugdketen.plans.forms import StartForm
from jeugdketen.plans.views.base import _coordinator_choices
from jeugdketen.registry import selectors as lookup
from jeugdketen.registry.actions import visible_persons
from jeugdketen.registry.models import Household
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import (
    actor_for,
    forbidden_response,
    page,
    refusal_to_form,
    refusal_to_messages,
)

# --- my plans ---------------------------------------------------------------------------


@page(r.can_care)
@require_POST
def join(request: HttpRequest, plan_id: Any) -> HttpResponse:
    """Join a plan's care team oneself (from the person page): on one's organisation's
    consent for this plan or its legal basis for every member."""
    role = (request.POST.get("role") or "").strip() or _("betrokken professional")
    try:
        actions.join_team(actor_for(request), plan_id, role=role)
    except Refusal as exc:
        refusal_to_messages(request, exc)
        return redirect("my_plans")
    messages.success(request, _("U zit nu in het team van dit gezinsplan. De regisseur en het "
                                "gezin zien dat."))
    return redirect("plan", plan_id=plan_id)


@page(r.can_care)
def my_plans(request: HttpRequest) -> HttpResponse:
    """The plans the professional coordinates or is in the team of, searched by a family
    member's name, BSN or birth date (only among these plans), sorted and paged; each
    listed plan is logged as read for every member."""
    from jeugdketen.registry.selectors import person_search
    from jeugdketen.ui import listing

    actor = actor_for(request)
    prof = actor.professional
    search = listing.search_text(request)
    sort = listing.sort_key(request, PLAN_SORTS)
    where = person_search(search, prefix="household__members__person__")
    paging = listing.paging(request, selectors.plans_of_query(actor, where).count(),
                            PLANS_PER_PAGE)
    plans = actions.plans_of(actor, where=where, order=PLAN_SORTS[sort][1],
                             limit=PLANS_PER_PAGE, offset=paging.offset)
    rows = [{"plan": plan, "members": plan.jk_members,  # type: ignore[attr-defined]
             "coordinator": prof is not None and plan.coordinator_id == prof.pk}
            for plan in plans]
    return render(request, "plans/my_plans.html", {
        "rows": rows, "search": search, "sort": sort,
        "sort_options": [(key, label) for key, (label, _order) in PLAN_SORTS.items()],
        **paging.context(len(rows))})


PLANS_PER_PAGE = 25
# The sorts of the plans list: (label, order_by).
PLAN_SORTS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "stand": (gettext_lazy("Lopend eerst"), ("status", "-created_at", "pk")),
    "nieuw": (gettext_lazy("Laatst gestart"), ("-started_on", "-created_at", "pk")),
    "oud": (gettext_lazy("Eerst gestart"), ("started_on", "created_at", "pk")),
}


# --- starting a plan --------------------------------------------------------------------


@page(r.can_care)
def start(request: HttpRequest) -> HttpResponse:
    """Start a plan: as the agreed coordinator of a match (`match`), or on the family's
    consent as the professional who entered the family and will coordinate."""
    from jeugdketen.access.policy import FamilyConsent

    actor = actor_for(request)
    source = request.POST if request.method == "POST" else request.GET
    household_id = source.get("household", "")
    match_id = source.get("match", "") or None
    rows = lookup.household_members(household_id)
    if not rows:
        return forbidden_response(request, logged=False)
    members = tuple(row.person for row in rows)
    match = selectors.match_for_policy(match_id) if match_id else None
    if match_id and match is None:
        return forbidden_response(request, logged=False)
    start_on: Any = match if match is not None else FamilyConsent(("?",))
    allowed = decide(actor, Action.CREATE, Target(
        Data.PLAN, household=Household(pk=rows[0].household_id), members=members,
        object_id=str(household_id), record=start_on)).allowed
    if not allowed:
        return forbidden_response(request, logged=False)
    prof = actor.professional
    municipality = prof.organisation.municipality_id if prof is not None else None
    candidates = _coordinator_choices(municipality)
    may_coordinate = prof is not None and any(pk == prof.pk for pk, _label in candidates)
    shown = visible_persons(actor, members)
    givers = None if match is not None else [(str(p.pk), str(p)) for p in shown]
    initial = {"coordinator_id": prof.pk} if may_coordinate and prof is not None else {}
    form = StartForm(request.POST or None, initial=initial, candidates=candidates,
                     givers=givers)
    open_plan = selectors.open_plan_of(household_id)
    # An open plan is named only to someone who may read it.
    may_open = open_plan is not None and decide(
        actor, Action.READ, selectors.target(open_plan, members)).allowed
    refused_open = False
    if request.method == "POST" and not may_open and form.is_valid():
        coordinator_id = form.cleaned_data.get("coordinator_id") or (prof.pk if prof else None)
        try:
            plan = actions.start_plan(
                actor, household_id, coordinator_id, match_id=match_id,
                consent_given_by=form.cleaned_data.get("given_by_person_ids"))
        except Refusal as exc:
            refused_open = exc.rule == "open_plan_exists"
            refusal_to_form(form, exc)
        else:
            if prof is not None and plan.coordinator_id == prof.pk:
                messages.success(request, _("Het gezinsplan is gestart. U bent de regisseur."))
                return redirect("plan", plan_id=plan.pk)
            messages.success(request, _(
                "Het gezinsplan is gestart. %(name)s is de regisseur en kan het plan nu "
                "openen.") % {"name": plan.coordinator.full_name})
            return redirect("my_plans")
    return render(request, "plans/start.html", {
        "form": form, "household_id": household_id, "match_id": match_id or "",
        "shown": shown, "hidden_count": len(members) - len(shown),
        "open_plan_id": open_plan.pk if may_open and open_plan is not None else None,
        "no_candidates": not candidates if match is not None else not may_coordinate,
        "on_consent": match is None,
    }, status=409 if request.method == "POST" and (refused_open or may_open) else 200)
