"""The family's own view: the family's plans in plain language, the team, the goals and
how they go, the coordinator's handovers, approving the newest version, comments, and
consent (give, withdraw, see, with the legal bases).

Who sees what is the access policy's answer (plans_of_citizen, read_plan, consents_for):
a member of the household from 16 sees the family's plan; a parent also sees the consent
of their children under 16; nobody sees another family. Every change goes through an
action (approve_version, add_comment, give_consent, withdraw_consent).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeugdketen.access.actions import (
    CONSENT_ALONE_FROM,
    CONSENT_TOGETHER_FROM,
    consents_for,
    give_consent,
    withdraw_consent,
)
from jeugdketen.access.policy import (
    PARENT_SEES_UNTIL_AGE,
    Action,
    Actor,
    Data,
    Ground,
    Target,
    decide,
)
from jeugdketen.core.errors import Refusal
from jeugdketen.plans.actions import (
    FamilyPage,
    add_comment,
    approve_version,
    plans_of_citizen,
    read_plan,
)
from jeugdketen.plans.family_forms import (
    CATEGORY_LABELS,
    FIELD_OF_REFUSAL,
    ApproveForm,
    CommentForm,
    ConsentForm,
)
from jeugdketen.plans.models import PlanVersion
from jeugdketen.plans.selectors import target
from jeugdketen.plans.templatetags.plan_page import plain_line, t_delta
from jeugdketen.plans.versions import diff
from jeugdketen.plans.views.base import lost_access as team_access_lost
from jeugdketen.registry.models import Organisation, Person
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, page, refusal_to_form, submit

# The five goal-attainment levels, said in words (0 is what was agreed).
LEVEL_WORDS = {
    "-2": gettext_lazy("Veel minder dan afgesproken"),
    "-1": gettext_lazy("Minder dan afgesproken"),
    "0": gettext_lazy("Zoals afgesproken"),
    "1": gettext_lazy("Beter dan afgesproken"),
    "2": gettext_lazy("Veel beter dan afgesproken"),
}

# The parts of a saved version of the plan, for showing it and what changed.
PART_LABELS = {
    "coordinator": gettext_lazy("Uw regisseur"),
    "goes_well": gettext_lazy("Wat goed gaat"),
    "concerns": gettext_lazy("Waar we ons zorgen over maken"),
    "own_strength": gettext_lazy("Wat u en uw netwerk zelf doen"),
    "support_needed": gettext_lazy("Waar u hulp bij krijgt"),
    "goals": gettext_lazy("Doelen"),
    "actions": gettext_lazy("Wie doet wat"),
    "team": gettext_lazy("Wie helpen er mee"),
}

PREFIX_APPROVE, PREFIX_COMMENT, PREFIX_CONSENT = "akkoord", "reactie", "toestemming"


# --- the list of the family's plans ------------------------------------------------------


@page(r.is_citizen)
def family_plans(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    shown = plans_of_citizen(actor)
    me = actor.person
    too_young = me is not None and me.age_on(timezone.localdate()) < PARENT_SEES_UNTIL_AGE
    from jeugdketen.plans.selectors import waiting_versions

    waiting = waiting_versions(shown)
    for plan in shown:
        plan.jk_waiting = waiting.get(plan.pk)  # type: ignore[attr-defined]
    return render(request, "plans/family/list.html", {
        "plans": shown, "too_young": too_young, "from_age": PARENT_SEES_UNTIL_AGE})


# --- one plan ------------------------------------------------------------------------------


def t_score_words(t: float) -> str:
    """What a T-score means, plainly. 50: the goals went as agreed."""
    if t < 40:
        return _("Veel minder goed dan afgesproken")
    if t < 48:
        return _("Minder goed dan afgesproken")
    if t <= 52:
        return _("Ongeveer zoals afgesproken")
    if t <= 60:
        return _("Beter dan afgesproken")
    return _("Veel beter dan afgesproken")


def trend_words(change: Any) -> str:
    if change >= 1:
        return _("Beter dan de vorige keer")
    if change <= -1:
        return _("Minder goed dan de vorige keer")
    return _("Ongeveer gelijk aan de vorige keer")


def _evaluations(family: FamilyPage) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """Each evaluation with its meaning and the change since the one before; and per goal
    its latest score."""
    rows: list[dict[str, Any]] = []
    latest: dict[int, dict[str, Any]] = {}
    previous = None
    for evaluation in family.evaluations or []:
        change = t_delta(evaluation.t_score, previous)
        rows.append({"evaluation": evaluation, "meaning": t_score_words(evaluation.t_score),
                     "change": change,
                     "trend": trend_words(change) if change is not None else ""})
        previous = evaluation.t_score
        for score in evaluation.scores.all():
            latest[score.goal_id] = {"score": score.score, "on": evaluation.on}
    return rows, latest


def _goals(family: FamilyPage, latest: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    goals = []
    for goal in family.goals:
        now = latest.get(goal.pk)
        current = str(now["score"]) if now else None
        levels = [{"key": key, "number": key if key.startswith("-") or key == "0" else f"+{key}",
                   "words": LEVEL_WORDS[key], "text": (goal.levels or {}).get(key, ""),
                   "current": key == current}
                  for key in ("2", "1", "0", "-1", "-2")]
        goals.append({"goal": goal, "persons": list(goal.persons.all()), "levels": levels,
                      "latest": now,
                      "latest_words": LEVEL_WORDS[current] if current else "",
                      "latest_text": (goal.levels or {}).get(current, "") if current else ""})
    return goals


def _performer(item: Any) -> str:
    if item.performer_professional is not None:
        prof = item.performer_professional
        return f"{prof.full_name} ({prof.organisation.name})"
    related = item.performer_related
    return f"{related.name} ({related.relation})" if related is not None else ""




def snapshot_parts(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """A saved version, part by part, as lines of text."""
    parts = []
    for key, label in PART_LABELS.items():
        value = snapshot.get(key)
        if key == "goals":
            lines = [goal.get("title", "") for goal in value or []]
        elif isinstance(value, list):
            lines = [str(item) for item in value]
        else:
            lines = [line for line in str(value or "").splitlines() if line.strip()]
        parts.append({"label": label, "lines": [plain_line(line) for line in lines]})
    return parts


def _versions(actor: Actor, family: FamilyPage) -> dict[str, Any]:
    """The newest version, whether the family member may approve it, and what changed
    since the version approved before it."""
    latest = family.latest_version
    plan = family.plan
    approved_before: PlanVersion | None = None
    if latest is not None:
        approved_before = next((v for v in reversed(family.versions)
                                if v.number < latest.number and v.approved_at is not None), None)
    may_approve = bool(
        latest is not None and latest.approved_at is None and plan.is_open
        and decide(actor, Action.CREATE, target(plan, family.members, Data.APPROVAL)).allowed)
    changes = None
    if latest is not None and approved_before is not None:
        changes = [{"label": PART_LABELS.get(part["part"], part["part"]),
                    "removed": [plain_line(line) for line in part["removed"]],
                    "added": [plain_line(line) for line in part["added"]]}
                   for part in diff(approved_before.snapshot, latest.snapshot)]
    return {"latest": latest, "approved_before": approved_before, "may_approve": may_approve,
            "changes": changes, "whole": snapshot_parts(latest.snapshot) if latest else [],
            "current": family.version_current, "history": list(reversed(family.versions))}


def _consent_status(item: Any, today: date) -> str:
    if item.withdrawn_at is not None:
        return _("Ingetrokken")
    if item.valid_from > today:
        return _("Gaat later in")
    if item.valid_until is not None and item.valid_until < today:
        return _("Verlopen")
    return _("Geldt nu")


def _consents(actor: Actor, members: tuple[Person, ...], today: date) -> dict[str, Any]:
    """Per member the actor may see the consent of (themselves; a parent also their
    children under 16): the consents and legal bases, and whether the actor may give
    consent here alone (from 16 for themselves, under 12 as a parent)."""
    grounds = {}
    for member in members:
        decision = decide(actor, Action.READ, Target(Data.CONSENT, person=member))
        if decision.allowed:
            grounds[member.pk] = decision.ground
    visible = [m for m in members if m.pk in grounds]
    found = consents_for(actor, visible) if visible else {}
    rows, alone = [], []
    for member in visible:
        age = member.age_on(today)
        own = grounds[member.pk] == Ground.SELF
        may_give = (own and age >= CONSENT_ALONE_FROM) or (
            grounds[member.pk] == Ground.PARENT and age < CONSENT_TOGETHER_FROM)
        is_together = grounds[member.pk] == Ground.PARENT and age >= CONSENT_TOGETHER_FROM
        records = found.get(str(member.pk), {"consents": [], "legal_bases": []})
        consents = [{"consent": c, "status": _consent_status(c, today),
                     "categories": [CATEGORY_LABELS.get(k, k) for k in c.categories],
                     "givers": [str(g) for g in c.given_by.all()],
                     "may_withdraw": c.withdrawn_at is None and (
                         c.valid_until is None or c.valid_until >= today)}
                    for c in records["consents"]]
        bases = [{"basis": b, "in_force": b.in_force(today)} for b in records["legal_bases"]]
        rows.append({"person": member, "age": age, "own": own, "consents": consents,
                     "legal_bases": bases, "may_give": may_give, "together": is_together})
        label = _("%(name)s (uzelf)") % {"name": member} if own else str(member)
        if may_give:
            alone.append((str(member.pk), label))
    hidden = [m for m in members if m.pk not in grounds]
    return {"rows": rows, "alone": alone, "hidden": hidden,
            "hidden_names": ", ".join(str(m) for m in hidden)}


def _organisations(family: FamilyPage, team: list[Any]) -> list[tuple[int, str]]:
    """The organisations a consent can be given to here: those of the plan's municipality
    and those in the team (organisations are no personal data)."""
    plan = family.plan
    in_plan = {plan.main_organisation_id} | {m.professional.organisation_id for m in team
                                             if m.professional_id}
    return list(Organisation.objects.filter(
        Q(municipality_id=plan.main_organisation.municipality_id) | Q(pk__in=in_plan))
        .order_by("name").values_list("pk", "name"))


def _render(request: HttpRequest, plan_id: Any, *, approve_form: ApproveForm | None = None,
            comment_form: CommentForm | None = None,
            consent_form: ConsentForm | None = None) -> HttpResponse:
    actor = actor_for(request)
    today = timezone.localdate()
    family = read_plan(actor, plan_id, with_analyses=False)
    plan = family.plan
    team = [m for m in family.team if m.left_at is None]
    professionals = [m for m in team if m.professional_id
                     and m.professional_id != plan.coordinator_id]
    network = [m for m in team if m.related_person_id]
    lost_access = team_access_lost(family, professionals, today)
    evaluations, latest = _evaluations(family)
    versions = _versions(actor, family)
    consent = _consents(actor, family.members, today)
    if approve_form is None and versions["latest"] is not None:
        approve_form = ApproveForm(prefix=PREFIX_APPROVE,
                                   initial={"number": versions["latest"].number})
    if comment_form is None:
        comment_form = CommentForm(prefix=PREFIX_COMMENT)
    if consent_form is None:
        consent_form = ConsentForm(prefix=PREFIX_CONSENT)
    consent_form.offer(consent["alone"], _organisations(family, team))
    may_comment = plan.is_open and decide(
        actor, Action.CREATE, target(plan, family.members, Data.COMMENT)).allowed
    context = {
        "family": family, "plan": plan, "members": family.members,
        "professionals": professionals, "network": network, "lost_access": lost_access,
        "goals": _goals(family, latest), "evaluations": evaluations,
        "last_evaluation": evaluations[-1] if evaluations else None,
        "first_evaluation": evaluations[0] if evaluations else None,
        "actions": [{"item": a, "performer": _performer(a)} for a in family.actions],
        "versions": versions, "approve_form": approve_form,
        "comment_form": comment_form, "may_comment": may_comment,
        "consent": consent, "consent_form": consent_form,
        "level_words": [(k if k.startswith("-") or k == "0" else f"+{k}", LEVEL_WORDS[k])
                        for k in ("2", "1", "0", "-1", "-2")],
        "alone_from": CONSENT_ALONE_FROM, "together_from": CONSENT_TOGETHER_FROM,
        "from_age": PARENT_SEES_UNTIL_AGE,
    }
    return render(request, "plans/family/plan.html", context)


@page(r.is_citizen)
def family_plan(request: HttpRequest, plan_id: Any) -> HttpResponse:
    return _render(request, plan_id)


@page(r.is_citizen)
def family_plan_pdf(request: HttpRequest, plan_id: Any) -> HttpResponse:
    """The family's plan as a PDF, in the words of their own view (logged as a print)."""
    from jeugdketen.plans.documents import pdf_response, plan_document

    family = read_plan(actor_for(request), plan_id, with_analyses=False, action=Action.PRINT)
    return pdf_response(plan_document(family, for_family=True))


