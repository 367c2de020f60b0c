"""The insight pages (issue 12): the dashboard of an area of the own municipality over a
period (the four KPIs, the value stream, the waiting lists, the outcomes per provider and
per neighbourhood, the costs; each chart with its numbers in a table beside it), and the
publication settings of the municipal analyst.

Every figure comes from the insight store (`insight.store.reader()`), with suppression
applied by the figure's own module: a count below the municipality's threshold, or one
that would let it be recomputed, is shown as hidden, never as a number. The read is asked
of the policy and logged by `insight.actions.read_insight` (the area is the object)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jeugdketen.core.errors import Refusal
from jeugdketen.insight import actions, selectors, store
from jeugdketen.insight.forms import PublicationForm, ScopeForm
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, page, refusal_to_form, submit

SCOPE_FIELDS = ("gebied", "van", "tot")


# --- how a figure is written ----------------------------------------------------------------


def percent(value: float | None) -> str:
    return "" if value is None else f"{number_format(round(value * 100))}%"


def interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f"{number_format(round(low * 100))}–{number_format(round(high * 100))}%"


def days(value: float | None) -> str:
    return "" if value is None else number_format(round(value))


def hidden(threshold: int) -> dict[str, Any]:
    """A suppressed cell: never a number."""
    return {"text": _("verborgen"), "hidden": True,
            "title": _("Minder dan %(n)s, of af te leiden uit de andere cijfers")
            % {"n": threshold}}


def cell(text: Any) -> dict[str, Any]:
    return {"text": str(text), "hidden": False, "title": ""}


# --- the pages ------------------------------------------------------------------------------


@page(r.has_professional)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures of an area of the own municipality over a period (default: the
    municipality, the last twelve full months)."""
    actor = actor_for(request)
    own = actions.check_reader(actor)
    areas = selectors.areas_of(own)
    today = timezone.localdate()
    first, last = selectors.default_period(today)
    asked = any(name in request.GET for name in SCOPE_FIELDS)
    form = ScopeForm(request.GET if asked else None, areas=areas,
                     initial={"gebied": own, "van": first, "tot": last})
    context: dict[str, Any] = {"form": form, "reading": None,
                               "may_change": selectors.may_change_settings(actor)}
    area: str = own
    start: date = first
    end: date = last
    if asked:
        if not form.is_valid():
            return render(request, "insight/dashboard.html", context, status=422)
        area, start, end = (form.cleaned_data["gebied"], form.cleaned_data["van"],
                            form.cleaned_data["tot"])
    try:
        reading = actions.read_insight(actor, area, start=start, end=end, today=today)
    except Refusal as refused:
        refusal_to_form(form, refused, ScopeForm.error_field)
        return render(request, "insight/dashboard.html", context, status=422)
    con = store.reader()
    context.update({"reading": reading, "empty": store.is_empty(),
                    "refreshed_at": store.refreshed_at(), "threshold": reading.threshold})
    if not context["empty"]:
        context["sections"] = sections(con, reading)
    return render(request, "insight/dashboard.html", context)


def sections(con: Any, reading: Any) -> list[dict[str, Any]]:
    """The dashboard's sections whose figures exist, in the page's order."""
    return []


@page(r.has_professional)
def publication(request: HttpRequest) -> HttpResponse:
    """The municipality's publication settings: the threshold and the follow-up period of
    help that helps. The municipal analyst of the municipality itself."""
    actor = actor_for(request)
    own = selectors.actor_municipality(actor) or ""
    current = actions.read_publication(actor, own)
    form = PublicationForm(request.POST or None, initial={
        "threshold": current.threshold, "follow_up_days": current.follow_up_days})
    saved = submit(request, form, lambda d: actions.set_publication(
        actor, own, threshold=d["threshold"], follow_up_days=d["follow_up_days"]))
    if saved is not None:
        messages.success(request, _("De instellingen zijn opgeslagen. Ze gelden voor alle "
                                    "cijfers van de gemeente, ook in de API."))
        return redirect("insight:insight_settings")
    return render(request, "insight/publication.html", {"form": form, "current": current},
                  status=422 if request.method == "POST" else 200)
