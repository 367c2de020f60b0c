"""The coordinator's pages of a family plan: my plans, starting a plan, the family page
with its forms, and the versions with their differences.

Every read and write goes through the actions (plans.actions, analysis.actions,
access.actions), which ask the access policy and log. A form is shown only when the policy
would allow what it does; a refusal of an action lands on the field it names, with what
the user typed kept in the form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jeugdketen.access import actions as access_actions
from jeugdketen.access.policy import Action, Data, Target, decide
from jeugdketen.analysis import actions as analysis_actions
from jeugdketen.analysis.chart import domain_charts, is_stale, t_score_chart
from jeugdketen.analysis.domains import ADULT_FROM_AGE, ALL_DOMAINS, Stress, domains_for
from jeugdketen.core.errors import Refusal
from jeugdketen.plans import actions
from jeugdketen.plans.actions import FamilyPage, RelatedInput
from jeugdketen.plans.forms import (
    LEVEL_FIELDS,
    NETWORK_FIELDS,
    PERFORMER_FIELDS,
    ActionForm,
    AnalysisForm,
    ApprovalForm,
    CloseForm,
    CommentForm,
    ConcernForm,
    ConsentForm,
    DoneForm,
    EvaluationForm,
    GoalForm,
    HandoverForm,
    LegalBasisForm,
    NetworkMemberForm,
    ProfessionalMemberForm,
    SectionsForm,
    StartForm,
    score_text,
)
from jeugdketen.plans.models import GOAL_LEVELS, Plan
from jeugdketen.plans.templatetags.plan_page import euro, level_label, t_change, t_delta
from jeugdketen.plans.templatetags.plan_page import t_score as t_score_text
from jeugdketen.registry import selectors as lookup
from jeugdketen.registry.models import Household, Person
from jeugdketen.registry.selectors import visible_persons
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import (
    actor_for,
    add_action_errors,
    forbidden_response,
    page,
)

# The parts of a version, in words (the keys of plans.actions.snapshot).
PARTS = {
    "coordinator": gettext_lazy("Regisseur"),
    "goes_well": gettext_lazy("Wat gaat goed"),
    "concerns": gettext_lazy("Zorgen"),
    "own_strength": gettext_lazy("Wat doen het gezin en het netwerk zelf"),
    "support_needed": gettext_lazy("Waar is ondersteuning nodig"),
    "goals": gettext_lazy("Doelen"),
    "actions": gettext_lazy("Acties"),
    "team": gettext_lazy("Team"),
}


def put_error(form: Form, exc: Refusal | ValidationError,
              field_map: dict[str, str | None] | None = None) -> None:
    """An action's refusal on the form field it names (or the form as a whole)."""
    field_map = field_map or {}
    if isinstance(exc, ValidationError):
        add_action_errors(form, exc, {k: v for k, v in field_map.items() if v})
        return
    name = field_map.get(exc.field, exc.field)
    form.add_error(name if name in form.fields else None, exc.message)


def _plan_url(plan_id: Any, anchor: str = "") -> str:
    url = reverse("plan", kwargs={"plan_id": plan_id})
    return f"{url}#{anchor}" if anchor else url


def _member_label(person: Person, today: date) -> str:
    return _("%(name)s (%(age)s jaar)") % {"name": person, "age": person.age_on(today)}


# --- my plans ---------------------------------------------------------------------------


@page(r.can_care)
@require_POST
def join(request: HttpRequest, plan_id: Any) -> HttpResponse:
    """Join a plan's care team oneself (from the person page): on one's organisation's
    consent for this plan or its legal basis for every member."""
    role = (request.POST.get("role") or "").strip() or _("betrokken professional")
    try:
        actions.join_team(actor_for(request), plan_id, role=role)
    except Refusal as exc:
        messages.error(request, exc.message)
        return redirect("my_plans")
    messages.success(request, _("U zit nu in het team van dit gezinsplan. De regisseur en het "
                                "gezin zien dat."))
    return redirect("plan", plan_id=plan_id)


@page(r.can_care)
def my_plans(request: HttpRequest) -> HttpResponse:
    """The plans the professional coordinates or is in the team of, searched by a family
    member's name, BSN or birth date (only among these plans), sorted and paged; each
    listed plan is logged as read for every member."""
    from jeugdketen.registry.selectors import person_search
    from jeugdketen.ui import listing

    actor = actor_for(request)
    prof = actor.professional
    search = listing.search_text(request)
    sort = listing.sort_key(request, PLAN_SORTS)
    where = person_search(search, prefix="household__members__person__")
    paging = listing.paging(request, actions.plans_of_query(actor, where).count(),
                            PLANS_PER_PAGE)
    plans = actions.plans_of(actor, where=where, order=PLAN_SORTS[sort][1],
                             limit=PLANS_PER_PAGE, offset=paging.offset)
    rows = [{"plan": plan, "members": plan.jk_members,  # type: ignore[attr-defined]
             "coordinator": prof is not None and plan.coordinator_id == prof.pk}
            for plan in plans]
    return render(request, "plans/my_plans.html", {
        "rows": rows, "search": search, "sort": sort,
        "sort_options": [(key, label) for key, (label, _order) in PLAN_SORTS.items()],
        **paging.context(len(rows))})


