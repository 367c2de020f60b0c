"""Closing the plan."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from jeugdketen.core.errors import Refusal
from jeugdketen.plans import actions
from jeugdketen.plans.forms import CloseForm
from jeugdketen.plans.views.base import PlanView, _done, _refused_page, form_page, put_error


@form_page("afsluiten")
def close_page(view: PlanView, _item: Any) -> HttpResponse:
    form = view.form("close", view.request.POST if view.posted else None)
    refused = _refused_page(view, view.can_edit, form)
    if refused is not None:
        return refused
    if view.posted and form.is_valid():
        assert isinstance(form, CloseForm)
        data = form.cleaned_data
        try:
            actions.close_plan(view.actor, view.plan_id, reason_code=data["reason_code"],
                               can_continue_without_help=data["can_continue_without_help"],
                               satisfaction=data["satisfaction"],
                               final_scores=form.final_scores(), on=data["on"],
                               note=data["note"])
        except Refusal as exc:
            put_error(form, exc, {"scores": None, "scores.goal_id": None, "scores.score": None})
        else:
            return _done(view, _("Het plan is afgesloten."), "afsluiten")
    return view.form_page(
        form, title=_("Het plan afsluiten"), submit=_("Plan afsluiten"), anchor="afsluiten",
        kind="scores", legend=_("Eindscore per doel (niet verplicht)"),
        intro=_("Na het afsluiten kan niemand het plan meer wijzigen. Geeft u geen "
                "eindscores, dan telt de laatste evaluatie als eindevaluatie."))
