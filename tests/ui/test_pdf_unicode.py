"""Finding 10 of issue 8: the information letter printed "Şükrü Łukasz Yılmaz-Nguyễn" as
question marks (fpdf2's Helvetica knows only Latin-1). Every PDF the platform makes (the
information letter and the rights report, both through referral_index.documents.pdf) now
embeds DejaVu Sans, and the text read back from the PDF is the name as written."""

from __future__ import annotations

import re
from datetime import date

import pytest

from jeugdketen.referral_index import actions
from jeugdketen.referral_index.documents import rights_report
from jeugdketen.registry.models import Registration
from jeugdketen.ui.pdf import Document, Section, pdf
from tests import factories as f
from tests.pdf_text import extract_text

NAME = ("Şükrü Łukasz", "Yılmaz-Nguyễn")
FULL = " ".join(NAME)


def embedded_fonts(data: bytes) -> set[bytes]:
    assert b"/FontFile2" in data  # the font program itself is in the file
    return {name.split(b"+")[-1] for name in re.findall(rb"/BaseFont /([\w+-]+)", data)}


def test_the_extractor_reads_what_fpdf2_writes():
    data = pdf(Document(title="Titel", addressee=["Aan iemand"], filename="x.pdf",
                        sections=[Section("Kop", ["Eén alinea (met haakjes) en \\ teken."])]))
    text = extract_text(data)
    assert text.splitlines()[:2] == ["Aan iemand", "Titel"]
    assert "Eén alinea (met haakjes) en \\ teken." in text


def test_the_information_letter_prints_every_name_as_written(db):
    org = f.OrganisationFactory(may_signal=True)
    prof = f.ProfessionalFactory(organisation=org, full_name="Zoë Ørsted-Đặng")
    kid = f.PersonFactory(given_names=NAME[0], family_name=NAME[1],
                          birth_date=f.birth_date_for_age(9))
    Registration.objects.create(person=kid, professional=prof, organisation=org)
    signal = actions.register_signal(f.professional_actor(prof), kid.pk).signal
    letter = actions.information_letter(f.professional_actor(prof), signal.pk)
    data = pdf(letter)
    assert embedded_fonts(data) == {b"DejaVuSansBook", b"DejaVuSansBold"}
    text = " ".join(extract_text(data).split())  # long lines wrap
    assert f"Aan de ouders of verzorgers van {FULL}" in text
    assert "Zoë Ørsted-Đặng" in text
    assert "?" not in text.replace("Vragen?", "").replace("Wat hebben wij gedaan?", "") \
        .replace("Waarom is er een Verwijsindex?", "").replace("Wie kan de melding zien?", "") \
        .replace("Hoe lang blijft de melding staan?", "")


@pytest.mark.parametrize("name", [FULL, "Αλέξανδρος Παπαδόπουλος", "Анна Ковальчук"])
def test_the_rights_report_prints_names_as_written(name):
    report = {
        "person": {"id": "x", "name": name, "birth_date": date(2015, 1, 2).isoformat()},
        "made_on": "2026-12-01", "signals": [{"organisation": "Wijkteam Ŝtrand",
                                              "contact_name": name, "registered_on": "1",
                                              "expires_on": "2", "status": "active"}],
        "received": [], "sources": [], "requests": [],
    }
    text = " ".join(extract_text(pdf(rights_report(report))).split())  # lines wrap
    assert f"Overzicht Verwijsindex voor {name}" in text
    assert "Wijkteam Ŝtrand" in text and text.count(name) == 2
