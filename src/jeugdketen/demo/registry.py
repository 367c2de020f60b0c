"""Synthetic demo data, made through the same actions the UI uses, so the access log
and the chain event log are real. Deterministic from a seed; BSNs only from the test
range 999900000-999999999; safe to interrupt and rerun (no duplicates).

Fictional municipality GM9999 "Voorbeeldstad" with 8 neighbourhoods; its postcode table
ships in data/demo_pc6hnr.csv (CBS pc6hnr layout). The households live at addresses drawn
from it, and Vogelwijk has one more for every 20 (`MORE_FAMILIES`).

The families are first written into the BRP stand-in's population (the demo needs the
stand-in: it refuses to run against a real BRP), with what the BRP knows of them: addresses
with streets, parents, custody (joint, sole, guardianship), parents who live apart, a
partner without custody in the house, a youth without a BSN now and then. Then professionals
enter them through the actions, which verify every BSN in the BRP over HTTP as in
production, and the households' relations are the BRP's.

Every person and professional has a name nobody else in the demo has, and every BRP address
is whole: street, house number (now and then with a letter, 70A, or an addition, 12-2),
postcode and place.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jeugdketen.access.actions import system_actor
from jeugdketen.access.policy import AccessPoint, Actor
from jeugdketen.brp.population import persoon
from jeugdketen.brp.standin.store import Store
from jeugdketen.registry import actions
from jeugdketen.registry.models import (
    CorrectionProposal,
    HouseholdMember,
    Kinship,
    Municipality,
    Organisation,
    Person,
    PostcodeAddress,
    Professional,
)
from jeugdketen.registry.validators import is_valid_bsn

MUNICIPALITY = ("GM9999", "Voorbeeldstad")
DISTRICTS = [("999901", "Centrum"), ("999902", "Noord"), ("999903", "Oost"), ("999904", "Zuid")]
NEIGHBOURHOODS = [
    ("99990101", "Binnenstad"), ("99990102", "Havenkwartier"),
    ("99990201", "Vogelwijk"), ("99990202", "Molenpark"),
    ("99990301", "Beekdal"), ("99990302", "De Akkers"),
    ("99990401", "Zuiderhof"), ("99990402", "Lindenbuurt"),
]
DEMO_PASSWORD = "demo-jeugdketen"
# Vogelwijk has more families than the other neighbourhoods: one more for every 20 of the
# demo, who live there (the insight pages show its help that helps at about 90%, which
# takes 100 or so closed plans in the last year: demo/intake.py and demo/closing.py).
MORE_FAMILIES = (NEIGHBOURHOODS[2][0], 20)

# (kind, count, may_signal, may_coordinate, name pattern)
ORGANISATIONS = [
    ("school", 5, True, False, "Basisschool {}"),
    ("youth_health_care", 2, True, True, "JGZ {}"),
    ("neighbourhood_team", 4, True, True, "Wijkteam {}"),
    ("youth_care_provider", 4, True, True, "Jeugdhulp {}"),
    ("mental_health_care", 2, True, True, "GGZ Jeugd {}"),
    ("veilig_thuis", 1, True, True, "Veilig Thuis {}"),
    ("police", 1, True, False, "Politie basisteam {}"),
    ("gp", 3, True, False, "Huisartsenpraktijk {}"),
    ("municipality", 1, False, True, "Gemeente {}"),
    ("certified_institution", 2, True, True, "Jeugdbescherming {}"),
]
PLACE_WORDS = ["De Regenboog", "Het Anker", "De Linde", "Noord", "Zuid", "Oost", "West",
               "Centrum", "De Brug", "Het Kompas", "De Horizon", "Vogelwijk"]
GIVEN_M = ["Daan", "Sem", "Luuk", "Milan", "Noah", "Liam", "Bram", "Finn", "Jesse", "Ravi",
           "Mohamed", "Adam", "Thijs", "Sven", "Yusuf", "Jayden", "Ruben", "Lars", "Lucas",
           "Levi", "Mees", "Gijs", "Jens", "Tim", "Max", "Thomas", "Julian", "Owen", "Boaz",
           "Siem", "Hugo", "Olivier", "Stijn", "Teun", "Ties", "Mats", "Jurre", "Floris",
           "Dex", "Vince", "Ayoub", "Bilal", "Emre", "Kerem", "Rayan", "Omar", "Ibrahim",
           "Jan", "Pieter", "Kees", "Willem", "Joost", "Martijn", "Erik", "Dennis", "Mark",
           "Bas", "Rik", "Koen", "Wouter", "Jeroen", "Niels", "Patrick", "Sander", "Rob"]
GIVEN_V = ["Emma", "Julia", "Mila", "Tess", "Sophie", "Zoë", "Sara", "Noor", "Fenna", "Lotte",
           "Amira", "Yara", "Lisa", "Eva", "Nina", "Fatima", "Iris", "Sanne", "Anna", "Saar",
           "Liv", "Evi", "Nora", "Lina", "Roos", "Sofie", "Olivia", "Maud", "Isa", "Jasmijn",
           "Femke", "Elin", "Lieke", "Fleur", "Floor", "Hanna", "Ilse", "Esmee", "Naomi",
           "Aya", "Meryem", "Elif", "Salma", "Hiba", "Ines", "Marieke", "Annemiek", "Linda",
           "Petra", "Monique", "Karin", "Esther", "Judith", "Wendy", "Sandra", "Ingrid",
           "Marloes", "Renske", "Janneke", "Mirjam", "Astrid", "Daphne", "Charlotte", "Vera"]
FAMILY = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
          "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "Dekker",
          "Yilmaz", "El Amrani", "Kaya", "Pinas", "Nguyen", "Kowalski", "Brouwer",
          "van Dijk", "Janssen", "van der Meer", "van Leeuwen", "de Jong", "van der Linden",
          "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen",
          "van den Broek", "de Bruijn", "de Graaf", "van der Heijden", "Schouten", "Willems",
          "van Wijk", "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam", "Prins", "Blom",
          "Huisman", "Peeters", "de Wit", "Dijkstra", "Smits", "Post", "Kuipers", "Veenstra",
          "Kramer", "van den Brink", "Scholten", "van Vliet", "Boer", "Timmermans", "Groen",
          "Gerritsen", "Jonker", "van Beek", "Molenaar", "Sanders", "Wouters", "Hermans",
          "van der Wal", "Postma", "Claassen", "Bosman", "Mertens", "Evers", "Hofman",
          "Öztürk", "Demir", "Şahin", "Çelik", "Bouzid", "Benali", "Ouali", "Haddou",
          "Amrani", "Tahiri", "Ramdin", "Sewnath", "Baldew", "Martina", "Doornbos",
          "Tran", "Pham", "Nowak", "Wiśniewski", "Kovač", "Mensah", "Osei", "Haile",
          "Mohamud", "Ahmadi", "Rahimi", "Haidari", "Hassan", "Ali", "Yousef", "Kurt",
          "Aydın", "Arslan", "Doğan", "Koç", "Kılıç", "Rozenberg", "Lammers", "Zwart"]
STREETS = ["Havenkade", "Molenweg", "Lindenlaan", "Vogelzang", "Beekstraat", "Akkerpad",
           "Zuiderhof", "Kerkstraat", "Schoolstraat", "Stationsweg", "Populierenlaan",
           "Meeuwenlaan", "Dorpsstraat", "Julianastraat", "Parkweg", "Slotlaan"]
PLACE = "Voorbeeldstad"

DEMO_LOGINS = [
    # username, role(s), organisation kind, full name
    ("demo.professional", ["professional"], "school", "Petra Leerkracht"),
    ("demo.regisseur", ["professional", "coordinator"], "neighbourhood_team", "Rachid Regisseur"),
    ("demo.privacy", ["privacy_officer"], "municipality", "Paula Privacy"),
    ("demo.analist", ["municipal_analyst"], "municipality", "Arjen Analist"),
    ("demo.beheer", ["functional_admin"], "municipality", "Fleur Beheer"),
    ("demo.admin", ["platform_admin"], "municipality", "Pieter Platform"),
    # The municipality's front door (issue 11): triages the care reports, plans the intakes
    # and sees the queue.
    ("demo.gemeente", ["coordinator", "front_door"], "municipality", "Gerda Gemeente"),
]
# demo.gezin's family is where a newcomer starts: the school and the neighbourhood team
# both signalled its child, and demo.regisseur can accept the coordinator role and start
# the family plan (the issue 4 browser walk does exactly that).
CITIZEN_LOGINS = [("demo.ouder", "parent"), ("demo.jongere", "youth"), ("demo.gezin", "parent")]


EXAMPLE_POPULATION = "data/population-example.json"  # in jeugdketen.brp (../shared/brp)


def example_population() -> list[dict[str, Any]]:
    """The example BRP population (a family with parents apart, a single mother, a deceased
    youth): in the stand-in, entered by nobody, for a newcomer and the browser walks."""
    import json

    return list(json.loads(resources.files("jeugdketen.brp").joinpath(
        EXAMPLE_POPULATION).read_text(encoding="utf-8")))


def test_bsns(rng: random.Random) -> Iterator[str]:
    """Valid BSNs from the test range only, in a seeded order, never repeating, and never one
    of the example population."""
    reserved = {p["burgerservicenummer"] for p in example_population()}
    starts = list(range(999900000, 1000000000, 1000))
    rng.shuffle(starts)
    for start in starts:
        for number in range(start, start + 1000):
            if is_valid_bsn(str(number)) and str(number) not in reserved:
                yield str(number)


class Names:
    """Full names nobody else in the demo has: a newly drawn given name that is taken in
    this family name is drawn again (and after many tries, a second given name is added).
    Seeded with the example population and the demo logins, so no synthetic person or
    professional shares a name with them."""

    def __init__(self) -> None:
        self.used: set[tuple[str, str]] = {
            (p["naam"].get("voornamen", ""), _family_name(p["naam"]))
            for p in example_population()}
        self.used |= {tuple(name.split(" ", 1)) for _u, _r, _k, name in DEMO_LOGINS}  # type: ignore[misc]

    def given(self, rng: random.Random, pool: list[str], family: str) -> str:
        for _try in range(20):
            name = rng.choice(pool)
            if (name, family) not in self.used:
                break
        else:
            name = f"{rng.choice(pool)} {rng.choice(pool)}"
            while (name, family) in self.used or len(set(name.split())) < 2:
                name = f"{rng.choice(pool)} {rng.choice(pool)}"
        self.used.add((name, family))
        return name


def _family_name(naam: dict[str, Any]) -> str:
    prefix = naam.get("voorvoegsel", "")
    return f"{prefix} {naam.get('geslachtsnaam', '')}".strip()


class Progress:
    """Progress with an estimate of the time left, written to stderr."""

    def __init__(self, label: str, total: int, out: TextIO = sys.stderr):
        self.label, self.total, self.out = label, total, out
        self.start = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last < 1 and done < self.total:
            return
        self.last = now
        elapsed = now - self.start
        left = elapsed / done * (self.total - done) if done else 0
        self.out.write(f"\r{self.label}: {done}/{self.total} ({done * 100 // max(self.total, 1)}%)"
                       f", about {left:.0f} s left   ")
        if done >= self.total:
            self.out.write("\n")
        self.out.flush()


@dataclass
class DemoResult:
    organisations: int
    professionals: int
    persons: int
    households: int


def _system_actor() -> Actor:
    return system_actor("jeugdketen demo")


def _actor(prof: Professional) -> Actor:
    return Actor(user=prof.user, professional=prof,
                 access_point=AccessPoint(channel="command", user_agent="jeugdketen demo"))


def build(*, seed: int = 2026, households: int = 1500, professionals: int = 120,
          out: TextIO = sys.stderr) -> DemoResult:
    # Separate seeded streams, so a rerun after an interruption draws the same values
    # whatever the earlier run already created.
    rng = random.Random(seed)
    system = _system_actor()
    for (d_code, d_name), index in zip(DISTRICTS, range(4), strict=True):
        for n_code, n_name in NEIGHBOURHOODS[index * 2 : index * 2 + 2]:
            actions.ensure_area(municipality=MUNICIPALITY, district=(d_code, d_name),
                                neighbourhood=(n_code, n_name))
    if not PostcodeAddress.objects.filter(neighbourhood__district__municipality=MUNICIPALITY[0]).exists():
        with resources.files("jeugdketen.demo").joinpath("data/demo_pc6hnr.csv").open() as fh:
            actions.import_postcodes(fh)
    addresses = list(
        PostcodeAddress.objects.filter(neighbourhood__district__municipality=MUNICIPALITY[0])
        .order_by("postcode", "house_number").values_list("postcode", "house_number"))

    # Organisations: 25, every kind.
    orgs: dict[str, list[Organisation]] = {}
    words = iter(PLACE_WORDS * 3)
    for kind, count, may_signal, may_coordinate, pattern in ORGANISATIONS:
        for i in range(count):
            name = pattern.format(MUNICIPALITY[1] if count == 1 else next(words) if kind != "neighbourhood_team" else DISTRICTS[i][1])
            org = Organisation.objects.filter(municipality_id=MUNICIPALITY[0], name=name).first()
            if org is None:
                org = actions.create_organisation(
                    system, name=name, kind=kind, municipality_code=MUNICIPALITY[0],
                    may_signal=may_signal, may_coordinate=may_coordinate)
            orgs.setdefault(kind, []).append(org)

    # Professionals: one demo login per role, the rest without a password.
    def professional(username: str, roles: list[str], org: Organisation, name: str,
                     password: str | None) -> Professional:
        found = Professional.objects.filter(user__username=username).first()
        if found:
            return found
        return actions.create_professional(
            system, organisation_id=org.pk, username=username, full_name=name,
            email=f"{username}@voorbeeldstad.example",
            phone=f"06{random.Random(f'{seed}:{username}').randrange(10**7, 10**8)}",
            roles=roles, password=password)

    logins = [professional(u, roles, orgs[kind][0], name, DEMO_PASSWORD)
              for u, roles, kind, name in DEMO_LOGINS]
    care_orgs = [o for kind, os_ in orgs.items() if kind != "municipality" for o in os_]
    staff = [p for p in logins if p.has_role("professional")]
    names = Names()
    for i in range(professionals - len(logins)):
        org = care_orgs[i % len(care_orgs)]
        roles = ["professional", "coordinator"] if org.may_coordinate and i % 3 == 0 else ["professional"]
        if i < len(care_orgs) and org.pk == orgs["neighbourhood_team"][0].pk:
            roles.append("front_door")  # the front door also sits in the first wijkteam
        surname = rng.choice(FAMILY)
        given = names.given(rng, GIVEN_M + GIVEN_V, surname)
        staff.append(professional(f"prof{i + 1:03d}", roles, org, f"{given} {surname}", None))

    # Households: parents and children, first in the BRP (the stand-in), then entered once
    # by the professional who met them.
    rng = random.Random(seed + 1)
    bsns = test_bsns(random.Random(seed + 2))
    today = timezone.localdate()
    families = [_family(rng, bsns, today, rng.choice(addresses), h, names)
                for h in range(households)]
    # After the others (the same streams, so every name and BSN stays unique and the
    # others are the same with or without them), entered after the citizen logins are
    # chosen, so those are the same too.
    area, per = MORE_FAMILIES
    there = list(
        PostcodeAddress.objects.filter(neighbourhood_id=f"BU{area}")
        .order_by("postcode", "house_number").values_list("postcode", "house_number"))
    more = [_family(rng, bsns, today, rng.choice(there), households + h, names)
            for h in range(households // per if there else 0)]
    _into_brp(example_population() + [doc for family in families + more
                                       for doc in family.population])
    progress = Progress("households", households + len(more), out)
    made = 0
    for h, family in enumerate(families):
        entering = staff[h % len(staff)] if h % 7 else staff[0]
        made += _enter(_actor(entering), family)
        progress(h + 1)

    _citizens_and_extras(random.Random(seed + 3), staff, logins)
    # Vogelwijk's extra families, entered by the care professionals other than the logins.
    others = [p for p in staff if p not in logins] or staff
    for h, family in enumerate(more):
        made += _enter(_actor(others[h % len(others)]), family)
        progress(households + h + 1)
    return DemoResult(
        organisations=Organisation.objects.filter(municipality_id=MUNICIPALITY[0]).count(),
        professionals=Professional.objects.filter(organisation__municipality_id=MUNICIPALITY[0]).count(),
        persons=Person.objects.count(), households=made)


def _enter(actor: Actor, family: Family) -> int:
    """A professional enters the family: its persons (each verified in the BRP), then the
    household. Once: a family built by an earlier, interrupted run is left as it is."""
    if not HouseholdMember.objects.filter(person__bsn=family.members[0][0].bsn).exists():
        with transaction.atomic():
            persons = [actions.register_person(actor, data).person for data, _r in family.members]
            actions.register_household(
                actor, [actions.MemberInput(p.pk, rel)
                        for p, (_d, rel) in zip(persons, family.members, strict=True)])
    return 1


@dataclass
class Family:
    """One demo household: what to enter (with the relation to state: only for a youth
    without a BSN, whom the BRP does not know) and the BRP's records of them."""

    members: list[tuple[actions.PersonInput, str]]
    population: list[dict[str, Any]]


