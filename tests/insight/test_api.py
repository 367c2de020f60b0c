"""Insight in the JSON API (issue 12): GET /insight/kpis, /insight/value-stream,
/insight/outcomes. Who may call them, what they answer (each figure with n, interval and
`suppressed`, the value null when suppressed), the 422 naming the field, and what a caller
of another municipality or another role learns: nothing (403, or 404 as for an unknown
area, both logged)."""

from __future__ import annotations

import json

import pytest

from jeugdketen.access.models import AccessLogRecord
from tests.insight.test_pages import figures_store, one_event, publish

ENDPOINTS = ["/insight/kpis", "/insight/value-stream", "/insight/waiting",
             "/insight/outcomes?by=provider",
             "/insight/outcomes?by=neighbourhood"]
PERIOD = "to=2026-11-30"  # December 2025 to November 2026


def q(path: str, query: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}{query}"


def numbers_in(value: object) -> list[float]:
    """Every number anywhere in a JSON answer."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [value]
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers_in(v)]
    if isinstance(value, list):
        return [n for v in value for n in numbers_in(v)]
    return []


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("who", ["analyst", "coordinator", "front-door"])
def test_each_endpoint_answers_the_allowed_roles_and_logs_the_area(iw, insight_dir,
                                                                  api_client_for, path, who):
    publish(insight_dir, figures_store)
    response = api_client_for(iw.allowed[who]).get(q(path, f"area=WK991101&{PERIOD}"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["area"], body["area_name"], body["from"], body["to"], body["threshold"]) == (
        "WK991101", "Noord", "2025-12-01", "2026-11-30", 10)
    reads = AccessLogRecord.objects.filter(data="insight", outcome="allowed")
    assert [(r.object_id, r.client_id, r.channel) for r in reads] == [
        ("WK991101", "", "api-token")]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("who", ["professional", "provider-coordinator", "provider-analyst",
                                 "privacy-officer", "functional-admin", "platform-admin"])
def test_every_other_role_is_denied_without_a_hint(iw, insight_dir, api_client_for, path, who):
    publish(insight_dir, figures_store)
    response = api_client_for(iw.denied[who]).get(q(path, f"area=BU99110101&{PERIOD}"))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "Oude Haven" not in response.content.decode()
    assert AccessLogRecord.objects.filter(data="insight", outcome="denied").count() == 1


def test_no_token_is_a_401(anonymous_api):
    assert anonymous_api.get("/insight/kpis").status_code == 401


def test_the_kpis_carry_n_interval_and_suppressed_with_null_values(iw, insight_dir,
                                                                  api_client_for):
    publish(insight_dir, figures_store)
    c = api_client_for(iw.analyst)
    body = c.get(f"/insight/kpis?area=WK991101&{PERIOD}").json()
    total = body["help_that_helps"][0]
    # 23 plans, 11 helped: shown rounded to the threshold, the value and its interval
    # from the rounded counts (no exact count comes back from them)
    assert (total["group"], total["n"], total["count"]) == ("", 20, 10)
    assert (total["value"], total["rounded_to"]) == (0.5, 10)
    assert 0.29 < total["low"] < 0.30 and 0.70 < total["high"] < 0.71
    assert total["suppressed"] is False
    assert body["job_satisfaction"] == [] and all(t["suppressed"] for t in body["time_on_help"])
    # Nieuwe Haven: 3 closed plans, below the threshold: no number of it anywhere.
    small = c.get(f"/insight/kpis?area=BU99110102&{PERIOD}").json()
    for figure in (*small["help_that_helps"], *small["time_to_help"], *small["costs"]):
        assert figure["suppressed"] is True
        assert all(figure[k] is None for k in figure
                   if k not in ("key", "group", "label", "suppressed", "provisional")), figure
    # In the district: Nieuwe Haven hidden, and Oude Haven with it (20 = 23 - 3).
    district = c.get(f"/insight/kpis?area=WK991101&{PERIOD}").json()
    rows = {r["group"]: r for r in district["help_that_helps"]}
    assert rows["BU99110102"]["suppressed"] and rows["BU99110102"]["n"] is None
    hidden = [g for g, r in rows.items() if r["suppressed"]]
    assert len(hidden) >= 2, "one hidden cell with its total shown would give it away"
    # Oude Haven asked on its own is hidden too: the district's 23 minus its 20 would
    # give Nieuwe Haven's 3 (suppressed over the areas as one system).
    alone = c.get(f"/insight/kpis?area=BU99110101&{PERIOD}").json()
    assert alone["help_that_helps"][0]["suppressed"] is True
    assert alone["help_that_helps"][0]["n"] is None


def test_a_threshold_raised_by_the_analyst_holds_in_the_api(iw, insight_dir, api_client_for):
    from jeugdketen.insight import actions
    from tests import factories as f

    publish(insight_dir, figures_store)
    actions.set_publication(f.professional_actor(iw.analyst), "GM9911", threshold=30,
                            follow_up_days=182)
    body = api_client_for(iw.coordinator).get(f"/insight/kpis?area=BU99110101&{PERIOD}").json()
    assert body["threshold"] == 30
    assert body["help_that_helps"][0]["suppressed"] is True  # 20 plans < 30
    assert 20 not in numbers_in(body["help_that_helps"])


def test_outcomes_per_provider_and_neighbourhood_with_their_funnels(iw, insight_dir,
                                                                  api_client_for):
    publish(insight_dir, figures_store)
    c = api_client_for(iw.analyst)
    body = c.get(f"/insight/outcomes?by=provider&area=GM9911&{PERIOD}").json()
    assert set(body["indicators"]) == {"dropout", "satisfied", "can_continue", "no_repeat",
                                       "goals_attained"}
    provider = body["indicators"]["satisfied"][1]
    assert (provider["group"], provider["label"], provider["n"]) == ("7", "Jeugdhulp Telstad",
                                                                     20)  # 23, rounded
    funnel = body["funnels"]["satisfied"]
    assert funnel["points"][0]["position"] == "within" and funnel["limits"]


@pytest.mark.parametrize("area", ["BU99120101", "WK991201", "GM9912", "BU99999999", "GM0000"])
@pytest.mark.parametrize("path", ENDPOINTS)
def test_another_municipalitys_area_answers_as_an_unknown_one(iw, insight_dir, api_client_for,
                                                            path, area):
    publish(insight_dir, figures_store)
    response = api_client_for(iw.analyst).get(q(path, f"area={area}&{PERIOD}"))
    assert response.status_code == 404
    body = response.json()
    assert body["type"] == "urn:jeugdketen:problem:unknown_area"
    assert body["errors"] == [{"field": "area", "rule": "unknown_area",
                               "message": "Dit gebied is niet bekend."}]
    text = response.content.decode()
    assert "Molenbuurt" not in text and "Andersdorp" not in text and "Zuid" not in text
    record = AccessLogRecord.objects.get(data="insight")
    assert (record.object_id, record.outcome) == (area, "denied")


def test_the_other_municipality_reads_its_own_and_nothing_of_ours(iw, insight_dir,
                                                                 api_client_for):
    publish(insight_dir, figures_store)
    c = api_client_for(iw.front_door_b)
    own = c.get(f"/insight/outcomes?by=neighbourhood&{PERIOD}").json()
    assert own["area"] == "GM9912" and own["indicators"]["satisfied"][0]["n"] == 20
    assert "Telstad" not in json.dumps(own) and "Haven" not in json.dumps(own)
    assert c.get(f"/insight/kpis?area=GM9911&{PERIOD}").status_code == 404


@pytest.mark.parametrize(("query", "field", "rule"), [
    ("area=xyz", "area", "area_code"),
    ("area=GM9911&from=2026-13-01", "from", "date_from_datetime_parsing"),
    ("area=GM9911&to=gisteren", "to", "date_from_datetime_parsing"),
    ("area=GM9911&to=2026-06-15", "to", "month_end"),
    ("area=GM9911&to=2099-12-31", "to", "month_ended"),
    ("area=GM9911&to=2020-12-31", "to", "before_data"),
    ("area=GM9911&from=2026-01-01&to=2026-11-30", "from", "twelve_months"),
    ("area=GM9911&from=2025-12-01&to=2026-11-30&x=1", None, None),
])
def test_bad_input_is_a_422_naming_the_field(iw, insight_dir, api_client_for, query, field,
                                             rule):
    publish(insight_dir, one_event)
    response = api_client_for(iw.analyst).get(f"/insight/kpis?{query}")
    if field is None:  # the one window that ends then: allowed
        assert response.status_code == 200, response.content
        return
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["rule"]) for e in errors] == [(field, rule)]


def test_a_bad_grouping_is_a_422_naming_by(iw, insight_dir, api_client_for):
    response = api_client_for(iw.analyst).get("/insight/outcomes?by=school")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["by"]


def test_an_empty_store_answers_without_figures_and_says_so(iw, insight_dir, api_client_for):
    body = api_client_for(iw.analyst).get("/insight/kpis").json()
    assert body["refreshed_at"] is None
    assert body["help_that_helps"][0]["n"] == 0
    assert body["area"] == "GM9911"


def test_the_waiting_lists_per_step_now_and_per_week(iw, insight_dir, api_client_for):
    from tests.insight import handmade

    def open_reports(con):
        from jeugdketen.insight import derive

        figures_store(con)
        for i in range(12):  # twelve reports received, not triaged
            handmade.add(con, "care_report.received", f"w{i}", "2026-11-02",
                         neighbourhood="BU99110101", reporter="family", urgency="regular")
        derive.derive_all(con)

    publish(insight_dir, open_reports)
    body = api_client_for(iw.front_door).get(
        "/insight/waiting?area=BU99110101&to=2026-11-30").json()
    now = {row["step"]: row for row in body["waiting"]["now"]}
    # twelve, shown rounded to the threshold (docs/insight.md, "Rounded flow counts")
    assert now["received"]["total"] == 10 and now["received"]["suppressed"] == [
        k for k in ("within", "past_norm", "past_3x", "no_norm")
        if now["received"][k] is None]
    assert body["waiting"]["weeks"], "a row per week of the period"
