"""The analyst's simulation page /sturing/simulatie/: the validation table first, the
scenario form (the analyst only), a run's result with its chart and tables; who sees it
(the menu too), a run of another municipality as unknown (404), bad input on the form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.steering.models import SimulationRun
from tests.insight.test_pages import client

PAGE = "/sturing/simulatie/"
SMALL = {"doel": "scenario", "way": "joint", "slots_1": "2", "slots_2": "", "slots_3": "",
         "arrivals_pct": "10", "weeks": "8", "replications": "3", "seed": "1"}


@pytest.fixture(autouse=True)
def _pages(settings):
    from tests.pages import for_pages

    for_pages(settings)


def test_the_url_is_the_steering_namespace():
    assert reverse("steering:simulation") == PAGE


def test_the_analyst_validates_first_then_runs_a_scenario(iw, sim_store):
    c = client(iw.analyst)
    body = c.get(PAGE).content.decode()
    assert "Klopt het model?" in body and "Het model is nog niet nagerekend." in body
    assert "Model narekenen" in body and "Doorrekenen" in body
    response = c.post(PAGE, {"doel": "valideren"})
    assert response.status_code == 302
    body = c.get(PAGE).content.decode()
    assert "Melding tot triage" in body and "voldoet" in body
    assert body.index("Klopt het model?") < body.index("Een scenario")
    response = c.post(PAGE, SMALL)
    assert response.status_code == 302, response.content.decode()[:2000]
    run = SimulationRun.objects.get(kind="scenario")
    assert response["Location"].endswith(f"?berekening={run.pk}")
    body = c.get(response["Location"]).content.decode()
    assert "<svg" in body and "Wachtlijst aan het eind van elke week" in body
    assert "gezamenlijke intake; organisatie 1 +2 plekken per week; +10% meldingen" in body
    assert "Mediaan (p50)" in body


def test_the_coordinator_reads_but_does_not_run(iw, sim_store):
    from jeugdketen.steering import simulation_actions
    from tests import factories as f

    simulation_actions.run_simulation(f.professional_actor(iw.analyst),
                                      scenario={"weeks": 4, "replications": 2})
    c = client(iw.coordinator)
    body = c.get(PAGE).content.decode()
    assert "Doorrekenen" not in body and "Model narekenen" not in body
    assert "Alleen de beleidsmedewerker" in body and "<svg" in body
    assert c.post(PAGE, SMALL).status_code == 403
    assert AccessLogRecord.objects.filter(data="simulation", action="create",
                                          outcome="denied").count() == 1


@pytest.mark.parametrize("who", ["professional", "provider-analyst", "team-coordinator",
                                 "privacy-officer", "functional-admin", "no-role"])
def test_every_other_role_is_refused(iw, sim_store, who):
    c = client(iw.denied[who])
    assert c.get(PAGE).status_code == 403
    assert c.post(PAGE, SMALL).status_code == 403
    assert SimulationRun.objects.count() == 0


def test_the_front_door_is_refused(iw, sim_store):
    assert client(iw.front_door).get(PAGE).status_code == 403


def test_another_municipalitys_run_is_not_found(iw, sim_store):
    c = client(iw.analyst)
    c.post(PAGE, SMALL)
    run = SimulationRun.objects.get()
    assert client(iw.analyst_b).get(f"{PAGE}?berekening={run.pk}").status_code == 404
    assert client(iw.analyst_b).get(f"{PAGE}?berekening=nonsense").status_code == 404


def test_bad_input_is_shown_on_the_form(iw, sim_store):
    c = client(iw.analyst)
    response = c.post(PAGE, {**SMALL, "weeks": "0"})
    assert response.status_code == 422
    assert "Tussen 1 en 260 weken." in response.content.decode()
    response = c.post(PAGE, {**SMALL, "slots_2": "many"})
    assert response.status_code == 422
    assert SimulationRun.objects.count() == 0


def test_the_menu_shows_the_page_to_the_analyst_and_the_coordinator_only(iw, sim_store):
    for who in (iw.analyst, iw.coordinator):
        assert f'href="{PAGE}"' in client(who).get(reverse("home")).content.decode()
    for name, who in {**iw.denied, "front-door": iw.front_door}.items():
        assert f'href="{PAGE}"' not in client(who).get(reverse("home")).content.decode(), name


def test_too_few_reports_says_so_on_the_page(iw, insight_dir):
    c = client(iw.analyst)
    response = c.post(PAGE, {"doel": "valideren"})
    assert response.status_code == 422
    assert "Te weinig meldingen in de afgelopen twaalf maanden" in response.content.decode()
    assert SimulationRun.objects.count() == 0


def test_runs_made_at_a_lower_threshold_are_withheld_on_the_page(iw, sim_store):
    """After the analyst raises the threshold, the page shows the earlier validation and
    scenario without their figures, saying why (simulation_actions.as_read); running them
    again shows them."""
    from jeugdketen.insight.actions import set_publication
    from tests import factories as f

    c = client(iw.analyst)
    assert c.post(PAGE, {"doel": "valideren"}).status_code == 302
    assert c.post(PAGE, SMALL).status_code == 302
    set_publication(f.professional_actor(iw.analyst), "GM9911", threshold=20,
                    follow_up_days=182)
    for who in (iw.analyst, iw.coordinator):
        response = client(who).get(PAGE)
        body = response.content.decode()
        assert response.status_code == 200
        assert body.count("Berekend bij een lagere drempel") == 2, body[:2000]
        assert "Melding tot triage" not in body
    assert c.post(PAGE, {"doel": "valideren"}).status_code == 302
    body = c.get(PAGE).content.decode()
    assert body.count("Berekend bij een lagere drempel") == 1  # the scenario still
    assert "Melding tot triage" in body
