"""The team picker of a plan: the professionals the coordinator may add (see ui.pickers
for how pickers work)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from jeugdketen.access.policy import Actor
from jeugdketen.ui.pickers import PICKER_LIMIT, Picked, as_uuid, professional_search


def team(actor: Actor, plan_id: Any, search: str = "", *, chosen: str = "",
         page: Any = None) -> Picked | None:
    """The team picker of a plan: professionals of the plan's municipality, not yet in the
    team, whose organisation holds consent given for this plan for every member of the
    household (whom the coordinator may add; consents are what the coordinator sees, a legal
    basis never shows: its holder joins itself), matching the search by name or
    organisation. None when the actor may not change the plan's team (or there is no such
    plan): the same answer either way. `page`: the plan as the family page has just read it
    (plans.actions.FamilyPage), so its plan, members and team are not read again."""
    from jeugdketen.access.policy import Action, Data, decide, joins_on_ground
    from jeugdketen.plans import selectors as plan_selectors
    from jeugdketen.plans.models import Plan, TeamMember
    from jeugdketen.registry.models import Professional

    if page is not None:
        plan, members = page.plan, page.members
    else:
        pk = as_uuid(plan_id)
        plan = (Plan.objects.select_related("household", "main_organisation")
                .filter(pk=pk).first() if pk else None)
        if plan is None:
            return None
        members = plan_selectors.members_of(plan.household)
    if not decide(actor, Action.UPDATE, plan_selectors.target(plan, members, Data.TEAM)).allowed:
        return None
    taken = {plan.coordinator_id, *(
        [m.professional_id for m in page.team if m.left_at is None and m.professional_id]
        if page is not None else TeamMember.objects.filter(
            plan=plan, left_at__isnull=True, professional__isnull=False)
        .values_list("professional_id", flat=True))}
    candidates = Professional.objects.filter(
        organisation__municipality_id=plan.main_organisation.municipality_id
    ).exclude(pk__in=taken)
    today = timezone.localdate()
    # The policy is asked only about organisations with a consent for this plan (one query
    # each); the others cannot join on consent, so the answer is the same.
    organisations = set(candidates.filter(
        organisation_id__in=plan_selectors.consenting_organisations(plan, today))
        .values_list("organisation_id", flat=True).distinct())
    allowed = [o for o in sorted(organisations) if joins_on_ground(
        Professional(organisation_id=o), members, plan, today, legal_bases=False) is not None]
    candidates = candidates.filter(organisation_id__in=allowed).select_related("organisation")
    where = professional_search(search)
    rows = [p for p in (candidates if where is None else candidates.filter(where))
            .order_by("full_name", "organisation__name", "pk")
            if any(role in plan_selectors.CARE_ROLE_NAMES for role in p.roles)]
    chosen_id = int(chosen) if str(chosen).isdigit() and len(str(chosen)) < 12 else None
    first = [] if chosen_id is None else [
        p for p in candidates.filter(pk=chosen_id)
        if any(role in plan_selectors.CARE_ROLE_NAMES for role in p.roles)]
    rest = [p for p in rows if p not in first]
    options = [(str(p.pk), f"{p.full_name} ({p.organisation.name})")
               for p in first + rest[:PICKER_LIMIT]]
    return Picked(options, len(rest) > PICKER_LIMIT, search)
