"""Demo data for family plans (issue 4), made through the actions over the last two years,
so the chain event log holds realistic trajectories: each step is recorded with the day it
happened (`started_on`, `on`, `made_on`, `done_on`) and its moment (`at`, see
chainlog.actions.moment). The access log keeps the real time of writing.

Plans in every state: fresh (one from a reference-index match), active with analyses
repeated over time and evaluations (a T-score trend), closed with each CBS reason 01-05
(whether the family can go on without help, its satisfaction, the costs spent on the actions
done). Care teams with professionals (on consent, or on a legal basis) and the informal
network (grandparent, neighbour, coach) who also perform actions; consents given by the
right people for each age; withdrawals; versions approved in a conversation, on paper and
in the family's own view; a handover.

The demo logins: demo.regisseur coordinates several plans; the household of demo.ouder has
an open plan whose newest version waits for the family's approval; demo.jongere's
household has a plan too. Other citizen logins' households (demo.gezin) get none: there a
plan is started in the UI, from the match waiting for demo.regisseur.

Deterministic from the seed (each plan draws from its own stream) and safe to interrupt:
each plan is made in one transaction, and a household that has a plan is skipped.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from jeugdketen.access.actions import (
    CONSENT_ALONE_FROM,
    CONSENT_TOGETHER_FROM,
    custody_holders_of,
    give_consent,
    record_legal_basis,
    withdraw_consent,
)
from jeugdketen.access.models import Consent, User
from jeugdketen.access.policy import AccessPoint, Actor
from jeugdketen.analysis.actions import ScoreInput, StressInput, record_analysis
from jeugdketen.analysis.domains import ADULT_DOMAINS, ADULT_FROM_AGE, CHILD_DOMAINS, Stress
from jeugdketen.plans import actions, selectors
from jeugdketen.plans.actions import RelatedInput
from jeugdketen.plans.models import (
    DEFAULT_PRODUCT_CODE,
    ApprovalHow,
    Goal,
    Plan,
    PlanAction,
    PlanStatus,
    ProductCode,
)
from jeugdketen.referral_index.models import Match, MatchStatus
from jeugdketen.registry.models import Household, HouseholdMember, Kinship, Person, Professional

CHANNEL = AccessPoint(channel="command", user_agent="jeugdketen demo")
CARE = ("professional", "coordinator")
ALL_CATEGORIES = ["base_data", "analysis", "plan", "evaluations"]
# Households with a child under 3 are left out: a plan two years back would predate them.
YOUNGEST = 3
COORDINATING = ("neighbourhood_team", "youth_care_provider", "youth_health_care",
                "mental_health_care")
# Who entered the family and reported it stays in the team (not the police, Veilig Thuis or
# the child-protection institution: they would need a legal basis).
# The last year's outcomes are the front door's plans' (demo/closing.py deals them out per
# neighbourhood and provider, so the insight pages show them above the publication
# threshold): these plans that closed in it helped; their dropouts lie further back.
RECENT = 410  # days
REPORTING = ("school", "youth_health_care", "gp", "neighbourhood_team", "youth_care_provider",
             "mental_health_care")


def _actor(prof: Professional) -> Actor:
    return Actor(user=prof.user, professional=prof, access_point=CHANNEL)


def _citizen(user: User) -> Actor:
    return Actor(user=user, person=user.person, access_point=CHANNEL)


@dataclass
class Spec:
    """One trajectory of the demo."""

    key: str
    household: Household
    coordinator: Professional
    start_days_ago: int
    end_days_ago: int | None = None  # closed that many days ago
    reason: str = ""  # CBS reason when closed
    can_continue: bool | None = None
    satisfaction: int | None = None
    fresh: bool = False
    match: Match | None = None
    family_user: User | None = None  # approves in the family's own view, comments
    awaiting_approval: bool = False
    handover_to: Professional | None = None
    legal_basis: bool = False
    withdrawal: str = ""  # "family" (in their own view) or "coordinator"


class Clock:
    """Moments in order for one plan, never in the future."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.last: datetime | None = None
        self.tz = timezone.get_current_timezone()

    def at(self, day: date, hour: int = 9) -> datetime | None:
        moment = datetime.combine(day, time(hour, self.rng.randrange(0, 60)), tzinfo=self.tz)
        if self.last is not None and moment <= self.last:
            moment = self.last + timedelta(minutes=self.rng.randrange(1, 15))
        if moment >= timezone.now() - timedelta(seconds=1):
            self.last = timezone.now()
            return None  # now: the action's own default
        self.last = moment
        return moment


# --- words ------------------------------------------------------------------------------

