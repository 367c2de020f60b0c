"""Decision-aid endpoints of the JSON API. Texts come in the request's language
(Accept-Language: nl, the default, or en)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from jeugdketen.access.requests import ActorRequest
from jeugdketen.guide import actions, engine, loader

router = Router(tags=["guides"])


class OptionOut(Schema):
    id: str
    text: str
    help: str | None
    risks: list[str]
    tickable: bool


class QuestionOut(Schema):
    id: str
    type: Literal["choices", "yes_no"]
    text: str
    help: str | None
    min_selected: int
    options: list[OptionOut]
    when: dict[str, Any] | None = Field(description="ask only when this condition holds")
    exits: list[dict[str, Any]] = Field(description="after the answer: {when, outcome}")


class RiskOut(Schema):
    code: str
    text: str


class OutcomeOut(Schema):
    id: str
    title: str
    text: str
    next: str


class GuideOut(Schema):
    slug: str
    version: str
    kind: str
    language: str
    title: str
    intro: str
    consult_colleague: str | None
    statutory_risks: list[RiskOut]
    questions: list[QuestionOut]
    result: list[dict[str, Any]]
    outcomes: list[OutcomeOut]


@router.get("/guides", response=list[GuideOut])
def list_guides(request: ActorRequest) -> list[dict[str, Any]]:
    """The decision aids and their structure (questions, options, branching, outcomes).
    No personal data; a valid token is still needed, like every endpoint."""
    language = get_language()
    return [engine.describe(aid, language) for aid in loader.all_in_use()]


class SessionIn(Schema):
    answers: dict[str, Any] = Field(
        max_length=200,
        description='{question id: answer}: "yes"/"no" (or true/false) for a yes_no '
                    "question, a list of option ids for a choices question (left out: "
                    "nothing ticked). Answer only the questions the walk asks.")
    person_id: UUID | None = Field(
        None, description="The youth the aid is about (you must have registered them).")


class AdviceOut(Schema):
    title: str
    text: str
    level: str
    statutory_risks: list[RiskOut]
    consult_colleague: bool
    consult_colleague_text: str | None
    reminders: list[str]
    next: Literal["register_signal", "report_to_veilig_thuis", "organise_help", "record",
                  "none"]


class SessionOut(Schema):
    id: UUID
    slug: str
    version: str
    outcome: str
    person_id: UUID | None
    created_at: datetime
    advice: AdviceOut


@router.post("/guides/{slug}/sessions", response={201: SessionOut})
def complete_session(request: ActorRequest, slug: str, payload: SessionIn) -> Status[dict[str, Any]]:
    """Complete a decision aid: the answers are checked against the aid (422 names each
    question as `answers.<id>` with its rule), stored in your own organisation's record
    and answered with the advice. 404 for an unknown aid."""
    if loader.in_use(slug) is None:
        raise HttpError(404, "Unknown decision aid")
    done = actions.complete_session(
        request.actor,
        slug, payload.answers, payload.person_id)
    session = done.session
    return Status(201, {
        "id": session.pk, "slug": session.slug, "version": session.version,
        "outcome": session.outcome, "person_id": session.person_id,
        "created_at": session.created_at, "advice": done.advice(get_language()),
    })
