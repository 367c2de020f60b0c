"""Versions of the plan: saving one, the family's approval, comments, and the versions
page with their differences."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeugdketen.plans import actions
from jeugdketen.plans.versions import diff
from jeugdketen.plans.views.base import PlanView, _bound, _done, _family_name, handles
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, page, submit

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


@handles("versie")
def post_version(view: PlanView, _item: Any) -> HttpResponse:
    version = actions.save_version(view.actor, view.plan_id)
    return _done(view, _("Versie %(n)s is vastgelegd en ligt klaar voor het gezin om goed te "
                         "keuren.") % {"n": version.number}, "versies")


@handles("goedkeuring")
def post_approval(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "approval")
    version = submit(view.request, form, lambda data: actions.approve_version(
        view.actor, view.plan_id, number=data["number"], how=data["how"]), {"number": "how"})
    if version is not None:
        return _done(view, _("De goedkeuring van versie %(n)s is vastgelegd.") % {
            "n": version.number}, "versies")
    return view.render(bound={"approval": form})


@handles("reactie")
def post_comment(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "comment")
    if submit(view.request, form, lambda data: actions.add_comment(
            view.actor, view.plan_id, text=data["text"])) is not None:
        return _done(view, _("Uw reactie staat bij het plan."), "reacties")
    return view.render(bound={"comment": form})


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
        for change in diff(old.snapshot if old else {}, new.snapshot):
            changes.append({**change, "label": PARTS.get(change["part"], change["part"])})
    return render(request, "plans/versions.html", {
        "page": page_, "plan": page_.plan, "versions": page_.versions,
        "old": old, "new": new, "changes": changes,
        "family_name": _family_name(page_.members),
    })
