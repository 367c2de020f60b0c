"""The only write path of the chain event log. Called by other apps' actions inside
their transaction, so an event exists exactly when the change it describes exists."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core import prepared

FORBIDDEN_ATTRIBUTES = {"bsn", "name", "given_names", "family_name", "birth_date", "postcode"}


TABLE = ChainEvent._meta.db_table


def moment(at: datetime | None) -> datetime:
    """When an action happened: now; or, when loading history (the demo, a migration from an
    earlier system; never from a request), a given moment in the past. Actions that accept
    `at` date their records and chain event with it and take its date as "today"; the
    access-log records keep the real time of writing."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        raise ValueError("`at` needs a time zone")
    if at > now:
        raise ValueError("an action cannot happen in the future")
    return at


def emit(
    activity: Activity,
    *,
    person: Any = None,
    household: Any = None,
    organisation_id: int | None = None,
    trajectory_key: str = "",
    neighbourhood_code: str = "",
    attributes: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    columns, values, params = event_row(
        activity, person=person, household=household, organisation_id=organisation_id,
        trajectory_key=trajectory_key, neighbourhood_code=neighbourhood_code,
        attributes=attributes, at=at)
    # Every action emits: one raw INSERT, no ORM query building, with the same text every
    # time, so prepared on PostgreSQL (see docs/performance.md).
    with prepared.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} ({columns}) VALUES ({values})", params)  # noqa: S608


def event_row(
    activity: Activity,
    *,
    person: Any = None,
    household: Any = None,
    organisation_id: int | None = None,
    trajectory_key: str = "",
    neighbourhood_code: str = "",
    attributes: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> tuple[str, str, list[Any]]:
    """emit()'s checks and its INSERT's parts: (columns, value placeholders, parameters),
    for an action that writes its event in a statement of its own (`INSERT INTO TABLE
    (columns) SELECT values FROM ...`): one round trip less. Inside the action's
    transaction only, like emit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("chain events are emitted inside the action's transaction")
    attributes = attributes or {}
    leaked = FORBIDDEN_ATTRIBUTES & set(attributes)
    if leaked:
        raise ValueError(f"chain events carry no personal data: {sorted(leaked)}")
    if person is not None and not neighbourhood_code and person.neighbourhood_id:
        neighbourhood_code = person.neighbourhood_id
    connection = transaction.get_connection()
    json_value = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    return ("at, activity, trajectory_key, person_key, household_key, organisation_id, "
            "neighbourhood_code, attributes",
            f"%s, %s, %s, %s, %s, %s, %s, {json_value}",
            [connection.ops.adapt_datetimefield_value(at or timezone.now()),
             Activity(activity).value, trajectory_key,
             str(person.pseudonym) if person is not None else "",
             str(household.pk) if household is not None else "",
             organisation_id, neighbourhood_code, json.dumps(attributes, sort_keys=True)])


def emit_many(events: list[dict[str, Any]]) -> None:
    """Bulk emit for batch jobs (retention): each dict holds emit()'s keyword arguments."""
    if not events:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("chain events are emitted inside the action's transaction")
    now = timezone.now()
    rows = []
    for e in events:
        attributes = e.get("attributes") or {}
        if FORBIDDEN_ATTRIBUTES & set(attributes):
            raise ValueError("chain events carry no personal data")
        person = e.get("person")
        rows.append(ChainEvent(
            at=e.get("at") or now, activity=Activity(e["activity"]).value,
            trajectory_key=e.get("trajectory_key", ""),
            person_key=str(person.pseudonym) if person is not None else "",
            household_key="", organisation_id=e.get("organisation_id"),
            neighbourhood_code=e.get("neighbourhood_code")
            or ((person.neighbourhood_id or "") if person is not None else ""),
            attributes=attributes))
    ChainEvent.objects.bulk_create(rows, batch_size=2000)
