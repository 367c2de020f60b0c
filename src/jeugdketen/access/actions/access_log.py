"""Reading the NEN 7513 access log about a person: reading it is logged too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jeugdketen.access import audit
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.access.policy import Action, Actor, Data, Ground, Target


def _period(qs: QuerySet[AccessLogRecord], start: date | None,
            end: date | None) -> QuerySet[AccessLogRecord]:
    tz = timezone.get_current_timezone()
    # Dates outside the years the platform can hold data for mean "no bound".
    start = start if start and 1900 <= start.year <= 2200 else None
    end = end if end and 1900 <= end.year <= 2200 else None
    if start:
        qs = qs.filter(at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end:
        qs = qs.filter(at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz))
    return qs


@audit.write_path
def read_access_log(
    actor: Actor, person_id: Any, *, start: date | None = None, end: date | None = None,
    limit: int = 500, action: Action = Action.READ,
) -> list[AccessLogRecord]:
    """The NEN 7513 records about one person, newest first. Reading them is logged."""
    from jeugdketen.registry.models import Person

    person = audit.get_or_deny(actor, action, Data.ACCESS_LOG, Person.objects, person_id, "person")
    target = Target(Data.ACCESS_LOG, person=person)
    decision = audit.authorize(actor, action, target)
    qs = _period(AccessLogRecord.objects.filter(client_id=str(person.pk)), start, end)
    if decision.ground in ("self", "parent"):
        # A professional's decision-aid weighing (e.g. the Meldcode on child abuse) is not
        # shown to the family: it could warn a parent who is the risk (AVG art. 23).
        qs = qs.exclude(object_type="guide_session")
    return list(qs.order_by("-at", "-id")[:limit])


ACCESS_LOG_PAGE = 50


@dataclass
class AccessLogPage:
    """One page of a person's access overview, with what its filters can offer."""

    records: list[AccessLogRecord]
    number: int
    pages: int
    total: int
    organisations: list[tuple[int, str]]


@audit.write_path
def access_log_page(
    actor: Actor, person_id: Any, *, start: date | None = None, end: date | None = None,
    organisation_id: int | None = None, hide_family: bool = False, page: int = 1,
    per_page: int = ACCESS_LOG_PAGE,
) -> AccessLogPage:
    """One page (newest first) of the NEN 7513 records about one person, filtered by
    period and organisation, optionally without the family's own views (records by a
    citizen). The organisations offered as filter are those in the person's records.
    Reading it is logged, like read_access_log. Three queries, whatever the page."""
    from jeugdketen.registry.models import Person

    person = audit.get_or_deny(actor, Action.READ, Data.ACCESS_LOG, Person.objects, person_id,
                               "person")
    decision = audit.authorize(actor, Action.READ, Target(Data.ACCESS_LOG, person=person))
    base = AccessLogRecord.objects.filter(client_id=str(person.pk))
    if decision.ground in (Ground.SELF, Ground.PARENT):
        # As in read_access_log: a professional's decision-aid weighing is not shown to the
        # family (AVG art. 23).
        base = base.exclude(object_type="guide_session")
    qs = _period(base, start, end)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if hide_family:
        qs = qs.exclude(role="citizen")
    total = qs.count()
    pages = max(1, -(-total // per_page))
    number = min(max(1, page), pages)
    records = list(qs.order_by("-at", "-id")[(number - 1) * per_page:number * per_page])
    named = (base.exclude(organisation_id__isnull=True).values_list(
        "organisation_id", "organisation_name").distinct())
    organisations = sorted({(pk, name) for pk, name in named if name},
                           key=lambda o: (o[1].lower(), o[0]))
    return AccessLogPage(records, number, pages, total, organisations)
