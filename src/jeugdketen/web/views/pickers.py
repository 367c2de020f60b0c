"""The endpoints of the pickers that search as you type (htmx asks them for the list of
candidates only). Each answers only with candidates the user may pick; see ui.pickers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jeugdketen.plans.pickers import team as team_picker
from jeugdketen.referral_index.pickers import youth as youth_picker
from jeugdketen.ui import listing
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, forbidden_response, page


@page(r.can_care)
def youth(request: HttpRequest) -> HttpResponse:
    """The child picker of the signal form: the own youth matching the search."""
    actor = actor_for(request)
    prof = actor.professional
    if prof is None or not prof.organisation.may_signal:
        return forbidden_response(request, logged=False)
    chosen = request.GET.get("person", "")
    picked = youth_picker(actor, listing.search_text(request), chosen=chosen)
    return render(request, "web/partials/youth_options.html",
                  {"picked": picked, "chosen": chosen})


@page(r.can_care)
def team(request: HttpRequest, plan_id: str) -> HttpResponse:
    """The team picker of a plan: for whoever may change the plan's team, the
    professionals they may add. Anyone else (or an unknown plan): 403, the same answer."""
    picked = team_picker(actor_for(request), plan_id, listing.search_text(request, "team_zoek"),
                          chosen=request.GET.get("tp-professional_id", ""))
    if picked is None:
        return forbidden_response(request, logged=False)
    return render(request, "web/partials/team_options.html",
                  {"picked": picked, "chosen": request.GET.get("tp-professional_id", "")})
