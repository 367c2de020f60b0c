"""The pages of the integral analysis of a family plan, built on plans' PlanView: the
analysis page (per member the latest scores, the stress, and per life domain a chart and
every score; the family page shows only the latest scores and links here), and the page
that records a new analysis of one member (a form page of the family page)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.analysis import actions as analysis_actions
from jeugdketen.analysis.domains import ADULT_FROM_AGE, domains_for
from jeugdketen.analysis.forms import AnalysisForm
from jeugdketen.plans.views.base import PlanView
from jeugdketen.registry.models import Person
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import page, submit


def analysis_form(view: PlanView, person: Person, data: Any = None) -> AnalysisForm:
    age = person.age_on(view.today)
    return AnalysisForm(data, domains=dict(domains_for(age)), child=age < ADULT_FROM_AGE,
                        key=person.pk.hex, initial={"made_on": view.today})


@page(r.can_care)
def plan_analysis_page(request: HttpRequest, plan_id: Any) -> HttpResponse:
    """The whole analysis of the family: read as the family page reads it (the plan through
    read_plan, each member's analysis through analyses_for: the policy asked, every read
    logged, the records written in one append when the page is rendered)."""
    with audit.deferred():
        view = PlanView(request, plan_id)
        return render(request, "analysis/analysis_page.html", {
            "plan_view": view, "plan": view.plan, "family_name": view.family_name})


@page(r.can_care)
def analysis_page(request: HttpRequest, plan_id: Any, person_id: Any) -> HttpResponse:
    """A new analysis of one member: per life domain for their age two scores and two
    texts, for a child the stress judgement."""
    view = PlanView(request, plan_id)
    person = next((m for m in view.page.members if m.pk == person_id), None)
    if person is None:
        raise Http404
    form = analysis_form(view, person, request.POST if view.posted else None)
    refused = view.refused(view.can_record_analysis(person), form)
    if refused is not None:
        return refused
    # A refusal goes on the form field of the action's field (scores[3].family_score: the
    # fourth domain's family score).
    if submit(request, form, lambda data: analysis_actions.record_analysis(
            view.actor, view.plan_id, made_on=data["made_on"],
            scores=form.score_inputs(person.pk), stress=form.stress_inputs(person.pk)),
            field_map=form.error_field) is not None:
        return view.done(_("De analyse van %(name)s is vastgelegd.") % {"name": person},
                         f"analyse-{person.pk.hex}")
    return view.form_page(
        form, title=_("Analyse vastleggen voor %(name)s") % {"name": person},
        submit=_("Analyse vastleggen"), anchor=f"analyse-{person.pk.hex}",
        part="analysis/analysis_form.html", person=person,
        facts=[(_("Leeftijd"), view.member_label(person))])
