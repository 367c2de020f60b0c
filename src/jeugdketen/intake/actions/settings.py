"""The front door's settings (ADR 0010): an organisation's intake slots per week (the queue
computes the expected intake date from them) and a municipality's norms per step (the
due dates of steps that start after the change). Neither is personal data: each change is
in the access log (the policy's `intake_settings`), and no chain event is emitted (the
value stream measures reports, not settings)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, IntakeSettingsScope, Target
from jeugdketen.core.errors import FieldError, Refusal
from jeugdketen.intake import norms
from jeugdketen.intake.models import IntakeCapacity, Norm, Urgency
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
    return value


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
