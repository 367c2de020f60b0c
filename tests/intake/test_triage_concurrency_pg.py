"""Real concurrency on PostgreSQL (issue 11): two members of the front-door team triage the
same report at the same moment, each in their own thread with their own connection and
their own API token. Exactly one triage is recorded, with one chain event; the other gets
409 `already_triaged` (never a 500, never a second triage), and the refused attempt is in
the access log.

Like tests/registry/test_concurrency_pg.py (whose `pg`/`committed` fixtures and thread
helper these use): committed data, real threads, PostgreSQL only; skipped on SQLite,
where writers are serialised anyway.
"""

from __future__ import annotations

import pytest

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.intake.actions import reports
from jeugdketen.intake.models import CareReport, Triage
from tests import factories as f
from tests.conftest import ApiClient, token_for
from tests.parallel import events, one_wins, post_at_once
from tests.registry.test_concurrency_pg import committed, in_threads, pg  # noqa: F401 - fixtures

from .conftest import report_input

pytestmark = pytest.mark.postgres

ROUNDS = 5
STEP_AFTER = {"joint_intake": "triaged", "advice": "closed"}


@pytest.fixture
def front_door(committed, door):  # noqa: F811 - `committed` first: the skip comes first
    """The door's team of two: each triages through the API with a token of their own."""
    colleague = f.ProfessionalFactory(organisation=door.team_org, roles=["front_door"],
                                      full_name="Fatima Voordeur")
    return door, [door.front_door, colleague]


def a_report(door) -> CareReport:
    return reports.report(door.teacher_actor, person_id=door.child.pk, **report_input())


def test_two_team_members_triage_the_same_report_at_once(front_door):
    door, team = front_door
    clients = [ApiClient(token_for(member.user)) for member in team]
    decisions = ["joint_intake", "advice"]  # different decisions: which one won must show
    for _ in range(ROUNDS):
        report = a_report(door)

        def triage(i: int, report_id: str = str(report.pk)) -> tuple[int, dict]:
            response = clients[i].post(f"/care-reports/{report_id}/triage",
                                       {"decision": decisions[i]})
            return response.status_code, response.json()

        results = in_threads(2, triage)

        winner = one_wins(results, 200, 409, rule="already_triaged")
        (stored,) = Triage.objects.filter(report=report)
        assert stored.decision == winner["decision"]
        assert stored.by_id == team[decisions.index(winner["decision"])].pk
        report.refresh_from_db()
        assert report.step == STEP_AFTER[stored.decision] == winner["status"]
        assert events("care_report.triaged", trajectory_key=str(report.trajectory_key)) == 1
        refused = AccessLogRecord.objects.filter(object_id=str(report.pk), action="update",
                                                 outcome="refused")
        assert [r.reason for r in refused] == ["already_triaged"]


def test_eight_tabs_sending_one_triage_give_one(front_door):
    """A double click, a retry, several tabs of one team member: one triage, seven 409s."""
    door, team = front_door
    report = a_report(door)

    results = post_at_once(team[0], f"/care-reports/{report.pk}/triage",
                           {"decision": "joint_intake"})

    one_wins(results, 200, 409, rule="already_triaged")
    assert Triage.objects.filter(report=report).count() == 1
    assert events("care_report.triaged", trajectory_key=str(report.trajectory_key)) == 1


def test_a_plan_start_and_an_advice_at_once_give_one_of_them(front_door):
    """One member starts the plan with the neighbourhood team, the other closes with
    advice, at the same moment: one of the two happens, whole."""
    from jeugdketen.plans.models import Plan

    door, team = front_door
    clients = [ApiClient(token_for(member.user)) for member in team]
    bodies = [{"decision": "neighbourhood_team", "coordinator_id": door.coordinator.pk,
               "consent_given_by_person_ids": [str(door.parent.pk), str(door.youth.pk)]},
              {"decision": "advice"}]
    for _ in range(ROUNDS):
        Plan.objects.filter(household=door.household).update(status="closed")  # next round
        report = a_report(door)

        def triage(i: int, report_id: str = str(report.pk)) -> tuple[int, dict]:
            response = clients[i].post(f"/care-reports/{report_id}/triage", bodies[i])
            return response.status_code, response.json()

        winner = one_wins(in_threads(2, triage), 200, 409, rule="already_triaged")
        report.refresh_from_db()
        plans = Plan.objects.filter(pk=report.trajectory_key)
        if winner["decision"] == "neighbourhood_team":
            assert report.step == "help_started" and plans.count() == 1
            assert winner["plan_id"] == str(report.trajectory_key)
        else:
            assert report.step == "closed" and not plans.exists()
        assert Triage.objects.filter(report=report).count() == 1
