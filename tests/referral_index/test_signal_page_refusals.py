"""Issue 10, one error path: the signal page shows register_signal's refusal through
ui.pages.submit, each message where it always was: invalid input at its field, a rule
about the youth (field person_id) at the youth chosen."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jeugdketen.referral_index import pickers
from jeugdketen.referral_index.models import Signal
from jeugdketen.registry import actions
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


def youth(professional, **kw):
    bsn, born = f.synthetic_bsn(), f.birth_date_for_age(9)
    in_brp(bsn=bsn, given_names="Fenna", family_name="Kok", birth_date=born)
    return actions.register_person(f.professional_actor(professional), actions.PersonInput(
        bsn=bsn, given_names="Fenna", family_name="Kok", birth_date=born, sex="V")).person


def post(professional, person, duration="365"):
    client = Client(HTTP_USER_AGENT="pytest-signal")
    client.force_login(professional.user)
    client.cookies["django_language"] = "nl"
    return client.post(reverse("signal_register"), {
        "person": str(person.pk), "duration_days": duration, "contact_phone": "0612345678",
        "contact_email": "ik@example.org"})


def test_a_duration_below_the_municipalitys_minimum_is_said_at_the_duration(professional):
    child = youth(professional)
    municipality = professional.organisation.municipality
    municipality.min_signal_days = 200
    municipality.save()
    response = post(professional, child, "182")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["duration_days"]
    assert "De looptijd is ten minste 200 dagen" in errors["duration_days"][0]
    assert not Signal.objects.exists()


def test_a_rule_about_the_youth_is_said_at_the_youth_chosen(professional, monkeypatch):
    """The youth died after the list was shown (the picker offers living youth only): the
    action's refusal names person_id; the page says it at the youth chosen."""
    child = youth(professional)
    offered = pickers.youth(f.professional_actor(professional), chosen=str(child.pk))
    child.date_of_death = timezone.localdate()
    child.save(update_fields=["date_of_death"])
    monkeypatch.setattr(pickers, "youth", lambda *args, **kw: offered)
    response = post(professional, child)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors == {"person": ["Op een overleden jongere kan geen signaal worden afgegeven."]}
    assert not Signal.objects.exists()
