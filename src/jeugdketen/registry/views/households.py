"""Register a household from the persons this professional registered, and show one."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jeugdketen.core.errors import Refusal, field_errors
from jeugdketen.registry import selectors
from jeugdketen.registry.actions import (
    MemberInput,
    list_registered,
    read_person,
    register_household,
)
from jeugdketen.registry.forms import RELATION_CHOICES
from jeugdketen.ui import listing
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, forbidden_response, page

MAX_CANDIDATES = 200
MEMBER_ERROR = re.compile(r"^members\[(\d+)\]\.(\w+)$")


def _member_row(selected: list[str]) -> Callable[[str], str | None]:
    """An action's field members[i].x as the id of the i-th chosen person (None: the
    household as a whole)."""

    def row(field: str) -> str | None:
        match = MEMBER_ERROR.match(field)
        if match and int(match.group(1)) < len(selected):
            return selected[int(match.group(1))]
        return None

    return row


@page(r.can_care)
def register(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    selected: list[str] = []
    relations: dict[str, str] = {}
    row_errors: dict[str, list[str]] = {}
    general_errors: list[str] = []

    if request.method == "POST":
        selected = [pid for pid in request.POST.getlist("member") if pid]
        # Left empty, a relation is what the BRP says; given, it must agree with the BRP.
        relations = {pid: request.POST.get(f"relation-{pid}", "") for pid in selected}
        if not selected:
            general_errors.append(_("Kies ten minste één persoon voor het huishouden."))
        if not row_errors and not general_errors:
            members = [MemberInput(person_id=pid, relation=relations[pid]) for pid in selected]
            try:
                household = register_household(actor, members)
            except Refusal as exc:
                # The one mapper, with the chosen persons as the fields: an error of
                # members[i] goes on the row of the i-th chosen person.
                for pid, message in field_errors(exc, selected, _member_row(selected)):
                    if pid is None:
                        general_errors.append(message)
                    else:
                        row_errors.setdefault(pid, []).append(message)
            else:
                messages.success(request, _("Het huishouden is vastgelegd."))
                return redirect("household", household_id=household.pk)
    else:
        preselect = request.GET.get("persoon", "")
        if preselect:
            selected = [preselect]

    # Searched (without JavaScript, over all own persons) when there are more than fit:
    # the chosen ones always stay. Listing counts as reading each person listed.
    search = "" if request.method == "POST" else listing.search_text(request)
    where = selectors.person_search(search)
    if where is not None:
        where |= Q(pk__in=[pid for pid in selected if selectors.is_uuid(pid)])
    candidates = list_registered(actor, limit=MAX_CANDIDATES, where=where)
    rows = [
        {
            "person": person,
            "id": str(person.pk),
            "checked": str(person.pk) in selected,
            "relation": relations.get(str(person.pk), ""),
            "errors": row_errors.get(str(person.pk), []),
        }
        for person in candidates
    ]
    shown = {row["id"] for row in rows}
    for pid, errors in row_errors.items():
        if pid not in shown:  # not one of this professional's persons (or not an id)
            general_errors.extend(errors)
    context: dict[str, Any] = {
        "rows": rows,
        "relation_choices": RELATION_CHOICES,
        "general_errors": general_errors,
        "has_errors": bool(general_errors or row_errors),
        "error_rows": [row for row in rows if row["errors"]],
        "limited": len(candidates) >= MAX_CANDIDATES, "search": search,
        "max_candidates": MAX_CANDIDATES,
    }
    return render(request, "registry/register_household.html", context)


@page()
def detail(request: HttpRequest, household_id: str) -> HttpResponse:
    """A household, only to someone with a ground for the household as a whole (they
    entered every member, coordinate its plan, have consent for it, or are a member); then
    the members they may see."""
    from jeugdketen.access.policy import Action, Data, Target, decide

    actor = actor_for(request)
    rows = selectors.household_members(household_id)
    if not rows or not decide(actor, Action.READ, Target(
            Data.HOUSEHOLD, household=rows[0].household,
            members=tuple(m.person for m in rows))).allowed:
        return forbidden_response(request, logged=False)
    members = [
        {"person": read_person(actor, m.person_id), "relation": m.relation}
        for m in rows
        if selectors.may_read(actor, m.person)
    ]
    if not members:
        return forbidden_response(request, logged=False)
    plan = None
    if r.can_care(request.user):
        from jeugdketen.plans.selectors import household_plan

        everyone = tuple(m.person for m in selectors.household_members(household_id))
        plan = household_plan(actor, household_id, everyone)
    return render(request, "registry/household.html", {"members": members,
                                                  "household_id": household_id,
                                                  "plan": plan})
