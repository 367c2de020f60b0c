"""Reference-index endpoints of the JSON API. No endpoint tells anyone which signals
exist on a youth, except through the caller's own signal's match."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from jeugdketen.referral_index import actions
from jeugdketen.referral_index.models import Match, Signal
from jeugdketen.rules import Refusal

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


def signal_out(signal: Signal, match_id: int | None = None) -> dict:
    return {"id": signal.pk, "person_id": signal.person_id, "status": signal.status,
            "registered_on": signal.registered_on, "expires_on": signal.expires_on,
            "duration_days": signal.duration_days, "contact_phone": signal.contact_phone,
            "contact_email": signal.contact_email, "match_id": match_id}


@router.post("/signals", response={201: SignalOut})
def register_signal(request: HttpRequest, payload: SignalIn) -> Status[dict]:
    """Register a signal: ONLY the youth, your organisation, you as contact, the date and the
    duration (1-730 days, default 730). A second active signal of your organisation on the
    same youth is refused (409, rule `active_signal_exists`) with the existing one in
    `existing`; extend it with POST /signals/{id}/extend."""
    result = actions.register_signal(
        request.actor, payload.person_id, duration_days=payload.duration_days,  # type: ignore[attr-defined]
        contact_phone=payload.contact_phone or "", contact_email=payload.contact_email or "")
    match_id = result.matches[0].pk if result.matches else None
    if not result.created:
        # A colleague of the same organisation is not involved in the match: no match id.
        prof = request.actor.professional  # type: ignore[attr-defined]
        if result.signal.contact_id != (prof.pk if prof else None):
            match_id = None
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
def withdraw_signal(request: HttpRequest, signal_id: int, payload: WithdrawIn) -> dict:
    signal = actions.withdraw_signal(request.actor, signal_id, reason=payload.reason)  # type: ignore[attr-defined]
    return {"id": signal.pk, "status": "withdrawn", "reason": signal.end_reason}


class ExtendIn(Schema):
    duration_days: int = Field(ge=1, le=730)


@router.post("/signals/{signal_id}/extend", response=SignalOut)
def extend_signal(request: HttpRequest, signal_id: int, payload: ExtendIn) -> dict:
    signal = actions.extend_signal(request.actor, signal_id, duration_days=payload.duration_days)  # type: ignore[attr-defined]
    return signal_out(signal)


@router.get("/signals", response=list[SignalOut])
def own_signals(request: HttpRequest) -> list[dict]:
    """Only the caller's own organisation's active signals."""
    return [signal_out(s) for s in actions.own_signals(request.actor)]  # type: ignore[attr-defined]


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


class MatchOut(Schema):
    id: int
    kind: Literal["client", "family", "address"]
    created_at: datetime
    signals: list[MatchSignalOut]
    coordinator: CoordinatorOut | None
    proposed_coordinator: CoordinatorOut | None
    coordinator_due: date
    signals_aligned: bool | None
    status: str


def _person_out(prof: object | None) -> dict | None:
    if prof is None:
        return None
    return {"professional_id": prof.pk, "name": prof.full_name,  # type: ignore[attr-defined]
            "organisation": prof.organisation.name}  # type: ignore[attr-defined]


def match_out(match: Match) -> dict:
    return {
        "id": match.pk, "kind": match.kind, "created_at": match.created_at,
        "signals": [{"organisation": s.contact.organisation.name, "contact_name": s.contact.full_name,
                     "contact_phone": s.contact_phone, "contact_email": s.contact_email,
                     "registered_on": s.registered_on} for s in actions.match_contacts(match)],
        "coordinator": _person_out(match.coordinator),
        "proposed_coordinator": _person_out(match.proposed_coordinator),
        "coordinator_due": match.coordinator_due, "signals_aligned": match.signals_aligned,
        "status": match.status,
    }


@router.get("/matches", response=list[MatchOut])
def my_matches(request: HttpRequest) -> list[dict]:
    """The matches the caller is involved in: contact data only."""
    return [match_out(m) for m in actions.my_matches(request.actor)]  # type: ignore[attr-defined]


@router.get("/matches/{match_id}", response=MatchOut)
def get_match(request: HttpRequest, match_id: int) -> dict:
    return match_out(actions.read_match(request.actor, match_id))  # type: ignore[attr-defined]


class ProposeIn(Schema):
    professional_id: int


@router.post("/matches/{match_id}/coordinator", response=MatchOut)
def propose_coordinator(request: HttpRequest, match_id: int, payload: ProposeIn) -> dict:
    return match_out(actions.propose_coordinator(request.actor, match_id, payload.professional_id))  # type: ignore[attr-defined]


class AcceptIn(Schema):
    signals_aligned: bool = True


@router.post("/matches/{match_id}/coordinator/accept", response=MatchOut)
def accept_coordinator(request: HttpRequest, match_id: int, payload: AcceptIn | None = None) -> dict:
    aligned = payload.signals_aligned if payload is not None else True
    return match_out(actions.accept_coordinator(request.actor, match_id, signals_aligned=aligned))  # type: ignore[attr-defined]


@router.post("/matches/{match_id}/coordinator/appoint", response=MatchOut)
def appoint_coordinator(request: HttpRequest, match_id: int, payload: ProposeIn) -> dict:
    """The municipality's coordinator appoints one when the involved did not agree in time."""
    return match_out(actions.appoint_coordinator(request.actor, match_id, payload.professional_id))  # type: ignore[attr-defined]


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


def rights_out(q: object) -> dict:
    return {k: getattr(q, k) for k in ("id", "kind", "received_on", "due_on", "answered_on",
                                        "granted", "outcome")}


@router.get("/persons/{person_id}/rights-report")
def rights_report(request: HttpRequest, person_id: str) -> dict:
    """For the privacy officer: purpose, every signal (active and archived), who received
    which data and when, where the data came from, and the rights requests."""
    from jeugdketen.access.policy import Action

    return actions.rights_report(request.actor, person_id, action=Action.EXPORT)  # type: ignore[attr-defined]


@router.post("/persons/{person_id}/rights-requests", response={201: RightsRequestOut})
def record_rights_request(request: HttpRequest, person_id: str, payload: RightsRequestIn) -> Status[dict]:
    q = actions.record_rights_request(request.actor, person_id, kind=payload.kind,  # type: ignore[attr-defined]
                                      requested_by=payload.requested_by, received_on=payload.received_on)
    return Status(201, rights_out(q))


class AnswerIn(Schema):
    granted: bool
    outcome: str = Field(min_length=1, max_length=5000)
    answered_on: date | None = None


@router.post("/rights-requests/{request_id}/answer", response=RightsRequestOut)
def answer_rights_request(request: HttpRequest, request_id: int, payload: AnswerIn) -> dict:
    q = actions.answer_rights_request(request.actor, request_id, granted=payload.granted,  # type: ignore[attr-defined]
                                      outcome=payload.outcome, answered_on=payload.answered_on)
    return rights_out(q)