GOES_WELL = [
    "De kinderen zijn dol op hun opa en oma; het gezin eet elke avond samen.",
    "Moeder is gemotiveerd en houdt afspraken goed bij. Het contact met school is goed.",
    "Vader werkt weer halve dagen; de oudste helpt thuis mee.",
]
OWN_STRENGTH = [
    "Oma haalt de kinderen twee middagen per week uit school. De buurman helpt met post.",
    "Het gezin maakt zelf een weekplanning; de voetbaltrainer houdt contact met de ouders.",
    "Moeder belt zelf de schuldeisers; tante past op als er afspraken zijn.",
]
SUPPORT_NEEDED = [
    "Hulp bij geldzaken en bij opvoedvragen; begeleiding voor de oudste bij school.",
    "Ondersteuning bij rust en regelmaat thuis; behandeling voor de angstklachten.",
    "Een vaste regisseur, schuldhulp en steun voor de kinderen na de scheiding.",
]
CONCERNS = [
    ("Huurachterstand van drie maanden; dreigende uithuiszetting.", 1),
    ("Veel spanning en ruzie thuis sinds de scheiding.", 1),
    ("De oudste verzuimt vaak van school.", 2),
    ("Moeder slaapt slecht en voelt zich somber.", 2),
    ("Weinig contact met andere kinderen buiten school.", 3),
]
# Per domain of the self-reliance matrix: what goes well (written only where the score says
# so: 4 or 5) and what worries (only at 1 or 2), so the analysis agrees with its scores.
DOMAIN_TEXTS = {
    "finances": ("Betaalt de vaste lasten op tijd en houdt een kasboek bij.",
                 "Vaste lasten blijven liggen; er komen aanmaningen."),
    "work_education": ("Werkt vier dagen per week en gaat er graag heen.",
                       "Zit zonder werk en zoekt niet actief."),
    "use_of_time": ("Heeft een vaste dagindeling met werk, sport en vrienden.",
                    "Weet de dagen niet te vullen; ligt vaak lang op bed."),
    "housing": ("Woont in een passende huurwoning zonder achterstand.",
                "Huurachterstand; de verhuurder dreigt met ontruiming."),
    "domestic_relations": ("Ouders overleggen rustig en lossen ruzies samen op.",
                           "Spanning en ruzie thuis lopen snel op."),
    "mental_health": ("Voelt zich goed en weet wat helpt bij stress.",
                      "Slaapt slecht en voelt zich somber."),
    "physical_health": ("Is gezond en sport twee keer per week.",
                        "Heeft pijnklachten en gaat niet naar de huisarts."),
    "substance_use": ("Drinkt niet en rookt niet.",
                      "Drinkt dagelijks om de spanning te dempen."),
    "basic_adl": ("Verzorgt zichzelf goed.", "Verzorgt zichzelf nauwelijks."),
    "instrumental_adl": ("Doet zelf de boodschappen, het huishouden en de post.",
                         "De post blijft ongeopend liggen; het huishouden loopt vast."),
    "social_network": ("Heeft een steunend netwerk: familie en buren springen bij.",
                       "Heeft weinig contacten en niemand om op terug te vallen."),
    "social_participation": ("Is vrijwilliger bij de voetbalclub.",
                             "Komt de deur weinig uit."),
    "justice": ("Heeft geen contact met politie of justitie.",
                "Heeft een boete die oploopt; een zaak loopt nog."),
    "family_structure": ("Heeft een vast gezin met twee betrokken ouders of verzorgers.",
                         "Wisselt vaak tussen twee huizen zonder vaste afspraken."),
    "physical_care": ("Is goed verzorgd en krijgt elke dag ontbijt.",
                      "Komt vaak zonder ontbijt en in vuile kleren op school."),
    "emotional_support": ("Kan bij de ouders terecht met verdriet en zorgen.",
                          "Krijgt thuis weinig aandacht en troost."),
    "socialisation": ("Kent de regels thuis en houdt zich eraan.",
                      "Thuis zijn er weinig regels; grenzen worden niet gesteld."),
    "childcare": ("Gaat met plezier naar de opvang.",
                  "De opvang is gestopt; er is geen oppas."),
    "schooling": ("Gaat graag naar school en haalt voldoendes.",
                  "Mist veel lessen en loopt achter."),
}

