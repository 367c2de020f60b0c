"""The one vocabulary (core/vocabulary.py): every code has a Dutch and an English label
and a text for the family; the access policy answers only in its codes; and the platform's
one format for money, dates and times and the T-score."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import trans_real

from jeugdketen.access import policy
from jeugdketen.core import vocabulary as v
from jeugdketen.plans.templatetags import plan_page
from jeugdketen.ui.templatetags import jk

ALL = [(name, member) for name, choices in v.VOCABULARIES.items() for member in choices]


def dutch(text) -> str:
    with translation.override("nl"):
        return str(text)


def english(text) -> str:
    """The English of a text, failing when the English catalogue has no entry for it (a
    label that is the same word in both languages, like "BSN", still needs its entry)."""
    msgid = dutch(text)
    catalog = trans_real.translation("en")._catalog
    assert catalog.get(msgid), f"no English for {msgid!r}"
    with translation.override("en"):
        return str(text)


@pytest.mark.parametrize(("vocabulary", "member"), ALL, ids=[f"{n}-{m.value}" for n, m in ALL])
def test_every_member_has_a_dutch_and_an_english_label(vocabulary, member):
    nl = dutch(member.label)
    assert nl and nl != member.value
    assert english(member.label)


FAMILY = [(c, m) for c in v.FAMILY_TEXTS for m in c]


@pytest.mark.parametrize(("choices", "member"), FAMILY,
                         ids=[f"{c.__name__}-{m.value}" for c, m in FAMILY])
def test_every_action_data_ground_role_outcome_and_channel_has_a_family_text(choices, member):
    text = member.family
    assert dutch(text) and dutch(text) != dutch(member.label)
    assert english(text)
    with translation.override("nl"):
        assert v.family_text(choices, member.value) == dutch(text)


@pytest.mark.parametrize("ground", list(v.Ground), ids=[g.value for g in v.Ground])
def test_every_ground_is_said_to_the_viewer_too(ground):
    assert dutch(ground.viewer) and english(ground.viewer)


def test_labels_are_english_when_english_is_active():
    with translation.override("en"):
        assert v.label(v.Ground, "plan_coordinator") == "Coordinator of the family plan"
        assert v.family_text(v.Data, "evaluation") == "how the goals are going (the evaluation)"
        assert v.roles_label("professional,coordinator") == "Professional, Coordinator"
    with translation.override("nl"):
        assert v.label(v.Ground, "consent") == "Toestemming van het gezin voor het gezinsplan"
        assert v.label(v.Ground, "") == "Geen grond"
        assert v.label(v.Action, "unknown-code") == "unknown-code"


def test_the_policy_speaks_the_vocabulary():
    """The policy's actions, data kinds and grounds ARE the vocabulary's; every role and
    ground it can answer with (each `Decision(True, ground, role)` in its source) is a
    member, so nothing it logs lacks a label."""
    assert policy.Action is v.Action and policy.Data is v.Data and policy.Ground is v.Ground
    # The policy is a package (docs/decisions/0007): every module of it.
    trees = [ast.parse(p.read_text()) for p in Path(policy.__file__).parent.rglob("*.py")]
    roles, grounds = set(), set()
    for node in (n for tree in trees for n in ast.walk(tree)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Decision":
            args = node.args
            if len(args) >= 2 and isinstance(args[1], ast.Attribute):
                assert isinstance(args[1].value, ast.Name) and args[1].value.id == "Ground"
                grounds.add(args[1].attr)
            if len(args) >= 3 and isinstance(args[2], ast.Constant):
                roles.add(args[2].value)
    assert roles and grounds
    assert roles <= set(v.Role.values), roles - set(v.Role.values)
    assert grounds <= set(v.Ground.names)
    assert set(policy.CARE_ROLES) | set(policy.ADMIN_ROLES) | policy.PRIVILEGED_ROLES <= set(
        v.Role.values)


def test_the_registry_roles_are_in_the_vocabulary():
    from jeugdketen.registry.models import Role

    assert set(Role.values) <= set(v.Role.values)


# --- one format ---------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "amount", "shown"), [
    ("nl", Decimal("1234.56"), "€ 1.234,56"), ("en", Decimal("1234.56"), "€1,234.56"),
    ("nl", "0", "€ 0,00"), ("en", 0, "€0.00"), ("nl", None, "–")])
def test_money(language, amount, shown):
    with translation.override(language):
        assert jk.money(amount) == shown
        assert plan_page.euro(amount) == shown


@pytest.mark.parametrize(("language", "shown"), [
    ("nl", "5 december 2026 23:56"), ("en", "5 December 2026 23:56")])
def test_a_moment_is_amsterdam_time_day_month_year_24_hours(language, shown):
    moment = datetime(2026, 12, 5, 22, 56, tzinfo=UTC)
    with translation.override(language):
        assert jk.local_datetime(moment) == shown
        assert jk.local_datetime("2026-12-05T22:56+00:00") == shown
        rendered = Template('{{ at|date:"DATETIME_FORMAT" }}').render(Context({"at": moment}))
        assert rendered == shown
        assert jk.local_date("2026-12-05") == shown.rsplit(" ", 1)[0]


def test_a_moment_after_midnight_in_amsterdam_is_the_next_day():
    with translation.override("nl"):
        assert jk.local_date(datetime(2026, 12, 5, 23, 30, tzinfo=UTC)) == "6 december 2026"
        assert jk.local_date(date(2026, 12, 5)) == "5 december 2026"


def test_one_t_score_change_for_the_coordinator_and_the_family():
    """40,04 -> 50,86 shows as 40,0 -> 50,9: the change is +10,9 on both pages (it was
    +10,8 on one and +10,9 on the other)."""
    delta = plan_page.t_delta(50.86, 40.04)
    with translation.override("nl"):
        assert plan_page.t_score(40.04) == "40,0" and plan_page.t_score(50.86) == "50,9"
        assert plan_page.t_signed(delta) == "+10,9"
        assert plan_page.t_change(delta) == "hoger (+10,9)"
        assert plan_page.t_signed(plan_page.t_delta(48.25, 50.0)) == "−1,7"
        assert plan_page.t_change(plan_page.t_delta(50.04, 49.96)) == "gelijk"
    with translation.override("en"):
        assert plan_page.t_signed(delta) == "+10.9"


def test_a_saved_version_line_shows_dates_and_euros_as_people_read_them():
    line = "Huiswerkbegeleiding – Ilse Intern – 2026-03-17 – € 1250.50 (jeugdhulp)"
    with translation.override("nl"):
        assert plan_page.plain_line(line) == (
            "Huiswerkbegeleiding – Ilse Intern – 17 maart 2026 – € 1.250,50 (jeugdhulp)")
        assert plan_page.plain_line("Sport – Opa – 2026-01-02 – € 0.00 (ambulant)").endswith(
            "€ 0,00 (ambulant)")
    with translation.override("en"):
        assert "€1,250.50" in plan_page.plain_line(line)
