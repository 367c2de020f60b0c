"""Time and satisfaction in the JSON API (issue 13): aggregates only.

- `GET /steering/time`: the share of time on help per team or neighbourhood of the own
  municipality over the last twelve whole months (the analyst and the coordinator of the
  municipality itself); no group below the threshold. `?mine=1`: the caller's own answers
  instead (a professional or coordinator; nobody else's, ever).
- `POST /steering/time`: the caller's hours of the ISO week just ended (once a week).
- `GET /steering/survey`: the job-satisfaction scores per team or neighbourhood and year
  of the closed surveys (the analyst and coordinator). Answering the survey is a page only.
Bad input is a 422 naming the field; a second answer a 409 (`already_answered`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from ninja import Field, Router, Schema, Status
from ninja.params.functions import Query
from pydantic import StrictInt

from jeugdketen.access.policy import Data
from jeugdketen.access.requests import ActorRequest
from jeugdketen.steering import time_actions

router = Router(tags=["steering"])

BY: Any = Query("team", description="`team` (the municipality's organisations) or "
                                    "`neighbourhood`")


class TimeShareOut(Schema):
    group: str = Field(description="the team's organisation id or the BU code; \"\" for the "
                                   "municipality")
    label: str
    value: float | None = Field(description="hours on help / (help + accountability), 0..1; "
                                            "null when suppressed")
    help_hours: float | None = Field(description="hours on help per respondent per week")
    accountability_hours: float | None
    respondents: float | None = Field(description="mean respondents of a counted week")
    weeks: int | None = Field(description="weeks counted (each at or above the threshold)")
    suppressed: bool


class OwnAnswerOut(Schema):
    week: str = Field(description="ISO week, e.g. 2026-W48")
    help_hours: int
    accountability_hours: int


class TimeOut(Schema):
    municipality: str
    by: str
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    threshold: int
    refreshed_at: str | None
    groups: list[TimeShareOut]


class MineOut(Schema):
    answers: list[OwnAnswerOut]


class TimeIn(Schema):
    # Strict: JSON true is not 1 hour (pydantic's lax int takes a bool).
    help_hours: StrictInt = Field(description="hours of last week on families: contact, "
                                              "travel, coordination about a family (0..80)")
    accountability_hours: StrictInt = Field(description="hours on registration, reports, "
                                                        "invoicing and other accountability "
                                                        "(0..80; the two together at most 80)")


class SatisfactionOut(Schema):
    group: str
    label: str
    year: int
    respondents: int | None
    variety: float | None = Field(description="scale mean, 1..5")
    autonomy: float | None
    support: float | None
    overall: float | None = Field(description="0..10")
    suppressed: bool


class SurveyOut(Schema):
    municipality: str
    by: str
    threshold: int
    version: str
    refreshed_at: str | None
    groups: list[SatisfactionOut]


def _head(found: time_actions.Figures, by: str) -> dict[str, Any]:
    return {"municipality": found.municipality, "by": by, "threshold": found.threshold,
            "from": found.start, "to": found.end,
            "refreshed_at": found.refreshed_at.isoformat() if found.refreshed_at else None}


@router.get("/steering/time", response={200: TimeOut | MineOut}, by_alias=True)
def steering_time(request: ActorRequest, by: Literal["team", "neighbourhood"] = BY,
                  mine: bool = Query(False, description="the caller's own answers")
                  ) -> dict[str, Any]:
    """The share of time on help per group (aggregates only), or `mine=1` the own answers."""
    if mine:
        return {"answers": [{"week": time_actions.week_label(a.week),
                             "help_hours": a.help_hours,
                             "accountability_hours": a.accountability_hours}
                            for a in time_actions.own_time_answers(request.actor)]}
    found = time_actions.figures(request.actor, Data.TIME_ANSWER, by=by)
    return {**_head(found, by), "groups": [f.as_dict() for f in found.time]}


@router.post("/steering/time", response={201: OwnAnswerOut})
def steering_time_answer(request: ActorRequest, payload: TimeIn) -> Status[dict[str, Any]]:
    """Answer the question about the ISO week just ended (once)."""
    answer = time_actions.answer_time(request.actor, help_hours=payload.help_hours,
                                      accountability_hours=payload.accountability_hours)
    return Status(201, {"week": time_actions.week_label(answer.week),
                        "help_hours": answer.help_hours,
                        "accountability_hours": answer.accountability_hours})


@router.get("/steering/survey", response=SurveyOut, by_alias=True)
def steering_survey(request: ActorRequest, by: Literal["team", "neighbourhood"] = BY
                    ) -> dict[str, Any]:
    """Job satisfaction per group and year of the closed surveys (aggregates only)."""
    from jeugdketen.steering import survey

    found = time_actions.figures(request.actor, Data.SURVEY, by=by)
    head = _head(found, by)
    head.pop("from")
    head.pop("to")
    return {**head, "version": survey.VERSION,
            "groups": [f.as_dict() for f in found.survey]}
