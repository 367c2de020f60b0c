"""The front door's JSON API (issue 11, section "API"): a care report from a professional
and from the family, reading it in the projection the ground allows (status only for the
reporter), the triage once, the joint intake, the invitations' answers and the outcome
that starts the family plan with its goals; bad input a 422 naming the field, 409
`already_triaged` / `open_plan_exists`, and 403 for an id the caller may not see exactly
as for an unknown one."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.core.workdays import add_working_days
from jeugdketen.intake.models import CareReport, Invitation, Outcome, Triage
from jeugdketen.plans.models import Plan
from tests import factories as f

from .conftest import LEVELS, public_input, report_input

pytestmark = pytest.mark.django_db


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["type"].startswith("urn:jeugdketen:problem:")
    return body


def errors(response, status: int = 422) -> dict[str, str]:
    """{field: rule} of a problem; every error names its field, rule and message."""
    body = problem(response, status)
    for error in body["errors"]:
        assert error["field"] and error["rule"] and error["message"], body
    return {e["field"]: e["rule"] for e in body["errors"]}


@pytest.fixture
def teacher_api(door, api_client_for):
    # The teacher entered the family (the door fixture): a reporter needs a ground.
    return api_client_for(door.teacher)


@pytest.fixture
def door_api(door, api_client_for):
    return api_client_for(door.front_door)


def body(door, **overrides):
    return {"person_id": str(door.child.pk)} | report_input() | overrides


@pytest.fixture
def reported(door, teacher_api) -> str:
    response = teacher_api.post("/care-reports", body(door))
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.fixture
def triaged(door, door_api, reported) -> str:
    response = door_api.post(f"/care-reports/{reported}/triage", {"decision": "joint_intake"})
    assert response.status_code == 200, response.content
    return reported


def plan_intake(door_api, report_id, *orgs, starts_at=None):
    starts_at = starts_at or timezone.now() - timedelta(hours=2)
    return door_api.post(f"/care-reports/{report_id}/intakes", {
        "organisation_ids": [o.pk for o in orgs], "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + timedelta(hours=1)).isoformat(),
        "location": "Wijkcentrum De Haven"})


@pytest.fixture
def meeting(door, door_api, triaged) -> int:
    response = plan_intake(door_api, triaged, door.youth_care, door.mental_health)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def outcome_body(door, **overrides):
    return {"participants": [door.front_door.pk, door.youth_worker.pk],
            "family_present": [str(door.parent.pk)],
            "question_understood": "Noor wil weer naar school; thuis is het onrustig.",
            "goals": [{"title": "Noor gaat minstens drie dagen per week naar school",
                       "person_ids": [str(door.child.pk)], "levels": LEVELS}],
            "coordinator_id": door.coordinator.pk, "decision": "plan",
            "consent_given_by_person_ids": [str(door.parent.pk), str(door.youth.pk)],
            } | overrides


# --- the report ---------------------------------------------------------------------------


def test_a_professional_reports_and_gets_exactly_the_contracts_answer(door, teacher_api):
    response = teacher_api.post("/care-reports", body(door))

    assert response.status_code == 201, response.content
    answer = response.json()
    assert set(answer) == {"id", "status", "received_at", "triage_due_on"}
    assert answer["status"] == "received"
    report = CareReport.objects.get(pk=answer["id"])
    assert report.reported_by == door.teacher and report.person == door.child
    # regular: triage within 5 working days (the default norm)
    assert answer["triage_due_on"] == add_working_days(timezone.localdate(), 5).isoformat()


def test_a_crisis_is_due_today(door, teacher_api):
    response = teacher_api.post("/care-reports", body(door, urgency="crisis"))
    assert response.json()["triage_due_on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(("change", "field", "rule"), [
    ({"question": None}, "question", "string_type"),
    ({"question": ""}, "question", "string_too_short"),
    ({"urgency": "soon"}, "urgency", "literal_error"),
    ({"unsafe": "maybe"}, "unsafe", "bool_parsing"),
    ({"life_domains": []}, "life_domains", "too_short"),
    ({"life_domains": ["schooling", "astrology"]}, "life_domains[1]", "life_domain"),
    ({"contact_email": "not an address"}, "contact_email", "email"),
    ({"contact_phone": "12"}, "contact_phone", "phone"),
    ({"question": "x" * 5001}, "question", "string_too_long"),
])
def test_bad_input_is_a_422_naming_the_field(door, teacher_api, change, field, rule):
    response = teacher_api.post("/care-reports", body(door, **change))
    assert errors(response)[field] == rule
    assert not CareReport.objects.exists()


def test_a_missing_field_is_named(door, teacher_api):
    sent = body(door)
    del sent["consent_to_share"]
    assert errors(teacher_api.post("/care-reports", sent)) == {"consent_to_share": "missing"}


def test_a_report_is_about_a_person_or_a_household_not_both(door, teacher_api):
    both = body(door, household_id=str(door.household.pk))
    assert errors(teacher_api.post("/care-reports", both)) == {"person_id": "one_subject"}
    neither = body(door)
    del neither["person_id"]
    assert errors(teacher_api.post("/care-reports", neither)) == {"person_id": "one_subject"}


def test_the_family_reports_in_its_own_name(door, api_client_for):
    parent_api = api_client_for(f.UserFactory(person=door.parent))
    response = parent_api.post("/care-reports", body(door))

    assert response.status_code == 201, response.content
    report = CareReport.objects.get(pk=response.json()["id"])
    assert report.reporter_kind == "family" and report.reported_by_person == door.parent
    read = parent_api.get(f"/care-reports/{report.pk}").json()
    assert read["projection"] == "family"
    assert read["report"]["question"] == report_input()["question"]
    assert read["report"]["contact_phone"] == "0612345678"  # their own


# --- reading a report ---------------------------------------------------------------------


def test_the_reporter_reads_the_status_only(door, teacher_api, reported):
    response = teacher_api.get(f"/care-reports/{reported}")

    assert response.status_code == 200, response.content
    read = response.json()
    assert read["projection"] == "status" and read["report"] is None
    assert read["status"] == "received" and read["next_step"] == "triaged"
    assert read["next_step_by"] == add_working_days(timezone.localdate(), 5).isoformat()
    assert "Noor" not in response.content.decode()  # nothing of the content
    record = AccessLogRecord.objects.filter(object_id=reported, action="read").latest("id")
    assert record.ground == "reporter" and record.username == door.teacher.user.username


def test_the_front_door_reads_the_whole_report(door, door_api, reported):
    read = door_api.get(f"/care-reports/{reported}").json()

    assert read["projection"] == "full"
    content = read["report"]
    assert content["question"] == report_input()["question"]
    assert content["life_domains"] == ["schooling", "emotional_support"]
    assert content["person_id"] == str(door.child.pk)
    assert content["reporter_kind"] == "professional"
    assert content["triage"] is None and content["intakes"] == []
    assert AccessLogRecord.objects.filter(object_id=reported, action="read",
                                          ground="front_door").exists()


def test_the_family_reads_its_report_but_not_who_reported_it(door, api_client_for, reported):
    from jeugdketen.access.policy import public_actor
    from jeugdketen.intake.actions import public, reports

    parent_api = api_client_for(f.UserFactory(person=door.parent))
    read = parent_api.get(f"/care-reports/{reported}").json()
    assert read["projection"] == "family"
    assert read["report"]["question"] == report_input()["question"]
    assert (read["report"]["contact_phone"], read["report"]["contact_email"]) == ("", "")
    # A neighbour's report through the public form, once the front door knows whom it is
    # about: the family never learns the neighbour's name.
    neighbour = public.report_public(public_actor("192.0.2.9"), **public_input())
    reports.identify(door.actor, neighbour.pk, person_id=door.child.pk)
    read = parent_api.get(f"/care-reports/{neighbour.pk}").json()
    assert read["projection"] == "family"
    assert (read["report"]["reporter_name"], read["report"]["reporter_relation"],
            read["report"]["contact_email"]) == ("", "", "")
    assert read["report"]["question"] == public_input()["question"]
    front_door = api_client_for(door.front_door).get(f"/care-reports/{neighbour.pk}").json()
    assert front_door["projection"] == "full"
    assert front_door["report"]["reporter_name"] == "Buurvrouw"


def test_someone_without_a_ground_gets_403_as_for_an_unknown_report(door, api_client_for,
                                                                    reported):
    stranger = api_client_for(door.therapist)  # not invited (yet)
    forbidden = problem(stranger.get(f"/care-reports/{reported}"), 403)
    unknown = problem(stranger.get(f"/care-reports/{uuid.uuid4()}"), 403)
    assert {k: v for k, v in forbidden.items() if k != "instance"} == \
        {k: v for k, v in unknown.items() if k != "instance"}
    assert "Noor" not in str(forbidden)
    assert AccessLogRecord.objects.filter(object_id=reported, outcome="denied").exists()


def test_a_path_id_that_is_not_a_uuid_is_a_422_naming_it(door_api):
    assert errors(door_api.get("/care-reports/42")) == {"report_id": "uuid_parsing"}


# --- triage -------------------------------------------------------------------------------


def test_the_front_door_triages_once(door, door_api, reported):
    first = door_api.post(f"/care-reports/{reported}/triage",
                          {"decision": "joint_intake", "urgency": "urgent"})

    assert first.status_code == 200, first.content
    assert first.json() == {"id": reported, "status": "triaged", "decision": "joint_intake",
                            "urgency": "urgent", "working_days": 0, "plan_id": None}
    second = door_api.post(f"/care-reports/{reported}/triage", {"decision": "advice"})
    assert errors(second, 409) == {"decision": "already_triaged"}
    assert Triage.objects.filter(report_id=reported).count() == 1


def test_advice_closes_the_report(door_api, reported):
    answer = door_api.post(f"/care-reports/{reported}/triage", {"decision": "advice"}).json()
    assert answer["status"] == "closed"
    assert CareReport.objects.get(pk=reported).close_reason == "advice"


def test_the_neighbourhood_team_starts_the_plan_at_once(door, door_api, reported):
    response = door_api.post(f"/care-reports/{reported}/triage", {
        "decision": "neighbourhood_team", "coordinator_id": door.coordinator.pk,
        "consent_given_by_person_ids": [str(door.parent.pk), str(door.youth.pk)]})

    assert response.status_code == 200, response.content
    answer = response.json()
    report = CareReport.objects.get(pk=reported)
    assert answer["plan_id"] == str(report.trajectory_key)
    assert answer["status"] == "help_started"
    plan = Plan.objects.get(pk=report.trajectory_key)
    assert plan.origin == "care_report" and plan.coordinator == door.coordinator


def test_a_refusal_names_the_field_the_caller_sent(door, door_api, reported):
    """The action calls the givers `consent_given_by`; the API body calls them
    `consent_given_by_person_ids`, and so does the 422."""
    response = door_api.post(f"/care-reports/{reported}/triage", {
        "decision": "neighbourhood_team", "coordinator_id": door.coordinator.pk,
        "consent_given_by_person_ids": [str(door.child.pk)]})  # a child of 8 cannot
    fields = errors(response)
    assert fields and all(f.startswith("consent_given_by_person_ids") for f in fields), fields
    assert not Triage.objects.exists()


@pytest.mark.parametrize(("sent", "field", "rule"), [
    ({"decision": "wait"}, "decision", "literal_error"),
    ({"decision": "advice", "urgency": "later"}, "urgency", "literal_error"),
    ({}, "decision", "missing"),
])
def test_triage_input_is_checked_first(door_api, reported, sent, field, rule):
    assert errors(door_api.post(f"/care-reports/{reported}/triage", sent))[field] == rule


def test_only_the_front_door_triages(door, teacher_api, api_client_for, reported):
    problem(teacher_api.post(f"/care-reports/{reported}/triage", {"decision": "advice"}), 403)
    problem(api_client_for(door.coordinator).post(
        f"/care-reports/{reported}/triage", {"decision": "advice"}), 403)
    assert not Triage.objects.exists()


# --- the intake ---------------------------------------------------------------------------


def test_the_front_door_plans_a_joint_intake(door, door_api, triaged):
    starts_at = timezone.now() + timedelta(days=7)
    response = plan_intake(door_api, triaged, door.youth_care, door.mental_health,
                           starts_at=starts_at)

    assert response.status_code == 201, response.content
    answer = response.json()
    assert set(answer) == {"id", "invitations"}
    assert answer["invitations"] == [
        {"organisation_id": door.youth_care.pk, "status": "invited"},
        {"organisation_id": door.mental_health.pk, "status": "invited"}]
    assert CareReport.objects.get(pk=triaged).step == "intake_planned"
    read = door_api.get(f"/care-reports/{triaged}").json()
    assert read["report"]["intakes"][0]["id"] == answer["id"]


def test_a_time_without_an_offset_is_dutch_time(door, door_api, triaged):
    response = door_api.post(f"/care-reports/{triaged}/intakes", {
        "organisation_ids": [door.youth_care.pk], "starts_at": "2030-06-03T10:00:00",
        "ends_at": "2030-06-03T11:30:00", "location": "Beeldbellen"})
    assert response.status_code == 201, response.content
    read = door_api.get(f"/care-reports/{triaged}").json()
    assert read["report"]["intakes"][0]["starts_at"].startswith("2030-06-03T08:00:00")  # UTC


@pytest.mark.parametrize(("change", "field", "rule"), [
    ({"ends_at": "2030-06-03T09:00:00+02:00"}, "ends_at", "ends_before_start"),
    ({"organisation_ids": []}, "organisation_ids", "too_short"),
    ({"organisation_ids": [999999]}, "organisation_ids", "unknown_organisation"),
    ({"location": ""}, "location", "string_too_short"),
    ({"starts_at": "tomorrow"}, "starts_at", "datetime_from_date_parsing"),
])
def test_intake_input_is_named(door, door_api, triaged, change, field, rule):
    sent = {"organisation_ids": [door.youth_care.pk], "starts_at": "2030-06-03T10:00:00+02:00",
            "ends_at": "2030-06-03T11:00:00+02:00", "location": "Wijkcentrum"} | change
    assert errors(door_api.post(f"/care-reports/{triaged}/intakes", sent))[field] == rule


def test_an_intake_is_planned_only_after_a_triage_to_it(door, door_api, reported):
    response = plan_intake(door_api, reported, door.youth_care)
    assert errors(response, 409) == {"report_id": "not_for_intake"}


# --- invitations --------------------------------------------------------------------------


def test_an_invited_organisation_with_consent_accepts_and_reads(door, api_client_for, meeting,
                                                                triaged):
    door.intake_consent(door.youth_care)
    worker = api_client_for(door.youth_worker)
    response = worker.post(f"/intakes/{meeting}/invitations/{door.youth_care.pk}/answer",
                           {"accept": True})

    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["status"] == "accepted" and answer["professional_id"] == door.youth_worker.pk
    assert answer["organisation_id"] == door.youth_care.pk and answer["answered_at"]
    again = worker.post(f"/intakes/{meeting}/invitations/{door.youth_care.pk}/answer",
                        {"accept": False, "reason": "Toch geen plek"})
    assert errors(again, 409) == {"accept": "already_answered"}
    read = worker.get(f"/care-reports/{triaged}").json()
    assert read["projection"] == "full" and read["report"]["question"]


def test_without_the_familys_consent_the_invited_see_no_report(door, api_client_for, meeting,
                                                               triaged):
    problem(api_client_for(door.therapist).get(f"/care-reports/{triaged}"), 403)


def test_an_invited_organisation_answers_without_reading_the_report(door, api_client_for,
                                                                    meeting, triaged):
    """Without the family's consent the invitation is date and place only: the answer
    goes, the report stays closed."""
    therapist = api_client_for(door.therapist)
    response = therapist.post(f"/intakes/{meeting}/invitations/{door.mental_health.pk}/answer",
                              {"accept": True})
    assert response.status_code == 200, response.content
    assert response.json()["professional_id"] == door.therapist.pk
    problem(therapist.get(f"/care-reports/{triaged}"), 403)


def test_a_decline_needs_a_reason(door, door_api, meeting):
    # The front-door team records an answer given to it by phone.
    path = f"/intakes/{meeting}/invitations/{door.mental_health.pk}/answer"
    assert errors(door_api.post(path, {"accept": False})) == {"reason": "required"}
    response = door_api.post(path, {"accept": False, "reason": "Geen plek deze maand"})
    assert response.json()["status"] == "declined"


def test_an_organisation_that_was_not_invited_cannot_answer(door, api_client_for, meeting):
    teacher = api_client_for(door.teacher)
    response = teacher.post(f"/intakes/{meeting}/invitations/{door.youth_care.pk}/answer",
                            {"accept": True})
    problem(response, 403)
    assert not Invitation.objects.filter(status="accepted").exists()


def test_an_unknown_meeting_is_403_and_a_bad_body_422(door, door_api, meeting):
    problem(door_api.post(f"/intakes/999999/invitations/{door.youth_care.pk}/answer",
                          {"accept": True}), 403)
    assert errors(door_api.post(
        f"/intakes/{meeting}/invitations/{door.youth_care.pk}/answer",
        {"accept": "perhaps"})) == {"accept": "bool_parsing"}


# --- the outcome --------------------------------------------------------------------------


def test_the_outcome_starts_the_plan_with_the_goals(door, door_api, api_client_for, meeting,
                                                    triaged):
    door.intake_consent(door.youth_care)
    api_client_for(door.youth_worker).post(
        f"/intakes/{meeting}/invitations/{door.youth_care.pk}/answer", {"accept": True})

    response = door_api.post(f"/intakes/{meeting}/outcome", outcome_body(door))

    assert response.status_code == 200, response.content
    report = CareReport.objects.get(pk=triaged)
    assert response.json() == {"plan_id": str(report.trajectory_key)}
    plan = Plan.objects.get(pk=report.trajectory_key)
    assert plan.origin == "care_report" and plan.coordinator == door.coordinator
    assert [(g.title, g.levels) for g in plan.goals.all()] == [
        ("Noor gaat minstens drie dagen per week naar school", LEVELS)]
    assert plan.team.filter(professional=door.youth_worker).exists()
    again = door_api.post(f"/intakes/{meeting}/outcome", outcome_body(door))
    assert errors(again, 409) == {"decision": "intake_held"}
    read = door_api.get(f"/care-reports/{triaged}").json()
    assert read["status"] == "help_started"
    assert read["report"]["plan_id"] == str(report.trajectory_key)
    held = read["report"]["intakes"][0]["outcome"]
    assert held["decision"] == "plan" and held["goals"][0]["levels"] == LEVELS


def test_advice_answers_no_plan(door, door_api, meeting):
    response = door_api.post(f"/intakes/{meeting}/outcome", outcome_body(
        door, decision="advice", goals=[], coordinator_id=None))
    assert response.status_code == 200, response.content
    assert response.json() == {"plan_id": None}
    assert not Plan.objects.exists()


def test_the_outcomes_goals_carry_their_levels(door, door_api, meeting):
    without = outcome_body(door)
    del without["goals"][0]["levels"]
    assert errors(door_api.post(f"/intakes/{meeting}/outcome", without)) == {
        "goals[0].levels": "missing"}
    short = outcome_body(door)
    short["goals"][0]["levels"] = {k: v for k, v in LEVELS.items() if k != "2"}
    assert errors(door_api.post(f"/intakes/{meeting}/outcome", short)) == {
        "goals[0].levels[2]": "missing"}
    assert not Outcome.objects.exists()


def test_outcome_refusals_name_the_fields_sent(door, door_api, meeting):
    unknown = door_api.post(f"/intakes/{meeting}/outcome",
                            outcome_body(door, participants=[999999]))
    assert errors(unknown) == {"participants": "unknown_professional"}
    stranger = f.PersonFactory()
    outside = door_api.post(f"/intakes/{meeting}/outcome",
                            outcome_body(door, family_present=[str(stranger.pk)]))
    assert errors(outside) == {"family_present": "not_in_family"}
    referral = door_api.post(f"/intakes/{meeting}/outcome",
                             outcome_body(door, decision="referral", goals=[]))
    assert errors(referral) == {"referral_result": "required"}


def test_one_family_one_plan(door, door_api, meeting):
    from jeugdketen.plans import actions as plans

    f.RegistrationFactory(person=door.parent, professional=door.coordinator)
    for person in (door.child, door.youth):
        f.RegistrationFactory(person=person, professional=door.coordinator)
    open_plan = plans.start_plan(f.professional_actor(door.coordinator), door.household.pk,
                                 door.coordinator.pk,
                                 consent_given_by=[door.parent.pk, door.youth.pk])

    response = door_api.post(f"/intakes/{meeting}/outcome", outcome_body(door))

    assert errors(response, 409) == {"household_id": "open_plan_exists"}
    assert list(Plan.objects.all()) == [open_plan]
    assert not Outcome.objects.exists()


def test_only_the_front_door_records_the_outcome(door, api_client_for, meeting):
    door.intake_consent(door.youth_care)
    worker = api_client_for(door.youth_worker)
    problem(worker.post(f"/intakes/{meeting}/outcome", outcome_body(door)), 403)
    assert not Outcome.objects.exists()


def test_every_route_answers_401_without_a_token(anonymous_api, reported):
    for path in (f"/care-reports/{reported}",):
        problem(anonymous_api.get(path), 401)
    for path in ("/care-reports", f"/care-reports/{reported}/triage",
                 f"/care-reports/{reported}/intakes", "/intakes/1/invitations/1/answer",
                 "/intakes/1/outcome"):
        problem(anonymous_api.post(path, {}), 401)


UUIDS = [str(uuid.UUID(int=i)) for i in range(1, 30)]
BOUNDS = [
    # (path under a report or a meeting, body with n items, field, bound)
    ("/care-reports", lambda n: {"life_domains": ["schooling"] * n}, "life_domains", 19),
    ("/care-reports/{report}/triage", lambda n: {
        "decision": "neighbourhood_team", "consent_given_by_person_ids": UUIDS[:n]},
     "consent_given_by_person_ids", 20),
    ("/care-reports/{report}/intakes", lambda n: {
        "organisation_ids": list(range(1, n + 1)), "starts_at": "2030-01-01T10:00:00",
        "ends_at": "2030-01-01T11:00:00", "location": "x"}, "organisation_ids", 20),
    ("/intakes/{meeting}/outcome", lambda n: {"participants": list(range(1, n + 1)),
                                              "decision": "advice"}, "participants", 20),
    ("/intakes/{meeting}/outcome", lambda n: {"participants": [1], "decision": "advice",
                                              "family_present": UUIDS[:n]},
     "family_present", 20),
    ("/intakes/{meeting}/outcome", lambda n: {"participants": [1], "decision": "plan", "goals": [
        {"title": "t", "person_ids": UUIDS[:n], "levels": LEVELS}]},
     "goals[0].person_ids", 20),
    ("/intakes/{meeting}/outcome", lambda n: {"participants": [1], "decision": "plan", "goals": [
        {"title": "t", "person_ids": UUIDS[:1], "levels": LEVELS}] * n}, "goals", 50),
]


@pytest.mark.parametrize(("path", "sent", "field", "bound"), BOUNDS,
                         ids=[f"{b[0]}:{b[2]}" for b in BOUNDS])
def test_a_list_one_over_its_bound_is_422_naming_field_and_rule(door_api, path, sent, field,
                                                                bound):
    path = path.format(report=uuid.uuid4(), meeting=1)
    found = {e["field"]: e for e in problem(door_api.post(path, sent(bound + 1)), 422)["errors"]}
    assert found[field]["rule"] == "too_long", found
    assert str(bound) in found[field]["message"]
    at_bound = door_api.post(path, sent(bound))
    if at_bound.status_code == 422:
        assert field not in {e["field"] for e in at_bound.json()["errors"]}


# --- the OpenAPI document -----------------------------------------------------------------


def test_the_front_doors_schemas_have_names_of_their_own():
    """The OpenAPI document names each schema by its class: a second `OutcomeOut` (the
    decision aids have one) would silently replace the other's in the document."""
    import ast
    from pathlib import Path

    import jeugdketen

    src = Path(jeugdketen.__file__).parent
    names: dict[str, list[str]] = {}
    for path in src.glob("*/api.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef):
                names.setdefault(node.name, []).append(path.parent.name)
    ours = [n for n, apps in names.items() if "intake" in apps]
    assert ours and not [n for n in ours if len(names[n]) > 1], {n: names[n] for n in ours}


def test_the_document_lists_the_front_door(anonymous_api):
    paths = anonymous_api.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/care-reports", "/api/v1/care-reports/{report_id}",
                 "/api/v1/care-reports/{report_id}/triage",
                 "/api/v1/care-reports/{report_id}/intakes",
                 "/api/v1/intakes/{meeting_id}/invitations/{organisation_id}/answer",
                 "/api/v1/intakes/{meeting_id}/outcome"):
        assert path in paths, path
    created = paths["/api/v1/care-reports"]["post"]["responses"]
    assert {"201", "401", "403", "409", "422"} <= set(created)


def test_one_organisation_after_the_other_each_intake_is_held(door, door_api, triaged,
                                                             api_client_for):
    starts_at = timezone.now() - timedelta(hours=2)
    response = door_api.post(f"/care-reports/{triaged}/intakes", {
        "organisation_ids": [door.youth_care.pk], "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + timedelta(hours=1)).isoformat(),
        "location": "Jeugdhulp Noord", "joint": False})
    assert response.status_code == 201, response.content
    meeting_id = response.json()["id"]
    held = door_api.post(f"/intakes/{meeting_id}/held", {})
    assert held.status_code == 200, held.content
    assert held.json()["id"] == meeting_id
    assert errors(door_api.post(f"/intakes/{meeting_id}/held", {}), 409) == {
        "meeting_id": "intake_held"}
    # Not the front door: the invited organisation does not record it.
    assert api_client_for(door.youth_worker).post(f"/intakes/{meeting_id}/held", {}
                                                  ).status_code == 403


def test_a_joint_intake_is_held_with_its_outcome(door_api, meeting):
    assert errors(door_api.post(f"/intakes/{meeting}/held", {}), 409) == {
        "meeting_id": "joint_intake"}
