"""The family-plan contract of the API, end to end: a plan, goals, actions, the team with
the informal network, consent, evaluations with the T-score, and the close."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.plans.models import Plan

from .conftest import LEVELS, consent_all, coordinated_match_about, field_of, rule_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client_for, family):
    return api_client_for(family.coordinator)


def start(api, family, match, coordinator=None):
    """POST /plans starts a plan from a match (its agreed coordinator); the start on the
    family's consent is the household page's (the `plan` fixture, through the action)."""
    return api.post("/plans", {"household_id": str(family.household.pk),
                               "coordinator_id": (coordinator or family.coordinator).pk,
                               "match_id": match.pk})


def test_one_family_one_plan(api, family):
    match = coordinated_match_about(family.child, family.coordinator)
    first = start(api, family, match)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "open" and body["origin"] == "match"
    read = api.get(f"/plans/{body['id']}").json()
    assert {m["id"] for m in read["members"]} == {str(p.pk) for p in family.members}
    second = start(api, family, match)
    assert second.status_code == 409
    problem = second.json()
    assert rule_of(second) == "open_plan_exists"
    assert problem["existing"]["id"] == body["id"]
    assert Plan.objects.filter(household=family.household).count() == 1


def test_coordinator_from_an_organisation_that_may_coordinate(api, family):
    match = coordinated_match_about(family.child, family.coordinator)
    response = start(api, family, match, coordinator=family.teacher)
    assert response.status_code == 422
    assert rule_of(response) == "organisation_may_not_coordinate"
    assert field_of(response) == "coordinator_id"
    assert not Plan.objects.exists()


def test_someone_without_a_ground_cannot_start_a_plan(api_client_for, family):
    response = api_client_for(family.teacher).post("/plans", {
        "household_id": str(family.household.pk), "coordinator_id": family.coordinator.pk})
    assert response.status_code in (403, 404)
    assert not Plan.objects.exists()


def test_the_whole_trajectory(api, api_client_for, family, plan):
    plan_id = str(plan.pk)
    goal = api.post(f"/plans/{plan_id}/goals", {
        "title": "Daan woont veilig thuis en gaat minstens 3 dagen per week naar school",
        "person_ids": [str(family.youth.pk)], "weight": 2, "levels": LEVELS})
    assert goal.status_code == 201, goal.content
    goal_id = goal.json()["id"]
    second = api.post(f"/plans/{plan_id}/goals", {
        "title": "Mariam heeft overzicht over de schulden", "person_ids": [str(family.parent.pk)],
        "levels": LEVELS})
    assert second.status_code == 201
    grandmother = api.post(f"/plans/{plan_id}/team", {
        "related_person": {"name": "Oma Joke", "relation": "grootmoeder", "phone": "0612345678"},
        "role": "Haalt Noor twee keer per week uit school"})
    assert grandmother.status_code == 201, grandmother.content
    related_id = grandmother.json()["related_person_id"]
    # The school may not join without the family's consent.
    refused = api.post(f"/plans/{plan_id}/team", {"professional_id": family.teacher.pk,
                                                 "role": "intern begeleider"})
    assert refused.status_code == 403
    assert rule_of(refused) == "no_ground_to_join"
    consent_all(family, family.school)
    joined = api.post(f"/plans/{plan_id}/team", {"professional_id": family.teacher.pk,
                                                "role": "intern begeleider"})
    assert joined.status_code == 201
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    action = api.post(f"/plans/{plan_id}/actions", {
        "description": "Gesprek met Daan over school", "goal_id": goal_id,
        "performer": {"professional_id": family.teacher.pk},
        "organisation_id": family.school.pk, "due_on": due, "budget_eur": "0"})
    assert action.status_code == 201, action.content
    informal = api.post(f"/plans/{plan_id}/actions", {
        "description": "Noor ophalen op dinsdag en donderdag",
        "performer": {"related_person_id": related_id},
        "organisation_id": family.team_org.pk, "due_on": due})
    assert informal.status_code == 201
    paid = api.post(f"/plans/{plan_id}/actions", {
        "description": "Budgetcoaching", "performer": {"professional_id": family.coordinator.pk},
        "organisation_id": family.team_org.pk, "due_on": due, "budget_eur": "1250.50"})
    assert paid.status_code == 201
    evaluation = api.post(f"/plans/{plan_id}/evaluations", {
        "date": timezone.localdate().isoformat(),
        "scores": [{"goal_id": goal_id, "score": 1}, {"goal_id": second.json()["id"], "score": 0}]})
    assert evaluation.status_code == 201, evaluation.content
    # sum wx = 2; sum w^2 = 5; (sum w)^2 = 9: 50 + 20 / sqrt(3.5 + 2.7) = 58.0
    assert evaluation.json()["t_score"] == 58.0
    # The school reads the plan on the family's consent.
    teacher_api = api_client_for(family.teacher)
    read = teacher_api.get(f"/plans/{plan_id}")
    assert read.status_code == 200
    assert read.json()["evaluations"][0]["t_score"] == 58.0
    assert {t["role"] for t in read.json()["team"]} == {
        "Haalt Noor twee keer per week uit school", "intern begeleider"}
    # Every member of the household sees the school's read in their access overview.
    reads = AccessLogRecord.objects.filter(username=family.teacher.user.username,
                                           data="plan", outcome="allowed", action="read")
    assert {r.client_id for r in reads} == {str(p.pk) for p in family.members}
    closed = api.post(f"/plans/{plan_id}/close", {
        "reason_code": "01", "can_continue_without_help": True, "satisfaction": 8})
    assert closed.status_code == 200, closed.content
    assert closed.json()["final_t_score"] == 58.0
    event = ChainEvent.objects.get(activity="plan.closed")
    assert event.attributes["reason_code"] == "01"
    assert event.attributes["satisfaction"] == 8
    assert event.attributes["budget_eur"] == "1250.50"
    assert event.trajectory_key == plan_id
    # A closed plan is not changed any more.
    late = api.post(f"/plans/{plan_id}/goals", {"title": "Nog iets", "levels": LEVELS,
                                                "person_ids": [str(family.child.pk)]})
    assert late.status_code in (403, 404)


@pytest.mark.parametrize("payload, field", [
    ({"title": "", "person_ids": [], "levels": LEVELS}, "title"),
    ({"title": "Doel", "person_ids": [], "levels": LEVELS}, "person_ids"),
    ({"title": "Doel", "person_ids": ["PERSON"], "weight": 0, "levels": LEVELS}, "weight"),
    ({"title": "Doel", "person_ids": ["PERSON"], "levels": {"0": "verwacht"}}, "levels"),
])
def test_goal_errors_name_the_field(api, family, plan, payload, field):
    plan_id = str(plan.pk)
    payload = {**payload, "person_ids": [str(family.child.pk) if p == "PERSON" else p
                                         for p in payload["person_ids"]]}
    response = api.post(f"/plans/{plan_id}/goals", payload)
    assert response.status_code == 422
    assert field in str(response.json())


def test_goal_for_someone_outside_the_household(api, family, plan):
    from tests import factories as f

    plan_id = str(plan.pk)
    stranger = f.PersonFactory()
    response = api.post(f"/plans/{plan_id}/goals", {
        "title": "Doel", "person_ids": [str(stranger.pk)], "levels": LEVELS})
    assert response.status_code == 422
    assert field_of(response) == "person_ids"


@pytest.mark.parametrize("scores, field", [
    ([{"goal_id": "GOAL", "score": 3}], "score"),
    ([{"goal_id": "GOAL", "score": 1}, {"goal_id": "GOAL", "score": 1}], "scores.goal_id"),
    ([{"goal_id": 999999, "score": 1}], "scores.goal_id"),
])
def test_evaluation_errors_name_the_field(api, family, plan, scores, field):
    plan_id = str(plan.pk)
    goal_id = api.post(f"/plans/{plan_id}/goals", {
        "title": "Doel", "person_ids": [str(family.child.pk)], "levels": LEVELS}).json()["id"]
    scores = [{**s, "goal_id": goal_id if s["goal_id"] == "GOAL" else s["goal_id"]} for s in scores]
    response = api.post(f"/plans/{plan_id}/evaluations", {
        "date": timezone.localdate().isoformat(), "scores": scores})
    assert response.status_code == 422
    assert field in str(response.json())


def test_every_goal_is_scored(api, family, plan):
    plan_id = str(plan.pk)
    goal_id = api.post(f"/plans/{plan_id}/goals", {
        "title": "Doel", "person_ids": [str(family.child.pk)], "levels": LEVELS}).json()["id"]
    api.post(f"/plans/{plan_id}/goals", {
        "title": "Doel 2", "person_ids": [str(family.child.pk)], "levels": LEVELS})
    response = api.post(f"/plans/{plan_id}/evaluations", {
        "date": timezone.localdate().isoformat(), "scores": [{"goal_id": goal_id, "score": 0}]})
    assert response.status_code == 422
    assert rule_of(response) == "goal_not_scored"


@pytest.mark.parametrize("payload, field", [
    ({"reason_code": "06", "can_continue_without_help": True}, "reason_code"),
    ({"reason_code": "01", "can_continue_without_help": True, "satisfaction": 11}, "satisfaction"),
    ({"reason_code": "01"}, "can_continue_without_help"),
])
def test_close_errors_name_the_field(api, family, plan, payload, field):
    plan_id = str(plan.pk)
    response = api.post(f"/plans/{plan_id}/close", payload)
    assert response.status_code == 422
    assert field in str(response.json())


def test_action_errors(api, family, plan):
    plan_id = str(plan.pk)
    due = timezone.localdate().isoformat()
    base = {"description": "Iets doen", "organisation_id": family.team_org.pk, "due_on": due}
    both = api.post(f"/plans/{plan_id}/actions", {**base, "performer": {}})
    assert both.status_code == 422 and rule_of(both) == "one_performer"
    outsider = api.post(f"/plans/{plan_id}/actions", {
        **base, "performer": {"professional_id": family.teacher.pk}})
    assert outsider.status_code == 422 and rule_of(outsider) == "performer_not_in_team"
    code = api.post(f"/plans/{plan_id}/actions", {
        **base, "performer": {"professional_id": family.coordinator.pk},
        "product_code": "onbekend"})
    assert code.status_code == 422 and field_of(code) == "product_code"
    negative = api.post(f"/plans/{plan_id}/actions", {
        **base, "performer": {"professional_id": family.coordinator.pk}, "budget_eur": "-5"})
    assert negative.status_code == 422 and "budget_eur" in str(negative.json())
    foreign = api.post(f"/plans/{plan_id}/actions", {
        **base, "organisation_id": family.school.pk,
        "performer": {"professional_id": family.coordinator.pk}})
    assert foreign.status_code == 422 and rule_of(foreign) == "organisation_not_in_plan"


def test_consent_withdrawal_denies_at_once(api, api_client_for, family, plan):
    plan_id = str(plan.pk)
    consents = consent_all(family, family.school)
    api.post(f"/plans/{plan_id}/team", {"professional_id": family.teacher.pk, "role": "ib"})
    teacher_api = api_client_for(family.teacher)
    assert teacher_api.get(f"/plans/{plan_id}").status_code == 200
    child_consent = next(c for c in consents if c.person_id == family.child.pk)
    withdrawn = api.post(f"/consents/{child_consent.pk}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    denied = teacher_api.get(f"/plans/{plan_id}")
    assert denied.status_code in (403, 404)
    assert AccessLogRecord.objects.filter(username=family.teacher.user.username, data="plan",
                                          outcome="denied").exists()


@pytest.mark.parametrize("who, givers, ok", [
    ("parent", ["parent"], True),
    ("parent", ["youth"], False),
    ("child", ["parent"], True),
    ("child", ["child"], False),
    ("child", ["child", "parent"], False),
    ("youth", ["youth", "parent"], True),
    ("youth", ["parent"], False),
    ("youth", ["youth"], False),
])
def test_who_gives_consent(api, family, plan, who, givers, ok):
    response = api.post("/consents", {
        "person_id": str(getattr(family, who).pk), "plan_id": str(plan.pk),
        "given_by_person_ids": [str(getattr(family, g).pk) for g in givers],
        "organisation_id": family.school.pk, "categories": ["plan"]})
    assert response.status_code == (201 if ok else 422), response.content
    if not ok:
        assert field_of(response) == "given_by_person_ids"


def test_consent_categories_are_enumerated(api, family, plan):
    response = api.post("/consents", {
        "person_id": str(family.parent.pk), "plan_id": str(plan.pk),
        "given_by_person_ids": [str(family.parent.pk)],
        "organisation_id": family.school.pk, "categories": ["everything"]})
    assert response.status_code == 422
    assert "categories" in str(response.json())


def test_legal_basis_stands_in_for_consent(api, api_client_for, family, municipality, plan):
    """Issue 8: the certified institution records its own legal basis (its professional
    entered the family); the coordinator cannot record it for them."""
    from jeugdketen.access.models import LegalBasis
    from tests import factories as f

    plan_id = str(plan.pk)
    gi = f.OrganisationFactory(name="GI Noord", kind="certified_institution",
                               municipality=municipality)
    guardian = f.ProfessionalFactory(organisation=gi, roles=["professional"])
    until = (timezone.localdate() + timedelta(days=365)).isoformat()

    def basis_for(person):
        return {"person_id": str(person.pk), "organisation_id": gi.pk,
                "kind": "child_protection", "reference": "OTS C/13/123456",
                "valid_until": until}

    refused = api.post("/legal-bases", basis_for(family.child))
    assert refused.status_code == 403
    assert not LegalBasis.objects.exists()
    guardian_api = api_client_for(guardian)
    for person in family.members:
        f.RegistrationFactory(person=person, professional=guardian)
        response = guardian_api.post("/legal-bases", basis_for(person))
        assert response.status_code == 201, response.content
    # The coordinator does not see the legal basis, so cannot add them on it (403, as
    # without a ground); the guardian joins the team themselves.
    added = api.post(f"/plans/{plan_id}/team", {"professional_id": guardian.pk,
                                               "role": "jeugdbeschermer"})
    assert added.status_code == 403
    joined = guardian_api.post(f"/plans/{plan_id}/join", {"role": "jeugdbeschermer"})
    assert joined.status_code == 201
    assert api_client_for(guardian).get(f"/plans/{plan_id}").status_code == 200
    record = AccessLogRecord.objects.filter(username=guardian.user.username, data="plan").last()
    assert record.ground == "legal_basis"


def test_a_municipality_adds_a_product_code(api, api_client_for, family, municipality,
                                            make_professional, plan):
    admin = make_professional("functional_admin")
    admin_api = api_client_for(admin)
    added = admin_api.post(f"/municipalities/{municipality.code}/product-codes",
                           {"code": "ambulant-gezin", "label": "Ambulante gezinsbegeleiding"})
    assert added.status_code == 201, added.content
    again = admin_api.post(f"/municipalities/{municipality.code}/product-codes",
                           {"code": "jeugdhulp", "label": "Dubbel"})
    assert again.status_code == 409 and field_of(again) == "code"
    bad = admin_api.post(f"/municipalities/{municipality.code}/product-codes",
                         {"code": "Met Spaties", "label": "x"})
    assert bad.status_code == 422 and "code" in str(bad.json())
    # A coordinator may not add codes; another municipality's administrator neither.
    assert api.post(f"/municipalities/{municipality.code}/product-codes",
                    {"code": "eigen", "label": "x"}).status_code == 403
    plan_id = str(plan.pk)
    used = api.post(f"/plans/{plan_id}/actions", {
        "description": "Gezinsbegeleiding", "performer": {"professional_id": family.coordinator.pk},
        "organisation_id": family.team_org.pk, "due_on": timezone.localdate().isoformat(),
        "budget_eur": "2400", "product_code": "ambulant-gezin"})
    assert used.status_code == 201, used.content


def test_the_agreed_coordinator_of_a_match_starts_a_plan_for_a_coordinator(
        api_client_for, family, municipality):
    """Issue 8: having entered the family no longer starts a plan, for oneself or for
    someone else. The agreed coordinator of a match may name another coordinator; the plan
    is then the coordinator's to read, not the starter's."""
    from jeugdketen.core.errors import Refusal
    from jeugdketen.plans import actions
    from tests import factories as f

    colleague = f.ProfessionalFactory(
        organisation=f.OrganisationFactory(municipality=municipality, may_coordinate=True),
        roles=["coordinator"])
    for person in family.members:
        f.RegistrationFactory(person=person, professional=colleague)
    starter = api_client_for(colleague)
    entered = starter.post("/plans", {"household_id": str(family.household.pk),
                                      "coordinator_id": family.coordinator.pk})
    assert entered.status_code == 403
    # On the family's consent the starter coordinates themselves.
    with pytest.raises(Refusal) as refused:
        actions.start_plan(f.professional_actor(colleague), family.household.pk,
                           family.coordinator.pk,
                           consent_given_by=[family.parent.pk, family.youth.pk])
    assert (refused.value.rule, refused.value.field) == ("consent_start_coordinator",
                                                         "coordinator_id")
    assert not Plan.objects.exists()
    match = coordinated_match_about(family.child, colleague)
    created = starter.post("/plans", {"household_id": str(family.household.pk),
                                      "coordinator_id": family.coordinator.pk,
                                      "match_id": match.pk})
    assert created.status_code == 201, created.content
    assert created.json()["coordinator_id"] == family.coordinator.pk
    assert starter.get(f"/plans/{created.json()['id']}").status_code == 403
    assert api_client_for(family.coordinator).get(
        f"/plans/{created.json()['id']}").status_code == 200


def test_the_product_code_is_optional_and_none_for_the_network(api, family, plan):
    """An action of the family's informal network is paid from nothing: it gets no product
    code (and one given is refused); a professional's action gets "jeugdhulp" when no code
    is given, and none when the code is empty."""
    from jeugdketen.plans.models import PlanAction

    plan_id = str(plan.pk)
    due = timezone.localdate().isoformat()
    related_id = api.post(f"/plans/{plan_id}/team", {
        "related_person": {"name": "Oma Joke", "relation": "grootmoeder"},
        "role": "Haalt op"}).json()["related_person_id"]
    network = {"description": "Ophalen", "performer": {"related_person_id": related_id},
               "organisation_id": family.team_org.pk, "due_on": due}
    informal = api.post(f"/plans/{plan_id}/actions", network)
    assert informal.status_code == 201, informal.content
    assert PlanAction.objects.get(pk=informal.json()["id"]).product_code == ""
    coded = api.post(f"/plans/{plan_id}/actions", {**network, "product_code": "jeugdhulp"})
    assert coded.status_code == 422 and rule_of(coded) == "product_code_network"
    assert field_of(coded) == "product_code"
    professional = {"description": "Gesprek", "performer": {"professional_id": family.coordinator.pk},
                    "organisation_id": family.team_org.pk, "due_on": due}
    default = api.post(f"/plans/{plan_id}/actions", professional)
    empty = api.post(f"/plans/{plan_id}/actions", {**professional, "product_code": ""})
    assert PlanAction.objects.get(pk=default.json()["id"]).product_code == "jeugdhulp"
    assert PlanAction.objects.get(pk=empty.json()["id"]).product_code == ""
    events = ChainEvent.objects.filter(activity="plan_action.planned")
    assert sorted(e.attributes["product_code"] for e in events) == ["", "", "jeugdhulp"]
    read = api.get(f"/plans/{plan_id}").json()
    assert {a["product_code"] for a in read["actions"]} == {"", "jeugdhulp"}
