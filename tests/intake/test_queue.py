"""The front door's one visible queue (issue 11, ADR 0010 "The queue"): every open report of
the municipality with its step, days, norm, overdue flags (1x, 3x) and the expected date
of its next step (from the queue ahead and the intake capacity, or the planned meeting);
filters, ordering and paging; one statement per page whatever its length; only the
front door sees it, and every listed report is logged as read."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.core.errors import Refusal
from jeugdketen.intake.actions import meetings, reports, settings
from jeugdketen.intake.actions import triage as triaging
from jeugdketen.intake.models import CareReport
from jeugdketen.intake.queue import expected_week, monday_of, queue
from tests import factories as f
from tests import pages
from tests.intake.conftest import report_input
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

# The page tests' fixtures (tests/pages.py).
client_for, page_settings = pages.client_for, pages.page_settings


def today():
    return timezone.localdate()


def days_ago(n: int, hours: int = 0):
    """n days ago (in the Netherlands) and `hours` earlier than now, but never on the day
    before: the queue counts days by the date, so an hour back across midnight would be a
    day more."""
    now = timezone.now()
    moment = now - timedelta(days=n, hours=hours)
    day = timezone.localdate(now) - timedelta(days=n)
    if timezone.localdate(moment) == day:
        return moment
    return timezone.make_aware(datetime.combine(day, time.min)) + timedelta(minutes=1)


def reported(door, *, days: int = 0, hours: int = 1, person=None, **kw) -> CareReport:
    person = person or door.child
    return reports.report(door.teacher_actor, person_id=person.pk,
                          at=days_ago(days, hours), **report_input(**kw))


def triaged(door, **kw) -> CareReport:
    report = reported(door, **kw)
    triaging.triage(door.actor, report.pk, decision="joint_intake")
    return CareReport.objects.get(pk=report.pk)


def by_id(found) -> dict[str, object]:
    return {row.id: row for row in found.rows}


def this_monday():
    return monday_of(today())


# --- what a row says --------------------------------------------------------------------


def test_a_row_has_its_days_norm_and_overdue_flags(door):
    fresh = reported(door)
    late = reported(door, days=10)  # regular: triage within 5 working days (<= 7 days)
    very_late = reported(door, days=30)  # three times over: 15 working days (<= 21 days)
    rows = by_id(queue(door.actor, "GM9901"))
    assert rows[str(fresh.pk)].overdue == ""
    assert rows[str(late.pk)].overdue == "1x"
    assert rows[str(very_late.pk)].overdue == "3x"
    row = rows[str(late.pk)]
    assert (row.step, row.urgency, row.days_in_step, row.days_total) == (
        "received", "regular", 10, 10)
    assert (row.norm_days, row.norm_working) == (5, True)
    assert row.expected_next_on == late.step_due_on  # the triage's due date
    assert row.neighbourhood_name == "Oude Haven"
    assert row.as_dict()["neighbourhood"] == "BU99010101"


def test_the_norm_is_the_municipalitys_own_where_it_set_one(door):
    settings.set_norm(door.actor, "GM9901", step="received", urgency="regular", days=3,
                      working=True)
    settings.set_norm(door.actor, "GM9901", step="received", urgency="", days=1,
                      working=False)
    reported(door)
    reported(door, urgency="urgent")
    rows = sorted(queue(door.actor, "GM9901").rows, key=lambda r: r.urgency)
    assert [(r.urgency, r.norm_days, r.norm_working) for r in rows] == [
        ("regular", 3, True), ("urgent", 1, False)]


def test_closed_reports_and_other_municipalities_are_not_in_the_queue(door):
    kept = reported(door)
    gone = reported(door)
    triaging.triage(door.actor, gone.pk, decision="advice")  # closes it
    elsewhere = f.MunicipalityFactory(code="GM9902", name="Andersdam")
    assert CareReport.objects.filter(pk=gone.pk, step="closed").exists()
    assert list(by_id(queue(door.actor, "GM9901"))) == [str(kept.pk)]
    assert elsewhere.care_reports.count() == 0


# --- the expected date of the next step ------------------------------------------------


def test_expected_intake_date_follows_the_queue_ahead_and_the_capacity(door):
    monday = this_monday()
    settings.set_capacity(door.actor, door.youth_care.pk, week_start=monday, slots=1)
    first, second, third = (triaged(door, days=n) for n in (3, 2, 1))
    rows = by_id(queue(door.actor, "GM9901"))
    assert [rows[str(r.pk)].ahead for r in (first, second, third)] == [0, 1, 2]
    assert [rows[str(r.pk)].expected_next_on for r in (first, second, third)] == [
        today(), monday + timedelta(weeks=1), monday + timedelta(weeks=2)]
    # More capacity from next week: two more slots a week bring both forward.
    settings.set_capacity(door.actor, door.mental_health.pk,
                          week_start=monday + timedelta(weeks=1), slots=2)
    rows = by_id(queue(door.actor, "GM9901"))
    assert [rows[str(r.pk)].expected_next_on for r in (second, third)] == [
        monday + timedelta(weeks=1)] * 2


def test_an_urgent_report_goes_ahead_of_older_regular_ones(door):
    monday = this_monday()
    settings.set_capacity(door.actor, door.youth_care.pk, week_start=monday, slots=1)
    old = triaged(door, days=5)
    urgent = triaged(door, days=1, urgency="urgent")
    rows = by_id(queue(door.actor, "GM9901"))
    assert (rows[str(urgent.pk)].ahead, rows[str(old.pk)].ahead) == (0, 1)
    assert rows[str(old.pk)].expected_next_on == monday + timedelta(weeks=1)


def test_a_week_without_a_row_repeats_the_latest_and_no_capacity_gives_no_date(door):
    monday = this_monday()
    settings.set_capacity(door.actor, door.youth_care.pk, week_start=monday, slots=1)
    settings.set_capacity(door.actor, door.youth_care.pk,
                          week_start=monday + timedelta(weeks=1), slots=0)
    first, second = triaged(door, days=2), triaged(door, days=1)
    rows = by_id(queue(door.actor, "GM9901"))
    assert rows[str(first.pk)].expected_next_on == today()
    assert rows[str(second.pk)].expected_next_on is None  # zero slots every week after


def test_filters_do_not_move_a_reports_place_in_line(door):
    settings.set_capacity(door.actor, door.youth_care.pk, week_start=this_monday(), slots=1)
    triaged(door, days=2, urgency="urgent")
    regular = triaged(door, days=3)
    reported(door)  # another step: numbered in its own line
    (row,) = queue(door.actor, "GM9901", urgency="regular", step="triaged").rows
    assert (row.id, row.ahead) == (str(regular.pk), 1)
    assert [r.ahead for r in queue(door.actor, "GM9901", step="triaged").rows] == [1, 0]
    (other,) = queue(door.actor, "GM9901", step="received").rows
    assert other.ahead == 0


def test_expected_date_of_a_planned_intake_is_the_meetings(door):
    report = triaged(door)
    starts = timezone.now() + timedelta(days=9)
    meetings.plan_intake(door.actor, report.pk, organisation_ids=[door.youth_care.pk],
                         starts_at=starts, ends_at=starts + timedelta(hours=1),
                         location="Wijkcentrum")
    (row,) = queue(door.actor, "GM9901").rows
    assert row.step == "intake_planned"
    assert row.expected_next_on == timezone.localdate(starts)
    assert row.norm_days == 28 and not row.norm_working


def test_expected_week_counts_cumulative_slots():
    day = today()
    monday = monday_of(day)
    assert expected_week(1, [0, 0, 2], day) == monday + timedelta(weeks=2)
    assert expected_week(3, [1, 1, 1], day) == monday + timedelta(weeks=2)
    assert expected_week(1, [1], day) == day
    assert expected_week(4, [1, 1, 1], day) is None


# --- filters, order, paging -----------------------------------------------------------------


def test_filters_by_step_urgency_and_overdue(door):
    received_late = reported(door, days=10)
    received_urgent = reported(door, urgency="urgent")
    very_late = reported(door, days=30)
    in_triage = triaged(door)
    ids = lambda **kw: set(by_id(queue(door.actor, "GM9901", **kw)))  # noqa: E731
    assert ids(step="triaged") == {str(in_triage.pk)}
    assert ids(urgency="urgent") == {str(received_urgent.pk)}
    assert ids(overdue="1x") == {str(received_late.pk), str(very_late.pk)}
    assert ids(overdue="3x") == {str(very_late.pk)}
    assert ids(overdue="no") == {str(received_urgent.pk), str(in_triage.pk)}
    assert ids(step="received", overdue="1x", urgency="regular") == {
        str(received_late.pk), str(very_late.pk)}


@pytest.mark.parametrize(("kw", "field"), [
    ({"step": "closed"}, "step"), ({"step": "nope"}, "step"),
    ({"urgency": "soon"}, "urgency"), ({"overdue": "2x"}, "overdue"),
    ({"order": "question"}, "order"), ({"order": "received_at; drop table x"}, "order"),
    ({"page": 0}, "page"), ({"page": 100_001}, "page"),
])
def test_bad_filters_are_refused_naming_the_field(door, kw, field):
    with pytest.raises(Refusal) as refused:
        queue(door.actor, "GM9901", **kw)
    assert refused.value.field == field


def test_the_oldest_first_by_default_and_whitelisted_orders(door):
    middle = reported(door, days=2)
    newest = reported(door, urgency="crisis")
    oldest = reported(door, days=4, urgency="urgent")
    order = lambda o: [r.id for r in queue(door.actor, "GM9901", order=o).rows]  # noqa: E731
    assert [r.id for r in queue(door.actor, "GM9901").rows] == [
        str(oldest.pk), str(middle.pk), str(newest.pk)]
    assert order("-received_at") == [str(newest.pk), str(middle.pk), str(oldest.pk)]
    assert order("urgency") == [str(newest.pk), str(oldest.pk), str(middle.pk)]
    assert order("-urgency") == [str(middle.pk), str(oldest.pk), str(newest.pk)]
    assert order("step_due_on")[0] == str(oldest.pk)


def test_paging_by_fifty_and_past_the_last_page_gives_the_last(door):
    made = [reported(door, days=n) for n in range(5, 0, -1)]  # oldest first
    first = queue(door.actor, "GM9901", per_page=2)
    assert (first.total, first.pages, first.page) == (5, 3, 1)
    assert [r.id for r in first.rows] == [str(m.pk) for m in made[:2]]
    last = queue(door.actor, "GM9901", per_page=2, page=3)
    assert [r.id for r in last.rows] == [str(made[4].pk)]
    beyond = queue(door.actor, "GM9901", per_page=2, page=9)
    assert (beyond.page, [r.id for r in beyond.rows]) == (3, [str(made[4].pk)])
    assert queue(door.actor, "GM9901").per_page == 50
    triaging.triage(door.actor, made[0].pk, decision="joint_intake")
    beyond = queue(door.actor, "GM9901", step="received", urgency="regular", per_page=3,
                   page=7)
    assert (beyond.total, beyond.page, [r.id for r in beyond.rows]) == (
        4, 2, [str(made[4].pk)])


def test_an_empty_queue(door):
    found = queue(door.actor, "GM9901", page=4)
    assert (found.rows, found.total, found.page, found.pages) == ([], 0, 1, 1)


def _queries(door) -> list[str]:
    """The statements of one page of the queue, without the access log's own (its one
    append, whose statements are the log's business) and transaction control."""
    with CaptureQueriesContext(connection) as captured:
        queue(door.actor, "GM9901")
    return [q["sql"] for q in captured
            if "access_accesslog" not in q["sql"]
            and not q["sql"].startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN"))]


def test_a_page_costs_the_same_statements_however_long_it_is(door):
    settings.set_capacity(door.actor, door.youth_care.pk, week_start=this_monday(), slots=1)
    triaged(door, days=1)
    reported(door)
    few = _queries(door)
    for n in range(2, 8):
        triaged(door, days=n)
        reported(door, days=n, person=door.youth)
    many = _queries(door)
    assert len(few) == len(many)
    # The queue, the municipality's norms, the intake capacity: nothing per report.
    assert len(many) == 3, many


# --- who sees it, and the access log -------------------------------------------------------


def test_nobody_outside_the_front_door_sees_the_queue(door, django_user_model):
    reported(door)
    other_town = f.MunicipalityFactory(code="GM9902", name="Andersdam")
    other_door = f.ProfessionalFactory(
        organisation=f.OrganisationFactory(municipality=other_town, kind="municipality"),
        roles=["front_door"])
    admin = f.ProfessionalFactory(organisation=door.team_org, roles=["functional_admin"])
    analyst = f.ProfessionalFactory(organisation=door.team_org, roles=["analyst"])
    school_door = f.ProfessionalFactory(organisation=door.school, roles=["front_door"])
    outsiders = [door.teacher_actor, door.actor_of(door.coordinator),
                 door.actor_of(door.youth_worker), door.actor_of(other_door),
                 door.actor_of(admin), door.actor_of(analyst), door.actor_of(school_door),
                 door.parent_actor]
    for actor in outsiders:
        with pytest.raises(AccessDenied):
            queue(actor, "GM9901")
    denied = AccessLogRecord.objects.filter(outcome="denied", object_id="queue:GM9901")
    assert denied.count() == len(outsiders)
    assert not AccessLogRecord.objects.filter(outcome="allowed", action="read",
                                              data="care_report").exists()
    # Their own queue is theirs; an unknown municipality is as forbidden as another's.
    assert queue(door.actor_of(other_door), "GM9902").rows == []
    with pytest.raises(AccessDenied):
        queue(door.actor, "GM0000")


def test_every_listed_report_is_logged_as_read_and_only_those(door):
    shown = [reported(door, days=n) for n in (3, 2)]
    not_shown = reported(door, days=1)
    queue(door.actor, "GM9901", per_page=2)
    reads = AccessLogRecord.objects.filter(username=door.front_door.user.username,
                                           action="read", data="care_report")
    assert sorted(reads.values_list("object_id", flat=True)) == sorted(
        str(r.pk) for r in shown)
    assert {(r.ground, r.outcome, r.client_id) for r in reads} == {
        ("front_door", "allowed", str(door.child.pk))}
    assert not reads.filter(object_id=str(not_shown.pk)).exists()


# --- GET /api/v1/queue ------------------------------------------------------------------------


def test_the_api_lists_the_queue_for_the_front_door(door, api_client_for):
    late = reported(door, days=10)
    fresh = reported(door, urgency="urgent")
    answer = api_client_for(door.front_door).get("/queue")  # default: its own municipality
    assert answer.status_code == 200, answer.content
    assert answer["X-Total-Count"] == "2"
    rows = answer.json()
    assert [r["id"] for r in rows] == [str(late.pk), str(fresh.pk)]
    assert set(rows[0]) == {"id", "step", "urgency", "neighbourhood", "received_at",
                            "days_in_step", "days_total", "norm_days", "norm_working",
                            "overdue", "ahead", "expected_next_on"}
    assert (rows[0]["overdue"], rows[0]["days_total"], rows[0]["neighbourhood"]) == (
        "1x", 10, "BU99010101")
    assert rows[1]["overdue"] is None
    assert rows[0]["expected_next_on"] == late.step_due_on.isoformat()
    client = api_client_for(door.front_door)
    filtered = client.get("/queue?municipality=GM9901&urgency=urgent&step=received&overdue=no")
    assert [r["id"] for r in filtered.json()] == [str(fresh.pk)]
    assert [r["id"] for r in client.get("/queue?order=-received_at").json()] == [
        str(fresh.pk), str(late.pk)]
    assert client.get("/queue?page=2").json() == rows  # past the last page: the last


@pytest.mark.parametrize(("query", "field"), [
    ("step=closed", "step"), ("urgency=x", "urgency"), ("overdue=yes", "overdue"),
    ("order=question", "order"), ("page=0", "page"), ("page=x", "page"),
    ("page=99999999999999999999", "page"),
])
def test_the_api_refuses_bad_filters_naming_the_field(door, api_client_for, query, field):
    answer = api_client_for(door.front_door).get(f"/queue?{query}")
    assert answer.status_code == 422, answer.content
    assert [e["field"] for e in answer.json()["errors"]] == [field]


def test_the_api_gives_the_queue_to_nobody_else(door, api_client_for):
    reported(door)
    for who in (door.teacher, door.coordinator, door.youth_worker):
        answer = api_client_for(who).get("/queue?municipality=GM9901")
        assert answer.status_code == 403
        assert "question" not in answer.content.decode()
    assert api_client_for(door.front_door).get("/queue?municipality=GM9902").status_code == 403


# --- the queue page ---------------------------------------------------------------------------

QUEUE_URL = "/voordeur/wachtrij/"


@pytest.mark.usefixtures("page_settings")
def test_the_queue_page_shows_the_open_reports_oldest_first(door, client_for):
    late = reported(door, days=30)
    fresh = reported(door, urgency="crisis")
    answer = client_for(door.front_door).get(QUEUE_URL)
    assert answer.status_code == 200
    text = visible_text(answer.content)
    assert text.index(late.reference) < text.index(fresh.reference)
    assert "2 open meldingen" in text
    assert "Meer dan drie keer over de norm" in text and "Oude Haven" in text
    assert "Crisis: vandaag" in text
    body = answer.content.decode()
    assert 'aria-sort="ascending"' in body and "scope=\"row\"" in body
    assert "Noor" not in text and "school" not in text  # no content, no names
    assert AccessLogRecord.objects.filter(action="read", data="care_report",
                                          outcome="allowed").count() == 2


@pytest.mark.usefixtures("page_settings")
def test_the_queue_page_sorts_and_filters(door, client_for):
    late = reported(door, days=10)
    urgent = reported(door, urgency="urgent")
    client = client_for(door.front_door)
    text = visible_text(client.get(QUEUE_URL + "?sorteer=-ontvangen").content)
    assert text.index(urgent.reference) < text.index(late.reference)
    body = client.get(QUEUE_URL + "?sorteer=-ontvangen").content.decode()
    assert 'aria-sort="descending"' in body
    text = visible_text(client.get(QUEUE_URL + "?urgentie=urgent").content)
    assert urgent.reference in text and late.reference not in text
    text = visible_text(client.get(QUEUE_URL + "?te_laat=1x").content)
    assert late.reference in text and urgent.reference not in text
    text = visible_text(client.get(QUEUE_URL + "?stap=triaged").content)
    assert "Geen open meldingen met dit filter." in text
    # Unknown values filter or sort on nothing.
    answer = client.get(QUEUE_URL + "?sorteer=question&stap=x&urgentie=y&te_laat=z&pagina=x")
    assert answer.status_code == 200
    assert late.reference in visible_text(answer.content)


@pytest.mark.usefixtures("page_settings")
def test_the_queue_page_is_the_front_doors_only(door, client_for):
    reported(door)
    for who in (door.teacher, door.coordinator, door.youth_worker):
        answer = client_for(who).get(QUEUE_URL)
        assert answer.status_code == 403
    assert client_for(door.parent_actor.user).get(QUEUE_URL).status_code == 403


@pytest.mark.usefixtures("page_settings")
def test_the_queue_page_speaks_english(door, client_for):
    reported(door, days=10)
    text = visible_text(client_for(door.front_door, lang="en").get(QUEUE_URL).content)
    assert "Front-door queue" in text and "1 open report" in text
    assert "Past the norm" in text and "5 working days" in text