PLANS_PER_PAGE = 25
# The sorts of the plans list: (label, order_by).
PLAN_SORTS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "stand": (gettext_lazy("Lopend eerst"), ("status", "-created_at", "pk")),
    "nieuw": (gettext_lazy("Laatst gestart"), ("-started_on", "-created_at", "pk")),
    "oud": (gettext_lazy("Eerst gestart"), ("started_on", "created_at", "pk")),
}


# --- starting a plan --------------------------------------------------------------------


def _coordinator_choices(municipality_id: Any, *, exclude: Any = None) -> list[tuple[int, str]]:
    return [(p.pk, f"{p.full_name} ({p.organisation.name})")
            for p in actions.professionals_in(municipality_id, coordinating=True)
            if p.pk != exclude]


@page(r.can_care)
def start(request: HttpRequest) -> HttpResponse:
    """Start a plan: as the agreed coordinator of a match (`match`), or on the family's
    consent as the professional who entered the family and will coordinate."""
    from jeugdketen.access.policy import FamilyConsent

    actor = actor_for(request)
    source = request.POST if request.method == "POST" else request.GET
    household_id = source.get("household", "")
    match_id = source.get("match", "") or None
    rows = lookup.household_members(household_id)
    if not rows:
        return forbidden_response(request, logged=False)
    members = tuple(row.person for row in rows)
    match = actions.match_for_policy(match_id) if match_id else None
    if match_id and match is None:
        return forbidden_response(request, logged=False)
    start_on: Any = match if match is not None else FamilyConsent(("?",))
    allowed = decide(actor, Action.CREATE, Target(
        Data.PLAN, household=Household(pk=rows[0].household_id), members=members,
        object_id=str(household_id), record=start_on)).allowed
    if not allowed:
        return forbidden_response(request, logged=False)
    prof = actor.professional
    municipality = prof.organisation.municipality_id if prof is not None else None
    candidates = _coordinator_choices(municipality)
    may_coordinate = prof is not None and any(pk == prof.pk for pk, _label in candidates)
    shown = visible_persons(actor, members)
    givers = None if match is not None else [(str(p.pk), str(p)) for p in shown]
    initial = {"coordinator_id": prof.pk} if may_coordinate and prof is not None else {}
    form = StartForm(request.POST or None, initial=initial, candidates=candidates,
                     givers=givers)
    open_plan = actions.open_plan_of(household_id)
    # An open plan is named only to someone who may read it.
    may_open = open_plan is not None and decide(
        actor, Action.READ, actions.target(open_plan, members)).allowed
    refused_open = False
    if request.method == "POST" and not may_open and form.is_valid():
        coordinator_id = form.cleaned_data.get("coordinator_id") or (prof.pk if prof else None)
        try:
            plan = actions.start_plan(
                actor, household_id, coordinator_id, match_id=match_id,
                consent_given_by=form.cleaned_data.get("given_by_person_ids"))
        except Refusal as exc:
            refused_open = exc.rule == "open_plan_exists"
            put_error(form, exc)
        else:
            if prof is not None and plan.coordinator_id == prof.pk:
                messages.success(request, _("Het gezinsplan is gestart. U bent de regisseur."))
                return redirect("plan", plan_id=plan.pk)
            messages.success(request, _(
                "Het gezinsplan is gestart. %(name)s is de regisseur en kan het plan nu "
                "openen.") % {"name": plan.coordinator.full_name})
            return redirect("my_plans")
    return render(request, "plans/start.html", {
        "form": form, "household_id": household_id, "match_id": match_id or "",
        "shown": shown, "hidden_count": len(members) - len(shown),
        "open_plan_id": open_plan.pk if may_open and open_plan is not None else None,
        "no_candidates": not candidates if match is not None else not may_coordinate,
        "on_consent": match is None,
    }, status=409 if request.method == "POST" and (refused_open or may_open) else 200)


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
    """'j F Y' in the current language: 7 maart 2026."""
    return dateformat.format(day, "j F Y")


