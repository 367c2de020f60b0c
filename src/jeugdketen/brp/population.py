"""Writing synthetic persons in the BRP API's `Persoon` shape, for the stand-in's
populations (the demo, the benchmarks and the tests build theirs with `persoon`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

_PREFIX = re.compile(r"^((?:(?:van|de|den|der|het|te|ter|ten|in|op|el|la|le|d')\s+)+)(.+)$")


def split_family_name(name: str) -> tuple[str, str]:
    """'van den Berg' -> ('van den', 'Berg'); 'Jansen' -> ('', 'Jansen')."""
    match = _PREFIX.match(name.strip())
    return (match.group(1).strip(), match.group(2)) if match else ("", name.strip())


def naam(given_names: str, family_name: str) -> dict[str, str]:
    prefix, surname = split_family_name(family_name)
    out = {"voornamen": given_names, "geslachtsnaam": surname}
    if prefix:
        out["voorvoegsel"] = prefix
    return out


def _datum(day: date) -> dict[str, str]:
    return {"type": "Datum", "datum": day.isoformat()}


def _ref(bsn: str, names: dict[str, tuple[str, str]]) -> dict[str, Any]:
    ref: dict[str, Any] = {"burgerservicenummer": bsn}
    if bsn in names:
        ref["naam"] = naam(*names[bsn])
    return ref


def persoon(
    *, bsn: str, given_names: str, family_name: str, birth_date: date, sex: str = "O",
    postcode: str = "", house_number: int | None = None, house_letter: str = "",
    addition: str = "", street: str = "Voorbeeldstraat", place: str = "Voorbeeldstad",
    parents: Iterable[str] = (), children: Iterable[str] = (),
    custody: Iterable[str] | None = None, custody_type: str = "",
    died: date | None = None, names: dict[str, tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """One `Persoon`. `custody`: the BSNs holding custody of this (minor) person; the type
    follows from their number unless `custody_type` says (e.g. "Voogdij", "GezamenlijkGezag",
    or "TijdelijkGeenGezag" with no holders). `names` gives names for the related BSNs."""
    names = names or {}
    doc: dict[str, Any] = {
        "burgerservicenummer": bsn,
        "naam": naam(given_names, family_name),
        "geboorte": {"datum": _datum(birth_date)},
        "geslacht": {"code": sex, "omschrijving": {"M": "man", "V": "vrouw"}.get(sex, "onbekend")},
    }
    if postcode and house_number:
        adres: dict[str, Any] = {"officieleStraatnaam": street, "korteStraatnaam": street,
                                 "huisnummer": house_number, "postcode": postcode,
                                 "woonplaats": place}
        if house_letter:
            adres["huisletter"] = house_letter
        if addition:
            adres["huisnummertoevoeging"] = addition
        doc["verblijfplaats"] = {"type": "Adres", "verblijfadres": adres}
    parents, children = list(parents), list(children)
    if parents:
        doc["ouders"] = [_ref(b, names) | {"ouderAanduiding": str(i + 1)}
                         for i, b in enumerate(parents)]
    if children:
        doc["kinderen"] = [_ref(b, names) for b in children]
    if custody is not None:
        doc["gezag"] = [gezag(bsn, list(custody), custody_type, names)]
    if died is not None:
        doc["overlijden"] = {"datum": _datum(died)}
    return doc


def gezag(minor: str, holders: list[str], kind: str = "",
          names: dict[str, tuple[str, str]] | None = None) -> dict[str, Any]:
    names = names or {}
    refs = [_ref(b, names) for b in holders]
    kind = kind or {0: "TijdelijkGeenGezag", 1: "EenhoofdigOuderlijkGezag"}.get(
        len(holders), "GezamenlijkOuderlijkGezag")
    relation: dict[str, Any] = {"type": kind, "minderjarige": {"burgerservicenummer": minor}}
    if kind == "GezamenlijkOuderlijkGezag":
        relation["ouders"] = refs
    elif kind == "EenhoofdigOuderlijkGezag":
        relation["ouder"] = refs[0]
    elif kind == "GezamenlijkGezag":
        relation["ouder"] = refs[0]
        relation["derde"] = {"type": "BekendeDerde", **refs[1]} if len(refs) > 1 else {
            "type": "OnbekendeDerde"}
    elif kind == "Voogdij":
        relation["derden"] = [{"type": "BekendeDerde", **r} for r in refs]
    else:
        relation["toelichting"] = "Synthetisch: geen gezag vastgesteld."
    return relation
