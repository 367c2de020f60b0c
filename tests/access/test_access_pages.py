"""Denied access, emergency access (break the glass), the privacy officer's review list
and the NEN 7513 access overview."""

from __future__ import annotations

import contextlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jeugdketen.access.models import AccessLogRecord, BreakGlassReview
from jeugdketen.access.policy import MIN_EMERGENCY_REASON
from jeugdketen.registry import actions
from tests import factories as f
from tests.pages import REASON, family_of, register, visible_text

pytestmark = pytest.mark.usefixtures("page_settings")


@pytest.fixture
def family(professional):
    """The household of tests/pages.py (a parent and two children), not the plan tests'
    family that tests/access/conftest.py offers."""
    return family_of(professional)


def assert_no_personal_data(response, person) -> None:
    body = response.content.decode()
    for value in (person.given_names, person.family_name, person.bsn):
        if value:
            assert value not in body, value


def without_tokens(content: bytes) -> str:
    """A page without its (per-response masked) CSRF tokens."""
    body = content.decode()
    body = re.sub(r'name="csrf-token" content="[^"]*"', "", body)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def test_denied_person_page_is_a_clear_403_without_personal_data(other_professional,
                                                                 registered, client_for):
    before = AccessLogRecord.objects.filter(outcome="denied").count()
    response = client_for(other_professional).get(reverse("person", args=[registered.pk]))
    assert response.status_code == 403
    assert_no_personal_data(response, registered)
    text = visible_text(response.content)
    assert "Geen toegang" in text
    assert "vastgelegd in het toegangslogboek" in text  # it says it was logged
    assert "noodtoegang" in text  # and what to do
    assert AccessLogRecord.objects.filter(outcome="denied").count() == before + 1
    en = client_for(other_professional, "en").get(reverse("person", args=[registered.pk]))
    assert en.status_code == 403 and "No access" in en.content.decode()


def test_unknown_and_forbidden_person_look_the_same(other_professional, registered,
                                                    client_for):
    client = client_for(other_professional)
    forbidden = client.get(reverse("person", args=[registered.pk]))
    unknown = client.get(reverse("person", args=["6b1d3c1e-0000-4000-8000-000000000000"]))
    garbage = client.get(reverse("person", args=["niet-een-id"]))
    assert forbidden.status_code == unknown.status_code == garbage.status_code == 403
    pages = [without_tokens(r.content).replace(r.request["PATH_INFO"], "PATH")
             for r in (forbidden, unknown, garbage)]
    assert pages[0] == pages[1] == pages[2]


def test_person_page_shows_household_and_siblings_the_viewer_may_see(professional, family,
                                                                     client_for):
    outsider = register(f.ProfessionalFactory(organisation=professional.organisation),
                        given_names="Geheim", family_name="Anders")
    text = visible_text(client_for(professional).get(
        reverse("person", args=[family["child"].pk])).content)
    assert "Lotte" in text and "Mira Jansen" in text and "Daan Jansen" in text
    assert "Broers en zussen" in text and "U heeft deze persoon zelf vastgelegd." in text
    assert outsider.given_names not in text


def test_emergency_access_needs_a_reason_and_reveals_nothing_without(other_professional,
                                                                    registered, client_for):
    client = client_for(other_professional)
    before = AccessLogRecord.objects.count()
    response = client.post(reverse("emergency"), {"bsn": registered.bsn, "reason": "kort"})
    assert response.status_code == 200
    body = response.content.decode()
    assert registered.given_names not in body and registered.family_name not in body
    body = response.content.decode()
    assert 'id="id_reason_error"' in body and str(MIN_EMERGENCY_REASON) in body
    assert f'value="{registered.bsn}"' in body  # the typed BSN is kept, nothing more
    # No lookup happened: nothing was read or logged.
    assert AccessLogRecord.objects.count() == before
    # An unknown BSN with a reason says only that, and is logged as denied.
    unknown = client.post(reverse("emergency"), {"bsn": f.synthetic_bsn(), "reason": REASON})
    assert "Met dit BSN is niemand gevonden" in unknown.content.decode()
    assert AccessLogRecord.objects.filter(outcome="denied").count() == 1


