"""The JSON API contract: every endpoint's happy path, RFC 9457 problem details for every
error (application/problem+json, type/title/status, errors[{field, rule, message}]),
bearer tokens, and never a 500 for bad input."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jeugdketen.access.actions import revoke_token
from jeugdketen.access.models import AccessLogRecord, ApiToken
from jeugdketen.registry.models import Household, Organisation, Person, Professional
from tests import factories as f
from tests.conftest import ApiClient, person_payload, token_for

PERSON_KEYS = {"id", "bsn", "system_id", "given_names", "family_name", "birth_date", "sex",
               "date_of_death", "postcode", "house_number", "house_letter",
               "house_number_addition", "neighbourhood_code", "neighbourhood_unknown",
               "brp_verified"}
REASON = "Acute zorgmelding, ouders niet bereikbaar"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:jeugdketen:problem:")
    assert isinstance(body["title"], str) and body["title"]
    return body


def errors(response, status: int = 422) -> dict[str, str]:
    """{field: rule} of a problem's errors; every error names field, rule and message."""
    body = problem(response, status)
    assert body["errors"], body
    for error in body["errors"]:
        assert set(error) >= {"field", "rule", "message"}
        assert error["field"] and error["rule"] and error["message"]
    return {e["field"]: e["rule"] for e in body["errors"]}


@pytest.fixture
def admin_api(api_client_for, platform_admin):
    return api_client_for(platform_admin)


@pytest.fixture
def registered(api_client) -> dict:
    response = api_client.post("/persons", person_payload(given_names="Lotte",
                                                          family_name="Zwartjes"))
    assert response.status_code == 201
    return response.json()


# --- authentication --------------------------------------------------------------------

PROTECTED = [
    ("get", "/municipalities", None),
    ("post", "/persons", {}),
    ("get", "/persons/00000000-0000-4000-8000-000000000000", None),
    ("get", "/persons/00000000-0000-4000-8000-000000000000/access-log", None),
    ("post", "/households", {"members": []}),
    ("post", "/organisations", {}),
    ("post", "/professionals", {}),
]


def call(client: ApiClient, method: str, path: str, body):
    return client.get(path) if method == "get" else client.post(path, body)


