"""Plan events send messages to the people concerned, in the event's transaction: the
family's approval and reaction and a withdrawn consent to the coordinator, a team change to
the professional, a handover to the old and the new coordinator. The coordinator's own work
sends nothing to themselves. And 'Mijn werk' reads in a number of queries that does not
grow with the plans."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from jeugdketen.access.actions import withdraw_consent
from jeugdketen.core.errors import Refusal
from jeugdketen.plans import actions
from jeugdketen.plans.models import ApprovalHow, Plan, PlanAction
from jeugdketen.referral_index.models import Message
from tests import factories as f

from .conftest import LEVELS, consent_all

pytestmark = pytest.mark.django_db


def inbox(prof) -> list[Message]:
    return list(Message.objects.filter(recipient=prof).order_by("id"))


def login(user) -> Client:
    client = Client(HTTP_USER_AGENT="pytest-worklist")
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="Jeugdketen", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.cookies["django_language"] = "nl"
    return client


def test_family_approval_and_reaction_tell_the_coordinator(family, plan):
    version = actions.save_version(family.actor, plan.pk)
    parent = f.citizen_actor(family.parent)
    actions.add_comment(parent, plan.pk, text="Wij willen graag ook opa erbij.")
    actions.approve_version(parent, plan.pk, number=version.number)
    kinds = [(m.kind, m.plan_id) for m in inbox(family.coordinator)]
    assert kinds == [("plan_commented", plan.pk), ("plan_approved", plan.pk)]
    approved = inbox(family.coordinator)[1]
    assert "Mariam Bakker" in approved.body and f"versie {version.number}" in approved.body
    # The reaction's text stays in the plan: the message only says there is one.
    assert "opa" not in inbox(family.coordinator)[0].body


def test_the_coordinators_own_work_sends_no_message(family, plan):
    version = actions.save_version(family.actor, plan.pk)
    actions.add_comment(family.actor, plan.pk, text="Gesprek gepland.")
    actions.approve_version(family.actor, plan.pk, number=version.number,
                            how=ApprovalHow.IN_PERSON)
    assert inbox(family.coordinator) == []


def test_withdrawn_consent_tells_the_coordinator(family, plan):
    consents = consent_all(family, family.school)
    assert inbox(family.coordinator) == []
    withdraw_consent(f.citizen_actor(family.parent), consents[0].pk)
    [message] = inbox(family.coordinator)
    assert message.kind == "consent_withdrawn" and message.plan_id == plan.pk
    assert family.school.name in message.body


def test_team_changes_tell_the_professional_and_leaving_names_no_family(family, plan):
    consent_all(family, family.school)
    member = actions.add_team_member(family.actor, plan.pk, role="Intern begeleider",
                                     professional_id=family.teacher.pk)
    actions.remove_team_member(family.actor, member.pk)
    joined, left = inbox(family.teacher)
    assert joined.kind == "team_joined" and "Bakker" in joined.body
    assert left.kind == "team_left" and "Bakker" not in left.body
    assert inbox(family.coordinator) == []


def test_joining_oneself_tells_the_coordinator(family, plan):
    consent_all(family, family.school)
    actions.join_team(family.teacher_actor, plan.pk, role="Mentor")
    [message] = inbox(family.coordinator)
    assert message.kind == "team_joined" and family.teacher.full_name in message.body
    assert inbox(family.teacher) == []


def test_handover_tells_the_old_and_the_new_coordinator(family, plan):
    successor = f.ProfessionalFactory(organisation=family.team_org, roles=["coordinator"],
                                      full_name="Karim Kader")
    actions.hand_over(family.actor, plan.pk, to_professional_id=successor.pk, on=None,
                      reason="Rita gaat met verlof; Karim neemt het over.")
    [old] = inbox(family.coordinator)
    [new] = inbox(successor)
    assert old.kind == new.kind == "handover"
    assert "Karim Kader" in old.body and "Rita Regie" in new.body
    # The old coordinator no longer sees the plan: their message links nowhere.
    page = login(family.coordinator.user).get(f"/verwijsindex/berichten/{old.pk}/")
    assert page.status_code == 200 and f"/plannen/{plan.pk}/" not in page.content.decode()
    page = login(successor.user).get(f"/verwijsindex/berichten/{new.pk}/")
    assert f"/plannen/{plan.pk}/" in page.content.decode()


def test_a_refused_event_sends_nothing(family, plan):
    with pytest.raises(Refusal):
        actions.hand_over(family.actor, plan.pk, to_professional_id=family.coordinator.pk,
                          on=None, reason="Geen echte wissel van regisseur.")
    assert not Message.objects.exists()


def test_family_start_page_says_a_version_waits_for_approval(family, plan):
    parent_user = f.UserFactory(person=family.parent)
    client = login(parent_user)
    assert "wacht op uw goedkeuring" not in client.get("/").content.decode()
    version = actions.save_version(family.actor, plan.pk)
    home = client.get("/").content.decode()
    assert "Het plan wacht op uw goedkeuring" in home
    assert f'/gezin/{plan.pk}/#h-versions' in home
    listing = client.get("/gezin/").content.decode()
    assert f"Versie {version.number} van het plan" in listing
    actions.approve_version(f.citizen_actor(family.parent, user=parent_user), plan.pk,
                            number=version.number)
    assert "wacht op uw goedkeuring" not in client.get("/").content.decode()
    assert "wacht op uw goedkeuring" not in client.get("/gezin/").content.decode()


def _plans_for(coordinator, municipality, neighbourhood, n: int, start: int) -> None:
    """n more plans of `coordinator`, each due for evaluation with an action past its date."""
    long_ago = timezone.localdate() - timedelta(days=200)
    for i in range(start, start + n):
        parent = f.PersonFactory(birth_date=f.birth_date_for_age(35), given_names=f"Ouder{i}",
                                 family_name="Telling", neighbourhood=neighbourhood)
        child = f.PersonFactory(birth_date=f.birth_date_for_age(7), given_names=f"Kind{i}",
                                family_name="Telling", neighbourhood=neighbourhood)
        household = f.make_household(parents=[parent], children=[child])
        for person in (parent, child):
            f.RegistrationFactory(person=person, professional=coordinator)
        actor = f.professional_actor(coordinator)
        plan = actions.start_plan(actor, household.pk, coordinator.pk,
                                  consent_given_by=[parent.pk])
        goal = actions.add_goal(actor, plan.pk, title="Naar school", person_ids=[child.pk],
                                levels=LEVELS)
        actions.add_action(actor, plan.pk, description="Huisbezoek",
                           organisation_id=coordinator.organisation_id,
                           due_on=timezone.localdate() + timedelta(days=3),
                           performer_professional_id=coordinator.pk, goal_id=goal.pk)
        Plan.objects.filter(pk=plan.pk).update(started_on=long_ago)
        PlanAction.objects.filter(plan=plan).update(due_on=long_ago + timedelta(days=10))


def test_mijn_werk_queries_do_not_grow_with_the_plans(family, municipality, neighbourhood):
    client = login(family.coordinator.user)

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/").content.decode()
        return len(queries), body

    _plans_for(family.coordinator, municipality, neighbourhood, 2, 0)
    two, body = count()
    assert body.count('data-kind="evaluation_due"') == 2
    assert body.count('data-kind="actions_late"') == 2
    _plans_for(family.coordinator, municipality, neighbourhood, 2, 2)
    four, body = count()
    assert body.count('data-kind="evaluation_due"') == 4
    assert two == four
    # Someone else in the same organisation sees none of it.
    colleague = f.ProfessionalFactory(organisation=family.team_org, roles=["coordinator"])
    other = login(colleague.user).get("/").content.decode()
    assert "evaluation_due" not in other and "Telling" not in other


def test_evaluation_reminder_once_per_evaluation_to_the_coordinator(family, plan):
    from django.core.management import call_command

    today = timezone.localdate()
    assert actions.remind_evaluations(today) == 0  # just started
    Plan.objects.filter(pk=plan.pk).update(started_on=today - timedelta(days=100))
    assert actions.remind_evaluations(today) == 1
    assert actions.remind_evaluations(today) == 0  # told already
    [message] = inbox(family.coordinator)
    assert message.kind == "evaluation_due" and "Bakker" in message.body
    assert inbox(family.teacher) == []
    # Evaluated since: nothing due until the next term.
    goal = actions.add_goal(family.actor, plan.pk, title="Naar school",
                            person_ids=[family.child.pk], levels=LEVELS)
    actions.record_evaluation(family.actor, plan.pk, on=today, scores=[(goal.pk, 0)])
    assert actions.remind_evaluations(today) == 0
    assert actions.remind_evaluations(today + timedelta(days=91)) == 1
    out = io.StringIO()
    call_command("reminders", stdout=out)
    assert json.loads(out.getvalue()) == {"reminded": 0}


def test_privacy_officers_work_queries_do_not_grow_with_the_requests(family, municipality,
                                                                     neighbourhood):
    from jeugdketen.referral_index import actions as referral

    town = f.OrganisationFactory(name="Gemeente", kind="municipality", municipality=municipality)
    officer = f.ProfessionalFactory(organisation=town, roles=["privacy_officer"])
    client = login(officer.user)

    def add(n: int) -> None:
        for _i in range(n):
            person = f.PersonFactory(birth_date=f.birth_date_for_age(10),
                                     neighbourhood=neighbourhood)
            referral.record_rights_request(f.professional_actor(officer), person.pk,
                                           kind="inspection", requested_by="Een ouder")

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/").content.decode()
        return len(queries), body

    add(2)
    two, body = count()
    assert body.count('data-kind="rights_request"') == 2
    add(2)
    four, body = count()
    assert body.count('data-kind="rights_request"') == 4
    assert two == four
    # The coordinator of the same municipality sees no rights request.
    assert "rights_request" not in login(family.coordinator.user).get("/").content.decode()