def test_emergency_access_shows_base_data_and_writes_an_emergency_record(
        other_professional, registered, client_for):
    client = client_for(other_professional)
    response = client.post(reverse("emergency"), {"bsn": registered.bsn, "reason": REASON})
    assert response.status_code == 200
    text = visible_text(response.content)
    assert registered.given_names in text and registered.bsn in text
    assert "NOODTOEGANG" in text and "privacyfunctionaris" in text and REASON in text
    record = AccessLogRecord.objects.get(emergency=True)
    assert record.client_id == str(registered.pk)
    assert record.ground == "emergency" and record.reason == REASON
    assert record.username == other_professional.user.username
    assert record.channel == "session" and record.user_agent == "pytest-web"
    assert "no-store" in response["Cache-Control"]


def test_emergency_for_own_person_is_no_emergency(professional, registered, client_for):
    response = client_for(professional).post(reverse("emergency"),
                                             {"bsn": registered.bsn, "reason": REASON})
    assert "geen noodtoegang gebruikt" in visible_text(response.content)
    assert not AccessLogRecord.objects.filter(emergency=True).exists()


def make_emergency(professional, person) -> AccessLogRecord:
    from jeugdketen.registry import actions

    actions.read_person(f.professional_actor(professional, emergency_reason=REASON), person.pk)
    return AccessLogRecord.objects.filter(emergency=True).latest("id")


