"""Reads of the insight pages that log nothing: a municipality's publication settings, the
areas of a municipality for the scope picker and the municipality an area lies in (the
registry's reference data: no person), and the default period. The figures are read (and
logged) through insight.actions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jeugdketen.access.policy import Action, Actor, Data, Decision, Scope, Target, decide
from jeugdketen.insight.models import FOLLOW_UP_DEFAULT, THRESHOLD_DEFAULT, PublicationSettings
from jeugdketen.registry.models import District, Municipality, Neighbourhood

# CBS codes: a municipality GMnnnn, a district WKnnnnnn, a neighbourhood BUnnnnnnnn.
AREA_CODE = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")
LEVELS = {"GM": "municipality", "WK": "district", "BU": "neighbourhood"}


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str  # municipality, district, neighbourhood
    district: str = ""  # a neighbourhood's district code


def publication_for(municipality_code: str | None) -> tuple[int, int]:
    """The municipality's (threshold, follow-up days); the defaults without its own."""
    found = (PublicationSettings.objects.filter(municipality_id=municipality_code or "")
             .values_list("threshold", "follow_up_days").first())
    if found is None:
        return THRESHOLD_DEFAULT, FOLLOW_UP_DEFAULT
    return int(found[0]), int(found[1])


def actor_municipality(actor: Actor) -> str | None:
    """The municipality of the actor's organisation (None: not a professional)."""
    prof = actor.professional
    return str(prof.organisation.municipality_id) if prof is not None else None


def normalise_area(value: Any) -> str:
    """An area code as typed: trimmed and upper case ('' for none)."""
    return str(value or "").strip().upper()[:20]


def municipality_of_area(code: str) -> str | None:
    """The municipality an area (GM, WK or BU code) lies in; None for an unknown one."""
    if not AREA_CODE.match(code):
        return None
    if code.startswith("GM"):
        return code if Municipality.objects.filter(code=code).exists() else None
    found: Any
    if code.startswith("WK"):
        found = District.objects.filter(code=code).values_list("municipality_id", flat=True)
    else:
        found = Neighbourhood.objects.filter(code=code).values_list(
            "district__municipality_id", flat=True)
    first = found.first()
    return str(first) if first is not None else None


def insight_target(area: str, municipality: str | None) -> Target:
    """The policy's target of the figures of an area (no person): the area as object,
    the municipality it lies in as scope (none for an unknown area)."""
    return Target(Data.INSIGHT, object_id=area[:64], scope=Scope(municipality_id=municipality))


def settings_target(municipality: str | None) -> Target:
    return Target(Data.INSIGHT_SETTINGS, object_id=(municipality or "")[:64],
                  scope=Scope(municipality_id=municipality))


def may_read(actor: Actor) -> Decision:
    """May the actor read the figures of their own municipality (asked, not logged: for the
    menu and for what a page offers)?"""
    own = actor_municipality(actor)
    return decide(actor, Action.READ, insight_target(own or "", own))


def may_change_settings(actor: Actor) -> bool:
    own = actor_municipality(actor)
    return decide(actor, Action.UPDATE, settings_target(own)).allowed


def areas_of(municipality_code: str) -> list[Area]:
    """The municipality, then each district followed by its neighbourhoods (by name)."""
    municipality = Municipality.objects.filter(code=municipality_code).first()
    if municipality is None:
        return []
    out = [Area(municipality.code, municipality.name, "municipality")]
    hoods: dict[str, list[Area]] = {}
    for code, name, district in (Neighbourhood.objects
                                 .filter(district__municipality_id=municipality.code)
                                 .order_by("name", "code")
                                 .values_list("code", "name", "district_id")):
        hoods.setdefault(district, []).append(Area(code, name, "neighbourhood", district))
    for code, name in (District.objects.filter(municipality_id=municipality.code)
                       .order_by("name", "code").values_list("code", "name")):
        out.append(Area(code, name, "district"))
        out.extend(hoods.get(code, []))
    return out


def area_name(code: str) -> str:
    """The name of an area ('' for an unknown one)."""
    model: Any = {"GM": Municipality, "WK": District, "BU": Neighbourhood}.get(code[:2])
    if model is None:
        return ""
    return str(model.objects.filter(pk=code).values_list("name", flat=True).first() or "")
