# ruff: noqa: F811  (the fixtures imported from test_family_view are used as arguments)
"""What a family reads has no raw codes and no UTC: every page a parent or a youth from 16
can reach is rendered, in Dutch and in English, and its visible text is searched for the
platform's codes (consent, evaluation, plan_coordinator, family, professional, read,
base_data, active, ...), ISO dates and timestamps, "+00:00" and amounts with a decimal
point ("€ 0.00"). And the team shows who lost access, since when."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from jeugdketen.access.actions import withdraw_consent
from jeugdketen.access.models import Consent
from jeugdketen.core.vocabulary import VOCABULARIES
from tests import factories as f
from tests.pages import visible_text

from .test_family_view import (  # noqa: F401  (fixtures)
    family_urls,
    full_plan,
    login,
    older,
    plan,
    users,
)

pytestmark = pytest.mark.django_db


def coordinator(the_plan):
    """The plan's coordinator after the handover in full_plan."""
    return f.professional_actor(the_plan.successor)

# Every stored code of the vocabulary, and the codes the issue found on family pages.
CODES = sorted({str(m.value) for choices in VOCABULARIES.values() for m in choices
                if len(str(m.value)) > 2} | {
    "consent", "evaluation", "plan_coordinator", "family", "professional", "read",
    "base_data", "active", "evaluations", "analysis", "in_person", "family_view", "open",
    "closed", "child_protection", "veilig_thuis"})
# In English some codes are ordinary words ("read", "family", "consent"): there the test
# looks for the codes that are no word of either language.
ENGLISH_WORDS = {"read", "family", "consent", "evaluation", "professional", "active",
                 "analysis", "plan", "team", "comment", "approval", "match", "signal",
                 "household", "organisation", "correction", "print", "export", "create",
                 "update", "delete", "self", "parent", "child", "carer", "housemate",
                 "registration", "emergency", "administration", "retention", "session",
                 "system", "command", "allowed", "denied", "refused", "open", "closed",
                 "coordinator", "citizen", "appointment", "evaluations", "postcode"}
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
UTC = re.compile(r"[+-]00:00|\bUTC\b|T\d{2}:\d{2}")
DOT_EURO = re.compile(r"€\s?\d+\.\d{2}\b")
SPACE_EURO = re.compile(r"€ \d")  # English writes €1,234.56


# Codes that are Dutch words too ("het plan", "het team", "een match").
DUTCH_WORDS = {"plan", "team", "match"}


def raw_codes(text: str, language: str) -> list[str]:
    found = []
    for code in CODES:
        if code in (ENGLISH_WORDS if language == "en" else DUTCH_WORDS):
            continue
        # A code as a word of its own, lower case as stored (a label starts with a capital
        # or is a Dutch word).
        if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text):
            found.append(code)
    found += ISO_DATE.findall(text) + UTC.findall(text)
    found += DOT_EURO.findall(text) if language == "nl" else SPACE_EURO.findall(text)
    return found


def family_pages(family, older, plan) -> list[tuple[str, str]]:
    """(user, url) for every page a family member reaches: the start page, the family's
    plans, the plan (with consent, the versions and what changed), the access overview and
    the person page of themselves and, for the parent, of the child under 16."""
    pages = []
    for user in ("parent", "older"):
        pages += [(user, reverse("home")), (user, reverse("family_plans")),
                  (user, reverse("family_plan", kwargs={"plan_id": plan.pk})),
                  (user, reverse("access_overview"))]
    pages += [("parent", reverse("access_log", args=[family.parent.pk])),
              ("parent", reverse("access_log", args=[family.child.pk])),
              ("parent", reverse("access_log", args=[family.youth.pk])),
              ("older", reverse("access_log", args=[older.pk])),
              # Their own person page, and the parent's child's.
              ("parent", reverse("person", args=[family.parent.pk])),
              ("parent", reverse("person", args=[family.child.pk])),
              ("older", reverse("person", args=[older.pk]))]
    return pages


