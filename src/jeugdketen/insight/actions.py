"""The insight app's write path and logged reads (issue 12).

- `read_insight`: the figures of an area over a period are asked for. The policy decides
  (the municipality's analyst, coordinator and front door, for their own areas) and the
  read is logged with the area as its object (no person is ever in a figure). An area of
  another municipality answers as an unknown one would (404), and is logged as denied.
- `check_reader`: a page of the figures is opened at all (logged when denied).
- `read_publication` / `set_publication`: the municipality's publication settings
  (threshold, follow-up period), the municipal analyst's. A change emits
  `insight.settings_changed` in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, decide
from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import FieldError, Refusal
from jeugdketen.insight import selectors, store, suppression
from jeugdketen.insight.models import (
    FOLLOW_UP_CHOICES,
    FOLLOW_UP_MAX,
    FOLLOW_UP_MIN,
    THRESHOLD_MAX,
    THRESHOLD_MIN,
    PublicationSettings,
)
from jeugdketen.insight.scope import Scope
from jeugdketen.registry.models import Municipality

# A period is twelve whole months that have ended (decision 0011, "Safe to publish"):
# figures over freely chosen periods could be subtracted from each other (1 January to
# 30 June from 1 January to 1 July) to reveal one family; windows of one fixed length that
# start on the first of a month leave only differences of whole months a year apart, and
# a window never reaches back before the first month with data (where a window would hold
# only its last few months) nor into the month that is still running.
PERIOD_MONTHS = 12
FIRST_END = date(1900, 12, 31)  # no period ends earlier (the calendar's edge stays far away)


def month_end(day: date) -> date:
    """The last day of `day`'s month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def window_start(last: date) -> date:
    """The first day of the twelve-month window that ends on `last` (a month's last day)."""
    first = last.replace(day=1)
    for _month in range(PERIOD_MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def latest_end(today: date) -> date:
    """The last day of the last month that has ended."""
    return today.replace(day=1) - timedelta(days=1)


def earliest_end(first_data: date | None) -> date | None:
    """The end of the first window that lies wholly in months with data (None: no data)."""
    if first_data is None:
        return None
    first = first_data.replace(day=1)
    for _month in range(PERIOD_MONTHS - 1):
        first = month_end(first) + timedelta(days=1)
    return month_end(first)


def period_ends(today: date, first_data: date | None) -> list[date]:
    """The last day of every period one may ask for, the latest first (without data: the
    latest only)."""
    last, earliest = latest_end(today), earliest_end(first_data)
    if earliest is None:
        return [last]
    ends = []
    while last >= earliest:
        ends.append(last)
        last = last.replace(day=1) - timedelta(days=1)
    return ends


@dataclass(frozen=True)
class Reading:
    """What a page or the API reads the figures for: the scope (area, period, today,
    follow-up), the threshold below which no count is shown, and the area's name."""

    scope: Scope
    threshold: int
    municipality: str
    area_name: str

    @property
    def last_day(self) -> date:
        return self.scope.end - timedelta(days=1)


def _day(value: Any, field_name: str, errors: list[FieldError]) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    errors.append(FieldError(field_name, "date", _("Vul een datum in.")))
    return None


def _period(start: Any, end: Any, today: date, first_data: date | None
            ) -> tuple[date, date]:
    """The period asked for, first and last day: twelve whole months that have ended, not
    before the first month with data (a refusal names each field it breaks). `end` None:
    the last twelve months that have ended; `start` None: the twelve months up to `end`."""
    errors: list[FieldError] = []
    last = latest_end(today) if end in (None, "") else _day(end, "to", errors)
    first = None if start in (None, "") else _day(start, "from", errors)
    if last is not None and not errors:
        earliest = earliest_end(first_data)
        if last > latest_end(today):
            errors.append(FieldError("to", "month_ended", _(
                "Kies een maand die voorbij is: de laatste is %(day)s.") % {
                    "day": latest_end(today).isoformat()}))
        elif last < FIRST_END:
            errors.append(FieldError("to", "before_data", _(
                "Kies een periode die eindigt na %(day)s.") % {"day": FIRST_END.isoformat()}))
        elif last != month_end(last):
            errors.append(FieldError("to", "month_end", _(
                "Een periode eindigt op de laatste dag van een maand.")))
        elif earliest is not None and first_data is not None and last < earliest:
            errors.append(FieldError("to", "before_data", _(
                "Er zijn cijfers vanaf %(month)s: de eerste periode van twaalf maanden loopt "
                "tot en met %(day)s.") % {"month": first_data.strftime("%Y-%m"),
                                          "day": earliest.isoformat()}))
        elif first is not None and first != window_start(last):
            errors.append(FieldError("from", "twelve_months", _(
                "Een periode is twaalf hele maanden: laat de begindatum leeg of kies "
                "%(day)s.") % {"day": window_start(last).isoformat()}))
    if errors:
        raise Refusal.invalid(errors)
    assert last is not None
    return window_start(last), last


@audit.write_path
def check_reader(actor: Actor) -> str:
    """The actor may read the figures of their own municipality (which is returned);
    AccessDenied (logged) otherwise."""
    own = selectors.actor_municipality(actor)
    decision = selectors.may_read(actor)
    if not decision.allowed:
        raise audit.AccessDenied(actor, Action.READ,
                                 selectors.insight_target(own or "", own), decision)
    assert own is not None
    return own


@audit.write_path
def read_insight(actor: Actor, area: Any = None, *, start: Any = None, end: Any = None,
                 today: date | None = None) -> Reading:
    """Read the figures of `area` (a GM, WK or BU code; default: the actor's municipality)
    over twelve whole months that have ended: up to `end` (a month's last day; default the
    last month that has ended), from `start` (default, and the only allowed value, twelve
    months before). Logged: the area is the object. Denied
    (403) without a ground for the own municipality's figures; an area that is unknown or
    of another municipality is refused as unknown (404, field `area`, logged as denied);
    bad input is refused naming the field (`area`, `from`, `to`)."""
    own = check_reader(actor)
    code = selectors.normalise_area(area) or own
    if not selectors.AREA_CODE.match(code):
        raise Refusal.invalid([FieldError("area", "area_code", _(
            "Kies een gemeente, wijk of buurt (een CBS-code als GM0363, WK036300 of "
            "BU03630000)."))])
    target = selectors.insight_target(code, selectors.municipality_of_area(code))
    decision = decide(actor, Action.READ, target)
    audit.append([audit.entry(actor, Action.READ, target, decision)])
    if not decision.allowed:
        raise Refusal("unknown_area", _("Dit gebied is niet bekend."), status=404,
                      field="area")
    today = today or timezone.localdate()
    first, last = _period(start, end, today, store.first_day())
    municipality = target.scope.municipality_id if target.scope is not None else None
    assert municipality is not None
    threshold, follow_up = selectors.publication_for(municipality)
    # Seen at the end of the last month that has ended, not today: the same window asked
    # on two days gives the same figures, so they cannot be subtracted to learn what
    # happened in between (a family's return, a report); they move when a month ends.
    scope = Scope(area=code, start=first, end=last + timedelta(days=1),
                  today=latest_end(today), follow_up_days=follow_up)
    return Reading(scope=scope, threshold=threshold, municipality=municipality,
                   area_name=selectors.area_name(code))


# --- the publication settings ----------------------------------------------------------


def _number(value: Any, field_name: str, low: int, high: int,
            errors: list[FieldError]) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(FieldError(field_name, "integer", _("Vul een heel getal in.")))
        return 0
    if not low <= value <= high:
        errors.append(FieldError(field_name, "range", _(
            "Vul een getal van %(low)s tot en met %(high)s in.") % {"low": low, "high": high}))
    return int(value)


@audit.write_path
def read_publication(actor: Actor, municipality_code: Any) -> PublicationSettings:
    """The municipality's publication settings (the defaults, unsaved, without its own),
    for the municipal analyst."""
    municipality = audit.get_or_deny(actor, Action.READ, Data.INSIGHT_SETTINGS,
                                     Municipality.objects.all(), municipality_code,
                                     "municipality")
    audit.authorize(actor, Action.READ, selectors.settings_target(municipality.pk))
    found = PublicationSettings.objects.filter(municipality=municipality).first()
    return found or PublicationSettings(municipality=municipality)


@audit.write_path
def set_publication(actor: Actor, municipality_code: Any, *, threshold: Any,
                    follow_up_days: Any, at: datetime | None = None) -> PublicationSettings:
    """The municipality's threshold (no count below it is shown: 10 to 100, a multiple of
    10) and follow-up
    period of help that helps (90, 182, 365 or 730 days). The municipal analyst of the municipality
    itself. Emits `insight.settings_changed` when a value changed."""
    municipality = audit.get_or_deny(actor, Action.UPDATE, Data.INSIGHT_SETTINGS,
                                     Municipality.objects.all(), municipality_code,
                                     "municipality")
    audit.authorize(actor, Action.UPDATE, selectors.settings_target(municipality.pk))
    errors: list[FieldError] = []
    threshold = _number(threshold, "threshold", THRESHOLD_MIN, THRESHOLD_MAX, errors)
    if not errors and threshold % suppression.ROUNDING_STEP:
        # Counts are rounded to multiples of 10 at every threshold; a threshold between
        # them would tell where a count lies inside its ten: the first threshold that hides
        # a count of 23 is 24 (docs/insight.md, "Rounded period counts").
        errors.append(FieldError("threshold", "multiple", _(
            "Vul een veelvoud van %(step)s in.") % {"step": suppression.ROUNDING_STEP}))
    follow_up_days = _number(follow_up_days, "follow_up_days", FOLLOW_UP_MIN, FOLLOW_UP_MAX,
                             errors)
    if FOLLOW_UP_MIN <= follow_up_days <= FOLLOW_UP_MAX \
            and follow_up_days not in FOLLOW_UP_CHOICES:
        # A period of any day let a sweep day by day find where a rounded count moves by
        # one return, which pins it (docs/insight.md, "Rounded period counts").
        errors.append(FieldError("follow_up_days", "choice", _(
            "Kies 90, 182, 365 of 730 dagen.")))
    if errors:
        raise Refusal.invalid(errors)
    row, created = PublicationSettings.objects.select_for_update().get_or_create(
        municipality=municipality)
    wanted = {"threshold": threshold, "follow_up_days": follow_up_days}
    changed = sorted(name for name, value in wanted.items() if getattr(row, name) != value)
    if changed or created:
        row.threshold, row.follow_up_days = threshold, follow_up_days
        row.changed_at = at or timezone.now()
        row.save()
    if changed:
        emit(Activity.INSIGHT_SETTINGS_CHANGED, organisation_id=(
            actor.professional.organisation_id if actor.professional is not None else None),
            attributes={"municipality": municipality.pk, "threshold": threshold,
                        "follow_up_days": follow_up_days, "fields": changed}, at=at)
    return row