def _history(scores: list[tuple[date, int]]) -> SafeString:
    """A goal's scores over the evaluations: '-1 (7-3-26) → 0 (21-3-26)'. Only numbers and
    dates, no text anyone typed."""
    return mark_safe(" → ".join(  # noqa: S308  numbers and dates only
        f'{score_text(score)} <span class="jk-muted">({_short_day(day)})</span>'
        for day, score in scores))


class PlanView:
    """One request on the family page or one of its form pages: the plan (read once, when
    needed), the choices the forms offer, the forms, and what the actor may do."""

    def __init__(self, request: HttpRequest, plan_id: Any):
        self.request = request
        self.plan_id = plan_id
        self.actor = actor_for(request)
        self.today = timezone.localdate()
        self.analyses_loaded = False

    @cached_property
    def page(self) -> FamilyPage:
        return actions.read_plan(self.actor, self.plan_id, with_analyses=False)

    @property
    def plan(self) -> Plan:
        return self.page.plan

    @property
    def posted(self) -> bool:
        return self.request.method == "POST"

    # What the actor may do (the policy's pure answer; the actions ask again and log).
    def may(self, action: Action, data: Data = Data.PLAN, person: Person | None = None) -> bool:
        return decide(self.actor, action,
                      actions.target(self.plan, self.page.members, data, person)).allowed

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
        return actions.organisations_in(self.municipality_id)

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
        for prof in actions.professionals_in(self.municipality_id):
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
                               for p in actions.product_codes(plan)],
                goals=[(g.pk, g.title) for g in page_.goals])
        if key == "team_professional":
            return ProfessionalMemberForm(data, professionals=self.professional_choices())
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

    def analysis_form(self, person: Person, data: Any = None) -> AnalysisForm:
        age = person.age_on(self.today)
        return AnalysisForm(data, domains=dict(domains_for(age)), child=age < ADULT_FROM_AGE,
                            key=person.pk.hex, initial={"made_on": self.today})

    # --- rendering ---------------------------------------------------------------------
    def render(self, *, bound: dict[str, Form] | None = None, status: int = 200
               ) -> HttpResponse:
        """The family page (with a light form that was sent back with an error, open)."""
        bound = bound or {}
        page_ = self.page
        if not self.analyses_loaded:
            page_.analyses = analysis_actions.analyses_for(self.actor, self.plan, page_.members)
            self.analyses_loaded = True
        context = family_context(self, bound)
        for key, form in bound.items():
            if key not in context["forms"]:  # e.g. approved by someone else meanwhile
                for errors in form.errors.values():
                    for message in errors:
                        messages.error(self.request, str(message))
        return render(self.request, "plans/plan.html", context, status=status)

    def form_page(self, form: Form, *, title: str, submit: str, anchor: str,
                  kind: str = "form", intro: str = "", legend: str = "",
                  facts: list[tuple[str, str]] | None = None,
                  person: Person | None = None) -> HttpResponse:
        """A form of the family page on a page of its own: it posts to itself, and leads
        back to the part of the family page it belongs to."""
        return render(self.request, "plans/form_page.html", {
            "plan": self.plan, "family_name": self.family_name, "form": form,
            "title": title, "submit": submit, "kind": kind, "intro": intro,
            "legend": legend, "facts": facts or [], "person": person,
            "url": self.request.path, "back_url": _plan_url(self.plan_id, anchor)})


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


