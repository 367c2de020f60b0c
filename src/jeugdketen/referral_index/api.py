"""Reference-index endpoints of the JSON API. No endpoint tells anyone which signals
exist on a youth, except through the caller's own signal's match."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from jeugdketen.access.requests import ActorRequest
from jeugdketen.core.errors import Refusal
from jeugdketen.referral_index import actions
from jeugdketen.referral_index.models import Match, Signal
from jeugdketen.registry.models import Professional

router = Router(tags=["reference index"])


class SignalIn(Schema):
    person_id: UUID
    duration_days: int | None = Field(None, ge=1, le=730)
    contact_phone: str | None = Field(None, max_length=20)
    contact_email: str | None = Field(None, max_length=254)


class SignalOut(Schema):
    id: int
    person_id: UUID
    status: str
    registered_on: date
    expires_on: date
    duration_days: int
    contact_phone: str
    contact_email: str
    match_id: int | None


def signal_out(signal: Signal, match_id: int | None = None) -> dict[str, Any]:
    return {"id": signal.pk, "person_id": signal.person_id, "status": signal.status,
            "registered_on": signal.registered_on, "expires_on": signal.expires_on,
            "duration_days": signal.duration_days, "contact_phone": signal.contact_phone,
            "contact_email": signal.contact_email, "match_id": match_id}


@router.post("/signals", response={201: SignalOut})
def register_signal(request: ActorRequest, payload: SignalIn) -> Status[dict[str, Any]]:
    """Register a signal: ONLY the youth, your organisation, you as contact, the date and the
    duration (1-730 days, default 730). A second active signal of your organisation on the
    same youth is refused (409, rule `active_signal_exists`) with the existing one in
    `existing`; extend it with POST /signals/{id}/extend."""
    result = actions.register_signal(
        request.actor, payload.person_id, duration_days=payload.duration_days,
        contact_phone=payload.contact_phone or "", contact_email=payload.contact_email or "")
    # The same match id GET /signals gives: none for a colleague of the same organisation,
    # who is not involved in the match.
    match_id = result.match_id(request.actor)
    if not result.created:
        raise Refusal("active_signal_exists", _(
            "Uw organisatie heeft al een actief signaal op deze jongere. U kunt de looptijd "
            "daarvan verlengen."), status=409, field="person_id",
            existing=signal_out(result.signal, match_id))
    return Status(201, signal_out(result.signal, match_id))


class WithdrawIn(Schema):
    reason: Literal["unjustified", "risk_gone"]


class WithdrawOut(Schema):
    id: int
    status: Literal["withdrawn"]
    reason: str


@router.post("/signals/{signal_id}/withdraw", response=WithdrawOut)
def withdraw_signal(request: ActorRequest, signal_id: int, payload: WithdrawIn) -> dict[str, Any]:
    signal = actions.withdraw_signal(request.actor, signal_id, reason=payload.reason)
    return {"id": signal.pk, "status": "withdrawn", "reason": signal.end_reason}


class ExtendIn(Schema):
    duration_days: int = Field(ge=1, le=730)


@router.post("/signals/{signal_id}/extend", response=SignalOut)
def extend_signal(request: ActorRequest, signal_id: int, payload: ExtendIn) -> dict[str, Any]:
    signal = actions.extend_signal(request.actor, signal_id, duration_days=payload.duration_days)
    return signal_out(signal)


@router.get("/signals", response=list[SignalOut])
def own_signals(request: ActorRequest) -> list[dict[str, Any]]:
    """Only the caller's own organisation's active signals; `match_id` as registering the
    signal answered (only on the caller's own signals: a colleague is not in the match)."""
    signals = actions.own_signals(request.actor)
    matches = actions.match_ids(request.actor, signals)
    return [signal_out(s, matches.get(s.pk)) for s in signals]


class MatchSignalOut(Schema):
    organisation: str
    contact_name: str
    contact_phone: str
    contact_email: str
    registered_on: date


class CoordinatorOut(Schema):
    professional_id: int
    name: str
    organisation: str


class YouthOut(Schema):
    person_id: UUID
    name: str
    birth_date: date


class NeighbourhoodOut(Schema):
    code: str
    name: str


class MatchOut(Schema):
    id: int
    kind: Literal["client", "family", "address"]
    created_at: datetime
    youth: YouthOut | None = Field(None, description=(
        "Whom the match is about: only for a professional who already holds the youth's "
        "base data (the involved professional, for the youth of their own signal); null for "
        "anyone else. Reading it is logged as a read of base data."))
    neighbourhood: NeighbourhoodOut | None
    signals: list[MatchSignalOut]
    coordinator: CoordinatorOut | None
    proposed_coordinator: CoordinatorOut | None
    coordinator_due: date
    signals_aligned: bool | None
    status: str


def _person_out(prof: Professional | None) -> dict[str, Any] | None:
    if prof is None:
        return None
    return {"professional_id": prof.pk, "name": prof.full_name,
            "organisation": prof.organisation.name}


def match_out(match: Match, youth: actions.Youth | None = None) -> dict[str, Any]:
    hood = actions.neighbourhood_of(match)
    return {
        "id": match.pk, "kind": match.kind, "created_at": match.created_at,
        "youth": youth and {"person_id": youth.person_id, "name": youth.name,
                            "birth_date": youth.birth_date},
        "neighbourhood": hood and {"code": hood.code, "name": hood.name},
        "signals": [{"organisation": s.contact.organisation.name, "contact_name": s.contact.full_name,
                     "contact_phone": s.contact_phone, "contact_email": s.contact_email,
                     "registered_on": s.registered_on} for s in actions.match_contacts(match)],
        "coordinator": _person_out(match.coordinator),
        "proposed_coordinator": _person_out(match.proposed_coordinator),
        "coordinator_due": match.coordinator_due, "signals_aligned": match.signals_aligned,
        "status": match.status,
    }


def matches_out(request: ActorRequest, matches: list[Match]) -> list[dict[str, Any]]:
    youth = actions.youth_of_matches(request.actor, matches)
    return [match_out(m, youth.get(m.pk)) for m in matches]


def one_match_out(request: ActorRequest, match: Match) -> dict[str, Any]:
    return matches_out(request, [match])[0]


@router.get("/matches", response=list[MatchOut])
def my_matches(request: ActorRequest) -> list[dict[str, Any]]:
    """The matches the caller is involved in (for the municipality's coordinator also the
    overdue ones of their municipality): the other professionals' contact data, and the
    youth only to whoever already holds the youth's base data."""
    return matches_out(request, actions.my_matches(request.actor))


@router.get("/matches/{match_id}", response=MatchOut)
def get_match(request: ActorRequest, match_id: int) -> dict[str, Any]:
    return one_match_out(request, actions.read_match(request.actor, match_id))


class ProposeIn(Schema):
    professional_id: int


@router.post("/matches/{match_id}/coordinator", response=MatchOut)
def propose_coordinator(request: ActorRequest, match_id: int, payload: ProposeIn) -> dict[str, Any]:
    return one_match_out(request, actions.propose_coordinator(request.actor, match_id, payload.professional_id))


class AcceptIn(Schema):
    signals_aligned: bool = True


@router.post("/matches/{match_id}/coordinator/accept", response=MatchOut)
def accept_coordinator(request: ActorRequest, match_id: int, payload: AcceptIn | None = None) -> dict[str, Any]:
    aligned = payload.signals_aligned if payload is not None else True
    return one_match_out(request, actions.accept_coordinator(request.actor, match_id, signals_aligned=aligned))


@router.post("/matches/{match_id}/coordinator/appoint", response=MatchOut)
def appoint_coordinator(request: ActorRequest, match_id: int, payload: ProposeIn) -> dict[str, Any]:
    """The municipality's coordinator appoints one when the involved did not agree in time."""
    return one_match_out(request, actions.appoint_coordinator(request.actor, match_id, payload.professional_id))


class RightsRequestIn(Schema):
    kind: Literal["inspection", "correction", "copy", "objection"]
    requested_by: str = Field(min_length=1, max_length=200)
    received_on: date | None = None


class RightsRequestOut(Schema):
    id: int
    kind: str
    received_on: date
    due_on: date
    answered_on: date | None
    granted: bool | None
    outcome: str


def rights_out(q: object) -> dict[str, Any]:
    return {k: getattr(q, k) for k in ("id", "kind", "received_on", "due_on", "answered_on",
                                        "granted", "outcome")}


@router.get("/persons/{person_id}/rights-report")
def rights_report(request: ActorRequest, person_id: str) -> dict[str, Any]:
    """For the privacy officer: purpose, every signal (active and archived), who received
    which data and when, where the data came from, and the rights requests."""
    from jeugdketen.access.policy import Action

    return actions.rights_report(request.actor, person_id, action=Action.EXPORT)


@router.post("/persons/{person_id}/rights-requests", response={201: RightsRequestOut})
def record_rights_request(request: ActorRequest, person_id: str, payload: RightsRequestIn) -> Status[dict[str, Any]]:
    q = actions.record_rights_request(request.actor, person_id, kind=payload.kind,
                                      requested_by=payload.requested_by, received_on=payload.received_on)
    return Status(201, rights_out(q))


class AnswerIn(Schema):
    granted: bool
    outcome: str = Field(min_length=1, max_length=5000)
    answered_on: date | None = None


@router.post("/rights-requests/{request_id}/answer", response=RightsRequestOut)
def answer_rights_request(request: ActorRequest, request_id: int, payload: AnswerIn) -> dict[str, Any]:
    q = actions.answer_rights_request(request.actor, request_id, granted=payload.granted,
                                      outcome=payload.outcome, answered_on=payload.answered_on)
    return rights_out(q)
