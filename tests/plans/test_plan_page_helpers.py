"""What the family page needs besides the existing actions: consent for several members
at once (record_consents), and the server-rendered charts (analysis.chart)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import AccessLogRecord, Consent
from jeugdketen.analysis.chart import domain_chart, line_chart, t_score_chart
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.plans import actions
from jeugdketen.rules import Refusal

from .. import factories as f

pytestmark = pytest.mark.django_db


# --- record_consents ----------------------------------------------------------------


def test_consent_for_several_members_counts_each_persons_own_givers(family, plan):
    everyone = [family.parent.pk, family.child.pk, family.youth.pk]
    made = actions.record_consents(family.actor, plan.pk, person_ids=everyone,
                                   given_by=[family.parent.pk, family.youth.pk],
                                   organisation_id=family.school.pk, categories=["plan"])
    assert len(made) == 3
    givers = {c.person_id: {p.pk for p in c.given_by.all()} for c in Consent.objects.all()}
    assert givers == {family.parent.pk: {family.parent.pk},  # from 16: alone
                      family.child.pk: {family.parent.pk},  # under 12: the parent
                      family.youth.pk: {family.parent.pk, family.youth.pk}}  # 12-15: both
    assert ChainEvent.objects.filter(activity=Activity.CONSENT_GIVEN).count() == 3


def test_consent_for_several_members_is_all_or_nothing(family, plan):
    # At 14 the youth consents together with a parent: the parent alone is not enough.
    # Nothing is recorded, not even the parent's own consent that came first.
    with pytest.raises(Refusal) as refused:
        actions.record_consents(family.actor, plan.pk,
                                person_ids=[family.parent.pk, family.youth.pk],
                                given_by=[family.parent.pk],
                                organisation_id=family.school.pk, categories=["plan"])
    assert refused.value.field == "given_by_person_ids"
    assert refused.value.message.startswith("Daan Bakker:")
    assert not Consent.objects.exists()
    with pytest.raises(Refusal) as unknown:
        actions.record_consents(family.actor, plan.pk, person_ids=[family.parent.pk],
                                given_by=[family.parent.pk], organisation_id=family.school.pk,
                                categories=["gezondheid"])
    assert unknown.value.field == "categories"
    assert not Consent.objects.exists()


def test_consent_only_for_members_of_the_plans_household(family, plan):
    stranger = f.PersonFactory(birth_date=f.birth_date_for_age(30))
    with pytest.raises(Refusal) as refused:
        actions.record_consents(family.actor, plan.pk, person_ids=[stranger.pk],
                                given_by=[stranger.pk], organisation_id=family.school.pk,
                                categories=["plan"])
    assert refused.value.field == "person_ids"
    with pytest.raises(Refusal) as givers:
        actions.record_consents(family.actor, plan.pk, person_ids=[family.parent.pk],
                                given_by=[stranger.pk], organisation_id=family.school.pk,
                                categories=["plan"])
    assert givers.value.field == "given_by_person_ids"


def test_only_the_coordinator_records_consent_for_the_family(family, plan):
    with pytest.raises(AccessDenied):
        actions.record_consents(family.teacher_actor, plan.pk, person_ids=[family.parent.pk],
                                given_by=[family.parent.pk], organisation_id=family.school.pk,
                                categories=["plan"])
    assert not Consent.objects.exists()
    assert AccessLogRecord.objects.filter(user_id=family.teacher.user.pk,
                                          outcome="denied").exists()


# --- the household page and the match: may this actor open or start a plan? ----------


def test_household_plan_answers_for_the_household_page(family, make_professional):
    members = tuple(family.members)
    before = actions.household_plan(family.actor, family.household.pk, members)
    assert before.may_start and before.open_plan_id is None
    plan = actions.start_plan(family.actor, family.household.pk, family.coordinator.pk)
    after = actions.household_plan(family.actor, family.household.pk, members)
    assert after.open_plan_id == plan.pk and after.may_read and not after.may_start
    other = actions.household_plan(f.professional_actor(make_professional("coordinator")),
                                   family.household.pk, members)
    assert other.open_plan_id == plan.pk and not other.may_read
    assert actions.open_plan_of("geen-id") is None


# --- charts -----------------------------------------------------------------------------


def test_a_domain_chart_carries_every_number_and_marks_a_stale_last_score():
    today = timezone.localdate()
    points = [(today - timedelta(days=90), 2, 3), (today - timedelta(days=40), 3, None)]
    chart = domain_chart("finances", points, chart_id="c1", today=today)
    svg = str(chart.svg)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and svg.endswith("</svg>")
    assert '<title id="c1-t">Financiën</title>' in svg
    assert "Professional: 2 → 3. Gezin: 3 → –." in svg
    # Numbers at the points: 2 and 3 for the professional, 3 for the family.
    labels = svg.split('font-weight="bold">')[1:]
    assert [label.split("<")[0] for label in labels] == ["verouderd", "2", "3", "3"]
    assert 'stroke-dasharray="6 4"' not in svg  # one family point: no dashed line drawn
    assert [row.stale for row in chart.rows] == [True, True]
    fresh = domain_chart("finances", [(today, 4, 4)], chart_id="c2", today=today)
    assert "verouderd" not in str(fresh.svg) and not fresh.rows[0].stale


def test_chart_texts_are_escaped():
    svg = str(line_chart(chart_id='x" onload="alert(1)', title="<script>alert(1)</script>",
                         description="a & b", x_labels=["<b>"], series=[], y_min=0, y_max=1,
                         y_ticks=[0, 1]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg
    assert 'onload="' not in svg and "&lt;b&gt;" in svg


def test_t_score_chart_scales_to_the_scores():
    svg = str(t_score_chart([(date(2025, 1, 1), 31.5), (date(2025, 3, 1), 72.25)],
                            chart_id="t"))
    assert ">30</text>" in svg and ">80</text>" in svg  # the axis covers both
    assert ">31,5</text>" in svg or ">31.5</text>" in svg
    assert "31,5 → 72,2" in svg or "31.5 → 72.2" in svg
