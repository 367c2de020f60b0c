"""The plan's care team: professionals and the family's informal network."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, joins_on_ground
from jeugdketen.chainlog.actions import moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal
from jeugdketen.plans.actions._common import (
    _bump,
    _family,
    _professional,
    _tell,
    _text,
    emit_plan_event,
)
from jeugdketen.plans.models import Plan, RelatedPerson, TeamMember
from jeugdketen.plans.selectors import plan_for, professional_of, target, team_professionals
from jeugdketen.registry.models import Person


@dataclass
class RelatedInput:
    name: str
    relation: str
    phone: str = ""
    email: str = ""


@audit.write_path
def add_team_member(actor: Actor, plan_id: Any, *, role: str, professional_id: Any = None,
                    related: RelatedInput | None = None,
                    at: datetime | None = None) -> TeamMember:
    """The coordinator adds a professional only when their organisation holds consent given
    for this plan for every member of the household (which the coordinator sees); a legal
    basis never shows in the answer: its holder joins the team themselves (join_team). A
    member of the informal network needs none (no login; the family brings them in)."""
    now = moment(at)
    plan, members = plan_for(actor, plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members, Data.TEAM))
    return _create_member(actor, plan, members, now, role=role,
                          professional_id=professional_id, related=related)


def _create_member(actor: Actor, plan: Plan, members: tuple[Person, ...], now: datetime, *,
                   role: Any, professional_id: Any = None,
                   related: RelatedInput | None = None, prefix: str = "") -> TeamMember:
    """A member of the care team, on the decision of the action that calls it
    (add_team_member, or start_plan for the professionals of an intake): checks the input
    and the organisation's ground, writes, emits the team join and tells the professional.
    `prefix` goes before the fields a refusal names ("team[0].")."""
    role = _text(role, f"{prefix}role", limit=200)
    if (professional_id in (None, "")) == (related is None):
        raise Refusal("one_member", _(
            "Kies een professional of vul iemand uit het netwerk in."),
            field=f"{prefix}professional_id")
    if related is not None:
        name = _text(related.name, f"{prefix}related_person.name", limit=200)
        relation = _text(related.relation, f"{prefix}related_person.relation", limit=100)
        phone = _text(related.phone, f"{prefix}related_person.phone", required=False, limit=20)
        email = _text(related.email, f"{prefix}related_person.email", required=False, limit=254)
        if email:
            from django.core.exceptions import ValidationError
            from django.core.validators import validate_email
            try:
                validate_email(email)
            except ValidationError:
                raise Refusal("email", _("Geen geldig e-mailadres."),
                              field=f"{prefix}related_person.email") from None
        person = RelatedPerson.objects.create(household=plan.household, name=name,
                                              relation=relation, phone=phone, email=email,
                                              created_at=now)
        member = TeamMember.objects.create(plan=plan, related_person=person, role=role,
                                           joined_at=now)
        kind = "informal"
    else:
        professional = _professional(professional_id, f"{prefix}professional_id")
        if professional.pk == plan.coordinator_id or professional.pk in team_professionals(plan):
            raise Refusal("already_in_team", _("Deze professional zit al in het team."),
                          status=409, field=f"{prefix}professional_id")
        if joins_on_ground(professional, members, plan, timezone.localdate(now),
                           legal_bases=False) is None:
            raise Refusal("no_ground_to_join", _(
                "Voor deze organisatie is nog geen toestemming van alle gezinsleden voor dit "
                "plan vastgelegd. Leg eerst de toestemming vast. (Heeft de organisatie een "
                "wettelijke grondslag, dan sluit zij zelf aan.)"), status=403,
                field=f"{prefix}professional_id")
        member = TeamMember.objects.create(plan=plan, professional=professional, role=role,
                                           joined_at=now)
        kind = "professional"
    _bump(plan)
    emit_plan_event(Activity.TEAM_JOINED, plan, members, actor, at=now, kind=kind,
                    member_organisation_id=(member.professional.organisation_id
                                            if member.professional else None))
    if member.professional is not None:
        _tell([member.professional], "team_joined", _("U zit in het team van een gezinsplan"), _(
            "Gezin: %(family)s. %(coordinator)s (regisseur) heeft u aan het team toegevoegd, "
            "als %(role)s.") % {"family": _family(members), "role": role,
                               "coordinator": plan.coordinator.full_name}, plan, actor, now)
    return member


@audit.write_path
def join_team(actor: Actor, plan_id: Any, *, role: str, at: datetime | None = None
              ) -> TeamMember:
    """A professional joins a plan's care team themselves, on their organisation's consent
    for this plan or its legal basis (a child-protection measure, Veilig Thuis' statutory
    task) for every member. The coordinator and the family see the new team member."""
    now = moment(at)
    plan, members = plan_for(actor, plan_id, Action.CREATE, Data.TEAM, lock=True)
    me = actor.professional
    if me is not None and (me.pk == plan.coordinator_id or me.pk in team_professionals(plan)):
        # They see the plan already: saying so reveals nothing new.
        raise Refusal("already_in_team", _("U zit al in het team van dit gezinsplan."),
                      status=409)
    decision = audit.authorize(actor, Action.CREATE, target(plan, members, Data.TEAM))
    role = _text(role, "role", limit=200)
    me = professional_of(actor)
    member = TeamMember.objects.create(plan=plan, professional=me, role=role, joined_at=now)
    _bump(plan)
    emit_plan_event(Activity.TEAM_JOINED, plan, members, actor, at=now, kind="professional",
                    member_organisation_id=me.organisation_id, on=decision.ground)
    _tell([plan.coordinator], "team_joined", _("Nieuw in het team"), _(
        "Gezin: %(family)s. %(name)s (%(org)s) sloot aan bij het team, als %(role)s.") % {
        "family": _family(members), "name": me.full_name, "org": me.organisation.name,
        "role": role}, plan, actor, now)
    return member


@audit.write_path
def remove_team_member(actor: Actor, member_id: Any, *, at: datetime | None = None
                       ) -> TeamMember:
    now = moment(at)
    member = audit.get_or_deny(actor, Action.UPDATE, Data.TEAM, TeamMember.objects, member_id,
                               "team member")
    plan, members = plan_for(actor, member.plan_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, target(plan, members, Data.TEAM))
    # As it is now, under the plan's lock (a request that waited for it sees it has left).
    member = TeamMember.objects.select_for_update().get(pk=member.pk)
    if member.left_at is None:
        member.left_at = now
        member.save(update_fields=["left_at"])
        _bump(plan)
        emit_plan_event(Activity.TEAM_LEFT, plan, members, actor, at=now,
                        kind="professional" if member.professional_id else "informal")
        if member.professional_id is not None:
            # They no longer see the plan: the message names no family.
            _tell([member.professional], "team_left", _("U zit niet meer in een team"), _(
                "%(coordinator)s (regisseur) heeft u uit het team van een gezinsplan gehaald. "
                "U ziet dat plan niet meer.") % {"coordinator": plan.coordinator.full_name},
                plan, actor, now)
    return member
