"""The BRP stand-in for the tests: the suite starts one stand-in process for the session
(tests/conftest.py, `brp_standin`), and tests put the synthetic persons they need into its
population with `in_brp(...)` (the `Persoon` shape, see jeugdketen.brp.population). The
platform then asks the stand-in over HTTP, exactly as it asks the BRP."""

from __future__ import annotations

from datetime import date
from typing import Any

from jeugdketen.brp.population import persoon
from jeugdketen.brp.standin.store import Store

STORE: Store | None = None
# A few synthetic BSNs the factories' cycle reaches last (for tests that need many at once).
SYNTHETIC_FOR_TESTS: tuple[str, ...] = tuple(
    str(n) for n in range(999_999_999, 999_998_000, -1)
    if sum(w * int(d) for w, d in zip((9, 8, 7, 6, 5, 4, 3, 2, -1), str(n), strict=True)) % 11 == 0)


def store() -> Store:
    if STORE is None:
        raise RuntimeError("the BRP stand-in is not running (tests/conftest.py: brp_standin)")
    return STORE


def in_brp(**kw: Any) -> dict[str, Any]:
    """Put one person in the BRP (see jeugdketen.brp.population.persoon for the fields);
    `birth_date` may be a date or an ISO string. Returns the Persoon document."""
    if isinstance(kw.get("birth_date"), str):
        kw["birth_date"] = date.fromisoformat(kw["birth_date"])
    doc = persoon(**kw)
    store().load([doc])
    return doc


def put(*docs: dict[str, Any]) -> None:
    store().load(list(docs))


def forget(*bsns: str) -> None:
    store().forget(bsns)


def person_in_brp(person: Any, **kw: Any) -> dict[str, Any]:
    """Put a registry Person (made by a factory) in the BRP as it is."""
    return in_brp(bsn=person.bsn, given_names=person.given_names,
                  family_name=person.family_name, birth_date=person.birth_date,
                  sex=person.sex, postcode=person.postcode, house_number=person.house_number,
                  house_letter=person.house_letter, addition=person.house_number_addition,
                  **kw)


def known(data: dict[str, Any]) -> dict[str, Any]:
    """Registration input (PersonInput's fields) that the BRP knows exactly so; returns it.
    A youth without a BSN is left out of the BRP, as in life."""
    if data.get("bsn"):
        in_brp(bsn=data["bsn"], given_names=data["given_names"],
               family_name=data["family_name"], birth_date=data["birth_date"],
               sex=data.get("sex", "O"), postcode=(data.get("postcode") or "").replace(" ", "").upper(),
               house_number=data.get("house_number"))
    return data
