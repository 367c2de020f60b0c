"""House numbers with a letter or an addition (70A, 12-2) are accepted as people write
them, in the register form's one field or in the separate fields, and kept in the BRP's
three parts (huisnummer, huisletter, huisnummertoevoeging)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jeugdketen.registry.models import CorrectionProposal, Person
from jeugdketen.registry.validators import split_house_number
from tests import brp
from tests import factories as f
from tests.pages import visible_text

pytestmark = pytest.mark.usefixtures("page_settings")


@pytest.mark.parametrize(("typed", "parts"), [
    ("70", (70, "", "")), ("70A", (70, "A", "")), ("70 a", (70, "A", "")),
    ("12-2", (12, "", "2")), ("12 - 2", (12, "", "2")), ("12/3", (12, "", "3")),
    ("12 bis", (12, "", "bis")), ("7 B-1", (7, "B", "1")), ("7B1", (7, "B", "1")),
    ("", (None, "", "")), ("99999", (99999, "", "")),
])
def test_split_house_number(typed, parts):
    assert split_house_number(typed) == parts


@pytest.mark.parametrize(("typed", "code"), [
    ("twaalf", "house_number_format"), ("0", "house_number_range"),
    ("123456", "house_number_range"), ("12-abcde", "house_number_format"),
    ("A12", "house_number_format"), ("1 2 3", "house_number_format"),
])
def test_split_house_number_refuses(typed, code):
    with pytest.raises(ValidationError) as caught:
        split_house_number(typed)
    assert caught.value.code == code


def form(bsn: str, **kw: str) -> dict[str, str]:
    return {"bsn": bsn, "given_names": "Sanne", "family_name": "de Vries",
            "birth_date": "2014-03-09", "sex": "V", "postcode": "9901 ab"} | kw


@pytest.mark.parametrize(("typed", "letter", "addition", "house"), [
    ({"house_number": "70A"}, "A", "", "70A"),
    ({"house_number": "12-2"}, "", "2", "12-2"),
    ({"house_number": "7 B-1"}, "B", "1", "7B-1"),
    ({"house_number": "70", "house_letter": "a"}, "A", "", "70A"),
    ({"house_number": "70A", "house_letter": "A"}, "A", "", "70A"),
])
def test_register_form_accepts_letters_and_additions(professional, client_for, typed, letter,
                                                      addition, house):
    bsn = f.synthetic_bsn()
    number = int(house.split("-")[0].rstrip("AB"))
    brp.in_brp(bsn=bsn, given_names="Sanne", family_name="de Vries", birth_date="2014-03-09",
               sex="V", postcode="9901AB", house_number=number, house_letter=letter,
               addition=addition)
    response = client_for(professional).post(reverse("register_person"), form(bsn, **typed),
                                             follow=True)
    assert response.status_code == 200, visible_text(response.content)[:600]
    person = Person.objects.get(bsn=bsn)
    assert (person.house_number, person.house_letter, person.house_number_addition) == (
        number, letter, addition)
    assert f"9901 AB {house}" in visible_text(response.content)
    assert not CorrectionProposal.objects.filter(person=person).exists()  # as the BRP says


def test_register_form_names_the_field_and_the_rule(professional, client_for):
    client = client_for(professional)
    response = client.post(reverse("register_person"),
                           form(f.synthetic_bsn(), house_number="twaalf"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_house_number_error"' in body and "zoals 12, 70A of 12-2" in body
    conflict = client.post(reverse("register_person"),
                           form(f.synthetic_bsn(), house_number="70A", house_letter="B"))
    body = conflict.content.decode()
    assert 'id="id_house_letter_error"' in body and "Vul het op één plek in" in body
    assert not Person.objects.exists()
