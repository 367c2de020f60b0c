"""The family page is read in a number of queries that does not grow with the plan: a
household of 5 with 20 goals, 60 actions, 24 evaluations (each scoring every goal), 4
analyses and 500 access-log records is read in exactly as many queries as the same plan
doubled. Measured for plans.actions.read_plan (the coordinator and a team member on
consent), GET /api/v1/plans/{id}, and the rendered family page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.demo import bench_family as benchmark
from jeugdketen.plans import actions

pytestmark = pytest.mark.django_db


def queries(call: Any) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return len(captured), result


def logged_in(fx: benchmark.BenchFamily) -> Client:
    client = Client(HTTP_USER_AGENT="pytest-web")
    client.force_login(fx.coordinator.user)
    client.cookies["django_language"] = "nl"
    return client


def measure(fx: benchmark.BenchFamily, api_client_for: Any) -> dict[str, int]:
    counts = {}
    # Each read with fresh objects, as in a request (nothing cached on the actor).
    counts["read_plan"], page = queries(lambda: actions.read_plan(fx.actor(), fx.plan.pk))
    counts["read_plan_team_member"], team_page = queries(
        lambda: actions.read_plan(fx.actor(fx.teacher), fx.plan.pk))
    assert len(page.goals) == len(team_page.goals) == fx.plan.goals.count()
    assert team_page.evaluations is not None and team_page.analyses  # on consent
    api = api_client_for(fx.coordinator)
    counts["api"], response = queries(lambda: api.get(f"/plans/{fx.plan.pk}"))
    assert response.status_code == 200
    body = response.json()
    assert len(body["goals"]) == fx.plan.goals.count()
    assert len(body["actions"]) == fx.plan.actions.count()
    assert len(body["evaluations"]) == fx.plan.evaluations.count()
    # The family page (plans/views.py), rendered for the logged-in coordinator.
    client = logged_in(fx)
    url = reverse("plan", args=[fx.plan.pk])
    client.get(url)  # the session and the language are settled by the first request
    counts["page"], rendered = queries(lambda: client.get(url))
    assert rendered.status_code == 200
    assert rendered.content.count(b"Resultaat ") >= fx.plan.goals.count()
    return counts


def test_family_page_queries_do_not_grow_with_the_plan(municipality, api_client_for, settings):
    settings.REQUIRE_2FA = False  # the page, not the login, is measured
    settings.DEMO = False
    fx = benchmark.ensure(municipality_code=municipality.code)
    assert len(fx.members) == 5
    plan = fx.plan
    assert (plan.goals.count(), plan.actions.count(), plan.evaluations.count(),
            plan.analyses.count()) == (20, 60, 24, 4)
    assert all(e.scores.count() == 20 for e in plan.evaluations.all())
    assert AccessLogRecord.objects.filter(
        client_id__in=[str(m.pk) for m in fx.members], ground__in=["plan_coordinator", "consent"],
        object_type="base_data").count() >= 500
    assert benchmark.ensure(municipality_code=municipality.code).plan.pk == plan.pk  # idempotent
    before = measure(fx, api_client_for)

    benchmark.grow(fx, goals=20, plan_actions=60, evaluations=24, analyses=4)
    assert (plan.goals.count(), plan.actions.count(), plan.evaluations.count(),
            plan.analyses.count()) == (40, 120, 48, 8)
    after = measure(fx, api_client_for)

    assert after == before
    assert before["read_plan"] <= 30, before  # and the constant itself is small
