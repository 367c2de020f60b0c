"""schemathesis against the live OpenAPI document (/api/v1/openapi.json) of the WSGI app,
as an ordinary professional and as a platform administrator, with data that fits the
schema and data that does not. Every operation gets a bounded number of examples (the
whole run stays well under a minute). Asserted for every answer:

- no server error: nothing 5xx except the deliberate 503 "busy, try again";
- every error (4xx, 5xx) is problem details (application/problem+json with type, title
  and the status);
- the answer conforms to the document: a documented status, the documented content type,
  and a body that matches the documented schema.

Server errors it found are fixed, each with its own regression test (see the tests named
in the fixes' commits).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories as f
from tests.brp import in_brp
from tests.conftest import token_for

EXAMPLES = int(os.environ.get("JEUGDKETEN_FUZZ_EXAMPLES", "10"))
CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]


def problems_in(case: Any, response: Any) -> list[str]:
    status = response.status_code
    found = []
    if status >= 500 and status != 503:
        found.append(f"server error {status}: {response.text[:300]}")
    if status >= 400:
        headers = {k.lower(): v for k, v in response.headers.items()}
        content_type = headers.get("content-type", [""])
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        if not content_type.startswith("application/problem+json"):
            found.append(f"{status} is {content_type!r}, not problem details")
        else:
            body = json.loads(response.text)
            if body.get("status") != status or not body.get("type") or not body.get("title"):
                found.append(f"{status}: incomplete problem {body}")
    try:
        case.validate_response(response, checks=CHECKS)
    except (Exception, BaseExceptionGroup) as exc:  # schemathesis: a group of failures
        found.append(f"{type(exc).__name__}: {str(exc)[:500]}")
    return found


@dataclass
class World:
    """Tokens per role, and real ids to put in paths now and then (so that a generated case
    reaches past "no ground" into the endpoints' own checks)."""

    tokens: dict[str, str]
    ids: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def in_test_transaction():
    """schemathesis calls the WSGI handler directly, which closes the database connection
    after each request (close_old_connections); inside the test's transaction that would
    end it. Django's own test client disconnects the same signals."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, in_test_transaction, municipality, postcode_address) -> World:
    from jeugdketen.plans import actions as plans
    from jeugdketen.referral_index import actions as referral
    from jeugdketen.registry import actions as registry

    org = f.OrganisationFactory(municipality=municipality, may_signal=True, may_coordinate=True)
    professional = f.ProfessionalFactory(organisation=org, roles=["professional"])
    admin = f.ProfessionalFactory(organisation=org, roles=["platform_admin"])
    actor = f.professional_actor(professional)
    parent_bsn, child_bsn = f.synthetic_bsn(), f.synthetic_bsn()
    people = (("Ouder", date(1985, 1, 1), parent_bsn), ("Kind", f.birth_date_for_age(9), child_bsn))
    for name, born, bsn in people:
        in_brp(bsn=bsn, given_names=name, family_name="Fuzz", birth_date=born, sex="V",
               postcode="9901AB", house_number=12,
               **({"parents": [parent_bsn], "custody": [parent_bsn]} if bsn == child_bsn else {}))
    persons = [registry.register_person(actor, registry.PersonInput(
        bsn=bsn, given_names=name, family_name="Fuzz", birth_date=born, sex="V")).person
        for name, born, bsn in people]
    household = registry.register_household(actor, [
        registry.MemberInput(persons[0].pk), registry.MemberInput(persons[1].pk)])
    ids: dict[str, Any] = {"person_id": persons[1].pk, "code": municipality.code,
                           "slug": "meldcode", "number": 1}
    ids["signal_id"] = referral.register_signal(actor, persons[1].pk).signal.pk
    plan = plans.start_plan(actor, household.pk, professional.pk,
                            consent_given_by=[persons[0].pk])
    ids["plan_id"] = plan.pk
    ids["action_id"] = plans.add_action(
        actor, plan.pk, description="Huisbezoek", organisation_id=org.pk,
        due_on=timezone.localdate(), performer_professional_id=professional.pk).pk
    return World({"professional": token_for(professional.user),
                  "platform_admin": token_for(admin.user)}, ids)


def fuzz(operation: Any, mode: GenerationMode, token: str, ids: dict[str, Any], label: str,
         failures: dict[str, list[str]], calls: list[int]) -> None:
    """Run the operation's generated cases; record what is wrong in `failures` and every
    answer's status in `calls`."""
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode), real=st.booleans())
    def run(case: Any, real: bool) -> None:
        if real and mode is GenerationMode.POSITIVE and case.path_parameters:
            for name in case.path_parameters:
                if name in ids:
                    case.path_parameters[name] = str(ids[name])
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        calls.append(response.status_code)
        for problem in problems_in(case, response):
            failures.setdefault(label, []).append(
                f"{problem}\n    {case.method} {case.formatted_path} "
                f"query={case.query} body={str(case.body)[:200]}")

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid (an operation without input)
        assert mode is GenerationMode.NEGATIVE, label


def test_schemathesis_finds_no_server_error_and_only_problem_details(world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    failures: dict[str, list[str]] = {}
    calls: list[int] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for role, token in world.tokens.items():
            # Invalid data is refused before any role matters: once is enough.
            modes = [GenerationMode.POSITIVE] + (
                [GenerationMode.NEGATIVE] if role == "professional" else [])
            for mode in modes:
                fuzz(operation, mode, token, world.ids,
                     f"{operation.label} as {role} ({mode.value})", failures, calls)
    report = "\n".join(f"{label}:\n  " + "\n  ".join(items[:3])
                       for label, items in failures.items())
    assert not failures, f"{len(failures)} operations failed ({len(calls)} calls):\n{report}"
    assert len(calls) > 400
    # The real ids get cases past "no ground" into the endpoints' own rules and happy paths.
    assert {200, 201, 403, 422} <= set(calls), sorted(set(calls))
    print(f"{len(calls)} calls:", {s: calls.count(s) for s in sorted(set(calls))}, world.ids)


def test_the_checks_notice_a_server_error(world, monkeypatch):
    """The harness itself: a broken endpoint is reported (so 0 failures above means 0)."""
    from jeugdketen.registry import api as registry_api

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("kapot")

    monkeypatch.setattr(registry_api.Municipality.objects, "prefetch_related", broken)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operation = schema["/api/v1/municipalities"]["GET"]
    failures: dict[str, list[str]] = {}
    fuzz(operation, GenerationMode.POSITIVE, world.tokens["professional"], {}, "municipalities",
         failures, [])
    assert "server error 500" in failures["municipalities"][0]
