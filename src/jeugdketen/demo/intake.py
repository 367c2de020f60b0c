"""Demo data for the front door (issue 11), made through the intake actions with the
moment each step happened (`at`), over the last two years, so the chain event log holds
the value stream the next issue measures.

Care reports from professionals (who entered the family), from the family (a custody
holder in the BRP stand-in, in their own view) and from the public form (identified by
the front door afterwards); every urgency, some unsafe. The front door (demo.gemeente and
a colleague in the first neighbourhood team) triages them: advice, the neighbourhood team
at once (a plan), a joint intake, or Veilig Thuis. In the first year every organisation
does its own intake (`joint=False`: one meeting per organisation, one after the other,
with a wait in between); in the second year half the neighbourhoods (the first of each
district) hold one joint intake with the specialists at once, the other half goes on as
before. Outcomes start family plans (origin `care_report`, the plan's id the report's
trajectory key, goals with their five levels and the team carried over), close with
advice, or refer to specialised help named by its result (help started recorded later).
The organisations record their intake slots per week. More reports in the second year
than the first; Vogelwijk and Havenkwartier have the most families, Molenpark and
Binnenstad the next most.

In the last year Vogelwijk (with more families, demo/registry.py) and Havenkwartier are
busier still: extra reports in its middle months, each one a plan, about one for every 20
households of the demo in Vogelwijk (after its joint intake, or the neighbourhood team at
once) and one for every 250 in Havenkwartier (one intake after the other).

The plans started from reports then run on and most close (demo/closing.py: an action,
an evaluation, the close with its CBS reason), so the next issue's figures differ where
they should: help that helps about 90% in Vogelwijk and about 60% in Havenkwartier (100%
in Molenpark and Binnenstad), more dropout at Jeugdhulp De Brug, help sooner where the
intake is joint. A few households come back with a new report within six months of the
close.

Today an open queue of tens of reports for GM9999: received and not triaged (within the
norm, past it, past three times it), waiting for an intake (some for months), an intake
planned, help after a referral not started yet.

Deterministic from the seed; loaded in one transaction, once (a rerun adds nothing). The
persons are the demo's synthetic persons (BSNs from the test range only).
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from jeugdketen.access.models import User
from jeugdketen.access.policy import AccessPoint, Actor, public_actor
from jeugdketen.core.workdays import add_working_days
from jeugdketen.demo import closing
from jeugdketen.demo.plans import GOALS, _candidates, _family, _givers
from jeugdketen.demo.registry import MORE_FAMILIES, MUNICIPALITY
from jeugdketen.intake.actions import meetings, public, reports, settings, triage
from jeugdketen.intake.models import CareReport, Step
from jeugdketen.plans.models import GOAL_LEVELS, Plan
from jeugdketen.registry.models import (
    Household,
    HouseholdMember,
    Kinship,
    Organisation,
    Person,
    Professional,
)

CHANNEL = AccessPoint(channel="command", user_agent="jeugdketen demo")
# Year two: a joint intake in the first neighbourhood of every district; the others go on
# with one intake per organisation.
JOINT_NEIGHBOURHOODS = closing.JOINT_NEIGHBOURHOODS
YEAR = 365  # the joint intakes began this many days ago
# Some neighbourhoods have more families than the others (the insight pages compare them:
# demo/closing.py): a drawn child elsewhere is kept with the chance ELSEWHERE, in these
# with theirs.
BUSY = {closing.HELPS_WELL: 1.0, closing.HELPS_POORLY: 0.6,
        **{area: 0.35 for area, share in closing.HELPED.items() if share == 1.0}}
ELSEWHERE = 0.2
# Extra reports in the last year, each one a plan (`stories`): (neighbourhood, one per so
# many households of the demo), received this many days ago, from .. to, so their plans
# start and close within the last twelve whole months (demo/closing.py).
BUSY_REPORTS = ((f"BU{MORE_FAMILIES[0]}", MORE_FAMILIES[1]), (closing.HELPS_POORLY, 250))
BUSY_YEAR = (350, 200)
INTAKE_KINDS = ("youth_care_provider", "mental_health_care", "youth_health_care",
                "neighbourhood_team")
COORDINATING = ("neighbourhood_team", "youth_care_provider", "youth_health_care",
                "mental_health_care")
# The specialists a question needs, by the life domains it touches.
DISCIPLINES = {
    "schooling": "youth_health_care", "emotional_support": "youth_care_provider",
    "mental_health": "mental_health_care", "domestic_relations": "youth_care_provider",
    "finances": "neighbourhood_team", "housing": "neighbourhood_team",
    "socialisation": "youth_care_provider", "physical_care": "youth_health_care",
    "social_network": "neighbourhood_team",
}

# (question in the reporter's words, life domains, the result the family wants)
QUESTIONS = [
    ("{name} komt vaak te laat en mist veel lessen; thuis lijkt het onrustig.",
     ["schooling", "domestic_relations"], "Dat {name} weer elke dag naar school gaat."),
    ("{name} is somber, trekt zich terug en zegt niet meer te willen eten.",
     ["mental_health", "emotional_support"], "Dat {name} weer lacht en vrienden ziet."),
    ("De ouders van {name} hebben schulden en er komen aanmaningen; de kinderen merken de "
     "spanning.", ["finances", "domestic_relations"], "Rust in huis en overzicht over geld."),
    ("{name} heeft woedeaanvallen op school en thuis; de ouders weten niet wat ze moeten "
     "doen.", ["socialisation", "emotional_support"], "Dat de ouders weten hoe ze grenzen "
     "stellen."),
    ("{name} komt vaak zonder ontbijt en in vuile kleren op school.",
     ["physical_care", "schooling"], "Dat {name} goed verzorgd naar school gaat."),
    ("Het gezin van {name} dreigt uit huis gezet te worden.",
     ["housing", "finances"], "Een vaste woonplek voor het gezin."),
    ("{name} heeft geen vriendjes en wordt gepest; gaat niet meer naar de club.",
     ["social_network", "mental_health"], "Dat {name} zich veilig voelt bij anderen."),
]
UNSAFE = [
    ("{name} vertelde op school dat vader moeder slaat; {name} is bang om naar huis te gaan.",
     ["domestic_relations", "emotional_support"], "Dat {name} veilig thuis is."),
    ("{name} had blauwe plekken op de armen en wilde niet zeggen waarvan.",
     ["physical_care", "domestic_relations"], "Dat {name} veilig is."),
]
PUBLIC = [
    ("Ik hoor 's avonds vaak geschreeuw en gehuil bij de buren; het jongste kind speelt "
     "laat nog alleen buiten.", ["domestic_relations", "physical_care"], ""),
    ("Mijn kleinkind {name} lijkt thuis niet genoeg eten te krijgen.",
     ["physical_care"], "Dat er iemand gaat kijken."),
    ("Ik ben de oppas van {name}; de moeder vertelde dat ze het niet meer aankan.",
     ["emotional_support", "social_network"], "Hulp voor de moeder."),
]
PUBLIC_RELATIONS = [("Buurvrouw", "buurvrouw"), ("Oma", "grootmoeder"), ("Oppas", "oppas")]
UNDERSTOOD = [
    "De ouders willen rust in huis; {name} wil weer graag naar school.",
    "Het gezin wil eerst overzicht over het geld; daarna hulp bij de opvoeding.",
    "{name} wil zich minder alleen voelen; de ouders willen weten hoe ze kunnen helpen.",
]
REFERRALS = [
    "{name} voelt zich weer veilig genoeg om naar school te gaan (behandeling angst).",
    "De ouders lossen ruzies op zonder dat de kinderen bang worden.",
    "{name} slaapt weer en heeft een vaste dagstructuur.",
]
LOCATIONS = ["Wijkcentrum De Brug, spreekkamer 2", "Bij het gezin thuis",
             "Videogesprek (link in de uitnodiging)", "Gemeentehuis Voorbeeldstad, kamer 1.14"]
DECLINE = "Geen plek deze week; een collega van een andere organisatie kan wel."


def _actor(prof: Professional) -> Actor:
    return Actor(user=prof.user, professional=prof, access_point=CHANNEL)


def _family_actor(person: Person) -> Actor:
    """A parent in the family's own view (their own person; the demo gives them no login)."""
    return Actor(person=person, access_point=CHANNEL)