def family_context(view: PlanView, bound: dict[str, Form]) -> dict[str, Any]:
    page_ = view.page
    plan = page_.plan
    today = view.today
    can_edit = view.can_edit
    can_team = view.may(Action.UPDATE, Data.TEAM)
    can_comment = view.may(Action.CREATE, Data.COMMENT)
    can_evaluate = view.can_evaluate and bool(page_.goals)
    can_approve = view.may(Action.CREATE, Data.APPROVAL)

    # Members, with their relation and age.
    members = [{"person": m, "age": m.age_on(today),
                "relation": page_.relations.get(str(m.pk), "")} for m in page_.members]

    # Evaluations with the change of the T-score, and every goal's scores over them.
    history: dict[int, list[tuple[date, int]]] = {}
    evaluations: list[dict[str, Any]] = []
    previous: float | None = None
    for evaluation in page_.evaluations or []:
        on = evaluation.on
        for score in evaluation.scores.all():
            history.setdefault(score.goal_id, []).append((on, score.score))
        delta = t_delta(evaluation.t_score, previous)
        evaluations.append({
            "on": _long_day(on), "final": evaluation.final,
            "t_score": t_score_text(evaluation.t_score), "change": t_change(delta),
            "by": evaluation.recorded_by.full_name, "note": evaluation.note})
        previous = evaluation.t_score

    goals = []
    for goal in page_.goals:
        scores = history.get(goal.pk, [])
        latest = scores[-1][1] if scores else None
        goals.append({
            "goal": goal, "persons": ", ".join(str(p) for p in goal.persons.all()),
            "organisation": goal.organisation.name if goal.organisation is not None else "",
            "levels": [{"score": score_text(int(k)), "text": goal.levels.get(k, ""),
                        "current": latest is not None and int(k) == latest}
                       for k in GOAL_LEVELS],
            "latest": None if latest is None else score_text(latest),
            "latest_on": _long_day(scores[-1][0]) if scores else "",
            "history": _history(scores) if len(scores) > 1 else "",
        })

    # Actions: who, when, budget; an open one links to the page that marks it done.
    action_rows = []
    for item in page_.actions:
        if item.performer_professional is not None:
            who = item.performer_professional.full_name
        elif item.performer_related is not None:
            who = f"{item.performer_related.name} ({item.performer_related.relation})"
        else:
            who = "–"
        done_on = item.done_on
        action_rows.append({
            "pk": item.pk, "description": item.description,
            "goal": item.goal.title if item.goal is not None else "",
            "who": who, "organisation": item.organisation.name, "due": _day(item.due_on),
            "budget": euro(item.budget_eur), "product_code": item.product_code or "–",
            "done": _("Afgerond op %(day)s, uitgegeven %(spent)s") % {
                "day": _day(done_on), "spent": euro(item.spent_eur)} if done_on else "",
            "overdue": done_on is None and item.due_on < today,
            "done_url": reverse("plan_item_form", kwargs={
                "plan_id": plan.pk, "form": "actie-afgerond", "item_id": item.pk})
            if can_edit and done_on is None else ""})

    # The integral analysis per member.
    analyses = [_analysis_view(view, m, page_.analyses.get(str(m.pk))) for m in page_.members]

    # Consent and legal bases (the coordinator sees them; the policy decides per person).
    consents = None
    if view.is_coordinator:
        found = access_actions.consents_for(view.actor, list(page_.members), plan=page_.plan)
        consents = [{"person": m, "consents": found.get(str(m.pk), {}).get("consents", []),
                     "legal_bases": found.get(str(m.pk), {}).get("legal_bases", [])}
                    for m in page_.members if str(m.pk) in found]

    forms: dict[str, Form] = {}
    if can_edit:
        forms |= _forms(view, bound, ["sections", "concern", "goal", "action", "consent"])
    if can_team:
        forms |= _forms(view, bound, ["team_professional", "team_network"])
    if can_comment:
        forms |= _forms(view, bound, ["comment"])
    latest_version = page_.latest_version
    if can_approve and latest_version is not None and latest_version.approved_at is None:
        forms |= _forms(view, bound, ["approval"])

    team_active = view.active_team
    return {
        "page": page_, "plan": plan, "members": members, "today": today,
        "family_name": view.family_name,
        "coordinator": plan.coordinator,
        "team": team_active, "lost_access": lost_access(page_, team_active, today),
        "team_former": [m for m in page_.team if m.left_at is not None],
        "goals": goals, "actions": action_rows, "evaluations": evaluations,
        "evaluations_hidden": page_.evaluations is None,
        "t_chart": t_score_chart([(e.on, e.t_score) for e in page_.evaluations or []],
                                 chart_id="tscore") if page_.evaluations else "",
        "analyses": analyses, "consents": consents,
        # Only the organisation that holds a legal basis records it (for itself).
        "holds_legal_bases": bool(view.legal_basis_organisations),
        "forms": forms, "open": next(iter(bound), ""),
        "team_picked": _team_picked(view, forms.get("team_professional")),
        "can_edit": can_edit, "can_team": can_team, "can_comment": can_comment,
        "can_evaluate": can_evaluate, "can_close": can_edit and plan.is_open,
        "is_coordinator": view.is_coordinator,
        "can_save_version": can_edit and not page_.version_current,
        "budget": euro(page_.budget_eur), "spent": euro(page_.spent_eur),
        "budget_left": euro(page_.budget_eur - page_.spent_eur),
    }


def _team_picked(view: PlanView, form: Form | None) -> Any:
    """The team picker's candidates (web.pickers.team: only whom the viewer may add),
    searched with ?team_zoek= when the page is asked without JavaScript."""
    if form is None:
        return None
    from jeugdketen.plans import pickers
    from jeugdketen.ui import listing

    chosen = str(form["professional_id"].value() or "")
    search = "" if view.posted else listing.search_text(view.request, "team_zoek")
    return pickers.team(view.actor, view.plan_id, search, chosen=chosen)


