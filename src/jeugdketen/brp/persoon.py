"""The BRP API's `Persoon` (Haal Centraal "BRP bevragen" v2), read into the few facts the
platform needs: identity, birth, sex, address, death, parents, children and custody.

Pure functions over the JSON the API answers; no I/O. Unknown or partial values are read
as carefully as the API defines them (a birth date may be only a year, an address may be
abroad or unknown); nothing here guesses a value the BRP did not give.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

# The fields the platform asks for: nothing more (data minimisation; the API's `fields`).
FIELDS = (
    "burgerservicenummer", "naam", "geboorte", "geslacht", "overlijden", "verblijfplaats",
    "ouders.burgerservicenummer", "kinderen.burgerservicenummer", "gezag",
)

# Custody (gezag) types of the BRP API; those that name who holds custody.
CUSTODY_TYPES = (
    "GezamenlijkOuderlijkGezag", "EenhoofdigOuderlijkGezag", "GezamenlijkGezag", "Voogdij",
    "TijdelijkGeenGezag", "GezagNietTeBepalen",
)


@dataclass(frozen=True)
class Address:
    """A Dutch address (verblijfplaats of type Adres)."""

    street: str
    house_number: int
    house_letter: str
    addition: str
    postcode: str
    place: str

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.postcode, self.house_number, self.house_letter, self.addition)


@dataclass(frozen=True)
class Custody:
    """One custody relation (gezagsrelatie): who holds custody of which minor."""

    minor_bsn: str
    kind: str
    holder_bsns: tuple[str, ...]


@dataclass(frozen=True)
class BirthDate:
    """A birth date as the BRP knows it: complete, or only the year (and month)."""

    year: int | None
    month: int | None = None
    day: int | None = None

    @property
    def complete(self) -> date | None:
        if self.year and self.month and self.day:
            return date(self.year, self.month, self.day)
        return None

    def as_date(self) -> date | None:
        """The date to store: the known parts, the unknown ones at their first value."""
        if self.year is None:
            return None
        return date(self.year, self.month or 1, self.day or 1)

    def agrees_with(self, day: date) -> bool:
        """Does an entered date agree with what the BRP knows (every known part equal)?"""
        return (self.year == day.year and (self.month is None or self.month == day.month)
                and (self.day is None or self.day == day.day))


@dataclass(frozen=True)
class BrpPerson:
    bsn: str
    given_names: str
    prefix: str  # voorvoegsel: "de", "van den"
    surname: str  # geslachtsnaam
    birth: BirthDate
    sex: str  # M, V or O
    date_of_death: date | None
    address: Address | None
    parent_bsns: tuple[str, ...]
    child_bsns: tuple[str, ...]
    custody: tuple[Custody, ...]

    @property
    def family_name(self) -> str:
        """The family name as written: voorvoegsel and geslachtsnaam ("de Vries")."""
        return f"{self.prefix} {self.surname}".strip()

    def custody_holders(self) -> tuple[Custody | None, tuple[str, ...]]:
        """This person's own custody (as a minor): the relation and who holds it."""
        for relation in self.custody:
            if relation.minor_bsn == self.bsn:
                return relation, relation.holder_bsns
        return None, ()


def _date(value: Any) -> BirthDate:
    """The API's polymorphic date: Datum, JaarMaandDatum, JaarDatum or DatumOnbekend."""
    if not isinstance(value, dict):
        return BirthDate(None)
    kind = value.get("type")
    try:
        if kind == "Datum" and value.get("datum"):
            day = date.fromisoformat(str(value["datum"]))
            return BirthDate(day.year, day.month, day.day)
        if kind == "JaarMaandDatum":
            return BirthDate(int(value["jaar"]), int(value["maand"]))
        if kind == "JaarDatum":
            return BirthDate(int(value["jaar"]))
    except (KeyError, TypeError, ValueError):
        pass
    return BirthDate(None)


def _bsn(value: Any) -> str:
    bsn = value.get("burgerservicenummer") if isinstance(value, dict) else None
    return bsn if isinstance(bsn, str) and len(bsn) == 9 and bsn.isdigit() else ""


def _address(verblijfplaats: Any) -> Address | None:
    if not isinstance(verblijfplaats, dict) or verblijfplaats.get("type") != "Adres":
        return None  # abroad, unknown, or a location without an address
    adres = verblijfplaats.get("verblijfadres") or {}
    number = adres.get("huisnummer")
    if not isinstance(number, int) or isinstance(number, bool):
        return None
    postcode = str(adres.get("postcode") or "").replace(" ", "").upper()
    return Address(
        street=str(adres.get("officieleStraatnaam") or adres.get("korteStraatnaam") or ""),
        house_number=number,
        house_letter=str(adres.get("huisletter") or "").upper(),
        addition=str(adres.get("huisnummertoevoeging") or ""),
        postcode=postcode,
        place=str(adres.get("woonplaats") or ""),
    )


def _custody(relation: Any) -> Custody | None:
    if not isinstance(relation, dict) or relation.get("type") not in CUSTODY_TYPES:
        return None
    minor = _bsn(relation.get("minderjarige"))
    if not minor:
        return None
    holders: list[Any] = []
    holders.extend(relation.get("ouders") or [])
    holders.extend(relation.get("derden") or [])
    holders.extend(r for r in (relation.get("ouder"), relation.get("derde")) if r)
    bsns = tuple(dict.fromkeys(b for b in (_bsn(h) for h in holders) if b))
    return Custody(minor, str(relation["type"]), bsns)


def parse(persoon: dict[str, Any]) -> BrpPerson:
    """A `Persoon` as the BRP API answers it."""
    naam = persoon.get("naam") or {}
    geslacht = (persoon.get("geslacht") or {}).get("code") or "O"
    death = _date((persoon.get("overlijden") or {}).get("datum"))
    custody = tuple(c for c in (_custody(r) for r in persoon.get("gezag") or []) if c)
    return BrpPerson(
        bsn=_bsn(persoon),
        given_names=str(naam.get("voornamen") or ""),
        prefix=str(naam.get("voorvoegsel") or ""),
        surname=str(naam.get("geslachtsnaam") or ""),
        birth=_date((persoon.get("geboorte") or {}).get("datum")),
        sex=geslacht if geslacht in ("M", "V", "O") else "O",
        date_of_death=death.as_date() if (persoon.get("overlijden") or {}) else None,
        address=_address(persoon.get("verblijfplaats")),
        parent_bsns=tuple(b for b in (_bsn(o) for o in persoon.get("ouders") or []) if b),
        child_bsns=tuple(b for b in (_bsn(k) for k in persoon.get("kinderen") or []) if b),
        custody=custody,
    )
