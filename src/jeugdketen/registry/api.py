"""Registry endpoints of the JSON API (contract in docs/api.md)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.renderers import JSONRenderer

from jeugdketen.access.requests import ActorRequest
from jeugdketen.registry import actions
from jeugdketen.registry.models import Municipality, Neighbourhood, Person

router = Router(tags=["registry"])

OrganisationKind = Literal[
    "school", "youth_health_care", "neighbourhood_team", "youth_care_provider",
    "mental_health_care", "veilig_thuis", "police", "gp", "municipality",
    "certified_institution",
]
RoleName = Literal[
    "professional", "coordinator", "privacy_officer", "municipal_analyst",
    "functional_admin", "platform_admin",
]


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: OrganisationKind
    municipality_code: str = Field(max_length=20)
    may_signal: bool = False
    may_coordinate: bool = False


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    municipality_code: str
    may_signal: bool
    may_coordinate: bool


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request: ActorRequest, payload: OrganisationIn) -> Status[dict[str, Any]]:
    org = actions.create_organisation(request.actor, **payload.dict())
    return Status(201, {"id": org.pk, "name": org.name, "kind": org.kind,
                 "municipality_code": org.municipality_id, "may_signal": org.may_signal,
                 "may_coordinate": org.may_coordinate})


class ProfessionalIn(Schema):
    organisation_id: int
    username: str = Field(min_length=1, max_length=150)
    full_name: str = Field(min_length=1, max_length=200)
    email: str = Field(max_length=254)
    phone: str = Field("", max_length=20)
    roles: list[RoleName] = Field(min_length=1, max_length=6)


class ProfessionalOut(Schema):
    id: int
    organisation_id: int
    username: str
    full_name: str
    email: str
    phone: str
    roles: list[str]
    api_token: str | None


@router.post("/professionals", response={201: ProfessionalOut})
def create_professional(request: ActorRequest, payload: ProfessionalIn) -> Status[dict[str, Any]]:
    """A professional, made in one action (a refusal leaves no account). A platform
    administrator also gets the account's first API token (`api_token`, shown only here);
    a functional administrator never does (a token for someone else would let them act as
    that professional without a second factor): `api_token` is null, and the professional
    links their login with an activation code (POST /professionals/{id}/activation-code)."""
    actor = request.actor
    token = "platform_admin" in actor.roles
    prof = actions.create_professional(actor, **payload.dict(), with_token=token)
    return Status(201, {"id": prof.pk, "organisation_id": prof.organisation_id,
                 "username": prof.user.username, "full_name": prof.full_name,
                 "email": prof.email, "phone": prof.phone, "roles": prof.roles,
                 "api_token": getattr(prof, "api_token", None)})


class PersonIn(Schema):
    bsn: str | None = Field(None, max_length=20, description="9 digits passing the eleven test; 8 digits get a leading zero. Leave out for youth without a BSN.")
    given_names: str = Field(min_length=1, max_length=200)
    family_name: str = Field(min_length=1, max_length=200)
    birth_date: date
    sex: Literal["M", "V", "O"]
    postcode: str | None = Field(None, max_length=20)
    house_number: int | None = None
    house_letter: str | None = Field(None, max_length=1)
    house_number_addition: str | None = Field(None, max_length=4)


class PersonOut(Schema):
    id: UUID
    bsn: str | None
    system_id: str | None
    given_names: str
    family_name: str
    birth_date: date
    sex: str
    date_of_death: date | None
    postcode: str | None
    house_number: int | None
    house_letter: str | None
    house_number_addition: str | None
    neighbourhood_code: str | None
    neighbourhood_unknown: bool
    brp_verified: bool


@router.post("/persons", response={201: PersonOut})
def register_person(request: ActorRequest, payload: PersonIn) -> HttpResponse:
    """Enter a person once. With a BSN the person is verified in the BRP: BSN, birth date and
    family name must agree (else 422 naming those three fields, revealing no BRP value), and
    the base data answered are the BRP's. The answer is the same in status and shape whether
    or not the chain knew the person; entered data that differ from the BRP become a report
    back to the BRP. 503 when the BRP cannot be reached (nothing is written). Without a BSN
    (youth without one) the entered data are kept and grant nobody any right."""
    result = actions.register_person(
        request.actor,
        actions.PersonInput(
            bsn=payload.bsn or "", given_names=payload.given_names,
            family_name=payload.family_name, birth_date=payload.birth_date, sex=payload.sex,
            postcode=payload.postcode or "", house_number=payload.house_number,
            house_letter=payload.house_letter or "",
            house_number_addition=payload.house_number_addition or "",
        ),
    )
    return person_answer(request, result.person, 201)


def person_out(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk, "bsn": person.bsn, "system_id": person.system_id,
        "given_names": person.given_names, "family_name": person.family_name,
        "birth_date": person.birth_date, "sex": person.sex,
        "date_of_death": person.date_of_death, "postcode": person.postcode or None,
        "house_number": person.house_number, "house_letter": person.house_letter or None,
        "house_number_addition": person.house_number_addition or None,
        "neighbourhood_code": person.neighbourhood_id,
        "neighbourhood_unknown": person.neighbourhood_unknown,
        "brp_verified": person.verified,
    }


def person_answer(request: HttpRequest, person: Person, status: int) -> HttpResponse:
    """A person as the API's JSON answer (PersonOut), rendered without validating it against
    the schema again: person_out builds it from the model's own fields, on the two routes
    every client calls most (tests/registry/test_person_answer.py holds it to PersonOut)."""
    content = _RENDERER.render(request, person_out(person), response_status=status)
    return HttpResponse(content, status=status, content_type=_CONTENT_TYPE)


_RENDERER = JSONRenderer()  # the API's renderer (config/api.py keeps Ninja's)
_CONTENT_TYPE = f"{_RENDERER.media_type}; charset={_RENDERER.charset}"


@router.get("/persons/{person_id}", response=PersonOut)
def get_person(request: ActorRequest, person_id: str) -> HttpResponse:
    """A person's base data. 403 (problem details, no personal data) without a ground.
    Break-the-glass: send a written reason in the `Jeugdketen-Emergency-Reason` header."""
    return person_answer(request, actions.read_person(request.actor, person_id), 200)


class MemberIn(Schema):
    person_id: UUID
    relation: Literal["parent", "carer", "child", "housemate"] | None = Field(
        None, description="Leave out: the BRP says. Given, it must agree with the BRP; for a "
                          "youth without a BSN it is kept as entered (and grants nothing).")


class HouseholdIn(Schema):
    members: list[MemberIn] = Field(min_length=1, max_length=20)


class MemberOut(Schema):
    person_id: UUID
    relation: str


class HouseholdOut(Schema):
    id: UUID
    members: list[MemberOut]


@router.post("/households", response={201: HouseholdOut})
def register_household(request: ActorRequest, payload: HouseholdIn) -> Status[dict[str, Any]]:
    members = [actions.MemberInput(m.person_id, m.relation or "") for m in payload.members]
    household = actions.register_household(request.actor, members)
    return Status(201, {"id": household.pk,
                 "members": [{"person_id": m.person_id, "relation": m.relation}
                             for m in household.members.all()]})


class NeighbourhoodOut(Schema):
    code: str
    name: str


class MunicipalityOut(Schema):
    code: str
    name: str
    neighbourhoods: list[NeighbourhoodOut]


@router.get("/municipalities", response=list[MunicipalityOut])
def municipalities(request: ActorRequest) -> list[dict[str, Any]]:
    result = []
    # The municipalities that exist today (one ended by a herindeling keeps its rows).
    for m in Municipality.objects.prefetch_related("districts__neighbourhoods").filter(ended_on=None):
        hoods = sorted(
            (n for d in m.districts.all() for n in d.neighbourhoods.all()), key=lambda n: n.code)
        result.append({"code": m.code, "name": m.name,
                       "neighbourhoods": [{"code": n.code, "name": n.name} for n in hoods]})
    return result


class MunicipalitySettingsIn(Schema):
    address_match: bool | None = None
    coordinator_days: int | None = Field(None, ge=1, le=60)
    min_signal_days: int | None = Field(None, ge=30, le=730)


class MunicipalitySettingsOut(Schema):
    code: str
    name: str
    address_match: bool
    coordinator_days: int
    min_signal_days: int


@router.patch("/municipalities/{code}", response=MunicipalitySettingsOut)
def configure_municipality(request: ActorRequest, code: str, payload: MunicipalitySettingsIn) -> Any:
    """Administrators: the municipality's reference-index choices (address matches on or
    off; working days to agree on a coordinator, default 10; the shortest duration of a
    signal, default 90 days)."""
    m = actions.configure_municipality(request.actor, code, **payload.dict(exclude_unset=True))
    return {"code": m.code, "name": m.name, "address_match": m.address_match,
            "coordinator_days": m.coordinator_days, "min_signal_days": m.min_signal_days}


@router.get("/neighbourhoods/{code}", response=NeighbourhoodOut, auth=None)
def neighbourhood(request: HttpRequest, code: str) -> Any:
    """Public CBS reference data: one neighbourhood by code. No login needed (it holds no
    personal data); also the baseline endpoint of the benchmarks."""
    from ninja.errors import HttpError

    row = Neighbourhood.objects.filter(code=code).values("code", "name").first()
    if row is None:
        raise HttpError(404, "Unknown neighbourhood code")
    return row