# (who, title, levels -2 .. 2); {name} is the member's given name.
GOALS = {
    "child": [
        ("{name} gaat elke schooldag naar school en voelt zich daar veilig",
         ["Gaat niet naar school", "Gaat 2 dagen per week", "Gaat elke dag, soms te laat",
          "Gaat elke dag op tijd", "Gaat elke dag op tijd en doet mee met de klas"]),
        ("{name} heeft vriendjes en speelt buiten school met andere kinderen",
         ["Speelt nooit met anderen", "Eens per maand", "Eens per week bij een club",
          "Twee keer per week", "Heeft vaste vriendjes en een club"]),
    ],
    "youth": [
        ("{name} gaat minstens 4 dagen per week naar school of stage",
         ["Gaat niet meer", "1 dag per week", "4 dagen per week", "Elke dag",
          "Elke dag en haalt voldoendes"]),
        ("{name} heeft een vaste dagstructuur en slaapt op tijd",
         ["Geen ritme", "Soms een ritme", "Ritme door de week", "Ritme ook in het weekend",
          "Bewaakt het eigen ritme zelf"]),
    ],
    "parent": [
        ("{name} heeft overzicht over de schulden en betaalt de vaste lasten op tijd",
         ["Nieuwe achterstanden", "Geen overzicht, geen nieuwe achterstanden",
          "Overzicht en een betalingsregeling", "Regeling loopt, lasten op tijd",
          "Schuldenvrij in zicht, zelfstandig"]),
        ("{name} heeft een vaste dagbesteding (werk, opleiding of vrijwilligerswerk)",
         ["Geen dagbesteding", "Oriënteert zich", "Twee dagdelen per week",
          "Vier dagdelen per week", "Betaald werk"]),
    ],
    "household": [
        ("Het gezin woont veilig thuis: geen incidenten en ruzies lopen niet meer uit de hand",
         ["Meerdere incidenten per maand", "Eén incident per maand",
          "Geen incidenten; soms hoog oplopende ruzie", "Geen incidenten, ruzies worden uitgepraat",
          "Rust in huis, ouders lossen het samen op"]),
    ],
}
NETWORK = [
    ("Oma {family}", "grootmoeder", "Haalt de kinderen twee middagen per week uit school"),
    ("Opa {family}", "grootvader", "Past op als moeder naar afspraken gaat"),
    ("Buurman Henk Verbeek", "buurman", "Helpt met de post en de administratie"),
    ("Coach Sanne Willems", "voetbaltrainer", "Traint met de oudste en houdt de ouders op de hoogte"),
    ("Tante Yasmina", "tante", "Is er in het weekend voor de kinderen"),
]
# The municipality's own product codes besides "jeugdhulp" (added by its functional
# administrator, demo.beheer, two years back).
PRODUCT_CODES = [("ambulant", "Ambulante jeugdhulp"), ("jeugd-ggz", "Jeugd-GGZ behandeling")]
# (what, budget in euros, product code)
PROFESSIONAL_ACTIONS = [
    ("Gesprekken over opvoeding en rust in huis (10 sessies)", 2400, "ambulant"),
    ("Budgetcoaching en aanvraag schuldhulpverlening", 850, "jeugdhulp"),
    ("Behandeling angstklachten (12 sessies)", 3600, "jeugd-ggz"),
    ("Overleg met school over verzuim en begeleiding in de klas", 0, "jeugdhulp"),
    ("Training sociale vaardigheden in een groep", 1200, "ambulant"),
    ("Huisbezoek om de week met het gezin", 450, "jeugdhulp"),
]
INFORMAL_ACTIONS = [
    "Kinderen ophalen op dinsdag en donderdag",
    "Samen de post openen, elke maandag",
    "Meenemen naar de training en na afloop even bijpraten",
    "Oppassen op zaterdag zodat moeder rust heeft",
]
HANDOVER_REASON = ("De regisseur gaat naar een ander wijkteam; de nieuwe regisseur kent het "
                   "gezin al van school.")
FAMILY_COMMENTS = ["Fijn dat oma nu ook in het plan staat.",
                   "Kunnen we de gesprekken op woensdagmiddag houden? Dan is mijn man er ook."]


# --- building ---------------------------------------------------------------------------


@dataclass
class Family:
    household: Household
    members: list[tuple[Person, str]]  # (person, relation), oldest first

    @property
    def persons(self) -> list[Person]:
        return [p for p, _r in self.members]

    def parents(self) -> list[Person]:
        return [p for p, r in self.members if r in ("parent", "carer")]

    def family_name(self) -> str:
        return (self.parents() or self.persons)[0].family_name


@dataclass
class Trajectory:
    """What one plan was made of, for the steps that follow."""

    plan: Plan
    family: Family
    coordinator: Professional
    start: date
    end: date
    goals: list[tuple[Goal, int, int]] = field(default_factory=list)  # goal, from, to
    items: list[PlanAction] = field(default_factory=list)
    team: list[tuple[Professional, list[Consent]]] = field(default_factory=list)
    related: list[int] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)  # the product codes of its municipality


def _family(household: Household) -> Family:
    rows = (HouseholdMember.objects.filter(household=household).select_related("person")
            .order_by("person__birth_date", "person__id"))
    return Family(household, [(m.person, m.relation) for m in rows])


def _custodian(person: Person, family: Family) -> Any:
    """A member of the household who holds custody of this person in the BRP, or None."""
    holders = custody_holders_of(person)
    return next((p.pk for p in family.parents() if str(p.pk) in holders), None)


def _givers(person: Person, family: Family, day: date) -> list[Any]:
    """Who gives consent for this person on this day (access.actions.check_givers): the
    person from 16, a custody holder under 12, both from 12 to 15."""
    age = person.age_on(day)
    if age >= CONSENT_ALONE_FROM:
        return [person.pk]
    parent = _custodian(person, family)
    if age >= CONSENT_TOGETHER_FROM:
        return [person.pk, parent]
    return [parent]


def _consent(coordinator: Actor, t: Trajectory, organisation_id: int, categories: list[str],
             day: date, clock: Clock) -> list[Consent]:
    return [give_consent(coordinator, person.pk, plan_id=t.plan.pk,
                         given_by=_givers(person, t.family, day),
                         organisation_id=organisation_id, categories=categories,
                         valid_from=day, at=clock.at(day, 10))
            for person in t.family.persons]


def _enter(prof: Professional, persons: list[Person]) -> None:
    """The professional meets the family and enters them (each verified in the BRP)."""
    from jeugdketen.registry.actions import PersonInput, register_person

    for p in persons:
        register_person(_actor(prof), PersonInput(
            bsn=p.bsn or "", given_names=p.given_names, family_name=p.family_name,
            birth_date=p.birth_date, sex=p.sex))


