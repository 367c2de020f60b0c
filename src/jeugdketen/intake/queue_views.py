"""The front door's pages of the queue and its settings (issue 11): the queue of open
reports (sortable, filterable, 50 a page), the intake slots per organisation and week, and
the municipality's norms. Each page reads through intake.queue or the settings actions
(which ask the policy and log the read) and changes only through those actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.policy import Action, Actor, Data, Decision, Target
from jeugdketen.core.errors import Refusal
from jeugdketen.intake import norms
from jeugdketen.intake import queue as queue_selector
from jeugdketen.intake.actions import settings
from jeugdketen.intake.models import OPEN_STEPS, Step, Urgency
from jeugdketen.intake.queue import QueueRow
from jeugdketen.ui import roles as r
from jeugdketen.ui.forms import DATE_FORMATS, DATE_INVALID, DateInput, UtrechtForm
from jeugdketen.ui.pages import (
    actor_for,
    page,
    page_number,
    refusal_to_messages,
    submit,
)

# The queue's columns that sort (query value -> the selector's order) with their labels.
SORTS: dict[str, tuple[str, Any]] = {
    "ontvangen": ("received_at", gettext_lazy("Ontvangen")),
    "stap": ("step", gettext_lazy("Stap")),
    "urgentie": ("urgency", gettext_lazy("Urgentie")),
    "wijk": ("neighbourhood", gettext_lazy("Wijk")),
    "in_stap": ("step_since", gettext_lazy("Dagen in stap")),
    "termijn": ("step_due_on", gettext_lazy("Termijn")),
}
STEP_LABELS = {str(value): label for value, label in Step.choices}
URGENCY_LABELS = {str(value): label for value, label in Urgency.choices}
OVERDUE_CHOICES = (
    ("1x", gettext_lazy("Over de norm")),
    ("3x", gettext_lazy("Meer dan drie keer over de norm")),
    ("no", gettext_lazy("Binnen de norm")),
)


def municipality_of(actor: Actor) -> str:
    """The municipality whose queue and settings a professional works with: their
    organisation's."""
    prof = actor.professional
    if prof is None:
        raise AccessDenied(actor, Action.READ, Target(Data.CARE_REPORT),
                           Decision.deny("the front door's pages are for professionals"))
    return str(prof.organisation.municipality_id)


def _report_link_maker() -> Callable[[str], str]:
    """The link to a report's page (the front door's pages, issue 11), where that page
    exists: resolved once per list."""
    placeholder = "00000000-0000-0000-0000-000000000000"
    try:
        pattern = reverse("intake:report", args=[placeholder])
    except NoReverseMatch:
        return lambda report_id: ""
    return lambda report_id: pattern.replace(placeholder, report_id)


def _day(value: date | None, formatted: dict[date, str]) -> str:
    """A date as the pages write it (a page's rows share few dates: each formatted once)."""
    if value is None:
        return ""
    found = formatted.get(value)
    if found is None:
        found = formatted[value] = date_format(value, "DATE_FORMAT")
    return found


def _cells(row: QueueRow, link: Callable[[str], str],
           formatted: dict[date, str]) -> dict[str, Any]:
    """What a row of the page shows, as text (fifty rows render faster from Python than
    from template tags)."""
    report = row.report
    days = row.norm_days or 0
    norm = (ngettext("%(n)s werkdag", "%(n)s werkdagen", days) if row.norm_working
            else ngettext("%(n)s dag", "%(n)s dagen", days)) % {"n": days}
    expected = _day(row.expected_next_on, formatted)
    ahead = ""
    if report.step == Step.TRIAGED:
        if row.expected_next_on is None:
            expected = _("Niet binnen 26 weken met de huidige intakeplekken")
        else:
            ahead = ngettext("%(n)s melding voor", "%(n)s meldingen voor",
                             row.ahead) % {"n": row.ahead}
    overdue = {"3x": _("Meer dan drie keer over de norm"),
               "1x": _("Over de norm")}.get(row.overdue, "")
    return {"reference": report.reference, "link": link(row.id),
            "step": STEP_LABELS[report.step], "urgency": URGENCY_LABELS[report.urgency],
            "neighbourhood": row.neighbourhood_name,
            "received": _day(timezone.localdate(report.received_at), formatted),
            "days_in_step": row.days_in_step, "days_total": row.days_total, "norm": norm,
            "due": _day(report.step_due_on, formatted), "overdue": row.overdue,
            "overdue_label": overdue, "expected": expected, "ahead": ahead,
            "expected_known": row.expected_next_on is not None}


def _sort(request: HttpRequest) -> tuple[str, bool]:
    """The column asked for and whether reversed (default: the oldest first)."""
    asked = request.GET.get("sorteer", "")
    key = asked.removeprefix("-")
    if key not in SORTS:
        return "ontvangen", False
    return key, asked.startswith("-")


