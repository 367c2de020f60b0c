"""The pages of time and satisfaction (issue 13): the weekly time question with the own
answers (/sturing/tijd/), the yearly survey for a professional and its closing for the
analyst (/sturing/werkplezier/), and the figures per team and neighbourhood for the
municipality's analyst and coordinator (/sturing/tijd-en-werkplezier/). Every change goes
through steering.time_actions; every figure comes from the insight store, suppressed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jeugdketen.access.policy import Data
from jeugdketen.core.errors import Refusal
from jeugdketen.registry.models import Neighbourhood
from jeugdketen.steering import time_actions
from jeugdketen.steering.time_forms import (
    CloseSurveyForm,
    SurveyForm,
    TeamAreasForm,
    TimeForm,
)
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, forbidden_response, page, submit

ANALYST_ROLES = {"municipal_analyst", "coordinator"}


def may_answer(user: Any) -> bool:
    """The menu item of the time question and the survey: a care role."""
    return r.has_professional(user) and bool(set(r.roles_of(user))
                                             & {"professional", "coordinator"})


def may_see_figures(user: Any) -> bool:
    """The menu item of the figures: the municipality's analyst or coordinator (the
    policy decides every read)."""
    return (r.has_professional(user) and bool(set(r.roles_of(user)) & ANALYST_ROLES)
            and user.professional.organisation.kind == "municipality")


def may_close(user: Any) -> bool:
    return (r.has_professional(user) and "municipal_analyst" in r.roles_of(user)
            and user.professional.organisation.kind == "municipality")


@page(r.has_professional)
def time_question(request: HttpRequest) -> HttpResponse:
    """The question about the week just ended (when not yet answered) and the own answers."""
    actor = actor_for(request)
    week = time_actions.time_question_week(actor)
    form = TimeForm(request.POST or None)
    if request.method == "POST":
        saved = submit(request, form, lambda d: time_actions.answer_time(
            actor, help_hours=d["help_hours"], accountability_hours=d["accountability_hours"]))
        if saved is not None:
            messages.success(request, _("Dank u wel. Uw uren van week %(week)s zijn "
                                        "opgeslagen.") % {
                                            "week": time_actions.week_label(saved.week)})
            return redirect("steering:time")
    answers = time_actions.own_time_answers(actor)
    return render(request, "steering/time_question.html", {
        "form": form, "week": week, "week_label": time_actions.week_label(week) if week else "",
        "answers": [{"week": time_actions.week_label(a.week), "help": a.help_hours,
                     "accountability": a.accountability_hours,
                     "share": share(a.help_hours, a.accountability_hours)} for a in answers],
    }, status=422 if request.method == "POST" else 200)


def share(helped: float | None, accounted: float | None) -> str:
    if helped is None or accounted is None or helped + accounted == 0:
        return ""
    return f"{number_format(round(100 * helped / (helped + accounted)))}%"


@page(r.has_professional)
def survey_page(request: HttpRequest) -> HttpResponse:
    """The year's survey for a professional (once); its closing for the analyst."""
    actor = actor_for(request)
    user = request.user
    if request.method == "POST" and not (
            ("answer" in request.POST and may_answer(user))
            or ("close" in request.POST and may_close(user))):
        return forbidden_response(request, logged=False)
    context: dict[str, Any] = {"year": time_actions.survey_year()}
    if may_answer(user):
        context["open"] = time_actions.survey_is_open(actor)
        form = SurveyForm(request.POST or None)
        context["form"] = form
        if request.method == "POST" and "answer" in request.POST:
            done = submit(request, form, lambda d: time_actions.answer_survey(
                actor, scores=form.scores(), overall=d["overall"]) or True)
            if done:
                messages.success(request, _("Dank u wel. Uw antwoorden zijn anoniem "
                                            "opgeslagen."))
                return redirect("steering:survey")
    if may_close(user):
        close = CloseSurveyForm(request.POST if "close" in request.POST else None)
        if request.method == "POST" and "close" in request.POST:
            closed = submit(request, close, lambda d: time_actions.close_survey(
                actor, d["year"]))
            if closed is not None:
                messages.success(request, _("Het onderzoek van %(year)s is gesloten. De "
                                            "cijfers staan na de volgende verversing van het "
                                            "inzicht klaar.") % {"year": closed.year})
                return redirect("steering:survey")
            if close.errors:
                messages.error(request, " ".join(str(e) for errs in close.errors.values()
                                                 for e in errs))
        context["state"] = time_actions.survey_state(actor)
    if "form" not in context and "state" not in context:
        return forbidden_response(request, logged=False)
    status = 422 if request.method == "POST" else 200
    return render(request, "steering/time_survey.html", context, status=status)


