"""The NEN 7513 access overview (for the person, a parent, and the privacy officer) and
the privacy officer's review list of emergency access."""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeugdketen.access.actions import (
    access_log_page,
    break_glass_uses,
    read_access_log,
    review_break_glass,
)
from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.forms import ReviewForm
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.access.policy import PARENT_SEES_UNTIL_AGE, Action, Data, Target, decide
from jeugdketen.core.errors import Refusal
from jeugdketen.registry import selectors
from jeugdketen.registry.actions import read_person
from jeugdketen.registry.forms import BsnForm
from jeugdketen.ui import roles as r
from jeugdketen.ui.forms import PeriodForm
from jeugdketen.ui.pages import actor_for, page, page_number, refusal_to_messages


class AccessFilterForm(PeriodForm):
    """The access overview's filters: a period, an organisation, and whether to leave out
    what the family looked at themselves."""

    organisation = forms.IntegerField(label=gettext_lazy("Organisatie"), required=False,
                                      widget=forms.Select)
    zonder_gezin = forms.BooleanField(
        label=gettext_lazy("Verberg wat het gezin zelf bekeek"), required=False)

    def offer(self, organisations: list[tuple[int, str]]) -> None:
        widget = self.fields["organisation"].widget
        widget.choices = [("", _("Alle organisaties")), *organisations]


def _filtered(request: HttpRequest, actor: Any, person_id: Any) -> dict[str, Any]:
    """One page of the person's access overview as the filters in the address ask."""
    form = AccessFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"start": data.get("start"), "end": data.get("end"),
                   "organisation_id": data.get("organisation"),
                   "hide_family": bool(data.get("zonder_gezin"))}
    result = access_log_page(actor, person_id, page=page_number(request), **filters)
    form.offer(result.organisations)
    return {
        "period_form": form, "records": result.records, "page": result.number,
        "pages": result.pages, "total": result.total,
        "previous_page": result.number - 1 if result.number > 1 else None,
        "next_page": result.number + 1 if result.number < result.pages else None,
        "filtered": bool(request.GET.get("start") or request.GET.get("end")
                         or request.GET.get("organisation") or request.GET.get("zonder_gezin")),
    }


def _children(request: HttpRequest) -> list[Any]:
    """The children under 16 of whom the citizen holds custody according to the BRP, and
    whose access overview the citizen may see."""
    actor = actor_for(request)
    own = actor.person
    if own is None:
        return []
    children = []
    for child in selectors.custody_children(own):
        allowed = decide(actor, Action.READ, Target(Data.ACCESS_LOG, person=child)).allowed
        if allowed and selectors.may_read(actor, child):
            children.append(read_person(actor, child.pk))
    return children


@page(r.can_see_access_overview)
def overview(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"citizen": r.is_citizen(request.user),
                               "family_view": r.is_citizen(request.user),
                               "privacy_officer": r.can_review(request.user),
                               "parent_age": PARENT_SEES_UNTIL_AGE}
    if context["privacy_officer"]:
        form = BsnForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            actor = actor_for(request)
            person_id = selectors.person_id_for_bsn(form.cleaned_data["bsn"])
            # A person of another municipality is answered like an unknown BSN: the answer
            # never tells whether the chain knows someone the officer does not supervise.
            if person_id is not None and not decide(actor, Action.READ, Target(
                    Data.ACCESS_LOG, person=selectors.person_for_policy(person_id))).allowed:
                person_id = None
            if person_id is None:
                # An unknown person: logged as a denied attempt too.
                with contextlib.suppress(AccessDenied):
                    read_access_log(actor, "unknown")
                form.add_error("bsn", _("Met dit BSN is niemand gevonden in het register."))
            else:
                # The BSN goes no further than this request (not in the URL, not in the
                # session): the overview's address holds the random person id only.
                return redirect("access_log", person_id=person_id)
        context["bsn_form"] = form
    if context["citizen"]:
        actor = actor_for(request)
        context.update(
            _filtered(request, actor, actor.person.pk),  # type: ignore[union-attr]
            children=_children(request),
            subject_is_self=True,
        )
    return render(request, "access/access_overview.html", context)


@page(r.can_see_access_overview)
def person_log(request: HttpRequest, person_id: str) -> HttpResponse:
    actor = actor_for(request)
    context = _filtered(request, actor, person_id)
    subject_name = ""
    person = selectors.person_for_policy(person_id)
    if person is not None and r.is_citizen(request.user) and selectors.may_read(actor, person):
        subject_name = str(read_person(actor, person.pk))
    context.update(
        person_id=person_id,
        subject_name=subject_name,
        privacy_officer=r.can_review(request.user),
        family_view=r.is_citizen(request.user),
        subject_is_self=bool(actor.person is not None and str(actor.person.pk) == str(person_id)),
    )
    return render(request, "access/access_log.html", context)


def _review_of(record: AccessLogRecord) -> Any:
    try:
        return record.review
    except AccessLogRecord.review.RelatedObjectDoesNotExist:
        return None


def _review_list(request: HttpRequest, bound: ReviewForm | None = None,
                 bound_id: int | None = None) -> HttpResponse:
    show_all = request.GET.get("toon") == "alle"
    uses = break_glass_uses(actor_for(request), only_open=not show_all)
    items = [
        {"record": u, "review": _review_of(u),
         "form": bound if bound is not None and u.pk == bound_id else ReviewForm(record_id=u.pk)}
        for u in uses
    ]
    return render(request, "access/review_list.html", {"items": items, "show_all": show_all})


@page(r.can_review)
def review_list(request: HttpRequest) -> HttpResponse:
    return _review_list(request)


@page(r.can_review)
def review(request: HttpRequest, record_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("review_list")
    htmx = request.headers.get("HX-Request") == "true"
    form = ReviewForm(request.POST, record_id=record_id)
    if form.is_valid():
        try:
            result = review_break_glass(actor_for(request), record_id,
                                        justified=form.cleaned_data["justified"],
                                        note=form.cleaned_data["note"])
        except Refusal as exc:  # someone else reviewed it first: theirs stands, shown here
            if htmx:
                record = AccessLogRecord.objects.select_related("review__reviewed_by").get(
                    pk=record_id)
                return render(request, "access/partials/review_block.html",
                              {"item": {"record": record, "review": _review_of(record),
                                        "form": None},
                               "notice": exc.message})
            refusal_to_messages(request, exc)
            return redirect("review_list")
        if htmx:
            return render(request, "access/partials/review_block.html",
                          {"item": {"record": result.record, "review": result, "form": None},
                           "just_reviewed": True})
        messages.success(request, _("Uw beoordeling is opgeslagen."))
        return redirect("review_list")
    if htmx:
        return render(request, "access/partials/review_block.html",
                      {"item": {"record": {"pk": record_id}, "review": None, "form": form}})
    # Without JavaScript: the whole list again, this form with its errors and its text.
    return _review_list(request, form, record_id)
