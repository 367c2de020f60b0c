"""'Mijn werk': the start page, with what this user can do."""

from __future__ import annotations

import math

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jeugdketen.registry.actions import list_registered
from jeugdketen.web import lookup
from jeugdketen.web import roles as r
from jeugdketen.web.views.common import actor_for, page, page_number

PER_PAGE = 25


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
    if context["can_care"]:
        actor = actor_for(request)
        total = lookup.registered_count(actor.professional)
        pages = max(1, math.ceil(total / PER_PAGE))
        number = min(page_number(request), pages)
        # Listing counts as reading each person listed: the action logs every one.
        context.update(
            persons=list_registered(actor, limit=PER_PAGE, offset=(number - 1) * PER_PAGE),
            total=total, page=number, pages=pages,
            page_range=range(1, pages + 1) if pages <= 10 else None,
            previous_page=number - 1 if number > 1 else None,
            next_page=number + 1 if number < pages else None,
            first_index=(number - 1) * PER_PAGE + 1,
        )
        context["last_index"] = context["first_index"] + len(context["persons"]) - 1
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
