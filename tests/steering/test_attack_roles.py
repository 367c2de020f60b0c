"""Every steering route of time and satisfaction as every ordinary role (issue 13): who
gets what. Only the municipality's own analyst and coordinator read the figures; only the
analyst closes the survey and sets a team's neighbourhoods; only a care role answers, and
only for themselves. Everyone else: 403 (or the login), nothing of the figures in the
answer, and no write."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from jeugdketen.steering import survey, time_actions
from jeugdketen.steering.models import SurveyClosing, TeamArea
from tests import factories as f

FIGURES, SURVEY, TIME = "/sturing/tijd-en-werkplezier/", "/sturing/werkplezier/", "/sturing/tijd/"


class Chain:
    def __init__(self) -> None:
        town = f.MunicipalityFactory(code="GM9961", name="Rolstad")
        district = f.DistrictFactory(municipality=town, code="WK996101", name="Midden")
        self.hood = f.NeighbourhoodFactory(district=district, code="BU99610101", name="Plein")
        org = f.OrganisationFactory
        gemeente = org(name="Gemeente Rolstad", kind="municipality", municipality=town)
        self.team = org(name="Wijkteam Midden", kind="neighbourhood_team", municipality=town)
        pro = f.ProfessionalFactory
        self.people: dict[str, Any] = {
            "analyst": pro(organisation=gemeente, roles=["municipal_analyst"]),
            "coordinator": pro(organisation=gemeente, roles=["coordinator"]),
            "team-professional": pro(organisation=self.team, roles=["professional"]),
            "team-coordinator": pro(organisation=self.team, roles=["coordinator"]),
            "front-door": pro(organisation=self.team, roles=["professional", "front_door"]),
            "school": pro(organisation=org(name="School", kind="school", municipality=town),
                          roles=["professional"]),
            "youth-health": pro(organisation=org(name="JGZ", kind="youth_health_care",
                                                 municipality=town), roles=["professional"]),
            "provider": pro(organisation=org(name="Aanbieder", kind="provider",
                                             municipality=town), roles=["professional"]),
            "provider-analyst": pro(organisation=org(name="Aanbieder 2", kind="provider",
                                                     municipality=town),
                                    roles=["municipal_analyst"]),
            "veilig-thuis": pro(organisation=org(name="Veilig Thuis", kind="veilig_thuis",
                                                 municipality=town), roles=["professional"]),
            "police": pro(organisation=org(name="Politie", kind="police", municipality=town),
                          roles=["professional"]),
            "privacy-officer": pro(organisation=gemeente, roles=["privacy_officer"]),
            "functional-admin": pro(organisation=gemeente, roles=["functional_admin"]),
            "platform-admin": pro(organisation=gemeente, roles=["platform_admin"]),
        }
        elders = f.MunicipalityFactory(code="GM9962", name="Elders")
        other = org(name="Gemeente Elders", kind="municipality", municipality=elders)
        self.people["other-analyst"] = pro(organisation=other, roles=["municipal_analyst"])
        self.people["other-coordinator"] = pro(organisation=other, roles=["coordinator"])
        self.people["no-professional"] = f.UserFactory()
        time_actions.set_team_areas(f.professional_actor(self.people["analyst"]),
                                    self.team.pk, [self.hood.pk])


@pytest.fixture
def chain(db, settings, tmp_path) -> Chain:
    from jeugdketen.insight import store
    from tests.pages import for_pages

    for_pages(settings)
    settings.INSIGHT_DIR = tmp_path / "insight"
    store.forget_reader()
    yield Chain()
    store.forget_reader()


READS_FIGURES = {"analyst", "coordinator"}
OWN_MUNICIPALITY_FIGURES = {"other-analyst", "other-coordinator"}  # their own, not Rolstad's
ANSWERS = {"team-professional", "team-coordinator", "front-door", "school", "youth-health",
           "provider", "veilig-thuis", "police", "coordinator", "other-coordinator"}
ROLES = ["analyst", "coordinator", "team-professional", "team-coordinator", "front-door",
         "school", "youth-health", "provider", "provider-analyst", "veilig-thuis", "police",
         "privacy-officer", "functional-admin", "platform-admin", "other-analyst",
         "other-coordinator", "no-professional"]


@pytest.mark.parametrize("who", ROLES)
def test_the_figures_api_and_page(chain, who, api_client_for, client_for):
    user = chain.people[who]
    api = api_client_for(user)
    for path in ("/steering/time", "/steering/time?by=neighbourhood", "/steering/survey"):
        got = api.get(path)
        if who in READS_FIGURES | OWN_MUNICIPALITY_FIGURES:
            assert got.status_code == 200, (who, path)
            expected = "GM9961" if who in READS_FIGURES else "GM9962"
            assert got.json()["municipality"] == expected
        else:
            assert got.status_code in (401, 403), (who, path, got.status_code)
            assert b"groups" not in got.content
    page = client_for(user).get(FIGURES)
    if who in READS_FIGURES | OWN_MUNICIPALITY_FIGURES:
        assert page.status_code == 200
    else:
        assert page.status_code in (302, 403), (who, page.status_code)


@pytest.mark.parametrize("who", ROLES)
def test_closing_and_team_areas_are_the_analysts(chain, who, client_for):
    user = chain.people[who]
    client = client_for(user)
    year = timezone.localdate().year
    client.post(SURVEY, {"close": "1", "year": str(year)})
    client.post(FIGURES, {"team": str(chain.team.pk), "neighbourhoods": []})
    closed = SurveyClosing.objects.filter(municipality_id="GM9961").exists()
    cleared = not TeamArea.objects.filter(organisation=chain.team).exists()
    assert closed == cleared == (who == "analyst"), (who, closed, cleared)


@pytest.mark.parametrize("who", ROLES)
def test_answering_is_for_care_roles_only(chain, who, api_client_for, client_for):
    user = chain.people[who]
    got = api_client_for(user).post("/steering/time", {"help_hours": 1,
                                                       "accountability_hours": 1})
    assert (got.status_code == 201) == (who in ANSWERS), (who, got.status_code)
    data = {i.key: "3" for i in survey.ITEMS} | {"overall": "7", "answer": "1"}
    answered = client_for(user).post(SURVEY, data)
    assert (answered.status_code == 302) == (who in ANSWERS), (who, answered.status_code)
    mine = api_client_for(user).get("/steering/time?mine=1")
    if who in ANSWERS:
        assert [a["help_hours"] for a in mine.json()["answers"]] == [1]
    else:
        assert mine.status_code in (401, 403)
