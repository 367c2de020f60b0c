"""The functional administrator's open reports back to the BRP (correction proposals):
pass on to the BRP, or reject. The platform's copy of BRP data is never changed here."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jeugdketen.core.errors import Refusal
from jeugdketen.registry.actions import decide_correction, list_open_corrections
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, page, refusal_to_messages


@page(r.can_correct)
def corrections(request: HttpRequest) -> HttpResponse:
    proposals = list_open_corrections(actor_for(request))
    return render(request, "registry/corrections.html", {"proposals": proposals})


@page(r.can_correct)
def decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("corrections")
    decision = request.POST.get("besluit")
    if decision not in ("doorgeven", "afwijzen"):
        messages.error(request, _("Kies: doorgeven aan de BRP of afwijzen."))
        return redirect("corrections")
    accept = decision == "doorgeven"
    refusal = None
    proposal = None
    try:
        # An unknown proposal and one of another municipality are refused alike (403).
        proposal = decide_correction(actor_for(request), proposal_id, accept=accept)
    except Refusal as exc:
        # Decided already (another tab, another administrator): say so plainly.
        refusal = exc
    if accept:
        done = _("De terugmelding is doorgegeven aan de BRP. De basisgegevens veranderen "
                 "als de BRP ze aanpast.")
    else:
        done = _("De terugmelding is afgewezen. De basisgegevens blijven zoals de BRP ze heeft.")
    if request.headers.get("HX-Request") == "true":
        # The row itself says what happened: the refusal's messages in its place.
        error = " ".join(refusal.messages) if refusal is not None else ""
        return render(request, "registry/partials/correction_done.html",
                      {"proposal_id": proposal_id, "message": error or done,
                       "error": bool(error), "proposal": proposal})
    if refusal is not None:
        refusal_to_messages(request, refusal)
    else:
        messages.success(request, done)
    return redirect("corrections")