def _back(plan_id: Any, anchor: str) -> HttpResponse:
    return redirect(reverse("family_plan", kwargs={"plan_id": plan_id}) + f"#{anchor}")


def _in_family_words(exc: Refusal) -> Refusal:
    """The refusal as the family reads it: a consent that must be given together says
    where it can be."""
    if exc.rule != "consent_given_together":
        return exc
    return Refusal(exc.rule, _("%(rule)s Dat kan niet hier: vraag uw regisseur om de "
                               "toestemming samen met u en uw kind vast te leggen.") % {
                                   "rule": exc.message},
                   status=exc.status, field=exc.field, existing=exc.existing)


@page(r.is_citizen)
def family_approve(request: HttpRequest, plan_id: Any) -> HttpResponse:
    if request.method != "POST":
        return _back(plan_id, "h-versions")
    form = ApproveForm(request.POST, prefix=PREFIX_APPROVE)
    version = submit(request, form, lambda data: approve_version(
        actor_for(request), plan_id, number=data["number"]), FIELD_OF_REFUSAL)
    if version is not None:
        messages.success(request, _("Dank u. U heeft versie %(number)s van het plan "
                                    "goedgekeurd.") % {"number": version.number})
        return _back(plan_id, "h-versions")
    return _render(request, plan_id, approve_form=form)


