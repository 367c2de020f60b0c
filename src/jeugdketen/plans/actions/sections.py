"""The plan's sections in words, and its concerns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data
from jeugdketen.chainlog.actions import moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal
from jeugdketen.plans.actions._common import _bump, _text, emit_plan_event
from jeugdketen.plans.models import Concern, Plan
from jeugdketen.plans.selectors import plan_for, target


@audit.write_path
def update_sections(actor: Actor, plan_id: Any, *, revision: int, goes_well: str,
                    own_strength: str, support_needed: str, at: datetime | None = None) -> Plan:
    now = moment(at)
    plan, members = plan_for(actor, plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members))
    if int(revision) != plan.revision:
        raise Refusal("plan_changed", _(
            "Iemand anders heeft het plan intussen gewijzigd. Uw tekst is niet opgeslagen: "
            "bekijk de nieuwe versie en voer uw wijziging opnieuw in."), status=409,
            field="revision")
    plan.goes_well = _text(goes_well, "goes_well", required=False)
    plan.own_strength = _text(own_strength, "own_strength", required=False)
    plan.support_needed = _text(support_needed, "support_needed", required=False)
    plan.revision += 1
    plan.save(update_fields=["goes_well", "own_strength", "support_needed", "revision"])
    emit_plan_event(Activity.PLAN_UPDATED, plan, members, actor, at=now, part="sections")
    return plan


@audit.write_path
def add_concern(actor: Actor, plan_id: Any, *, text: str, priority: int,
                at: datetime | None = None) -> Concern:
    now = moment(at)
    plan, members = plan_for(actor, plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members))
    if priority not in Concern.Priority.values:
        raise Refusal("priority", _("Kies een prioriteit: hoog, gemiddeld of laag."),
                      field="priority")
    concern = Concern.objects.create(plan=plan, text=_text(text, "text"), priority=priority,
                                     created_at=now)
    _bump(plan)
    emit_plan_event(Activity.PLAN_UPDATED, plan, members, actor, at=now, part="concern",
                    priority=priority)
    return concern


@audit.write_path
def remove_concern(actor: Actor, concern_id: Any) -> None:
    concern = audit.get_or_deny(actor, Action.UPDATE, Data.PLAN, Concern.objects, concern_id,
                                "concern")
    plan, members = plan_for(actor, concern.plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members))
    # Under the plan's lock: a request that waited for it finds the concern already gone
    # (removed by the one before it) and changes nothing more.
    if not Concern.objects.filter(pk=concern.pk).delete()[0]:
        return
    _bump(plan)
    emit_plan_event(Activity.PLAN_UPDATED, plan, members, actor, part="concern_removed")
