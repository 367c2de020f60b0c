"""'Mijn werk': the start page. What waits for this user, most urgent first (web/worklist.py),
and the starting points their role can use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from jeugdketen.steering import time_actions
from jeugdketen.steering.time_forms import TimeForm
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, page
from jeugdketen.web import worklist


def _url(name: str) -> str:
    """A page of another part that may not exist in this build: then no link at all."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@page()
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "can_care": r.can_care(user),
        "can_signal": r.can_signal(user),
        "can_review": r.can_review(user),
        "can_correct": r.can_correct(user),
        "can_have_tokens": r.can_have_tokens(user),
        "platform_admin": "platform_admin" in r.roles_of(user),
        "citizen": r.is_citizen(user),
        "roles": r.roles_of(user),
        "persons_url": _url("persons"),
    }
    if r.has_professional(user) or context["citizen"]:
        context["items"] = worklist.for_actor(actor_for(request))
        context["has_worklist"] = True
    if r.has_professional(user):
        # The weekly time question (issue 13), only while this week's is open for them.
        actor = actor_for(request)
        week = time_actions.time_question_week(actor)
        if week is not None:
            context.update({"time_form": TimeForm(), "week_label": time_actions.week_label(week)})
        context["survey_open"] = time_actions.survey_is_open(actor)
    if context["citizen"]:
        context["own_person_id"] = user.person_id  # type: ignore[union-attr]
    context["nothing_to_do"] = not any(
        context[k] for k in ("can_care", "can_review", "can_correct", "citizen", "can_have_tokens")
    )
    return render(request, "web/home.html", context)
