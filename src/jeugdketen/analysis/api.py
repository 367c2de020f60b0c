"""The integral analysis in the JSON API (a part of a family plan: POST
/plans/{plan_id}/analyses). The call goes through analysis.actions, which asks the access
policy and logs."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Router, Schema, Status

from jeugdketen.access.requests import ActorRequest
from jeugdketen.analysis import actions as analysis_actions
from jeugdketen.plans.api import Created

router = Router(tags=["family plans"])


class DomainScoreIn(Schema):
    person_id: UUID
    domain: str = Field(max_length=30)
    professional_score: int | None = Field(None, ge=1, le=5)
    family_score: int | None = Field(None, ge=1, le=5)
    strengths: str = Field("", max_length=2000)
    concerns: str = Field("", max_length=2000)


class StressIn(Schema):
    person_id: UUID
    level: Literal["positive", "tolerable", "toxic"]
    note: str = Field("", max_length=2000)


class AnalysisIn(Schema):
    made_on: date
    scores: list[DomainScoreIn] = Field(max_length=400)
    stress: list[StressIn] = Field([], max_length=20)


@router.post("/plans/{plan_id}/analyses", response={201: Created})
def record_analysis(request: ActorRequest, plan_id: UUID, payload: AnalysisIn) -> Status[dict[str, Any]]:
    """An integral analysis: per member the life domains that apply (adults the 13 ZRM
    domains, children the child domains) scored 1-5 by the professional and by the family,
    with strengths and concerns; per child the stress judgement."""
    analysis = analysis_actions.record_analysis(
        request.actor, plan_id, made_on=payload.made_on,
        scores=[analysis_actions.ScoreInput(**s.model_dump()) for s in payload.scores],
        stress=[analysis_actions.StressInput(**s.model_dump()) for s in payload.stress])
    return Status(201, {"id": analysis.pk})
