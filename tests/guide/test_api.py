"""GET /api/v1/guides and POST /api/v1/guides/{slug}/sessions: shapes, 201, 422 naming
the question, 404, 401 and 403 as problem details."""

from __future__ import annotations

from jeugdketen.guide.models import GuideSession

from .conftest import GOOD_MELDCODE

PROBLEM = "application/problem+json"


def test_the_aids_and_their_structure_are_listed(api_client):
    response = api_client.get("/guides")
    assert response.status_code == 200
    aids = {a["slug"]: a for a in response.json()}
    assert {"meldrichtlijn", "meldcode"} <= set(aids)
    guidance = aids["meldrichtlijn"]
    assert guidance["kind"] == "reporting_guidance"
    assert guidance["language"] == "nl"
    assert guidance["title"] == "Meldrichtlijn Verwijsindex"
    assert [r["code"] for r in guidance["statutory_risks"]] == list("abcdefghijkl")
    material = guidance["questions"][0]
    assert material["type"] == "choices"
    assert {"id", "text", "help", "risks", "tickable"} <= set(material["options"][0])
    confirm = guidance["questions"][-1]
    assert confirm["id"] == "real_threat" and confirm["when"] == {"risks": "any"}
    code = aids["meldcode"]
    assert code["kind"] == "meldcode"
    assert [q["id"] for q in code["questions"]][1:] == [
        "suspicion", "unsafe", "help_possible", "help_accepted", "lasting_safety"]


def test_texts_follow_accept_language(api_client):
    response = api_client.get("/guides", headers={"Accept-Language": "en"})
    aids = {a["slug"]: a for a in response.json()}
    assert aids["meldcode"]["language"] == "en"
    assert aids["meldcode"]["title"] == "Reporting code for domestic violence and child abuse"


def test_the_list_needs_a_token(anonymous_api):
    response = anonymous_api.get("/guides")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM


def test_completing_answers_201_with_the_advice(api_client, youth, professional):
    response = api_client.post("/guides/meldrichtlijn/sessions", {
        "answers": {"material": ["no_fixed_home"], "real_threat": "yes"},
        "person_id": str(youth.pk),
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "slug", "version", "outcome", "person_id", "created_at", "advice"}
    assert body["slug"] == "meldrichtlijn" and body["outcome"] == "signal_warranted"
    assert body["person_id"] == str(youth.pk)
    advice = body["advice"]
    assert advice["next"] == "register_signal"
    assert advice["consult_colleague"] is True
    assert advice["statutory_risks"] == [
        {"code": "h", "text": "Geen vaste woning of verblijfplaats"}]
    assert advice["title"] and advice["text"] and advice["consult_colleague_text"]
    session = GuideSession.objects.get(pk=body["id"])
    assert session.organisation_id == professional.organisation_id


def test_a_meldcode_session_without_a_person(api_client):
    response = api_client.post("/guides/meldcode/sessions",
                               {"answers": {**GOOD_MELDCODE, "lasting_safety": False}},
                               headers={"Accept-Language": "en"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["outcome"] == "report_to_veilig_thuis" and body["person_id"] is None
    assert body["advice"]["next"] == "report_to_veilig_thuis"
    assert body["advice"]["title"] == "Advice: report (again) to Veilig Thuis"


def test_invalid_answers_give_422_naming_each_question_and_rule(api_client):
    response = api_client.post("/guides/meldcode/sessions", {
        "answers": {"steps": ["map_signals", "dance"], "suspicion": "misschien", "extra": "yes"},
    })
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    errors = {(e["field"], e["rule"]) for e in response.json()["errors"]}
    assert errors == {("answers.steps", "unknown_option"), ("answers.suspicion", "yes_or_no"),
                      ("answers.extra", "unknown_question")}
    assert not GuideSession.objects.exists()


def test_a_missing_required_answer_gives_422(api_client):
    response = api_client.post("/guides/meldcode/sessions",
                               {"answers": {"suspicion": "yes", "unsafe": "no"}})
    assert response.status_code == 422
    assert response.json()["errors"] == [{
        "field": "answers.help_possible", "rule": "required",
        "message": "Vraag help_possible moet beantwoord worden."}]


def test_a_malformed_body_gives_422(api_client):
    response = api_client.post("/guides/meldcode/sessions", {"answers": ["yes"],
                                                             "person_id": "nope"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"answers", "person_id"} <= fields


def test_an_unknown_aid_gives_404_problem_details(api_client):
    response = api_client.post("/guides/bestaat-niet/sessions", {"answers": {}})
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 404


def test_a_person_without_a_ground_gives_403(api_client_for, outsider, youth):
    response = api_client_for(outsider).post("/guides/meldrichtlijn/sessions", {
        "answers": {"material": ["money"], "real_threat": "yes"}, "person_id": str(youth.pk)})
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert not GuideSession.objects.exists()
