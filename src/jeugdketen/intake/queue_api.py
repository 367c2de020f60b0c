"""The front door's queue in the JSON API: GET /api/v1/queue (issue 11). Only the
municipality's front-door team gets it; every listed report is logged as read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from jeugdketen.access.requests import ActorRequest
from jeugdketen.core.errors import Refusal
from jeugdketen.intake import queue as queue_selector

router = Router(tags=["front door"])


class QueueRowOut(Schema):
    id: UUID
    step: Literal["received", "triaged", "intake_planned", "intake_held"]
    urgency: Literal["crisis", "urgent", "regular"]
    neighbourhood: str | None = Field(description="CBS neighbourhood code (none: unknown)")
    received_at: datetime
    days_in_step: int
    days_total: int
    norm_days: int | None = Field(description="the norm of the step, in days")
    norm_working: bool = Field(description="the norm counts working days (else calendar days)")
    overdue: Literal["1x", "3x"] | None = Field(
        description="1x: past the norm; 3x: past three times the norm")
    ahead: int = Field(description="reports before this one in line in its step")
    expected_next_on: date | None = Field(
        description="when the next step is expected: received and intake held: the norm's "
                    "date; triaged: from the queue ahead and the intake capacity (none: "
                    "not within 26 weeks); intake planned: the meeting's date")


@router.get("/queue", response=list[QueueRowOut])
def front_door_queue(
    request: ActorRequest, response: HttpResponse, municipality: str | None = None,
    step: str | None = None, urgency: str | None = None, overdue: str | None = None,
    order: str = "received_at", page: int = 1,
) -> list[dict[str, Any]]:
    """The open reports of a municipality (default: your own organisation's) for its
    front-door team, the oldest first, 50 a page (`page`; the total in `X-Total-Count`).
    Filters: `step` (received, triaged, intake_planned, intake_held), `urgency`,
    `overdue` (`1x`: past the norm, `3x`: past three times the norm, `no`: neither);
    `order` one of received_at, step, urgency, neighbourhood, step_since, step_due_on,
    with "-" for the reverse. No content of a report: codes, dates and counts."""
    actor = request.actor
    code = municipality
    if not code:
        prof = actor.professional
        if prof is None:
            raise Refusal("required", _("Kies de gemeente."), field="municipality")
        code = prof.organisation.municipality_id
    found = queue_selector.queue(actor, code, step=step or None, urgency=urgency or None,
                                 overdue=overdue or None, order=order, page=page)
    response["X-Total-Count"] = str(found.total)
    return [row.as_dict() for row in found.rows]
