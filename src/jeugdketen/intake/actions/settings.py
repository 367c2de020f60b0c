"""The front door's settings (ADR 0010): an organisation's intake slots per week (the queue
computes the expected intake date from them) and a municipality's norms per step (the
due dates of steps that start after the change). Neither is personal data: each change is
in the access log (the policy's `intake_settings`), and no chain event is emitted (the
value stream measures reports, not settings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, IntakeSettingsScope, Target, decide
from jeugdketen.core.errors import FieldError, Refusal
from jeugdketen.intake import norms
from jeugdketen.intake.models import IntakeCapacity, Norm, Step, Urgency
from jeugdketen.registry.models import Municipality, Organisation

# Far beyond any organisation's intakes in a week, and any norm in days (a year).
MAX_SLOTS = 1000
MAX_NORM_DAYS = 365


def _number(value: Any, field_name: str, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refusal("integer", _("Vul een heel getal in."), field=field_name)
    if not 0 <= value <= high:
        raise Refusal("range", _("Vul een getal van 0 tot en met %(high)s in.")
                      % {"high": high}, field=field_name)
    return int(value)


def capacity_target(organisation: Organisation, week_start: Any = "") -> Target:
    return Target(Data.INTAKE_SETTINGS, object_id=f"capacity:{organisation.pk}:{week_start}",
                  intake_settings=IntakeSettingsScope(str(organisation.municipality_id),
                                                      organisation.pk))


def norms_target(municipality_code: str) -> Target:
    return Target(Data.INTAKE_SETTINGS, object_id=f"norms:{municipality_code}",
                  intake_settings=IntakeSettingsScope(municipality_code))


@audit.write_path
def set_capacity(actor: Actor, organisation_id: Any, *, week_start: Any, slots: Any,
                 at: datetime | None = None) -> IntakeCapacity:
    """The organisation's intake slots from the week starting on `week_start` (a Monday,
    this week or later; weeks after it without a row of their own repeat it). The
    organisation's functional administrator or the municipality's front door."""
    organisation = audit.get_or_deny(actor, Action.UPDATE, Data.INTAKE_SETTINGS,
                                     Organisation.objects.all(), organisation_id,
                                     "organisation")
    audit.authorize(actor, Action.UPDATE, capacity_target(organisation, week_start))
    today = timezone.localdate(at) if at is not None else timezone.localdate()
    errors = []
    if not isinstance(week_start, date) or isinstance(week_start, datetime):
        errors.append(FieldError("week_start", "date", _("Vul een datum in.")))
    elif week_start.weekday() != 0:
        errors.append(FieldError("week_start", "monday", _("Een week begint op maandag.")))
    elif week_start < today - timedelta(days=today.weekday()):
        errors.append(FieldError("week_start", "past",
                                 _("Een week die voorbij is, verandert niet meer.")))
    try:
        slots = _number(slots, "slots", MAX_SLOTS)
    except Refusal as refused:
        errors.extend(refused.errors)
    if errors:
        raise Refusal.invalid(errors)
    row, _created = IntakeCapacity.objects.update_or_create(
        organisation=organisation, week_start=week_start, defaults={"slots": slots})
    return row


@audit.write_path
def set_norm(actor: Actor, municipality_code: Any, *, step: Any, urgency: Any = "",
             days: Any, working: Any, at: datetime | None = None) -> Norm:
    """The municipality's norm for a step (`received`: the triage; `triaged`: the intake
    held, counted from the report; `intake_held`: help started), for one urgency or
    (blank) every urgency: `days`, working days or calendar days. It applies to steps
    that start after the change (their due dates are stored when they start). The
    municipality's front door, or a functional administrator of the municipality itself."""
    municipality = audit.get_or_deny(actor, Action.UPDATE, Data.INTAKE_SETTINGS,
                                     Municipality.objects.all(), municipality_code,
                                     "municipality")
    audit.authorize(actor, Action.UPDATE, norms_target(municipality.pk))
    errors = []
    if not isinstance(step, str) or step not in norms.NORM_STEPS:
        errors.append(FieldError("step", "choice", _(
            "Kies de beoordeling, de intake of de start van de hulp.")))
    urgency = urgency or ""
    if not isinstance(urgency, str) or (urgency and urgency not in Urgency.values):
        errors.append(FieldError("urgency", "choice",
                                 _("Kies crisis, spoed, regulier of elke urgentie.")))
    try:
        days = _number(days, "days", MAX_NORM_DAYS)
    except Refusal as refused:
        errors.extend(refused.errors)
    if not isinstance(working, bool):
        errors.append(FieldError("working", "yes_or_no", _("Kies werkdagen of kalenderdagen.")))
    if errors:
        raise Refusal.invalid(errors)
    row, _created = Norm.objects.update_or_create(
        municipality=municipality, step=step, urgency=urgency,
        defaults={"days": days, "working": working})
    return row