def _family_name(members: tuple[Person, ...]) -> str:
    names = list(dict.fromkeys(m.family_name for m in members))
    return " / ".join(names)


def _analysis_view(view: PlanView, person: Person, entry: Any) -> dict[str, Any]:
    today = view.today
    age = person.age_on(today)
    out: dict[str, Any] = {
        "person": person, "age": age, "visible": entry is not None,
        "key": person.pk.hex,
        "record_url": reverse("plan_analysis", kwargs={
            "plan_id": view.plan_id, "person_id": person.pk})
        if view.can_record_analysis(person) else "",
    }
    if entry is None:
        return out
    order = {domain: i for i, domain in enumerate(domains_for(age))}
    latest = []
    for domain, score in entry.latest.items():
        on = entry.series[domain][-1][0]
        latest.append({
            "label": domain_label(domain), "order": order.get(domain, 99),
            "professional": level_label(score.professional_score),
            "family": level_label(score.family_score),
            "strengths": score.strengths, "concerns": score.concerns,
            "on": _day(on), "stale": is_stale(on, today)})
    latest.sort(key=lambda row: row["order"])
    charts = domain_charts(entry, chart_id=f"chart-{person.pk.hex[:12]}", today=today)
    out |= {
        "latest": latest, "latest_on": entry.latest_on, "stale": entry.stale,
        "charts": charts, "history": _score_table(charts),
        "stress": [{"on": _long_day(on), "label": Stress.LABELS.get(j.level, j.level),
                    "note": j.note, "stale": is_stale(on, today)}
                   for on, j in reversed(entry.stress)],
        "count": len({a.pk for a in entry.analyses}
                     | {j.analysis_id for _on, j in entry.stress}),
    }
    return out


def _score_table(charts: list[Any]) -> dict[str, Any]:
    """The charts' numbers once more as a table: a row per domain, a column per date of
    an analysis (a second analysis on the same day gets a column of its own), in each cell
    the professional's score and the family's ("2 / 3")."""
    cells: list[dict[tuple[date, int], str]] = []
    for chart in charts:
        seen: dict[date, int] = {}
        row: dict[tuple[date, int], str] = {}
        for point in chart.rows:
            nth = seen[point.on] = seen.get(point.on, -1) + 1
            row[(point.on, nth)] = (f"{'–' if point.professional is None else point.professional}"
                                    f" / {'–' if point.family is None else point.family}")
        cells.append(row)
    columns = sorted(set().union(*cells)) if cells else []
    heads = [_day(on) for on, _nth in columns]
    return {"columns": heads, "rows": [
        {"label": chart.label, "cells": [(head, row.get(column, "–"))
                                         for head, column in zip(heads, columns, strict=True)]}
        for chart, row in zip(charts, cells, strict=True)]}


def domain_label(domain: str) -> str:
    return str(ALL_DOMAINS.get(domain, domain))


@page(r.can_care)
def plan_page(request: HttpRequest, plan_id: Any) -> HttpResponse:
    view = PlanView(request, plan_id)
    view.page = actions.read_plan(view.actor, plan_id)
    view.analyses_loaded = True
    return view.render()


@page(r.can_care)
def plan_pdf(request: HttpRequest, plan_id: Any) -> HttpResponse:
    """The plan as a PDF for the coordinator and the care team (logged as a print)."""
    from jeugdketen.plans.documents import pdf_response, plan_document

    family = actions.read_plan(actor_for(request), plan_id, with_analyses=False,
                               action=Action.PRINT)
    return pdf_response(plan_document(family, for_family=False))


# --- the forms of the family page ------------------------------------------------------

Handler = Callable[[PlanView, Any], HttpResponse]
HANDLERS: dict[str, Handler] = {}  # POST only, from the family page
FORM_PAGES: dict[str, tuple[Handler, bool]] = {}  # GET and POST: a page of its own


