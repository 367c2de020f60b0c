"""The public front door: the form at /melden (no login) with its confirmation, and
`POST /api/v1/public/care-reports`. Bad input is refused naming the field; both are
throttled per client address (the sixth report in an hour is 429); the confirmation
shows this browser's report only, once, and nothing of anybody else; CSRF stays on."""

from __future__ import annotations

import json
import re
import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.intake.models import CareReport, ReporterKind

pytestmark = pytest.mark.django_db

FORM = "/melden/"
RECEIVED = "/melden/ontvangen/"
API = "/api/v1/public/care-reports"


cache = caches["throttle"]  # the throttle's own cache (a database table; settings.CACHES)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(municipality, postcode_address):
    """Testdam (GM9901) with a postcode in the table (9901AB 12), and a second
    municipality to choose."""
    from tests import factories as f

    return {"municipality": municipality,
            "other": f.MunicipalityFactory(code="GM9902", name="Anderdorp")}


def visitor(address: str = "192.0.2.10") -> Client:
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT="pytest-public")
    client.cookies["django_language"] = "nl"
    return client


def text_of(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body).replace("&#x27;", "'").replace("&quot;", '"')


def form_data(**changes) -> dict:
    data = {"given_name": "Noor", "family_name": "Visser", "birth_date": "",
            "postcode": "", "house_number": "", "municipality": "GM9901",
            "question": "Noor komt al weken zonder ontbijt en met vieze kleren op de club.",
            "life_domains": ["physical_care"], "urgency": "regular",
            "desired_result": "Dat Noor elke dag eet.", "reporter_name": "Joke",
            "reporter_relation": "trainer", "contact_phone": "0612345678",
            "contact_email": ""}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def api_body(**changes) -> dict:
    body = {"municipality_code": "GM9901", "given_name": "Sem", "family_name": "Jansen",
            "question": "Sem zegt dat hij niet naar huis durft.",
            "life_domains": ["domestic_relations"], "contact_email": "melder@example.test",
            "urgency": "urgent", "unsafe": False}
    body.update(changes)
    return body


def post_api(client: Client, body: dict):
    return client.post(API, data=json.dumps(body), content_type="application/json")


# --- the form ------------------------------------------------------------------------------


def test_the_form_opens_without_login_with_csrf_and_veilig_thuis(world):
    response = visitor().get(FORM)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in body
    assert "0800-2000" in text_of(response)  # shown at once, without JavaScript
    assert 'name="given_name"' in body and 'name="municipality"' in body
    assert reverse("intake_public:report") == FORM


def test_a_report_is_received_and_confirmed_with_reference_and_triage_date(world):
    client = visitor()
    response = client.post(FORM, form_data())
    assert response.status_code == 302 and response["Location"] == RECEIVED
    report = CareReport.objects.get()
    assert report.reporter_kind == ReporterKind.PUBLIC
    assert report.municipality_id == "GM9901"
    assert report.given_name == "Noor" and report.person_id is None
    assert report.life_domains == ["physical_care"]
    page = client.get(RECEIVED)
    assert page.status_code == 200
    text = text_of(page)
    assert report.reference in text
    assert "Wat gebeurt er nu?" in text
    assert "uiterlijk op" in text or "vandaag nog" in text
    # The confirmation repeats no content of the report, and reads nothing back: the
    # access log holds the report's creation only.
    assert "Noor" not in text and "ontbijt" not in text and "0612345678" not in text
    logged = list(AccessLogRecord.objects.filter(data="care_report")
                  .values_list("action", "outcome"))
    assert logged == [("create", "allowed")]


def test_the_municipality_follows_from_a_known_postcode(world):
    client = visitor()
    response = client.post(FORM, form_data(municipality="", postcode="9901 ab",
                                            house_number="12"))
    assert response.status_code == 302
    report = CareReport.objects.get()
    assert report.municipality_id == "GM9901"
    assert report.postcode == "9901AB"


