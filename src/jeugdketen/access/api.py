"""Access-log endpoints of the JSON API."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema

from jeugdketen.access import actions

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
def access_log(request: HttpRequest, person_id: str, start: date | None = None,
               end: date | None = None) -> list[dict]:
    """The NEN 7513 records about one person (privacy officer). Reading them is logged."""
    actor = request.actor  # type: ignore[attr-defined]
    records = actions.read_access_log(actor, person_id, start=start, end=end)
    return [
        {"id": r.pk, "at": r.at, "user": r.username, "on_behalf_of": r.on_behalf_of,
         "role": r.role, "organisation": r.organisation_name, "channel": r.channel,
         "ip": r.ip, "action": r.action, "data": r.data, "object_id": r.object_id,
         "ground": r.ground, "emergency": r.emergency, "outcome": r.outcome}
        for r in records
    ]

