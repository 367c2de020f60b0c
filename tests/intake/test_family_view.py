"""The family's own view of the front door, "Waar staat mijn melding": a custody holder
(per the BRP) sees the reports about their child, a youth from 16 the reports about
themselves, each with its step in plain language, what happens next and by about when;
a parent without custody, a housemate and a youth of 12-15 see nothing, and nobody sees
another family's report. A custody holder or a youth from 16 reports through the view:
the report is the family's (reporter_kind family)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import formats, timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from jeugdketen.intake.actions.reports import report
from jeugdketen.intake.models import CareReport, ReporterKind
from tests import factories as f

pytestmark = pytest.mark.django_db

LIST = "/gezin/meldingen/"
NEW = "/gezin/meldingen/nieuw/"


@pytest.fixture(autouse=True)
def second_factor(settings):
    settings.REQUIRE_2FA = True
    settings.DEMO = False


def login(person) -> Client:
    user = f.UserFactory(person=person)
    client = Client(HTTP_USER_AGENT="pytest-family")
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="Jeugdketen", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.cookies["django_language"] = "nl"
    return client


def text_of(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body).replace("&#x27;", "'").replace("&quot;", '"')


@pytest.fixture
def home(municipality, neighbourhood):
    """A household: a mother with custody (BRP), a father without custody, a lodger, a
    child of 8, a youth of 14 and a youth of 17; and the front-door team of the
    municipality."""
    def person(age, given, family="Bakker"):
        return f.PersonFactory(birth_date=f.birth_date_for_age(age), given_names=given,
                               family_name=family, neighbourhood=neighbourhood)

    mother, father, lodger = person(40, "Mariam"), person(42, "Joost"), person(30, "Kees", "Smit")
    child, youth, older = person(8, "Noor"), person(14, "Daan"), person(17, "Sam")
    household = f.make_household(parents=[mother], children=[child, youth, older],
                                 housemates=[lodger])
    f.HouseholdMemberFactory(household=household, person=father, relation="parent",
                             brp_verified=True)
    for kid in (child, youth, older):
        f.kinship(kid, father, parent=True, custody=False)
    town_hall = f.OrganisationFactory(name="Gemeente Testdam", kind="municipality",
                                      municipality=municipality)
    front_door = f.ProfessionalFactory(organisation=town_hall, roles=["front_door"],
                                       full_name="Fien Voordeur")
    stranger = person(9, "Vreemd", "Anders")
    f.make_household(parents=[person(38, "Els", "Anders")], children=[stranger])
    return {"mother": mother, "father": father, "lodger": lodger, "child": child,
            "youth": youth, "older": older, "front_door": front_door, "stranger": stranger}


def about(home, who, question):
    return report(f.professional_actor(home["front_door"]), person_id=home[who].pk,
                  question=question, life_domains=["schooling"], urgency="regular",
                  unsafe=False, consent_to_share=True)


@pytest.fixture
def reports(home):
    return {"child": about(home, "child", "Noor is vaak ziek thuis."),
            "youth": about(home, "youth", "Daan spijbelt."),
            "older": about(home, "older", "Sam slaapt op straat."),
            "stranger": about(home, "stranger", "Een ander gezin.")}


def test_a_custody_holder_sees_the_report_about_her_child_in_plain_language(home, reports):
    response = login(home["mother"]).get(LIST)
    assert response.status_code == 200
    text = text_of(response)
    child_report = reports["child"]
    assert "De melding is binnen." in text
    assert "Het team van de gemeente (de voordeur) leest de melding" in text
    due = formats.date_format(child_report.step_due_on, "DATE_FORMAT")
    assert f"Uiterlijk {due}" in text
    received = formats.date_format(timezone.localtime(child_report.received_at), "DATE_FORMAT")
    assert f"Melding van {received}" in text
    assert "Over wie? Noor Bakker" in text and "Over wie? Daan Bakker" in text
    # Status only: no content of the report, and nothing of the other family.
    assert "ziek" not in text and "ander gezin" not in text.lower()
    assert "Vreemd" not in text


def test_the_family_sees_only_its_own_reports(home, reports):
    shown = re.compile(r"Melding van ")
    mother = text_of(login(home["mother"]).get(LIST))
    # Her children under 16 (Sam, 17, decides himself), not the stranger's.
    assert len(shown.findall(mother)) == 2
    older = text_of(login(home["older"]).get(LIST))
    assert len(shown.findall(older)) == 1  # Sam (17): his own report only


@pytest.mark.parametrize("who", ["father", "lodger", "youth"])
def test_no_custody_a_housemate_and_a_youth_of_14_see_nothing(home, reports, who):
    response = login(home[who]).get(LIST)
    assert response.status_code == 200
    text = text_of(response)
    assert "Melding van " not in text
    assert "Er zijn geen meldingen over u of uw gezin" in text


def test_a_custody_holder_reports_about_her_child(home):
    client = login(home["mother"])
    form = client.get(NEW)
    assert form.status_code == 200
    body = form.content.decode()
    assert str(home["child"].pk) in body and str(home["youth"].pk) in body
    assert str(home["older"].pk) not in body  # from 16 a youth reports himself
    assert str(home["lodger"].pk) not in body and str(home["stranger"].pk) not in body
    response = client.post(NEW, {
        "person": str(home["child"].pk), "question": "Noor eet slecht sinds de verhuizing.",
        "life_domains": ["physical_care"], "urgency": "urgent", "consent_to_share": "on",
        "contact_phone": "0612345678"})
    assert response.status_code == 302 and response["Location"] == LIST
    made = CareReport.objects.get()
    assert made.reporter_kind == ReporterKind.FAMILY
    assert made.person_id == home["child"].pk
    assert made.reported_by_person_id == home["mother"].pk
    assert made.consent_to_share is True
    text = text_of(client.get(LIST))
    assert "De melding is binnen." in text


def test_a_youth_of_17_reports_about_himself(home):
    client = login(home["older"])
    response = client.post(NEW, {
        "person": str(home["older"].pk), "question": "Ik wil hulp bij mijn schulden.",
        "life_domains": ["finances"], "urgency": "regular"})
    assert response.status_code == 302
    made = CareReport.objects.get()
    assert made.reporter_kind == ReporterKind.FAMILY and made.person_id == home["older"].pk


def test_bad_input_names_the_field_and_another_child_cannot_be_chosen(home):
    client = login(home["mother"])
    response = client.post(NEW, {"person": str(home["stranger"].pk), "question": "",
                                 "urgency": "regular"})
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(r'id="id_person_error">.*?Kies iemand uit de lijst\.', body, re.S)
    assert re.search(r'id="id_question_error">.*?Schrijf wat er aan de hand is\.', body, re.S)
    assert not CareReport.objects.exists()


def test_a_youth_of_14_gets_no_form(home):
    client = login(home["youth"])
    response = client.get(NEW)
    assert response.status_code == 200
    assert f'action="{NEW}"' not in response.content.decode()
    posted = client.post(NEW, {"person": str(home["youth"].pk), "question": "Hulp",
                               "life_domains": ["schooling"], "urgency": "regular"})
    assert posted.status_code == 200
    assert not CareReport.objects.exists()


@pytest.mark.parametrize("who", ["lodger", "father"])
def test_without_custody_only_oneself_is_offered(home, who):
    client = login(home[who])
    body = client.get(NEW).content.decode()
    assert str(home[who].pk) in body
    assert str(home["child"].pk) not in body and str(home["youth"].pk) not in body
    assert "huishouden:" not in body
    posted = client.post(NEW, {"person": str(home["child"].pk), "question": "Hulp",
                               "life_domains": ["schooling"], "urgency": "regular"})
    assert posted.status_code == 200
    assert re.search(r'id="id_person_error">.*?Kies iemand uit de lijst\.',
                     posted.content.decode(), re.S)
    assert not CareReport.objects.exists()


def test_a_custody_holder_reports_about_the_household(home):
    client = login(home["mother"])
    body = client.get(NEW).content.decode()
    household = re.search(r'value="(huishouden:[0-9a-f-]+)"', body)
    assert household is not None
    response = client.post(NEW, {"person": household.group(1), "question": "Thuis is veel ruzie.",
                                 "life_domains": ["domestic_relations"], "urgency": "regular",
                                 "contact_email": "mariam@example.test"})
    assert response.status_code == 302
    made = CareReport.objects.get()
    assert made.reporter_kind == ReporterKind.FAMILY
    assert str(made.household_id) == household.group(1).removeprefix("huishouden:")
    assert made.person_id is None


def test_a_professional_does_not_get_in(home, reports):
    user = home["front_door"].user
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="Jeugdketen", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get(LIST).status_code == 403