@pytest.mark.parametrize("changes, field, message", [
    ({"question": ""}, "question", "Schrijf wat er aan de hand is."),
    ({"given_name": ""}, "given_name", "Vul de voornaam in."),
    ({"urgency": "tomorrow"}, "urgency", "Kies hoe snel hulp nodig is."),
    ({"postcode": "0123 AB", "house_number": "1"}, "postcode", "4 cijfers"),
    ({"birth_date": "01-01-2999"}, "birth_date", "niet in de toekomst"),
    ({"contact_email": "geen-adres"}, "contact_email", "e-mailadres"),
    ({"municipality": "GM0000"}, "municipality", "Kies een gemeente uit de lijst."),
    ({"municipality": "", "postcode": "9999ZZ", "house_number": "1"}, "municipality",
     "Het platform kent deze postcode"),
    ({"life_domains": ["astrology"]}, "life_domains", "Kies uit de onderwerpen"),
    ({"life_domains": None}, "life_domains", "Kies minstens één onderwerp."),
    ({"contact_phone": ""}, "contact_phone", "Vul een telefoonnummer of e-mailadres in"),
    ({"contact_phone": "12"}, "contact_phone", "Geen geldig telefoonnummer"),
])
def test_bad_input_is_refused_naming_the_field(world, changes, field, message):
    response = visitor().post(FORM, form_data(**changes))
    assert response.status_code == 200
    body = response.content.decode()
    # The error sits at the field (its error block is named after the field) and in the
    # summary that links to it.
    error = re.search(rf'id="id_{field}_error">(.*?)</div>', body, re.S)
    assert error is not None, f"no error at {field}"
    assert message in error.group(1)
    assert f'href="#id_{field}' in body
    assert not CareReport.objects.exists()


def test_csrf_stays_on(world):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="192.0.2.10")
    assert client.post(FORM, form_data()).status_code == 403
    assert not CareReport.objects.exists()


def test_the_sixth_report_in_an_hour_from_one_address_is_429(world):
    client = visitor("192.0.2.20")
    for _ in range(5):
        assert client.post(FORM, form_data()).status_code == 302
    refused = client.post(FORM, form_data())
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    text = text_of(refused)
    assert "Even wachten met melden" in text and "0800-2000" in text
    assert CareReport.objects.count() == 5
    assert client.get(FORM).status_code == 429  # no form to fill in for nothing
    # Another address is not held back.
    assert visitor("192.0.2.21").post(FORM, form_data()).status_code == 302
    assert CareReport.objects.count() == 6


def test_bad_input_does_not_count_for_the_throttle(world):
    client = visitor("192.0.2.30")
    for _ in range(6):
        assert client.post(FORM, form_data(question="")).status_code == 200
    for _ in range(5):
        assert client.post(FORM, form_data()).status_code == 302


def test_the_page_and_the_api_share_the_count_per_address(world):
    client = visitor("192.0.2.40")
    for _ in range(3):
        assert client.post(FORM, form_data()).status_code == 302
    for _ in range(2):
        assert post_api(client, api_body()).status_code == 201
    assert client.post(FORM, form_data()).status_code == 429
    assert post_api(client, api_body()).status_code == 429


