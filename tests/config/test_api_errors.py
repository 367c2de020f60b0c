"""Issue 9's API consistency and issue 8's findings 7 and 10 (limits, caching):

- every error under /api/v1/ is application/problem+json: an unknown path (404), a wrong
  method (405), a body over the limit (413), a server error (500);
- the OpenAPI document lists each operation's error answers with a problem schema;
- bodies over JEUGDKETEN_MAX_BODY_BYTES get 413 naming the limit (also the 2.6 MB body that
  gave a 500 before), before any view reads them; a list one over its bound is a 422
  naming the field and the rule, before any transaction;
- no API answer and no web page with personal data may be cached (Cache-Control: no-store).
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jeugdketen.config import errors as error_answers
from jeugdketen.registry.models import Household, Person
from tests.conftest import API, person_payload

UUID0 = "00000000-0000-4000-8000-000000000000"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:jeugdketen:problem:")
    assert body["title"]
    return body


# --- every error is problem details ------------------------------------------------------


@pytest.mark.parametrize("path", ["/bestaat-niet", f"/plans/{UUID0}/onbekend",
                                  f"/persons/{UUID0}/access-log/1", "/"])
def test_an_unknown_path_is_a_problem(api_client, anonymous_api, path):
    for client in (api_client, anonymous_api):
        body = problem(client.get(path), 404)
        assert body["instance"] == API + path


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("delete", "/persons", "POST"), ("get", "/households", "POST"),
    ("put", f"/persons/{UUID0}", "GET"), ("post", "/municipalities", "GET"),
])
def test_a_wrong_method_is_a_problem(api_client, method, path, allowed):
    client = api_client.client
    response = getattr(client, method)(API + path, headers=api_client._headers(None))
    body = problem(response, 405)
    assert allowed in response["Allow"]
    assert method.upper() in body["detail"]


def test_a_server_error_in_an_endpoint_is_a_problem(api_client, monkeypatch):
    from jeugdketen.registry import api as registry_api

    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(registry_api.actions, "register_person", broken)
    body = problem(api_client.post("/persons", person_payload()), 500)
    assert "kapot" not in json.dumps(body)


def test_a_server_error_outside_the_endpoints_is_a_problem(api_client, monkeypatch):
    """An error raised in middleware (not in ninja) reaches handler500."""
    from jeugdketen.web import middleware

    def broken(request):
        raise RuntimeError("kapot")

    monkeypatch.setattr(middleware, "dutch_unless_chosen", broken)
    api_client.client.raise_request_exception = False
    problem(api_client.get("/municipalities"), 500)
    page = Client(raise_request_exception=False).get("/login")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


# --- body size ----------------------------------------------------------------------------


def padded(payload: dict, size: int) -> bytes:
    """The JSON of payload, padded with spaces to exactly `size` bytes."""
    raw = json.dumps(payload).encode()
    assert len(raw) <= size
    return raw + b" " * (size - len(raw))


def test_a_body_just_under_or_at_the_limit_is_read(api_client, postcode_address, settings):
    settings.MAX_BODY_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    response = api_client.post("/persons", raw=padded(person_payload(), 4096))
    assert response.status_code == 201, response.content


def test_a_body_one_byte_over_the_limit_is_413_naming_the_limit(api_client, postcode_address,
                                                                settings):
    settings.MAX_BODY_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    before = Person.objects.count()
    body = problem(api_client.post("/persons", raw=padded(person_payload(), 4097)), 413)
    assert body["type"] == "urn:jeugdketen:problem:body_too_large"
    assert body["max_body_bytes"] == 4096 and "4096 bytes" in body["detail"]
    assert Person.objects.count() == before


def test_a_body_of_2_6_megabytes_is_413_not_500(api_client, anonymous_api):
    """Finding 10: Django's RequestDataTooBig used to surface as a 500."""
    raw = padded({"members": []}, 2_600_000)
    problem(api_client.post("/households", raw=raw), 413)
    problem(anonymous_api.post("/households", raw=raw), 413)


