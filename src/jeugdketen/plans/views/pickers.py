"""The team picker's endpoint (htmx asks it for the list of candidates only; see ui.pickers
and plans.pickers.team). At /kiezen/team/<plan>/ (config/urls.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jeugdketen.plans.pickers import team as team_picker
from jeugdketen.ui import listing
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, forbidden_response, page


@page(r.can_care)
def team(request: HttpRequest, plan_id: str) -> HttpResponse:
    """The team picker of a plan: for whoever may change the plan's team, the
    professionals they may add. Anyone else (or an unknown plan): 403, the same answer."""
    picked = team_picker(actor_for(request), plan_id, listing.search_text(request, "team_zoek"),
                          chosen=request.GET.get("tp-professional_id", ""))
    if picked is None:
        return forbidden_response(request, logged=False)
    return render(request, "plans/partials/team_options.html",
                  {"picked": picked, "chosen": request.GET.get("tp-professional_id", "")})
