"""The Signaalgids pages: the step-by-step form as a plain multi-step POST and with htmx,
the advice with its one-click way to a signal, "my decision aids", in Dutch and English."""

from __future__ import annotations

import gettext
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from jeugdketen.guide import loader, views
from jeugdketen.guide.models import GuideSession
from tests import factories as f

from .conftest import GOOD_MELDCODE

GUIDE_LOCALE = Path(__file__).resolve().parents[2] / "src" / "jeugdketen" / "guide" / "locale"


class Fields(HTMLParser):
    """The hidden fields of the step form, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden" and a.get("name") != "csrfmiddlewaretoken":
            self.hidden.append((a["name"] or "", a.get("value") or ""))


def hidden(content: bytes) -> list[tuple[str, str]]:
    parser = Fields()
    parser.feed(content.decode())
    return parser.hidden


def answer(client, slug: str, response, value: Any, *, nav: str = "next", **headers):
    """Submit the step on screen with `value` (a list for choices, "yes"/"no")."""
    fields = hidden(response.content)
    step = dict(fields)["step"]
    data: dict[str, list[str]] = {}
    for name, val in fields:
        data.setdefault(name, []).append(val)
    if value is not None:
        data[f"q-{step}"] = value if isinstance(value, list) else [value]
    data["nav"] = [nav]
    return client.post(reverse("guide_step", args=[slug]), data, **headers)


def visible_text(content: bytes) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def assert_csp_clean(content: bytes) -> None:
    page = content.decode()
    assert " style=" not in page and "<style" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"\son[a-z]+=", page) and "hx-on" not in page


def walk_meldcode(client, answers: dict[str, Any], *, person=None, **headers):
    url = reverse("guide_step", args=["meldcode"])
    response = client.get(url + (f"?person={person.pk}" if person else ""))
    assert response.status_code == 200
    for question in ["steps", "suspicion", "unsafe", "help_possible", "help_accepted",
                     "lasting_safety"]:
        if question not in answers:
            break
        response = answer(client, "meldcode", response, answers[question], **headers)
        if response.status_code != 200 or response.has_header("HX-Redirect"):
            break
    return response


# --- the flow without JavaScript ------------------------------------------------------------


def test_the_index_lists_the_aids(client_for, professional):
    response = client_for(professional).get(reverse("guide_index"))
    assert response.status_code == 200
    text = visible_text(response.content)
    assert "Meldrichtlijn Verwijsindex" in text
    assert "Meldcode huiselijk geweld en kindermishandeling" in text
    assert_csp_clean(response.content)


def test_the_meldcode_as_a_multi_step_post_ends_in_the_advice(client_for, professional, youth):
    client = client_for(professional)
    response = client.get(reverse("guide_step", args=["meldcode"]) + f"?person={youth.pk}")
    text = visible_text(response.content)
    assert "Stap 1 van 6" in text and "Sanne de Vries" in text
    assert "Stap 1: ik heb de signalen in kaart gebracht" in text
    assert_csp_clean(response.content)

    response = answer(client, "meldcode", response, ["map_signals", "consult"])
    assert response.status_code == 200
    assert "Vraag 1. Heeft u een vermoeden" in visible_text(response.content)
    assert ("answered", "steps") in hidden(response.content)

    response = answer(client, "meldcode", response, "yes")
    assert "Vraag 2. Is er acute onveiligheid" in visible_text(response.content)
    response = answer(client, "meldcode", response, "yes")
    # Question 2 yes goes straight to Veilig Thuis.
    assert response.status_code == 302
    session = GuideSession.objects.get()
    assert response["Location"] == reverse("guide_session", args=[session.pk])
    assert session.outcome == "report_to_veilig_thuis" and session.person_id == youth.pk
    assert session.answers == {"steps": ["map_signals", "consult"], "suspicion": "yes",
                               "unsafe": "yes"}

    page = client.get(response["Location"])
    text = visible_text(page.content)
    assert "Advies: meld (opnieuw) bij Veilig Thuis" in text
    assert "Overleg met een collega." in text
    assert "Praat met de cliënt over uw zorgen" in text  # step 3 was not ticked
    assert "Sanne de Vries" in text
    assert_csp_clean(page.content)


@pytest.mark.parametrize(("answers", "title"), [
    ({"steps": [], "suspicion": "no"}, "Advies: sluit af en leg vast"),
    ({"steps": [], "suspicion": "yes", "unsafe": "no", "help_possible": "no"},
     "Advies: meld (opnieuw) bij Veilig Thuis"),
    ({**GOOD_MELDCODE}, "Advies: organiseer hulp en volg de veiligheid"),
])
def test_the_web_form_reaches_each_kind_of_meldcode_outcome(client_for, professional, answers,
                                                            title):
    client = client_for(professional)
    response = walk_meldcode(client, answers)
    assert response.status_code == 302
    assert title in visible_text(client.get(response["Location"]).content)


def test_an_unanswered_question_stays_on_screen_with_an_error(client_for, professional):
    client = client_for(professional)
    response = client.get(reverse("guide_step", args=["meldcode"]))
    response = answer(client, "meldcode", response, [])
    response = answer(client, "meldcode", response, None)
    assert response.status_code == 200
    text = visible_text(response.content)
    assert "Kies ja of nee." in text and "Vraag 1." in text
    assert 'aria-invalid="true"' in response.content.decode()
    assert not GuideSession.objects.exists()


def test_back_shows_the_previous_step_with_its_answer(client_for, professional):
    client = client_for(professional)
    response = client.get(reverse("guide_step", args=["meldcode"]))
    response = answer(client, "meldcode", response, ["consult"])
    response = answer(client, "meldcode", response, "yes")  # now at question 2
    response = answer(client, "meldcode", response, None, nav="back")
    page = response.content.decode()
    assert "Vraag 1." in visible_text(response.content)
    assert re.search(r'value="yes" checked', page)
    assert dict(hidden(response.content))["step"] == "suspicion"


def test_tampered_hidden_answers_are_asked_again(client_for, professional):
    client = client_for(professional)
    data = {"answered": ["steps", "suspicion"], "a-steps": ["weigh"], "a-suspicion": "maybe",
            "step": "unsafe", "q-unsafe": "yes", "nav": "next"}
    response = client.post(reverse("guide_step", args=["meldcode"]), data)
    assert response.status_code == 200
    assert dict(hidden(response.content))["step"] == "steps"
    assert not GuideSession.objects.exists()


def test_the_reporting_guidance_leads_to_a_signal_in_one_click(client_for, professional, youth,
                                                              settings):
    settings.ROOT_URLCONF = "tests.guide.urls_with_signal"
    client = client_for(professional)
    response = client.get(reverse("guide_step", args=["meldrichtlijn"]) + f"?person={youth.pk}")
    assert "Leefgebied I" in visible_text(response.content)
    response = answer(client, "meldrichtlijn", response, ["no_fixed_home"])
    for _area in range(4):
        response = answer(client, "meldrichtlijn", response, [])
    assert "redelijk vermoeden" in visible_text(response.content)
    response = answer(client, "meldrichtlijn", response, "yes")
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = visible_text(page.content)
    assert "Advies: geef een signaal af in de Verwijsindex" in text
    assert "h. Geen vaste woning of verblijfplaats" in text
    assert "Melden mag, afwegen moet." in text
    link = f'href="{reverse("signal_register")}?person={youth.pk}"'
    assert link in page.content.decode()


def test_without_the_signal_page_the_button_is_left_out(client_for, professional, youth,
                                                        monkeypatch):
    monkeypatch.setattr(views, "signal_register_url", lambda person_id=None: None)
    client = client_for(professional)
    response = client.get(reverse("guide_step", args=["meldrichtlijn"]) + f"?person={youth.pk}")
    response = answer(client, "meldrichtlijn", response, ["money"])
    for _area in range(4):
        response = answer(client, "meldrichtlijn", response, [])
    response = answer(client, "meldrichtlijn", response, "yes")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Advies: geef een signaal af" in visible_text(page.content)
    assert "Signaal afgeven in de Verwijsindex" not in visible_text(page.content)


def test_the_signal_url_is_none_while_the_page_does_not_exist(settings):
    settings.ROOT_URLCONF = "tests.guide.urls_guide_only"
    assert views.signal_register_url("abc") is None


def test_no_signal_advice_has_no_signal_button(client_for, professional, settings):
    settings.ROOT_URLCONF = "tests.guide.urls_with_signal"
    client = client_for(professional)
    response = client.get(reverse("guide_step", args=["meldrichtlijn"]))
    for _area in range(5):
        response = answer(client, "meldrichtlijn", response, [])
    assert response.status_code == 302  # no risk ticked: the confirming question is skipped
    page = client.get(response["Location"])
    assert "Advies: (nog) geen signaal afgeven" in visible_text(page.content)
    assert reverse("signal_register") not in page.content.decode()


# --- htmx -------------------------------------------------------------------------------------


def test_with_htmx_only_the_next_step_is_sent_and_the_end_redirects(client_for, professional):
    client = client_for(professional)
    htmx = {"HTTP_HX_REQUEST": "true"}
    response = client.get(reverse("guide_step", args=["meldcode"]))
    page = response.content.decode()
    assert 'hx-post="/signaalgids/meldcode/"' in page and 'hx-target="#guide-step"' in page
    response = answer(client, "meldcode", response, ["map_signals"], **htmx)
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<div id="guide-step"')
    assert "<html" not in fragment and "data-focus-after-swap" in fragment
    response = answer(client, "meldcode", response, "no", **htmx)
    session = GuideSession.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("guide_session", args=[session.pk])
    assert session.outcome == "close_and_record"


# --- access -------------------------------------------------------------------------------


def test_another_organisation_gets_403_for_a_session(client_for, professional, outsider, youth):
    client = client_for(professional)
    response = walk_meldcode(client, {"steps": [], "suspicion": "no"}, person=youth)
    session_url = response["Location"]
    assert client_for(outsider).get(session_url).status_code == 403


def test_starting_about_a_person_without_a_ground_gives_403(client_for, outsider, youth):
    response = client_for(outsider).get(
        reverse("guide_step", args=["meldcode"]) + f"?person={youth.pk}")
    assert response.status_code == 403


def test_roles_without_care_do_not_get_the_pages(client_for, privacy_officer):
    client = client_for(privacy_officer)
    assert client.get(reverse("guide_index")).status_code == 403
    assert client.get(reverse("guide_sessions")).status_code == 403


def test_an_unknown_aid_is_404(client_for, professional):
    assert client_for(professional).get("/signaalgids/bestaat-niet/").status_code == 404


def test_my_decision_aids_lists_the_organisations_sessions(client_for, professional, outsider,
                                                          youth):
    walk_meldcode(client_for(professional), {"steps": [], "suspicion": "no"}, person=youth)
    walk_meldcode(client_for(outsider), {"steps": [], "suspicion": "no"})
    response = client_for(professional).get(reverse("guide_sessions"))
    text = visible_text(response.content)
    assert "Sanne de Vries" in text and "Advies: sluit af en leg vast" in text
    assert text.count("Advies: sluit af en leg vast") == 1  # not the other organisation's
    assert_csp_clean(response.content)
    other = client_for(outsider).get(reverse("guide_sessions"))
    assert "Sanne de Vries" not in visible_text(other.content)


# --- English ----------------------------------------------------------------------------------


def english_leftovers(content: bytes) -> list[str]:
    with (GUIDE_LOCALE / "en" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    text = visible_text(content)
    dutch = [k for k, v in catalog.items() if isinstance(k, str) and k and k != v
             and "%" not in k and (len(k) >= 8 or " " in k)]
    for aid in loader.aids():
        dutch += [aid.title.nl, aid.intro.nl]
        dutch += [q.text.nl for q in aid.questions]
        dutch += [o.title.nl for o in aid.outcomes]
    return [d for d in dutch if d in text]


def test_the_pages_render_in_english(client_for, professional, youth, settings):
    settings.ROOT_URLCONF = "tests.guide.urls_with_signal"
    client = client_for(professional, lang="en")
    index = client.get(reverse("guide_index"))
    assert "Reporting code for domestic violence and child abuse" in visible_text(index.content)
    assert english_leftovers(index.content) == []

    response = client.get(reverse("guide_step", args=["meldrichtlijn"]) + f"?person={youth.pk}")
    assert "Step 1 of 6" in visible_text(response.content)
    assert "Life area I: housing, money and belongings" in visible_text(response.content)
    assert english_leftovers(response.content) == []
    response = answer(client, "meldrichtlijn", response, ["housing"])
    for _area in range(4):
        response = answer(client, "meldrichtlijn", response, [])
    assert "reasonable suspicion" in visible_text(response.content)
    assert english_leftovers(response.content) == []
    response = answer(client, "meldrichtlijn", response, "yes")
    page = client.get(response["Location"])
    text = visible_text(page.content)
    assert "Advice: register a signal in the reference index" in text
    assert "Register a signal in the reference index" in text
    assert "Consult a colleague." in text
    assert english_leftovers(page.content) == []
    listing = client.get(reverse("guide_sessions"))
    assert "My decision aids" in visible_text(listing.content)
    assert english_leftovers(listing.content) == []


def test_an_error_is_explained_in_english(client_for, professional):
    client = client_for(professional, lang="en")
    response = client.get(reverse("guide_step", args=["meldcode"]))
    response = answer(client, "meldcode", response, [])
    response = answer(client, "meldcode", response, None)
    assert "Choose yes or no." in visible_text(response.content)


def test_the_compiled_catalogues_are_committed():
    for language in ("nl", "en"):
        po = GUIDE_LOCALE / language / "LC_MESSAGES" / "django.po"
        mo = GUIDE_LOCALE / language / "LC_MESSAGES" / "django.mo"
        assert mo.exists() and mo.stat().st_size > 1000, mo
        with mo.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        msgids = set(re.findall(r'^msgid "(.+)"$', po.read_text(encoding="utf-8"), re.M))
        assert msgids <= {k for k in catalog if isinstance(k, str)}, language


def test_a_person_in_the_query_must_be_a_uuid(client_for, professional):
    response = client_for(professional).get(reverse("guide_index") + "?person=<script>")
    assert response.status_code == 200
    assert "&lt;script&gt;" not in response.content.decode()
    assert "/meldcode/?person=" not in response.content.decode()
    assert 'href="/signaalgids/meldcode/"' in response.content.decode()


def test_a_citizen_has_no_signal_guide(client_for, youth):
    citizen = f.UserFactory(person=youth)
    assert client_for(citizen).get(reverse("guide_index")).status_code == 403