def test_behind_the_proxy_the_forwarded_address_counts_and_cannot_be_chosen(
        world, monkeypatch):
    monkeypatch.setenv("JEUGDKETEN_CLIENT_IP_HEADER", "X-Forwarded-For")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1")
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(5):
        response = proxy.post(API, data=json.dumps(api_body()),
                              content_type="application/json",
                              HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert response.status_code == 201
    blocked = proxy.post(API, data=json.dumps(api_body()), content_type="application/json",
                         HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert blocked.status_code == 429
    other = proxy.post(API, data=json.dumps(api_body()), content_type="application/json",
                       HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 201
    # A client that is not the proxy cannot pick a fresh address with the header.
    direct = Client(REMOTE_ADDR="192.0.2.70")
    for n in range(5):
        assert direct.post(API, data=json.dumps(api_body()), content_type="application/json",
                           HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code == 201
    assert direct.post(API, data=json.dumps(api_body()), content_type="application/json",
                       HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_the_confirmation_shows_only_this_browsers_report_once(world):
    first, second = visitor("192.0.2.50"), visitor("192.0.2.51")
    first.post(FORM, form_data(given_name="Eerste"))
    second.post(FORM, form_data(given_name="Tweede"))
    mine, theirs = (CareReport.objects.get(given_name=n) for n in ("Eerste", "Tweede"))
    text = text_of(first.get(RECEIVED))
    assert mine.reference in text
    assert theirs.reference not in text and "Tweede" not in text
    # Once: a reload, or another browser without a report, goes back to the form.
    assert first.get(RECEIVED)["Location"] == FORM
    assert visitor("192.0.2.52").get(RECEIVED)["Location"] == FORM
    text = text_of(second.get(RECEIVED))
    assert theirs.reference in text and mine.reference not in text


def test_an_unsafe_report_shows_veilig_thuis_on_the_confirmation(world):
    client = visitor()
    client.post(FORM, form_data(unsafe="on"))
    assert CareReport.objects.get().unsafe
    text = text_of(client.get(RECEIVED))
    assert "Veilig Thuis" in text and "0800-2000" in text and "112" in text


# --- the API -------------------------------------------------------------------------------


def test_the_api_takes_a_report_without_a_token(world):
    response = post_api(visitor(), api_body())
    assert response.status_code == 201, response.content
    body = response.json()
    report = CareReport.objects.get()
    assert body == {"reference": report.reference,
                    "next_step_by": report.step_due_on.isoformat()}
    assert report.reporter_kind == ReporterKind.PUBLIC


def test_the_api_refuses_bad_input_naming_the_field(world):
    response = post_api(visitor(), api_body(urgency="whenever"))
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == ["urgency"]
    response = post_api(visitor(), api_body(question=""))
    assert response.status_code == 422
    assert "question" in [e["field"] for e in response.json()["errors"]]
    assert not CareReport.objects.exists()


@pytest.mark.parametrize("code", ["GM\x00001", "\U00058ad3\u00cc", "gm-1", "GM99999"])
def test_a_municipality_code_that_is_none_is_refused_naming_it(world, code):
    """Not a CBS code (a NUL, which PostgreSQL refuses in a text parameter, included): a
    422 on municipality_code, never a 500 (found by the API fuzz test on PostgreSQL)."""
    response = post_api(visitor("192.0.2.77"), api_body(municipality_code=code))
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["municipality_code"]
    assert not CareReport.objects.exists()


def test_the_api_throttles_the_sixth_report_per_address(world):
    client = visitor("192.0.2.60")
    for _ in range(5):
        assert post_api(client, api_body()).status_code == 201
    refused = post_api(client, api_body())
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["type"] == "urn:jeugdketen:problem:too_many_reports"
    assert problem["status"] == 429
    assert problem["retry_after_seconds"] == int(refused["Retry-After"]) > 0
    assert CareReport.objects.count() == 5
    assert post_api(visitor("192.0.2.61"), api_body()).status_code == 201


def test_nothing_can_be_read_back_through_the_public_api(world):
    client = visitor()
    reference = post_api(client, api_body()).json()["reference"]
    assert client.get(API).status_code == 405
    assert client.get(f"{API}/{reference}").status_code == 404


# --- the ways in: links to the professionals' report form ----------------------------------


def _stand_in_report_form(request, **kwargs):  # pragma: no cover - only its URL is used
    from django.http import HttpResponse

    return HttpResponse("report form")


@pytest.fixture
def report_form_url(settings):
    """The URL of the professionals' report form (intake:report_new, built in its own work
    package). Where that form is not in the URLs yet, a stand-in takes its name, so the
    links to it can be tested all the same."""
    from django.urls import NoReverseMatch, include, path

    try:
        return reverse("intake:report_new")
    except NoReverseMatch:
        import types

        stand_in = types.ModuleType("report_form_stand_in")
        stand_in.urlpatterns = [  # type: ignore[attr-defined]
            path("zorgmeldingen/nieuw/", include(
                ([path("", _stand_in_report_form, name="report_new")], "intake"))),
            path("", include("jeugdketen.config.urls")),
        ]
        settings.ROOT_URLCONF = stand_in
        return reverse("intake:report_new")


def professional_client(professional) -> Client:
    client = Client(HTTP_USER_AGENT="pytest-links")
    client.force_login(professional.user)
    client.cookies["django_language"] = "nl"
    return client


@pytest.fixture
def plain_pages(settings):
    settings.REQUIRE_2FA = False
    settings.DEMO = False


def test_a_persons_page_links_to_the_report_form_with_the_person(
        world, plain_pages, report_form_url, professional):
    from tests import factories as f

    child = f.PersonFactory(birth_date=f.birth_date_for_age(9))
    f.RegistrationFactory(person=child, professional=professional)
    page = professional_client(professional).get(reverse("person", args=[child.pk]))
    assert page.status_code == 200
    assert f'href="{report_form_url}?persoon={child.pk}"' in page.content.decode()


def test_the_decision_aids_organise_help_result_links_to_the_report_form(
        world, plain_pages, report_form_url, professional):
    from jeugdketen.guide import actions as guide_actions
    from tests import factories as f

    child = f.PersonFactory(birth_date=f.birth_date_for_age(9))
    f.RegistrationFactory(person=child, professional=professional)
    actor = f.professional_actor(professional)
    answers = {"steps": ["map_signals", "consult", "talk_client"], "suspicion": "yes",
               "unsafe": "no", "help_possible": "yes", "help_accepted": "yes",
               "lasting_safety": "yes"}  # the meldcode's answer: organise help
    done = guide_actions.complete_session(actor, "meldcode", answers, child.pk)
    assert guide_actions.advice_for(done.session)["next"] == "organise_help"
    page = professional_client(professional).get(
        reverse("guide_session", args=[done.session.pk]))
    assert page.status_code == 200
    assert f'href="{report_form_url}?persoon={child.pk}"' in page.content.decode()


def test_a_coordinated_matchs_page_links_to_the_report_form_with_the_youth(
        world, plain_pages, report_form_url):
    from jeugdketen.referral_index import actions as index_actions
    from jeugdketen.registry.models import Registration
    from tests import factories as f

    kid = f.PersonFactory(birth_date=f.birth_date_for_age(10))
    school_org = f.OrganisationFactory(kind="school", may_signal=True, may_coordinate=False)
    team_org = f.OrganisationFactory(may_signal=True, may_coordinate=True)
    school = f.ProfessionalFactory(organisation=school_org, roles=["professional"])
    team = f.ProfessionalFactory(organisation=team_org, roles=["professional"])
    for prof in (school, team):
        Registration.objects.create(person=kid, professional=prof, organisation=prof.organisation)
    index_actions.register_signal(f.professional_actor(school), kid.pk)
    match = index_actions.register_signal(f.professional_actor(team), kid.pk).matches[0]
    link = f'href="{report_form_url}?persoon={kid.pk}"'
    assert link not in professional_client(team).get(reverse("my_matches")).content.decode()
    index_actions.propose_coordinator(f.professional_actor(team), match.pk, team.pk)
    index_actions.accept_coordinator(f.professional_actor(school), match.pk,
                                     signals_aligned=True)
    page = professional_client(team).get(reverse("my_matches"))
    assert page.status_code == 200
    assert link in page.content.decode()


def test_other_methods_are_refused(world):
    client = visitor()
    assert client.put(FORM).status_code == 405
    assert client.post(RECEIVED).status_code == 405


def test_the_form_and_the_confirmation_speak_english(world):
    client = visitor()
    client.cookies["django_language"] = "en"
    text = text_of(client.get(FORM))
    assert "Report worries about a child" in text and "Send report" in text
    client.post(FORM, form_data())
    assert "What happens now?" in text_of(client.get(RECEIVED))


def test_a_denied_report_is_the_403_page_and_does_not_count(world, monkeypatch):
    """Should the policy ever refuse the public form's actor (here: one that does not come
    through the website), the visitor gets the 403 page, and the attempt costs no place."""
    from jeugdketen.access.policy import AccessPoint, Actor
    from jeugdketen.intake import public_views, throttle

    monkeypatch.setattr(public_views, "public_actor", lambda ip, agent: Actor(
        access_point=AccessPoint(ip=ip, user_agent=agent, channel="api-token")))
    client = visitor("192.0.2.80")
    response = client.post(FORM, form_data())
    assert response.status_code == 403
    assert not CareReport.objects.exists()
    key = throttle._key("192.0.2.80", throttle.HOUR, time.time())
    assert cache.get(key) in (0, None)  # the place was given back (None: a new hour began)