@page(r.is_citizen)
def family_comment(request: HttpRequest, plan_id: Any) -> HttpResponse:
    if request.method != "POST":
        return _back(plan_id, "h-comments")
    form = CommentForm(request.POST, prefix=PREFIX_COMMENT)
    if submit(request, form, lambda data: add_comment(
            actor_for(request), plan_id, text=data["text"]), FIELD_OF_REFUSAL) is not None:
        messages.success(request, _("Uw reactie staat bij het plan."))
        return _back(plan_id, "h-comments")
    return _render(request, plan_id, comment_form=form)


@page(r.is_citizen)
def family_consent_give(request: HttpRequest, plan_id: Any) -> HttpResponse:
    if request.method != "POST":
        return _back(plan_id, "h-consent")
    actor = actor_for(request)
    form = ConsentForm(request.POST, prefix=PREFIX_CONSENT)
    if form.is_valid():
        data = form.cleaned_data
        try:
            consent = give_consent(
                actor, data["person"], plan_id=plan_id,
                given_by=[actor.person.pk] if actor.person else [],
                organisation_id=data["organisation"], categories=data["categories"],
                valid_until=data["valid_until"])
        except Refusal as exc:
            refusal_to_form(form, _in_family_words(exc), FIELD_OF_REFUSAL)
        else:
            messages.success(request, _(
                "Uw toestemming is vastgelegd. %(organisation)s mag nu deze gegevens van "
                "%(name)s zien.") % {"organisation": consent.organisation.name,
                                     "name": consent.person})
            return _back(plan_id, "h-consent")
    return _render(request, plan_id, consent_form=form)


@page(r.is_citizen)
def family_consent_withdraw(request: HttpRequest, plan_id: Any, consent_id: int) -> HttpResponse:
    if request.method != "POST":
        return _back(plan_id, "h-consent")
    consent = withdraw_consent(actor_for(request), consent_id)
    messages.success(request, _(
        "De toestemming is ingetrokken. %(organisation)s kan deze gegevens van %(name)s vanaf "
        "nu niet meer zien.") % {"organisation": consent.organisation.name,
                                 "name": consent.person})
    return _back(plan_id, "h-consent")
