"""Demo data for the reference index, made through the actions: signals spread over the
demo neighbourhoods over the last two years, some expired (ended by the retention run),
some withdrawn, client and family matches, coordinators agreed, some overdue. A match
between demo.professional and demo.regisseur waits for demo.regisseur to accept."""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from typing import TextIO

from django.utils import timezone

from jeugdketen.access.actions import system_actor
from jeugdketen.access.policy import AccessPoint, Actor
from jeugdketen.referral_index import actions
from jeugdketen.referral_index.models import Match, MatchStatus, Signal
from jeugdketen.registry import actions as registry
from jeugdketen.registry.models import HouseholdMember, Person, Professional

CHANNEL = AccessPoint(channel="command", user_agent="jeugdketen demo")


def _actor(prof: Professional) -> Actor:
    return Actor(user=prof.user, professional=prof, access_point=CHANNEL)


def _enter_again(prof: Professional, person: Person) -> None:
    """A second professional meets the youth and enters it (attaches to the same person)."""
    registry.register_person(_actor(prof), registry.PersonInput(
        bsn=person.bsn or "", given_names=person.given_names, family_name=person.family_name,
        birth_date=person.birth_date, sex=person.sex))


def _signal(prof: Professional, person: Person, day: date, duration: int = 730) -> actions.Registered | None:
    if person.bsn is None:  # without a BSN a second organisation cannot find the same youth
        return None
    if prof.registrations.filter(person=person).count() == 0:
        _enter_again(prof, person)
    if day >= actions.birthday(person, 23):
        return None
    return actions.register_signal(_actor(prof), person.pk, duration_days=duration, today=day)


def build(*, seed: int = 2026, out: TextIO = sys.stderr) -> dict[str, int]:
    if Signal.objects.exists():
        return {"signals": Signal.objects.count(), "matches": Match.objects.count()}
    rng = random.Random(seed + 10)
    today = timezone.localdate()
    signallers = [p for p in Professional.objects.select_related("organisation")
                  .filter(organisation__may_signal=True).order_by("pk") if p.has_role("professional")]
    by_org: dict[int, list[Professional]] = {}
    for p in signallers:
        by_org.setdefault(p.organisation_id, []).append(p)
    orgs = sorted(by_org)
    children = list(HouseholdMember.objects.filter(relation="child", person__bsn__isnull=False)
                    .select_related("person", "household__created_by").order_by("person__bsn"))
    rng.shuffle(children)
    picked = children[: max(12, len(children) // 8)]
    for i, member in enumerate(picked):
        person = member.person
        first = member.household.created_by
        if first is None or not first.organisation.may_signal:
            first = by_org[orgs[i % len(orgs)]][0]
        day = today - timedelta(days=rng.randrange(5, 700))
        duration = rng.choice([90, 180, 365, 730, 730])
        result = _signal(first, person, day, duration)
        if result is None:
            continue
        if i % 3 == 0:  # another organisation is worried too: a client match
            other_org = orgs[(orgs.index(first.organisation_id) + 1 + i) % len(orgs)]
            second = by_org[other_org][i % len(by_org[other_org])]
            later = min(today, day + timedelta(days=rng.randrange(1, 60)))
            again = _signal(second, person, later)
            if again and again.matches and i % 2 == 0:
                match = again.matches[0]
                live = actions.live_signals(today).filter(matches=match).count() >= 2
                if second.organisation.may_coordinate and live:
                    actions.propose_coordinator(_actor(second), match.pk, second.pk)
                    actions.accept_coordinator(_actor(first), match.pk, signals_aligned=True)
        if i % 11 == 5 and result.signal.status == "active" and result.signal.expires_on > today:
            actions.withdraw_signal(_actor(first), result.signal.pk,
                                    reason=rng.choice(["unjustified", "risk_gone"]), today=today)
        if i % 25 == 0:
            out.write(f"\rreference index: {i + 1}/{len(picked)} youth   ")
    out.write("\n")
    _showcase(today)
    actions.apply_retention(system_actor("jeugdketen demo"), actions.retention_plan(today))
    actions.alert_overdue(today)
    return {"signals": Signal.objects.count(), "matches": Match.objects.count()}


def _showcase(today: date) -> None:
    """A match of demo.professional (school) and demo.regisseur (wijkteam) on demo.gezin's
    child, just made, with the school proposing the neighbourhood team's coordinator:
    demo.regisseur can accept and start the family plan."""
    try:
        school = Professional.objects.get(user__username="demo.professional")
        team = Professional.objects.get(user__username="demo.regisseur")
    except Professional.DoesNotExist:
        return
    from django.contrib.auth import get_user_model

    family = get_user_model().objects.filter(username="demo.gezin").first()
    kids = Person.objects.filter(registrations__professional=school, memberships__relation="child",
                                 bsn__isnull=False, signals__isnull=True)
    if family is not None and family.person_id:  # demo.gezin's youngest child
        kids = kids.filter(memberships__household__members__person=family.person_id)
    kid = kids.order_by("-birth_date", "bsn").first()
    if kid is None:
        return
    _signal(school, kid, today - timedelta(days=3))
    result = _signal(team, kid, today - timedelta(days=1))
    if result and result.matches and result.matches[0].status == MatchStatus.OPEN:
        actions.propose_coordinator(_actor(school), result.matches[0].pk, team.pk)
