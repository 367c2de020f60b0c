"""What the family page needs besides the existing actions: consent for several members
at once (record_consents), and the server-rendered charts (analysis.chart)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import AccessLogRecord, Consent
from jeugdketen.analysis.chart import domain_chart, line_chart, t_score_chart
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal
from jeugdketen.plans import actions, selectors
from tests import factories as f

pytestmark = pytest.mark.django_db


# --- record_consents ----------------------------------------------------------------


def test_consent_for_several_members_counts_each_persons_own_givers(family, plan):
    everyone = [family.parent.pk, family.child.pk, family.youth.pk]
    made = actions.record_consents(family.actor, plan.pk, person_ids=everyone,
                                   given_by=[family.parent.pk, family.youth.pk],
                                   organisation_id=family.school.pk, categories=["plan"])
    assert len(made) == 3
    school = Consent.objects.filter(organisation=family.school)
    givers = {c.person_id: {p.pk for p in c.given_by.all()} for c in school}
    assert givers == {family.parent.pk: {family.parent.pk},  # from 16: alone
                      family.child.pk: {family.parent.pk},  # under 12: the parent
                      family.youth.pk: {family.parent.pk, family.youth.pk}}  # 12-15: both
    assert {c.plan_id for c in school} == {plan.pk}  # given for this plan
    assert ChainEvent.objects.filter(activity=Activity.CONSENT_GIVEN,
                                     organisation_id=family.school.pk).count() == 3


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
    assert not Consent.objects.filter(organisation=family.school).exists()
    with pytest.raises(Refusal) as unknown:
        actions.record_consents(family.actor, plan.pk, person_ids=[family.parent.pk],
                                given_by=[family.parent.pk], organisation_id=family.school.pk,
                                categories=["gezondheid"])
    assert unknown.value.field == "categories"
    assert not Consent.objects.filter(organisation=family.school).exists()


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
    assert not Consent.objects.filter(organisation=family.school).exists()
    assert AccessLogRecord.objects.filter(user_id=family.teacher.user.pk,
                                          outcome="denied").exists()


# --- the household page and the match: may this actor open or start a plan? ----------


def test_household_plan_answers_for_the_household_page(family, make_professional):
    """Issue 8: the open plan is mentioned only to someone who may read it."""
    members = tuple(family.members)
    other_actor = f.professional_actor(make_professional("coordinator"))
    before = selectors.household_plan(family.actor, family.household.pk, members)
    assert before.may_start and before.open_plan_id is None
    assert not selectors.household_plan(other_actor, family.household.pk, members).may_start
    plan = actions.start_plan(family.actor, family.household.pk, family.coordinator.pk,
                              consent_given_by=[family.parent.pk, family.youth.pk])
    after = selectors.household_plan(family.actor, family.household.pk, members)
    assert after.open_plan_id == plan.pk and after.may_read and not after.may_start
    other = selectors.household_plan(other_actor, family.household.pk, members)
    assert other.open_plan_id is None and not other.may_read and not other.may_start
    assert selectors.open_plan_of("geen-id") is None


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


# --- the widgets written in Python (plans.forms.FastWidgets) ----------------------------


def _forms_to_compare(renderer: Any) -> list[Any]:
    """Every kind of plan form, once unbound and once bound with awkward input (quotes,
    angle brackets, ampersands, a value that is not a choice) so errors show too."""
    from types import SimpleNamespace

    from jeugdketen.analysis.forms import AnalysisForm
    from jeugdketen.plans import forms as plan_forms

    members = [("a1", "Anna <de> \"Vries\" (40 jaar)"), ("b2", "Bram & Co (8 jaar)")]
    orgs = [(1, "School \"De Linde\""), (2, "Wijkteam <Oost>")]
    goals = [SimpleNamespace(pk=7, title="Gaat <naar> school & \"blijft\"",
                             levels={"-2": "Nooit", "0": "3 dagen", "2": "Elke dag & meer"})]
    grouped = [("Professionals", [("p:1", "Rita (regisseur)")]), ("Netwerk", [("r:2", "Oma")])]
    awkward = {"title": 'Een "doel" <b>vet</b> & meer', "text": "Regel 1\n<script>x</script>",
               "weight": "11", "date": "morgen", "due_on": "2026-02-30", "budget_eur": "€ 1.250,5",
               "organisation_id": "999", "performer": "p:1", "priority": "1",
               "person_ids": ["a1"], "role": "", "name": "Oma's <huis>",
               "email": "geen adres", "reason_code": "", "satisfaction": "x"}

    def make(cls: Any, **kwargs: Any) -> list[Any]:
        prefix = cls(**kwargs, renderer=renderer).prefix
        data = {f"{prefix}-{k}" if prefix else k: v for k, v in awkward.items()}
        bound = cls(data=_query(data), **kwargs, renderer=renderer)
        bound.is_valid()
        return [cls(**kwargs, renderer=renderer), bound]

    out: list[Any] = []
    out += make(plan_forms.StartForm, candidates=[(1, "Rita <Regie>")])
    out += make(plan_forms.HandoverForm, candidates=[(1, "Rita")])
    out += make(plan_forms.SectionsForm, initial={"revision": 3, "goes_well": "Goed & <wel>"})
    out += make(plan_forms.ConcernForm)
    out += make(plan_forms.GoalForm, members=members, organisations=orgs)
    out += make(plan_forms.ActionForm, performers=grouped, organisations=orgs,
                product_codes=[("jeugdhulp", "jeugdhulp – Jeugdhulp"), ('x"<&y', "Vreemd")], goals=[(7, "Doel")])
    out += make(plan_forms.DoneForm, item_id=5)
    out += make(plan_forms.ProfessionalMemberForm, professionals=[("School", [(1, "Ilse")])])
    out += make(plan_forms.NetworkMemberForm)
    out += make(AnalysisForm, domains={"finances": "Financiën", "housing": "Huisvesting"},
                child=True, key="k", initial={"made_on": date(2026, 1, 2)})
    out += make(plan_forms.EvaluationForm, goals=goals, initial={"date": date(2026, 1, 2)})
    out += make(plan_forms.ApprovalForm, initial={"number": 2})
    out += make(plan_forms.CommentForm)
    out += make(plan_forms.CloseForm, goals=goals)
    out += make(plan_forms.ConsentForm, members=members, organisations=orgs)
    out += make(plan_forms.LegalBasisForm, members=members, organisations=orgs)
    return out


def _query(data: dict[str, Any]) -> Any:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_fast_widgets_render_exactly_what_djangos_templates_render(language):
    from django.forms.renderers import DjangoTemplates
    from django.utils import translation

    from jeugdketen.plans.forms import FAST_WIDGETS_RENDERER, FastWidgets

    assert isinstance(FAST_WIDGETS_RENDERER, FastWidgets)
    with translation.override(language):
        slow = _forms_to_compare(DjangoTemplates())
        fast = _forms_to_compare(FAST_WIDGETS_RENDERER)
        compared = 0
        for slow_form, fast_form in zip(slow, fast, strict=True):
            assert fast_form.renderer is FAST_WIDGETS_RENDERER
            for name in slow_form.fields:
                expected = str(slow_form[name].as_widget(attrs={"aria-required": "true"}))
                assert str(fast_form[name].as_widget(attrs={"aria-required": "true"})) == expected
                compared += 1
                # One checkbox or radio button at a time, as the field template shows them.
                slow_options = [(str(w.tag()), str(w.tag(wrap_label=True)))
                                for w in slow_form[name]]
                assert [(str(w.tag()), str(w.tag(wrap_label=True)))
                        for w in fast_form[name]] == slow_options
        assert compared > 60
    # And the family page's forms use it.
    from jeugdketen.plans.forms import ConcernForm

    assert ConcernForm().renderer is FAST_WIDGETS_RENDERER


@pytest.mark.parametrize("language", ["nl", "en"])
def test_plan_field_renders_exactly_what_the_field_tag_renders(language):
    """plans' {% plan_field %} is web's {% field %} written in Python: the same markup for
    every field of every plan form, with and without errors."""
    from django import forms
    from django.template import Context, Template
    from django.utils import translation

    from jeugdketen.plans.forms import FAST_WIDGETS_RENDERER, PlanForm

    class Agree(PlanForm):  # a single checkbox: no plan form has one yet
        agree = forms.BooleanField(label="Ik ga <akkoord>", help_text="Verplicht & echt")

    web = Template("{% load jk %}{% field bf %}")
    plans = Template("{% load plan_page %}{% plan_field bf %}")
    with translation.override(language):
        compared = 0
        seen: set[str] = set()
        agree = Agree(data={})
        agree.is_valid()
        for form in [*_forms_to_compare(FAST_WIDGETS_RENDERER), Agree(), agree]:
            for bf in form.visible_fields():
                expected = web.render(Context({"bf": bf}))
                assert plans.render(Context({"bf": bf})) == expected, (form, bf.name)
                compared += 1
                seen.add(type(bf.field.widget).__name__ + ("!" if bf.errors else ""))
    assert compared > 60 and len(seen) >= 10, seen


def test_the_rows_written_in_python_escape_every_text():
    """The family page's big tables and lists are written in Python
    (plans.templatetags.plan_page): whatever a user typed comes out escaped."""
    from types import SimpleNamespace

    from jeugdketen.analysis.templatetags import analysis_page
    from jeugdketen.plans.templatetags import plan_page

    evil = '<script>alert("x")</script> & \'q\''
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"
    goal = SimpleNamespace(pk=3, title=evil, weight=2)
    out = "".join(str(html) for html in (
        plan_page.action_rows([{
            "pk": 1, "description": evil, "goal": evil, "who": evil, "organisation": evil,
            "due": "1-2-2026", "budget": "€ 1,00", "product_code": evil, "done": "",
            "overdue": True, "done_url": '/x/"y"/'}]),
        plan_page.goal_cards([{
            "goal": goal, "persons": evil, "organisation": "", "latest": "+1",
            "latest_on": evil, "history": "",
            "levels": [{"score": "+1", "text": evil, "current": True}]}], False, evil),
        analysis_page.latest_rows([{"label": evil, "professional": evil, "family": evil,
                                "strengths": evil, "concerns": "", "on": evil,
                                "stale": True}]),
        analysis_page.history_rows([{"label": evil, "cells": [(evil, evil)]}]),
        plan_page.evaluation_rows([{"on": evil, "final": True, "t_score": "50,0",
                                    "change": evil, "by": evil, "note": evil}]),
    ))
    assert "<script>" not in out and '"x"' not in out
    assert out.count(escaped) >= 20
    assert 'href="/x/&quot;y&quot;/"' in out
    assert "Open, te laat" in out and "huidige score" in out and "eindevaluatie" in out


def test_item_urls_are_the_urls_reverse_gives() -> None:
    """The family page reverses an item form's URL once and puts each item's id in."""
    import uuid

    from django.urls import reverse

    from jeugdketen.plans.views.page import item_urls

    plan_id = uuid.uuid4()
    url = item_urls(plan_id, "actie-afgerond")
    for item_id in (1, 7, 11, 1234567):
        assert url(item_id) == reverse("plan_item_form", kwargs={
            "plan_id": plan_id, "form": "actie-afgerond", "item_id": item_id})


@pytest.mark.parametrize("language", ["nl", "en"])
def test_light_form_renders_exactly_what_the_form_template_renders(language):
    """plans' {% light_form %} is plans/parts/form.html written in Python: the same markup
    for every plan form, unbound and sent back with errors, with and without a CSRF
    token."""
    from django.template import Context, Template
    from django.utils import translation

    from jeugdketen.plans.forms import FAST_WIDGETS_RENDERER

    template = Template('{% include "plans/parts/form.html" %}')
    tag = Template("{% load plan_page %}{% light_form form url submit %}")
    with translation.override(language):
        compared = 0
        for form in _forms_to_compare(FAST_WIDGETS_RENDERER):
            for token in ("abc<&>def", "", "NOTPROVIDED"):
                context = {"form": form, "url": '/plannen/1/doel/#form-"goal"',
                           "submit": "Opslaan & <verder>", "csrf_token": token}
                expected = template.render(Context(context))
                assert tag.render(Context(context)) == expected, form
                compared += 1
        assert compared >= 90
        assert any(form.errors for form in _forms_to_compare(FAST_WIDGETS_RENDERER))
