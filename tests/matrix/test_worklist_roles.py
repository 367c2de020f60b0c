"""'Mijn werk' per role, in the matrix world (world.py): each item appears for the person
whose work it is, and for nobody else; the counts on "Berichten" are each user's own."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.plans.models import Plan
from jeugdketen.referral_index.models import Message

from .world import ACTORS, World

pytestmark = pytest.mark.django_db

KINDS = re.compile(r'data-kind="([a-z_]+)"')


def kinds_on_home(w: World, actor: str) -> list[str]:
    response = w.web(actor).get("/")
    assert response.status_code == 200, actor
    return KINDS.findall(response.content.decode())


# Who finds which work on the start page (the world: `prof` proposed `teach` as the
# match's coordinator and the term has passed; `prof` added `teach` to the family's team;
# the family has a version to approve; the privacy officer has a rights request and a
# break-the-glass access to review; the functional administrator an open report back).
EXPECTED = {
    "prof": [],
    "teach": ["proposal", "team_joined"],
    "out": [],
    "coord": ["overdue"],
    "priv": ["rights_request", "break_glass"],
    "anal": [],
    "fadm": ["correction"],
    "padm": [],
    "door": [],  # the front door's work is its queue (/voordeur/wachtrij/)
    "cit": ["approve"],
    "ocit": [],
}


@pytest.mark.parametrize("actor", [a for a in ACTORS if a != "anon"])
def test_each_role_finds_its_own_work_and_no_one_elses(w: World, actor: str) -> None:
    assert sorted(kinds_on_home(w, actor)) == sorted(EXPECTED[actor])


def test_most_urgent_first(w: World) -> None:
    # The overdue match (term passed) comes before the new team membership of today.
    assert kinds_on_home(w, "teach") == ["proposal", "team_joined"]
    body = w.web("teach").get("/").content.decode()
    assert "Te laat" in body
    # The proposal links to the match it is about, on the matches page.
    assert f'href="/verwijsindex/matches/#match-{w.ids["match"]}"' in body


def test_the_evaluation_due_is_the_coordinators_and_reading_it_is_logged(w: World) -> None:
    plan = Plan.objects.get(pk=w.ids["plan"])
    Plan.objects.filter(pk=plan.pk).update(
        started_on=timezone.localdate() - timezone.timedelta(days=120))
    before = AccessLogRecord.objects.filter(object_id=str(plan.pk), action="read").count()
    assert "evaluation_due" in kinds_on_home(w, "prof")
    # Read for each member of the family (the mother and her two children).
    after = AccessLogRecord.objects.filter(object_id=str(plan.pk), action="read").count()
    assert after - before == 3
    for other in ("teach", "out", "coord", "priv", "cit"):
        assert "evaluation_due" not in kinds_on_home(w, other), other


def test_an_action_past_its_date_is_the_coordinators(w: World) -> None:
    from jeugdketen.plans.models import PlanAction

    PlanAction.objects.filter(plan_id=w.ids["plan"]).update(
        due_on=timezone.localdate() - timezone.timedelta(days=2))
    assert "actions_late" in kinds_on_home(w, "prof")
    assert "actions_late" not in kinds_on_home(w, "teach")
    # The teacher's own action: a number for them, the family's list for the coordinator.
    PlanAction.objects.filter(plan_id=w.ids["plan"]).update(
        performer_professional=w.professionals["teach"])
    assert "own_actions_late" in kinds_on_home(w, "teach")
    assert "actions_late" in kinds_on_home(w, "prof")
    for other in ("out", "coord", "priv", "cit"):
        assert not {"own_actions_late", "actions_late"} & set(kinds_on_home(w, other)), other


def test_another_municipalitys_officer_and_administrator_see_none_of_it(w: World) -> None:
    from jeugdketen.registry.models import Municipality
    from tests import factories as f

    from .world import _verified_session

    other = Municipality.objects.get(code="GM9952")
    town_b = f.OrganisationFactory(name="Gemeente Anderdam", kind="municipality",
                                   municipality=other)
    for roles, key in ((["privacy_officer"], "priv_b"), (["functional_admin"], "fadm_b")):
        prof = f.ProfessionalFactory(organisation=town_b, roles=roles)
        w.sessions[key] = _verified_session(prof.user)
    # Anderdam has an open report back to the BRP of its own (world.py): that one only.
    assert kinds_on_home(w, "priv_b") == []
    assert kinds_on_home(w, "fadm_b") == ["correction"]
    body = w.web("fadm_b").get("/").content.decode()
    assert "1 terugmelding" in body


def test_unread_count_on_berichten_is_the_users_own(w: World) -> None:
    teacher = w.professionals["teach"]
    unread = Message.objects.filter(recipient=teacher, read_at__isnull=True).count()
    assert unread >= 1
    body = w.web("teach").get("/").content.decode()
    assert re.search(rf"Berichten <span class=\"utrecht-data-badge jk-nav__count\">{unread}<",
                     body)
    # Someone without messages sees no number on "Berichten" (the youth-care provider has
    # an invitation to answer: its number is on "Intakes").
    assert not Message.objects.filter(recipient=w.professionals["out"]).exists()
    other = w.web("out").get("/").content.decode()
    assert not re.search(r"Berichten <span class=\"utrecht-data-badge jk-nav__count\">", other)


def test_opening_a_message_marks_it_read_and_only_the_recipient_opens_it(w: World) -> None:
    teacher = w.professionals["teach"]
    message = Message.objects.filter(recipient=teacher, kind="team_joined").get()
    assert w.web("prof").get(f"/verwijsindex/berichten/{message.pk}/").status_code == 404
    message.refresh_from_db()
    assert message.read_at is None
    response = w.web("teach").get(f"/verwijsindex/berichten/{message.pk}/")
    assert response.status_code == 200
    assert f'href="/plannen/{w.ids["plan"]}/"' in response.content.decode()
    message.refresh_from_db()
    assert message.read_at is not None
    # Read: no longer on the worklist.
    assert "team_joined" not in kinds_on_home(w, "teach")


def test_no_signal_button_for_an_organisation_that_may_not_signal(w: World) -> None:
    coord = w.web("coord").get("/verwijsindex/signalen/").content.decode()
    assert "Signaal afgeven" not in coord
    assert 'href="/verwijsindex/signalen/"' not in w.web("coord").get("/").content.decode()
    prof = w.web("prof").get("/verwijsindex/signalen/").content.decode()
    assert "Signaal afgeven" in prof
    assert "Signaal afgeven" in w.web("prof").get("/").content.decode()
