"""Every page renders, in Dutch and in English, with the base layout's accessibility
landmarks, and the English render has no Dutch left in it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jeugdketen.access.actions import issue_token
from jeugdketen.demo import bench_family
from jeugdketen.insight.stats import wilson
from jeugdketen.insight.suppression import rounded
from jeugdketen.registry import actions, selectors
from tests import factories as f
from tests.insight import handmade
from tests.insight.test_pages import closed_plans, publish
from tests.pages import REASON, anonymous, dutch_leftovers, visible_text


def check_layout(response, lang: str) -> str:
    assert response.status_code == 200, response.content[:500]
    body = response.content.decode()
    assert f'<html lang="{lang}"' in body
    assert 'class="utrecht-root voorbeeld-theme"' in body
    assert 'href="#main"' in body and 'id="main"' in body and "<main" in body
    assert "<header" in body and "<footer" in body
    assert "<title>" in body and "Jeugdketen</title>" in body
    # CSP: no inline script or style anywhere.
    assert "<style" not in body and " style=" not in body
    for tag in body.split("<script")[1:]:
        assert tag.lstrip().startswith("src="), tag[:80]
    return body


@pytest.fixture
def insight_analyst(settings, tmp_path, municipality, neighbourhood):
    """The analyst of a municipality (the organisation of kind municipality: the
    neighbourhood team's analyst of the `analyst` fixture has no insight), with a published
    insight store of the test's own: 12 closed plans in Oude Haven, half of them helped,
    and 3 in a second neighbourhood (below the threshold: hidden)."""
    from jeugdketen.insight import derive, store

    second = f.NeighbourhoodFactory(district=neighbourhood.district, code="BU99010102",
                                    name="Nieuwe Haven")

    def fill(con):
        for hood in (neighbourhood, second):
            handmade.area(con, hood.code, hood.district.code, municipality.code,
                          (hood.name, hood.district.name, municipality.name))
        con.execute("INSERT INTO organisations VALUES (7, 'Jeugdhulp Testdam', "
                    "'youth_care_provider', ?)", [municipality.code])
        closed_plans(con, neighbourhood.code, 12, helped=6, prefix="t")
        closed_plans(con, second.code, 3, helped=1, prefix="s")
        derive.derive_all(con)

    settings.INSIGHT_DIR = tmp_path / "insight"
    store.forget_reader()
    publish(settings.INSIGHT_DIR, fill)
    town = f.OrganisationFactory(name="Gemeente Testdam", kind="municipality",
                                 municipality=municipality)
    yield f.ProfessionalFactory(organisation=town, roles=["municipal_analyst"])
    store.forget_reader()


@pytest.fixture
def pages(professional, privacy_officer, functional_admin, family, citizen_user,
          platform_admin, analyst, municipality, insight_analyst):
    """(user, url name, kwargs, an English word that must appear) per page."""
    child = family["child"]
    parent = family["parent"]
    household = selectors.households_of(parent)[0]
    # Something to review and something to decide.
    actions.read_person(f.professional_actor(f.ProfessionalFactory(
        organisation=professional.organisation), emergency_reason=REASON), child.pk)
    # A report back to the BRP: another given name than the BRP has.
    actions.register_person(
        f.professional_actor(f.ProfessionalFactory(organisation=professional.organisation)),
        actions.PersonInput(bsn=parent.bsn, given_names="Mirella", family_name="Jansen",
                            birth_date=parent.birth_date, sex="V"))
    issue_token(f.professional_actor(professional), professional.user)
    # A family plan with analyses (the benchmark household: 5 members, 4 analyses).
    plan = bench_family.ensure(municipality_code=municipality.code, goals=1, plan_actions=1,
                               evaluations=1, access_log=0)
    return [
        (professional, "home", {}, "My work"),
        (professional, "register_person", {}, "Register a person"),
        (professional, "register_household", {}, "Register a household"),
        (professional, "person", {"person_id": child.pk}, "Brothers and sisters"),
        (professional, "household", {"household_id": household.pk}, "Members of this household"),
        (professional, "emergency", {}, "Reason for emergency access"),
        (professional, "tokens", {}, "API tokens"),
        (privacy_officer, "home", {}, "Privacy supervision"),
        (privacy_officer, "review_list", {}, "Review emergency access"),
        (privacy_officer, "access_overview", {}, "Look up a person"),
        (privacy_officer, "access_log", {"person_id": child.pk}, "Why this was allowed"),
        (functional_admin, "home", {}, "Review 1 report back to the BRP"),
        (functional_admin, "corrections", {}, "Reports back to the BRP"),
        (citizen_user, "home", {}, "Who has viewed my data?"),
        (citizen_user, "access_overview", {}, "Your children"),
        (citizen_user, "access_log", {"person_id": child.pk}, "Why this was allowed"),
        (citizen_user, "person", {"person_id": parent.pk}, "This is your own data."),
        (platform_admin, "home", {}, "Manage API tokens"),
        (analyst, "home", {}, "Nothing is waiting for you now."),
        (plan.coordinator, "plan_analysis_page", {"plan_id": plan.plan.pk},
         "Progress per domain of"),
        (insight_analyst, "insight:insight", {}, "Insight into the chain"),
        (insight_analyst, "insight:insight_settings", {}, "Publication of the figures"),
    ]


def test_every_page_renders_in_dutch_and_english(pages, client_for):
    for user, name, kwargs, english in pages:
        url = reverse(name, kwargs=kwargs)
        nl_response = client_for(user, "nl").get(url)
        nl = check_layout(nl_response, "nl")
        assert english not in visible_text(nl.encode()), (url, english)
        assert dutch_leftovers(nl_response.content), url  # the check below can see Dutch
        en_response = client_for(user, "en").get(url)
        en = check_layout(en_response, "en")
        assert english in visible_text(en.encode()), (url, english)
        leftovers = dutch_leftovers(en_response.content)
        assert leftovers == [], (url, leftovers)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_login_lockout_and_error_pages_render(db, lang):
    client = anonymous(lang)
    check_layout(client.get(reverse("login")), lang)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert f'<html lang="{lang}"' in response.content.decode()
    if lang == "en":
        assert "Page not found" in response.content.decode()
        assert dutch_leftovers(response.content) == []


def test_anonymous_users_go_to_login(db):
    for name in ("home", "register_person", "access_overview", "review_list", "tokens"):
        response = anonymous().get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_dutch_is_the_default_even_for_an_english_browser(professional, client_for):
    client = client_for(professional, "nl")
    del client.cookies["django_language"]
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl"' in response.content.decode()
    assert "Mijn werk" in response.content.decode()


def test_language_switch_is_a_post_form_with_csrf(professional, client_for):
    body = client_for(professional).get(reverse("home")).content.decode()
    form = body[body.index('action="/i18n/setlang/"') - 40:]
    form = form[: form.index("</form>")]
    assert 'method="post"' in form and "csrfmiddlewaretoken" in form
    assert 'name="language" value="en"' in form
    client = client_for(professional)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "My work" in client.get(reverse("home")).content.decode()


def test_navigation_follows_the_role(professional, privacy_officer, citizen_user, client_for):
    prof = visible_text(client_for(professional).get(reverse("home")).content)
    assert "Persoon vastleggen" in prof and "Noodtoegang beoordelen" not in prof
    po = visible_text(client_for(privacy_officer).get(reverse("home")).content)
    assert "Noodtoegang beoordelen" in po and "Persoon vastleggen" not in po
    cit = visible_text(client_for(citizen_user).get(reverse("home")).content)
    assert "Toegangsoverzicht" in cit and "Persoon vastleggen" not in cit
    # A page for another role: the 403 page, not the feature.
    response = client_for(professional).get(reverse("review_list"))
    assert response.status_code == 403


def test_demo_badge_and_two_factor_warning(professional, client_for, settings):
    settings.DEMO = True
    settings.REQUIRE_2FA = False
    body = visible_text(client_for(professional).get(reverse("home")).content)
    assert "DEMO" in body
    assert "Tweestapsverificatie staat uit: alleen voor de demo" in body
    body = visible_text(anonymous().get(reverse("login")).content)
    assert "DEMO" in body and "Tweestapsverificatie staat uit" in body
    settings.DEMO = False
    settings.REQUIRE_2FA = True
    body = visible_text(anonymous().get(reverse("login")).content)
    assert "DEMO" not in body and "Tweestapsverificatie staat uit" not in body



def test_the_insight_dashboard_renders_its_figures_in_english(insight_analyst, client_for):
    """The every-page test above reads the dashboard with figures, not the empty store's
    message: its English check covers every section and the hidden cells."""
    body = visible_text(client_for(insight_analyst, "en").get(reverse("insight:insight")).content)
    for title in ("The four goals", "The value stream", "Waiting lists", "Outcomes", "Costs"):
        assert title in body, title
    assert "No data yet." not in body
    assert "Nieuwe Haven hidden hidden hidden" in body  # 3 plans, below the threshold 10
    # Satisfied: 15 of 15, shown rounded to the threshold (rounded(15, 10) == 20): 20 of 20,
    # its interval the Wilson interval of those rounded counts (wilson(20, 20) -> 84-100%).
    assert (rounded(15, 10), rounded(15, 10)) == (20, 20)
    assert round(wilson(20, 20)[0] * 100) == 84
    assert "Testdam (total) 100% 84–100% 20" in body
