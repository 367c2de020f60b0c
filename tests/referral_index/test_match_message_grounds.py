"""A match message names the youth to a professional who no longer holds the
registration only on another ground of the policy: coordinating a plan of the youth's
household. The registration reads that ground with the candidates' signals (selectors
.candidates), so no statement about plans is run per recipient, and the answer is the
policy's own."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jeugdketen.plans.models import Plan
from jeugdketen.referral_index.models import Message
from jeugdketen.registry.models import Registration
from tests import factories as f
from tests.referral_index.test_referral_index import register, signaller, youth


def _match_with_unregistered_first(coordinates: bool) -> tuple[str, list[str]]:
    kid = youth(given_names="Geheimnaam", family_name="Zichtbaarniet")
    a, b = signaller("school", may_coordinate=False), signaller()
    register(a, kid)
    Registration.objects.filter(person=kid, professional=a).delete()
    if coordinates:
        Plan.objects.create(household=f.make_household(children=[kid]), coordinator=a,
                            origin="direct", main_organisation=a.organisation)
    with CaptureQueriesContext(connection) as captured:
        result = register(b, kid)
    assert len(result.matches) == 1
    plans = [q["sql"] for q in captured.captured_queries
             if Plan._meta.db_table in q["sql"] and "EXISTS" not in q["sql"]]
    return Message.objects.get(recipient=a).body, plans


def test_a_plan_coordinator_hears_whom_the_match_is_about(db):
    body, plan_statements = _match_with_unregistered_first(coordinates=True)
    assert "Geheimnaam Zichtbaarniet, geboren" in body
    assert plan_statements == []


def test_without_registration_or_plan_the_message_names_nobody(db):
    body, plan_statements = _match_with_unregistered_first(coordinates=False)
    assert "Geheimnaam" not in body and "Uw signaal over" not in body
    assert plan_statements == []
