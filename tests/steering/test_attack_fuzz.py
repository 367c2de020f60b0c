"""Bad input to the time and survey routes (issue 13): never a 500. The API answers 422
naming the field (409 for a second answer); the pages a form error or a refusal. Run on
SQLite and on PostgreSQL (DATABASE_URL=postgres://...): NUL bytes, huge numbers, wrong
types, negative hours, far dates."""

from __future__ import annotations

from typing import Any

import pytest

from jeugdketen.steering import survey, time_actions
from jeugdketen.steering.models import SurveyAnswer, TeamArea, TimeAnswer
from tests import factories as f

HUGE = 10**40


class Town:
    def __init__(self) -> None:
        town = f.MunicipalityFactory(code="GM9951", name="Fuzzstad")
        district = f.DistrictFactory(municipality=town, code="WK995101", name="Zuid")
        self.hood = f.NeighbourhoodFactory(district=district, code="BU99510101", name="Veld")
        org = f.OrganisationFactory
        gemeente = org(name="Gemeente Fuzzstad", kind="municipality", municipality=town)
        self.team = org(name="Wijkteam Zuid", kind="neighbourhood_team", municipality=town)
        self.analyst = f.ProfessionalFactory(organisation=gemeente, roles=["municipal_analyst"])
        self.prof = f.ProfessionalFactory(organisation=self.team, roles=["professional"])


@pytest.fixture
def town(db, settings, tmp_path) -> Town:
    from jeugdketen.insight import store
    from tests.pages import for_pages

    for_pages(settings)
    settings.INSIGHT_DIR = tmp_path / "insight"
    store.forget_reader()
    yield Town()
    store.forget_reader()


BAD_HOURS: list[Any] = [None, "", "ten", "1e3", 1.5, -1, HUGE, -HUGE, True, [], {}, "\x00",
                        "1\x00", "²", "٣٣٣", 81]


@pytest.mark.parametrize("value", BAD_HOURS)
def test_bad_hours_in_the_api_are_a_422_naming_the_field(town, api_client_for, value):
    api = api_client_for(town.prof)
    got = api.post("/steering/time", {"help_hours": value, "accountability_hours": 0})
    assert got.status_code == 422, got.content
    assert "help_hours" in got.content.decode()
    assert not TimeAnswer.objects.exists()


@pytest.mark.parametrize("raw", [b"", b"{", b"null", b"[]", b'"x"', b"\x00", b"{\"help_hours\":"
                                 + b"9" * 5000 + b",\"accountability_hours\":0}"])
def test_broken_bodies_are_a_4xx(town, api_client_for, raw):
    got = api_client_for(town.prof).post("/steering/time", raw=raw)
    assert 400 <= got.status_code < 500, got.content


@pytest.mark.parametrize("query", ["?by=\x00", "?by=team\x00", "?mine=\x00", "?mine=2",
                                   "?by=" + "x" * 5000, "?by=neighbourhood&by=team"])
def test_bad_queries_are_a_4xx_or_the_figures(town, api_client_for, query):
    for path in ("/steering/time", "/steering/survey"):
        got = api_client_for(town.analyst).get(path + query)
        assert got.status_code in (200, 403, 422), (path, query, got.content)


def test_the_action_refuses_odd_digits_without_a_500(town):
    """`"²".isdigit()` is True but int("²") fails: a refusal naming the field, not a
    ValueError (the API and the form parse first; the action is the last word)."""
    from jeugdketen.core.errors import Refusal

    for odd in ("²", "①", "\x00", "1" * 5000):
        with pytest.raises(Refusal) as refused:
            time_actions.answer_time(f.professional_actor(town.prof), help_hours=odd,
                                     accountability_hours=0)
        assert refused.value.errors[0].field == "help_hours"
        with pytest.raises(Refusal) as refused:
            time_actions.answer_survey(f.professional_actor(town.prof),
                                       scores={i.key: odd for i in survey.ITEMS}, overall=odd)
        assert {e.field for e in refused.value.errors} >= {"overall"}
    with pytest.raises(Refusal) as refused:
        time_actions.close_survey(f.professional_actor(town.analyst), "²")
    assert refused.value.errors[0].field == "year"


@pytest.mark.parametrize("value", ["\x00", "9" * 50, "-1", "6", "x"])
def test_bad_survey_and_time_forms_are_form_errors(town, client_for, value):
    page = client_for(town.prof)
    data = {i.key: value for i in survey.ITEMS} | {"overall": value, "answer": "1"}
    got = page.post("/sturing/werkplezier/", data)
    assert got.status_code == 422, got.status_code
    if value != "6":  # six hours is an answer
        got = page.post("/sturing/tijd/", {"help_hours": value, "accountability_hours": 0})
        assert got.status_code == 422, got.status_code
    assert not SurveyAnswer.objects.exists() and not TimeAnswer.objects.exists()


@pytest.mark.parametrize("year", ["\x00", "9" * 50, "-1", "1999", "9999", ""])
def test_bad_closing_years_are_refused(town, client_for, year):
    got = client_for(town.analyst).post("/sturing/werkplezier/", {"close": "1", "year": year})
    assert got.status_code == 422, got.status_code


@pytest.mark.parametrize("data", [
    {"team": "\x00", "neighbourhoods": ["BU99510101"]},
    {"team": "9" * 50, "neighbourhoods": []},
    {"team": "-1"},
    {"team": "TEAM", "neighbourhoods": ["BU\x00"]},
    {"team": "TEAM", "neighbourhoods": ["x" * 5000]},
    {"team": "TEAM", "neighbourhoods": ["BU99990101"]},  # not this municipality's
])
def test_bad_team_areas_are_form_errors(town, client_for, data):
    data = {k: (str(town.team.pk) if v == "TEAM" else v) for k, v in data.items()}
    got = client_for(town.analyst).post("/sturing/tijd-en-werkplezier/", data)
    assert got.status_code == 422, got.status_code
    assert not TeamArea.objects.exists()


def test_the_action_refuses_bad_team_areas_without_a_500(town):
    from jeugdketen.core.errors import Refusal

    analyst = f.professional_actor(town.analyst)
    for team, hoods in ((town.team.pk, ["BU\x00"]), (town.team.pk, [HUGE]),
                        (town.team.pk, "BU99510101"), ("\x00", []), (HUGE, []),
                        (town.team.pk, ["x" * 5000])):
        with pytest.raises(Refusal):
            time_actions.set_team_areas(analyst, team, hoods)
    assert not TeamArea.objects.exists()
