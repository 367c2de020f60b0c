"""The front door's pages for professionals: the report form, the report page as each
reader sees it (front door, invited organisation with and without the family's consent,
reporter), the triage, the intake planning, the invitation's answer and the outcome. Each
renders for who may, is refused for others, shows field errors, and redirects after a
post."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jeugdketen.intake.actions import meetings, reports
from jeugdketen.intake.actions import triage as triaging
from jeugdketen.intake.models import (
    CareReport,
    IntakeMeeting,
    Invitation,
    InvitationStatus,
    Outcome,
    Step,
)
from tests import factories as f
from tests.intake.conftest import LEVELS, an_hour_ago, report_input
from tests.pages import dutch_leftovers, for_pages, visible_text


@pytest.fixture(autouse=True)
def _pages(settings):
    for_pages(settings)


@pytest.fixture
def login(db):
    """login(professional, lang="nl") -> a test client logged in as them."""

    def make(professional, lang: str = "nl") -> Client:
        client = Client(HTTP_USER_AGENT="pytest-web")
        client.force_login(professional.user)
        client.cookies["django_language"] = lang
        return client

    return make

QUESTION = "Noor komt vaak niet op school en lijkt bang thuis."


def report_url(report) -> str:
    return reverse("intake:report", kwargs={"report_id": report.pk})


def teacher_report(door, **kw) -> CareReport:
    return reports.report(door.teacher_actor, person_id=door.child.pk, **report_input(**kw))


def triaged(door) -> CareReport:
    report = teacher_report(door)
    triaging.triage(door.actor, report.pk, decision="joint_intake")
    return CareReport.objects.get(pk=report.pk)


def planned(door, *, starts_at=None) -> tuple[CareReport, IntakeMeeting]:
    report = triaged(door)
    starts_at = starts_at or an_hour_ago()
    meeting = meetings.plan_intake(
        door.actor, report.pk, organisation_ids=[door.youth_care.pk, door.mental_health.pk],
        starts_at=starts_at, ends_at=starts_at + timedelta(minutes=45),
        location="Wijkcentrum De Haven")
    return CareReport.objects.get(pk=report.pk), meeting


def stranger(door):
    """A care professional of another organisation of the municipality: not invited, not
    the reporter, not the front door."""
    other = f.OrganisationFactory(name="Sportclub Noord", kind="other",
                                  municipality=door.municipality)
    return f.ProfessionalFactory(organisation=other, roles=["professional"],
                                 full_name="Sven Sport")


# --- the report form ----------------------------------------------------------------


def new_url(**query) -> str:
    from urllib.parse import urlencode

    return f"{reverse('intake:report_new')}?{urlencode(query)}"


def form_data(**overrides) -> dict:
    return {"question": QUESTION, "life_domains": ["schooling", "emotional_support"],
            "urgency": "regular", "desired_result": "Dat Noor weer graag naar school gaat.",
            "consent_to_share": "on", "contact_phone": "0612345678",
            "contact_email": "ilse@example.test"} | overrides


def test_the_report_form_shows_the_domains_and_veilig_thuis_at_once(door, login):
    response = login(door.teacher).get(new_url(persoon=door.child.pk))
    assert response.status_code == 200
    text = visible_text(response.content)
    assert "Noor Bakker" in text
    assert "Onderwijs" in text and "Huisvesting" in text  # the analysis' life domains
    assert "0800-2000" in text and "Meldcode" in text
    assert 'type="checkbox" name="life_domains"' in response.content.decode()


def test_a_report_posts_and_redirects_to_its_status(door, login):
    client = login(door.teacher)
    response = client.post(new_url(persoon=door.child.pk), form_data(unsafe="on"))
    report = CareReport.objects.get()
    assert response.status_code == 302 and response.url == report_url(report)
    assert (report.person, report.unsafe, report.consent_to_share) == (door.child, True, True)
    assert report.life_domains == ["schooling", "emotional_support"]
    page = client.get(response.url)
    assert page.status_code == 200
    text = visible_text(page.content)
    assert "0800-2000" in text  # the unsafe report: Veilig Thuis once more
    assert QUESTION not in text  # the reporter sees the status only


def test_a_report_about_a_household(door, login):
    response = login(door.teacher).post(new_url(huishouden=door.household.pk),
                                             form_data())
    assert response.status_code == 302
    assert CareReport.objects.get().household == door.household


def test_the_report_form_shows_field_errors(door, login):
    response = login(door.teacher).post(
        new_url(persoon=door.child.pk),
        form_data(question="", life_domains=[], contact_email="geen-adres"))
    assert response.status_code == 200
    text = visible_text(response.content)
    assert "Controleer wat u heeft ingevuld" in text
    assert "Beschrijf uw zorg of vraag." in text
    assert "Kies een of meer leefgebieden." in text
    assert "Geen geldig e-mailadres." in text
    assert not CareReport.objects.exists()


def test_a_refusal_of_the_action_lands_on_its_field(door, login):
    response = login(door.teacher).post(new_url(persoon=door.child.pk),
                                             form_data(contact_phone="12"))
    assert response.status_code == 200
    assert "Geen geldig telefoonnummer" in visible_text(response.content)
    assert 'id="id_contact_phone_error"' in response.content.decode()


def test_the_report_form_is_refused_without_a_ground_for_the_child(door, login):
    response = login(stranger(door)).get(new_url(persoon=door.child.pk))
    assert response.status_code == 403
    assert "Noor Bakker" not in visible_text(response.content)


def test_without_a_subject_the_form_says_to_find_the_person_first(door, login):
    response = login(door.teacher).get(reverse("intake:report_new"))
    assert response.status_code == 200
    assert reverse("persons") in response.content.decode()
    assert "Over wie gaat de melding?" in visible_text(response.content)


@pytest.mark.parametrize("query", [{"persoon": "geen-id"},
                                   {"persoon": "00000000-0000-0000-0000-000000000000",
                                    "huishouden": "00000000-0000-0000-0000-000000000000"},
                                   {"persoon": "00000000-0000-0000-0000-000000000000"}])
def test_the_report_form_needs_a_known_subject(door, login, query):
    assert login(door.teacher).get(new_url(**query)).status_code == 404


# --- the report page ----------------------------------------------------------------


def test_the_front_door_sees_the_content_and_the_triage_form(door, login):
    report = teacher_report(door)
    response = login(door.front_door).get(report_url(report))
    assert response.status_code == 200
    text = visible_text(response.content)
    assert QUESTION in text and "Onderwijs" in text
    assert "Triage vastleggen" in text
    assert reverse("intake:triage", kwargs={"report_id": report.pk}) in response.content.decode()
    assert "Verloop" in text and "Ontvangen" in text and "werkdagen" in text
    assert f"(sinds {timezone.localdate().day} " in text


def test_the_reporter_sees_only_the_status(door, login):
    report = teacher_report(door)
    response = login(door.teacher).get(report_url(report))
    assert response.status_code == 200
    text = visible_text(response.content)
    assert "Hoe ver is de melding?" in text and report.reference in text
    for content in (QUESTION, "Dat Noor weer graag naar school gaat.", "0612345678",
                    "ilse@example.test", "Onderwijs", "Noor Bakker"):
        assert content not in text
    assert "Triage vastleggen" not in text
    # Further on: the steps and their dates, not what the front door decided.
    triaging.triage(door.actor, report.pk, decision="veilig_thuis")
    text = visible_text(login(door.teacher).get(report_url(report)).content)
    assert "Afgesloten" in text and "Veilig Thuis" not in text


def reads(professional, report) -> set[tuple[str, str]]:
    """(data, ground) of the READs of the report in the access log by `professional`."""
    from jeugdketen.access.models import AccessLogRecord

    return set(AccessLogRecord.objects.filter(
        user_id=professional.user.pk, action="read", object_id=str(report.pk))
        .values_list("data", "ground"))


def test_every_read_of_the_report_page_is_in_the_access_log(door, login):
    report, _meeting = planned(door)
    login(door.teacher).get(report_url(report))
    assert reads(door.teacher, report) == {("care_report", "reporter")}
    login(door.youth_worker).get(report_url(report))  # invited, no consent: the meeting only
    assert reads(door.youth_worker, report) == {("intake", "intake_invitation")}
    login(door.front_door).get(report_url(report))
    assert ("care_report", "front_door") in reads(door.front_door, report)
    outsider = stranger(door)
    login(outsider).get(report_url(report))
    assert reads(outsider, report) == {("care_report", "")}  # the denied attempt


def test_the_family_sees_where_its_report_stands(door, login):
    report = teacher_report(door)
    client = Client(HTTP_USER_AGENT="pytest-web")
    client.force_login(door.parent_actor.user)
    response = client.get(report_url(report))
    assert response.status_code == 200
    text = visible_text(response.content)
    assert "Hoe ver is de melding?" in text and "Ontvangen" in text
    assert "0612345678" not in text  # the reporter's contact details: the front door's


def test_others_are_refused_the_report(door, login):
    report = teacher_report(door)
    response = login(stranger(door)).get(report_url(report))
    assert response.status_code == 403
    assert QUESTION not in visible_text(response.content)
    unknown = reverse("intake:report", kwargs={"report_id": "00000000-0000-0000-0000-000000000000"})
    assert login(door.front_door).get(unknown).status_code == 403


def test_an_invited_organisation_without_consent_sees_date_and_place_only(door, login):
    report, _meeting = planned(door)
    response = login(door.youth_worker).get(report_url(report))
    assert response.status_code == 200
    text = visible_text(response.content)
    assert "Wijkcentrum De Haven" in text
    assert QUESTION not in text and "Noor Bakker" not in text


def test_an_invited_organisation_with_consent_sees_the_content(door, login):
    report, _meeting = planned(door)
    door.intake_consent(door.youth_care)
    response = login(door.youth_worker).get(report_url(report))
    assert response.status_code == 200
    text = visible_text(response.content)
    assert QUESTION in text and "Naar de uitnodiging" in text
    assert "Triage vastleggen" not in text and "Intake plannen" not in text


# --- triage ----------------------------------------------------------------------------


def triage_url(report) -> str:
    return reverse("intake:triage", kwargs={"report_id": report.pk})


def test_the_front_door_triages_to_a_joint_intake(door, login):
    report = teacher_report(door)
    client = login(door.front_door)
    assert client.get(triage_url(report)).status_code == 200
    response = client.post(triage_url(report), {"decision": "joint_intake",
                                                 "urgency": "urgent"})
    assert response.status_code == 302 and response.url == report_url(report)
    report.refresh_from_db()
    assert (report.step, report.urgency) == (Step.TRIAGED, "urgent")
    page = client.get(response.url)
    assert "Intake plannen" in visible_text(page.content)
    # A second triage: the page says it is done and goes back to the report.
    again = client.post(triage_url(report), {"decision": "advice"})
    assert again.status_code == 302 and report.triage.decision == "joint_intake"


def test_the_triage_form_shows_field_errors(door, login):
    report = teacher_report(door)
    response = login(door.front_door).post(triage_url(report),
                                                {"decision": "neighbourhood_team"})
    assert response.status_code == 200
    text = visible_text(response.content)
    assert "Kies de regisseur uit het wijkteam." in text
    assert "Kies wie toestemming geeft." in text
    empty = login(door.front_door).post(triage_url(report), {})
    assert "Kies een besluit." in visible_text(empty.content)
    report.refresh_from_db()
    assert report.step == Step.RECEIVED


def test_only_the_front_door_triages(door, login):
    report = teacher_report(door)
    for who in (door.teacher, stranger(door)):
        response = login(who).post(triage_url(report), {"decision": "advice"})
        assert response.status_code == 403
    report.refresh_from_db()
    assert report.step == Step.RECEIVED


# --- intake planning -------------------------------------------------------------------


def plan_url(report) -> str:
    return reverse("intake:plan_intake", kwargs={"report_id": report.pk})


def plan_data(door, **overrides) -> dict:
    return {"organisation_ids": [door.youth_care.pk, door.mental_health.pk],
            "starts_at": "2030-03-04T09:30", "ends_at": "2030-03-04T10:30",
            "location": "Wijkcentrum De Haven", "joint": "on"} | overrides


def test_the_front_door_plans_the_intake(door, login):
    report = triaged(door)
    client = login(door.front_door)
    page = client.get(plan_url(report))
    assert page.status_code == 200 and "Jeugdhulp Noord" in visible_text(page.content)
    response = client.post(plan_url(report), plan_data(door))
    assert response.status_code == 302 and response.url == report_url(report)
    meeting = IntakeMeeting.objects.get(report=report)
    assert meeting.joint and meeting.location == "Wijkcentrum De Haven"
    assert timezone.localtime(meeting.starts_at).hour == 9
    assert set(meeting.invitations.values_list("organisation_id", flat=True)) == {
        door.youth_care.pk, door.mental_health.pk}
    text = visible_text(client.get(response.url).content)
    assert "Uitkomst van deze intake vastleggen" in text


def test_with_the_family_consent_at_the_planning_the_invited_read_the_report(door, login):
    report = triaged(door)
    client = login(door.front_door)
    assert "Wie gaf toestemming" in visible_text(client.get(plan_url(report)).content)
    response = client.post(plan_url(report), plan_data(door) | {
        "consent_given_by": [str(door.parent.pk)]})
    assert response.status_code == 302
    meeting = IntakeMeeting.objects.get(report=report)
    text = visible_text(login(door.youth_worker).get(answer_url(meeting)).content)
    assert QUESTION in text


def test_one_organisation_after_the_other_the_front_door_marks_each_held(door, login):
    report = triaged(door)
    starts_at = an_hour_ago()
    meeting = meetings.plan_intake(door.actor, report.pk, organisation_ids=[door.youth_care.pk],
                                   starts_at=starts_at, ends_at=starts_at + timedelta(minutes=45),
                                   location="Jeugdhulp Noord", joint=False)
    client = login(door.front_door)
    held_url = reverse("intake:held", kwargs={"meeting_id": meeting.pk})
    assert held_url in client.get(report_url(report)).content.decode()
    assert client.get(held_url).status_code == 405
    assert login(door.youth_worker).post(held_url).status_code == 403
    response = client.post(held_url)
    assert response.status_code == 302 and response.url == report_url(report)
    meeting.refresh_from_db()
    assert meeting.held_at is not None
    again = client.post(held_url, follow=True)
    assert "Deze intake is al gehouden." in visible_text(again.content)


def test_the_planning_form_shows_field_errors(door, login):
    report = triaged(door)
    client = login(door.front_door)
    response = client.post(plan_url(report), plan_data(
        door, organisation_ids=[], ends_at="2030-03-04T09:00", location=""))
    assert response.status_code == 200
    text = visible_text(response.content)
    assert "Kies een of meer organisaties." in text
    assert "De intake eindigt na het begin." in text
    assert "Vul de plaats of de videolink in." in text
    # The action's own rule (one organisation for a single intake) on its field.
    single = client.post(plan_url(report), plan_data(door, joint=""))
    assert "Een intake van één organisatie heeft één organisatie." in visible_text(
        single.content)
    assert not IntakeMeeting.objects.exists()


def test_only_the_front_door_plans(door, login):
    report = triaged(door)
    assert login(door.teacher).post(plan_url(report), plan_data(door)).status_code == 403
    assert not IntakeMeeting.objects.exists()


# --- the invitation --------------------------------------------------------------------


def answer_url(meeting) -> str:
    return reverse("intake:answer", kwargs={"meeting_id": meeting.pk})


def test_an_invited_organisation_accepts(door, login):
    _report, meeting = planned(door)
    client = login(door.youth_worker)
    page = client.get(answer_url(meeting))
    assert page.status_code == 200
    text = visible_text(page.content)
    assert "Wijkcentrum De Haven" in text and "GGZ Oost" in text
    assert QUESTION not in text  # no consent yet
    response = client.post(answer_url(meeting), {"accept": "yes"})
    assert response.status_code == 302 and response.url == answer_url(meeting)
    invitation = Invitation.objects.get(meeting=meeting, organisation=door.youth_care)
    assert (invitation.status, invitation.professional) == (InvitationStatus.ACCEPTED,
                                                            door.youth_worker)
    after = visible_text(client.get(answer_url(meeting)).content)
    assert "Geaccepteerd" in after and "Antwoord versturen" not in after


def test_an_invited_organisation_finds_its_invitations(door, login):
    """The organisation's professionals see its invitations (when and where, no report
    content) with the number still to answer in the menu; each listed meeting's READ is
    in the access log; another organisation sees none of them."""
    from jeugdketen.access.models import AccessLogRecord

    _report, meeting = planned(door)
    client = login(door.youth_worker)
    before = AccessLogRecord.objects.count()
    page = client.get(reverse("intake:invitations"))
    assert page.status_code == 200
    text = visible_text(page.content)
    assert "Wijkcentrum De Haven" in text and "nog niet beantwoord" in text
    assert QUESTION not in text and door.child.family_name not in text
    assert answer_url(meeting) in page.content.decode()
    assert AccessLogRecord.objects.count() == before + 1
    menu = visible_text(client.get(reverse("intake:invitations")).content)
    assert "Intakes 1" in " ".join(menu.split()) or "Intakes (1)" in menu
    other = visible_text(login(stranger(door)).get(reverse("intake:invitations")).content)
    assert "Wijkcentrum De Haven" not in other and "Er zijn geen uitnodigingen." in other


def test_a_decline_needs_a_reason(door, login):
    _report, meeting = planned(door)
    client = login(door.therapist)
    response = client.post(answer_url(meeting), {"accept": "no", "reason": ""})
    assert response.status_code == 200
    assert "Geef de reden waarom uw organisatie niet komt." in visible_text(response.content)
    response = client.post(answer_url(meeting), {"accept": "no",
                                                 "reason": "Geen plek deze maand."})
    assert response.status_code == 302
    invitation = Invitation.objects.get(meeting=meeting, organisation=door.mental_health)
    assert (invitation.status, invitation.reason) == (InvitationStatus.DECLINED,
                                                      "Geen plek deze maand.")


def test_the_front_door_replaces_a_declined_invitation(door, login):
    report, meeting = planned(door)
    meetings.answer_invitation(door.actor_of(door.therapist), meeting.pk, door.mental_health.pk,
                               accept=False, reason="Geen plek deze maand.")
    other = f.OrganisationFactory(name="Jeugd-GGZ Zuid", kind="mental_health_care",
                                  municipality=door.municipality)
    client = login(door.front_door)
    page = client.get(report_url(report))
    assert "Andere organisatie uitnodigen" in visible_text(page.content)
    declined = Invitation.objects.get(meeting=meeting, organisation=door.mental_health)
    prefix = f"r{declined.pk}"
    url = reverse("intake:replace", kwargs={"meeting_id": meeting.pk})
    empty = client.post(url, {f"{prefix}-organisation_id": door.mental_health.pk,
                              f"{prefix}-by_organisation_id": ""}, follow=True)
    assert "Kies de organisatie die u in plaats daarvan uitnodigt." in visible_text(
        empty.content)
    # The action's rule: an organisation already invited is not invited twice.
    twice = client.post(url, {f"{prefix}-organisation_id": door.mental_health.pk,
                              f"{prefix}-by_organisation_id": door.youth_care.pk}, follow=True)
    assert "Deze organisatie is al uitgenodigd." in visible_text(twice.content)
    assert login(door.youth_worker).post(url, {
        f"{prefix}-organisation_id": door.mental_health.pk,
        f"{prefix}-by_organisation_id": other.pk}).status_code == 403
    response = client.post(url, {f"{prefix}-organisation_id": door.mental_health.pk,
                                 f"{prefix}-by_organisation_id": other.pk})
    assert response.status_code == 302 and response.url == report_url(report)
    declined.refresh_from_db()
    assert declined.status == InvitationStatus.REPLACED
    assert Invitation.objects.get(meeting=meeting, organisation=other).status == "invited"


def test_with_consent_the_invitation_shows_the_report(door, login):
    _report, meeting = planned(door)
    door.intake_consent(door.youth_care)
    text = visible_text(login(door.youth_worker).get(answer_url(meeting)).content)
    assert QUESTION in text


def test_an_organisation_not_invited_is_refused(door, login):
    _report, meeting = planned(door)
    assert login(stranger(door)).get(answer_url(meeting)).status_code == 403
    assert login(door.teacher).get(answer_url(meeting)).status_code == 403
    unknown = reverse("intake:answer", kwargs={"meeting_id": 999999})
    assert login(door.youth_worker).get(unknown).status_code == 403


# --- the outcome -----------------------------------------------------------------------


def outcome_url(meeting) -> str:
    return reverse("intake:outcome", kwargs={"meeting_id": meeting.pk})


def outcome_data(door, **overrides) -> dict:
    data = {"participant_ids": [door.youth_worker.pk, door.front_door.pk],
            "family_present_ids": [door.parent.pk],
            "question_understood": "Noor wil weer naar school; thuis is het onrustig.",
            "decision": "plan", "coordinator_id": door.coordinator.pk,
            "consent_given_by": [door.parent.pk, door.youth.pk],
            "goal0_title": "Noor gaat minstens drie dagen per week naar school",
            "goal0_persons": [door.child.pk]}
    for key, name in (("-2", "levels_m2"), ("-1", "levels_m1"), ("0", "levels_0"),
                      ("1", "levels_p1"), ("2", "levels_p2")):
        data[f"goal0_{name}"] = LEVELS[key]
    return data | overrides


def accepted(door, meeting) -> None:
    meetings.answer_invitation(door.actor_of(door.youth_worker), meeting.pk, door.youth_care.pk,
                               accept=True)


def test_the_outcome_form_renders_for_the_front_door_only(door, login):
    _report, meeting = planned(door)
    page = login(door.front_door).get(outcome_url(meeting))
    assert page.status_code == 200
    text = visible_text(page.content)
    assert "Doel 1" in text and "0: het verwachte resultaat" in text
    assert "Joost Jeugdhulp" in text and "Rita Regie" in text
    for who in (door.youth_worker, door.teacher, stranger(door)):
        assert login(who).get(outcome_url(meeting)).status_code == 403


def test_the_outcome_form_shows_field_errors(door, login):
    _report, meeting = planned(door)
    response = login(door.front_door).post(outcome_url(meeting), outcome_data(
        door, participant_ids=[], goal0_levels_p2=""))
    assert response.status_code == 200
    text = visible_text(response.content)
    assert "Kies wie er meededen." in text
    assert "Beschrijf niveau 2 in woorden." in text  # a goal begun is a goal in full
    assert 'id="id_goal0_levels_p2_error"' in response.content.decode()
    assert not Outcome.objects.exists()
    # The action's rule (a referral names the result it is for) on its field.
    response = login(door.front_door).post(outcome_url(meeting), outcome_data(
        door, decision="referral", referral_result=""))
    assert response.status_code == 200
    assert 'id="id_referral_result_error"' in response.content.decode()
    assert not Outcome.objects.exists()


def test_an_advice_outcome_closes_the_report(door, login):
    report, meeting = planned(door)
    accepted(door, meeting)
    response = login(door.front_door).post(outcome_url(meeting), outcome_data(
        door, decision="advice", coordinator_id="", consent_given_by=[]))
    assert response.status_code == 302 and response.url == report_url(report)
    report.refresh_from_db()
    assert report.step == Step.CLOSED and Outcome.objects.get().decision == "advice"


def test_after_a_referral_the_front_door_records_the_start_of_help(door, login):
    report, meeting = planned(door)
    accepted(door, meeting)
    client = login(door.front_door)
    response = client.post(outcome_url(meeting), outcome_data(
        door, decision="referral", referral_result="Noor voelt zich thuis weer veilig",
        coordinator_id="", consent_given_by=[]))
    assert response.status_code == 302 and response.url == report_url(report)
    page = visible_text(client.get(report_url(report)).content)
    assert "Noor voelt zich thuis weer veilig" in page and "Hulp gestart op" in page
    url = reverse("intake:help_started", kwargs={"report_id": report.pk})
    wrong = client.post(url, {"on": "2001-01-01"})  # before the report: the action says no
    assert wrong.status_code == 200
    assert "Een datum vanaf de melding tot en met vandaag." in visible_text(wrong.content)
    assert login(door.teacher).post(url, {"on": timezone.localdate().isoformat()}
                                    ).status_code == 403
    done = client.post(url, {"on": timezone.localdate().isoformat()})
    assert done.status_code == 302 and done.url == report_url(report)
    report.refresh_from_db()
    assert report.step == Step.HELP_STARTED


def test_a_plan_outcome_starts_the_plan_and_says_who_coordinates(door, login):
    report, meeting = planned(door)
    accepted(door, meeting)
    client = login(door.front_door)
    response = client.post(outcome_url(meeting), outcome_data(door))
    report.refresh_from_db()
    assert report.plan_id == report.trajectory_key and report.step == Step.HELP_STARTED
    assert report.plan.goals.get().title == "Noor gaat minstens drie dagen per week naar school"
    # The front door is not in the plan's team: back to the report, which names the
    # coordinator (the plan's own page would refuse it).
    assert response.status_code == 302 and response.url == report_url(report)
    assert "Rita Regie voert de regie." in visible_text(client.get(response.url).content)


def test_a_plan_outcome_redirects_to_the_new_family_plan(door, login):
    """The one who records it may read the plan (here: the front door coordinates it)."""
    door.front_door.roles = ["front_door", "coordinator"]
    door.front_door.save()
    report, meeting = planned(door)
    accepted(door, meeting)
    response = login(door.front_door).post(outcome_url(meeting), outcome_data(
        door, coordinator_id=door.front_door.pk))
    report.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("plan", kwargs={"plan_id": report.plan_id})
    plan = login(door.front_door).get(response.url)
    assert plan.status_code == 200
    assert "Noor gaat minstens drie dagen per week naar school" in visible_text(plan.content)


# --- English ---------------------------------------------------------------------------


def test_the_pages_speak_english(door, login):
    report, meeting = planned(door)
    pages = {
        login(door.teacher, "en").get(new_url(persoon=door.child.pk)):
            "What is your concern or question?",
        login(door.teacher, "en").get(report_url(report)): "How far is the report?",
        login(door.front_door, "en").get(report_url(report)): "Progress",
        login(door.youth_worker, "en").get(answer_url(meeting)): "Will your organisation come?",
        login(door.front_door, "en").get(outcome_url(meeting)): "Outcome of the intake",
    }
    for response, english in pages.items():
        assert response.status_code == 200
        assert english in visible_text(response.content)
        assert dutch_leftovers(response.content) == []