def _street(postcode: str) -> str:
    return STREETS[sum(map(ord, postcode)) % len(STREETS)]


@dataclass
class _Address:
    postcode: str
    number: int
    letter: str = ""
    addition: str = ""  # an upstairs flat: 12-2

    @property
    def fields(self) -> dict[str, object]:
        """The address as the BRP has it: street, number, letter, addition, postcode, place."""
        return {"postcode": self.postcode, "house_number": self.number,
                "house_letter": self.letter, "addition": self.addition,
                "street": _street(self.postcode), "place": PLACE}


@dataclass
class _Someone:
    bsn: str  # empty: a youth without a BSN (not in the BRP)
    given: str
    family: str
    born: date
    sex: str
    home: _Address
    guardianship: bool = False

    def entered(self) -> actions.PersonInput:
        """What the professional types: a youth without a BSN with the address as heard."""
        own_address = {} if self.bsn else {"postcode": self.home.postcode,
                                           "house_number": self.home.number,
                                           "house_letter": self.home.letter,
                                           "house_number_addition": self.home.addition}
        return actions.PersonInput(bsn=self.bsn, given_names=self.given,
                                   family_name=self.family, birth_date=self.born, sex=self.sex,
                                   **own_address)  # type: ignore[arg-type]


def _family(rng: random.Random, bsns: Iterator[str], today: date, address: tuple[str, int],
            h: int, taken: Names) -> Family:
    """Parents and children as the BRP has them. Most parents live together with joint
    custody; some live apart (the father elsewhere, custody still joint); a single parent
    has sole custody, sometimes with a partner in the house who has none; now and then a
    child is under guardianship (Voogdij) of an institution; adults have no custody."""
    family = rng.choice(FAMILY)
    postcode, number = address
    letter = rng.choice("AB") if h % 13 == 6 else ""
    addition = str(rng.randrange(1, 4)) if h % 17 == 8 else ""
    if h % 50 == 49:  # a new street: well-formed, not in the postcode table yet
        postcode, number = "9998ZZ", rng.randrange(1, 40)
    home = _Address(postcode, number, letter, addition)
    two = rng.random() >= 0.3
    apart = two and rng.random() < 0.12
    partner = not two and rng.random() < 0.15
    adults = []
    for p in range(2 if two else 1):
        sex = "V" if p == 0 else "M"
        where = home
        if apart and p == 1:
            where = _Address(rng.choice(["9990AB", "9990AC", "9991AA"]), rng.randrange(1, 60))
        own_family = family if p == 0 or rng.random() < 0.5 else rng.choice(FAMILY)
        adults.append(_Someone(
            next(bsns), taken.given(rng, GIVEN_V if sex == "V" else GIVEN_M, own_family),
            own_family, today - timedelta(days=rng.randrange(24 * 365, 52 * 365)), sex, where))
    kids = []
    for _c in range(rng.choice([1, 1, 2, 2, 2, 3, 4])):
        sex = rng.choice("MV")
        kids.append(_Someone(
            "" if rng.random() < 0.01 else next(bsns),
            taken.given(rng, GIVEN_M if sex == "M" else GIVEN_V, family), family,
            today - timedelta(days=rng.randrange(60, 22 * 365)), sex, home,
            guardianship=rng.random() < 0.01))
    mate_family = rng.choice(FAMILY)
    housemates = [_Someone(next(bsns), taken.given(rng, GIVEN_M, mate_family), mate_family,
                           today - timedelta(days=rng.randrange(25 * 365, 50 * 365)), "M", home)
                  ] if partner else []
    parent_bsns = [a.bsn for a in adults]
    names = {a.bsn: (a.given, a.family) for a in adults}
    kid_bsns = [k.bsn for k in kids if k.bsn]
    population = [persoon(bsn=a.bsn, given_names=a.given, family_name=a.family,
                          birth_date=a.born, sex=a.sex, children=kid_bsns,
                          **a.home.fields)  # type: ignore[arg-type]
                  for a in adults]
    for k in kids:
        if not k.bsn:
            continue
        custody: list[str] | None = None
        kind = ""
        if (today - k.born).days < 18 * 365.25:  # a minor: someone holds custody
            custody, kind = ([], "Voogdij") if k.guardianship else (parent_bsns, "")
        population.append(persoon(
            bsn=k.bsn, given_names=k.given, family_name=k.family, birth_date=k.born, sex=k.sex,
            parents=parent_bsns, custody=custody, custody_type=kind, names=names,
            **home.fields))  # type: ignore[arg-type]
    population += [persoon(bsn=m.bsn, given_names=m.given, family_name=m.family,
                           birth_date=m.born, sex=m.sex, **m.home.fields)  # type: ignore[arg-type]
                   for m in housemates]
    # The relation is stated only for a youth without a BSN; the BRP says the others'.
    members = [(p.entered(), "" if p.bsn else "child") for p in [*adults, *housemates, *kids]]
    return Family(members, population)


