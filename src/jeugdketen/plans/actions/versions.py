"""Versions of the plan put to the family, the family's approval, and comments on the plan."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Ground
from jeugdketen.chainlog.actions import moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal
from jeugdketen.plans.actions._common import _family, _int, _tell, _text, emit_plan_event
from jeugdketen.plans.models import ApprovalHow, Comment, PlanVersion
from jeugdketen.plans.selectors import plan_for, professional_of, target
from jeugdketen.plans.versions import snapshot


@audit.write_path
def save_version(actor: Actor, plan_id: Any, *, at: datetime | None = None) -> PlanVersion:
    """Freeze the plan as it stands and put it to the family."""
    now = moment(at)
    plan, members = plan_for(actor, plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members))
    last = plan.versions.order_by("-number").first()
    if last is not None and last.revision == plan.revision:
        return last  # nothing changed since: the same version
    version = PlanVersion.objects.create(
        plan=plan, number=(last.number + 1) if last else 1, revision=plan.revision,
        snapshot=snapshot(plan), created_by=professional_of(actor), created_at=now)
    emit_plan_event(Activity.PLAN_VERSION_SAVED, plan, members, actor, at=now,
                    number=version.number)
    return version


@audit.write_path
def approve_version(actor: Actor, plan_id: Any, *, number: int, how: str = "",
                    at: datetime | None = None) -> PlanVersion:
    """The family approves a version: in their own view, or the coordinator records how
    (in a conversation, on paper)."""
    plan, members = plan_for(actor, plan_id, Action.CREATE, Data.APPROVAL, lock=True)
    decision = audit.authorize(actor, Action.CREATE, target(plan, members, Data.APPROVAL))
    version = plan.versions.filter(number=_int(number)).first()
    last = plan.versions.order_by("-number").first()
    if version is None or last is None or version.pk != last.pk:
        raise Refusal("not_latest_version", _("Alleen de nieuwste versie kan worden goedgekeurd."),
                      field="number")
    if version.approved_at is not None:
        raise Refusal("already_approved", _("Deze versie is al goedgekeurd."), status=409,
                      field="number")
    if decision.ground == Ground.FAMILY:
        how = ApprovalHow.FAMILY_VIEW
        name = str(actor.person) if actor.person is not None else ""
    else:
        if how not in (ApprovalHow.IN_PERSON, ApprovalHow.PAPER):
            raise Refusal("approval_how", _(
                "Leg vast hoe het gezin akkoord gaf: in een gesprek of op papier."), field="how")
        name = ""
    version.approved_at = moment(at)
    version.approved_how = how
    version.approved_by = actor.user
    version.approved_by_name = name
    version.save(update_fields=["approved_at", "approved_how", "approved_by", "approved_by_name"])
    emit_plan_event(Activity.PLAN_APPROVED, plan, members, actor, at=version.approved_at,
                    number=version.number, how=how)
    if decision.ground == Ground.FAMILY:
        _tell([plan.coordinator], "plan_approved", _("Het gezin keurde het plan goed"), _(
            "Gezin: %(family)s. %(name)s keurde versie %(number)s van het plan goed.") % {
            "family": _family(members), "name": name, "number": version.number},
            plan, actor, version.approved_at)
    return version


@audit.write_path
def add_comment(actor: Actor, plan_id: Any, *, text: str, at: datetime | None = None) -> Comment:
    now = moment(at)
    plan, members = plan_for(actor, plan_id, Action.CREATE, Data.COMMENT)
    decision = audit.authorize(actor, Action.CREATE, target(plan, members, Data.COMMENT))
    by_family = decision.role == "citizen"
    name = (str(actor.person) if by_family and actor.person is not None
            else actor.professional.full_name if actor.professional is not None
            else actor.username)
    comment = Comment.objects.create(plan=plan, author=actor.user, author_name=name,
                                     by_family=by_family, text=_text(text, "text", limit=2000),
                                     created_at=now)
    emit_plan_event(Activity.PLAN_COMMENTED, plan, members, actor, at=now, by_family=by_family)
    if by_family:
        _tell([plan.coordinator], "plan_commented", _("Een reactie van het gezin"), _(
            "Gezin: %(family)s. %(name)s schreef een reactie bij het plan.") % {
            "family": _family(members), "name": name}, plan, actor, now)
    return comment