@pytest.mark.parametrize(("method", "path", "body"), PROTECTED)
def test_401_without_a_token(anonymous_api, method, path, body):
    response = call(anonymous_api, method, path, body)
    problem(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"
    assert AccessLogRecord.objects.count() == 0


@pytest.mark.parametrize("header", [
    "Bearer", "Bearer ", "Bearer nonsense", "Bearer jk_" + "x" * 43, "Token jk_abc",
    "Basic dXNlcjpwYXNz", "bearer",
])
def test_401_with_a_malformed_or_unknown_token(db, header):
    client = ApiClient(None, Authorization=header)
    problem(client.get("/municipalities"), 401)


def test_401_with_a_revoked_token(professional):
    raw = token_for(professional.user)
    client = ApiClient(raw)
    assert client.get("/municipalities").status_code == 200
    token = ApiToken.objects.get(user=professional.user)
    revoke_token(f.professional_actor(professional), token.pk)
    problem(client.get("/municipalities"), 401)
    problem(client.post("/persons", person_payload()), 401)
    assert Person.objects.count() == 0


def test_401_with_an_expired_token(api_client, professional):
    assert api_client.get("/municipalities").status_code == 200
    ApiToken.objects.filter(user=professional.user).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    problem(api_client.get("/municipalities"), 401)


def test_401_for_a_deactivated_account(api_client, professional):
    professional.user.is_active = False
    professional.user.save()
    problem(api_client.get("/municipalities"), 401)


def test_tokens_are_stored_hashed(api_client):
    token = ApiToken.objects.get()
    assert api_client.token not in (token.digest, token.prefix)
    assert api_client.token.startswith("jk_")
    assert token.expires_at > timezone.now() + timedelta(days=30)


# --- reference data and the contract itself --------------------------------------------


def test_municipalities_shape(api_client, neighbourhood, municipality):
    other = f.NeighbourhoodFactory(district=neighbourhood.district, code="BU99010100",
                                   name="Nieuwe Haven")
    f.MunicipalityFactory(code="GM9902", name="Leegdorp")
    f.MunicipalityFactory(code="GM9903", name="Opgeheven", ended_on="2026-01-01")
    response = api_client.get("/municipalities")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    # Every Dutch municipality is there from the start (issue 9); one that ended is not.
    assert len(response.json()) == 342 + 2
    assert {"code": "GM0363", "name": "Amsterdam", "neighbourhoods": []} in response.json()
    assert [m for m in response.json() if m["code"].startswith("GM99")] == [
        {"code": "GM9902", "name": "Leegdorp", "neighbourhoods": []},
        {"code": "GM9901", "name": "Testdam", "neighbourhoods": [
            {"code": other.code, "name": "Nieuwe Haven"},
            {"code": neighbourhood.code, "name": "Oude Haven"},
        ]},
    ]


def test_neighbourhood_lookup_is_public(anonymous_api, neighbourhood):
    response = anonymous_api.get(f"/neighbourhoods/{neighbourhood.code}")
    assert response.status_code == 200
    assert response.json() == {"code": neighbourhood.code, "name": neighbourhood.name}
    problem(anonymous_api.get("/neighbourhoods/BU00000000"), 404)


def test_openapi_is_served(anonymous_api):
    response = anonymous_api.get("/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    paths = set(spec["paths"])
    for path in ("/api/v1/persons", "/api/v1/persons/{person_id}", "/api/v1/households",
                 "/api/v1/organisations", "/api/v1/professionals", "/api/v1/municipalities",
                 "/api/v1/persons/{person_id}/access-log"):
        assert path in paths
    schemas = json.dumps(spec["components"])
    for value in ("youth_health_care", "certified_institution", "privacy_officer", "carer"):
        assert value in schemas
    assert anonymous_api.get("/docs").status_code == 200


# --- organisations ---------------------------------------------------------------------


def org_payload(**kw):
    return {"name": "Basisschool De Regenboog", "kind": "school",
            "municipality_code": "GM9901", "may_signal": True, "may_coordinate": False} | kw


@pytest.mark.parametrize("role", ["platform_admin", "functional_admin"])
def test_administrators_create_organisations(api_client_for, make_professional, municipality,
                                             role):
    response = api_client_for(make_professional(role)).post("/organisations", org_payload())
    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "name": "Basisschool De Regenboog", "kind": "school",
                    "municipality_code": "GM9901", "may_signal": True, "may_coordinate": False}
    assert Organisation.objects.filter(pk=body["id"], kind="school").exists()


@pytest.mark.parametrize("role", ["professional", "coordinator", "privacy_officer",
                                  "municipal_analyst"])
def test_others_may_not_create_organisations(api_client_for, make_professional, municipality,
                                             role):
    client = api_client_for(make_professional(role))
    before = Organisation.objects.count()
    problem(client.post("/organisations", org_payload()), 403)
    assert Organisation.objects.count() == before


@pytest.mark.parametrize(("payload", "expected"), [
    (org_payload(kind="hospital"), {"kind": "literal_error"}),
    (org_payload(kind="School"), {"kind": "literal_error"}),
    (org_payload(municipality_code="0363"), {"municipality_code": "municipality_code_format"}),
    (org_payload(municipality_code="GM0000"), {"municipality_code": "unknown_municipality"}),
    (org_payload(name=""), {"name": "string_too_short"}),
    (org_payload(may_signal="perhaps"), {"may_signal": "bool_parsing"}),
    ({"name": "X"}, {"kind": "missing", "municipality_code": "missing"}),
])
def test_organisation_errors(admin_api, municipality, payload, expected):
    assert errors(admin_api.post("/organisations", payload)) == expected


def test_organisation_name_is_unique_per_municipality(admin_api, municipality):
    assert admin_api.post("/organisations", org_payload()).status_code == 201
    assert errors(admin_api.post("/organisations", org_payload())) == {"name": "unique"}


# --- professionals ---------------------------------------------------------------------


def prof_payload(organisation, **kw):
    return {"organisation_id": organisation.pk, "username": "j.dekker",
            "full_name": "Jan Dekker", "email": "j.dekker@example.test",
            "phone": "0612345678", "roles": ["professional"]} | kw


def test_administrators_create_professionals_with_a_working_token(admin_api, organisation,
                                                                  postcode_address):
    response = admin_api.post("/professionals", prof_payload(organisation))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "organisation_id", "username", "full_name", "email", "phone",
                         "roles", "api_token"}
    assert (body["username"], body["roles"], body["organisation_id"]) == (
        "j.dekker", ["professional"], organisation.pk)
    prof = Professional.objects.get(pk=body["id"])
    assert prof.user.username == "j.dekker" and not prof.user.has_usable_password()
    # The token shown once works for the new professional.
    new = ApiClient(body["api_token"])
    created = new.post("/persons", person_payload())
    assert created.status_code == 201
    assert new.get(f"/persons/{created.json()['id']}").status_code == 200
    rec = AccessLogRecord.objects.filter(client_id=created.json()["id"]).first()
    assert rec.username == "j.dekker"


