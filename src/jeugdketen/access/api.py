"""Access-log, consent, legal-basis and activation-code endpoints of the JSON API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from ninja import Field, Router, Schema, Status

from jeugdketen.access import actions
from jeugdketen.access.requests import ActorRequest

router = Router(tags=["access log"])


class AccessLogRecordOut(Schema):
    id: int
    at: datetime
    user: str
    on_behalf_of: str
    role: str
    organisation: str
    channel: str
    ip: str
    action: str
    data: str
    object_id: str
    ground: str
    emergency: bool
    outcome: str


@router.get("/persons/{person_id}/access-log", response=list[AccessLogRecordOut])
def access_log(request: ActorRequest, person_id: str, start: date | None = None,
               end: date | None = None) -> list[dict[str, Any]]:
    """The NEN 7513 records about one person (privacy officer). Reading them is logged."""
    actor = request.actor
    records = actions.read_access_log(actor, person_id, start=start, end=end)
    return [
        {"id": r.pk, "at": r.at, "user": r.username, "on_behalf_of": r.on_behalf_of,
         "role": r.role, "organisation": r.organisation_name, "channel": r.channel,
         "ip": r.ip, "action": r.action, "data": r.data, "object_id": r.object_id,
         "ground": r.ground, "emergency": r.emergency, "outcome": r.outcome}
        for r in records
    ]



Category = Literal["base_data", "analysis", "plan", "evaluations", "intake"]


class ConsentIn(Schema):
    person_id: UUID
    plan_id: UUID | None = Field(None, description=(
        "The family plan the consent is given for; none (only) for the front door's consent "
        "`[\"intake\"]` (else 422 naming `plan_id`)."))
    given_by_person_ids: list[UUID] = Field(min_length=1, max_length=20)
    organisation_id: int
    categories: list[Category] = Field(min_length=1, max_length=5, description=(
        "`intake` alone and without a plan: an organisation invited to an intake reads the "
        "care reports about the person."))
    valid_from: date | None = None
    valid_until: date | None = None


class ConsentOut(Schema):
    id: int
    person_id: UUID
    plan_id: UUID | None
    given_by_person_ids: list[UUID]
    organisation_id: int
    categories: list[str]
    valid_from: date
    valid_until: date | None
    withdrawn_at: datetime | None


def consent_out(consent: Any) -> dict[str, Any]:
    return {"id": consent.pk, "person_id": consent.person_id, "plan_id": consent.plan_id,
            "given_by_person_ids": [p.pk for p in consent.given_by.all()],
            "organisation_id": consent.organisation_id, "categories": consent.categories,
            "valid_from": consent.valid_from, "valid_until": consent.valid_until,
            "withdrawn_at": consent.withdrawn_at}


@router.post("/consents", response={201: ConsentOut}, tags=["consent"])
def give_consent(request: ActorRequest, payload: ConsentIn) -> Status[dict[str, Any]]:
    """Record consent, for one family plan, for one organisation and named categories: by
    the plan's coordinator on the family's word, or by the family itself; or the front
    door's consent (`categories` `["intake"]`, no `plan_id`): by the family itself, or by
    the front door of an open care report about the person. Given by the
    person from 16, by a custody holder (BRP) under 12, by both from 12 to 15 (else 422
    naming `given_by_person_ids`). Valid from today (or `valid_from`) until `valid_until` or
    until withdrawn."""
    consent = actions.give_consent(
        request.actor, payload.person_id, plan_id=payload.plan_id,
        given_by=payload.given_by_person_ids,
        organisation_id=payload.organisation_id, categories=payload.categories,
        valid_from=payload.valid_from, valid_until=payload.valid_until)
    return Status(201, consent_out(consent))


@router.post("/consents/{consent_id}/withdraw", response=ConsentOut, tags=["consent"])
def withdraw_consent(request: ActorRequest, consent_id: int) -> dict[str, Any]:
    """Withdraw consent: the family, or the coordinator of the plan it was given for. It
    takes effect at once: the organisation's next request is denied and logged as denied."""
    return consent_out(actions.withdraw_consent(request.actor, consent_id))


class LegalBasisIn(Schema):
    person_id: UUID
    organisation_id: int
    kind: Literal["child_protection", "youth_probation", "veilig_thuis", "court_order"]
    reference: str = Field(min_length=1, max_length=100)
    valid_from: date | None = None
    valid_until: date


class LegalBasisOut(Schema):
    id: int
    person_id: UUID
    organisation_id: int
    kind: str
    reference: str
    valid_from: date
    valid_until: date


@router.post("/legal-bases", response={201: LegalBasisOut}, tags=["consent"])
def record_legal_basis(request: ActorRequest, payload: LegalBasisIn) -> Status[dict[str, Any]]:
    """A legal basis (a child-protection measure, youth probation, Veilig Thuis' statutory
    task, a court order) that stands in for consent for every category until its end date.
    Recorded only by a professional of the organisation that holds it; shown to the family."""
    basis = actions.record_legal_basis(
        request.actor, payload.person_id, organisation_id=payload.organisation_id,
        kind=payload.kind, reference=payload.reference, valid_from=payload.valid_from,
        valid_until=payload.valid_until)
    return Status(201, {"id": basis.pk, "person_id": basis.person_id,
                        "organisation_id": basis.organisation_id, "kind": basis.kind,
                        "reference": basis.reference, "valid_from": basis.valid_from,
                        "valid_until": basis.valid_until})


class ActivationCodeOut(Schema):
    professional_id: int
    username: str
    activation_code: str = Field(description="16 characters, shown once; stored only hashed")
    expires_at: datetime


@router.post("/professionals/{professional_id}/activation-code",
             response={201: ActivationCodeOut}, tags=["registry"])
def issue_activation_code(request: ActorRequest, professional_id: int,
                          response: HttpResponse) -> Status[dict[str, Any]]:
    """A one-time activation code with which the professional links an authenticator app
    at the first login, or after losing their phone (the old app stops working when the
    new one is linked). It revokes the professional's previous open code, is valid for
    `JEUGDKETEN_ACTIVATION_CODE_DAYS` days and is shown only in this answer. Platform
    administrators for anyone; functional administrators for professionals of their own
    municipality without privileged roles. An unknown id answers 403, like a professional
    you may not manage. 422 `account_inactive` for a deactivated account."""
    raw, code = actions.issue_activation_code_for_professional(
        request.actor, professional_id)
    add_never_cache_headers(response)
    return Status(201, {"professional_id": professional_id, "username": code.user.username,
                        "activation_code": raw, "expires_at": code.expires_at})
