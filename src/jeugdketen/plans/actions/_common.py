"""What the plan actions share: the chain event of a plan, messages about it, and checks of
the input. Private to plans.actions, but for `emit_plan_event` (analysis writes its chain
event of a plan with it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from jeugdketen.access.policy import Actor
from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal
from jeugdketen.plans.models import Plan
from jeugdketen.registry.models import Person, Professional

MAX_TEXT = 5000


def _hood(members: tuple[Person, ...]) -> str:
    return next((m.neighbourhood_id for m in members if m.neighbourhood_id), "") or ""


def emit_plan_event(activity: Activity, plan: Plan, members: tuple[Person, ...], actor: Actor,
                    *, at: datetime | None = None, **attributes: Any) -> None:
    """The chain event of a change to a plan (in the action's transaction)."""
    prof = actor.professional
    emit(activity, household=plan.household, trajectory_key=str(plan.pk),
         neighbourhood_code=_hood(members),
         organisation_id=prof.organisation_id if prof is not None else None,
         attributes=attributes, at=at)


def _family(members: tuple[Person, ...]) -> str:
    """The family as its coordinator and team know it: the members' names."""
    return ", ".join(str(m) for m in members)


def _tell(recipients: list[Professional | None], kind: str, subject: str, body: str, plan: Plan,
          actor: Actor, at: datetime | None = None, *, to_actor: bool = False) -> None:
    """Messages about a plan event, in the event's transaction (not to the one who acted,
    unless `to_actor`: the coordinator who handed over keeps a note of it)."""
    from jeugdketen import inbox
    from jeugdketen.referral_index.models import MessageKind

    inbox.send(recipients, MessageKind(kind), subject, body, plan=plan, at=at,
               skip=None if to_actor else actor.professional)


def _bump(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(revision=plan.revision + 1)
    plan.revision += 1


def _text(value: Any, field_name: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if required and not text:
        raise Refusal("required", _("Vul dit veld in."), field=field_name)
    if len(text) > limit:
        raise Refusal("too_long", _("Hoogstens %(n)s tekens.") % {"n": limit}, field=field_name)
    return text


def _professional(pk: Any, field_name: str) -> Professional:
    try:
        return Professional.objects.select_related("organisation").get(pk=pk)
    except (Professional.DoesNotExist, ValueError, TypeError):
        raise Refusal("unknown_professional", _("Deze professional bestaat niet."),
                      field=field_name) from None


def _may_coordinate(prof: Professional, field_name: str) -> None:
    if not prof.organisation.may_coordinate:
        raise Refusal("organisation_may_not_coordinate", _(
            "De regisseur komt van een organisatie die regie mag voeren."), field=field_name)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