@pytest.mark.parametrize("role", ["professional", "coordinator", "privacy_officer",
                                  "municipal_analyst"])
def test_others_may_not_create_professionals(api_client_for, make_professional, organisation,
                                             role):
    client = api_client_for(make_professional(role))
    before = Professional.objects.count()
    response = client.post("/professionals",
                           prof_payload(organisation, roles=["platform_admin"]))
    body = problem(response, 403)
    assert "api_token" not in body
    assert Professional.objects.count() == before


@pytest.mark.parametrize(("change", "expected"), [
    ({"roles": ["admin"]}, {"roles[0]": "literal_error"}),
    ({"roles": ["professional", "boss"]}, {"roles[1]": "literal_error"}),
    ({"roles": []}, {"roles": "too_short"}),
    ({"roles": "professional"}, {"roles": "list_type"}),
    ({"email": "not-an-email"}, {"email": "email"}),
    ({"organisation_id": 999999}, {"organisation_id": "unknown_organisation"}),
    ({"username": ""}, {"username": "string_too_short"}),
])
def test_professional_errors(admin_api, organisation, change, expected):
    assert errors(admin_api.post("/professionals", prof_payload(organisation, **change))) == \
        expected


def test_professional_username_is_unique(admin_api, organisation):
    assert admin_api.post("/professionals", prof_payload(organisation)).status_code == 201
    assert errors(admin_api.post("/professionals", prof_payload(organisation))) == {
        "username": "unique"}


# --- persons ---------------------------------------------------------------------------


def test_register_and_read_a_person(api_client, postcode_address, professional):
    payload = person_payload()
    response = api_client.post("/persons", payload)
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/json")
    created = response.json()
    assert set(created) == PERSON_KEYS
    assert created["bsn"] == payload["bsn"] and created["system_id"] is None
    assert created["neighbourhood_code"] == postcode_address.neighbourhood_id

    got = api_client.get(f"/persons/{created['id']}")
    assert got.status_code == 200
    assert got.json() == created

    rec = AccessLogRecord.objects.filter(client_id=created["id"], action="read").get()
    token = ApiToken.objects.get(user=professional.user)
    assert (rec.channel, rec.token_id, rec.ip) == ("api-token", token.pk, "127.0.0.1")


def test_register_a_person_without_bsn(api_client):
    payload = person_payload()
    del payload["bsn"]
    body = api_client.post("/persons", payload).json()
    assert body["bsn"] is None and body["system_id"].startswith("JK")


@pytest.mark.parametrize(("change", "expected"), [
    ({"sex": "F"}, {"sex": "literal_error"}),
    ({"sex": "m"}, {"sex": "literal_error"}),
    ({"birth_date": "09-03-2014"}, {"birth_date": "date_from_datetime_parsing"}),
    ({"birth_date": "2999-01-01"}, {"birth_date": "not_in_future"}),
    ({"bsn": "999900019"}, {"bsn": "elfproef"}),
    ({"bsn": "1234"}, {"bsn": "bsn_format"}),
    ({"postcode": "1234 SS"}, {"postcode": "postcode_format"}),
    ({"house_number": None}, {"house_number": "required_with_postcode"}),
    ({"house_number": 0}, {"house_number": "house_number_range"}),
    ({"house_number": "twaalf"}, {"house_number": "int_parsing"}),
    ({"given_names": ""}, {"given_names": "string_too_short"}),
    ({"given_names": "   "}, {"given_names": "required"}),
])
def test_person_errors_name_the_field_and_rule(api_client, change, expected):
    assert errors(api_client.post("/persons", person_payload(**change))) == expected
    assert Person.objects.count() == 0


@pytest.mark.parametrize("role", ["privacy_officer", "municipal_analyst", "functional_admin",
                                  "platform_admin"])
def test_only_care_roles_register_persons(api_client_for, make_professional, role):
    problem(api_client_for(make_professional(role)).post("/persons", person_payload()), 403)
    assert Person.objects.count() == 0


