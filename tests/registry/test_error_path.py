"""Issue 10, one error path in the registry: its actions raise only Refusal (a validator's
ValidationError becomes the refusal of the field it checked), and its pages show a refusal
through ui.pages' helpers, each message where it was before."""

from __future__ import annotations

import socket
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from jeugdketen.core.errors import FieldError, Refusal, problem_details
from jeugdketen.registry import actions
from jeugdketen.registry.models import District, Municipality, Neighbourhood, Person
from tests import factories as f
from tests.brp import in_brp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_settings(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.REQUIRE_2FA = False
    settings.DEMO = False
    return settings


def client_of(professional) -> Client:
    client = Client(HTTP_USER_AGENT="pytest-registry")
    client.force_login(professional.user)
    client.cookies["django_language"] = "nl"
    return client


def typed(bsn: str, **kw: str) -> dict[str, str]:
    return {"bsn": bsn, "given_names": "Daan", "family_name": "Visser",
            "birth_date": "2013-11-02", "sex": "M"} | kw


def test_ensure_area_refuses_a_code_that_is_not_cbss_naming_each_field():
    """Was: Django's ValidationError of the first bad code, after the municipality was
    written. Now: invalid input naming every bad field with the validator's rule, nothing
    written (it serves the postcode import and the demo, no page or endpoint)."""
    with pytest.raises(Refusal) as caught:
        actions.ensure_area(municipality=("GM12", "Nergens"), district=("WK0001AB", "Wijk"),
                            neighbourhood=("BU00010001", "Buurt"))
    refusal = caught.value
    assert refusal.errors[0] == FieldError(
        "municipality", "municipality_code_format",
        "Een gemeentecode is GM gevolgd door 4 cijfers (CBS), zoals GM0363.")
    assert [(e.field, e.rule) for e in refusal.errors] == [
        ("municipality", "municipality_code_format"), ("district", "cbs_code")]
    assert refusal.reason == "invalid district: cbs_code; municipality: municipality_code_format"
    assert [e["field"] for e in problem_details(refusal)["errors"]] == ["municipality", "district"]
    assert not Municipality.objects.filter(name="Nergens").exists()
    assert not District.objects.filter(name="Wijk").exists()
    made = actions.ensure_area(municipality=("GM0999", "Ergens"), district=("99901", "Wijk"),
                               neighbourhood=("9990101", "Buurt"))
    assert (made.code, made.district_id) == ("BU09990101", "WK099901")
    assert Neighbourhood.objects.get(code="BU09990101").district.municipality.name == "Ergens"


def test_the_brp_out_of_reach_is_said_above_the_form_with_503(professional, settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.BRP_URL = f"http://127.0.0.1:{port}/haalcentraal/api/brp"
    response = client_of(professional).post(reverse("register_person"),
                                            typed(f.synthetic_bsn()))
    assert response.status_code == 503
    form = response.context["form"]
    assert list(form.errors) == ["__all__"]
    assert "De BRP is nu niet bereikbaar" in form.non_field_errors()[0]
    assert "De BRP is nu niet bereikbaar" in response.content.decode()
    assert not Person.objects.exists()


def test_the_mismatch_limit_is_said_above_the_form_not_at_the_bsn(professional, settings):
    """The rule names the field bsn (for the API); the page says it above the form, as it
    always did, with 429."""
    settings.BRP_MISMATCHES_PER_DAY = 1
    bsn = f.synthetic_bsn()
    in_brp(bsn=bsn, given_names="Daan", family_name="Visser", birth_date=date(2013, 11, 2))
    client = client_of(professional)
    wrong = client.post(reverse("register_person"), typed(bsn, birth_date="2013-01-01"))
    assert wrong.status_code == 200 and "bsn" in wrong.context["form"].errors
    response = client.post(reverse("register_person"), typed(bsn))
    assert response.status_code == 429
    form = response.context["form"]
    assert list(form.errors) == ["__all__"]
    assert "te vaak gegevens ingevuld" in form.non_field_errors()[0]


def test_a_household_refusal_is_shown_at_the_members_row(professional):
    """Two persons the BRP ties to nobody: each row says so (members[i].person_id)."""
    actor = f.professional_actor(professional)
    people = []
    for name, born in (("Anna", date(1980, 1, 1)), ("Bram", date(1981, 2, 2))):
        bsn = f.synthetic_bsn()
        in_brp(bsn=bsn, given_names=name, family_name="Los", birth_date=born)
        people.append(actions.register_person(actor, actions.PersonInput(
            bsn=bsn, given_names=name, family_name="Los", birth_date=born, sex="O")).person)
    response = client_of(professional).post(reverse("register_household"),
                                            {"member": [str(p.pk) for p in people]})
    assert response.status_code == 200
    rows = {row["id"]: row["errors"] for row in response.context["rows"]}
    message = ("Volgens de BRP is deze persoon geen ouder, gezaghebbende, kind of huisgenoot "
               "van een ander lid van dit huishouden.")
    assert rows == {str(p.pk): [message] for p in people}
    assert response.context["general_errors"] == []
