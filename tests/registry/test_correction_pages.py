"""The functional administrator's page of reports back to the BRP (correction proposals):
accept with htmx or without JavaScript, only within the own municipality."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jeugdketen.registry.models import CorrectionProposal
from tests import factories as f
from tests.pages import register, visible_text

pytestmark = pytest.mark.usefixtures("page_settings")


@pytest.fixture
def proposal(professional, other_professional, postcode_address):
    """A report back to the BRP: the family told the other professional they moved."""
    from jeugdketen.registry import actions

    person = register(professional, given_names="Sanne", family_name="Bakker")
    actions.register_person(f.professional_actor(other_professional), actions.PersonInput(
        bsn=person.bsn, given_names="Sanne", family_name="Bakker", birth_date=person.birth_date,
        sex="V", postcode="9901AB", house_number=12))
    return CorrectionProposal.objects.get(person=person)


def test_functional_admin_accepts_a_correction_with_htmx(functional_admin, proposal,
                                                         client_for):
    client = client_for(functional_admin)
    page = visible_text(client.get(reverse("corrections")).content)
    assert "Sanne Bakker" in page and "9901 AB" in page and "Postcode" in page
    response = client.post(reverse("decide_correction", args=[proposal.pk]),
                           {"besluit": "doorgeven"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert "De terugmelding is doorgegeven aan de BRP." in response.content.decode()
    proposal.refresh_from_db()
    proposal.person.refresh_from_db()
    assert proposal.status == "accepted" and proposal.person.postcode == ""  # still the BRP's
    again = client.post(reverse("decide_correction", args=[proposal.pk]),
                        {"besluit": "afwijzen"}, follow=True)
    assert "Dit voorstel is al beoordeeld." in visible_text(again.content)


def test_functional_admin_rejects_without_javascript(functional_admin, proposal, client_for):
    response = client_for(functional_admin).post(
        reverse("decide_correction", args=[proposal.pk]), {"besluit": "afwijzen"}, follow=True)
    assert "De terugmelding is afgewezen." in visible_text(response.content)
    proposal.refresh_from_db()
    assert proposal.status == "rejected" and proposal.person.postcode == ""


def test_corrections_only_for_functional_admin(professional, proposal, client_for):
    client = client_for(professional)
    assert client.get(reverse("corrections")).status_code == 403
    client.post(reverse("decide_correction", args=[proposal.pk]), {"besluit": "doorgeven"})
    proposal.refresh_from_db()
    assert proposal.status == "open"


def test_corrections_of_another_municipality_are_not_shown_nor_decided(proposal, client_for):
    """Finding 4 of issue 8: names, birth dates and decisions stay within the municipality;
    the start page does not count them either."""
    elsewhere = f.OrganisationFactory(municipality=f.MunicipalityFactory(code="GM9966"))
    admin = f.ProfessionalFactory(organisation=elsewhere, roles=["functional_admin"])
    client = client_for(admin)
    page = visible_text(client.get(reverse("corrections")).content)
    assert "Sanne" not in page and "Er zijn geen open terugmeldingen." in page
    assert "terugmelding open" not in visible_text(client.get(reverse("home")).content)
    response = client.post(reverse("decide_correction", args=[proposal.pk]),
                           {"besluit": "doorgeven"})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "open"
