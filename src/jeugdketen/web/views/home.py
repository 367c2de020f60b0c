"""'Mijn werk': the start page, with what this user can do."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jeugdketen.web import lookup
from jeugdketen.web import roles as r
from jeugdketen.web.views.common import page


@page()
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict = {
        "can_care": r.can_care(user),
        "can_review": r.can_review(user),
        "can_correct": r.can_correct(user),
        "can_have_tokens": r.can_have_tokens(user),
        "citizen": r.is_citizen(user),
        "roles": r.roles_of(user),
    }
    prof = getattr(request.user, "professional", None)
    own = prof.organisation.municipality_id if prof is not None else None
    if context["can_review"]:
        context["open_break_glass"] = lookup.open_break_glass_count(own)
    if context["can_correct"]:
        context["open_corrections"] = lookup.open_correction_count(own)
    if context["citizen"]:
        context["own_person_id"] = user.person_id  # type: ignore[union-attr]
    context["nothing_to_do"] = not any(
        context[k] for k in ("can_care", "can_review", "can_correct", "citizen")
    )
    return render(request, "web/home.html", context)
