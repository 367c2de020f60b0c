"""The information letter (issue 9, "Printing"): a sender block (the organisation and its
contact person), the date, the family's full address from the BRP (street, house number
with letter and addition, postcode, place), and names in every script, on the page and in
the PDF. Without the BRP's address the letter says what it has and tells the professional."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.referral_index import actions
from jeugdketen.registry.models import Registration
from jeugdketen.ui.pdf import pdf
from tests import factories as f
from tests.brp import in_brp, person_in_brp
from tests.pdf_text import extract_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.REQUIRE_2FA = False


def signal_about(kid, **prof_kw):
    org = f.OrganisationFactory(may_signal=True, name="Basisschool De Ölmühle")
    prof = f.ProfessionalFactory(organisation=org, full_name="Zoë Ødegaard", roles=["professional"],
                                 **prof_kw)
    Registration.objects.create(person=kid, professional=prof, organisation=org)
    actor = f.professional_actor(prof)
    signal = actions.register_signal(actor, kid.pk, contact_phone="030 123 45 67",
                                     contact_email="zoe@olmuhle.example").signal
    return prof, actor, signal


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_letter_has_sender_date_and_the_full_address_from_the_brp():
    kid = f.PersonFactory(given_names="Ayşe", family_name="Çelik-Nguyễn",
                          birth_date=f.birth_date_for_age(9), postcode="5211AB",
                          house_number=70, house_letter="A", house_number_addition="2")
    person_in_brp(kid, street="Burgemeester Ødegaardlaan", place="’s-Hertogenbosch")
    prof, actor, signal = signal_about(kid)
    letter = actions.information_letter(actor, signal.pk)
    with translation.override("nl"):  # the letter is in Dutch, whatever an earlier test left
        today = date_format(timezone.localdate(), "j F Y")
    assert letter.sender == ["Basisschool De Ölmühle", "Contactpersoon: Zoë Ødegaard",
                             "Telefoon: 030 123 45 67", "E-mail: zoe@olmuhle.example"]
    assert letter.addressee == ["Aan de ouders of verzorgers van Ayşe Çelik-Nguyễn",
                                "Burgemeester Ødegaardlaan 70A-2", "5211 AB  ’s-Hertogenbosch"]
    assert letter.dated == f"Datum: {today}" and not letter.notes
    text = flat(extract_text(pdf(letter)))
    for line in (*letter.sender, *letter.addressee, letter.dated):
        assert flat(line) in text
    # The printing is logged (once), and the page shows the same letter.
    assert AccessLogRecord.objects.filter(action="print", object_id=str(signal.pk)).count() == 1
    client = Client()
    client.force_login(prof.user)
    page = client.get(f"/verwijsindex/signalen/{signal.pk}/brief/").content.decode()
    assert "Burgemeester Ødegaardlaan 70A-2<br>5211 AB  ’s-Hertogenbosch" in page
    assert "<strong>Basisschool De Ölmühle</strong><br>Contactpersoon: Zoë Ødegaard" in page
    assert f"Datum: {today}" in page
    assert "utrecht-alert" not in page


def test_the_address_follows_the_brp_not_the_kept_copy():
    kid = f.PersonFactory(birth_date=f.birth_date_for_age(17), postcode="1011AA", house_number=1)
    in_brp(bsn=kid.bsn, given_names=kid.given_names, family_name=kid.family_name,
           birth_date=kid.birth_date, postcode="9711AB", house_number=12, addition="bis",
           street="Oude Ebbingestraat", place="Groningen")
    _prof, actor, signal = signal_about(kid)
    letter = actions.information_letter(actor, signal.pk)
    assert letter.addressee[1:] == ["Oude Ebbingestraat 12-bis", "9711 AB  Groningen"]


def test_without_the_brp_the_letter_has_the_kept_address_and_a_note(monkeypatch):
    from jeugdketen.brp import client as brp

    kid = f.PersonFactory(birth_date=f.birth_date_for_age(9), postcode="1234AB",
                          house_number=12, house_number_addition="2")
    prof, actor, signal = signal_about(kid)

    def unavailable(bsn):
        raise brp.BrpUnavailable("test")

    monkeypatch.setattr(brp, "person", unavailable)
    letter = actions.information_letter(actor, signal.pk)
    assert letter.addressee[1:] == ["1234 AB 12-2"]
    assert "De BRP gaf nu geen antwoord" in letter.notes[0]
    client = Client()
    client.force_login(prof.user)
    page = client.get(f"/verwijsindex/signalen/{signal.pk}/brief/").content.decode()
    assert "De BRP gaf nu geen antwoord" in page and "jk-no-print" in page
    # The note is for the professional: it is never printed.
    assert "BRP" not in extract_text(pdf(letter))


def test_a_youth_without_bsn_gets_a_note_to_complete_the_address():
    kid = f.PersonFactory(bsn=None, system_id="JK-TEST-1", birth_date=f.birth_date_for_age(16),
                          postcode="1234AB", house_number=5)
    _prof, actor, signal = signal_about(kid)
    letter = actions.information_letter(actor, signal.pk)
    assert letter.addressee == [f"Aan {kid.given_names} {kid.family_name}", "1234 AB 5"]
    assert "geen BSN" in letter.notes[0]


def test_someone_else_cannot_print_the_letter():
    kid = f.PersonFactory(birth_date=f.birth_date_for_age(9))
    _prof, _actor, signal = signal_about(kid)
    other = f.ProfessionalFactory(roles=["professional"])
    client = Client()
    client.force_login(other.user)
    assert client.get(f"/verwijsindex/signalen/{signal.pk}/brief/").status_code in (403, 404)
    assert client.get(f"/verwijsindex/signalen/{signal.pk}/brief.pdf").status_code in (403, 404)
    assert not AccessLogRecord.objects.filter(action="print", outcome="allowed").exists()


def test_a_letter_is_dated_the_day_it_is_printed():
    from jeugdketen.referral_index.documents import information_letter

    kid = f.PersonFactory(birth_date=f.birth_date_for_age(9))
    _prof, _actor, signal = signal_about(kid)
    letter = information_letter(signal, "Utrecht", today=date(2026, 3, 7))
    assert letter.dated == "Datum: 7 maart 2026"
