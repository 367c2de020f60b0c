"""Closing the plan."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from jeugdketen.plans import actions
from jeugdketen.plans.forms import CloseForm
from jeugdketen.plans.views.base import SCORE_FIELDS, PlanView, _done, _refused_page, form_page
from jeugdketen.ui.pages import submit


@form_page("afsluiten")
def close_page(view: PlanView, _item: Any) -> HttpResponse:
    form = view.form("close", view.request.POST if view.posted else None)
    refused = _refused_page(view, view.can_edit, form)
    if refused is not None:
        return refused
    assert isinstance(form, CloseForm)
    if submit(view.request, form, lambda data: actions.close_plan(
            view.actor, view.plan_id, reason_code=data["reason_code"],
            can_continue_without_help=data["can_continue_without_help"],
            satisfaction=data["satisfaction"], final_scores=form.final_scores(), on=data["on"],
            note=data["note"]), SCORE_FIELDS) is not None:
        return _done(view, _("Het plan is afgesloten."), "afsluiten")
    return view.form_page(
        form, title=_("Het plan afsluiten"), submit=_("Plan afsluiten"), anchor="afsluiten",
        kind="scores", legend=_("Eindscore per doel (niet verplicht)"),
        intro=_("Na het afsluiten kan niemand het plan meer wijzigen. Geeft u geen "
                "eindscores, dan telt de laatste evaluatie als eindevaluatie."))