@audit.write_path
def clear_norm(actor: Actor, municipality_code: Any, *, step: Any,
               urgency: Any = "") -> int:
    """Back to the default (or the municipality's norm for every urgency): the
    municipality's own norm for the step and urgency is removed. Returns how many rows
    went (0 or 1)."""
    municipality = audit.get_or_deny(actor, Action.UPDATE, Data.INTAKE_SETTINGS,
                                     Municipality.objects.all(), municipality_code,
                                     "municipality")
    audit.authorize(actor, Action.UPDATE, norms_target(municipality.pk))
    deleted, _counts = Norm.objects.filter(
        Q(municipality=municipality) & Q(step=str(step or "")) & Q(urgency=str(urgency or ""))
    ).delete()
    return int(deleted)


# --- the reads of the settings pages (logged: the policy's intake_settings) ----------------


@dataclass(frozen=True)
class CapacityRow:
    organisation: Organisation
    weeks: list[int]  # slots in each week shown (a week without a row: the latest before)
    may_change: bool


@dataclass(frozen=True)
class NormRow:
    step: str
    urgency: str  # "": every urgency
    rule: norms.Rule
    own: bool  # the municipality's own norm (else the default)
    inherited: bool  # the municipality's norm for every urgency applies


@audit.write_path
def capacity_of(actor: Actor, municipality_code: Any, *, weeks: int = 8,
                today: date | None = None) -> tuple[list[date], list[CapacityRow]]:
    """The intake slots of the municipality's active organisations in this week and the
    next ones (the Mondays, and per organisation its slots and whether the actor may
    change them). The municipality's front door and functional administrators."""
    code = str(municipality_code or "")[:10]
    audit.authorize(actor, Action.READ, Target(Data.INTAKE_SETTINGS, object_id=f"capacity:{code}",
                                               intake_settings=IntakeSettingsScope(code)))
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    mondays = [monday + timedelta(weeks=i) for i in range(weeks)]
    organisations = list(Organisation.objects.filter(municipality_id=code, active=True)
                         .select_related("municipality").order_by("name", "id"))
    found: dict[int, list[tuple[date, int]]] = {}
    for org_id, week_start, slots in (IntakeCapacity.objects
                                      .filter(organisation__in=organisations,
                                              week_start__lt=mondays[-1] + timedelta(weeks=1))
                                      .order_by("week_start")
                                      .values_list("organisation_id", "week_start", "slots")):
        found.setdefault(org_id, []).append((week_start, slots))
    rows = []
    for org in organisations:
        history = found.get(org.pk, [])
        shown = []
        for week in mondays:
            current = [slots for start, slots in history if start <= week]
            shown.append(current[-1] if current else 0)
        rows.append(CapacityRow(org, shown, decide(actor, Action.UPDATE,
                                                   capacity_target(org)).allowed))
    return mondays, rows


# The norms a municipality sees and sets: the triage per urgency, the later steps for
# every urgency (a municipality may still set one per urgency).
NORM_ROWS: tuple[tuple[str, str], ...] = (
    *((str(Step.RECEIVED), str(u)) for u in Urgency.values),
    (str(Step.TRIAGED), ""),
    (str(Step.INTAKE_HELD), ""),
)


@audit.write_path
def norms_of(actor: Actor, municipality_code: Any) -> tuple[list[NormRow], bool]:
    """The norms in force in the municipality (its own, else the defaults), and whether
    the actor may change them."""
    code = str(municipality_code or "")[:10]
    target = norms_target(code)
    audit.authorize(actor, Action.READ, target)
    own = {(n.step, n.urgency): norms.Rule(n.days, n.working)
           for n in Norm.objects.filter(municipality_id=code)}
    keys = list(NORM_ROWS) + sorted(k for k in own if k not in NORM_ROWS)
    keys.sort(key=lambda k: (norms.NORM_STEPS.index(k[0]), k[1] != "", k[1]))
    rows = []
    for step, urgency in keys:
        if (step, urgency) in own:
            rows.append(NormRow(step, urgency, own[(step, urgency)], True, False))
        elif urgency and (step, "") in own:
            rows.append(NormRow(step, urgency, own[(step, "")], False, True))
        else:
            rows.append(NormRow(step, urgency, norms.default_rule(step, urgency), False,
                                False))
    return rows, decide(actor, Action.UPDATE, target).allowed
