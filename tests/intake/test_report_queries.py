"""A professional's care report costs a fixed, small number of SQL statements (issue 11,
speed: POST /api/v1/care-reports): the person, their household and municipality, the
policy's `registered` fact and the triage norm rows in one statement (on PostgreSQL with
the access log's chain head), the access-log record in one, the report and its chain
event in one on PostgreSQL. And that this faster path answers exactly as the general one:
the municipality, the norm (read in the same transaction, never cached), the household
in the chain event, the access-log record, a denial for a person without a ground or an
unknown id, and a fresh reference on a clash."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jeugdketen.access import audit
from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal
from jeugdketen.core.workdays import add_working_days
from jeugdketen.intake.actions import _common, reports
from jeugdketen.intake.models import CareReport, Norm
from tests import factories as f

from .conftest import report_input

pytestmark = pytest.mark.django_db

PG = connection.vendor == "postgresql"
# Over the API, savepoints not counted: the token (with user, professional, organisation);
# the subject (+ the chain head's lock on PostgreSQL); on PostgreSQL the access-log record,
# the report and its chain event in one; on SQLite the record in three (lock the head,
# insert, update the head), the report and the event in one each. Was 12 on both (14 in the
# benchmark's count with the savepoints; BEGIN and COMMIT not counted here).
OVER_THE_API = 3 if PG else 7
IN_THE_ACTION = OVER_THE_API - 1  # without the token


def counted(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
            and "pg_get_serial_sequence" not in q["sql"]]  # once per connection


def test_a_care_report_over_the_api_costs_a_fixed_number_of_statements(door, api_client_for):
    api = api_client_for(door.teacher)
    body = {"person_id": str(door.child.pk)} | report_input()
    assert api.post("/care-reports", body).status_code == 201  # the connection's first use
    with CaptureQueriesContext(connection) as captured:
        response = api.post("/care-reports", body | {"urgency": "urgent"})
    assert response.status_code == 201, response.content
    statements = counted(captured)
    assert len(statements) == OVER_THE_API, "\n".join(statements)
    created = CareReport.objects.get(pk=response.json()["id"])
    assert response.json()["triage_due_on"] == created.step_due_on.isoformat()


def test_the_action_costs_a_fixed_number_of_statements(door):
    reports.report(door.teacher_actor, person_id=door.child.pk, **report_input())
    with CaptureQueriesContext(connection) as captured:
        reports.report(door.teacher_actor, person_id=door.youth.pk, **report_input())
    statements = counted(captured)
    assert len(statements) == IN_THE_ACTION, "\n".join(statements)


def test_the_report_goes_to_the_childs_municipality_with_its_household(door):
    created = reports.report(door.teacher_actor, person_id=door.child.pk, **report_input())
    created.refresh_from_db()
    assert created.municipality_id == door.municipality.pk
    assert created.person_id == door.child.pk and created.household_id is None
    assert created.neighbourhood_code == door.child.neighbourhood_id
    assert created.reported_by_id == door.teacher.pk and created.reporter_kind == "professional"
    (event,) = ChainEvent.objects.filter(trajectory_key=str(created.trajectory_key))
    assert event.activity == "care_report.received"
    assert event.household_key == str(door.household.pk)
    assert event.person_key == str(door.child.pseudonym)
    assert event.organisation_id == door.school.pk
    assert event.attributes == {"life_domains": 2, "reporter": "professional",
                                "unsafe": False, "urgency": "regular"}
    record = AccessLogRecord.objects.filter(action="create", data="care_report").latest("id")
    assert (record.client_id, record.outcome, record.ground) == (
        str(door.child.pk), "allowed", "reporter")


def test_the_municipalitys_own_norm_is_read_at_each_report(door):
    before = reports.report(door.teacher_actor, person_id=door.child.pk, **report_input())
    received = timezone.localdate(before.received_at)
    assert before.step_due_on == add_working_days(received, 5)  # the default, regular
    Norm.objects.create(municipality=door.municipality, step="received", urgency="", days=8,
                        working=True)
    every = reports.report(door.teacher_actor, person_id=door.child.pk, **report_input())
    assert every.step_due_on == add_working_days(received, 8)
    assert every.step_overdue3_on == add_working_days(received, 24)
    Norm.objects.create(municipality=door.municipality, step="received", urgency="regular",
                        days=3, working=False)
    own = reports.report(door.teacher_actor, person_id=door.child.pk, **report_input())
    assert own.step_due_on == received + timezone.timedelta(days=3)
    urgent = reports.report(door.teacher_actor, person_id=door.child.pk,
                            **report_input(urgency="urgent"))
    assert urgent.step_due_on == add_working_days(received, 8)  # the row for every urgency


def test_without_an_address_the_reporters_municipality(door):
    elsewhere = f.MunicipalityFactory()
    org = f.OrganisationFactory(kind="school", municipality=elsewhere)
    prof = f.ProfessionalFactory(organisation=org, roles=["professional"])
    person = f.PersonFactory(birth_date=f.birth_date_for_age(9), neighbourhood=None)
    f.RegistrationFactory(person=person, professional=prof)
    created = reports.report(door.actor_of(prof), person_id=person.pk, **report_input())
    assert created.municipality_id == elsewhere.pk
    assert created.neighbourhood_code == ""
    (event,) = ChainEvent.objects.filter(trajectory_key=str(created.trajectory_key))
    assert event.household_key == ""


@pytest.mark.parametrize("person_id", ["unknown", "not-a-uuid", 12])
def test_a_person_without_a_ground_or_unknown_is_denied_and_logged(door, person_id):
    stranger = f.PersonFactory(birth_date=f.birth_date_for_age(9))
    wanted = {"unknown": stranger.pk, "not-a-uuid": "not-a-uuid", 12: uuid.UUID(int=12)}
    asked = wanted[person_id]
    with pytest.raises(AccessDenied):
        reports.report(door.teacher_actor, person_id=asked, **report_input())
    assert not CareReport.objects.exists()
    assert not ChainEvent.objects.filter(activity="care_report.received").exists()
    denied = AccessLogRecord.objects.filter(action="create", data="care_report").latest("id")
    assert denied.outcome == "denied"
    assert str(asked)[:64] in (denied.client_id, denied.object_id)


def test_a_reference_clash_draws_another(door, monkeypatch):
    first = reports.report(door.teacher_actor, person_id=door.child.pk, **report_input())
    field = CareReport._meta.get_field("reference")
    monkeypatch.setattr(field, "_get_default", lambda: first.reference)  # the draft's
    fresh = iter(["ZMFRESH001", "ZMFRESH002"])
    monkeypatch.setattr(_common, "new_reference", lambda: next(fresh))
    second = reports.report(door.teacher_actor, person_id=door.child.pk, **report_input())
    assert second.reference == "ZMFRESH001"
    assert CareReport.objects.filter(reference="ZMFRESH001").count() == 1
    # One event per report: the clashing INSERT wrote none.
    assert ChainEvent.objects.filter(activity="care_report.received").count() == 2


def test_a_refused_field_leaves_the_allowed_attempt_logged_as_refused(door):
    with pytest.raises(Refusal):
        reports.report(door.teacher_actor, person_id=door.child.pk,
                       **report_input(contact_phone="12"))
    assert not CareReport.objects.exists()
    assert not ChainEvent.objects.filter(activity="care_report.received").exists()
    (record,) = AccessLogRecord.objects.filter(action="create", data="care_report")
    assert (record.client_id, record.outcome) == (str(door.child.pk), "refused")
    assert record.reason == "phone"  # the rule that refused it


def test_the_access_log_chain_stays_whole(door):
    for person in (door.child, door.youth, door.parent):
        reports.report(door.teacher_actor, person_id=person.pk, **report_input())
    assert AccessLogRecord.objects.filter(action="create", data="care_report").count() == 3
    assert audit.verify().ok
