"""Care reports: a professional's or the family's report about a registered person or
household, identifying the subject of a public report, recording that help started after
a referral, and closing a report."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Decision, Target, decide
from jeugdketen.chainlog.actions import moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core import prepared
from jeugdketen.core.errors import Refusal
from jeugdketen.intake import norms
from jeugdketen.intake.actions import _common as c
from jeugdketen.intake.models import CareReport, CloseReason, ReporterKind, Step
from jeugdketen.registry.models import (
    District,
    Household,
    HouseholdMember,
    Municipality,
    Neighbourhood,
    Person,
    Registration,
)


def _municipality(actor: Actor, person: Person | None, household: Household | None
                  ) -> Municipality:
    """Whose front door a report goes to: the municipality where the child lives (its
    neighbourhood); without a known address, the reporting professional's, or that of the
    organisation that entered the subject."""
    people = [person] if person is not None else list(c.members_of(household))
    for p in people:
        if p.neighbourhood_id:
            return Municipality.objects.get(districts__neighbourhoods=p.neighbourhood_id)
    if actor.professional is not None:
        return actor.professional.organisation.municipality
    registration = (Registration.objects.filter(person__in=people)
                    .select_related("organisation__municipality").order_by("pk").first())
    if registration is None:
        raise Refusal("no_municipality", _(
            "Van deze persoon is niet bekend in welke gemeente die woont."), field="person_id")
    return registration.organisation.municipality


def _subject(actor: Actor, action: Action, person_id: Any, household_id: Any
             ) -> tuple[Person | None, Household | None]:
    """The person or the household a report is about: exactly one of them."""
    if (person_id in (None, "")) == (household_id in (None, "")):
        raise Refusal("one_subject", _("Kies over wie de melding gaat: een persoon of een "
                                       "huishouden."), field="person_id")
    if person_id not in (None, ""):
        return audit.get_or_deny(actor, action, Data.CARE_REPORT,
                                 Person.objects.select_related("neighbourhood"),
                                 person_id, "person"), None
    return None, audit.get_or_deny(actor, action, Data.CARE_REPORT, Household.objects,
                                   household_id, "household")


def received(report: CareReport, actor: Actor, now: datetime, *,
             household: Household | Literal[False] | None = False,
             log: tuple[str, list[Any]] | None = None) -> CareReport:
    """A new report: saved in step `received` (triage due by the norm of its urgency),
    and its chain event (`household`: as emit_report_event takes it), in one statement on
    PostgreSQL, with the access-log records `log` (audit.append_parts) when given."""
    report.received_at = now
    c.move(report, Step.RECEIVED, now)
    return c.save_new_with_event(
        report, Activity.CARE_REPORT_RECEIVED, actor, now, household=household, log=log,
        reporter=report.reporter_kind, urgency=report.urgency, unsafe=report.unsafe,
        life_domains=len(report.life_domains))


_SUBJECT_SQL: dict[str, str] = {}  # per database vendor


def _subject_sql() -> str:
    """A professional's report about a person: the person, the municipality of their
    neighbourhood, their first household, whether this professional registered them (the
    policy's fact), the norm rows of the municipality the report goes to, in one
    statement; on PostgreSQL it also locks a free access-log chain head for the one
    record (audit.free_head_sql)."""
    vendor = connection.vendor
    sql = _SUBJECT_SQL.get(vendor)
    if sql is None:
        hood = (f"(SELECT d.municipality_id FROM {Neighbourhood._meta.db_table} n "  # noqa: S608
                f"JOIN {District._meta.db_table} d ON d.code = n.district_id "
                "WHERE n.code = p.neighbourhood_id)")
        select = (
            f"SELECT {prepared.columns(Person, 'p')}, {hood} AS jk_municipality, "  # noqa: S608
            f"(SELECT m.household_id FROM {HouseholdMember._meta.db_table} m "
            "WHERE m.person_id = p.id ORDER BY m.id LIMIT 1) AS jk_household, "
            f"EXISTS (SELECT 1 FROM {Registration._meta.db_table} r "
            "WHERE r.person_id = p.id AND r.professional_id = %s) AS jk_registered_, "
            f"{norms.norm_rows_sql(vendor, f'COALESCE({hood}, %s)')} AS jk_norms_")
        if vendor == "postgresql":
            sql = ("WITH h (jk_shard, jk_last_seq, jk_last_hash, jk_ids) AS ({head}) "
                   f"{select}, h.* FROM {Person._meta.db_table} p LEFT JOIN h ON TRUE "
                   "WHERE p.id = %s")
        else:
            sql = f"{select} FROM {Person._meta.db_table} p WHERE p.id = %s"
        _SUBJECT_SQL[vendor] = sql
    return sql


def _reported_person(actor: Actor, person_id: Any
                     ) -> tuple[Person, Household | None, Any, list[Any], Any]:
    """A professional's report about a person, read in one statement (_subject_sql): the
    person (with the policy's `registered` fact for this professional), their household
    (household_of), the municipality the report goes to (_municipality), its norm rows
    for the triage and the chain head (PostgreSQL; None on SQLite). An unknown or
    malformed id is denied as get_or_deny denies it."""
    prof = actor.professional
    assert prof is not None
    pk_field = Person._meta.pk
    assert pk_field is not None
    try:
        pk = pk_field.to_python(person_id)
    except ValidationError:
        pk = None
    own = prof.organisation.municipality_id
    head_sql = audit.free_head_sql(1)
    found = None
    if pk is not None:
        sql = _subject_sql()
        params: list[Any] = [prof.pk, own, Step.RECEIVED,
                             pk_field.get_db_prep_value(pk, connection)]
        if head_sql is not None:
            sql = sql.replace("{head}", head_sql[0])
            params = [*head_sql[1], *params]
        with prepared.cursor() as cursor:  # the same text for every report
            cursor.execute(sql, params)
            found = cursor.fetchone()
    if found is None:
        target = Target(Data.CARE_REPORT, object_id=str(person_id)[:64])
        raise audit.AccessDenied(actor, Action.CREATE, target,
                                 Decision.deny("no such person"))
    person, extra = prepared.instance(Person, found)
    # after the person's columns: municipality, household, registered, norm rows (and the
    # chain head's four on PostgreSQL), as _subject_sql selects them
    municipality, household_id, registered, norm_rows, *head_row = extra
    # The policy's fact, read with the person (policy.facts honours it for this prof).
    person.jk_registered_for = prof.pk  # type: ignore[attr-defined]
    person.jk_registered = bool(registered)  # type: ignore[attr-defined]
    household = None
    if household_id is not None:
        household = Household.from_db(connection.alias, ["id"],
                                      [Household._meta.get_field("id").to_python(household_id)])
    if person.neighbourhood_id:
        if municipality is None:  # as _municipality: the neighbourhood's, or an error
            municipality = Municipality.objects.get(
                districts__neighbourhoods=person.neighbourhood_id).pk
    else:
        municipality = own
    rows = norms.norm_rows(norm_rows)
    head = tuple(head_row) if head_sql is not None else None
    return person, household, municipality, rows, head


@audit.write_path
def report(actor: Actor, *, person_id: Any = None, household_id: Any = None, question: str,
           life_domains: list[str], urgency: str, unsafe: bool, desired_result: str = "",
           consent_to_share: bool, contact_phone: str = "", contact_email: str = "",
           at: datetime | None = None) -> CareReport:
    """A care report by a professional (from a person's page, a decision aid's advice, a
    match) or by the family in their own view, about a registered person or household. It
    goes to the front door of the municipality where the child lives; the triage is due
    by the norm of its urgency."""
    now = moment(at)
    if (actor.professional is not None and person_id not in (None, "")
            and household_id in (None, "")):
        return _report_by_professional(actor, now, person_id, question=question,
                                       life_domains=life_domains, urgency=urgency,
                                       unsafe=unsafe, desired_result=desired_result,
                                       consent_to_share=consent_to_share,
                                       contact_phone=contact_phone,
                                       contact_email=contact_email)
    person, household = _subject(actor, Action.CREATE, person_id, household_id)
    municipality = _municipality(actor, person, household)
    family = actor.professional is None
    draft = CareReport(
        trajectory_key=uuid.uuid4(), municipality=municipality, person=person,
        household=household, neighbourhood_code=c.neighbourhood_of(person, household),
        reporter_kind=ReporterKind.FAMILY if family else ReporterKind.PROFESSIONAL,
        reported_by=actor.professional, reported_by_person=actor.person if family else None)
    household_ = c.household_of(draft)
    audit.authorize(actor, Action.CREATE, Target(
        Data.CARE_REPORT, person=person, household=household_,
        members=c.members_of(household_) if person is None else (), report=draft))
    return _filled_in(draft, actor, now, household_, question=question,
                      life_domains=life_domains, urgency=urgency, unsafe=unsafe,
                      desired_result=desired_result, consent_to_share=consent_to_share,
                      contact_phone=contact_phone, contact_email=contact_email)


def _report_by_professional(actor: Actor, now: datetime, person_id: Any, **fields: Any
                            ) -> CareReport:
    """report() by a professional about a person, in fewer round trips (issue 11, speed):
    the person, their household and municipality, the policy's `registered` fact and the
    triage norm rows in one statement (on PostgreSQL with the access log's chain head),
    then on PostgreSQL the access-log record, the report and its chain event in one.
    The same policy question, records and event as the general path."""
    person, household, municipality, rows, head = _reported_person(actor, person_id)
    prof = actor.professional
    assert prof is not None
    draft = CareReport(
        trajectory_key=uuid.uuid4(), municipality_id=municipality, person=person,
        household=None, neighbourhood_code=person.neighbourhood_id or "",
        reporter_kind=ReporterKind.PROFESSIONAL, reported_by=prof, reported_by_person=None)
    draft.jk_norms = {Step.RECEIVED: rows}  # type: ignore[attr-defined]  # see c.move
    target = Target(Data.CARE_REPORT, person=person, household=household, members=(),
                    report=draft)
    decision = decide(actor, Action.CREATE, target)
    if not decision.allowed:
        raise audit.AccessDenied(actor, Action.CREATE, target, decision)
    records = [audit.entry(actor, Action.CREATE, target, decision)]
    # PostgreSQL: the record is written by the report's statement (it counts as written
    # from here: a refused field below logs it as refused, as after append).
    log = audit.append_parts(records, head)
    if log is None:
        audit.append(records, head=head)
    return _filled_in(draft, actor, now, household, log=log, **fields)


def _filled_in(draft: CareReport, actor: Actor, now: datetime, household: Household | None,
               *, question: str, life_domains: list[str], urgency: str, unsafe: bool,
               desired_result: str, consent_to_share: bool, contact_phone: str,
               contact_email: str, log: tuple[str, list[Any]] | None = None) -> CareReport:
    """The report's content, each field checked (a refusal names it), then received."""
    draft.question = c.text(question, "question")
    draft.life_domains = c.life_domains(life_domains)
    draft.urgency = c.urgency(urgency)
    draft.unsafe = c.flag(unsafe, "unsafe")
    draft.desired_result = c.text(desired_result, "desired_result", required=False)
    draft.consent_to_share = c.flag(consent_to_share, "consent_to_share")
    draft.contact_phone = c.phone(contact_phone, "contact_phone")
    draft.contact_email = c.email(contact_email, "contact_email")
    return received(draft, actor, now, household=household, log=log)


@audit.write_path
def identify(actor: Actor, report_id: Any, *, person_id: Any = None, household_id: Any = None,
             at: datetime | None = None) -> CareReport:
    """The front-door team names whom a public report is about: a person or household it
    registered after a look-up in the BRP. The report's neighbourhood follows."""
    moment(at)
    report = c.report_for(actor, report_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, c.report_target(report))
    person, household = _subject(actor, Action.UPDATE, person_id, household_id)
    if report.step == Step.CLOSED:
        raise Refusal("report_closed", _("Deze melding is afgesloten."), status=409,
                      field="report_id")
    if report.plan_id is not None:
        raise Refusal("plan_started", _("Voor deze melding loopt al een plan."), status=409,
                      field="report_id")
    report.person, report.household = person, household
    report.neighbourhood_code = c.neighbourhood_of(person, household)
    # The subject is now known: the policy is asked about them too (and logs it so).
    audit.authorize(actor, Action.UPDATE, c.report_target(report))
    report.save(update_fields=["person", "household", "neighbourhood_code"])
    return report


@audit.write_path
def record_help_started(actor: Actor, report_id: Any, *, on: date | None = None,
                        at: datetime | None = None) -> CareReport:
    """After a referral the platform does not see the referred provider start: the
    front-door team records the day help started (default today)."""
    now = moment(at)
    report = c.report_for(actor, report_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, c.report_target(report))
    today = timezone.localdate(now)
    on = today if on is None else on
    if not isinstance(on, date) or isinstance(on, datetime):
        raise Refusal("date", _("Een datum."), field="on")
    received_on = timezone.localdate(report.received_at)
    if not received_on <= on <= today:
        raise Refusal("date_range", _("Een datum vanaf de melding tot en met vandaag."),
                      field="on")
    if report.step != Step.INTAKE_HELD:
        raise Refusal("not_referred", _(
            "Hulp na een verwijzing wordt vastgelegd na de intake."), status=409, field="on")
    fields = c.move(report, Step.HELP_STARTED, now)
    report.step_since = on
    report.save(update_fields=fields)
    c.emit_report_event(Activity.CARE_REPORT_HELP_STARTED, report, actor, now,
                        days_since_report=(on - received_on).days)
    return report


def closed(report: CareReport, actor: Actor, now: datetime, reason: str) -> None:
    """Close a report (its step, when and why) and emit `care_report.closed`."""
    fields = c.move(report, Step.CLOSED, now)
    report.closed_at, report.close_reason = now, reason
    report.save(update_fields=[*fields, "closed_at", "close_reason"])
    c.emit_report_event(Activity.CARE_REPORT_CLOSED, report, actor, now, reason=reason)


@audit.write_path
def close(actor: Actor, report_id: Any, *, reason: str, at: datetime | None = None
          ) -> CareReport:
    """The front-door team closes a report (withdrawn, advice given, passed to Veilig
    Thuis, referred, help started)."""
    now = moment(at)
    report = c.report_for(actor, report_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, c.report_target(report))
    reason = c.choice(reason, CloseReason, "reason", _("Kies waarom de melding sluit."))
    if report.step == Step.CLOSED:
        raise Refusal("report_closed", _("Deze melding is al afgesloten."), status=409,
                      field="reason")
    closed(report, actor, now, reason)
    return report
