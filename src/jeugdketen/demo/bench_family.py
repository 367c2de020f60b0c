"""The family-page benchmark household (issue 4), made through the actions: a household of 5
(two parents, children of 15, 10 and 6) with a plan of 20 goals, 60 actions, 24
evaluations that each score every goal, 4 analyses over every life domain, a care team
(a school on the family's consent and a grandmother), and 500 access-log records about the
members. Used by the family-page benchmark (bench/family.py, part of `make bench`) on the
national-scale database and by tests/plans/test_family_page_queries.py (which then doubles
the plan to prove that the number of queries does not grow).

`ensure(...)` is idempotent: the household belongs to the professional `bench.regisseur`;
a second call finds it and adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from jeugdketen.access import audit
from jeugdketen.access.actions import give_consent, system_actor
from jeugdketen.access.policy import AccessPoint, Action, Actor, Data, Decision, Target
from jeugdketen.analysis.actions import ScoreInput, StressInput, record_analysis
from jeugdketen.analysis.domains import ADULT_FROM_AGE, domains_for
from jeugdketen.plans import actions, selectors
from jeugdketen.plans.actions import RelatedInput
from jeugdketen.plans.models import Plan
from jeugdketen.registry import actions as registry
from jeugdketen.registry.models import Organisation, Person, Professional

USERNAME = "bench.regisseur"
TEACHER = "bench.school"
CHANNEL = AccessPoint(channel="command", user_agent="jeugdketen benchmark")
LEVELS = {"-2": "Veel slechter dan nu", "-1": "Iets slechter dan nu",
          "0": "Het afgesproken resultaat", "1": "Iets beter dan afgesproken",
          "2": "Veel beter dan afgesproken"}
# (given name, age, relation)
MEMBERS = [("Mirjam", 42, "parent"), ("Kees", 44, "parent"), ("Sara", 15, "child"),
           ("Tim", 10, "child"), ("Lieke", 6, "child")]
FIRST_DAY = 700  # the plan began this many days ago: room for 48 evaluations 14 days apart


@dataclass
class BenchFamily:
    plan: Plan
    coordinator: Professional
    teacher: Professional
    members: list[Person]

    def actor(self, professional: Professional | None = None) -> Actor:
        prof = Professional.objects.select_related("organisation", "user").get(
            pk=(professional or self.coordinator).pk)
        return Actor(user=prof.user, professional=prof, access_point=CHANNEL)


def _born(age: int, today: date) -> date:
    return today.replace(year=today.year - age, day=min(today.day, 28)) - timedelta(days=40)


def _professional(username: str, organisation: Organisation, name: str,
                  roles: list[str]) -> Professional:
    found = Professional.objects.select_related("organisation", "user").filter(
        user__username=username).first()
    if found is not None:
        return found
    registry.create_professional(
        system_actor("jeugdketen benchmark"), organisation_id=organisation.pk,
        username=username, full_name=name, email=f"{username}@voorbeeldstad.example",
        phone="0612345678", roles=roles, password=None)
    return Professional.objects.select_related("organisation", "user").get(
        user__username=username)


def _organisation(municipality_code: str, name: str, kind: str, may_coordinate: bool
                  ) -> Organisation:
    found = Organisation.objects.filter(municipality_id=municipality_code, name=name).first()
    if found is not None:
        return found
    return registry.create_organisation(
        system_actor("jeugdketen benchmark"), name=name, kind=kind,
        municipality_code=municipality_code, may_signal=True, may_coordinate=may_coordinate)


def _into_brp(today: date) -> list[str]:
    """The household in the BRP stand-in: two parents with joint custody of three children,
    all at one address. Their BSNs are the highest synthetic ones (the demo and the bulk
    path take theirs from the bottom of a seeded stream)."""
    from django.conf import settings

    from jeugdketen.brp.population import persoon
    from jeugdketen.brp.standin.store import Store, synthetic

    if not settings.BRP_STANDIN:
        raise RuntimeError("The benchmark household lives in the BRP stand-in; it does not "
                           "run with a real BRP (JEUGDKETEN_BRP_URL is set).")
    bsns: list[str] = []
    number = 999_999_999
    while len(bsns) < len(MEMBERS):
        if synthetic(str(number)):
            bsns.append(str(number))
        number -= 1
    parents, children = bsns[:2], bsns[2:]
    address = {"postcode": "9990AA", "house_number": 99, "street": "Benchmarkstraat"}
    Store(settings.BRP_STANDIN_DB).load([persoon(
        bsn=bsn, given_names=name, family_name="Benchmark", birth_date=_born(age, today),
        sex="V" if i % 2 == 0 else "M", **address,  # type: ignore[arg-type]
        parents=parents if relation == "child" else (),
        children=children if relation == "parent" else (),
        custody=parents if relation == "child" else None)
        for i, ((name, age, relation), bsn) in enumerate(zip(MEMBERS, bsns, strict=True))])
    return bsns


def find() -> BenchFamily | None:
    plan = (Plan.objects.filter(coordinator__user__username=USERNAME)
            .select_related("coordinator__organisation", "coordinator__user").first())
    if plan is None:
        return None
    teacher = Professional.objects.select_related("organisation", "user").get(
        user__username=TEACHER)
    return BenchFamily(plan, plan.coordinator, teacher, list(selectors.members_of(plan.household)))


def ensure(*, municipality_code: str, goals: int = 20, plan_actions: int = 60,
           evaluations: int = 24, analyses: int = 4, access_log: int = 500) -> BenchFamily:
    """The benchmark household, made once (one transaction), else found."""
    found = find()
    if found is not None:
        return found
    with transaction.atomic():
        team_org = _organisation(municipality_code, "Wijkteam Benchmark", "neighbourhood_team",
                                 True)
        school = _organisation(municipality_code, "Basisschool Benchmark", "school", False)
        coordinator = _professional(USERNAME, team_org, "Bea Benchmark",
                                    ["professional", "coordinator"])
        teacher = _professional(TEACHER, school, "Stijn School", ["professional"])
        coordinator_actor = Actor(user=coordinator.user, professional=coordinator,
                                  access_point=CHANNEL)
        today = timezone.localdate()
        bsns = _into_brp(today)
        persons = [registry.register_person(coordinator_actor, registry.PersonInput(
            bsn=bsn, given_names=name, family_name="Benchmark", birth_date=_born(age, today),
            sex="V" if i % 2 == 0 else "M")).person
            for i, ((name, age, _r), bsn) in enumerate(zip(MEMBERS, bsns, strict=True))]
        household = registry.register_household(
            coordinator_actor, [registry.MemberInput(p.pk) for p in persons])
        parent = persons[0]
        givers = [p.pk for p in persons if p.age_on(today) >= 12]  # a parent for under 12
        plan = actions.start_plan(coordinator_actor, household.pk, coordinator.pk,
                                  consent_given_by=givers,
                                  started_on=today - timedelta(days=FIRST_DAY))
        family = BenchFamily(plan, coordinator, teacher, list(selectors.members_of(household)))
        for person in family.members:
            age = person.age_on(today)
            own = ([person.pk] if age >= 16 else [person.pk, parent.pk] if age >= 12
                   else [parent.pk])
            give_consent(coordinator_actor, person.pk, plan_id=plan.pk, given_by=own,
                         organisation_id=school.pk,
                         categories=["base_data", "analysis", "plan", "evaluations"])
        actions.add_team_member(coordinator_actor, plan.pk, role="intern begeleider",
                                professional_id=teacher.pk)
        actions.add_team_member(coordinator_actor, plan.pk, role="haalt de kinderen op",
                                related=RelatedInput(name="Oma Benchmark",
                                                     relation="grootmoeder",
                                                     phone="0612345679"))
        grow(family, goals=goals, plan_actions=plan_actions, evaluations=evaluations,
             analyses=analyses)
        log_reads(family, access_log)
    return family


def grow(family: BenchFamily, *, goals: int, plan_actions: int, evaluations: int,
         analyses: int) -> None:
    """Add goals, actions, evaluations (each scoring every goal) and analyses."""
    actor = family.actor()
    plan = family.plan
    today = timezone.localdate()
    related = plan.team.filter(related_person__isnull=False).values_list(
        "related_person_id", flat=True).first()
    start = plan.goals.count()
    for i in range(start, start + goals):
        person = family.members[i % len(family.members)]
        actions.add_goal(actor, plan.pk, title=f"Resultaat {i + 1} voor {person.given_names}",
                         person_ids=[person.pk], weight=1 + i % 3, levels=LEVELS)
    goal_ids = list(plan.goals.values_list("pk", flat=True))
    start = plan.actions.count()
    for i in range(start, start + plan_actions):
        performer: dict[str, Any] = (
            {"performer_related_id": related} if i % 3 == 2 and related
            else {"performer_professional_id": (family.teacher if i % 3 == 1
                                                else family.coordinator).pk})
        organisation = family.teacher.organisation_id if i % 3 == 1 else \
            family.coordinator.organisation_id
        item = actions.add_action(actor, plan.pk, description=f"Actie {i + 1}",
                                  organisation_id=organisation,
                                  due_on=today - timedelta(days=FIRST_DAY - 10 - i * 5),
                                  budget_eur=100 * (i % 7), goal_id=goal_ids[i % len(goal_ids)],
                                  **performer)
        if i % 2 == 0:
            actions.complete_action(actor, item.pk, done_on=item.due_on,
                                    spent_eur=90 * (i % 7))
    done = plan.evaluations.count()
    for i in range(done, done + evaluations):
        actions.record_evaluation(
            actor, plan.pk, on=today - timedelta(days=FIRST_DAY - 14 * (i + 1)),
            scores=[(g, (i + n) % 5 - 2) for n, g in enumerate(goal_ids)])
    made = plan.analyses.count()
    for i in range(made, made + analyses):
        day = today - timedelta(days=FIRST_DAY - 7 - 30 * i)
        scores, stress = [], []
        for person in family.members:
            for n, domain in enumerate(domains_for(person.age_on(day))):
                scores.append(ScoreInput(person.pk, domain, 1 + (i + n) % 5, 1 + (i + n + 1) % 5,
                                         strengths="Zoekt zelf hulp" if n % 4 == 0 else ""))
            if person.age_on(day) < ADULT_FROM_AGE:
                stress.append(StressInput(person.pk, ("toxic", "tolerable", "positive")[i % 3]))
        record_analysis(actor, plan.pk, made_on=day, scores=scores, stress=stress)


def log_reads(family: BenchFamily, count: int) -> None:
    """`count` access-log records about the members: the team's reads of their base data,
    written through the access log's own append (as the bulk path does)."""
    readers = [(family.actor(), Decision(True, ground="plan_coordinator", role="coordinator")),
               (family.actor(family.teacher),
                Decision(True, ground="consent", role="professional"))]
    entries = [audit.entry(readers[i % 2][0], Action.READ,
                           Target(Data.BASE_DATA, person=family.members[i % len(family.members)]),
                           readers[i % 2][1]) for i in range(count)]
    with transaction.atomic():
        audit.append(entries)