def handles(slug: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[slug] = fn
        return fn

    return register


def form_page(slug: str, *, item: bool = False) -> Callable[[Handler], Handler]:
    """A form with a page of its own at /plannen/<id>/<slug>/ (with `item`:
    /plannen/<id>/<slug>/<item id>/)."""

    def register(fn: Handler) -> Handler:
        FORM_PAGES[slug] = (fn, item)
        return fn

    return register


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


@handles("onderdelen")
def post_sections(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "sections")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_sections(view.actor, view.plan_id, revision=data["revision"],
                                    goes_well=data["goes_well"],
                                    own_strength=data["own_strength"],
                                    support_needed=data["support_needed"])
        except Refusal as exc:
            if exc.rule != "plan_changed":
                put_error(form, exc)
                return view.render(bound={"sections": form})
            # Keep what the user typed; the page shows what is saved now. Sending it again
            # (after reading the new text) is then allowed.
            del view.page
            changed = view.request.POST.copy()
            changed[form.add_prefix("revision")] = str(view.plan.revision)
            form = view.form("sections", changed)
            form.is_valid()
            form.add_error(None, exc.message)
            return view.render(bound={"sections": form}, status=409)
        return _done(view, _("De onderdelen van het plan zijn opgeslagen."), "plan-onderdelen")
    return view.render(bound={"sections": form})


@handles("zorg")
def post_concern(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "concern")
    if form.is_valid():
        try:
            actions.add_concern(view.actor, view.plan_id, **form.cleaned_data)
        except Refusal as exc:
            put_error(form, exc)
        else:
            return _done(view, _("De zorg staat in het plan."), "zorgen")
    return view.render(bound={"concern": form})


@handles("zorg-verwijderen")
def post_remove_concern(view: PlanView, item: Any) -> HttpResponse:
    actions.remove_concern(view.actor, item)
    return _done(view, _("De zorg is uit het plan gehaald."), "zorgen")


@handles("doel")
def post_goal(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "goal")
    if form.is_valid():
        assert isinstance(form, GoalForm)
        data = form.cleaned_data
        try:
            actions.add_goal(view.actor, view.plan_id, title=data["title"],
                             person_ids=data["person_ids"], weight=data["weight"],
                             levels=form.levels(), organisation_id=data["organisation_id"])
        except Refusal as exc:
            put_error(form, exc, {f"levels.{k}": v for k, v in LEVEL_FIELDS.items()}
                      | {"levels": None})
        else:
            return _done(view, _("Het doel staat in het plan."), "doelen")
    return view.render(bound={"goal": form})


@handles("actie")
def post_action(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "action")
    if form.is_valid():
        assert isinstance(form, ActionForm)
        data = form.cleaned_data
        professional_id, related_id = form.performer_ids()
        try:
            actions.add_action(
                view.actor, view.plan_id, description=data["description"],
                organisation_id=data["organisation_id"], due_on=data["due_on"],
                performer_professional_id=professional_id, performer_related_id=related_id,
                budget_eur=data["budget_eur"] if data["budget_eur"] is not None else Decimal(0),
                product_code=data["product_code"], goal_id=data["goal_id"])
        except Refusal as exc:
            put_error(form, exc, dict.fromkeys(PERFORMER_FIELDS, "performer"))
        else:
            return _done(view, _("De actie staat in het plan."), "acties")
    return view.render(bound={"action": form})


@form_page("actie-afgerond", item=True)
def action_done_page(view: PlanView, item_id: Any) -> HttpResponse:
    item = next((a for a in view.page.actions if a.pk == item_id), None)
    if item is None:
        raise Http404
    if item.done_on is not None and not view.posted:
        messages.info(view.request, _("Deze actie is al afgerond."))
        return redirect(_plan_url(view.plan_id, "acties"))
    form = DoneForm(view.request.POST if view.posted else None, item_id=item.pk)
    refused = _refused_page(view, view.can_edit, form)
    if refused is not None:
        return refused
    if view.posted and form.is_valid():
        data = form.cleaned_data
        try:
            actions.complete_action(view.actor, item.pk, done_on=data["done_on"],
                                    spent_eur=data["spent_eur"] if data["spent_eur"] is not None
                                    else Decimal(0))
        except Refusal as exc:
            put_error(form, exc)
        else:
            return _done(view, _("De actie is afgerond."), "acties")
    if item.performer_professional is not None:
        who = item.performer_professional.full_name
    elif item.performer_related is not None:
        who = f"{item.performer_related.name} ({item.performer_related.relation})"
    else:
        who = "–"
    facts = [(_("Wat"), item.description), (_("Wie"), who),
             (_("Organisatie"), item.organisation.name), (_("Uiterlijk"), _day(item.due_on)),
             (_("Budget"), euro(item.budget_eur))]
    if item.goal is not None:
        facts.insert(1, (_("Bij doel"), item.goal.title))
    return view.form_page(form, title=_("Actie afronden"), submit=_("Afgerond"),
                          anchor="acties", facts=facts)


@handles("team-professional")
def post_team_professional(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "team_professional")
    if form.is_valid():
        try:
            actions.add_team_member(view.actor, view.plan_id, role=form.cleaned_data["role"],
                                    professional_id=form.cleaned_data["professional_id"])
        except Refusal as exc:
            put_error(form, exc)
        else:
            return _done(view, _("De professional zit in het team."), "team")
    return view.render(bound={"team_professional": form})


@handles("team-netwerk")
def post_team_network(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "team_network")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_team_member(view.actor, view.plan_id, role=data["role"], related=RelatedInput(
                name=data["name"], relation=data["relation"], phone=data["phone"],
                email=data["email"]))
        except Refusal as exc:
            put_error(form, exc, dict(NETWORK_FIELDS))
        else:
            return _done(view, _("%(name)s zit in het team.") % {"name": data["name"]}, "team")
    return view.render(bound={"team_network": form})


@handles("team-verwijderen")
def post_remove_member(view: PlanView, item: Any) -> HttpResponse:
    actions.remove_team_member(view.actor, item)
    return _done(view, _("Het teamlid is uit het team gehaald."), "team")


@page(r.can_care)
def analysis_page(request: HttpRequest, plan_id: Any, person_id: Any) -> HttpResponse:
    """A new analysis of one member: per life domain for their age two scores and two
    texts, for a child the stress judgement."""
    view = PlanView(request, plan_id)
    person = next((m for m in view.page.members if m.pk == person_id), None)
    if person is None:
        raise Http404
    form = view.analysis_form(person, request.POST if view.posted else None)
    refused = _refused_page(view, view.can_record_analysis(person), form)
    if refused is not None:
        return refused
    if view.posted and form.is_valid():
        try:
            analysis_actions.record_analysis(
                view.actor, view.plan_id, made_on=form.cleaned_data["made_on"],
                scores=form.score_inputs(person.pk), stress=form.stress_inputs(person.pk))
        except Refusal as exc:
            form.add_error(form.error_field(exc.field), exc.message)
        else:
            return _done(view, _("De analyse van %(name)s is vastgelegd.") % {"name": person},
                         f"analyse-{person.pk.hex}")
    return view.form_page(
        form, title=_("Analyse vastleggen voor %(name)s") % {"name": person},
        submit=_("Analyse vastleggen"), anchor=f"analyse-{person.pk.hex}", kind="analysis",
        person=person, facts=[(_("Leeftijd"), _member_label(person, view.today))])


@form_page("evaluatie")
def evaluation_page(view: PlanView, _item: Any) -> HttpResponse:
    form = view.form("evaluation", view.request.POST if view.posted else None)
    refused = _refused_page(view, view.can_evaluate, form)
    if refused is not None:
        return refused
    if view.posted and form.is_valid():
        assert isinstance(form, EvaluationForm)
        try:
            evaluation = actions.record_evaluation(
                view.actor, view.plan_id, on=form.cleaned_data["date"], scores=form.scores(),
                note=form.cleaned_data["note"])
        except Refusal as exc:
            put_error(form, exc, {"scores": None, "scores.goal_id": None, "scores.score": None})
        else:
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


@handles("versie")
def post_version(view: PlanView, _item: Any) -> HttpResponse:
    version = actions.save_version(view.actor, view.plan_id)
    return _done(view, _("Versie %(n)s is vastgelegd en ligt klaar voor het gezin om goed te "
                         "keuren.") % {"n": version.number}, "versies")


@handles("goedkeuring")
def post_approval(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "approval")
    if form.is_valid():
        try:
            version = actions.approve_version(view.actor, view.plan_id,
                                              number=form.cleaned_data["number"],
                                              how=form.cleaned_data["how"])
        except Refusal as exc:
            put_error(form, exc, {"number": "how"})
        else:
            return _done(view, _("De goedkeuring van versie %(n)s is vastgelegd.") % {
                "n": version.number}, "versies")
    return view.render(bound={"approval": form})


@handles("reactie")
def post_comment(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "comment")
    if form.is_valid():
        try:
            actions.add_comment(view.actor, view.plan_id, text=form.cleaned_data["text"])
        except Refusal as exc:
            put_error(form, exc)
        else:
            return _done(view, _("Uw reactie staat bij het plan."), "reacties")
    return view.render(bound={"comment": form})


@form_page("overdracht")
def handover_page(view: PlanView, _item: Any) -> HttpResponse:
    form = view.form("handover", view.request.POST if view.posted else None)
    refused = _refused_page(view, view.can_edit, form)
    if refused is not None:
        return refused
    if view.posted and form.is_valid():
        data = form.cleaned_data
        try:
            handover = actions.hand_over(view.actor, view.plan_id,
                                         to_professional_id=data["to_professional_id"],
                                         on=data["on"], reason=data["reason"])
        except Refusal as exc:
            put_error(form, exc)
        else:
            messages.success(view.request, _("De regie is overgedragen aan %(name)s.") % {
                "name": handover.to_professional.full_name})
            # The former coordinator sees the plan only if they are in its team.
            plan = actions.open_plan_of(view.plan.household_id) or view.plan
            if decide(view.actor, Action.READ, actions.target(plan, view.page.members)).allowed:
                return redirect(_plan_url(view.plan_id, "regie"))
            return redirect("my_plans")
    return view.form_page(
        form, title=_("Regie overdragen"), submit=_("Regie overdragen"), anchor="regie",
        facts=[(_("Regisseur"), view.plan.coordinator.full_name)],
        intro=_("De nieuwe regisseur neemt het plan over; het gezin ziet de overdracht met "
                "de datum en de reden."))


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


@handles("toestemming")
def post_consent(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "consent")
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = actions.record_consents(
                view.actor, view.plan_id, person_ids=data["person_ids"],
                given_by=data["given_by_person_ids"], organisation_id=data["organisation_id"],
                categories=data["categories"], valid_until=data["valid_until"])
        except (Refusal, ValidationError) as exc:
            put_error(form, exc)
        else:
            return _done(view, _("De toestemming is vastgelegd (%(n)s personen).") % {
                "n": len(created)}, "toestemming")
    return view.render(bound={"consent": form})


@handles("toestemming-intrekken")
def post_withdraw(view: PlanView, item: Any) -> HttpResponse:
    access_actions.withdraw_consent(view.actor, item)
    return _done(view, _("De toestemming is ingetrokken. Dat geldt meteen."), "toestemming")


@form_page("grondslag")
def legal_basis_page(view: PlanView, _item: Any) -> HttpResponse:
    if not view.legal_basis_organisations:  # only the holding organisation records one
        if view.posted:  # an attempt anyway: the action refuses it, and it is logged
            post = view.request.POST
            access_actions.record_legal_basis(
                view.actor, post.get("lb-person_id"), organisation_id=post.get("lb-organisation_id"),
                kind=post.get("lb-kind", ""), reference=post.get("lb-reference", ""),
                valid_until=view.today, valid_from=view.today)
        return forbidden_response(view.request, logged=False)
    form = view.form("legal_basis", view.request.POST if view.posted else None)
    refused = _refused_page(view, view.can_edit, form)
    if refused is not None:
        return refused
    if view.posted and form.is_valid():
        data = form.cleaned_data
        try:
            access_actions.record_legal_basis(
                view.actor, data["person_id"], organisation_id=data["organisation_id"],
                kind=data["kind"], reference=data["reference"],
                valid_until=data["valid_until"], valid_from=data["valid_from"])
        except Refusal as exc:
            put_error(form, exc)
        else:
            return _done(view, _("De wettelijke grondslag is vastgelegd."), "toestemming")
    return view.form_page(
        form, title=_("Wettelijke grondslag vastleggen"), submit=_("Grondslag vastleggen"),
        anchor="toestemming",
        intro=_("Een wettelijke grondslag (zoals een kinderbeschermingsmaatregel) geldt waar de "
                "wet dat toestaat in plaats van toestemming. Het gezin ziet de grondslag."))


@page(r.can_care)
def plan_form(request: HttpRequest, plan_id: Any, form: str, item_id: int | None = None
              ) -> HttpResponse:
    """A form of the family page: a page of its own (GET shows it, POST saves), or a
    light form posted from the family page itself (POST only)."""
    own_page = FORM_PAGES.get(form)
    if own_page is not None:
        handler, with_item = own_page
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if with_item != (item_id is not None):
            raise Http404
        return handler(PlanView(request, plan_id), item_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    post = HANDLERS.get(form)
    if post is None:
        raise Http404
    return post(PlanView(request, plan_id), item_id)


# --- versions -------------------------------------------------------------------------


def _number(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


@page(r.can_care)
def versions(request: HttpRequest, plan_id: Any) -> HttpResponse:
    actor = actor_for(request)
    page_ = actions.read_plan(actor, plan_id, with_analyses=False)
    by_number = {v.number: v for v in page_.versions}
    numbers = sorted(by_number)
    new = by_number.get(_number(request.GET.get("naar")) or 0) or (
        by_number[numbers[-1]] if numbers else None)
    asked = _number(request.GET.get("van"))
    old = by_number.get(asked) if asked else None  # van=0: against an empty plan
    if asked is None and new is not None:  # by default: against the version before
        earlier = [n for n in numbers if n < new.number]
        old = by_number[earlier[-1]] if earlier else None
    changes = []
    if new is not None:
        for change in actions.diff(old.snapshot if old else {}, new.snapshot):
            changes.append({**change, "label": PARTS.get(change["part"], change["part"])})
    return render(request, "plans/versions.html", {
        "page": page_, "plan": page_.plan, "versions": page_.versions,
        "old": old, "new": new, "changes": changes,
        "family_name": _family_name(page_.members),
    })

