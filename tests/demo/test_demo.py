"""The demo data (`jeugdketen demo`), made through the actions: it loads, the access log
verifies, and a rerun adds nothing. The family plans are in every state, over two years."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from jeugdketen.access import audit
from jeugdketen.access.actions import check_givers
from jeugdketen.access.models import Consent, LegalBasis, User
from jeugdketen.analysis.models import Analysis, DomainScore, StressJudgement
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.demo.registry import MORE_FAMILIES
from jeugdketen.plans.models import Plan, PlanAction, PlanVersion, TeamMember
from jeugdketen.referral_index.models import Match, Signal
from jeugdketen.registry.models import Household, Person


def counts() -> tuple[int, ...]:
    return (Person.objects.count(), Household.objects.count(), Signal.objects.count(),
            Match.objects.count(), Plan.objects.count(), ChainEvent.objects.count(),
            Consent.objects.count(), Analysis.objects.count())


def test_demo_loads_through_the_actions_and_reruns_without_duplicates(db):
    out = StringIO()
    call_command("demo", households=30, professionals=30, stdout=out, stderr=StringIO())
    assert "demo.professional" in out.getvalue() and "demo.ouder" in out.getvalue()
    assert "family plans" in out.getvalue()
    before = counts()
    # The 30 households, and Vogelwijk's one more for every 20 (demo/registry.py).
    assert before[1] == 30 + 30 // MORE_FAMILIES[1]
    assert before[2] > 0 and before[3] > 0 and before[4] >= 10
    assert audit.verify().ok
    assert_family_plans()
    call_command("demo", households=30, professionals=30, stdout=StringIO(), stderr=StringIO())
    assert counts() == before


def assert_family_plans() -> None:
    # The plans the front door started from care reports are checked by test_intake_demo.
    plans = list(Plan.objects.exclude(origin="care_report").select_related("coordinator__user"))
    closed = [p for p in plans if p.status == "closed"]
    assert {p.close_reason for p in closed} == {"01", "02", "03", "04", "05"}
    assert {p.can_continue_without_help for p in closed} == {True, False}
    for plan in closed:
        done = PlanAction.objects.filter(plan=plan, done_on__isnull=False)
        assert plan.costs_spent_eur == sum((a.spent_eur for a in done), Decimal("0"))
        assert plan.satisfaction is not None and plan.evaluations.filter(final=True).exists()
    assert sum(p.costs_spent_eur for p in closed) > 0
    fresh = [p for p in plans if p.status == "open" and not p.goals.exists()]
    assert fresh and all(not p.evaluations.exists() for p in fresh)
    active = [p for p in plans if p.status == "open" and p.goals.exists()]
    assert len(active) >= 3
    for plan in active + closed:
        assert 2 <= plan.analyses.count() <= 4, plan.pk
        assert plan.evaluations.count() >= 1, plan.pk
    # Analyses: the professional's and the family's own score, stress for children.
    assert DomainScore.objects.filter(professional_score__isnull=False,
                                      family_score__isnull=False).count() > 100
    assert StressJudgement.objects.values("level").distinct().count() == 3
    # A T-score trend: an active plan evaluated again and again, better over time.
    trends = [[e.t_score for e in p.evaluations.order_by("on")] for p in active]
    assert any(len(t) >= 3 and t[-1] > t[0] for t in trends)
    # The informal network in teams and doing actions.
    relations = set(TeamMember.objects.filter(related_person__isnull=False)
                    .values_list("related_person__relation", flat=True))
    assert relations & {"grootmoeder", "grootvader", "buurman", "voetbaltrainer", "tante"}
    assert PlanAction.objects.filter(performer_related__isnull=False).exists()
    # The municipality's own product codes beside the single "jeugdhulp".
    assert set(PlanAction.objects.filter(performer_related__isnull=True)
               .values_list("product_code", flat=True)) == {"jeugdhulp", "ambulant", "jeugd-ggz"}
    # The informal network's actions are paid from nothing: no product code.
    assert set(PlanAction.objects.filter(performer_related__isnull=False)
               .values_list("product_code", flat=True)) == {""}
    # Consent given by the right people for each age, withdrawn at least once; a legal basis.
    for consent in Consent.objects.prefetch_related("given_by").select_related("person"):
        check_givers(consent.person, {str(p.pk) for p in consent.given_by.all()},
                     consent.valid_from)
    assert Consent.objects.filter(withdrawn_at__isnull=False).exists()
    assert LegalBasis.objects.filter(kind="child_protection").exists()
    assert TeamMember.objects.filter(left_at__isnull=False).exists()
    assert set(PlanVersion.objects.exclude(approved_how="")
               .values_list("approved_how", flat=True)) == {"in_person", "paper", "family_view"}
    assert ChainEvent.objects.filter(activity="plan.handed_over").exists()
    # The demo logins have plans to show.
    assert sum(p.coordinator.user.username == "demo.regisseur" for p in plans) >= 3
    ouder = User.objects.get(username="demo.ouder").person
    own = Plan.objects.get(household__members__person=ouder)
    assert own.status == "open"
    latest = own.versions.order_by("-number").first()
    assert latest is not None and latest.approved_at is None and latest.number > 1
    assert own.comments.filter(by_family=True).exists()
    jongere = User.objects.get(username="demo.jongere").person
    assert Plan.objects.filter(household__members__person=jongere).exists()
    # Other citizen logins' families (demo.gezin) are left for a plan to be started in the UI.
    for user in User.objects.exclude(username__in=["demo.ouder", "demo.jongere"]).filter(
            person__isnull=False):
        assert not Plan.objects.filter(household__members__person=user.person).exists()
    # Trajectories over two years in the chain event log, each in order of time.
    events = ChainEvent.objects.exclude(trajectory_key="").order_by("id")
    assert events.earliest("at").at < timezone.now() - timedelta(days=500)
    last: dict[str, object] = {}
    for event in events:
        assert last.get(event.trajectory_key, event.at) <= event.at, event.activity
        last[event.trajectory_key] = event.at
    assert {p.started_on for p in plans} and min(p.started_on for p in plans) < (
        timezone.localdate() - timedelta(days=500))
