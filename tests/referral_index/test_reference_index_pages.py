"""The reference-index pages are complete in Dutch and in English."""

from __future__ import annotations

import pytest

from jeugdketen.referral_index import actions
from jeugdketen.registry.models import Registration
from tests import factories as f
from tests.pages import dutch_leftovers, visible_text

pytestmark = pytest.mark.usefixtures("page_settings")


def test_reference_index_pages_in_dutch_and_english(db, client_for, settings):
    settings.REQUIRE_2FA = False
    org_a = f.OrganisationFactory(may_signal=True, may_coordinate=True)
    org_b = f.OrganisationFactory(may_signal=True, may_coordinate=True)
    a = f.ProfessionalFactory(organisation=org_a, roles=["professional"])
    b = f.ProfessionalFactory(organisation=org_b, roles=["professional"])
    privacy = f.ProfessionalFactory(roles=["privacy_officer"], organisation=f.OrganisationFactory(
        kind="municipality", municipality=org_a.municipality))
    kid = f.PersonFactory(birth_date=f.birth_date_for_age(9), family_name="Jansen")  # test data, not UI text
    for prof in (a, b):
        Registration.objects.create(person=kid, professional=prof, organisation=prof.organisation)
    signal = actions.register_signal(f.professional_actor(a), kid.pk).signal
    actions.register_signal(f.professional_actor(b), kid.pk)
    pages = [
        (a, "/verwijsindex/signalen/", "My organisation's signals"),
        (a, "/verwijsindex/signalen/nieuw/", "Register a signal in the reference index"),
        (a, f"/verwijsindex/signalen/{signal.pk}/", "Revoke"),
        (a, f"/verwijsindex/signalen/{signal.pk}/brief/", "Download as PDF"),
        (a, "/verwijsindex/matches/", "My matches"),
        (a, "/verwijsindex/berichten/", "Messages"),
        (privacy, "/verwijsindex/rechten/", "Make the overview"),
        (privacy, f"/verwijsindex/rechten/{kid.pk}/", "Where the data comes from"),
    ]
    for who, url, english in pages:
        nl = client_for(who, "nl").get(url)
        assert nl.status_code == 200, url
        assert english not in visible_text(nl.content), (url, english)
        en = client_for(who, "en").get(url)
        assert en.status_code == 200, url
        assert english in visible_text(en.content), (url, english)
        if "/berichten/" in url:
            # Stored messages are written in Dutch when the match is made; the page is not.
            assert "Mark as read" in visible_text(en.content)
            continue
        if "/brief/" in url:
            # The letter is for the family and always in Dutch; the page around it is not.
            assert "Aan de ouders of verzorgers" in visible_text(en.content)
            continue
        assert dutch_leftovers(en.content) == [], (url, dutch_leftovers(en.content))
