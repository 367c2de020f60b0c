"""Recording an evaluation: a score per goal, the T-score of the plan from them."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jeugdketen.plans import actions
from jeugdketen.plans.forms import EvaluationForm
from jeugdketen.plans.templatetags.plan_page import t_score as t_score_text
from jeugdketen.plans.views.base import (
    SCORE_FIELDS,
    PlanView,
    _done,
    _long_day,
    _refused_page,
    form_page,
)
from jeugdketen.ui.pages import submit


@form_page("evaluatie")
def evaluation_page(view: PlanView, _item: Any) -> HttpResponse:
    form = view.form("evaluation", view.request.POST if view.posted else None)
    refused = _refused_page(view, view.can_evaluate, form)
    if refused is not None:
        return refused
    assert isinstance(form, EvaluationForm)
    evaluation = submit(view.request, form, lambda data: actions.record_evaluation(
        view.actor, view.plan_id, on=data["date"], scores=form.scores(), note=data["note"]),
        SCORE_FIELDS)
    if evaluation is not None:
        return _done(view, _("De evaluatie is vastgelegd. T-score: %(t)s.") % {
            "t": number_format(evaluation.t_score, 1)}, "evaluaties")
    facts = []
    if view.page.evaluations:
        last = view.page.evaluations[-1]
        facts.append((_("Laatste evaluatie"), _("%(day)s, T-score %(t)s") % {
            "day": _long_day(last.on), "t": t_score_text(last.t_score)}))
    return view.form_page(
        form, title=_("Evaluatie vastleggen"), submit=_("Evaluatie vastleggen"),
        anchor="evaluaties", kind="scores", legend=_("Score per doel (-2 tot +2)"),
        intro=_("Geef elk doel een score. Bij elke score staat wat dat niveau voor dit doel "
                "betekent. De T-score van het plan wordt daaruit berekend."), facts=facts)
