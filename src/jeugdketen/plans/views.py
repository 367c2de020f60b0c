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
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jeugdketen.access import actions as access_actions
from jeugdketen.access.policy import Action, Data, Target, decide
from jeugdketen.analysis import actions as analysis_actions
from jeugdketen.analysis.chart import domain_charts, is_stale, t_score_chart
from jeugdketen.analysis.domains import ADULT_FROM_AGE, LEVELS, Stress, domains_for
from jeugdketen.plans import actions
from jeugdketen.plans.actions import FamilyPage, RelatedInput
from jeugdketen.plans.forms import (
    CATEGORY_LABELS,
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
from jeugdketen.registry.models import Household, Person
from jeugdketen.rules import Refusal
from jeugdketen.web import lookup
from jeugdketen.web import roles as r
from jeugdketen.web.views.common import (
    actor_for,
    add_action_errors,
    forbidden_response,
    page,
    visible_persons,
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
def my_plans(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    prof = actor.professional
    rows = [{"plan": plan, "members": plan.jk_members,  # type: ignore[attr-defined]
             "coordinator": prof is not None and plan.coordinator_id == prof.pk}
            for plan in actions.plans_of(actor)]
    return render(request, "plans/my_plans.html", {"rows": rows})


# --- starting a plan --------------------------------------------------------------------


def _coordinator_choices(municipality_id: Any, *, exclude: Any = None) -> list[tuple[int, str]]:
    return [(p.pk, f"{p.full_name} ({p.organisation.name})")
            for p in actions.professionals_in(municipality_id, coordinating=True)
            if p.pk != exclude]


@page(r.can_care)
def start(request: HttpRequest) -> HttpResponse:
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
    allowed = decide(actor, Action.CREATE, Target(
        Data.PLAN, household=Household(pk=rows[0].household_id), members=members,
        object_id=str(household_id), record=match)).allowed
    if not allowed:
        return forbidden_response(request, logged=False)
    prof = actor.professional
    municipality = prof.organisation.municipality_id if prof is not None else None
    candidates = _coordinator_choices(municipality)
    initial = {}
    if prof is not None and any(pk == prof.pk for pk, _label in candidates):
        initial["coordinator_id"] = prof.pk
    form = StartForm(request.POST or None, initial=initial, candidates=candidates)
    open_plan = actions.open_plan_of(household_id)
    open_plan_id = open_plan.pk if open_plan is not None else None
    if request.method == "POST" and open_plan_id is None and form.is_valid():
        try:
            plan = actions.start_plan(actor, household_id, form.cleaned_data["coordinator_id"],
                                      match_id=match_id)
        except Refusal as exc:
            if exc.rule == "open_plan_exists":
                open_plan_id = exc.existing.get("id")
            put_error(form, exc)
        else:
            if prof is not None and plan.coordinator_id == prof.pk:
                messages.success(request, _("Het gezinsplan is gestart. U bent de regisseur."))
                return redirect("plan", plan_id=plan.pk)
            messages.success(request, _(
                "Het gezinsplan is gestart. %(name)s is de regisseur en kan het plan nu "
                "openen.") % {"name": plan.coordinator.full_name})
            return redirect("my_plans")
    shown = visible_persons(actor, members)
    may_open = False
    if open_plan_id is not None:
        existing = actions.open_plan_of(household_id)
        may_open = existing is not None and decide(
            actor, Action.READ, actions.target(existing, members)).allowed
    return render(request, "plans/start.html", {
        "form": form, "household_id": household_id, "match_id": match_id or "",
        "shown": shown, "hidden_count": len(members) - len(shown),
        "open_plan_id": open_plan_id, "may_open": may_open,
        "no_candidates": not candidates,
    }, status=409 if request.method == "POST" and open_plan_id is not None else 200)


# --- the family page --------------------------------------------------------------------


class PlanView:
    """One request on the family page: the plan (read once, when needed), the choices the
    forms offer, the forms, and what the actor may do."""

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

    # What the actor may do (the policy's pure answer; the actions ask again and log).
    def may(self, action: Action, data: Data = Data.PLAN, person: Person | None = None) -> bool:
        return decide(self.actor, action,
                      actions.target(self.plan, self.page.members, data, person)).allowed

    @cached_property
    def can_edit(self) -> bool:
        return self.may(Action.UPDATE)

    @cached_property
    def is_coordinator(self) -> bool:
        prof = self.actor.professional
        return prof is not None and prof.pk == self.plan.coordinator_id

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
                                  organisations=self.organisation_choices)
        raise KeyError(key)

    def analysis_form(self, person: Person, data: Any = None) -> AnalysisForm:
        age = person.age_on(self.today)
        return AnalysisForm(data, domains=dict(domains_for(age)), child=age < ADULT_FROM_AGE,
                            key=person.pk.hex, initial={"made_on": self.today})

    # --- rendering ---------------------------------------------------------------------
    def render(self, *, bound: dict[str, Form] | None = None, status: int = 200
               ) -> HttpResponse:
        bound = bound or {}
        page_ = self.page
        if not self.analyses_loaded:
            page_.analyses = analysis_actions.analyses_for(self.actor, self.plan, page_.members)
            self.analyses_loaded = True
        context = family_context(self, bound)
        shown = (set(context["forms"])
                 | {row["form_key"] for row in context["actions"] if row["form"]}
                 | {a["key"] for a in context["analyses"] if a["form"]})
        for key, form in bound.items():
            if key not in shown:  # e.g. approved or done by someone else meanwhile
                for errors in form.errors.values():
                    for message in errors:
                        messages.error(self.request, message)
        return render(self.request, "plans/plan.html", context, status=status)


def _forms(view: PlanView, bound: dict[str, Form], keys: list[str]) -> dict[str, Form]:
    return {key: bound.get(key) or view.form(key) for key in keys}


def family_context(view: PlanView, bound: dict[str, Form]) -> dict[str, Any]:
    page_ = view.page
    plan = page_.plan
    today = view.today
    can_edit = view.can_edit
    can_team = view.may(Action.UPDATE, Data.TEAM)
    can_comment = view.may(Action.CREATE, Data.COMMENT)
    can_evaluate = view.may(Action.CREATE, Data.EVALUATION) and bool(page_.goals)
    can_approve = view.may(Action.CREATE, Data.APPROVAL)

    # Members, with their relation and age.
    members = [{"person": m, "age": m.age_on(today),
                "relation": page_.relations.get(str(m.pk), "")} for m in page_.members]

    # Goals with their scores over the evaluations.
    history: dict[int, list[tuple[date, int]]] = {}
    evaluations: list[dict[str, Any]] = []
    previous: float | None = None
    for evaluation in page_.evaluations or []:
        for score in evaluation.scores.all():
            history.setdefault(score.goal_id, []).append((evaluation.on, score.score))
        delta: float | None = None if previous is None else evaluation.t_score - previous
        evaluations.append({"evaluation": evaluation, "delta": delta,
                            "trend": _trend(delta)})
        previous = evaluation.t_score
    goals = []
    for goal in page_.goals:
        scores = history.get(goal.pk, [])
        latest = scores[-1][1] if scores else None
        goals.append({
            "goal": goal, "persons": list(goal.persons.all()),
            "levels": [{"score": score_text(int(k)), "key": k, "text": goal.levels.get(k, ""),
                        "current": latest is not None and int(k) == latest}
                       for k in GOAL_LEVELS],
            "latest": None if latest is None else score_text(latest),
            "latest_on": scores[-1][0] if scores else None,
            "history": [(d, score_text(s)) for d, s in scores],
        })

    # Actions, and the forms to mark each open one done.
    action_rows = []
    for item in page_.actions:
        key = f"done{item.pk}"
        action_rows.append({
            "item": item, "overdue": item.done_on is None and item.due_on < today,
            "form": (bound.get(key) or DoneForm(item_id=item.pk))
            if can_edit and item.done_on is None else None,
            "form_key": key})

    # The integral analysis per member.
    analyses = []
    for m in page_.members:
        entry = page_.analyses.get(str(m.pk))
        key = f"analysis{m.pk.hex}"
        analyses.append(_analysis_view(view, m, entry, bound.get(key), key))

    # Consent and legal bases (the coordinator sees them; the policy decides per person).
    consents = None
    if view.is_coordinator:
        found = access_actions.consents_for(view.actor, list(page_.members))
        consents = [{"person": m, "consents": found.get(str(m.pk), {}).get("consents", []),
                     "legal_bases": found.get(str(m.pk), {}).get("legal_bases", [])}
                    for m in page_.members if str(m.pk) in found]

    forms: dict[str, Form] = {}
    if can_edit:
        forms |= _forms(view, bound, ["sections", "concern", "goal", "action", "handover",
                                      "close", "consent", "legal_basis"])
    if can_team:
        forms |= _forms(view, bound, ["team_professional", "team_network"])
    if can_comment:
        forms |= _forms(view, bound, ["comment"])
    if can_evaluate:
        forms |= _forms(view, bound, ["evaluation"])
    latest_version = page_.latest_version
    if can_approve and latest_version is not None and latest_version.approved_at is None:
        forms |= _forms(view, bound, ["approval"])

    team_active = view.active_team
    return {
        "page": page_, "plan": plan, "members": members, "today": today,
        "family_name": _family_name(page_.members),
        "coordinator": plan.coordinator,
        "team": team_active,
        "team_former": [m for m in page_.team if m.left_at is not None],
        "goals": goals, "actions": action_rows, "evaluations": evaluations,
        "evaluations_hidden": page_.evaluations is None,
        "t_chart": t_score_chart([(e.on, e.t_score) for e in page_.evaluations or []],
                                 chart_id="tscore") if page_.evaluations else "",
        "analyses": analyses, "consents": consents,
        "category_labels": {str(k): v for k, v in CATEGORY_LABELS.items()},
        "forms": forms, "open": next(iter(bound), ""),
        "can_edit": can_edit, "can_team": can_team, "can_comment": can_comment,
        "can_evaluate": can_evaluate, "is_coordinator": view.is_coordinator,
        "can_save_version": can_edit and not page_.version_current,
        "budget_left": page_.budget_eur - page_.spent_eur,
        "stress_labels": Stress.LABELS,
    }


def _family_name(members: tuple[Person, ...]) -> str:
    names = list(dict.fromkeys(m.family_name for m in members))
    return " / ".join(names)


def _trend(delta: float | None) -> str:
    if delta is None:
        return ""
    if delta > 0.05:
        return "up"
    if delta < -0.05:
        return "down"
    return "same"


def _analysis_view(view: PlanView, person: Person, entry: Any, bound: Form | None,
                   key: str) -> dict[str, Any]:
    today = view.today
    age = person.age_on(today)
    can_record = view.can_edit and view.may(Action.CREATE, Data.ANALYSIS, person)
    out: dict[str, Any] = {
        "person": person, "age": age, "child": age < ADULT_FROM_AGE, "visible": entry is not None,
        "key": key, "form": (bound or view.analysis_form(person)) if can_record else None,
    }
    if entry is None:
        return out
    latest = []
    for domain, score in entry.latest.items():
        on = entry.series[domain][-1][0]
        latest.append({
            "label": domain_label(domain), "domain": domain,
            "professional": score.professional_score,
            "professional_label": LEVELS.get(score.professional_score or 0, ""),
            "family": score.family_score,
            "family_label": LEVELS.get(score.family_score or 0, ""),
            "strengths": score.strengths, "concerns": score.concerns,
            "on": on, "stale": is_stale(on, today)})
    order = list(domains_for(age))
    latest.sort(key=lambda row: order.index(row["domain"]) if row["domain"] in order else 99)
    out |= {
        "latest": latest, "latest_on": entry.latest_on, "stale": entry.stale,
        "charts": domain_charts(entry, chart_id=f"chart-{person.pk.hex[:12]}", today=today),
        "stress": [{"on": on, "level": j.level, "label": Stress.LABELS.get(j.level, j.level),
                    "note": j.note, "stale": is_stale(on, today)} for on, j in entry.stress],
        "count": len({a.pk for a in entry.analyses}
                     | {j.analysis_id for _on, j in entry.stress}),
    }
    return out


def domain_label(domain: str) -> str:
    from jeugdketen.analysis.domains import ALL_DOMAINS

    return str(ALL_DOMAINS.get(domain, domain))


@page(r.can_care)
def plan_page(request: HttpRequest, plan_id: Any) -> HttpResponse:
    view = PlanView(request, plan_id)
    view.page = actions.read_plan(view.actor, plan_id)
    view.analyses_loaded = True
    return view.render()


# --- the forms of the family page ------------------------------------------------------

Handler = Callable[[PlanView, Any], HttpResponse]
HANDLERS: dict[str, Handler] = {}


def handles(slug: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[slug] = fn
        return fn

    return register


def _done(view: PlanView, message: str, anchor: str) -> HttpResponse:
    messages.success(view.request, message)
    return redirect(_plan_url(view.plan_id, anchor))


def _bound(view: PlanView, key: str) -> Form:
    return view.form(key, view.request.POST)


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


@handles("actie-afgerond")
def post_action_done(view: PlanView, item: Any) -> HttpResponse:
    form = DoneForm(view.request.POST, item_id=item)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.complete_action(view.actor, item, done_on=data["done_on"],
                                    spent_eur=data["spent_eur"] if data["spent_eur"] is not None
                                    else Decimal(0))
        except Refusal as exc:
            put_error(form, exc)
        else:
            return _done(view, _("De actie is afgerond."), "acties")
    return view.render(bound={f"done{item}": form})


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


@handles("analyse")
def post_analysis(view: PlanView, _item: Any) -> HttpResponse:
    person_id = view.request.POST.get("person", "")
    person = next((m for m in view.page.members if str(m.pk) == person_id), None)
    if person is None:
        raise Http404
    form = view.analysis_form(person, view.request.POST)
    if form.is_valid():
        try:
            analysis_actions.record_analysis(
                view.actor, view.plan_id, made_on=form.cleaned_data["made_on"],
                scores=form.score_inputs(person.pk), stress=form.stress_inputs(person.pk))
        except Refusal as exc:
            form.add_error(form.error_field(exc.field), exc.message)
        else:
            return _done(view, _("De analyse van %(name)s is vastgelegd.") % {"name": person},
                         f"analyse-{person.pk.hex}")
    return view.render(bound={f"analysis{person.pk.hex}": form})


@handles("evaluatie")
def post_evaluation(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "evaluation")
    if form.is_valid():
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
    return view.render(bound={"evaluation": form})


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


@handles("overdracht")
def post_handover(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "handover")
    if form.is_valid():
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
    return view.render(bound={"handover": form})


@handles("afsluiten")
def post_close(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "close")
    if form.is_valid():
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
    return view.render(bound={"close": form})


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


@handles("grondslag")
def post_legal_basis(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "legal_basis")
    if form.is_valid():
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
    return view.render(bound={"legal_basis": form})


@page(r.can_care)
@require_POST
def plan_post(request: HttpRequest, plan_id: Any, form: str, item_id: int | None = None
              ) -> HttpResponse:
    handler = HANDLERS.get(form)
    if handler is None:
        raise Http404
    return handler(PlanView(request, plan_id), item_id)


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