def _score_path(rng: random.Random, good: bool) -> tuple[int, int]:
    start = rng.choice([-2, -1, -1])
    return start, (rng.choice([0, 1, 1, 2]) if good else rng.choice([-1, 0, 0]))


def _score_on(rng: random.Random, path: tuple[int, int], progress: float) -> int:
    start, end = path
    value = start + (end - start) * progress + rng.uniform(-0.6, 0.6)
    return max(-2, min(2, round(value)))


def _analysis(coordinator: Actor, t: Trajectory, rng: random.Random, day: date,
              progress: float, good: bool, clock: Clock,
              base: dict[tuple[str, str], int]) -> None:
    scores, stress = [], []
    for person in t.family.persons:
        age = person.age_on(day)
        domains = ADULT_DOMAINS if age >= ADULT_FROM_AGE else CHILD_DOMAINS
        for domain in domains:
            key = (str(person.pk), domain)
            first = base.setdefault(key, rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5]))
            gain = round((2 if good else 0.6) * progress + rng.uniform(-0.4, 0.4))
            pro = max(1, min(5, first + gain))
            fam = max(1, min(5, pro + rng.choice([-1, 0, 0, 1])))
            strength, worry = DOMAIN_TEXTS[domain]
            noted = rng.random() < 0.6  # not every score gets a word
            scores.append(ScoreInput(
                person.pk, domain, professional_score=pro, family_score=fam,
                strengths=strength if pro >= 4 and noted else "",
                concerns=worry if pro <= 2 and noted else ""))
        if age < ADULT_FROM_AGE:
            if progress < 0.3:
                level = rng.choice([Stress.TOXIC, Stress.TOLERABLE, Stress.TOLERABLE])
            elif good:
                level = rng.choice([Stress.POSITIVE, Stress.TOLERABLE])
            else:
                level = rng.choice([Stress.TOLERABLE, Stress.TOXIC])
            stress.append(StressInput(person.pk, level))
    record_analysis(coordinator, t.plan.pk, made_on=day, scores=scores, stress=stress,
                    at=clock.at(day, 14))


def _goals_for(t: Trajectory, rng: random.Random, day: date) -> Iterator[tuple[str, list[Any], list[str]]]:
    """Goal titles, their members and levels: one per kind of member, and the household."""
    used: set[str] = set()
    for person, relation in t.family.members:
        age = person.age_on(day)
        kind = "parent" if relation in ("parent", "carer") else "youth" if age >= 12 else "child"
        if kind in used and rng.random() < 0.6:
            continue
        used.add(kind)
        title, levels = rng.choice(GOALS[kind])
        yield title.format(name=person.given_names), [person.pk], levels
    if rng.random() < 0.7:
        title, levels = GOALS["household"][0]
        yield title, [p.pk for p in t.family.persons], levels


def _add_goals(coordinator: Actor, t: Trajectory, rng: random.Random, day: date, good: bool,
               clock: Clock, limit: int = 5) -> None:
    orgs = [prof.organisation_id for prof, _c in t.team]
    for title, person_ids, levels in list(_goals_for(t, rng, day))[:limit]:
        if any(g.title == title for g, _a, _b in t.goals):
            continue
        responsible = rng.choice(orgs) if orgs and rng.random() < 0.4 else None
        goal = actions.add_goal(coordinator, t.plan.pk, title=title, person_ids=person_ids,
                                weight=rng.choice([1, 1, 2, 3]),
                                levels=dict(zip(("-2", "-1", "0", "1", "2"), levels, strict=True)),
                                organisation_id=responsible, at=clock.at(day, 11))
        t.goals.append((goal, *_score_path(rng, good)))


def _add_action(coordinator: Actor, t: Trajectory, rng: random.Random, day: date,
                clock: Clock, *, informal: bool) -> None:
    goal = rng.choice(t.goals)[0] if t.goals else None
    due = day + timedelta(days=rng.randrange(21, 150))
    if informal and t.related:
        item = actions.add_action(
            coordinator, t.plan.pk, description=rng.choice(INFORMAL_ACTIONS),
            performer_related_id=rng.choice(t.related),
            organisation_id=t.coordinator.organisation_id, due_on=due,
            goal_id=goal.pk if goal else None, at=clock.at(day, 11))
    else:
        performers = [t.coordinator] + [prof for prof, _c in t.team]
        performer = rng.choice(performers)
        description, budget, code = rng.choice(PROFESSIONAL_ACTIONS)
        item = actions.add_action(
            coordinator, t.plan.pk, description=description,
            performer_professional_id=performer.pk, organisation_id=performer.organisation_id,
            due_on=due, budget_eur=budget, goal_id=goal.pk if goal else None,
            product_code=code if code in t.codes else DEFAULT_PRODUCT_CODE,
            at=clock.at(day, 11))
    t.items.append(item)


