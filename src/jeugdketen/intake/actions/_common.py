"""What the front-door actions share: the policy's target of a report, the chain event of a
report (counts and codes only), moving a report to its next step with the due dates of
that step's norm, and the checks of the input (each refusal names its field). Private to
intake.actions."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data
from jeugdketen.analysis.domains import ALL_DOMAINS
from jeugdketen.chainlog.actions import TABLE as EVENT_TABLE
from jeugdketen.chainlog.actions import emit, event_row
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core import prepared
from jeugdketen.core.errors import Refusal
from jeugdketen.intake import norms
from jeugdketen.intake.models import CareReport, Step, Urgency, new_reference
from jeugdketen.intake.selectors import household_of, members_of, report_target
from jeugdketen.registry.models import Household, Person, Professional

__all__ = ["household_of", "members_of", "report_target"]

MAX_TEXT = 5000


# --- the policy's target and the report's subjects -------------------------------------


def report_for(actor: Actor, report_id: Any, action: Action, data: Data = Data.CARE_REPORT,
               *, lock: bool = False) -> CareReport:
    """The report an action is about (locked for the change with `lock`); an unknown id is
    refused and logged as a forbidden one."""
    qs = CareReport.objects.select_related("municipality", "person", "household")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return audit.get_or_deny(actor, action, data, qs, report_id, "care report")


def professional_of(actor: Actor) -> Professional:
    """The professional behind an actor the policy let act as the front door (or as an
    invited organisation)."""
    if actor.professional is None:
        raise TypeError("only a professional does this")
    return actor.professional


def neighbourhood_of(person: Person | None, household: Household | None) -> str:
    people = [person] if person is not None else list(members_of(household))
    return next((p.neighbourhood_id for p in people if p.neighbourhood_id), "") or ""


def emit_report_event(activity: Activity, report: CareReport, actor: Actor, now: datetime,
                      *, household: Household | Literal[False] | None = False,
                      **attributes: Any) -> None:
    """The chain event of a step of a report (in the action's transaction): the report's
    trajectory key, its neighbourhood, the household and person when known, the acting
    organisation (none for the family and the public); counts and codes only. `household`:
    the report's household when the caller has just read it (household_of otherwise)."""
    emit(activity, **_event(report, actor, now, household, attributes))


def _event(report: CareReport, actor: Actor, now: datetime,
           household: Household | Literal[False] | None, attributes: dict[str, Any]
           ) -> dict[str, Any]:
    prof = actor.professional
    if household is False:
        household = household_of(report)
    return {"person": report.person if report.person_id is not None else None,
            "household": household, "trajectory_key": str(report.trajectory_key),
            "neighbourhood_code": report.neighbourhood_code,
            "organisation_id": prof.organisation_id if prof is not None else None,
            "attributes": attributes, "at": now}


# --- steps and their norms -------------------------------------------------------------


def step_start(report: CareReport, step: str, today: date) -> date:
    """The day a step's norm counts from: triage from the report; the intake within four
    weeks of the report (waiting for a meeting and waiting for the planned meeting alike);
    help from the intake."""
    if step in (Step.RECEIVED, Step.TRIAGED, Step.INTAKE_PLANNED):
        return timezone.localdate(report.received_at)
    return today


def move(report: CareReport, step: str, now: datetime) -> list[str]:
    """Put the report in `step` from today, with that step's due dates (the norm at the
    step's start: a norm changed later does not move them). Returns the changed fields."""
    today = timezone.localdate(now)
    report.step = step
    report.step_since = today
    if not norms.has_norm(step):  # help started, closed: nothing is due any more
        report.step_due_on, report.step_overdue3_on = None, None
    else:
        # The municipality's norm rows when the action read them with the subject
        # (`jk_norms`: norm step -> rows, in this transaction); else norms reads them.
        known = getattr(report, "jk_norms", None) or {}
        report.step_due_on, report.step_overdue3_on = norms.due_dates(
            report.municipality_id, step, report.urgency, step_start(report, step, today),
            known.get(norms.NORM_STEP[step]))
    return ["step", "step_since", "step_due_on", "step_overdue3_on"]


_REPORT_FIELDS = list(CareReport._meta.concrete_fields)
_REPORT_INSERT: dict[str, str] = {}  # per database vendor


def _report_insert() -> str:
    """The report's INSERT, skipping a clash of the reference: on PostgreSQL from one JSON
    object of its columns (jsonb_populate_record gives each its column's type: few
    parameters, one text, prepared), elsewhere one parameter per column."""
    vendor = connection.vendor
    insert = _REPORT_INSERT.get(vendor)
    if insert is None:
        qn = connection.ops.quote_name
        table = qn(CareReport._meta.db_table)
        columns = ", ".join(qn(f.column) for f in _REPORT_FIELDS)
        rows = (f"SELECT {columns} FROM jsonb_populate_record(NULL::{table}, %s::jsonb)"  # noqa: S608 (names)
                if vendor == "postgresql"
                else f"VALUES ({', '.join(['%s'] * len(_REPORT_FIELDS))})")
        insert = _REPORT_INSERT[vendor] = (
            f"INSERT INTO {table} ({columns}) {rows} "
            "ON CONFLICT (reference) DO NOTHING")
    return insert


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):  # full precision (DjangoJSONEncoder cuts it)
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} in a care report's row")