def test_privacy_officer_reviews_emergency_access_with_htmx(privacy_officer,
                                                            other_professional, registered,
                                                            client_for):
    record = make_emergency(other_professional, registered)
    client = client_for(privacy_officer)
    page = client.get(reverse("review_list")).content.decode()
    assert REASON in page and f'hx-post="/privacy/noodtoegang/{record.pk}/"' in page
    assert registered.given_names not in page  # logs, not case content
    # An incomplete review: the form comes back with the error, the note is kept.
    bad = client.post(reverse("review", args=[record.pk]), {"note": "mijn notitie"},
                      HTTP_HX_REQUEST="true")
    assert bad.status_code == 200
    assert "Kies ja of nee." in bad.content.decode() and "mijn notitie" in bad.content.decode()
    assert "<html" not in bad.content.decode()  # a fragment for the swap
    ok = client.post(reverse("review", args=[record.pk]),
                     {"justified": "nee", "note": "Geen nood."}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "Niet terecht" in ok.content.decode()
    assert f'id="review-{record.pk}"' in ok.content.decode()
    review = BreakGlassReview.objects.get(record=record)
    assert review.justified is False and review.note == "Geen nood."
    assert review.reviewed_by == privacy_officer.user
    # Reviewed uses leave the open list, and stay in the full list.
    assert REASON not in client.get(reverse("review_list")).content.decode()
    assert "Niet terecht" in client.get(reverse("review_list") + "?toon=alle").content.decode()


def test_review_without_javascript(privacy_officer, other_professional, registered,
                                   client_for):
    record = make_emergency(other_professional, registered)
    client = client_for(privacy_officer)
    bad = client.post(reverse("review", args=[record.pk]), {"note": "bewaard"})
    assert bad.status_code == 200 and "bewaard" in bad.content.decode()
    response = client.post(reverse("review", args=[record.pk]), {"justified": "ja"},
                           follow=True)
    assert "Uw beoordeling is opgeslagen." in visible_text(response.content)
    assert BreakGlassReview.objects.get(record=record).justified is True


def test_a_second_review_is_refused_and_the_first_stands(privacy_officer, other_professional,
                                                         registered, client_for):
    """Two tabs (or two officers) review one emergency access: the second verdict is not
    silently dropped behind "saved"; the page says it was reviewed already and shows how."""
    from jeugdketen.access.actions import review_break_glass

    record = make_emergency(other_professional, registered)
    client = client_for(privacy_officer)
    client.get(reverse("review_list"))  # both tabs show the form
    review_break_glass(f.professional_actor(privacy_officer), record.pk, justified=False,
                       note="Geen nood.")

    late = client.post(reverse("review", args=[record.pk]), {"justified": "ja"},
                       HTTP_HX_REQUEST="true")
    assert late.status_code == 200
    assert "Dit gebruik is al beoordeeld." in visible_text(late.content)
    assert "Niet terecht" in late.content.decode()
    late = client.post(reverse("review", args=[record.pk]), {"justified": "ja"}, follow=True)
    assert "Dit gebruik is al beoordeeld." in visible_text(late.content)
    assert "Uw beoordeling is opgeslagen." not in visible_text(late.content)
    review = BreakGlassReview.objects.get(record=record)
    assert (review.justified, review.note) == (False, "Geen nood.")


def test_review_list_is_only_for_the_privacy_officer(professional, client_for, registered):
    record = make_emergency(f.ProfessionalFactory(), registered)
    client = client_for(professional)
    assert client.get(reverse("review_list")).status_code == 403
    response = client.post(reverse("review", args=[record.pk]), {"justified": "ja"})
    assert response.status_code == 403
    assert not BreakGlassReview.objects.exists()


def test_privacy_officer_looks_up_the_access_log_by_bsn(privacy_officer, other_professional,
                                                        registered, client_for):
    make_emergency(other_professional, registered)
    client = client_for(privacy_officer)
    response = client.post(reverse("access_overview"), {"bsn": registered.bsn})
    assert response.status_code == 302
    assert response.url == reverse("access_log", args=[registered.pk])
    assert registered.bsn not in response.url
    page = client.get(response.url)
    text = visible_text(page.content)
    for label in ("Wanneer", "Wie: organisatie en rol", "Wat: handeling en gegevens",
                  "Waarom mocht dit", "Noodtoegang", "Uitkomst"):
        assert label in text
    assert "Noodtoegang, met een geschreven reden" in text
    assert "Inschrijving: deze medewerker heeft de persoon zelf vastgelegd" in text
    assert REASON in text  # the privacy officer sees the written reason
    assert registered.given_names not in text  # but not the base data
    # Reading the log is logged too.
    assert AccessLogRecord.objects.filter(
        data="access_log", username=privacy_officer.user.username,
        client_id=str(registered.pk)).exists()
    unknown = client.post(reverse("access_overview"), {"bsn": f.synthetic_bsn()})
    assert unknown.status_code == 200
    assert "Met dit BSN is niemand gevonden" in unknown.content.decode()
    invalid = client.post(reverse("access_overview"), {"bsn": "123456789"})
    assert "elfproef" in invalid.content.decode()


def test_citizen_sees_own_and_childrens_access_overview(citizen_user, family,
                                                        other_professional, client_for):
    make_emergency(other_professional, family["child"])
    client = client_for(citizen_user)
    own = client.get(reverse("access_overview"))
    text = visible_text(own.content)
    assert "Uw kinderen" in text and "Toegangsoverzicht van Lotte Jansen" in text
    # The family reads plain-language texts (core/vocabulary.py), not the officer's labels.
    assert "Deze organisatie heeft de persoon zelf ingeschreven." in text
    assert "Heeft iets vastgelegd" in text
    child_page = client.get(reverse("access_log", args=[family["child"].pk]))
    text = visible_text(child_page.content)
    assert child_page.status_code == 200
    assert "Wie heeft de gegevens van Lotte Jansen bekeken of vastgelegd." in text
    assert "Noodtoegang: er was haast, en de reden is opgeschreven." in text
    assert REASON not in text  # the reason may hold case content: not for the parent
    # Someone else's log: the 403 page.
    stranger = register(f.ProfessionalFactory())
    assert client.get(reverse("access_log", args=[stranger.pk])).status_code == 403


def test_access_overview_is_filtered_by_period(citizen_user, family, client_for):
    client = client_for(citizen_user)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.get(reverse("access_overview"), {"start": tomorrow})
    text = visible_text(response.content)
    assert "In deze periode heeft niemand deze gegevens bekeken of gewijzigd." in text
    assert f'value="{tomorrow}"' in response.content.decode()
    today = timezone.localdate().isoformat()
    text = visible_text(client.get(reverse("access_overview"),
                                   {"start": today, "end": today}).content)
    assert "Deze organisatie heeft de persoon zelf ingeschreven." in text
    wrong = client.get(reverse("access_overview"), {"start": today, "end": "2000-01-01"})
    assert "De einddatum ligt voor de begindatum." in wrong.content.decode()
    bad = client.get(reverse("access_overview"), {"start": "gisteren"})
    assert 'id="id_start_error"' in bad.content.decode()


def test_a_refused_attempt_has_its_own_outcome_label(privacy_officer, professional, registered,
                                                     client_for):
    """Allowed by the policy, refused by a rule (issue 8, finding 9): the overview says so in
    words, in Dutch and in English, never as the stored code."""
    from jeugdketen.access import audit
    from jeugdketen.access.policy import Action, Data, Target
    from jeugdketen.core.errors import Refusal

    actor = f.professional_actor(professional)

    @audit.write_path
    def read_then_refused() -> None:
        audit.authorize(actor, Action.READ, Target(Data.BASE_DATA, person=registered))
        raise Refusal("some_rule", "Niet nu.")

    with contextlib.suppress(Refusal):
        read_then_refused()
    assert AccessLogRecord.objects.filter(client_id=str(registered.pk), outcome="refused").exists()
    for lang, label in (("nl", "Toegestaan, maar niet uitgevoerd"),
                        ("en", "Allowed, but not carried out")):
        page = client_for(privacy_officer, lang=lang).get(reverse("access_log",
                                                                  args=[registered.pk]))
        text = visible_text(page.content)
        assert label in text
        assert "refused" not in text and "some_rule" not in text


def test_another_organisations_household_is_not_mentioned_on_the_person_page(
        professional, family, client_for):
    """Issue 8, finding 5: the person page showed households another organisation entered,
    which told a professional who merely registered the youth that others know the family."""
    colleague_elsewhere = f.ProfessionalFactory()
    child = family["child"]
    for person in (child, family["parent"]):  # they know the mother and the child
        actions.register_person(f.professional_actor(colleague_elsewhere), actions.PersonInput(
            bsn=person.bsn, given_names=person.given_names, family_name=person.family_name,
            birth_date=person.birth_date, sex=person.sex))
    page = visible_text(client_for(colleague_elsewhere).get(
        reverse("person", args=[child.pk])).content)
    assert "Lotte" in page  # their own registration ground
    assert "Huishouden, vastgelegd op" not in page  # the household is the other's
    assert "Er is geen huishouden dat u kunt zien." in page


def test_a_privacy_officer_of_another_municipality_gets_the_answer_for_an_unknown_bsn(
        family, client_for):
    """Issue 8, finding 5: a privacy officer of another municipality was redirected to the
    person's id (and only then refused): that told whether the chain knows the BSN."""
    elsewhere = f.OrganisationFactory(municipality=f.MunicipalityFactory(code="GM9955"),
                                      kind="municipality")
    officer = f.ProfessionalFactory(organisation=elsewhere, roles=["privacy_officer"])
    client = client_for(officer)
    known = client.post(reverse("access_overview"), {"bsn": family["child"].bsn})
    unknown = client.post(reverse("access_overview"), {"bsn": f.synthetic_bsn()})
    assert known.status_code == unknown.status_code == 200
    assert "Met dit BSN is niemand gevonden in het register." in known.content.decode()
    def strip(body: bytes) -> str:  # the typed BSN and the CSRF tokens differ, nothing else
        text = re.sub(r'value="\d{9}"', "", body.decode())
        return re.sub(r'(csrf[-_a-z]*"? (?:content|value)=)"[^"]+"', r"\1", text)

    assert strip(known.content) == strip(unknown.content)


def test_the_parent_sees_the_overview_of_the_children_in_their_custody_only(
        citizen_user, family, professional, client_for):
    """The children listed in a parent's access overview are those the BRP says the parent
    holds custody of; a child typed into the parent's household is not among them."""
    stranger_child = register(professional, given_names="Vreemd", family_name="Kind",
                              birth_date=f.birth_date_for_age(7))
    f.make_household(parents=[family["parent"]], children=[stranger_child], brp=False)
    text = visible_text(client_for(citizen_user).get(reverse("access_overview")).content)
    assert "Toegangsoverzicht van Lotte Jansen" in text
    assert "Vreemd" not in text
    assert client_for(citizen_user).get(
        reverse("access_log", args=[stranger_child.pk])).status_code == 403
