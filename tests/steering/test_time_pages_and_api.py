"""The pages and the API of time and satisfaction (issue 13): the start-page card while the
week's question is open, the answer page and its form errors, the e-mail link that asks
to log in first, the survey page (answer once; the analyst closes), the figures page for
the municipality's analyst and coordinator only, and the API's aggregates and own answers."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.steering import survey
from jeugdketen.steering.models import SurveyAnswer, SurveyClosing, TeamArea, TimeAnswer
from tests.pages import anonymous
from tests.steering.test_time_and_survey import World

TIME, SURVEY, FIGURES = "/sturing/tijd/", "/sturing/werkplezier/", "/sturing/tijd-en-werkplezier/"


@pytest.fixture(autouse=True)
def _pages(settings):
    from tests.pages import for_pages

    for_pages(settings)


@pytest.fixture
def w(db) -> World:
    return World()


def text(response) -> str:
    return response.content.decode()


def test_the_start_page_asks_until_answered(w, client_for):
    prof = w.members[0]
    home = client_for(prof).get("/")
    assert "Eén vraag over vorige week" in text(home)
    assert 'action="/sturing/tijd/"' in text(home)
    response = client_for(prof).post(TIME, {"help_hours": "30", "accountability_hours": "6"})
    assert response.status_code == 302
    assert TimeAnswer.objects.get(professional=prof).help_hours == 30
    assert "Eén vraag over vorige week" not in text(client_for(prof).get("/"))
    page = text(client_for(prof).get(TIME))
    assert "Er staat nu geen vraag voor u open" in page and "83%" in page
    # The analyst (no care role) is not asked.
    assert "Eén vraag over vorige week" not in text(client_for(w.analyst).get("/"))


def test_the_answer_page_shows_errors_on_the_fields(w, client_for):
    response = client_for(w.members[0]).post(TIME, {"help_hours": "70",
                                                    "accountability_hours": "20"})
    assert response.status_code == 422
    assert "Samen zijn het meer dan 80 uur" in text(response)
    response = client_for(w.members[0]).post(TIME, {"help_hours": "veel",
                                                    "accountability_hours": ""})
    assert response.status_code == 422 and "Vul een heel aantal uren in." in text(response)
    assert not TimeAnswer.objects.exists()


def test_roles_without_a_question_get_no_page(w, client_for):
    from tests import factories as f

    officer = f.ProfessionalFactory(organisation=w.gemeente, roles=["privacy_officer"])
    for path in (TIME, SURVEY, FIGURES):
        assert client_for(officer).get(path).status_code == 403, path
    assert client_for(w.analyst).get(TIME).status_code == 403  # no answers of their own
    assert AccessLogRecord.objects.filter(data="time_answer", outcome="denied").exists()


def test_the_mail_link_asks_to_log_in_and_never_answers(w):
    response = anonymous().get(TIME)
    assert response.status_code == 302 and "/login" in response["Location"]
    response = anonymous().post(TIME, {"help_hours": "1", "accountability_hours": "1"})
    assert response.status_code in (302, 403) and not TimeAnswer.objects.exists()


def test_the_survey_page_answers_once_and_the_analyst_closes(w, client_for):
    prof = w.members[0]
    page = text(client_for(prof).get(SURVEY))
    assert "Mijn werk is afwisselend." in page and "Anoniem" in page
    form = {item.key: "4" for item in survey.ITEMS} | {"overall": "7", "answer": "1"}
    missing = client_for(prof).post(SURVEY, {**form, "variety_1": ""})
    assert missing.status_code == 422 and "Kies een antwoord bij deze stelling." in text(missing)
    assert client_for(prof).post(SURVEY, form).status_code == 302
    assert SurveyAnswer.objects.count() == 1
    assert "ingevuld, of het is gesloten" in text(client_for(prof).get(SURVEY))
    client_for(prof).post(SURVEY, form)
    assert SurveyAnswer.objects.count() == 1  # not twice
    year = timezone.localdate().year
    analyst_page = text(client_for(w.analyst).get(SURVEY))
    assert f"Onderzoek {year} sluiten" in analyst_page
    assert "Mijn werk is afwisselend." not in analyst_page  # no care role: no survey
    response = client_for(w.analyst).post(SURVEY, {"year": str(year), "close": "1"})
    assert response.status_code == 302
    assert SurveyClosing.objects.get().answers == 1
    # The coordinator of the municipality answers (a care role) but does not close.
    client_for(w.coordinator).post(SURVEY, {"year": str(year - 1), "close": "1"})
    assert SurveyClosing.objects.count() == 1


def test_the_figures_page_is_the_analysts_and_coordinators(w, client_for, settings, tmp_path):
    settings.INSIGHT_DIR = tmp_path / "insight"
    from jeugdketen.insight import store

    store.forget_reader()
    for who in (w.analyst, w.coordinator):
        response = client_for(who).get(FIGURES)
        assert response.status_code == 200, who
        assert "Tijd aan hulp tegenover verantwoording" in text(response)
    assert "Werkgebied van de teams" in text(client_for(w.analyst).get(FIGURES))
    assert "Werkgebied van de teams" not in text(client_for(w.coordinator).get(FIGURES))
    for who in (w.members[0], w.few[0]):
        assert client_for(who).get(FIGURES).status_code == 403
    response = client_for(w.analyst).post(FIGURES, {"team": str(w.small.pk),
                                                    "neighbourhoods": [w.hood.pk, w.hood2.pk]})
    assert response.status_code == 302
    assert set(TeamArea.objects.filter(organisation=w.small).values_list(
        "neighbourhood_id", flat=True)) == {w.hood.pk, w.hood2.pk}
    response = client_for(w.analyst).post(FIGURES, {"team": "999999"})
    assert response.status_code == 422 and "Kies een team uit de lijst." in text(response)
    store.forget_reader()


def test_the_api_gives_aggregates_to_the_municipality_and_own_answers_to_a_professional(
        w, api_client_for, settings, tmp_path):
    settings.INSIGHT_DIR = tmp_path / "insight"
    from jeugdketen.insight import store

    store.forget_reader()
    prof = w.members[0]
    api = api_client_for(prof)
    bad = api.post("/steering/time", {"help_hours": 90, "accountability_hours": 0})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "help_hours"
    made = api.post("/steering/time", {"help_hours": 20, "accountability_hours": 5})
    assert made.status_code == 201, made.content
    assert api.post("/steering/time", {"help_hours": 1, "accountability_hours": 1}
                    ).status_code == 409
    mine = api.get("/steering/time?mine=1")
    assert mine.status_code == 200
    assert [(a["help_hours"], a["accountability_hours"]) for a in mine.json()["answers"]] == [
        (20, 5)]
    assert api.get("/steering/time").status_code == 403  # aggregates: not for a professional
    assert api.get("/steering/survey").status_code == 403
    analyst = api_client_for(w.analyst)
    for path in ("/steering/time", "/steering/time?by=neighbourhood", "/steering/survey"):
        response = analyst.get(path)
        assert response.status_code == 200, (path, response.content)
        body = response.json()
        assert body["municipality"] == "GM9921" and body["threshold"] == 10
    assert analyst.get("/steering/time?by=persoon").status_code == 422
    # The analyst has no answers of their own and reads nobody else's.
    assert analyst.get("/steering/time?mine=1").status_code == 403
    assert AccessLogRecord.objects.filter(data="time_answer", outcome="denied").exists()
    store.forget_reader()


def test_the_menu_shows_each_page_to_whom_it_is_for(w, client_for):
    prof_page = text(client_for(w.members[0]).get("/"))
    assert 'href="/sturing/tijd/"' in prof_page and 'href="/sturing/werkplezier/"' in prof_page
    assert 'href="/sturing/tijd-en-werkplezier/"' not in prof_page
    analyst_page = text(client_for(w.analyst).get("/"))
    assert 'href="/sturing/tijd-en-werkplezier/"' in analyst_page
    assert 'href="/sturing/tijd/"' not in analyst_page