def test_403_without_ground_reveals_no_personal_data(api_client_for, registered,
                                                     other_professional):
    stranger = api_client_for(other_professional)
    response = stranger.get(f"/persons/{registered['id']}")
    body = problem(response, 403)
    text = response.content.decode()
    for secret in ("Lotte", "Zwartjes", registered["bsn"], registered["birth_date"],
                   "9901AB", "postcode", "given_names"):
        assert secret not in text
    assert set(body) <= {"type", "title", "status", "detail", "instance"}
    # Unknown ids look exactly the same as forbidden ones.
    unknown = stranger.get("/persons/00000000-0000-4000-8000-000000000000").json()
    malformed = stranger.get("/persons/not-an-id").json()
    for other in (unknown, malformed):
        assert {k: v for k, v in other.items() if k != "instance"} == {
            k: v for k, v in body.items() if k != "instance"}
    assert AccessLogRecord.objects.filter(outcome="denied", client_id=registered["id"]).exists()


def test_break_the_glass_through_the_api(api_client_for, registered, other_professional):
    stranger = api_client_for(other_professional)
    path = f"/persons/{registered['id']}"
    problem(stranger.get(path, headers={"Jeugdketen-Emergency-Reason": "spoed"}), 403)
    problem(stranger.get(path, headers={"Jeugdketen-Emergency-Reason": " " * 40}), 403)
    response = stranger.get(path, headers={"Jeugdketen-Emergency-Reason": f"  {REASON}  "})
    assert response.status_code == 200 and response.json()["given_names"] == "Lotte"
    rec = AccessLogRecord.objects.get(client_id=registered["id"], emergency=True)
    assert (rec.ground, rec.reason, rec.outcome) == ("emergency", REASON, "allowed")


# --- households ------------------------------------------------------------------------


def test_register_a_household(api_client, registered):
    from tests.brp import in_brp

    kid_payload = person_payload(given_names="Pim", birth_date="2019-01-01")
    in_brp(bsn=kid_payload["bsn"], given_names="Pim", family_name=kid_payload["family_name"],
           birth_date="2019-01-01", sex="V", postcode="9901AB", house_number=12,
           parents=[registered["bsn"]], custody=[registered["bsn"]])
    kid = api_client.post("/persons", kid_payload).json()
    response = api_client.post("/households", {"members": [
        {"person_id": registered["id"], "relation": "parent"},
        {"person_id": kid["id"], "relation": "child"}]})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "members"}
    assert sorted(body["members"], key=lambda m: m["relation"]) == [
        {"person_id": kid["id"], "relation": "child"},
        {"person_id": registered["id"], "relation": "parent"}]
    assert Household.objects.filter(pk=body["id"]).exists()


@pytest.mark.parametrize(("members", "expected"), [
    ([{"person_id": "REG", "relation": "aunt"}], {"members[0].relation": "literal_error"}),
    ([{"person_id": "REG", "relation": "Parent"}], {"members[0].relation": "literal_error"}),
    ([{"person_id": "not-a-uuid", "relation": "child"}], {"members[0].person_id": "uuid_parsing"}),
    ([], {"members": "too_short"}),
    ("everyone", {"members": "list_type"}),
    ([{"person_id": "REG"}] * 21, {"members": "too_long"}),
])
def test_household_errors(api_client, registered, members, expected):
    if isinstance(members, list):
        members = [{k: registered["id"] if v == "REG" else v for k, v in m.items()}
                   for m in members]
    assert errors(api_client.post("/households", {"members": members})) == expected
    assert Household.objects.count() == 0


def test_household_with_an_unregistered_member_is_403(api_client, registered):
    stranger = f.PersonFactory()
    response = api_client.post("/households", {"members": [
        {"person_id": registered["id"], "relation": "parent"},
        {"person_id": str(stranger.pk), "relation": "child"}]})
    problem(response, 403)
    assert stranger.given_names not in response.content.decode()
    assert Household.objects.count() == 0


# --- access log ------------------------------------------------------------------------


def test_the_privacy_officer_reads_a_persons_access_log(api_client_for, registered,
                                                        privacy_officer):
    officer = api_client_for(privacy_officer)
    response = officer.get(f"/persons/{registered['id']}/access-log")
    assert response.status_code == 200
    records = response.json()
    assert {r["action"] for r in records} >= {"create", "read"}
    assert set(records[0]) == {"id", "at", "user", "on_behalf_of", "role", "organisation",
                               "channel", "ip", "action", "data", "object_id", "ground",
                               "emergency", "outcome"}
    assert records[0]["data"] == "access_log" and records[0]["ground"] == "privacy_supervision"
    empty = officer.get(f"/persons/{registered['id']}/access-log?start=2000-01-01&end=2000-12-31")
    assert empty.json() == []
    assert errors(officer.get(f"/persons/{registered['id']}/access-log?start=gisteren")) == {
        "start": "date_from_datetime_parsing"}


