"""Demo data for the reference index, made through the actions: signals spread over the
demo neighbourhoods over the last two years, some expired (ended by the retention run),
some withdrawn, client and family matches, coordinators agreed, some overdue. A match
between demo.professional and demo.regisseur waits for demo.regisseur to accept.

Dated when it happened: a signal, a match and the messages about it carry the day they
were made, a coordinator was proposed and agreed a few days after the match, within its
deadline. Most older matches were settled in time; one in four that had a coordinator
organisation among the involved is left overdue (the municipality's coordinator's list),
and recent matches are still within their deadline. The referral actions know no `at`
yet, so the demo dates their rows afterwards (its own synthetic history only); the access
log keeps the real time of writing, as everywhere in the demo."""

from __future__ import annotations

import random
import sys
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO

from django.utils import timezone

from jeugdketen.access.actions import system_actor
from jeugdketen.access.policy import AccessPoint, Actor
from jeugdketen.referral_index import actions
from jeugdketen.referral_index.models import Match, MatchStatus, Message, Signal
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


class Stamps:
    """Dates what the actions just made with the moment it happened in the demo's story:
    the signals, matches and messages made since the last stamp."""

    def __init__(self) -> None:
        self.signal = Signal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.match = Match.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.message = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def __call__(self, day: date, hour: int, match: Match | None = None,
                 field: str = "") -> None:
        moment = datetime.combine(day, time(hour, 7 * hour % 60),
                                  tzinfo=timezone.get_current_timezone())
        moment = min(moment, timezone.now() - timedelta(minutes=1))
        Signal.objects.filter(pk__gt=self.signal).update(created_at=moment)
        Match.objects.filter(pk__gt=self.match).update(created_at=moment)
        Message.objects.filter(pk__gt=self.message).update(created_at=moment)
        if match is not None and field:
            Match.objects.filter(pk=match.pk).update(**{field: moment})
        self.__init__()  # type: ignore[misc]


def _settle_in_time(first: Professional, second: Professional, match: Match, made: date,
                    today: date, rng: random.Random, stamp: Stamps) -> bool:
    """The involved agree on a coordinator a few days after the match, within its deadline:
    one of them proposes the one whose organisation may coordinate, the other accepts."""
    candidate = (second if second.organisation.may_coordinate
                 else first if first.organisation.may_coordinate else None)
    if candidate is None:
        return False
    proposer, accepter = (first, second) if candidate.pk == second.pk else (second, first)
    proposed = min(made + timedelta(days=rng.randrange(1, 5)), today)
    actions.propose_coordinator(_actor(proposer), match.pk, candidate.pk)
    stamp(proposed, 14, match, "proposed_at")
    agreed = min(proposed + timedelta(days=rng.randrange(0, 4)), match.coordinator_due, today)
    actions.accept_coordinator(_actor(accepter), match.pk, signals_aligned=True)
    stamp(max(agreed, proposed), 16, match, "agreed_at")
    return True


def build(*, seed: int = 2026, out: TextIO = sys.stderr) -> dict[str, int]:
    if Signal.objects.exists():
        return {"signals": Signal.objects.count(), "matches": Match.objects.count()}
    rng = random.Random(seed + 10)
    today = timezone.localdate()
    stamp = Stamps()
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
    overdue_turn = 0
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
        stamp(day, 9)
        if i % 3 == 0:  # another organisation is worried too: a client match
            other_org = orgs[(orgs.index(first.organisation_id) + 1 + i) % len(orgs)]
            second = by_org[other_org][i % len(by_org[other_org])]
            # Before the showcase's match of yesterday, which is the newest on the page.
            later = min(today - timedelta(days=1), day + timedelta(days=rng.randrange(1, 60)))
            again = _signal(second, person, later)
            stamp(later, 10)
            if again and again.matches and again.matches[0].status == MatchStatus.OPEN:
                match = again.matches[0]
                live = actions.live_signals(today).filter(matches=match).count() >= 2
                in_time = today <= match.coordinator_due
                if live and not in_time:
                    overdue_turn += 1
                    if overdue_turn % 4 != 0:  # most were settled in time; some are overdue
                        _settle_in_time(first, second, match, later, today, rng, stamp)
        if i % 11 == 5 and result.signal.status == "active" and result.signal.expires_on > today:
            actions.withdraw_signal(_actor(first), result.signal.pk,
                                    reason=rng.choice(["unjustified", "risk_gone"]), today=today)
            stamp(today, 8)
        if i % 25 == 0:
            out.write(f"\rreference index: {i + 1}/{len(picked)} youth   ")
    out.write("\n")
    _showcase(today, stamp)
    actions.apply_retention(system_actor("jeugdketen demo"), actions.retention_plan(today))
    actions.alert_overdue(today)
    return {"signals": Signal.objects.count(), "matches": Match.objects.count()}


def _showcase(today: date, stamp: Any) -> None:
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
    stamp(today - timedelta(days=3), 10)
    result = _signal(team, kid, today - timedelta(days=1))
    stamp(today - timedelta(days=1), 11)
    if result and result.matches and result.matches[0].status == MatchStatus.OPEN:
        actions.propose_coordinator(_actor(school), result.matches[0].pk, team.pk)
        stamp(today - timedelta(days=1), 15, result.matches[0], "proposed_at")
