"""The insight policy (issue 12) without a database (facts written out by hand), and the
actions that ask it: read_insight (logged, the area as object, another municipality's
area as an unknown one) and set_publication (policy, write, access log and chain event in
one transaction; a refusal names the field). The full role x action x ground table is in
tests/access/test_policy_table.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.access.policy import Action, Actor, Data, Scope, Target
from jeugdketen.access.policy.rules import insight as rules
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal
from jeugdketen.insight import actions
from jeugdketen.insight.models import PublicationSettings
from jeugdketen.registry.models import Professional
from tests import factories as f


@dataclass
class Facts:
    municipality: str | None
    kind: str
    today: date = date(2026, 12, 6)

    def actor_municipality(self) -> str | None:
        return self.municipality

    def actor_organisation_kind(self) -> str:
        return self.kind


def actor(*roles: str) -> Actor:
    return Actor(professional=Professional(pk=1, roles=list(roles)))


def target(data: Data, municipality: str | None, area: str = "BU03630101") -> Target:
    return Target(data, object_id=area, scope=Scope(municipality_id=municipality))


@pytest.mark.parametrize(("roles", "kind", "ground", "role"), [
    (("municipal_analyst",), "municipality", "insight", "municipal_analyst"),
    (("coordinator",), "municipality", "insight", "coordinator"),
    (("front_door",), "municipality", "front_door", "front_door"),
    (("professional", "front_door"), "neighbourhood_team", "front_door", "front_door"),
    (("coordinator", "front_door"), "municipality", "front_door", "front_door"),
])
def test_the_municipalitys_own_read_its_figures_and_nothing_else(roles, kind, ground, role):
    own = Facts("GM0363", kind)
    decision = rules.insight(actor(*roles), Action.READ, target(Data.INSIGHT, "GM0363"), own)
    assert (decision.allowed, decision.ground, decision.role) == (True, ground, role)
    for action in Action:
        if action is not Action.READ:
            assert not rules.insight(actor(*roles), action, target(Data.INSIGHT, "GM0363"),
                                     own).allowed
    # Another municipality's area, an unknown area: no.
    assert not rules.insight(actor(*roles), Action.READ, target(Data.INSIGHT, "GM0599"),
                             own).allowed
    assert not rules.insight(actor(*roles), Action.READ, target(Data.INSIGHT, None), own).allowed


@pytest.mark.parametrize(("roles", "kind"), [
    (("municipal_analyst",), "youth_care_provider"),
    (("municipal_analyst",), "neighbourhood_team"),
    (("coordinator",), "neighbourhood_team"),
    (("coordinator",), "youth_care_provider"),
    (("front_door",), "youth_care_provider"),
    (("front_door",), "school"),
    (("professional",), "municipality"),
    (("privacy_officer",), "municipality"),
    (("functional_admin",), "municipality"),
    (("platform_admin",), "municipality"),
    ((), "municipality"),
])
def test_everyone_else_is_denied_with_a_reason(roles, kind):
    decision = rules.insight(actor(*roles), Action.READ, target(Data.INSIGHT, "GM0363"),
                             Facts("GM0363", kind))
    assert not decision.allowed and decision.reason


def test_a_citizen_and_the_operator_get_no_figures():
    facts = Facts(None, "")
    person = f.PersonFactory.build()
    for who in (Actor(person=person), Actor(operator=True), Actor()):
        assert not rules.insight(who, Action.READ, target(Data.INSIGHT, "GM0363"), facts).allowed
        assert not rules.insight_settings(who, Action.UPDATE,
                                          target(Data.INSIGHT_SETTINGS, "GM0363"), facts).allowed


def test_only_the_municipalitys_analyst_reads_and_changes_the_settings():
    own = Facts("GM0363", "municipality")
    analyst = actor("municipal_analyst")
    for action in Action:
        decision = rules.insight_settings(analyst, action, target(Data.INSIGHT_SETTINGS,
                                                                  "GM0363"), own)
        assert decision.allowed is (action in (Action.READ, Action.UPDATE)), action
    assert not rules.insight_settings(analyst, Action.UPDATE,
                                      target(Data.INSIGHT_SETTINGS, "GM0599"), own).allowed
    assert not rules.insight_settings(analyst, Action.UPDATE, target(Data.INSIGHT_SETTINGS,
                                                                     "GM0363"),
                                      Facts("GM0363", "youth_care_provider")).allowed
    for roles in (("coordinator",), ("front_door",), ("functional_admin",)):
        assert not rules.insight_settings(actor(*roles), Action.UPDATE,
                                          target(Data.INSIGHT_SETTINGS, "GM0363"), own).allowed


# --- the actions --------------------------------------------------------------------------------


def test_read_insight_logs_the_area_and_returns_the_scope(iw, settings, tmp_path):
    reading = actions.read_insight(f.professional_actor(iw.coordinator), "bu99110101 ",
                                   start=date(2025, 12, 1), end=date(2026, 11, 30),
                                   today=date(2026, 12, 6))
    assert (reading.scope.area, reading.scope.start, reading.scope.end) == (
        "BU99110101", date(2025, 12, 1), date(2026, 12, 1))
    assert (reading.threshold, reading.scope.follow_up_days, reading.area_name) == (
        10, 182, "Oude Haven")
    record = AccessLogRecord.objects.get()
    assert (record.data, record.action, record.object_id, record.outcome, record.ground,
            record.client_id) == ("insight", "read", "BU99110101", "allowed",
                                  "insight", "")


def test_read_insight_uses_the_municipalitys_publication_settings(iw):
    PublicationSettings.objects.create(municipality=iw.a, threshold=30, follow_up_days=365)
    reading = actions.read_insight(f.professional_actor(iw.front_door), None,
                                   end="2026-11-30")
    assert (reading.scope.area, reading.threshold, reading.scope.follow_up_days) == (
        "GM9911", 30, 365)


@pytest.mark.parametrize("area", ["BU99120101", "GM9912", "BU99999999"])
def test_another_municipalitys_area_is_refused_as_unknown_and_logged_denied(iw, area):
    with pytest.raises(Refusal) as refused:
        actions.read_insight(f.professional_actor(iw.analyst), area, start=date(2026, 1, 1),
                             end=date(2026, 6, 30))
    assert (refused.value.status, refused.value.rule, refused.value.field) == (
        404, "unknown_area", "area")
    record = AccessLogRecord.objects.get()
    assert (record.object_id, record.outcome) == (area, "denied")


def test_a_role_without_a_ground_is_denied_before_anything_else(iw):
    with pytest.raises(AccessDenied):
        actions.read_insight(f.professional_actor(iw.denied["provider-coordinator"]), "xyz",
                             start="bad", end="worse")
    assert AccessLogRecord.objects.get().outcome == "denied"


def test_bad_dates_are_refused_naming_each_field_and_logged_as_refused(iw):
    with pytest.raises(Refusal) as refused:
        actions.read_insight(f.professional_actor(iw.analyst), "GM9911", start="2026-02-30",
                             end="2026-13-01")
    assert sorted((e.field, e.rule) for e in refused.value.errors) == [
        ("from", "date"), ("to", "date")]
    assert AccessLogRecord.objects.get().outcome == "refused"


@pytest.mark.parametrize(("end", "start", "field", "rule"), [
    ("2026-06-15", None, "to", "month_end"),
    ("2026-12-31", None, "to", "month_ended"),  # December is still running
    ("2026-11-30", "2026-01-01", "from", "twelve_months"),
])
def test_a_period_is_twelve_whole_months_that_have_ended(iw, end, start, field, rule):
    """Figures over freely chosen periods could be subtracted to reveal one family."""
    with pytest.raises(Refusal) as refused:
        actions.read_insight(f.professional_actor(iw.analyst), "GM9911", start=start, end=end,
                             today=date(2026, 12, 6))
    assert [(e.field, e.rule) for e in refused.value.errors] == [(field, rule)]


def test_set_publication_writes_logs_and_emits_in_one_go(iw):
    who = f.professional_actor(iw.analyst)
    row = actions.set_publication(who, "GM9911", threshold=20, follow_up_days=182)
    assert (row.threshold, row.follow_up_days) == (20, 182)
    event = ChainEvent.objects.get(activity="insight.settings_changed")
    attributes = event.attributes if isinstance(event.attributes, dict) else json.loads(
        event.attributes)
    assert attributes == {"municipality": "GM9911", "threshold": 20, "follow_up_days": 182,
                          "fields": ["threshold"]}
    assert event.organisation_id == iw.town.pk
    # The same values again: nothing changed, no event.
    actions.set_publication(who, "GM9911", threshold=20, follow_up_days=182)
    assert ChainEvent.objects.filter(activity="insight.settings_changed").count() == 1
    assert AccessLogRecord.objects.filter(data="insight_settings", action="update",
                                          outcome="allowed").count() == 2


@pytest.mark.parametrize(("threshold", "follow_up", "errors"), [
    (9, 182, [("threshold", "range")]),
    (101, 182, [("threshold", "range")]),
    (10, 89, [("follow_up_days", "range")]),
    (100, 731, [("follow_up_days", "range")]),
    # Only the fixed periods (a sweep day by day would pin a count, test_attack_round3).
    (10, 91, [("follow_up_days", "choice")]),
    (10, 181, [("follow_up_days", "choice")]),
    (10, 729, [("follow_up_days", "choice")]),
    (15, 183, [("follow_up_days", "choice"), ("threshold", "multiple")]),
    ("10", 182, [("threshold", "integer")]),
    (True, 182, [("threshold", "integer")]),
    (5, 1000, [("follow_up_days", "range"), ("threshold", "range")]),
])
def test_out_of_range_settings_are_refused_naming_the_field(iw, threshold, follow_up, errors):
    with pytest.raises(Refusal) as refused:
        actions.set_publication(f.professional_actor(iw.analyst), "GM9911",
                                threshold=threshold, follow_up_days=follow_up)
    assert refused.value.status == 422
    assert sorted((e.field, e.rule) for e in refused.value.errors) == errors
    assert not PublicationSettings.objects.exists()
    assert not ChainEvent.objects.filter(activity="insight.settings_changed").exists()
    assert AccessLogRecord.objects.get().outcome == "refused"


def test_the_bounds_and_every_fixed_period_are_allowed(iw):
    who = f.professional_actor(iw.analyst)
    for threshold, follow_up in ((10, 90), (20, 182), (30, 365), (100, 730)):
        row = actions.set_publication(who, "GM9911", threshold=threshold,
                                      follow_up_days=follow_up)
        assert (row.threshold, row.follow_up_days) == (threshold, follow_up)


@pytest.mark.parametrize("who", ["coordinator", "front_door", "analyst_b"])
def test_nobody_else_changes_a_municipalitys_settings(iw, who):
    with pytest.raises(AccessDenied):
        actions.set_publication(f.professional_actor(getattr(iw, who)), "GM9911",
                                threshold=50, follow_up_days=365)
    assert not PublicationSettings.objects.exists()
    assert AccessLogRecord.objects.get().outcome == "denied"


def test_an_unknown_municipality_is_denied_like_a_forbidden_one(iw):
    with pytest.raises(AccessDenied):
        actions.set_publication(f.professional_actor(iw.analyst), "GM0000", threshold=50,
                                follow_up_days=365)
