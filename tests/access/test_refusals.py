"""An attempt that the access policy allowed and a domain rule then refused (a Refusal, for
a domain rule or for invalid input, raised after the permission check) leaves a `refused`
record for each person it was about: the action's own records roll back with its work, so
write_path logs them again in their own transaction (issue 8, finding 9)."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest

from jeugdketen.access import audit
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.access.policy import Action, Data, Decision, Target
from jeugdketen.core.errors import Refusal
from jeugdketen.plans import actions as plans
from jeugdketen.plans.models import Plan
from jeugdketen.referral_index import actions as index
from jeugdketen.registry.models import Registration
from tests import factories as f


def after(record_id: int) -> list[AccessLogRecord]:
    return list(AccessLogRecord.objects.filter(id__gt=record_id).order_by("id"))


def last_id() -> int:
    return AccessLogRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_a_second_plan_leaves_a_refused_record_for_each_member(family, plan):
    before = last_id()
    with pytest.raises(Refusal) as refused:
        plans.start_plan(family.actor, family.household.pk, family.coordinator.pk,
                         consent_given_by=[family.parent.pk, family.youth.pk])
    assert refused.value.rule == "open_plan_exists"
    assert Plan.objects.filter(household=family.household).count() == 1
    records = after(before)
    assert sorted(r.client_id for r in records) == sorted(str(p.pk) for p in family.members)
    assert {(r.action, r.data, r.outcome, r.reason) for r in records} == {
        ("create", "plan", "refused", "open_plan_exists")}
    # The ground the policy gave is kept: the attempt was allowed, the rule refused it.
    [ground] = {r.ground for r in records}
    assert ground
    assert {r.username for r in records} == {family.coordinator.user.username}
    assert audit.verify().ok


@pytest.fixture
def own_signal(db):
    org = f.OrganisationFactory(may_signal=True, may_coordinate=True)
    prof = f.ProfessionalFactory(organisation=org, roles=["professional"])
    kid = f.PersonFactory(birth_date=f.birth_date_for_age(10))
    Registration.objects.create(person=kid, professional=prof, organisation=org)
    signal = index.register_signal(f.professional_actor(prof), kid.pk).signal
    return prof, kid, signal


def test_a_validation_error_after_the_permission_check_is_logged_as_refused(own_signal):
    prof, kid, signal = own_signal
    before = last_id()
    with pytest.raises(Refusal):
        index.extend_signal(f.professional_actor(prof), signal.pk, duration_days=9999)
    [record] = after(before)
    assert (record.client_id, record.action, record.data, record.outcome) == (
        str(kid.pk), "update", "signal", "refused")
    assert record.reason == "invalid duration_days: duration_range"
    assert record.ground == "own_organisation"


def test_a_denial_still_gives_exactly_one_denied_record(own_signal):
    _prof, kid, signal = own_signal
    stranger = f.ProfessionalFactory(roles=["professional"])
    before = last_id()
    with pytest.raises(audit.AccessDenied):
        index.extend_signal(f.professional_actor(stranger), signal.pk, duration_days=9999)
    [record] = after(before)
    assert (record.client_id, record.outcome) == (str(kid.pk), "denied")


def test_a_refusal_before_the_permission_check_logs_nothing(family, plan):
    """No access was granted yet, so there is nothing to log (and no attempt on data)."""
    before = last_id()
    with pytest.raises(Refusal):
        plans.start_plan(family.actor, family.household.pk, family.coordinator.pk,
                         started_on=date(2999, 1, 1))
    assert after(before) == []


def test_other_errors_still_leave_nothing(family):
    """A failure that is not a refusal (a bug, a database error) rolls everything back, as
    before: only refusals by a rule are attempts the log must keep."""
    before = last_id()

    @audit.write_path
    def breaks() -> None:
        audit.authorize(family.actor, Action.READ, Target(Data.BASE_DATA, person=family.child))
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        breaks()
    assert after(before) == []


# --- nested actions: each attempt is logged once -----------------------------------------


@pytest.fixture
def nest(family):
    actor = family.actor

    def read(person) -> None:
        audit.authorize(actor, Action.READ, Target(Data.BASE_DATA, person=person))

    @audit.write_path
    def inner() -> None:
        read(family.child)
        raise Refusal("inner_rule", "nee")

    @audit.write_path
    def outer_propagates() -> None:
        read(family.parent)
        inner()

    @audit.write_path
    def outer_carries_on() -> None:
        read(family.parent)
        with contextlib.suppress(Refusal):
            inner()

    @audit.write_path
    def outer_carries_on_then_refuses() -> None:
        outer_carries_on()
        raise Refusal("outer_rule", "nee")

    @audit.write_path
    def outer_denied_inside() -> None:
        read(family.parent)

        @audit.write_path
        def denied() -> None:
            raise audit.AccessDenied(actor, Action.READ, Target(Data.BASE_DATA,
                                     object_id="nested"), Decision.deny("no"))

        with contextlib.suppress(audit.AccessDenied):
            denied()
        raise Refusal("outer_rule", "nee")

    return {"propagates": outer_propagates, "carries_on": outer_carries_on,
            "carries_on_then_refuses": outer_carries_on_then_refuses,
            "denied_inside": outer_denied_inside}


def outcomes(records: list[AccessLogRecord], family) -> list[tuple[str, str, str]]:
    who = {str(family.parent.pk): "parent", str(family.child.pk): "child", "": "-"}
    return sorted((who[r.client_id], r.outcome, r.reason) for r in records)


def test_a_refusal_that_propagates_is_logged_once_by_the_outermost(family, nest):
    before = last_id()
    with pytest.raises(Refusal):
        nest["propagates"]()
    assert outcomes(after(before), family) == [
        ("child", "refused", "inner_rule"), ("parent", "refused", "inner_rule")]


def test_a_caught_refusal_keeps_its_refused_record_and_the_rest_commits(family, nest):
    before = last_id()
    nest["carries_on"]()
    assert outcomes(after(before), family) == [
        ("child", "refused", "inner_rule"), ("parent", "allowed", "")]


def test_a_caught_refusal_then_a_refusal_of_the_outer_action(family, nest):
    before = last_id()
    with pytest.raises(Refusal):
        nest["carries_on_then_refuses"]()
    assert outcomes(after(before), family) == [
        ("child", "refused", "inner_rule"), ("parent", "refused", "outer_rule")]


def test_a_caught_denial_then_a_refusal_keeps_the_denial_once(family, nest):
    before = last_id()
    with pytest.raises(Refusal):
        nest["denied_inside"]()
    assert outcomes(after(before), family) == [
        ("-", "denied", "no"), ("parent", "refused", "outer_rule")]
    assert audit.verify().ok