def _json_row(report: CareReport) -> str:
    """The report's columns as one JSON object, for _report_insert on PostgreSQL."""
    return json.dumps({f.column: f.pre_save(report, True) for f in _REPORT_FIELDS},
                      default=_json_value)


def save_new_with_event(report: CareReport, activity: Activity, actor: Actor, now: datetime,
                        *, household: Household | Literal[False] | None = False,
                        log: tuple[str, list[Any]] | None = None,
                        **attributes: Any) -> CareReport:
    """Insert a new report and write its chain event in few round trips (issue 11,
    speed): the report's INSERT written out, a clash of its reference skipped by ON
    CONFLICT (no savepoint) and another reference drawn; on PostgreSQL the chain event is
    inserted by the same statement, only when the report's row was, and `log`, the
    action's access-log records (audit.append_parts), with the first attempt. A clash of
    the trajectory key still raises IntegrityError."""
    event = _event(report, actor, now, household, attributes)
    columns, values, event_params = event_row(activity, **event)
    insert = _report_insert()
    pg = connection.vendor == "postgresql"
    for attempt in range(5):
        if attempt:
            report.reference = new_reference()
        with prepared.cursor() as cursor:
            if pg:  # the row as one JSON parameter
                with_log, log_params = (f"{log[0]}, ", log[1]) if log is not None else ("", [])
                cursor.execute(
                    f"WITH {with_log}r AS ({insert} RETURNING id), "  # noqa: S608
                    f"e AS (INSERT INTO {EVENT_TABLE} ({columns}) SELECT {values} FROM r) "
                    "SELECT count(*) FROM r", [*log_params, _json_row(report), *event_params])
                written = int(cursor.fetchone()[0])
                log = None  # written: once, whatever the report's INSERT did
            else:
                if log is not None:
                    raise ValueError("records as CTEs are PostgreSQL's (audit.append_parts)")
                cursor.execute(insert, [f.get_db_prep_save(f.pre_save(report, True), connection)
                                        for f in _REPORT_FIELDS])
                written = cursor.rowcount
        if written == 1:
            report._state.adding, report._state.db = False, connection.alias
            if not pg:
                with connection.cursor() as cursor:
                    cursor.execute(f"INSERT INTO {EVENT_TABLE} ({columns}) "  # noqa: S608
                                   f"VALUES ({values})", event_params)
            return report
    raise IntegrityError("five clashes of a new care report's reference")


# --- the input -------------------------------------------------------------------------


def text(value: Any, field_name: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    if value is not None and not isinstance(value, str):
        raise Refusal("text", _("Vul hier tekst in."), field=field_name)
    out = (value or "").replace("\x00", "").strip()
    if required and not out:
        raise Refusal("required", _("Vul dit veld in."), field=field_name)
    if len(out) > limit:
        raise Refusal("too_long", _("Hoogstens %(n)s tekens.") % {"n": limit}, field=field_name)
    return out


def flag(value: Any, field_name: str) -> bool:
    if not isinstance(value, bool):
        raise Refusal("yes_or_no", _("Kies ja of nee."), field=field_name)
    return value


def choice(value: Any, choices: Any, field_name: str, message: str) -> str:
    if not isinstance(value, str) or value not in choices.values:
        raise Refusal("choice", message, field=field_name)
    return str(value)


def urgency(value: Any, field_name: str = "urgency") -> str:
    return choice(value, Urgency, field_name, _("Kies de urgentie: crisis, urgent of regulier."))


def life_domains(value: Any) -> list[str]:
    """Keys of the analysis' life domains (at least one; each once, in the order given)."""
    if not isinstance(value, list | tuple) or not value:
        raise Refusal("life_domains", _("Kies een of meer leefgebieden."), field="life_domains")
    out: list[str] = []
    for i, key in enumerate(value):
        if not isinstance(key, str) or key not in ALL_DOMAINS:
            raise Refusal("life_domain", _("Onbekend leefgebied."), field=f"life_domains[{i}]")
        if key not in out:
            out.append(key)
    return out


def email(value: Any, field_name: str) -> str:
    out = text(value, field_name, required=False, limit=254)
    if out:
        try:
            validate_email(out)
        except ValidationError:
            raise Refusal("email", _("Geen geldig e-mailadres."), field=field_name) from None
    return out


def phone(value: Any, field_name: str) -> str:
    out = text(value, field_name, required=False, limit=20)
    digits = out.replace(" ", "").replace("-", "")
    if out and not (digits.lstrip("+").isdigit() and 10 <= len(digits.lstrip("+")) <= 15):
        raise Refusal("phone", _("Geen geldig telefoonnummer, zoals 0612345678."),
                      field=field_name)
    return out


def moment_field(value: Any, field_name: str) -> datetime:
    if not isinstance(value, datetime) or timezone.is_naive(value):
        raise Refusal("datetime", _("Een datum en tijd."), field=field_name)
    return value


def ids(value: Any, field_name: str, *, required: bool = True) -> list[str]:
    """A list of ids, each once; an empty list only where not `required`."""
    if value is None:
        value = []
    if not isinstance(value, list | tuple | set | frozenset):
        raise Refusal("list", _("Kies een of meer."), field=field_name)
    out = list(dict.fromkeys(str(v) for v in value))
    if required and not out:
        raise Refusal("required", _("Kies een of meer."), field=field_name)
    return out


def int_ids(values: Iterable[Any], field_name: str) -> list[int]:
    out = []
    for v in values:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            raise Refusal("unknown", _("Onbekend."), field=field_name) from None
    return out