@page(may_see_figures)
def figures(request: HttpRequest) -> HttpResponse:
    """The time and survey figures of the own municipality per team and per neighbourhood,
    and (the analyst) the teams' neighbourhoods."""
    actor = actor_for(request)
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST" and not may_close(request.user):
        return forbidden_response(request, logged=False)
    if may_close(request.user):
        teams = time_actions.team_areas(actor)
        hoods = [(n.pk, n.name) for n in Neighbourhood.objects.filter(
            district__municipality_id=actor.professional.organisation.municipality_id)
            .order_by("name")] if actor.professional is not None else []
        form = TeamAreasForm(request.POST or None, teams=[(o.pk, o.name) for o, _c in teams],
                             hoods=hoods)
        saved = submit(request, form, lambda d: time_actions.set_team_areas(
            actor, d["team"], list(d["neighbourhoods"])),
            {"team": "team", "neighbourhoods": "neighbourhoods"})
        if saved is not None:
            messages.success(request, _("Het werkgebied van het team is opgeslagen. Het geldt "
                                        "voor de antwoorden vanaf nu."))
            return redirect("steering:effort_figures")
        if request.method == "POST":
            status = 422
        names = dict(hoods)
        context.update({"area_form": form, "teams": [
            (o.name, [names.get(c, c) for c in codes]) for o, codes in teams]})
    by = request.GET.get("per", "team")
    try:
        time_figures = time_actions.figures(actor, Data.TIME_ANSWER, by=by)
        survey_figures = time_actions.figures(actor, Data.SURVEY, by=by)
    except Refusal:
        by = "team"
        time_figures = time_actions.figures(actor, Data.TIME_ANSWER, by=by)
        survey_figures = time_actions.figures(actor, Data.SURVEY, by=by)
    context.update({
        "by": by, "time": time_figures, "threshold": time_figures.threshold,
        "time_rows": [time_row(f) for f in time_figures.time],
        "survey_rows": [survey_row(f) for f in survey_figures.survey],
        "refreshed_at": time_figures.refreshed_at,
        "today": timezone.localdate(),
    })
    return render(request, "steering/time_figures.html", context, status=status)


def _label(figure: Any) -> str:
    return str(figure.label) if figure.group else _("%(area)s (totaal)") % {
        "area": figure.label}


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else number_format(round(value, digits), digits)


def time_row(f: Any) -> dict[str, Any]:
    if f.suppressed:
        return {"label": _label(f), "hidden": True}
    return {"label": _label(f), "hidden": False,
            "share": "" if f.value is None else f"{number_format(round(100 * f.value))}%",
            "help": _number(f.help_hours), "accountability": _number(f.accountability_hours),
            "respondents": _number(f.respondents), "weeks": f.weeks}


def survey_row(f: Any) -> dict[str, Any]:
    if f.suppressed:
        return {"label": _label(f), "year": f.year, "hidden": True}
    return {"label": _label(f), "year": f.year, "hidden": False,
            "variety": _number(f.variety), "autonomy": _number(f.autonomy),
            "support": _number(f.support), "overall": _number(f.overall),
            "respondents": f.respondents}