class Clock:
    """A report's moments, in order, on working hours."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tz = timezone.get_current_timezone()
        self.last: datetime | None = None

    def at(self, day: date, hour: int = 9) -> datetime:
        moment = datetime.combine(day, time(hour, self.rng.randrange(0, 60)), tzinfo=self.tz)
        if self.last is not None and moment <= self.last:
            moment = self.last + timedelta(minutes=self.rng.randrange(5, 30))
        # Never in the future: at most a minute before the current hour began (not before
        # now: two builds a few seconds apart give the same moments, so the demo is the same
        # for a seed, also early in the morning when today's working hours are still ahead).
        moment = min(moment, self.latest())
        if self.last is not None and moment <= self.last:  # today, in the last minute
            moment = self.last + timedelta(seconds=1)
        self.last = moment
        return moment

    @staticmethod
    def latest() -> datetime:
        """The latest moment the clock gives: a minute before the current hour began. A
        meeting is held in the demo only when it ended before this, not merely before now
        (at 13:05 a meeting that began at 13:00 has begun, but a moment of 12:59 has not)."""
        this_hour = timezone.localtime().replace(minute=0, second=0, microsecond=0)
        return this_hour - timedelta(minutes=1)


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@dataclass
class Story:
    """One report and how far it got: `stop` is the step it is in today (None: done)."""

    n: int
    received: date
    kind: str  # professional, family, public
    urgency: str
    unsafe: bool
    decision: str  # the triage's
    triage_after: int  # working days
    stop: str | None = None
    outcome: str = "plan"
    area: str = ""  # the neighbourhood of the child it is about (empty: any, drawn)


@dataclass
class World:
    front_door: list[Professional]
    by_kind: dict[str, list[Organisation]]
    staff: dict[int, list[Professional]]  # organisation -> its care professionals
    coordinators: list[Professional]
    team_coordinators: list[Professional]
    children: list[tuple[Person, Household]]  # every child of the demo's households
    custody: dict[Any, Person]  # child -> a custody holder in the household
    used: set[Any] = field(default_factory=set)  # households with a plan of the demo
    reported: set[Any] = field(default_factory=set)  # households with a report


def _world() -> World | None:
    front_door = [p for p in Professional.objects.select_related("organisation", "user")
                  .filter(organisation__municipality_id=MUNICIPALITY[0]).order_by("pk")
                  if p.has_role("front_door")]
    if not front_door:
        return None
    by_kind: dict[str, list[Organisation]] = {}
    for org in Organisation.objects.filter(municipality_id=MUNICIPALITY[0]).order_by("pk"):
        by_kind.setdefault(org.kind, []).append(org)
    staff: dict[int, list[Professional]] = {}
    coordinators, team = [], []
    for prof in (Professional.objects.select_related("organisation", "user")
                 .filter(organisation__municipality_id=MUNICIPALITY[0]).order_by("pk")):
        if not prof.has_role("professional", "coordinator"):
            continue
        staff.setdefault(prof.organisation_id, []).append(prof)
        if (prof.has_role("coordinator") and prof.organisation.may_coordinate
                and prof.organisation.kind in COORDINATING):
            coordinators.append(prof)
            if prof.organisation.kind == "neighbourhood_team":
                team.append(prof)
    # Households the demo's plans and citizen logins leave alone.
    taken = set(Plan.objects.values_list("household_id", flat=True))
    taken |= set(HouseholdMember.objects.filter(
        person__in=User.objects.filter(person__isnull=False).values("person"))
        .values_list("household_id", flat=True))
    free = _candidates(taken)
    members = list(HouseholdMember.objects.filter(household__in=free, relation="child")
                   .select_related("person", "household").order_by("person__bsn", "pk"))
    holders = {k.child_id: k.relative_bsn for k in Kinship.objects.filter(
        has_custody=True, child_id__in=[m.person_id for m in members]).order_by("pk")}
    parents = {(m.household_id, m.person.bsn): m.person for m in HouseholdMember.objects
               .filter(household__in=free, relation__in=("parent", "carer"))
               .select_related("person")}
    custody = {}
    for m in members:
        holder = parents.get((m.household_id, holders.get(m.person_id)))
        if holder is not None:
            custody[m.person_id] = holder
    children = [(m.person, m.household) for m in members
                if m.person.neighbourhood_id and m.household.created_by_id]
    if not children or not team:
        return None
    return World(front_door, by_kind, staff, coordinators, team, children, custody)


# --- the stories ------------------------------------------------------------------------


def stories(seed: int, households: int, today: date) -> list[Story]:
    """The reports to make, oldest first: two years of history, then today's open queue."""
    rng = random.Random(f"{seed}:intake")
    history = max(48, households // 4)
    out: list[Story] = []
    kinds = ["professional"] * 11 + ["family"] * 5 + ["public"] * 4
    urgencies = ["crisis"] * 2 + ["urgent"] * 6 + ["regular"] * 12
    for n in range(history):
        # Three in ten reports in the first year, seven in ten in the second (the front
        # door became known), the last 50 days before today's queue.
        part = n / history
        into = part * 0.5 / 0.3 if part < 0.3 else 0.5 + (part - 0.3) * 0.5 / 0.7
        received = _weekday(today - timedelta(days=730 - round(into * (730 - 50))
                                              - rng.randrange(0, 3)))
        urgency = urgencies[n % len(urgencies)] if n < 20 else rng.choice(urgencies)
        unsafe = (n % 9 == 4) or (urgency == "crisis" and rng.random() < 0.4)
        if unsafe and rng.random() < 0.75:
            decision = "veilig_thuis"
        else:
            decision = rng.choice(["advice", "advice", "neighbourhood_team"] + [
                "joint_intake"] * 7)
        if n < 4:  # every decision early on, whatever the draw
            decision = ["advice", "neighbourhood_team", "joint_intake", "veilig_thuis"][n]
        norm = {"crisis": 0, "urgent": 2, "regular": 5}[urgency]
        after = norm if rng.random() < 0.8 else norm + rng.randrange(1, 6)
        outcome = rng.choice(["plan", "plan", "plan", "plan", "advice", "referral"])
        out.append(Story(n, received, kinds[n % len(kinds)] if n < 20 else rng.choice(kinds),
                         urgency, unsafe, decision, rng.randrange(0, after + 1) if after else 0,
                         outcome=outcome))
    # The busy year of Vogelwijk (its extra families, demo/registry.py) and Havenkwartier:
    # reports in the last year's middle months, each one a plan (after an intake, now and
    # then the neighbourhood team at once) that closes within the last twelve whole months.
    # Made after the two years' reports (numbered after today's queue), before the queue.
    queue = max(24, households // 40)
    numbered = history + queue
    for area, per in BUSY_REPORTS:
        count = households // per
        for j in range(count):
            received = _weekday(today - timedelta(
                days=BUSY_YEAR[0] + (BUSY_YEAR[1] - BUSY_YEAR[0]) * j // count))
            urgency = rng.choice(["urgent", "regular", "regular"])
            decision = ("neighbourhood_team" if j % 4 == 3 and area in JOINT_NEIGHBOURHOODS
                        else "joint_intake")
            out.append(Story(numbered, received, "professional", urgency, False, decision,
                             rng.randrange(0, 3), outcome="plan", area=area))
            numbered += 1
    # Today's queue: received (in time, past the norm, past three times the norm), waiting
    # for an intake, an intake planned, and help after a referral not started yet.
    for i in range(queue):
        n = history + i
        kind = kinds[i % len(kinds)]
        urgency = rng.choice(["urgent", "regular", "regular"])
        unsafe = False
        part = i % 8
        if part in (0, 1):  # received, in time
            days, stop = rng.randrange(0, 2), Step.RECEIVED
        elif part == 2:  # received, past the norm (regular: 5 working days)
            days, stop, urgency = rng.randrange(9, 14), Step.RECEIVED, "regular"
        elif part == 3:  # received, past three times the norm
            days, stop, urgency = rng.randrange(24, 40), Step.RECEIVED, "regular"
        elif part == 4:  # waiting for an intake: within four weeks, or long past
            days, stop = rng.choice([12, 20, 45, 70, 100]), Step.TRIAGED
        elif part == 5:
            days, stop = rng.randrange(10, 25), Step.INTAKE_PLANNED
        elif part == 6:  # help after a referral: past ten weeks of the intake, or not yet
            days, stop = rng.choice([60, 130, 290]), Step.INTAKE_HELD
        else:
            days, stop = rng.randrange(3, 9), Step.TRIAGED
        if i == 0:  # a crisis report of this morning, not triaged yet
            days, urgency = 0, "crisis"
        received = today - timedelta(days=days)
        if received.weekday() >= 5 and days > 1:  # the Friday before
            received -= timedelta(days=received.weekday() - 4)
        out.append(Story(n, received, kind, urgency, unsafe, "joint_intake",
                         rng.randrange(0, 3), stop=stop, outcome="referral"))
    return out


# --- building ---------------------------------------------------------------------------


def _subject(world: World, rng: random.Random, story: Story, needs_plan: bool
             ) -> tuple[Person, Household] | None:
    """A child whose family may consent, of a household without a plan of the front door
    (each household one plan, and no report after it but the repeats the demo deals out:
    demo/closing.py; a small demo with every family taken lets a report without a plan
    be about one again); for the family's own report, with a custody holder in the house.
    The busy neighbourhoods' children come up more often."""
    found = _draw(world, rng, story, strict=True)
    return found if found is not None or needs_plan else _draw(world, rng, story, strict=False)


def _draw(world: World, rng: random.Random, story: Story, *, strict: bool
          ) -> tuple[Person, Household] | None:
    if story.area:  # a family of this neighbourhood that has had no report yet
        there = [(child, household) for child, household in world.children
                 if child.neighbourhood_id == story.area and household.pk not in world.used
                 and household.pk not in world.reported
                 and child.birth_date <= story.received - timedelta(days=365)]
        return there[rng.randrange(len(there))] if there else None
    pool = world.children
    for _try in range(90):
        child, household = pool[rng.randrange(len(pool))]
        if rng.random() >= BUSY.get(child.neighbourhood_id or "", ELSEWHERE):
            continue
        if child.birth_date > story.received - timedelta(days=365):
            continue
        if story.kind == "family" and (child.pk not in world.custody
                                       or child.age_on(timezone.localdate()) >= 16):
            continue
        if strict and household.pk in world.used:
            continue
        return child, household
    return None


def _report(world: World, story: Story, child: Person, household: Household,
            text: tuple[str, list[str], str], clock: Clock, front_door: Actor) -> CareReport:
    question, domains, desired = (t.format(name=child.given_names) if isinstance(t, str) else t
                                  for t in text)
    at = clock.at(story.received, 8 + story.n % 9)
    common: dict[str, Any] = {"question": question, "life_domains": domains,
                              "urgency": story.urgency, "unsafe": story.unsafe,
                              "desired_result": desired, "at": at}
    if story.kind == "public":
        reporter, relation = PUBLIC_RELATIONS[story.n % len(PUBLIC_RELATIONS)]
        made = public.report_public(
            public_actor(user_agent="jeugdketen demo"), municipality_code=MUNICIPALITY[0],
            given_name=child.given_names, family_name=child.family_name,
            birth_date=child.birth_date if story.n % 2 else None,
            postcode=child.postcode if story.n % 3 else "",
            house_number=str(child.house_number or "") if story.n % 3 else "",
            reporter_name=reporter, reporter_relation=relation,
            contact_phone=f"06{10**7 + story.n * 7919 % (9 * 10**7)}", **common)
        if story.stop != Step.RECEIVED or story.n % 2:
            # The front door finds the child in the BRP and names it.
            made = reports.identify(front_door, made.pk, person_id=child.pk,
                                    at=clock.at(story.received, 16))
        return made
    if story.kind == "family":
        parent = world.custody[child.pk]
        return reports.report(_family_actor(parent), person_id=child.pk,
                              consent_to_share=True, contact_email="", **common)
    assert household.created_by is not None
    return reports.report(_actor(household.created_by), person_id=child.pk,
                          consent_to_share=story.n % 4 != 0,
                          contact_email=household.created_by.email, **common)


def _consent(day: date, household: Household, about: Any = None) -> list[Any]:
    """Who gives the family's consent on this day (for a plan: every member; for sharing a
    report: `about`, the person it is about, or everyone when None): every member for
    themselves from 16, a custody holder for a child, both from 12 to 15."""
    family = _family(household)
    out: list[Any] = []
    for person in family.persons:
        if about is not None and person.pk != about:
            continue
        for giver in _givers(person, family, day):
            if giver is not None and giver not in out:
                out.append(giver)
    return out


def _goals(child: Person, household: Household, day: date, rng: random.Random
           ) -> list[dict[str, Any]]:
    who = "child" if child.age_on(day) < 12 else "youth"
    title, levels = rng.choice(GOALS[who])
    goals = [{"title": title.format(name=child.given_names), "person_ids": [child.pk],
              "levels": dict(zip(GOAL_LEVELS, levels, strict=True))}]
    if rng.random() < 0.5:
        title, levels = GOALS["household"][0]
        members = list(HouseholdMember.objects.filter(household=household)
                       .values_list("person_id", flat=True))
        goals.append({"title": title, "person_ids": members,
                      "levels": dict(zip(GOAL_LEVELS, levels, strict=True))})
    return goals


def _disciplines(world: World, domains: list[str], rng: random.Random, count: int
                 ) -> list[Organisation]:
    kinds = [DISCIPLINES.get(d, "youth_care_provider") for d in domains]
    kinds += [k for k in INTAKE_KINDS if k not in kinds]
    out: list[Organisation] = []
    for kind in kinds:
        orgs = [o for o in world.by_kind.get(kind, []) if world.staff.get(o.pk)]
        if orgs and len(out) < count:
            org = rng.choice(orgs)
            if org not in out:
                out.append(org)
    return out


def _run(world: World, story: Story, today: date, seed: int,
         plans: list[closing.Started] | None = None,
         subject: tuple[Person, Household] | None = None) -> CareReport | None:
    """One report's way through the front door as far as `story` says; a plan it starts is
    added to `plans` (continued by demo/closing.py). `subject`: the child it is about
    (a repeat report), else one is drawn."""
    rng = random.Random(f"{seed}:intake:{story.n}")
    clock = Clock(rng)
    door_prof = world.front_door[story.n % len(world.front_door)]
    door = _actor(door_prof)
    needs_plan = story.stop is None and (story.decision == "neighbourhood_team" or (
        story.decision == "joint_intake" and story.outcome == "plan"))
    found = subject or _subject(world, rng, story, needs_plan)
    if found is None and needs_plan:  # no family left for a plan: the intake refers
        story.decision = "joint_intake" if story.decision == "neighbourhood_team" \
            else story.decision
        story.outcome, needs_plan = "referral", False
        found = _subject(world, rng, story, False)
    if found is None:
        return None
    child, household = found
    if needs_plan:
        world.used.add(household.pk)
    world.reported.add(household.pk)
    texts = UNSAFE if story.unsafe else PUBLIC if story.kind == "public" else QUESTIONS
    report = _report(world, story, child, household, texts[story.n % len(texts)], clock, door)
    if story.stop == Step.RECEIVED:
        return report
    day = add_working_days(story.received, story.triage_after)
    if story.stop is not None:
        day = min(day, today)
    hour = 11 if story.urgency == "crisis" else 14
    if story.decision == "neighbourhood_team":
        coordinator = world.team_coordinators[story.n % len(world.team_coordinators)]
        triage.triage(door, report.pk, decision="neighbourhood_team",
                      coordinator_id=coordinator.pk, consent_given_by=_consent(day, household),
                      at=clock.at(day, hour))
        if plans is not None:
            plans.append(closing.Started(story.n, report.trajectory_key, household, child,
                                           coordinator, day))
        return report
    urgency = None
    if story.urgency == "regular" and story.n % 13 == 6:
        urgency = "urgent"  # the front door judges it more urgent
    triage.triage(door, report.pk, decision=story.decision, urgency=urgency,
                  at=clock.at(day, hour))
    if story.decision != "joint_intake" or story.stop == Step.TRIAGED:
        return report
    joint = story.received > today - timedelta(days=YEAR) and (
        report.neighbourhood_code in JOINT_NEIGHBOURHOODS)
    orgs = _disciplines(world, list(report.life_domains), rng, rng.choice([2, 2, 3]))
    meeting = None
    accepted: list[Professional] = []
    if joint:
        planned = add_working_days(day, rng.randrange(1, 4))
        start = _weekday(planned + timedelta(days=rng.randrange(5, 15)))
        if story.stop == Step.INTAKE_PLANNED:
            planned = min(planned, today)
            start = _weekday(today + timedelta(days=rng.randrange(1, 12)))
        meeting, accepted = _meeting(world, door, report, orgs, planned, start, True, clock,
                                     rng, today, _consent(planned, household, report.person_id))
    else:  # one organisation after the other, each with its own waiting list
        planned = day
        for i, org in enumerate(orgs):
            planned = add_working_days(planned, rng.randrange(1, 4))
            start = _weekday(planned + timedelta(days=rng.randrange(14, 35)))
            last = i == len(orgs) - 1
            if story.stop == Step.INTAKE_PLANNED and (start >= today or last):
                planned = min(planned, today)
                start = max(start, _weekday(today + timedelta(days=1)))
            meeting, came = _meeting(world, door, report, [org], planned, start, False, clock,
                                     rng, today, _consent(planned, household, report.person_id))
            accepted += came
            planned = start
            if start > today:
                break
            if not last and meeting.ends_at < Clock.latest():  # each intake held in turn
                meetings.hold_single_intake(door, meeting.pk,
                                            at=clock.at(timezone.localdate(meeting.ends_at), 16))
    assert meeting is not None
    if story.stop == Step.INTAKE_PLANNED or meeting.ends_at >= Clock.latest():
        return report
    held = timezone.localdate(meeting.ends_at)
    outcome = story.outcome if needs_plan or story.outcome != "plan" else "referral"
    participants = [door_prof.pk, *[p.pk for p in accepted]]
    name = child.given_names
    common: dict[str, Any] = {
        "participant_ids": participants,
        "family_present_ids": [world.custody[child.pk].pk] if child.pk in world.custody else [],
        "question_understood": UNDERSTOOD[story.n % len(UNDERSTOOD)].format(name=name),
        "at": clock.at(held, 16)}
    if outcome == "plan":
        # A youth-care provider at the table coordinates; else another who may, else the
        # neighbourhood team.
        able = [p for p in accepted if p in world.coordinators]
        coordinator = next((p for p in able if p.organisation.kind == "youth_care_provider"),
                           able[0] if able else
                           world.team_coordinators[story.n % len(world.team_coordinators)])
        meetings.hold_intake(door, meeting.pk, decision="plan",
                             goals=_goals(child, household, held, rng),
                             coordinator_id=coordinator.pk,
                             consent_given_by=_consent(held, household), **common)
        if plans is not None:
            plans.append(closing.Started(story.n, report.trajectory_key, household, child,
                                           coordinator, held))
    elif outcome == "advice":
        meetings.hold_intake(door, meeting.pk, decision="advice", **common)
    else:
        meetings.hold_intake(door, meeting.pk, decision="referral",
                             referral_result=REFERRALS[story.n % len(REFERRALS)].format(
                                 name=name), **common)
        if story.stop != Step.INTAKE_HELD:
            started = held + timedelta(days=rng.randrange(20, 90))
            if started < today:
                reports.record_help_started(door, report.pk, on=started,
                                            at=clock.at(started, 10))
    return report


def _meeting(world: World, door: Actor, report: CareReport, orgs: list[Organisation],
             planned: date, start: date, joint: bool, clock: Clock, rng: random.Random,
             today: date, consent: list[Any]) -> tuple[Any, list[Professional]]:
    """Plan a meeting, the invited organisations answer (now and then one declines and the
    front door invites another in its place)."""
    tz = timezone.get_current_timezone()
    starts = datetime.combine(start, time(rng.choice([9, 10, 13, 14])), tzinfo=tz)
    meeting = meetings.plan_intake(
        door, report.pk, organisation_ids=[o.pk for o in orgs], starts_at=starts,
        ends_at=starts + timedelta(minutes=90 if joint else 60),
        location=LOCATIONS[rng.randrange(len(LOCATIONS))], joint=joint,
        consent_given_by=consent, at=clock.at(planned, 10))
    answer_on = min(add_working_days(planned, rng.randrange(1, 3)), today)
    came: list[Professional] = []
    for i, org in enumerate(orgs):
        prof = world.staff[org.pk][rng.randrange(len(world.staff[org.pk]))]
        if joint and i == 1 and rng.random() < 0.25:
            meetings.answer_invitation(_actor(prof), meeting.pk, org.pk, accept=False,
                                       reason=DECLINE, at=clock.at(answer_on, 11))
            others = [o for o in world.by_kind.get(org.kind, []) + world.by_kind.get(
                "youth_care_provider", []) if o not in orgs and world.staff.get(o.pk)]
            if not others:
                continue
            org = others[0]
            meetings.replace_invitation(door, meeting.pk, orgs[i].pk,
                                        by_organisation_id=org.pk, consent_given_by=consent,
                                        at=clock.at(answer_on, 12))
            prof = world.staff[org.pk][0]
        meetings.answer_invitation(_actor(prof), meeting.pk, org.pk, accept=True,
                                   at=clock.at(answer_on, 13))
        came.append(prof)
    return meeting, came


def _capacity(world: World, today: date) -> None:
    """Each organisation that does intakes records its slots per week: two years back, a
    change a year back (more slots for the joint intakes), and this week's."""
    door = _actor(world.front_door[0])
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=104), monday - timedelta(weeks=52), monday]
    for k, kind in enumerate(INTAKE_KINDS):
        for j, org in enumerate(world.by_kind.get(kind, [])):
            for w, week in enumerate(weeks):
                slots = 2 + (k + j) % 4 + w
                at = datetime.combine(week, time(8, 30 + w),
                                      tzinfo=timezone.get_current_timezone())
                settings.set_capacity(door, org.pk, week_start=week, slots=slots,
                                      at=min(at, timezone.now() - timedelta(minutes=1)))


def _continue(world: World, started: list[closing.Started], today: date, seed: int,
              numbered: int, out: TextIO) -> None:
    """The plans started from reports run on and most close (demo/closing.py); a few
    households come back with a new report within six months of the close."""
    closing.schedule(started, seed, today)
    codes = closing.product_codes(started[0].plan_id) if started else set()
    for i, s in enumerate(started):
        closing.run(s, seed, codes)
        if i % 10 == 0 or i == len(started) - 1:
            out.write(f"\rfront-door plans continued: {i + 1}/{len(started)}   ")
    repeats = [s for s in started if s.outcome == "repeat"]
    for i, s in enumerate(repeats):
        received = min(_weekday(closing.repeat_on(s, seed, today)), today - timedelta(days=5))
        story = Story(numbered + i, received, "professional",
                      "regular", False, "advice" if i % 2 else "neighbourhood_team", 2)
        _run(world, story, today, seed, subject=(s.child, s.household))


def build(*, seed: int = 2026, households: int = 1500, out: TextIO = sys.stderr
          ) -> dict[str, int]:
    reports_ = CareReport.objects.filter(municipality_id=MUNICIPALITY[0])
    if not reports_.exists():
        world = _world()
        if world is not None:
            today = timezone.localdate()
            todo = stories(seed, households, today)
            with transaction.atomic():  # all or nothing: a rerun after an interruption
                _capacity(world, today)
                started: list[closing.Started] = []
                for i, story in enumerate(todo):
                    _run(world, story, today, seed, started)
                    if i % 10 == 0 or i == len(todo) - 1:
                        out.write(f"\rcare reports: {i + 1}/{len(todo)}   ")
                out.write("\n")
                _continue(world, started, today, seed, len(todo), out)
            out.write("\n")
    plans = Plan.objects.filter(origin="care_report",
                                main_organisation__municipality_id=MUNICIPALITY[0])
    return {"reports": reports_.count(),
            "open": reports_.exclude(step__in=(Step.CLOSED, Step.HELP_STARTED)).count(),
            "plans": plans.count(), "plans_closed": plans.filter(status="closed").count()}

