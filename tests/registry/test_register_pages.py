"""Registering a person and a household through the web forms."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.registry.models import Household, Person
from tests import brp
from tests import factories as f
from tests.pages import register, visible_text

pytestmark = pytest.mark.usefixtures("page_settings")

URL = "/personen/nieuw/"


def form_data(**kw):
    """The form as typed; the BRP knows a (valid, synthetic) BSN exactly so."""
    data = {"bsn": f.synthetic_bsn(), "given_names": "Sanne Maria", "family_name": "de Vries",
            "birth_date": "2014-03-09", "sex": "V", "postcode": "9901 ab", "house_number": "12"}
    data.update(kw)
    from jeugdketen.brp.standin.store import synthetic

    if synthetic(data["bsn"]) and re.fullmatch(r"\d{4}-\d\d-\d\d", data["birth_date"]):
        brp.known({**data, "birth_date": date.fromisoformat(data["birth_date"]),
                   "house_number": int(data["house_number"])})
    return data


def test_register_person_page_has_labels_hints_and_no_required_attribute(professional,
                                                                         client_for):
    body = client_for(professional).get(reverse("register_person")).content.decode()
    for name in ("bsn", "given_names", "family_name", "birth_date", "postcode", "house_number"):
        assert f'<label class="utrecht-form-label" for="id_{name}">' in body
    assert 'aria-describedby="id_bsn_hint"' in body
    assert "zonder BSN" in body or "geen BSN" in body
    assert "<legend" in body and 'value="O"' in body and "Onbekend" in body
    assert 'type="date"' in body


def test_register_person_success_shows_the_person(professional, client_for, postcode_address):
    client = client_for(professional)
    response = client.post(reverse("register_person"), form_data(), follow=True)
    assert response.status_code == 200
    person = Person.objects.get(family_name="de Vries")
    assert response.redirect_chain[-1][0] == reverse("person", args=[person.pk])
    text = visible_text(response.content)
    assert "De persoon is vastgelegd." in text
    assert "Sanne Maria" in text and "Oude Haven" in text


def test_register_person_that_the_brp_does_not_know_names_three_fields(professional, client_for):
    data = form_data()
    brp.forget(data["bsn"])
    response = client_for(professional).post(reverse("register_person"), data)
    body = response.content.decode()
    assert response.status_code == 200
    for name in ("bsn", "birth_date", "family_name"):
        assert f'id="id_{name}_error"' in body
    assert "komen niet overeen met de BRP" in body
    assert not Person.objects.exists()


def test_register_person_validation_error_keeps_input_and_names_the_field(professional,
                                                                          client_for):
    data = form_data(bsn="123456789", given_names="Sanne", family_name="",
                     birth_date="2030-01-01", postcode="0000")
    response = client_for(professional).post(reverse("register_person"), data)
    assert response.status_code == 200
    body = response.content.decode()
    # Typed values are kept.
    assert 'value="123456789"' in body and 'value="Sanne"' in body
    assert 'value="2030-01-01"' in body and 'value="0000"' in body
    # Each problem at its field, tied with aria-describedby and aria-invalid.
    bsn_input = re.search(r'<input[^>]*name="bsn"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in bsn_input
    assert 'aria-describedby="id_bsn_error id_bsn_hint"' in bsn_input
    assert 'id="id_bsn_error"' in body
    assert "elfproef" in body  # the registry's rule, shown at the BSN field
    assert 'id="id_family_name_error"' in body and "Vul de achternaam in." in body
    assert 'id="id_birth_date_error"' in body and "toekomst" in body
    assert 'id="id_postcode_error"' in body
    # The summary links to the fields, and the title says there is an error.
    assert 'href="#id_bsn"' in body and "<title>Fout:" in body
    assert not Person.objects.filter(given_names="Sanne").exists()


def test_register_person_errors_in_english(professional, client_for):
    data = form_data(bsn="123456789")
    body = client_for(professional, "en").post(reverse("register_person"), data).content
    assert b"eleven test" in body and b"elfproef)" in body


def test_known_bsn_gives_the_same_answer(professional, other_professional, client_for,
                                         postcode_address):
    """The platform never tells that someone is already known: same status, same
    message, whether or not the BSN was known."""
    bsn = f.synthetic_bsn()
    client_for(professional).post(reverse("register_person"), form_data(bsn=bsn))
    answers = []
    for number in (bsn, f.synthetic_bsn()):  # known, then unknown
        client = client_for(other_professional)
        response = client.post(reverse("register_person"),
                               form_data(bsn=number, given_names="Sanna"))
        page = client.get(response.url)
        answers.append((response.status_code, page.status_code, re.findall(
            r'role="status">\s*<p class="utrecht-paragraph">(.*?)</p>', page.content.decode())))
    assert answers[0] == answers[1] == (302, 200, ["De persoon is vastgelegd."])
    assert Person.objects.filter(bsn=bsn).count() == 1
    assert Person.objects.get(bsn=bsn).given_names == "Sanna"  # the BRP's, as it is now


def test_register_person_denied_for_privacy_officer(privacy_officer, client_for):
    response = client_for(privacy_officer).post(reverse("register_person"), form_data())
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_register_household_from_own_persons(professional, client_for):
    parent = register(professional, given_names="Mira", family_name="Jansen")
    child = register(professional, given_names="Lotte", family_name="Jansen")
    f.kinship(child, parent)  # the BRP says Mira is Lotte's mother, with custody
    client = client_for(professional)
    page = client.get(reverse("register_household") + f"?persoon={parent.pk}")
    body = page.content.decode()
    assert f'value="{parent.pk}" checked' in body and f'value="{child.pk}"' in body
    assert f'<label class="utrecht-form-label jk-visually-hidden" for="relation-{child.pk}">' in body
    response = client.post(reverse("register_household"), {
        "member": [str(parent.pk), str(child.pk)],
        f"relation-{parent.pk}": "", f"relation-{child.pk}": "child",
    }, follow=True)
    household = Household.objects.get()
    assert response.redirect_chain[-1][0] == reverse("household", args=[household.pk])
    text = visible_text(response.content)
    assert "Het huishouden is vastgelegd." in text
    assert "Mira Jansen" in text and "Lotte Jansen" in text and "Ouder" in text
    assert AccessLogRecord.objects.filter(data="household", action="create").count() == 2


def test_register_household_errors_keep_the_choices(professional, client_for):
    parent = register(professional, given_names="Mira", family_name="Jansen")
    child = register(professional, given_names="Lotte", family_name="Jansen")
    client = client_for(professional)
    response = client.post(reverse("register_household"), {
        "member": [str(parent.pk), str(child.pk)], f"relation-{parent.pk}": "parent",
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert f'value="{parent.pk}" checked' in body and f'value="{child.pk}" checked' in body
    assert 'value="parent" selected' in body
    assert f'id="relation-{child.pk}-error"' in body
    assert f'aria-describedby="relation-{child.pk}-error"' in body
    assert not Household.objects.exists()
    empty = client.post(reverse("register_household"), {})
    assert "Kies ten minste één persoon" in empty.content.decode()


def test_register_household_with_someone_elses_person_is_denied(professional,
                                                                other_professional,
                                                                client_for):
    own = register(professional)
    foreign = register(other_professional)
    response = client_for(professional).post(reverse("register_household"), {
        "member": [str(own.pk), str(foreign.pk)],
        f"relation-{own.pk}": "parent", f"relation-{foreign.pk}": "child",
    })
    assert response.status_code == 403
    assert foreign.given_names not in response.content.decode()
    assert not Household.objects.exists()


def test_register_household_with_a_bad_member_id_is_refused(professional, client_for):
    """An unknown id is refused like a person without a ground: nothing tells which ids
    exist."""
    own = register(professional)
    response = client_for(professional).post(reverse("register_household"), {
        "member": [str(own.pk), "geen-id"],
        f"relation-{own.pk}": "parent", "relation-geen-id": "child",
    })
    assert response.status_code == 403
    assert own.given_names not in response.content.decode()
    assert not Household.objects.exists()


def test_a_legal_basis_is_recorded_by_its_own_organisation_from_the_person_page(client_for):
    """Issue 8: only the organisation that holds a legal basis records it (a certified
    institution a child-protection measure); a school neither sees the button nor the page."""
    from jeugdketen.access.models import LegalBasis

    institution = f.OrganisationFactory(kind="certified_institution")
    guardian = f.ProfessionalFactory(organisation=institution, roles=["professional"])
    child = register(guardian, given_names="Mees", family_name="Visser")
    client = client_for(guardian)
    page = client.get(reverse("person", args=[child.pk])).content.decode()
    assert reverse("person_legal_basis", args=[child.pk]) in page
    form = client.get(reverse("person_legal_basis", args=[child.pk])).content.decode()
    assert "kinderbeschermingsmaatregel" in form and "Veilig Thuis" not in form
    response = client.post(reverse("person_legal_basis", args=[child.pk]), {
        "lb-person_id": str(child.pk), "lb-organisation_id": institution.pk,
        "lb-kind": "child_protection", "lb-reference": "OTS C/13/2026/1",
        "lb-valid_until": "2027-12-31"}, follow=True)
    assert "De wettelijke grondslag is vastgelegd." in visible_text(response.content)
    basis = LegalBasis.objects.get(person=child)
    assert basis.organisation == institution and basis.recorded_by == guardian.user

    school = f.ProfessionalFactory(organisation=f.OrganisationFactory(kind="school"))
    pupil = register(school, given_names="Pim", family_name="Visser")
    assert reverse("person_legal_basis", args=[pupil.pk]) not in client_for(school).get(
        reverse("person", args=[pupil.pk])).content.decode()
    assert client_for(school).get(reverse("person_legal_basis", args=[pupil.pk])).status_code == 403
    # Someone without a ground for the person gets the same 403 as for an unknown id.
    stranger = f.ProfessionalFactory(organisation=institution, roles=["professional"])
    assert client_for(stranger).get(reverse("person_legal_basis", args=[child.pk])).status_code == 403
