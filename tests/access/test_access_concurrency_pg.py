"""Every write to access data (tokens, break-the-glass reviews, consent, legal bases) and
every decision-aid session, sent several times at the same moment on PostgreSQL (issue 8,
finding 6). A change happens exactly once (with exactly one chain event where it has one);
a second verdict on one emergency access is refused (409), never silently dropped; an
addition is kept every time. Real threads with their own connections (tests/parallel.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from jeugdketen.access import actions, audit
from jeugdketen.access.models import AccessLogRecord, ApiToken, BreakGlassReview, Consent
from jeugdketen.access.policy import Action, Data, Decision, Ground, Target
from jeugdketen.guide.models import GuideSession
from jeugdketen.registry.models import Registration
from tests import factories as f
from tests.parallel import N, call_at_once, events, post_at_once, statuses
from tests.registry.test_concurrency_pg import committed, pg  # noqa: F401 - fixtures

pytestmark = pytest.mark.postgres


def test_a_token_is_revoked_once_and_every_issued_token_kept(committed):  # noqa: F811
    prof = f.ProfessionalFactory(organisation=committed)
    me = f.professional_actor(prof)

    issued = call_at_once(lambda: actions.issue_token(me, prof.user))
    assert len(set(issued)) == N and ApiToken.objects.filter(user=prof.user).count() == N
    token = ApiToken.objects.filter(user=prof.user).first()

    revoked = call_at_once(lambda: actions.revoke_token(me, token.pk))
    assert [t.pk for t in revoked] == [token.pk] * N
    token.refresh_from_db()
    first = token.revoked_at
    assert first is not None
    actions.revoke_token(me, token.pk)
    token.refresh_from_db()
    assert token.revoked_at == first  # revoked once; the moment stands


def _emergency_read(committed):  # noqa: F811
    """One break-the-glass read of a person, and the privacy officer who reviews it."""
    prof = f.ProfessionalFactory(organisation=committed)
    person = f.PersonFactory()
    decision = Decision(True, Ground.EMERGENCY, "professional", emergency=True,
                        reason="Acute zorg, ouders niet bereikbaar, kind op de SEH.")
    with transaction.atomic():
        audit.append([audit.entry(f.professional_actor(prof), Action.READ,
                                  Target(Data.BASE_DATA, person=person), decision)])
    record = AccessLogRecord.objects.get(emergency=True, client_id=str(person.pk))
    officer = f.ProfessionalFactory(organisation=committed, roles=["privacy_officer"])
    return record, officer


def test_an_emergency_access_is_reviewed_once(committed):  # noqa: F811
    record, officer = _emergency_read(committed)
    verdicts = [True, False] * (N // 2)  # two officers' tabs, with different verdicts

    results = call_at_once(lambda: actions.review_break_glass(
        f.professional_actor(officer), record.pk, justified=verdicts.pop(),
        note="beoordeeld"))

    reviews = [r for r in results if isinstance(r, BreakGlassReview)]
    assert len(reviews) == 1, results
    assert sorted(map(str, results)).count(str(("refused", "already_reviewed", 409))) == N - 1
    stored = BreakGlassReview.objects.get(record=record)
    assert stored.justified == reviews[0].justified  # the one that was answered "saved"


def test_consent_is_withdrawn_once_and_every_consent_given_kept(committed):  # noqa: F811
    """The family's own view (a parent for their own consent) through the API."""
    from jeugdketen.plans.models import Plan

    parent = f.PersonFactory(birth_date=f.birth_date_for_age(40))
    user = f.UserFactory(person=parent)
    school = f.OrganisationFactory(kind="school", municipality=committed.municipality)
    coordinator = f.ProfessionalFactory(organisation=committed, roles=["coordinator"])
    plan = Plan.objects.create(household=f.make_household(parents=[parent]), origin="direct",
                               coordinator=coordinator, main_organisation=committed)

    given = post_at_once(user, "/consents", {
        "person_id": str(parent.pk), "plan_id": str(plan.pk),
        "given_by_person_ids": [str(parent.pk)],
        "organisation_id": school.pk, "categories": ["plan"]})
    assert statuses(given) == [201] * N
    assert Consent.objects.filter(person=parent).count() == N
    assert events("consent.given") == N
    consent_id = given[0][1]["id"]

    results = post_at_once(user, f"/consents/{consent_id}/withdraw")

    # Withdrawing what is withdrawn is no error: every answer shows it withdrawn, once.
    assert statuses(results) == [200] * N
    assert len({body["withdrawn_at"] for _s, body in results}) == 1, results
    assert events("consent.withdrawn") == 1


def test_every_legal_basis_recorded_is_kept(committed):  # noqa: F811
    institution = f.OrganisationFactory(kind="certified_institution",
                                        municipality=committed.municipality)
    guardian = f.ProfessionalFactory(organisation=institution)
    child = f.PersonFactory(birth_date=f.birth_date_for_age(9))
    Registration.objects.create(person=child, professional=guardian, organisation=institution)

    results = post_at_once(guardian, "/legal-bases", {
        "person_id": str(child.pk), "organisation_id": institution.pk,
        "kind": "child_protection", "reference": "OTS 2026/123",
        "valid_until": (timezone.localdate() + timedelta(days=365)).isoformat()})

    assert statuses(results) == [201] * N
    assert events("legal_basis.recorded") == N


def test_every_decision_aid_session_is_kept(committed):  # noqa: F811
    prof = f.ProfessionalFactory(organisation=committed)

    results = post_at_once(prof, "/guides/meldrichtlijn/sessions", {
        "answers": {"material": ["no_fixed_home"], "real_threat": "yes"}})

    assert statuses(results) == [201] * N
    assert GuideSession.objects.filter(professional=prof).count() == N
    assert events("guide.completed") == N
    assert AccessLogRecord.objects.filter(object_type="guide_session",
                                          action="create").count() == N