def test_others_may_not_read_the_access_log(api_client, registered):
    response = api_client.get(f"/persons/{registered['id']}/access-log")
    problem(response, 403)
    assert "Lotte" not in response.content.decode()


# --- never a 500 -----------------------------------------------------------------------

POST_ENDPOINTS = ["/persons", "/households", "/organisations", "/professionals"]
BAD_BODIES = [b"{", b"", b"[]", b"null", b"42", b'"text"', b"\xff\xfe\x00", b'{"a": }',
              b"[" * 5000, b'{"members": [{"person_id": null}]}', b'{"bsn": {"x": 1}}',
              b'{"house_number": 1e400}', b'{"birth_date": "2020-02-30"}']


@pytest.mark.parametrize("path", POST_ENDPOINTS)
@pytest.mark.parametrize("raw", BAD_BODIES, ids=lambda b: repr(b[:20]))
def test_malformed_bodies_are_client_errors_never_500(admin_api, path, raw):
    response = admin_api.post(path, raw=raw)
    assert response.status_code in (400, 422), response.content
    problem(response, response.status_code)


def test_a_non_json_content_type_is_a_client_error(api_client):
    response = api_client.post("/persons", raw=b"bsn=1", content_type="text/plain")
    assert 400 <= response.status_code < 500
    problem(response, response.status_code)


NUL = "a\x00b"


@pytest.mark.parametrize(("path", "field", "payload"), [
    ("/persons", "given_names", lambda org: person_payload(given_names=NUL)),
    ("/persons", "family_name", lambda org: person_payload(family_name=NUL)),
    ("/organisations", "name", lambda org: org_payload(name=NUL)),
    ("/professionals", "full_name", lambda org: prof_payload(org, full_name=NUL)),
    ("/professionals", "username", lambda org: prof_payload(org, username=NUL)),
    ("/professionals", "phone", lambda org: prof_payload(org, phone=NUL)),
])
def test_nul_characters_are_refused_not_a_500(admin_api, api_client, organisation, path,
                                              field, payload):
    client = api_client if path == "/persons" else admin_api
    response = client.post(path, payload(organisation))
    assert errors(response) == {field: "null_characters_not_allowed"}


@pytest.mark.parametrize("header", ["User-Agent", "Jeugdketen-Emergency-Reason"])
def test_odd_request_metadata_is_logged_not_a_500(api_client, registered, other_professional,
                                                  api_client_for, header):
    stranger = api_client_for(other_professional)
    value = "Mozilla\x00" + "é" * 400
    response = stranger.get(f"/persons/{registered['id']}", headers={header: value})
    assert response.status_code in (200, 403)
    assert AccessLogRecord.objects.filter(username=other_professional.user.username).exists()


@pytest.mark.parametrize("person_id", ["%00abc", "x" * 300, "%F0%9F%98%80", "%2E%2E"])
def test_odd_ids_are_403_not_500(api_client, person_id):
    problem(api_client.get(f"/persons/{person_id}"), 403)
    problem(api_client.get(f"/persons/{person_id}/access-log"), 403)


def test_a_denied_professional_with_every_role_is_logged_not_a_500(api_client_for,
                                                                    make_professional,
                                                                    registered):
    everything = make_professional("coordinator", "functional_admin", "municipal_analyst",
                                   "privacy_officer", "platform_admin")
    response = api_client_for(everything).get(f"/persons/{registered['id']}")
    problem(response, 403)
    rec = AccessLogRecord.objects.get(client_id=registered["id"], outcome="denied")
    assert rec.role.startswith("coordinator")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)
person_fields = st.fixed_dictionaries({}, optional={
    "bsn": st.sampled_from(f.SYNTHETIC_BSNS[:50]) | json_values,
    "given_names": st.text(max_size=30) | json_values,
    "family_name": st.text(max_size=30),
    "birth_date": st.dates().map(str) | json_values,
    "sex": st.sampled_from(["M", "V", "O", "X"]) | json_values,
    "postcode": st.sampled_from(["9901AB", "9999ZZ", "0000AA"]) | st.text(max_size=8),
    "house_number": st.integers(-5, 10**6) | json_values,
})


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=person_fields)
def test_fuzzed_person_bodies_never_give_a_500(api_client, body):
    response = api_client.post("/persons", body)
    assert response.status_code in (201, 400, 422), response.content
    if response.status_code == 422:
        errors(response)
    elif response.status_code == 400:
        problem(response, 400)