def test_the_default_limit_is_one_mebibyte(settings):
    assert settings.MAX_BODY_BYTES == 1024 * 1024 == settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_an_oversized_request_body_is_refused_even_if_the_view_reads_it(api_client, settings):
    """If a body over the limit reached ninja anyway (Django's own limit), it is 413 too."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    settings.MAX_BODY_BYTES = 10_000
    problem(api_client.post("/persons", raw=padded(person_payload(), 500)), 413)


def test_a_web_form_over_the_limit_gets_a_readable_page(settings, professional):
    settings.REQUIRE_2FA = False
    settings.MAX_BODY_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    client = Client()
    client.force_login(professional.user)
    response = client.post("/personen/nieuw/", {"given_names": "x" * 5000})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "Te veel gegevens in één keer" in text and "4,0" in text  # 4.0 KB, in Dutch
    assert "no-store" in response["Cache-Control"]


# --- list bounds --------------------------------------------------------------------------


def many(n: int, item):
    return [item(i) for i in range(n)]


def uuid(i: int) -> str:
    return f"00000000-0000-4000-8000-{i:012d}"


SCORE = {"goal_id": 1, "score": 0}
BOUNDS = [
    # (path, body, field, bound): body(n) has n items in the field
    ("/households", lambda n: {"members": many(n, lambda i: {"person_id": uuid(i),
                                                                "relation": "child"})},
     "members", 20),
    ("/professionals", lambda n: {"organisation_id": 1, "username": "a", "full_name": "a",
                                  "email": "a@example.test",
                                  "roles": ["professional"] * n}, "roles", 6),
    ("/consents", lambda n: {"person_id": UUID0, "organisation_id": 1,
                             "given_by_person_ids": many(n, uuid), "categories": ["plan"]},
     "given_by_person_ids", 20),
    ("/consents", lambda n: {"person_id": UUID0, "organisation_id": 1,
                             "given_by_person_ids": [UUID0], "categories": ["plan"] * n},
     "categories", 5),
    (f"/plans/{UUID0}/goals", lambda n: {
        "title": "t", "person_ids": many(n, uuid),
        "levels": dict.fromkeys(("-2", "-1", "0", "1", "2"), "x")}, "person_ids", 20),
    (f"/plans/{UUID0}/evaluations", lambda n: {"date": "2026-01-01",
                                               "scores": [SCORE] * n}, "scores", 100),
    (f"/plans/{UUID0}/close", lambda n: {"reason_code": "01",
                                         "can_continue_without_help": True,
                                         "final_scores": [SCORE] * n}, "final_scores", 100),
    (f"/plans/{UUID0}/analyses", lambda n: {"made_on": "2026-01-01", "scores": [
        {"person_id": UUID0, "domain": "housing"}] * n}, "scores", 400),
    (f"/plans/{UUID0}/analyses", lambda n: {"made_on": "2026-01-01", "scores": [], "stress": [
        {"person_id": UUID0, "level": "toxic"}] * n}, "stress", 20),
    ("/guides/meldcode/sessions", lambda n: {"answers": {f"q{i}": "yes" for i in range(n)}},
     "answers", 200),
]


@pytest.mark.parametrize(("path", "body", "field", "bound"), BOUNDS,
                         ids=[f"{b[0]}:{b[2]}" for b in BOUNDS])
def test_a_list_one_over_its_bound_is_422_naming_field_and_rule(api_client, path, body, field,
                                                                bound):
    response = api_client.post(path, body(bound + 1))
    found = {e["field"]: e for e in problem(response, 422)["errors"]}
    assert found[field]["rule"] == "too_long", found
    assert str(bound) in found[field]["message"]
    # At the bound itself the schema has nothing to say about this field.
    response = api_client.post(path, body(bound))
    if response.status_code == 422:
        assert field not in {e["field"] for e in response.json()["errors"]}


def test_33000_household_members_are_refused_before_any_transaction(
        api_client, django_assert_max_num_queries):
    """Finding 7: 33,000 members held SQLite's write lock for 24 s. Now the schema refuses
    them before the endpoint runs: only the token lookup touches the database."""
    raw = json.dumps({"members": many(33_000, lambda i: {"person_id": uuid(i),
                                                         "relation": "child"})})
    assert len(raw) < 2_600_000
    with django_assert_max_num_queries(1):
        response = api_client.post("/households", raw=raw)
    if response.status_code == 413:  # over the default 1 MiB: refused unread
        problem(response, 413)
    else:
        assert {e["field"]: e["rule"] for e in problem(response, 422)["errors"]}["members"] \
            == "too_long"
    assert Household.objects.count() == 0


def test_33000_members_under_a_larger_body_limit_still_never_reach_a_transaction(
        api_client, settings, django_assert_max_num_queries):
    settings.MAX_BODY_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
    raw = json.dumps({"members": many(33_000, lambda i: {"person_id": uuid(i),
                                                         "relation": "child"})})
    with django_assert_max_num_queries(1):
        response = api_client.post("/households", raw=raw)
    errors = {e["field"]: e["rule"] for e in problem(response, 422)["errors"]}
    assert errors == {"members": "too_long"}


# --- the database is busy -----------------------------------------------------------------


class FakePgError(Exception):
    def __init__(self, sqlstate: str):
        self.sqlstate = sqlstate


@pytest.mark.parametrize(("message", "sqlstate", "busy"), [
    ("database is locked", None, True),
    ("database table is locked: access_logshard", None, True),
    ("canceling statement due to lock timeout", "55P03", True),
    ("could not serialize access due to concurrent update", "40001", True),
    ("deadlock detected", "40P01", True),
    ("no such table: registry_person", None, False),
    ("server closed the connection unexpectedly", "08006", False),
])
def test_which_database_errors_mean_busy(message, sqlstate, busy):
    from django.db import OperationalError

    exc = OperationalError(message)
    if sqlstate:
        exc.__cause__ = FakePgError(sqlstate)
    assert error_answers.database_busy(exc) is busy
    assert error_answers.database_busy(RuntimeError("database is locked")) is False


def test_a_busy_database_in_an_endpoint_is_503_with_retry_after(api_client, monkeypatch):
    from django.db import OperationalError

    from jeugdketen.registry import api as registry_api

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(registry_api.actions, "register_person", locked)
    response = api_client.post("/persons", person_payload())
    body = problem(response, 503)
    assert body["type"] == "urn:jeugdketen:problem:database_busy"
    assert int(response["Retry-After"]) > 0


def test_other_database_errors_stay_500(api_client, monkeypatch):
    from django.db import OperationalError

    from jeugdketen.registry import api as registry_api

    def gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(registry_api.actions, "register_person", gone)
    problem(api_client.post("/persons", person_payload()), 500)


# --- caching ------------------------------------------------------------------------------


def test_every_api_answer_says_no_store(api_client, anonymous_api, postcode_address):
    created = api_client.post("/persons", person_payload())
    answers = [
        created, api_client.get(f"/persons/{created.json()['id']}"),
        api_client.get("/municipalities"), api_client.get("/signals"),
        api_client.get("/openapi.json"), anonymous_api.get("/municipalities"),
        api_client.post("/persons", {}), api_client.get(f"/persons/{UUID0}"),
    ]
    assert [r.status_code for r in answers] == [201, 200, 200, 200, 200, 401, 422, 403]
    for response in answers:
        assert "no-store" in response["Cache-Control"], response


# --- the OpenAPI document lists the error answers -----------------------------------------


def test_every_operation_lists_its_error_answers_as_problem_details(api_client):
    schema = api_client.get("/openapi.json").json()
    problem_schema = schema["components"]["schemas"]["Problem"]
    assert set(problem_schema["required"]) == {"type", "title", "status"}
    operations = [(method, path, op) for path, ops in schema["paths"].items()
                  for method, op in ops.items()]
    assert len(operations) >= 38
    for method, path, op in operations:
        responses = op["responses"]
        expected = {"500"}
        if op.get("security"):
            expected |= {"401", "403", "503"}
        if "requestBody" in op:
            expected |= {"400", "413", "422"}
        if method in ("post", "put", "patch", "delete"):
            expected |= {"413", "503"} | ({"409"} if op.get("security") else set())
        if any(p["in"] == "path" for p in op.get("parameters", [])):
            expected |= {"404", "422"}
        assert expected <= set(responses), (method, path, expected - set(responses))
        for status, response in responses.items():
            if int(status) >= 400:
                content = response["content"]
                assert list(content) == ["application/problem+json"], (method, path, status)
                assert content["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"}
    persons = schema["paths"]["/api/v1/persons"]["post"]["responses"]
    assert {"201", "400", "401", "403", "409", "413", "422", "503"} <= set(persons)
    assert "Retry-After" in persons["503"]["headers"]
    public = schema["paths"]["/api/v1/neighbourhoods/{code}"]["get"]["responses"]
    assert set(public) == {"200", "404", "422", "500"}


def test_a_busy_database_in_a_web_view_is_a_readable_503_page(professional, settings,
                                                              monkeypatch):
    from django.db import OperationalError

    from jeugdketen.access.views import tokens

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(tokens, "issue_token", locked)
    settings.REQUIRE_2FA = False
    for lang, words in (("nl", "Het is even te druk"), ("en", "It is busy right now")):
        client = Client()
        client.force_login(professional.user)
        client.cookies["django_language"] = lang
        response = client.post("/tokens/")
        assert response.status_code == 503
        assert response["Content-Type"].startswith("text/html")
        assert words in response.content.decode() and int(response["Retry-After"]) > 0
        assert "no-store" in response["Cache-Control"]
