"""factory_boy factories and helpers for the test suite.

BSNs: only synthetic numbers from 999900000-999999999 that pass the eleven test are used
(see /work/shared/domain.md section 5). `synthetic_bsn()` hands them out; the checksum is
computed here independently of the code under test.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

import factory
from django.utils import timezone

from jeugdketen.access.models import AccessLogShard, User
from jeugdketen.access.policy import AccessPoint, Actor
from jeugdketen.registry.models import (
    CorrectionProposal,
    District,
    Household,
    HouseholdMember,
    Kinship,
    Municipality,
    Neighbourhood,
    Organisation,
    Person,
    PostcodeAddress,
    Professional,
    Registration,
)

# --- synthetic BSNs --------------------------------------------------------------------

BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
SYNTHETIC_LOW, SYNTHETIC_HIGH = 999_900_000, 999_999_999


def elfproef_sum(digits: str) -> int:
    """9*d1 + 8*d2 + ... + 2*d8 - 1*d9 (domain.md section 5), written independently."""
    assert len(digits) == 9 and digits.isascii() and digits.isdigit()
    return sum(w * int(d) for w, d in zip(BSN_WEIGHTS, digits, strict=True))


def passes_elfproef(digits: str) -> bool:
    total = elfproef_sum(digits)
    return total != 0 and total % 11 == 0


def check_digit(first_eight: str) -> int | None:
    """The ninth digit that makes `first_eight` pass the eleven test, or None (there is
    none when the weighted sum of the first eight digits is 10 modulo 11)."""
    partial = sum(w * int(d) for w, d in zip(BSN_WEIGHTS[:8], first_eight, strict=True))
    digit = partial % 11
    return None if digit == 10 else digit


def _all_synthetic() -> list[str]:
    out = []
    for n in range(10_000):
        first = f"9999{n:04d}"
        digit = check_digit(first)
        if digit is not None:
            out.append(first + str(digit))
    return out


#: Every valid BSN in the synthetic test range, ascending (about 9,090 numbers).
SYNTHETIC_BSNS: tuple[str, ...] = tuple(_all_synthetic())
assert all(passes_elfproef(b) and SYNTHETIC_LOW <= int(b) <= SYNTHETIC_HIGH for b in SYNTHETIC_BSNS)

_bsn_iter: Iterator[str] = itertools.cycle(SYNTHETIC_BSNS)


def synthetic_bsn() -> str:
    """The next synthetic BSN (cycles through the whole test range)."""
    return next(_bsn_iter)


def invalid_bsn() -> str:
    """A 9-digit number in the test range that fails the eleven test."""
    valid = synthetic_bsn()
    last = (int(valid[-1]) + 1) % 10
    return valid[:-1] + str(last)


def birth_date_for_age(years: int, *, days_after_birthday: int = 0) -> date:
    """A birth date so that the person is `years` old today; `days_after_birthday` < 0
    gives someone whose birthday is that many days away (still years - 1 old)."""
    today = timezone.localdate()
    try:
        birthday = today.replace(year=today.year - years)
    except ValueError:  # 29 February in a non-leap year
        birthday = today.replace(year=today.year - years, day=28)
    return birthday - timedelta(days=days_after_birthday)


# --- factories -------------------------------------------------------------------------


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    # GM99nn: CBS-style codes that are clearly not real municipalities.
    code = factory.Sequence(lambda n: f"GM99{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.LazyAttributeSequence(
        lambda o, n: f"WK{o.municipality.code[2:]}{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Wijk {n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood
        django_get_or_create = ("code",)

    district = factory.SubFactory(DistrictFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"BU{o.district.code[2:]}{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Buurt {n}")


class PostcodeAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostcodeAddress

    # 4 digits not starting with 0, then two letters (never SA, SD, SS).
    postcode = factory.Sequence(lambda n: f"{1000 + n % 9000}JK")
    house_number = factory.Sequence(lambda n: 1 + n % 999)
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Wijkteam Test {n}")
    kind = "neighbourhood_team"
    municipality = factory.SubFactory(MunicipalityFactory)
    may_signal = True
    may_coordinate = False


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    # No usable password: hashing with argon2 would slow every test down, and the API
    # authenticates with tokens.
    password = "!unusable"
    is_active = True


class ProfessionalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Professional

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    full_name = factory.Sequence(lambda n: f"Professional {n}")
    email = factory.LazyAttribute(lambda o: f"{o.user.username}@example.test")
    phone = "0201234567"
    roles = factory.LazyFunction(lambda: ["professional"])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    bsn = factory.LazyFunction(synthetic_bsn)
    given_names = factory.Sequence(lambda n: f"Voornaam{n}")
    family_name = factory.Sequence(lambda n: f"Achternaam{n}")
    birth_date = factory.LazyFunction(lambda: birth_date_for_age(10))
    sex = "V"
    postcode = ""
    house_number = None
    # A person with a BSN is verified in the BRP (as registration does it).
    brp_verified_at = factory.LazyAttribute(lambda o: timezone.now() if o.bsn else None)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    created_by = None


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(PersonFactory)
    relation = "child"


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    person = factory.SubFactory(PersonFactory)
    professional = factory.SubFactory(ProfessionalFactory)
    organisation = factory.LazyAttribute(lambda o: o.professional.organisation)


class CorrectionProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CorrectionProposal

    person = factory.SubFactory(PersonFactory)
    proposed_by = factory.SubFactory(ProfessionalFactory)
    changes = factory.LazyAttribute(
        lambda o: {"given_names": {"current": o.person.given_names, "proposed": "Anders"}})
    status = "open"


def make_household(
    *, parents: Iterable[Person] = (), children: Iterable[Person] = (),
    carers: Iterable[Person] = (), housemates: Iterable[Person] = (), brp: bool = True,
) -> Household:
    """A household written straight to the database (no action, no log). With `brp` (the
    default) the BRP facts agree: the parents are every child's parents with custody, the
    carers hold custody too (Kinship rows, as registration stores them). `brp=False` makes
    a household whose relations nobody verified (they grant nothing)."""
    parents, children, carers = list(parents), list(children), list(carers)
    household = HouseholdFactory()
    for relation, people in (("parent", parents), ("child", children), ("carer", carers),
                             ("housemate", housemates)):
        for person in people:
            HouseholdMemberFactory(household=household, person=person, relation=relation,
                                   brp_verified=brp and person.bsn is not None)
    if brp:
        for child in children:
            for parent in parents:
                kinship(child, parent, parent=True, custody=True)
            for carer in carers:
                kinship(child, carer, parent=False, custody=True)
    return household


def kinship(child: Person, relative: Person, *, parent: bool = True,
            custody: bool = True) -> Kinship:
    """A BRP fact: `relative` is a parent of `child` and/or holds custody of them."""
    row, _ = Kinship.objects.update_or_create(
        child=child, relative_bsn=relative.bsn,
        defaults={"is_parent": parent, "has_custody": custody,
                  "custody_type": "GezamenlijkOuderlijkGezag" if custody else ""})
    return row


# --- actors ----------------------------------------------------------------------------


def session_point(**kwargs) -> AccessPoint:
    return AccessPoint(**({"ip": "192.0.2.10", "user_agent": "pytest", "channel": "session"}
                          | kwargs))


def professional_actor(
    professional: Professional, *, emergency_reason: str = "", **point
) -> Actor:
    """The actor a logged-in professional acts as."""
    return Actor(user=professional.user, professional=professional,
                 access_point=session_point(**point), emergency_reason=emergency_reason)


def citizen_actor(person: Person, *, user: User | None = None, **point) -> Actor:
    """The actor a citizen (logged in for their own person) acts as."""
    if user is None:
        user = UserFactory(person=person)
    return Actor(user=user, person=person, access_point=session_point(**point))


def make_actor(roles: list[str], **kwargs) -> Actor:
    """A professional with these roles, as an actor."""
    return professional_actor(ProfessionalFactory(roles=roles, **kwargs))


def ensure_shards() -> None:
    """The access log's chain heads are rows made by a data migration; a transactional
    test's flush removes them, so tests that flush put them back."""
    AccessLogShard.objects.bulk_create(
        [AccessLogShard(shard=i) for i in range(64)], ignore_conflicts=True)
