"""What every page of a family plan shares: the plan as one request sees it (PlanView),
the choices its forms offer and the forms' registry.

Every read and write goes through the actions (plans.actions, access.actions), which ask
the access policy and log. A form is shown only when the policy would allow what it does;
a refusal of an action lands on the field it names, with what the user typed kept in the
form (ui.pages: submit, refusal_to_form; docs/decisions/0008-one-error-model.md)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from jeugdketen.access import actions as access_actions
from jeugdketen.access.policy import Action, Data, decide
from jeugdketen.plans import actions, selectors
from jeugdketen.plans.actions import FamilyPage
from jeugdketen.plans.forms import (
    ActionForm,
    ApprovalForm,
    CloseForm,
    CommentForm,
    ConcernForm,
    ConsentForm,
    EvaluationForm,
    GoalForm,
    HandoverForm,
    LegalBasisForm,
    NetworkMemberForm,
    ProfessionalMemberForm,
    SectionsForm,
)
from jeugdketen.plans.models import Plan
from jeugdketen.registry.models import Person
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, forbidden_response, page

# A refusal about the scores of an evaluation or of closing concerns the form as a whole
# (each goal's score has a field of its own; none is named "scores").
SCORE_FIELDS: dict[str, str | None] = dict.fromkeys(("scores", "scores.goal_id", "scores.score"))


def _plan_url(plan_id: Any, anchor: str = "") -> str:
    url = reverse("plan", kwargs={"plan_id": plan_id})
    return f"{url}#{anchor}" if anchor else url


def _member_label(person: Person, today: date) -> str:
    return _("%(name)s (%(age)s jaar)") % {"name": person, "age": person.age_on(today)}



def _coordinator_choices(municipality_id: Any, *, exclude: Any = None) -> list[tuple[int, str]]:
    return [(p.pk, f"{p.full_name} ({p.organisation.name})")
            for p in selectors.professionals_in(municipality_id, coordinating=True)
            if p.pk != exclude]



# --- the family page --------------------------------------------------------------------
#
# The family page shows everything, with the light forms (a few fields each) in <details>.
# The heavy forms have a small page of their own, linked from the part of the family page
# they belong to: a new analysis (four fields per life domain), an evaluation and the close
# (a score per goal), marking an action done (one page per action, not a form per action),
# handing over the coordination (every coordinator of the municipality) and a legal basis.
# GET shows the form, POST saves and goes back to the family page, an error shows the form
# page again with the error at its field. For the long lists the view hands the template
# ready-made texts (plans.templatetags.plan_page writes their rows): the page holds tens of
# goals and actions and hundreds of scores. docs/performance.md has the measurements.


def _day(day: date) -> str:
    """'j-n-Y' without the template engine: 7-3-2026."""
    return f"{day.day}-{day.month}-{day.year}"


def _short_day(day: date) -> str:
    """'j-n-y': 7-3-26."""
    return f"{day.day}-{day.month}-{day.year % 100:02d}"


def _long_day(day: date) -> str:
    """'j F Y' in the current language: 7 maart 2026 (as dateformat writes it, without
    parsing the format for each of the page's dates)."""
    return f"{day.day} {MONTHS[day.month]} {day.year}"



class PlanView:
    """One request on the family page or one of its form pages: the plan (read once, when
    needed), the choices the forms offer, the forms, and what the actor may do."""

    def __init__(self, request: HttpRequest, plan_id: Any):
        self.request = request
        self.plan_id = plan_id
        self.actor = actor_for(request)
        self.today = timezone.localdate()

    @cached_property
    def page(self) -> FamilyPage:
        return actions.read_plan(self.actor, self.plan_id, rows=True)

    @property
    def plan(self) -> Plan:
        return self.page.plan

    @property
    def posted(self) -> bool:
        return self.request.method == "POST"

    # What the actor may do (the policy's pure answer; the actions ask again and log).
    def may(self, action: Action, data: Data = Data.PLAN, person: Person | None = None) -> bool:
        return decide(self.actor, action,
                      selectors.target(self.plan, self.page.members, data, person)).allowed

    @cached_property
    def can_edit(self) -> bool:
        return self.may(Action.UPDATE)

    @cached_property
    def can_evaluate(self) -> bool:
        return self.may(Action.CREATE, Data.EVALUATION)

    def can_record_analysis(self, person: Person) -> bool:
        return self.can_edit and self.may(Action.CREATE, Data.ANALYSIS, person)

    @cached_property
    def is_coordinator(self) -> bool:
        prof = self.actor.professional
        return prof is not None and prof.pk == self.plan.coordinator_id

    @cached_property
    def family_name(self) -> str:
        return _family_name(self.page.members)

    # --- choices -------------------------------------------------------------------
    @cached_property
    def active_team(self) -> list[Any]:
        return [m for m in self.page.team if m.left_at is None]

    @cached_property
    def member_choices(self) -> list[tuple[str, str]]:
        return [(str(m.pk), _member_label(m, self.today)) for m in self.page.members]

    @cached_property
    def responsible_choices(self) -> list[tuple[int, str]]:
        plan = self.plan
        found = {plan.main_organisation_id: _("%(name)s (hoofdaannemer)") % {
            "name": plan.main_organisation.name}}
        for member in self.active_team:
            if member.professional is not None:
                org = member.professional.organisation
                found.setdefault(org.pk, org.name)
        return list(found.items())

    @cached_property
    def municipality_id(self) -> Any:
        return self.plan.main_organisation.municipality_id

    @cached_property
    def organisations(self) -> list[Any]:
        return selectors.organisations_in(self.municipality_id)

    @cached_property
    def organisation_choices(self) -> list[tuple[int, str]]:
        return [(o.pk, o.name) for o in self.organisations]

    @cached_property
    def legal_basis_organisations(self) -> list[tuple[int, str]]:
        """The viewer's own organisation, when it is of a kind that can hold a legal basis."""
        from jeugdketen.access.policy import LEGAL_BASIS_HOLDERS

        prof = self.actor.professional
        holders = set().union(*LEGAL_BASIS_HOLDERS.values())
        if prof is None or prof.organisation.kind not in holders:
            return []
        return [(prof.organisation_id, prof.organisation.name)]

    def performer_choices(self) -> list[Any]:
        plan = self.plan
        professionals = [(f"p:{plan.coordinator_id}", _("%(name)s (%(org)s, regisseur)") % {
            "name": plan.coordinator.full_name, "org": plan.coordinator.organisation.name})]
        network = []
        for member in self.active_team:
            if member.professional is not None and member.professional_id != plan.coordinator_id:
                prof = member.professional
                professionals.append((f"p:{prof.pk}",
                                      f"{prof.full_name} ({prof.organisation.name})"))
            elif member.related_person is not None:
                related = member.related_person
                network.append((f"r:{related.pk}", f"{related.name} ({related.relation})"))
        choices: list[Any] = [(_("Professionals"), professionals)]
        if network:
            choices.append((_("Netwerk van het gezin"), network))
        return choices

    def professional_choices(self) -> list[Any]:
        taken = {self.plan.coordinator_id} | {m.professional_id for m in self.active_team}
        groups: dict[str, list[tuple[int, str]]] = {}
        for prof in selectors.professionals_in(self.municipality_id):
            if prof.pk not in taken:
                groups.setdefault(prof.organisation.name, []).append((prof.pk, prof.full_name))
        return list(groups.items())

    # --- forms -------------------------------------------------------------------------
    def form(self, key: str, data: Any = None) -> Form:
        plan, page_ = self.plan, self.page
        if key == "sections":
            return SectionsForm(data, initial={
                "revision": plan.revision, "goes_well": plan.goes_well,
                "own_strength": plan.own_strength, "support_needed": plan.support_needed})
        if key == "concern":
            return ConcernForm(data)
        if key == "goal":
            return GoalForm(data, members=self.member_choices,
                            organisations=self.responsible_choices[1:])
        if key == "action":
            return ActionForm(
                data, performers=self.performer_choices(),
                organisations=self.responsible_choices,
                product_codes=[(p.code, f"{p.code} – {p.label}")
                               for p in selectors.product_codes(plan)],
                goals=[(g.pk, g.title) for g in page_.goals])
        if key == "team_professional":
            return ProfessionalMemberForm(data, professionals=self.professional_choices)
        if key == "team_network":
            return NetworkMemberForm(data)
        if key == "evaluation":
            return EvaluationForm(data, goals=page_.goals,
                                  initial={"date": self.today})
        if key == "approval":
            latest = page_.latest_version
            return ApprovalForm(data, initial={"number": latest.number if latest else ""})
        if key == "comment":
            return CommentForm(data)
        if key == "handover":
            return HandoverForm(data, candidates=_coordinator_choices(
                self.municipality_id, exclude=plan.coordinator_id))
        if key == "close":
            return CloseForm(data, goals=page_.goals)
        if key == "consent":
            return ConsentForm(data, members=self.member_choices,
                               organisations=self.organisation_choices)
        if key == "legal_basis":
            return LegalBasisForm(data, members=self.member_choices,
                                  organisations=self.legal_basis_organisations)
        raise KeyError(key)

    # --- rendering ---------------------------------------------------------------------
    def render(self, *, bound: dict[str, Form] | None = None, status: int = 200
               ) -> HttpResponse:
        """The family page (with a light form that was sent back with an error, open)."""
        from jeugdketen.plans.views.page import family_context

        bound = bound or {}
        context = family_context(self, bound)
        for key, form in bound.items():
            if key not in context["forms"]:  # e.g. approved by someone else meanwhile
                for errors in form.errors.values():
                    for message in errors:
                        messages.error(self.request, str(message))
        return render(self.request, "plans/plan.html", context, status=status)

    def form_page(self, form: Form, *, title: str, submit: str, anchor: str,
                  kind: str = "form", part: str = "", intro: str = "", legend: str = "",
                  facts: list[tuple[str, str]] | None = None,
                  person: Person | None = None) -> HttpResponse:
        """A form of the family page on a page of its own: it posts to itself, and leads
        back to the part of the family page it belongs to. `part` is the template of the
        form itself, when another app brings its own (the analysis)."""
        return render(self.request, "plans/form_page.html", {
            "plan": self.plan, "family_name": self.family_name, "form": form,
            "title": title, "submit": submit, "kind": kind, "part": part, "intro": intro,
            "legend": legend, "facts": facts or [], "person": person,
            "url": self.request.path, "back_url": _plan_url(self.plan_id, anchor)})

    # --- for the form pages of the apps above plans (the analysis) ---------------------
    def member_label(self, person: Person) -> str:
        """'Anna de Vries (7 jaar)'."""
        return _member_label(person, self.today)

    def refused(self, allowed: bool, form: Form) -> HttpResponse | None:
        """The refusal of a form page the actor may not use (see _refused_page)."""
        return _refused_page(self, allowed, form)

    def done(self, message: str, anchor: str) -> HttpResponse:
        """Saved: the message, and back to the part of the family page."""
        return _done(self, message, anchor)


def _forms(view: PlanView, bound: dict[str, Form], keys: list[str]) -> dict[str, Form]:
    return {key: bound.get(key) or view.form(key) for key in keys}


def lost_access(page_: Any, team: list[Any], today: date) -> dict[int, dict[str, Any]]:
    """Team members whose organisation no longer sees the plan (its consent was withdrawn
    or ended), by team member: shown with "geen toegang sinds ..." on the coordinator's
    page and the family's."""
    professionals: list[Any] = [m for m in team if m.professional_id]
    lost = access_actions.team_access_lost(
        page_.plan, page_.members, {m.professional.organisation_id for m in professionals},
        today)
    return {m.pk: {"since": lost[m.professional.organisation_id]}
            for m in professionals if m.professional.organisation_id in lost}



def _family_name(members: tuple[Person, ...]) -> str:
    names = list(dict.fromkeys(m.family_name for m in members))
    return " / ".join(names)



# --- the forms of the family page ------------------------------------------------------

# Each form is its own URL (plans/urls.py lists them); the registries name them by slug
# (the web matrix checks that every form has a row).
Handler = Callable[[PlanView, Any], HttpResponse]
View = Callable[..., HttpResponse]
HANDLERS: dict[str, Handler] = {}  # POST only, from the family page
FORM_PAGES: dict[str, tuple[Handler, bool]] = {}  # GET and POST: a page of its own


def handles(slug: str) -> Callable[[Handler], View]:
    """A light form posted from the family page itself (POST only) at
    /plannen/<id>/<slug>/ (or, when it acts on an item, /plannen/<id>/<slug>/<item id>/)."""

    def register(fn: Handler) -> View:
        HANDLERS[slug] = fn

        @page(r.can_care)
        @functools.wraps(fn)
        def view(request: HttpRequest, plan_id: Any, form: str = slug,
                 item_id: int | None = None) -> HttpResponse:
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return fn(PlanView(request, plan_id), item_id)

        return view

    return register


def form_page(slug: str, *, item: bool = False) -> Callable[[Handler], View]:
    """A form with a page of its own at /plannen/<id>/<slug>/ (with `item`:
    /plannen/<id>/<slug>/<item id>/): GET shows it, POST saves."""

    def register(fn: Handler) -> View:
        FORM_PAGES[slug] = (fn, item)

        @page(r.can_care)
        @functools.wraps(fn)
        def view(request: HttpRequest, plan_id: Any, form: str = slug,
                 item_id: int | None = None) -> HttpResponse:
            if request.method not in ("GET", "POST"):
                return HttpResponseNotAllowed(["GET", "POST"])
            return fn(PlanView(request, plan_id), item_id)

        return view

    return register


@page(r.can_care)
def other_form(request: HttpRequest, plan_id: Any, form: str, item_id: int | None = None
               ) -> HttpResponse:
    """A form URL plans/urls.py does not list: an unknown form (not found; a GET: not
    allowed), a form page asked with or without an item it does not take (not found), or
    a light form with or without an item it does not use (posted as usual)."""
    if form in FORM_PAGES:
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    post = HANDLERS.get(form)
    if post is None:
        raise Http404
    return post(PlanView(request, plan_id), item_id)


def _done(view: PlanView, message: str, anchor: str) -> HttpResponse:
    messages.success(view.request, message)
    return redirect(_plan_url(view.plan_id, anchor))


def _bound(view: PlanView, key: str) -> Form:
    return view.form(key, view.request.POST)


def _refused_page(view: PlanView, allowed: bool, form: Form) -> HttpResponse | None:
    """A form page the actor may not use: refused without a trace for a GET or a form that
    does not even parse; a valid form goes to the action, which asks the policy itself
    and logs the refusal."""
    if allowed or (view.posted and form.is_valid()):
        return None
    return forbidden_response(view.request, logged=False)