@page(r.has_professional)
def queue(request: HttpRequest) -> HttpResponse:
    """The front door's queue: every open report of the municipality with its step,
    days, norm, overdue flags and expected date, the oldest first by default."""
    actor = actor_for(request)
    code = municipality_of(actor)
    step = request.GET.get("stap", "")
    step = step if step in OPEN_STEPS else ""
    urgency = request.GET.get("urgentie", "")
    urgency = urgency if urgency in Urgency.values else ""
    overdue = request.GET.get("te_laat", "")
    overdue = overdue if overdue in queue_selector.OVERDUE else ""
    sort, reverse_ = _sort(request)
    found = queue_selector.queue(
        actor, code, step=step or None, urgency=urgency or None, overdue=overdue or None,
        order=("-" if reverse_ else "") + SORTS[sort][0], page=page_number(request))
    link = _report_link_maker()
    formatted: dict[date, str] = {}
    rows = [_cells(row, link, formatted) for row in found.rows]
    columns = [{"key": key, "label": label, "current": key == sort,
                "aria_sort": ("descending" if reverse_ else "ascending") if key == sort
                else "",
                "next": f"-{key}" if key == sort and not reverse_ else key}
               for key, (_order, label) in SORTS.items()]
    return render(request, "intake/queue/queue.html", {
        "rows": rows, "queue": found, "columns": {c["key"]: c for c in columns},
        "step": step, "urgency": urgency, "overdue": overdue,
        "sort": ("-" if reverse_ else "") + sort, "filtered": bool(step or urgency or overdue),
        "steps": [(s, Step(s).label) for s in OPEN_STEPS],
        "urgencies": list(Urgency.choices), "overdue_choices": OVERDUE_CHOICES,
        "page": found.page, "pages": found.pages, "total": found.total,
        "page_range": range(1, found.pages + 1) if found.pages <= 10 else None,
        "previous_page": found.page - 1 if found.page > 1 else None,
        "next_page": found.page + 1 if found.page < found.pages else None,
    })


# --- capacity ----------------------------------------------------------------------------------


class CapacityForm(UtrechtForm):
    organisation = forms.TypedChoiceField(label=gettext_lazy("Organisatie"), coerce=int)
    week_start = forms.DateField(
        label=gettext_lazy("Vanaf de week van maandag"), input_formats=DATE_FORMATS,
        error_messages={"invalid": DATE_INVALID}, widget=DateInput(),
        help_text=gettext_lazy("De weken daarna zonder eigen aantal houden dit aantal."))
    slots = forms.IntegerField(label=gettext_lazy("Intakeplekken per week"), min_value=0,
                               max_value=settings.MAX_SLOTS)

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = organisations


@page(r.has_professional)
def capacity(request: HttpRequest) -> HttpResponse:
    """The intake slots per week of the municipality's organisations; the front door sets
    every organisation's, an organisation's functional administrator its own."""
    actor = actor_for(request)
    code = municipality_of(actor)
    mondays, rows = settings.capacity_of(actor, code)
    editable = [(row.organisation.pk, row.organisation.name) for row in rows if row.may_change]
    form = CapacityForm(request.POST or None, organisations=editable,
                        initial={"week_start": mondays[0]})
    saved = submit(request, form, lambda d: settings.set_capacity(
        actor, d["organisation"], week_start=d["week_start"], slots=d["slots"]),
        field_map={"organisation_id": "organisation"})
    if saved is not None:
        messages.success(request, _("De intakeplekken zijn opgeslagen."))
        return redirect("intake_queue:capacity")
    return render(request, "intake/queue/capacity.html", {
        "mondays": mondays, "rows": rows, "form": form if editable else None})


# --- norms ---------------------------------------------------------------------------------------


def _step_choices() -> list[tuple[str, Any]]:
    labels = {Step.RECEIVED: gettext_lazy("Beoordelen (vanaf de melding)"),
              Step.TRIAGED: gettext_lazy("Intake gehouden (vanaf de melding)"),
              Step.INTAKE_HELD: gettext_lazy("Hulp gestart (vanaf de intake)")}
    return [(str(s), labels[Step(s)]) for s in norms.NORM_STEPS]


class NormForm(UtrechtForm):
    step = forms.ChoiceField(label=gettext_lazy("Stap"))
    urgency = forms.ChoiceField(label=gettext_lazy("Urgentie"), required=False)
    days = forms.IntegerField(label=gettext_lazy("Aantal dagen"), min_value=0,
                              max_value=settings.MAX_NORM_DAYS)
    working = forms.TypedChoiceField(
        label=gettext_lazy("Soort dagen"), widget=forms.RadioSelect, initial="1",
        coerce=lambda v: v == "1",
        choices=[("1", gettext_lazy("Werkdagen")), ("0", gettext_lazy("Kalenderdagen"))])

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        step, urgency = self.fields["step"], self.fields["urgency"]
        assert isinstance(step, forms.ChoiceField) and isinstance(urgency, forms.ChoiceField)
        step.choices = _step_choices()
        urgency.choices = [("", _("Elke urgentie")), *Urgency.choices]


@page(r.has_professional)
def norms_page(request: HttpRequest) -> HttpResponse:
    """The municipality's norms per step (its own, else the Dutch defaults); the front
    door and a functional administrator of the municipality itself change them. A change
    applies to steps that start after it."""
    actor = actor_for(request)
    code = municipality_of(actor)
    if request.method == "POST" and request.POST.get("wissen"):
        step, _sep, urgency = request.POST["wissen"].partition(":")
        try:
            settings.clear_norm(actor, code, step=step, urgency=urgency)
        except Refusal as refused:
            refusal_to_messages(request, refused)
        else:
            messages.success(request, _("De norm is terug naar de standaard."))
        return redirect("intake_queue:norms")
    rows, may_change = settings.norms_of(actor, code)
    form = NormForm(request.POST or None) if may_change else None
    if form is not None and submit(request, form, lambda d: settings.set_norm(
            actor, code, step=d["step"], urgency=d["urgency"], days=d["days"],
            working=d["working"])) is not None:
        messages.success(request, _("De norm is opgeslagen. Hij geldt voor stappen die "
                                    "vanaf nu beginnen."))
        return redirect("intake_queue:norms")
    labels = dict(_step_choices())
    shown = [{"row": row, "step_label": labels[row.step],
              "urgency_label": Urgency(row.urgency).label if row.urgency
              else _("Elke urgentie")} for row in rows]
    return render(request, "intake/queue/norms.html", {
        "rows": shown, "form": form, "may_change": may_change})