def _version(coordinator: Actor, t: Trajectory, rng: random.Random, day: date, clock: Clock,
             spec: Spec, *, approve: bool = True) -> None:
    version = actions.save_version(coordinator, t.plan.pk, at=clock.at(day, 15))
    if not approve or version.approved_at is not None:
        return
    later = min(day + timedelta(days=rng.randrange(1, 8)), t.end)
    if spec.family_user is not None and version.number == 1:
        actions.approve_version(_citizen(spec.family_user), t.plan.pk, number=version.number,
                                at=clock.at(later, 20))
    else:
        how = rng.choice([ApprovalHow.IN_PERSON, ApprovalHow.IN_PERSON, ApprovalHow.PAPER])
        actions.approve_version(coordinator, t.plan.pk, number=version.number, how=how,
                                at=clock.at(later, 16))


def _team(coordinator: Actor, t: Trajectory, rng: random.Random, day: date, clock: Clock,
          spec: Spec, pool: dict[str, list[Professional]], starter: Professional) -> None:
    own = t.coordinator.organisation_id
    chosen: list[Professional] = []
    if (starter.organisation_id != own and starter.has_role(*CARE)
            and starter.organisation.kind in REPORTING):
        chosen.append(starter)  # who reported the family stays involved
    for kind in rng.sample(["youth_care_provider", "mental_health_care", "youth_health_care"],
                           rng.choice([1, 1, 2])):
        candidates = [p for p in pool.get(kind, []) if p.organisation_id != own
                      and p.organisation_id not in {c.organisation_id for c in chosen}]
        if candidates:
            chosen.append(rng.choice(candidates))
    if spec.legal_basis:
        protection = [p for p in pool.get("certified_institution", [])
                      if p.organisation_id != own]
        if protection:
            guardian = rng.choice(protection)
            # The children under a supervision order (ondertoezichtstelling): a legal basis,
            # recorded by the certified institution itself; the parents consent for the rest.
            minors = [p for p, r in t.family.members
                      if r == "child" and p.age_on(day) < ADULT_FROM_AGE]
            _enter(guardian, minors)
            for person, relation in t.family.members:
                if relation == "child" and person.age_on(day) < ADULT_FROM_AGE:
                    record_legal_basis(_actor(guardian), person.pk,
                                       organisation_id=guardian.organisation_id,
                                       kind="child_protection",
                                       reference=f"OTS {day.year}/{rng.randrange(1000, 9999)}",
                                       valid_from=day, valid_until=day + timedelta(days=365),
                                       at=clock.at(day, 10))
                else:
                    give_consent(coordinator, person.pk, plan_id=t.plan.pk,
                                 given_by=_givers(person, t.family, day),
                                 organisation_id=guardian.organisation_id,
                                 categories=ALL_CATEGORIES, valid_from=day, at=clock.at(day, 10))
            # The certified institution joins the team itself, on its measure (the
            # coordinator never learns of a legal basis by adding someone).
            actions.join_team(_actor(guardian), t.plan.pk, role="jeugdbeschermer (OTS)",
                              at=clock.at(day, 11))
            t.team.append((guardian, []))
    for prof in chosen:
        school = prof.organisation.kind == "school"
        categories = ["base_data", "plan"] if school else ALL_CATEGORIES
        consents = _consent(coordinator, t, prof.organisation_id, categories, day, clock)
        role = ("intern begeleider op school" if school
                else f"hulpverlener ({prof.organisation.get_kind_display()})")
        actions.add_team_member(coordinator, t.plan.pk, role=role, professional_id=prof.pk,
                                at=clock.at(day, 11))
        t.team.append((prof, consents))
    family = t.family.family_name()
    for name, relation, role in rng.sample(NETWORK, rng.choice([1, 1, 2])):
        member = actions.add_team_member(
            coordinator, t.plan.pk, role=role,
            related=RelatedInput(name=name.format(family=family), relation=relation,
                                 phone=f"06{rng.randrange(10**7, 10**8)}"),
            at=clock.at(day, 12))
        assert member.related_person_id is not None
        t.related.append(member.related_person_id)


