"""The functional administrator's open correction proposals: accept or reject."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jeugdketen.registry.actions import decide_correction, list_open_corrections
from jeugdketen.registry.models import CorrectionProposal, CorrectionStatus
from jeugdketen.web import lookup
from jeugdketen.web import roles as r
from jeugdketen.web.views.common import actor_for, page


@page(r.can_correct)
def corrections(request: HttpRequest) -> HttpResponse:
    proposals = list_open_corrections(actor_for(request))
    return render(request, "web/corrections.html", {"proposals": proposals})


@page(r.can_correct)
def decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("corrections")
    decision = request.POST.get("besluit")
    if decision not in ("overnemen", "afwijzen"):
        messages.error(request, _("Kies: overnemen of afwijzen."))
        return redirect("corrections")
    accept = decision == "overnemen"
    error = ""
    proposal = None
    state = lookup.correction_state(proposal_id)
    if state is None:
        raise Http404
    if state != CorrectionStatus.OPEN:
        # Decided already (another tab, another administrator): say so plainly.
        error = _("Dit voorstel is al beoordeeld.")
    else:
        try:
            proposal = decide_correction(actor_for(request), proposal_id, accept=accept)
        except CorrectionProposal.DoesNotExist:
            raise Http404 from None
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if accept:
        done = _("Het voorstel is overgenomen. De basisgegevens zijn aangepast.")
    else:
        done = _("Het voorstel is afgewezen. De basisgegevens blijven zoals ze waren.")
    if request.headers.get("HX-Request") == "true":
        return render(request, "web/partials/correction_done.html",
                      {"proposal_id": proposal_id, "message": error or done,
                       "error": bool(error), "proposal": proposal})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("corrections")
