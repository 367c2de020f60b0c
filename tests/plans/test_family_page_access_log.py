"""The access-log records one view of the coordinator's family page writes, pinned field by
field and in order: a faster page (fewer writes, records written together) must log exactly
the same reads (NEN 7513). Per member of the household, in the household's order: the plan,
the evaluations, the consents (the coordinator sees those of this plan) and the analysis."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.demo import bench_family as benchmark
from jeugdketen.plans.selectors import members_of

pytestmark = pytest.mark.django_db

# Every field of a record but its place in the chain (id, shard, seq, hashes) and its time.
FIELDS = ("client_id", "user_id", "username", "on_behalf_of", "role", "organisation_id",
          "organisation_name", "ip", "user_agent", "channel", "token_id", "action",
          "object_type", "object_id", "data", "ground", "emergency", "reason", "outcome")


def test_a_view_of_the_family_page_logs_each_read_once_per_member(municipality, settings):
    settings.REQUIRE_2FA = False
    settings.DEMO = False
    fx = benchmark.ensure(municipality_code=municipality.code)
    client = Client(HTTP_USER_AGENT="pytest-web")
    client.force_login(fx.coordinator.user)
    client.cookies["django_language"] = "nl"
    url = reverse("plan", args=[fx.plan.pk])
    client.get(url)  # the session and the language are settled by the first request
    last = AccessLogRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
    started = AccessLogRecord.objects.order_by("-at").values_list("at", flat=True).first()

    response = client.get(url)

    assert response.status_code == 200
    written = list(AccessLogRecord.objects.filter(id__gt=last).order_by("at", "id")
                   .values_list(*FIELDS))
    coordinator = fx.coordinator
    members = [str(m.pk) for m in members_of(fx.plan.household)]
    assert len(members) == 5
    plan = str(fx.plan.pk)

    def record(member: str, data: str, object_id: str) -> tuple[object, ...]:
        return (member, coordinator.user.pk, coordinator.user.username, "", "coordinator",
                coordinator.organisation_id, coordinator.organisation.name, "127.0.0.1",
                "pytest-web", "session", None, "read", data, object_id, data,
                "plan_coordinator", False, "", "allowed")

    assert written == [
        *(record(m, "plan", plan) for m in members),
        *(record(m, "evaluation", plan) for m in members),
        *(record(m, "consent", m) for m in members),
        *(record(m, "analysis", plan) for m in members),
    ]
    assert all(at >= started for at in AccessLogRecord.objects.filter(id__gt=last)
               .values_list("at", flat=True))


def test_deferred_records_are_those_that_would_have_been_written(municipality):
    """audit.deferred (the page's one write) keeps what each read would have committed: the
    records of a read that ends in a refusal are written once, as refused, and those of a
    denied read as denied; the others as they were, in order."""
    from jeugdketen.access import audit
    from jeugdketen.access.audit import AccessDenied
    from jeugdketen.access.policy import Action, Data, Decision, Target
    from jeugdketen.core.errors import Refusal

    fx = benchmark.ensure(municipality_code=municipality.code)
    actor = fx.actor()
    members = list(members_of(fx.plan.household))
    allowed = Decision(True, ground="plan_coordinator", role="coordinator")

    def one(person, data=Data.PLAN):
        return audit.entry(actor, Action.READ, Target(data, person=person), allowed)

    @audit.write_path
    def read(person):
        audit.append([one(person)])

    @audit.write_path
    def refused(person):
        audit.append([one(person, Data.EVALUATION)])
        raise Refusal("test_rule", "refused")

    @audit.write_path
    def denied(person):
        raise AccessDenied(actor, Action.READ, Target(Data.CONSENT, person=person),
                           Decision.deny("no ground"))

    last = AccessLogRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with audit.deferred():
        read(members[0])
        with pytest.raises(Refusal):
            refused(members[1])
        with pytest.raises(AccessDenied):
            denied(members[2])
        read(members[3])
        assert AccessLogRecord.objects.filter(id__gt=last).count() == 0  # not yet
    written = list(AccessLogRecord.objects.filter(id__gt=last).order_by("id")
                   .values_list("client_id", "data", "outcome", "reason"))
    assert written == [
        (str(members[0].pk), "plan", "allowed", ""),
        (str(members[1].pk), "evaluation", "refused", "test_rule"),
        (str(members[2].pk), "consent", "denied", "no ground"),
        (str(members[3].pk), "plan", "allowed", ""),
    ]
    assert audit.verify().ok