def _run(spec: Spec, seed: int, pool: dict[str, list[Professional]]) -> Plan:
    rng = random.Random(f"{seed}:plans:{spec.key}")
    clock = Clock(rng)
    today = timezone.localdate()
    family = _family(spec.household)
    youngest = max(p.birth_date for p in family.persons)
    start = min(max(today - timedelta(days=spec.start_days_ago), youngest + timedelta(days=30)),
                today)
    end = today - timedelta(days=spec.end_days_ago) if spec.end_days_ago is not None else today
    end = max(end, start)
    # From a match its agreed coordinator starts the plan; otherwise the coordinator meets
    # the family, enters them and starts the plan on their consent.
    consent_givers: list[Any] = []
    if spec.match is None:
        _enter(spec.coordinator, family.persons)
        consent_givers = sorted({str(g) for p in family.persons for g in _givers(p, family, start)})
    plan = actions.start_plan(_actor(spec.coordinator), spec.household.pk, spec.coordinator.pk,
                              match_id=spec.match.pk if spec.match else None,
                              consent_given_by=consent_givers, started_on=start,
                              at=clock.at(start, 9))
    coordinator = _actor(spec.coordinator)
    t = Trajectory(plan, family, spec.coordinator, start, end,
                   codes={p.code for p in selectors.product_codes(plan)})
    if spec.fresh:
        return plan
    good = spec.reason in ("", "01", "02")
    plan = actions.update_sections(coordinator, plan.pk, revision=plan.revision,
                                   goes_well=rng.choice(GOES_WELL),
                                   own_strength=rng.choice(OWN_STRENGTH),
                                   support_needed=rng.choice(SUPPORT_NEEDED),
                                   at=clock.at(start, 10))
    for text, priority in rng.sample(CONCERNS, rng.choice([2, 3])):
        actions.add_concern(coordinator, plan.pk, text=text, priority=priority,
                            at=clock.at(start, 10))
    starter = spec.household.created_by or spec.coordinator
    _team(coordinator, t, rng, min(start + timedelta(days=2), end), clock, spec, pool, starter)
    span = max((end - start).days, 1)
    base: dict[tuple[str, str], int] = {}
    # The analyses: the first within a week, then repeated (2-4 in all).
    wanted = 2 if span < 150 else rng.choice([3, 3, 4]) if span > 300 else rng.choice([2, 3])
    # The last one a few days before the end, or in some open plans weeks before today: its
    # scores are then older than 30 days and shown as stale.
    last_gap = rng.choice([3, 3, 3, 45]) if spec.end_days_ago is None and span > 120 else 3
    analysis_days = [min(start + timedelta(days=7), end)] + [
        start + timedelta(days=round(span * (i + 1) / wanted))
        - timedelta(days=last_gap if i == wanted - 2 else 3)
        for i in range(wanted - 1)]
    _analysis(coordinator, t, rng, analysis_days[0], 0.0, good, clock, base)
    planning = min(start + timedelta(days=10), end)
    _add_goals(coordinator, t, rng, planning, good, clock)
    for i in range(rng.randrange(4, 8)):
        _add_action(coordinator, t, rng, planning, clock, informal=i % 3 == 2)
    _version(coordinator, t, rng, min(start + timedelta(days=12), end), clock, spec)
    if spec.family_user is not None:
        actions.add_comment(_citizen(spec.family_user), plan.pk, text=FAMILY_COMMENTS[0],
                            at=clock.at(min(start + timedelta(days=20), end), 21))

    # What happens after: evaluations every six to ten weeks, repeated analyses, actions
    # done, an extra goal and action mid-way with a new version, a handover, a withdrawal.
    events: list[tuple[date, int, str]] = []
    day = start + timedelta(days=rng.randrange(35, 56))
    while day <= end - timedelta(days=5):
        events.append((day, 3, "evaluation"))
        day += timedelta(days=rng.randrange(42, 71))
    for number, made_on in enumerate(analysis_days[1:], start=2):
        if start + timedelta(days=14) < made_on <= end - timedelta(days=1):
            events.append((made_on, 2, f"analysis:{number}"))
    middle = start + timedelta(days=span // 2)
    if span > 60:
        events.append((middle, 1, "extend"))
    if spec.handover_to is not None:
        events.append((start + timedelta(days=max(span // 3, 20)), 0, "handover"))
    if spec.withdrawal:
        events.append((start + timedelta(days=max(span * 2 // 3, 30)), 0, "withdrawal"))
    if spec.awaiting_approval:
        events.append((end - timedelta(days=1), 4, "awaiting"))
    events.sort()
    done: set[int] = set()
    for day, _order, what in events:
        if day > end or day < start:
            continue
        for item in t.items:  # actions due by now are done, with the costs spent
            if item.pk not in done and item.due_on <= day:
                finished = min(item.due_on + timedelta(days=rng.randrange(-5, 10)), day)
                finished = max(finished, start)
                spent = (Decimal(item.budget_eur) * Decimal(rng.uniform(0.75, 1.05))
                         ).quantize(Decimal("0.01"))
                actions.complete_action(coordinator, item.pk, done_on=finished, spent_eur=spent,
                                        at=clock.at(day, 13))
                done.add(item.pk)
        progress = (day - start).days / span
        if what == "evaluation":
            actions.record_evaluation(
                coordinator, plan.pk, on=day,
                scores=[(g.pk, _score_on(rng, (a, b), progress)) for g, a, b in t.goals],
                at=clock.at(day, 15))
        elif what.startswith("analysis"):
            _analysis(coordinator, t, rng, day, progress, good, clock, base)
        elif what == "extend":
            _add_goals(coordinator, t, rng, day, good, clock, limit=1)
            _add_action(coordinator, t, rng, day, clock, informal=bool(t.related))
            _version(coordinator, t, rng, day, clock, spec)
        elif what == "handover" and spec.handover_to is not None:
            actions.hand_over(coordinator, plan.pk, to_professional_id=spec.handover_to.pk,
                              on=day, reason=HANDOVER_REASON, at=clock.at(day, 10))
            t.coordinator = spec.handover_to
            coordinator = _actor(spec.handover_to)
        elif what == "withdrawal":
            _withdraw(coordinator, t, spec, day, clock)
        elif what == "awaiting":
            _add_action(coordinator, t, rng, day, clock, informal=False)
            if spec.family_user is not None:
                actions.add_comment(_citizen(spec.family_user), plan.pk,
                                    text=FAMILY_COMMENTS[1], at=clock.at(day, 20))
            _version(coordinator, t, rng, day + timedelta(days=1), clock, spec, approve=False)
    if spec.end_days_ago is None:
        return plan
    final = [(g.pk, _score_on(rng, (a, b), 1.0)) for g, a, b in t.goals]
    return actions.close_plan(coordinator, plan.pk, reason_code=spec.reason,
                              can_continue_without_help=bool(spec.can_continue),
                              satisfaction=spec.satisfaction, final_scores=final or None,
                              on=end, note="Eindevaluatie met het gezin.", at=clock.at(end, 16))


def _withdraw(coordinator: Actor, t: Trajectory, spec: Spec, day: date, clock: Clock) -> None:
    """Consent withdrawn for one organisation (for a parent): by the family in their own
    view, or on their word by the coordinator. The organisation has no ground for the whole
    household any more, so the coordinator takes its professional off the team."""
    with_consent = [(prof, consents) for prof, consents in t.team if consents]
    if not with_consent:
        return
    prof, consents = with_consent[-1]
    by_family = spec.withdrawal == "family" and spec.family_user is not None
    # In their own view a member withdraws their own consent; else a parent's, on their word.
    whose = (spec.family_user.person_id if by_family and spec.family_user
             else t.family.parents()[0].pk)
    consent = next(c for c in consents if c.person_id == whose)
    who = _citizen(spec.family_user) if by_family and spec.family_user else coordinator
    withdraw_consent(who, consent.pk, at=clock.at(day, 19))
    member = t.plan.team.filter(professional=prof, left_at__isnull=True).first()
    if member is not None:
        actions.remove_team_member(coordinator, member.pk,
                                   at=clock.at(day + timedelta(days=1), 9))
    t.team = [(p, c) for p, c in t.team if p.pk != prof.pk]


# --- which families ---------------------------------------------------------------------


def _candidates(exclude: set[Any]) -> list[Household]:
    """Households with children, none under 3, entered by a professional, every relation
    confirmed by the BRP and every minor with a custody holder in the household (so the
    family can consent); in a fixed order (by the parents' BSN), the same in every run."""
    cutoff = timezone.localdate() - timedelta(days=YOUNGEST * 366)
    young = HouseholdMember.objects.filter(person__birth_date__gt=cutoff).values("household")
    unconfirmed = HouseholdMember.objects.filter(brp_verified=False).values("household")
    found = list(Household.objects.filter(members__relation="child", created_by__isnull=False)
                 .exclude(pk__in=young).exclude(pk__in=exclude).exclude(pk__in=unconfirmed)
                 .distinct()
                 .annotate(key=Min("members__person__bsn"))
                 .select_related("created_by__organisation")
                 .order_by("key", "pk"))
    minor_since = timezone.localdate() - timedelta(days=18 * 366)
    rows = list(HouseholdMember.objects.filter(household__in=found).values_list(
        "household_id", "person_id", "person__bsn", "relation", "person__birth_date"))
    held = set(Kinship.objects.filter(
        has_custody=True, child_id__in=[r[1] for r in rows]).values_list("child_id", "relative_bsn"))
    adults: dict[Any, set[str]] = {}
    for household, _person, bsn, relation, _born in rows:
        if relation in ("parent", "carer") and bsn:
            adults.setdefault(household, set()).add(bsn)
    orphaned = {household for household, person, _bsn, relation, born in rows
                if relation == "child" and born > minor_since
                and not any((person, b) in held for b in adults.get(household, ()))}
    return [h for h in found if h.pk not in orphaned]


def _household_of(username: str, relation: str) -> Household | None:
    user = User.objects.filter(username=username).select_related("person").first()
    if user is None or user.person is None:
        return None
    member = (HouseholdMember.objects.filter(person=user.person, relation=relation)
              .select_related("household__created_by").first())
    return member.household if member else None


def _professionals() -> tuple[dict[str, list[Professional]], list[Professional]]:
    pool: dict[str, list[Professional]] = {}
    coordinators = []
    for prof in (Professional.objects.select_related("organisation", "user")
                 .exclude(organisation__kind="municipality").order_by("pk")):
        if not prof.has_role(*CARE):
            continue
        pool.setdefault(prof.organisation.kind, []).append(prof)
        if (prof.has_role("coordinator") and prof.organisation.may_coordinate
                and prof.organisation.kind in COORDINATING):
            coordinators.append(prof)
    return pool, coordinators


def specs(seed: int, households: int) -> list[Spec]:
    """The trajectories to make, in a fixed order: the showcase, then ordinary plans (one
    per 50 households of the demo)."""
    rng = random.Random(f"{seed}:plans")
    try:
        regisseur = Professional.objects.select_related("organisation", "user").get(
            user__username="demo.regisseur")
    except Professional.DoesNotExist:
        return []
    _pool, coordinators = _professionals()
    others = [c for c in coordinators if c.pk != regisseur.pk] or [regisseur]
    users = {u.username: u for u in User.objects.filter(
        username__in=["demo.ouder", "demo.jongere"]).select_related("person")}
    out: list[Spec] = []
    # Other citizen logins' families (demo.gezin) are left without a plan: there a newcomer
    # starts one from the match (the browser walk of issue 4 does exactly that).
    special: set[Any] = set(HouseholdMember.objects.filter(
        person__in=User.objects.filter(person__isnull=False).values("person"))
        .values_list("household_id", flat=True))
    consentable = {h.pk for h in _candidates(set())}
    ouder = _household_of("demo.ouder", "parent")
    if ouder is not None and ouder.pk not in consentable:
        ouder = None
    if ouder is not None:
        out.append(Spec("demo.ouder", ouder, regisseur, 280, family_user=users["demo.ouder"],
                        awaiting_approval=True, withdrawal="family"))
    jongere = _household_of("demo.jongere", "child")
    if jongere is not None and jongere.pk in consentable and (ouder is None or jongere.pk != ouder.pk):
        out.append(Spec("demo.jongere", jongere, others[0], 150,
                        family_user=users["demo.jongere"]))
    # A fresh plan from a reference-index match: its agreed coordinator starts it today.
    for match in (Match.objects.filter(status=MatchStatus.COORDINATED,
                                       coordinator__isnull=False)
                  .select_related("coordinator__organisation", "coordinator__user")
                  .annotate(first_bsn=Min("signals__person__bsn"))
                  .order_by("first_bsn", "kind")):
        member = (HouseholdMember.objects.filter(person__signals__matches=match)
                  .exclude(household__in=special).select_related("household__created_by")
                  .order_by("person__bsn").first())
        if member is not None and match.coordinator is not None:
            special.add(member.household_id)
            out.append(Spec("match", member.household, match.coordinator, 0, fresh=True,
                            match=match))
            break
    pool = _candidates(special)
    rng.shuffle(pool)
    showcase = [
        Spec("fresh", pool[0], regisseur, 2, fresh=True) if len(pool) > 0 else None,
        Spec("legal-basis", pool[1], regisseur, 200, legal_basis=True) if len(pool) > 1 else None,
        Spec("handover", pool[2], others[0], 420,
             handover_to=regisseur if others[0].pk != regisseur.pk else None)
        if len(pool) > 2 else None,
        Spec("closed-01", pool[3], regisseur, 690, 240, "01", True, 8) if len(pool) > 3 else None,
        Spec("closed-02", pool[4], regisseur, 540, 300, "02", True, 7) if len(pool) > 4 else None,
        Spec("closed-03", pool[5], others[0], 560, 420, "03", False, 4,
             withdrawal="coordinator") if len(pool) > 5 else None,
        Spec("closed-04", pool[6], others[-1], 610, 400, "04", False, 5)
        if len(pool) > 6 else None,
        Spec("closed-05", pool[7], others[-1], 380, 160, "05", True, 7) if len(pool) > 7 else None,
    ]
    out += [s for s in showcase if s is not None]
    for i, household in enumerate(pool[8: 8 + households // 50]):
        gen = random.Random(f"{seed}:plans:ordinary:{i}")
        coordinator = household.created_by if (
            household.created_by is not None and household.created_by.has_role("coordinator")
            and household.created_by.organisation.may_coordinate
            and household.created_by.organisation.kind in COORDINATING) else gen.choice(coordinators)
        if gen.random() < 0.45:  # still open
            out.append(Spec(f"ordinary-{i}", household, coordinator, gen.randrange(40, 700)))
        else:
            start = gen.randrange(200, 720)
            reason = gen.choice(["01", "01", "01", "02", "02", "03", "04", "05"])
            end = gen.randrange(7, start - 90)
            recent = end < RECENT  # the last year's outcomes are dealt out: closing.py
            if recent:
                reason = "01" if reason in ("03", "04", "05") else reason
            good = reason in ("01", "02")
            out.append(Spec(
                f"ordinary-{i}", household, coordinator, start, end, reason,
                can_continue=recent or gen.random() < (0.8 if good else 0.3),
                satisfaction=None if reason == "03" and gen.random() < 0.5
                else gen.randrange(6, 10) if good else gen.randrange(3, 7)))
    return out


def _product_codes() -> None:
    """The demo municipality's own product codes, added by its functional administrator."""
    from jeugdketen.demo.registry import MUNICIPALITY

    admin = Professional.objects.select_related("organisation", "user").filter(
        user__username="demo.beheer").first()
    if admin is None:
        return
    added = datetime.combine(timezone.localdate() - timedelta(days=730), time(10),
                             tzinfo=timezone.get_current_timezone())
    for i, (code, label) in enumerate(PRODUCT_CODES):
        if not ProductCode.objects.filter(municipality_id=MUNICIPALITY[0], code=code).exists():
            actions.add_product_code(_actor(admin), MUNICIPALITY[0], code=code, label=label,
                                     at=added + timedelta(minutes=i))


def build(*, seed: int = 2026, households: int = 1500, out: TextIO = sys.stderr) -> dict[str, int]:
    _product_codes()
    pool, _coordinators = _professionals()
    todo = specs(seed, households)
    for i, spec in enumerate(todo):
        if not Plan.objects.filter(household=spec.household).exists():
            with transaction.atomic():  # a plan whole or not at all: safe to interrupt
                _run(spec, seed, pool)
        out.write(f"\rfamily plans: {i + 1}/{len(todo)}   ")
    out.write("\n")
    return {"plans": Plan.objects.count(),
            "open": Plan.objects.filter(status=PlanStatus.OPEN).count(),
            "closed": Plan.objects.filter(status=PlanStatus.CLOSED).count()}