def _into_brp(population: list[dict[str, Any]]) -> None:
    """The demo's synthetic persons into the BRP stand-in (never into a real BRP)."""
    if not settings.BRP_STANDIN:
        raise RuntimeError("The demo writes synthetic persons into the BRP stand-in; it does not "
                           "run with a real BRP (JEUGDKETEN_BRP_URL is set).")
    Store(settings.BRP_STANDIN_DB).load(population)


def _citizens_and_extras(rng: random.Random, staff: list[Professional],
                         logins: list[Professional]) -> None:
    """Citizen logins, a re-registration with differing data (a correction proposal) and
    break-the-glass uses for the privacy officer to review."""
    user_model = get_user_model()
    demo_prof = logins[0]
    custody_holders = Kinship.objects.filter(has_custody=True).values("relative_bsn")
    household_member = (
        HouseholdMember.objects.filter(
            household__created_by=demo_prof, relation="parent",
            household__members__relation="child", person__bsn__in=custody_holders,
        ).select_related("person").order_by("person__bsn").first())
    if household_member and not user_model.objects.filter(username="demo.ouder").exists():
        user_model.objects.create_user("demo.ouder", password=DEMO_PASSWORD,
                                       person=household_member.person)
    if household_member and not user_model.objects.filter(username="demo.gezin").exists():
        # Another family entered by the school, with a child under 12 and no other login.
        taken = set(user_model.objects.exclude(person__isnull=True).values_list("person", flat=True))
        other = (HouseholdMember.objects.filter(
            household__created_by=demo_prof, relation="parent", person__bsn__in=custody_holders,
            household__members__relation="child",
            household__members__person__birth_date__gt=timezone.localdate() - timedelta(days=11 * 365),
            household__members__person__birth_date__lt=timezone.localdate() - timedelta(days=5 * 365))
            .exclude(household=household_member.household).exclude(person__in=taken)
            .select_related("person").order_by("person__bsn").first())
        if other is not None:
            user_model.objects.create_user("demo.gezin", password=DEMO_PASSWORD,
                                           person=other.person)
    youth = (Person.objects.filter(memberships__relation="child",
                                   birth_date__lte=timezone.localdate() - timedelta(days=17 * 365))
             .exclude(bsn__isnull=True).order_by("bsn").first())
    if youth and not user_model.objects.filter(username="demo.jongere").exists():
        user_model.objects.create_user("demo.jongere", password=DEMO_PASSWORD, person=youth)
    # Once: the showcase report back to the BRP: the family told the neighbourhood team it
    # has moved, the BRP does not know yet (a rerun, or bulk data added later, may make a
    # different parent come first).
    if household_member and not CorrectionProposal.objects.filter(
            proposed_by=logins[1]).exists():
        p = household_member.person
        regisseur = _actor(logins[1])
        actions.register_person(regisseur, actions.PersonInput(
            bsn=p.bsn or "", given_names=p.given_names, family_name=p.family_name,
            birth_date=p.birth_date, sex=p.sex, postcode="9991AB", house_number=7))
    from jeugdketen.access.models import AccessLogRecord

    if not AccessLogRecord.objects.filter(emergency=True).exists():
        for prof in rng.sample(staff[6:], 3):
            person = Person.objects.exclude(registrations__professional=prof).order_by("bsn").first()
            if person is None:
                continue
            reason = "Acute zorg op de SEH, ouders niet bereikbaar; gegevens nodig voor contact."
            actions.read_person(_actor(prof).with_emergency(reason), person.pk)


def is_loaded() -> bool:
    return Municipality.objects.filter(code=MUNICIPALITY[0]).exists()
