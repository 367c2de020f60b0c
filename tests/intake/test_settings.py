"""The front door's settings (ADR 0010): intake slots per organisation and week, norms per
municipality, step and urgency. Who may set them (the municipality's front door; an
organisation's own functional administrator for its capacity; a functional administrator
of the municipality itself for the norms), the refusals naming the field, the access log
(no chain event: settings are not personal data and not a step of a report)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal
from jeugdketen.intake import norms
from jeugdketen.intake.actions import reports
from jeugdketen.intake.actions.settings import clear_norm, set_capacity, set_norm
from jeugdketen.intake.models import IntakeCapacity, Norm
from jeugdketen.intake.queue import monday_of
from tests import factories as f
from tests import pages
from tests.intake.conftest import report_input
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

# The page tests' fixtures (tests/pages.py).
client_for, page_settings = pages.client_for, pages.page_settings


def monday():
    return monday_of(timezone.localdate())


def test_the_front_door_sets_an_organisations_slots_per_week(door):
    row = set_capacity(door.actor, door.youth_care.pk, week_start=monday(), slots=4)
    assert (row.organisation, row.week_start, row.slots) == (door.youth_care, monday(), 4)
    again = set_capacity(door.actor, door.youth_care.pk, week_start=monday(), slots=2)
    assert again.pk == row.pk and IntakeCapacity.objects.get().slots == 2
    log = AccessLogRecord.objects.filter(action="update", data="intake_settings",
                                         outcome="allowed")
    assert log.count() == 2
    assert log.first().object_id == f"capacity:{door.youth_care.pk}:{monday()}"
    assert log.first().client_id == ""  # not personal data
    assert not ChainEvent.objects.exists()


def test_an_organisations_functional_admin_sets_its_own_capacity_only(door):
    admin = f.ProfessionalFactory(organisation=door.youth_care, roles=["functional_admin"])
    set_capacity(door.actor_of(admin), door.youth_care.pk, week_start=monday(), slots=3)
    with pytest.raises(AccessDenied):
        set_capacity(door.actor_of(admin), door.mental_health.pk, week_start=monday(),
                     slots=3)
    assert list(IntakeCapacity.objects.values_list("organisation_id", flat=True)) == [
        door.youth_care.pk]
    assert AccessLogRecord.objects.filter(outcome="denied", data="intake_settings").count() == 1


@pytest.mark.parametrize("who", ["teacher", "worker", "coordinator", "other_door", "parent"])
def test_others_set_no_capacity(door, who):
    other_town = f.MunicipalityFactory(code="GM9902", name="Andersdam")
    actors = {
        "teacher": lambda: door.teacher_actor,
        "worker": lambda: door.actor_of(door.youth_worker),
        "coordinator": lambda: door.actor_of(door.coordinator),
        "other_door": lambda: door.actor_of(f.ProfessionalFactory(
            organisation=f.OrganisationFactory(municipality=other_town, kind="municipality"),
            roles=["front_door"])),
        "parent": lambda: door.parent_actor,
    }
    with pytest.raises(AccessDenied):
        set_capacity(actors[who](), door.youth_care.pk, week_start=monday(), slots=1)
    assert not IntakeCapacity.objects.exists()


def test_an_unknown_organisation_is_denied_like_a_forbidden_one(door):
    with pytest.raises(AccessDenied):
        set_capacity(door.actor, 999_999, week_start=monday(), slots=1)
    with pytest.raises(AccessDenied):
        set_capacity(door.actor, "abc", week_start=monday(), slots=1)


@pytest.mark.parametrize(("week", "slots", "fields"), [
    (lambda m: m + timedelta(days=1), 1, {"week_start"}),  # a Tuesday
    (lambda m: m - timedelta(weeks=1), 1, {"week_start"}),  # a week that is over
    (lambda m: "2026-12-07", 1, {"week_start"}),
    (lambda m: m, -1, {"slots"}),
    (lambda m: m, 1001, {"slots"}),
    (lambda m: m, "3", {"slots"}),
    (lambda m: m, True, {"slots"}),
    (lambda m: m + timedelta(days=2), None, {"week_start", "slots"}),
])
def test_capacity_input_is_refused_naming_each_field(door, week, slots, fields):
    with pytest.raises(Refusal) as refused:
        set_capacity(door.actor, door.youth_care.pk, week_start=week(monday()), slots=slots)
    assert {e.field for e in refused.value.errors} == fields
    assert refused.value.status == 422
    assert not IntakeCapacity.objects.exists()
    # Allowed by the policy, refused by a rule: logged as refused.
    assert AccessLogRecord.objects.filter(outcome="refused", data="intake_settings").exists()


def test_a_later_week_and_zero_slots_are_fine(door):
    set_capacity(door.actor, door.youth_care.pk, week_start=monday() + timedelta(weeks=8),
                 slots=0)
    assert IntakeCapacity.objects.get().slots == 0


def test_the_front_door_sets_a_norm_that_applies_to_steps_starting_after_it(door):
    before = reports.report(door.teacher_actor, person_id=door.child.pk, **report_input())
    norm = set_norm(door.actor, "GM9901", step="received", urgency="regular", days=10,
                    working=True)
    assert (norm.days, norm.working) == (10, True)
    assert norms.rule_for("GM9901", "received", "regular") == norms.Rule(10, True)
    after = reports.report(door.teacher_actor, person_id=door.child.pk, **report_input())
    assert after.step_due_on > before.step_due_on  # the earlier report keeps its date
    set_norm(door.actor, "GM9901", step="received", urgency="regular", days=4, working=True)
    assert Norm.objects.get().days == 4
    assert AccessLogRecord.objects.filter(object_id="norms:GM9901", action="update").count() == 2


def test_a_norm_for_every_urgency_and_back_to_the_default(door):
    set_norm(door.actor, "GM9901", step="triaged", days=21, working=False)
    assert norms.rule_for("GM9901", "triaged", "urgent") == norms.Rule(21, False)
    assert clear_norm(door.actor, "GM9901", step="triaged") == 1
    assert norms.rule_for("GM9901", "triaged", "urgent") == norms.DEFAULTS[("triaged", "")]
    assert clear_norm(door.actor, "GM9901", step="triaged") == 0


def test_norms_are_set_by_a_functional_admin_of_the_municipality_itself_only(door):
    town_hall = f.OrganisationFactory(municipality=door.municipality, kind="municipality")
    admin = f.ProfessionalFactory(organisation=town_hall, roles=["functional_admin"])
    set_norm(door.actor_of(admin), "GM9901", step="intake_held", days=56, working=False)
    provider_admin = f.ProfessionalFactory(organisation=door.youth_care,
                                           roles=["functional_admin"])
    for actor in (door.actor_of(provider_admin), door.teacher_actor,
                  door.actor_of(door.coordinator)):
        with pytest.raises(AccessDenied):
            set_norm(actor, "GM9901", step="intake_held", days=1, working=False)
    with pytest.raises(AccessDenied):  # another municipality's
        set_norm(door.actor, f.MunicipalityFactory(code="GM9902").pk, step="received",
                 days=1, working=True)
    with pytest.raises(AccessDenied):  # no such municipality
        set_norm(door.actor, "GM0000", step="received", days=1, working=True)
    assert list(Norm.objects.values_list("days", flat=True)) == [56]


@pytest.mark.parametrize(("kw", "fields"), [
    ({"step": "closed"}, {"step"}),
    ({"step": "intake_planned"}, {"step"}),  # measured by the intake's norm
    ({"urgency": "soon"}, {"urgency"}),
    ({"days": 366}, {"days"}),
    ({"days": -1}, {"days"}),
    ({"days": 2.5}, {"days"}),
    ({"working": "yes"}, {"working"}),
    ({"step": "x", "days": None, "working": None}, {"step", "days", "working"}),
])
def test_norm_input_is_refused_naming_each_field(door, kw, fields):
    given = {"step": "received", "urgency": "", "days": 3, "working": True} | kw
    with pytest.raises(Refusal) as refused:
        set_norm(door.actor, "GM9901", **given)
    assert {e.field for e in refused.value.errors} == fields
    assert not Norm.objects.exists()


# --- the pages -------------------------------------------------------------------------------

CAPACITY_URL, NORMS_URL = "/voordeur/capaciteit/", "/voordeur/normen/"


@pytest.mark.usefixtures("page_settings")
def test_the_capacity_page_shows_and_sets_the_slots(door, client_for):
    set_capacity(door.actor, door.youth_care.pk, week_start=monday(), slots=3)
    client = client_for(door.front_door)
    answer = client.get(CAPACITY_URL)
    assert answer.status_code == 200
    text = visible_text(answer.content)
    assert "Jeugdhulp Noord 3 3 3" in text
    answer = client.post(CAPACITY_URL, {"organisation": door.mental_health.pk,
                                        "week_start": monday().isoformat(), "slots": "2"})
    assert answer.status_code == 302
    assert IntakeCapacity.objects.get(organisation=door.mental_health).slots == 2
    tuesday = (monday() + timedelta(days=1)).isoformat()
    answer = client.post(CAPACITY_URL, {"organisation": door.mental_health.pk,
                                        "week_start": tuesday, "slots": "5"})
    assert answer.status_code == 200
    assert "Een week begint op maandag." in visible_text(answer.content)


@pytest.mark.usefixtures("page_settings")
def test_an_organisations_admin_sets_only_its_own_on_the_page(door, client_for):
    admin = f.ProfessionalFactory(organisation=door.youth_care, roles=["functional_admin"])
    client = client_for(admin)
    answer = client.get(CAPACITY_URL)
    assert answer.status_code == 200
    options = answer.content.decode().split('name="organisation"')[1].split("</select>")[0]
    assert "Jeugdhulp Noord" in options and "GGZ Oost" not in options
    answer = client.post(CAPACITY_URL, {"organisation": door.mental_health.pk,
                                        "week_start": monday().isoformat(), "slots": "2"})
    assert answer.status_code == 200  # not a choice on the form
    assert not IntakeCapacity.objects.exists()


@pytest.mark.usefixtures("page_settings")
def test_the_settings_pages_are_not_for_others(door, client_for):
    for who in (door.teacher, door.youth_worker):
        assert client_for(who).get(CAPACITY_URL).status_code == 403
        assert client_for(who).get(NORMS_URL).status_code == 403


@pytest.mark.usefixtures("page_settings")
def test_the_norms_page_shows_sets_and_resets_the_norms(door, client_for):
    client = client_for(door.front_door)
    text = visible_text(client.get(NORMS_URL).content)
    assert "Landelijke norm" in text and "28 dagen" in text and "5 werkdagen" in text
    answer = client.post(NORMS_URL, {"step": "triaged", "urgency": "", "days": "21",
                                     "working": "0"})
    assert answer.status_code == 302
    assert norms.rule_for("GM9901", "triaged", "regular") == norms.Rule(21, False)
    text = visible_text(client.get(NORMS_URL).content)
    assert "21 dagen" in text and "Eigen norm van de gemeente" in text
    answer = client.post(NORMS_URL, {"step": "triaged", "urgency": "", "days": "400",
                                     "working": "0"})
    assert answer.status_code == 200 and Norm.objects.get().days == 21
    assert client.post(NORMS_URL, {"wissen": "triaged:"}).status_code == 302
    assert not Norm.objects.exists()


@pytest.mark.usefixtures("page_settings")
def test_a_provider_admin_reads_the_norms_but_cannot_change_them(door, client_for):
    admin = f.ProfessionalFactory(organisation=door.youth_care, roles=["functional_admin"])
    client = client_for(admin)
    answer = client.get(NORMS_URL)
    assert answer.status_code == 200 and 'name="days"' not in answer.content.decode()
    assert client.post(NORMS_URL, {"wissen": "triaged:"}).status_code == 403