def test_no_page_a_family_reads_shows_a_raw_code_or_utc(family, older, users, full_plan):
    # The consent of the school for Sam withdrawn: the team shows "geen toegang sinds".
    withdraw_consent(coordinator(full_plan), Consent.objects.get(
        person=older, organisation=family.school).pk)
    clients = {name: login(users[name]) for name in ("parent", "older")}
    seen = 0
    for user, url in family_pages(family, older, full_plan):
        for language in ("nl", "en"):
            client = clients[user]
            client.cookies["django_language"] = language
            response = client.get(url)
            assert response.status_code == 200, (user, url)
            text = visible_text(response.content)
            assert raw_codes(text, language) == [], (user, url, language)
            if "gezin/" in url and str(full_plan.pk) in url:
                # The version's action (budget 0) in the family's money format.
                assert ("€ 0,00" if language == "nl" else "€0.00") in text
            seen += 1
    # A consent form sent with an error renders the plan page again: no codes there either.
    client = clients["parent"]
    client.cookies["django_language"] = "nl"
    response = client.post(reverse("family_consent_give", kwargs={"plan_id": full_plan.pk}),
                           {"toestemming-person": "", "toestemming-categories": ["plan"]})
    assert response.status_code == 200
    assert raw_codes(visible_text(response.content), "nl") == []
    assert seen == 2 * len(family_pages(family, older, full_plan))


def test_the_check_finds_what_the_issue_found():
    """The check itself: each thing the issue saw on a family page is caught."""
    for shown in ("Waarom: consent", "Gegevens: base_data", "rol professional",
                  "2026-12-05T22:56+00:00", "€ 0.00", "plan_coordinator", "Status: active"):
        assert raw_codes(shown, "nl"), shown
    assert raw_codes("€ 0,00", "en") and raw_codes("plan_coordinator", "en")
    assert raw_codes("Bekeken op 5 december 2026 23:56 door een regisseur, € 0,00", "nl") == []
    assert raw_codes("Viewed on 5 December 2026 23:56: family plan, €1,234.56", "en") == []


def test_the_access_overview_shows_amsterdam_time_in_words(family, older, users, full_plan):
    client = login(users["parent"])
    text = visible_text(client.get(reverse("access_overview")).content)
    now = timezone.localtime()
    with override("nl"):
        day = date_format(now, "DATE_FORMAT")
    assert re.search(rf"{re.escape(day)} \d{{2}}:\d{{2}}", text), text[:500]
    # Plain words for the family: the plan's coordinator recorded the plan.
    assert "Deze medewerker is de regisseur van het gezinsplan." in text
    assert "het gezinsplan" in text


def test_a_team_member_whose_organisation_lost_consent_shows_no_access_since(
        family, older, users, full_plan):
    plan_url = reverse("family_plan", kwargs={"plan_id": full_plan.pk})
    client = login(users["parent"])
    text = visible_text(client.get(plan_url).content)
    assert "Ilse Intern van Basisschool De Linde: Intern begeleider" in text
    assert "geen toegang" not in text
    # The school still holds consent for every member but Sam: withdrawn today.
    consent = Consent.objects.get(person=older, organisation=family.school)
    withdraw_consent(coordinator(full_plan), consent.pk)
    today = date_format(timezone.localdate(), "DATE_FORMAT")
    text = visible_text(client.get(plan_url).content)
    assert f"Intern begeleider geen toegang sinds {today}" in text
    # The coordinator's page says the same.
    page = login(full_plan.successor.user).get(reverse("plan", kwargs={"plan_id": full_plan.pk}))
    assert page.status_code == 200
    assert f"geen toegang sinds {today}" in visible_text(page.content)


def test_consent_that_ran_out_shows_the_day_after_its_last_day(family, older, full_plan):
    from jeugdketen.access.actions import team_access_lost
    from jeugdketen.plans.selectors import members_of

    members = members_of(full_plan.household)
    today = timezone.localdate()
    assert team_access_lost(full_plan, members, {family.school.pk}, today) == {}
    last_day = today - timedelta(days=3)
    Consent.objects.filter(person=older, organisation=family.school).update(
        valid_from=today - timedelta(days=30), valid_until=last_day)
    assert team_access_lost(full_plan, members, {family.school.pk}, today) == {
        family.school.pk: last_day + timedelta(days=1)}
    # An organisation that never held consent: no access, since no known day.
    other = f.OrganisationFactory().pk
    assert team_access_lost(full_plan, members, {other}, today) == {other: None}


def test_the_coordinators_version_comparison_shows_euros_and_dates_in_words(full_plan):
    """The version diff said "€ 0.00" and 2026-03-17: now as the family page says them."""
    client = login(full_plan.successor.user)
    page = client.get(reverse("plan_versions", kwargs={"plan_id": full_plan.pk}),
                      {"van": 0, "naar": 1})
    text = visible_text(page.content)
    assert "Daan elke ochtend wekken" in text
    due = date_format(timezone.localdate() + timedelta(days=14), "DATE_FORMAT")
    assert f"{due} – € 0,00" in text
    assert raw_codes(text, "nl") == []
