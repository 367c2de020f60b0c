"""The coordinator's family page and its forms, through the Django test client: who sees
it (the coordinator, a team member with consent) and who is refused (no ground, consent
withdrawn); every form's happy path and an error that lands on the field it names.

The light forms sit on the family page itself; the heavy ones (a new analysis, an
evaluation, the close, marking an action done, handing over the coordination, a legal
basis) have a page of their own: GET shows the form, POST saves and goes back to the
family page, an error shows the form page again with the error at its field."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jeugdketen.access.models import AccessLogRecord, Consent, LegalBasis
from jeugdketen.analysis import actions as analysis_actions
from jeugdketen.analysis.models import Analysis, DomainScore, StressJudgement
from jeugdketen.plans import actions
from jeugdketen.plans.models import (
    Comment,
    Concern,
    Evaluation,
    Goal,
    Handover,
    Plan,
    PlanAction,
    PlanVersion,
    TeamMember,
)
from tests import factories as f

from .conftest import LEVELS, consent_all

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.REQUIRE_2FA = False


def login(prof: Any) -> Client:
    client = Client(HTTP_USER_AGENT="pytest-plans")
    client.force_login(prof.user)
    return client


def page_url(plan: Plan) -> str:
    return reverse("plan", kwargs={"plan_id": plan.pk})


def form_url(plan: Plan, form: str, item: Any = None) -> str:
    if item is None:
        return reverse("plan_form", kwargs={"plan_id": plan.pk, "form": form})
    return reverse("plan_item_form", kwargs={"plan_id": plan.pk, "form": form, "item_id": item})


def analysis_page_url(plan: Plan) -> str:
    return reverse("plan_analysis_page", kwargs={"plan_id": plan.pk})


def analysis_url(plan: Plan, person: Any) -> str:
    return reverse("plan_analysis", kwargs={"plan_id": plan.pk, "person_id": person.pk})


def form_page(response: Any, title: str, action: str) -> str:
    """A form's own page: 200, its title as the heading, a form that posts to itself, and a
    way back to the family page."""
    body = text(response)
    assert response.status_code == 200
    assert f'<h1 class="utrecht-heading-1">{title}</h1>' in body
    assert f'<form method="post" action="{action}"' in body
    assert "Terug naar het gezinsplan" in body
    assert " style=" not in body and "<style" not in body
    return body


def text(response: Any) -> str:
    return response.content.decode()


def field_error(response: Any, html_id: str) -> str:
    """The error message shown at one field (its id is <input id>_error)."""
    match = re.search(rf'id="{re.escape(html_id)}_error">(.*?)</div>', text(response), re.S)
    assert match, f"no error at {html_id}"
    return re.sub(r"<[^>]+>", "", match.group(1)).replace("Fout:", "").strip()


def backdate(plan: Plan, days: int = 120) -> None:
    """Let the plan have started a while ago (analyses and evaluations lie after the start)."""
    Plan.objects.filter(pk=plan.pk).update(started_on=TODAY() - timedelta(days=days))


@pytest.fixture
def coordinator(family):
    return login(family.coordinator)


@pytest.fixture
def goal(family, plan):
    return actions.add_goal(family.actor, plan.pk, title="Gaat naar school",
                            person_ids=[family.youth.pk], levels=LEVELS)


@pytest.fixture
def teacher_in_team(family, plan):
    consents = consent_all(family, family.school)
    actions.add_team_member(family.actor, plan.pk, role="Intern begeleider",
                            professional_id=family.teacher.pk)
    return consents


# --- who sees the page --------------------------------------------------------------


def test_the_coordinator_sees_the_whole_family_page(family, plan, goal, teacher_in_team,
                                                    coordinator):
    backdate(plan)
    actor = family.actor
    grandma = actions.add_team_member(actor, plan.pk, role="Haalt op woensdag op",
                                      related=actions.RelatedInput("Oma Joke", "oma",
                                                                   "0612345678"))
    actions.add_action(actor, plan.pk, description="Huiswerkbegeleiding",
                       organisation_id=family.school.pk, due_on=TODAY(),
                       performer_professional_id=family.teacher.pk, budget_eur="250")
    actions.add_action(actor, plan.pk, description="Ophalen op woensdag",
                       organisation_id=family.team_org.pk, due_on=TODAY(),
                       performer_related_id=grandma.related_person_id)
    actions.record_evaluation(actor, plan.pk, on=TODAY() - timedelta(days=40),
                              scores=[(goal.pk, -1)])
    actions.record_evaluation(actor, plan.pk, on=TODAY(), scores=[(goal.pk, 1)])
    analysis_actions.record_analysis(
        actor, plan.pk, made_on=TODAY() - timedelta(days=45),
        scores=[analysis_actions.ScoreInput(family.parent.pk, "finances", 2, 3,
                                            strengths="Werkt")],
        stress=[analysis_actions.StressInput(family.child.pk, "toxic")])
    actions.save_version(actor, plan.pk)

    response = coordinator.get(page_url(plan))
    body = text(response)
    assert response.status_code == 200
    for expected in ("Mariam Bakker", "Noor Bakker", "Daan Bakker", "Rita Regie",
                     "Ilse Intern", "Oma Joke", "0612345678", "Haalt op woensdag op",
                     "Gaat naar school", "3 dagen per week", "huidige score",
                     "Huiswerkbegeleiding", "€ 250,00", "jeugdhulp", "60,0", "hoger (+20,0)",
                     "2 – niet zelfredzaam", "toxische stress", "verouderd",
                     "Basisschool De Linde", "basisgegevens, analyse, plan, evaluaties",
                     "Nog niet goedgekeurd", "Op deze pagina"):
        assert expected in body, expected
    # The charts: inline SVG with a title, and the numbers at the points. The T-score's is
    # on the family page; those per life domain are on the analysis page, linked from
    # the summary (latest scores, stress) per member.
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg" class="jk-chart"') == 1
    assert "<title id=\"tscore-t\">" in body
    assert "Laatste scores van Mariam Bakker" in body and "Verloop per domein van" not in body
    assert (f'href="{analysis_page_url(plan)}#analyse-{family.parent.pk.hex}">Verloop per '
            f'domein en alle scores van Mariam Bakker</a>') in body
    analysis = text(coordinator.get(analysis_page_url(plan)))
    assert analysis.count('<svg xmlns="http://www.w3.org/2000/svg" class="jk-chart"') == 1
    assert f'<title id="chart-{family.parent.pk.hex[:12]}-finances-t">' in analysis
    for expected in ("Verloop per domein van Mariam Bakker", "Alle scores van Mariam Bakker",
                     "2 – niet zelfredzaam", "toxische stress", "verouderd", "2 / 3"):
        assert expected in analysis, expected
    # Every form of the coordinator is there: the light ones on the page itself...
    for slug in ("onderdelen", "zorg", "doel", "actie", "team-professional", "team-netwerk",
                 "reactie", "toestemming"):
        assert f'action="{form_url(plan, slug)}#form-' in body, slug
    # ... the heavy ones as a link to their own page (no form on the family page).
    for slug, link in (("evaluatie", "Evaluatie vastleggen"), ("afsluiten", "Het plan afsluiten"),
                       ("overdracht", "Regie overdragen")):
        assert f'href="{form_url(plan, slug)}">{link}</a>' in body, slug
        assert f'action="{form_url(plan, slug)}' not in body, slug
    # A legal basis is its holder's to record; a neighbourhood team holds none.
    assert form_url(plan, "grondslag") not in body
    for person in family.members:
        assert f'href="{analysis_url(plan, person)}">Analyse vastleggen voor {person}</a>' in body
    for item in PlanAction.objects.all():
        assert f'href="{form_url(plan, "actie-afgerond", item.pk)}">Afronden' in body
    assert 'name="ev-date"' not in body and "-made_on" not in body and "cl-reason_code" not in body
    # No inline script or style (CSP).
    assert " style=" not in body and "<style" not in body


def test_a_team_member_with_consent_reads_without_the_coordinators_forms(family, plan, goal,
                                                                         teacher_in_team):
    response = login(family.teacher).get(page_url(plan))
    body = text(response)
    assert response.status_code == 200
    assert "Gaat naar school" in body and "U zit in het team van dit plan." in body
    assert form_url(plan, "reactie") in body  # a team member with consent may comment
    for slug in ("onderdelen", "doel", "actie", "team-professional", "evaluatie", "afsluiten",
                 "toestemming", "grondslag", "overdracht"):
        assert form_url(plan, slug) not in body, slug
    assert "Toestemming en grondslag" not in body  # consent is for the family and coordinator
    assert "Analyse vastleggen" not in body
    # Their own pages are not for a team member either (refused; nothing was attempted).
    teacher = login(family.teacher)
    for url in (form_url(plan, "evaluatie"), form_url(plan, "afsluiten"),
                form_url(plan, "overdracht"), form_url(plan, "grondslag"),
                analysis_url(plan, family.child)):
        assert teacher.get(url).status_code == 403, url
    refused = teacher.post(form_url(plan, "evaluatie"), {"ev-date": "", f"ev-goal_{goal.pk}": ""})
    assert refused.status_code == 403 and not Evaluation.objects.exists()


def test_a_professional_without_a_ground_is_refused_and_it_is_logged(family, plan,
                                                                      make_professional):
    stranger = make_professional("coordinator")
    response = login(stranger).get(page_url(plan))
    assert response.status_code == 403
    assert "Gaat naar school" not in text(response)
    assert AccessLogRecord.objects.filter(user_id=stranger.user.pk, outcome="denied").exists()
    assert login(stranger).post(form_url(plan, "zorg"), {"con-text": "x",
                                                           "con-priority": "1"}).status_code == 403
    assert not Concern.objects.exists()


def test_the_analysis_page_is_read_on_a_ground_and_logged(family, plan, teacher_in_team,
                                                          make_professional):
    analysis_actions.record_analysis(
        family.actor, plan.pk, made_on=TODAY(),
        scores=[analysis_actions.ScoreInput(family.parent.pk, "finances", 2, 4)])
    # Allowed: a team member with the family's consent for the analysis; the reads of the
    # plan and of each member's analysis are logged.
    teacher = login(family.teacher)
    response = teacher.get(analysis_page_url(plan))
    body = text(response)
    assert response.status_code == 200
    assert "Verloop per domein van Mariam Bakker" in body and "2 / 4" in body
    assert "Analyse vastleggen" not in body  # recording is the coordinator's
    reads = AccessLogRecord.objects.filter(user_id=family.teacher.user.pk, outcome="allowed",
                                           action="read")
    assert {r.object_type for r in reads} >= {"plan", "analysis"}
    assert reads.filter(object_type="analysis", client_id=str(family.parent.pk)).exists()
    # Denied: a professional without a ground sees nothing, and the refusal is logged.
    stranger = make_professional("coordinator")
    refused = login(stranger).get(analysis_page_url(plan))
    assert refused.status_code == 403
    assert "Mariam Bakker" not in text(refused) and "jk-chart" not in text(refused)
    assert AccessLogRecord.objects.filter(user_id=stranger.user.pk, outcome="denied").exists()


def test_a_team_member_is_refused_once_the_family_withdraws(family, plan, teacher_in_team,
                                                           coordinator):
    teacher = login(family.teacher)
    assert teacher.get(page_url(plan)).status_code == 200
    withdrawn = teacher_in_team[1]  # the youth's consent
    response = coordinator.post(form_url(plan, "toestemming-intrekken", withdrawn.pk))
    assert response.status_code == 302 and response["Location"].endswith("#toestemming")
    withdrawn.refresh_from_db()
    assert withdrawn.withdrawn_at is not None
    assert teacher.get(page_url(plan)).status_code == 403
    assert AccessLogRecord.objects.filter(user_id=family.teacher.user.pk, outcome="denied").exists()


def test_team_member_cannot_post_the_coordinators_forms(family, plan, teacher_in_team):
    response = login(family.teacher).post(form_url(plan, "zorg"), {
        "con-text": "Zorgen over school", "con-priority": "1"})
    assert response.status_code == 403
    assert not Concern.objects.exists()


def test_my_plans_lists_the_plans_of_coordinator_and_team_member(family, plan,
                                                                 teacher_in_team, coordinator):
    mine = text(coordinator.get(reverse("my_plans")))
    assert page_url(plan) in mine and "regisseur" in mine and "Mijn plannen" in mine
    theirs = text(login(family.teacher).get(reverse("my_plans")))
    assert page_url(plan) in theirs and "teamlid" in theirs


# --- starting a plan ------------------------------------------------------------------


def test_start_from_the_household_page_then_one_family_one_plan(family, coordinator):
    """Issue 8: started on the family's consent, recorded with the start; the professional
    who starts it is the coordinator."""
    household = reverse("household", kwargs={"household_id": family.household.pk})
    start = f"{reverse('plan_start')}?household={family.household.pk}"
    assert start.replace("&", "&amp;") in text(coordinator.get(household))
    form = coordinator.get(start)
    assert form.status_code == 200 and "Mariam Bakker" in text(form)
    # On the family's consent: who gives it is asked, the coordinator is the starter.
    for person in family.members:
        assert f'name="given_by_person_ids" value="{person.pk}"' in text(form)
    assert 'name="coordinator_id"' not in text(form)
    response = coordinator.post(reverse("plan_start"), {
        "household": str(family.household.pk),
        "given_by_person_ids": [str(family.parent.pk), str(family.youth.pk)]})
    plan = Plan.objects.get(household=family.household)
    assert response.status_code == 302 and response["Location"] == page_url(plan)
    assert plan.origin == "direct" and plan.coordinator_id == family.coordinator.pk
    consents = Consent.objects.filter(plan=plan)
    assert {(c.person_id, c.organisation_id) for c in consents} == {
        (p.pk, family.team_org.pk) for p in family.members}
    # A second start shows the open plan instead of the form, and the household page
    # links to it.
    again = coordinator.post(reverse("plan_start"), {
        "household": str(family.household.pk),
        "given_by_person_ids": [str(family.parent.pk), str(family.youth.pk)]})
    assert again.status_code == 409 and "één gezin, één plan" in text(again)
    assert page_url(plan) in text(again)
    assert Plan.objects.filter(household=family.household).count() == 1
    assert page_url(plan) in text(coordinator.get(household))


def test_start_names_the_consent_field_and_refuses_without_a_ground(family, coordinator,
                                                                   make_professional):
    response = coordinator.post(reverse("plan_start"), {
        "household": str(family.household.pk), "given_by_person_ids": []})
    assert response.status_code == 200
    assert field_error(response, "id_given_by_person_ids") == "Kies wie de toestemming geeft."
    # The youth of 14 consents together with the parent: the parent alone is not enough.
    alone = coordinator.post(reverse("plan_start"), {
        "household": str(family.household.pk), "given_by_person_ids": [str(family.parent.pk)]})
    assert alone.status_code == 200
    assert field_error(alone, "id_given_by_person_ids").startswith("Daan Bakker:")
    assert not Plan.objects.exists() and not Consent.objects.exists()
    stranger = make_professional("coordinator")
    refused = login(stranger).get(f"{reverse('plan_start')}?household={family.household.pk}")
    assert refused.status_code == 403


def test_start_a_plan_from_a_coordinated_match(db, municipality, neighbourhood):
    from jeugdketen.referral_index import actions as index

    def org_with(name: str) -> Any:
        org = f.OrganisationFactory(name=name, municipality=municipality, may_signal=True,
                                    may_coordinate=True)
        return f.ProfessionalFactory(organisation=org, roles=["professional"], full_name=name)

    a, b = org_with("Wijkteam Noord"), org_with("GGD Testdam")
    kid = f.PersonFactory(birth_date=f.birth_date_for_age(9), neighbourhood=neighbourhood)
    parent = f.PersonFactory(birth_date=f.birth_date_for_age(38), neighbourhood=neighbourhood)
    household = f.make_household(parents=[parent], children=[kid])
    for prof in (a, b):
        f.RegistrationFactory(person=kid, professional=prof)
    index.register_signal(f.professional_actor(a), kid.pk)
    match = index.register_signal(f.professional_actor(b), kid.pk).matches[0]
    index.propose_coordinator(f.professional_actor(b), match.pk, a.pk)
    index.accept_coordinator(f.professional_actor(a), match.pk)

    client = login(a)
    matches = text(client.get(reverse("my_matches")))
    start = f"{reverse('plan_start')}?household={household.pk}&amp;match={match.pk}"
    assert start in matches and "Gezinsplan starten" in matches
    form = client.get(start.replace("&amp;", "&"))
    assert form.status_code == 200
    # The parent was not entered by this professional: named only once they coordinate.
    assert "1 gezinslid van wie u de gegevens (nog) niet ziet" in text(form)
    # From a match the agreed coordinator names the plan's coordinator.
    assert f'<option value="{a.pk}" selected>' in text(form)
    unnamed = client.post(reverse("plan_start"), {
        "household": str(household.pk), "match": str(match.pk), "coordinator_id": ""})
    assert field_error(unnamed, "id_coordinator_id") == "Kies de regisseur."
    assert not Plan.objects.exists()
    response = client.post(reverse("plan_start"), {
        "household": str(household.pk), "match": str(match.pk), "coordinator_id": a.pk})
    plan = Plan.objects.get(household=household)
    assert response.status_code == 302 and plan.origin == "match" and plan.match_id == match.pk
    assert client.get(page_url(plan)).status_code == 200
    assert page_url(plan) in text(client.get(reverse("my_matches")))
    # The other professional in the match cannot start one from it.
    assert login(b).get(start.replace("&amp;", "&")).status_code == 403


# --- the sections and concerns ---------------------------------------------------------


def test_edit_the_sections(family, plan, coordinator):
    response = coordinator.post(form_url(plan, "onderdelen"), {
        "sec-revision": plan.revision, "sec-goes_well": "Moeder zorgt goed voor de kinderen",
        "sec-own_strength": "Oma helpt", "sec-support_needed": "Schoolgang van Daan"})
    assert response.status_code == 302 and response["Location"].endswith("#plan-onderdelen")
    plan.refresh_from_db()
    assert plan.goes_well == "Moeder zorgt goed voor de kinderen"
    assert "Moeder zorgt goed voor de kinderen" in text(coordinator.get(page_url(plan)))


def test_a_concurrent_change_keeps_the_users_text(family, plan, coordinator):
    stale = plan.revision
    actions.add_concern(family.actor, plan.pk, text="Iemand anders was sneller", priority=1)
    response = coordinator.post(form_url(plan, "onderdelen"), {
        "sec-revision": stale, "sec-goes_well": "Mijn zorgvuldig geschreven tekst",
        "sec-own_strength": "", "sec-support_needed": ""})
    body = text(response)
    assert response.status_code == 409
    assert "Iemand anders heeft het plan intussen gewijzigd" in body
    assert "Mijn zorgvuldig geschreven tekst" in body  # kept in the form
    plan.refresh_from_db()
    assert plan.goes_well == ""
    # The form now carries the current revision: sending it again saves.
    revision = re.search(r'name="sec-revision" value="(\d+)"', body).group(1)
    assert int(revision) == plan.revision
    again = coordinator.post(form_url(plan, "onderdelen"), {
        "sec-revision": revision, "sec-goes_well": "Mijn zorgvuldig geschreven tekst",
        "sec-own_strength": "", "sec-support_needed": ""})
    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.goes_well == "Mijn zorgvuldig geschreven tekst"


def test_add_and_remove_a_concern(family, plan, coordinator):
    error = coordinator.post(form_url(plan, "zorg"), {"con-text": "  ", "con-priority": "1"})
    assert error.status_code == 200
    assert field_error(error, "id_con-text") == "Beschrijf de zorg."
    response = coordinator.post(form_url(plan, "zorg"), {"con-text": "Daan verzuimt",
                                                         "con-priority": "1"})
    concern = Concern.objects.get()
    assert response.status_code == 302 and concern.priority == 1
    assert "prioriteit hoog" in text(coordinator.get(page_url(plan)))
    removed = coordinator.post(form_url(plan, "zorg-verwijderen", concern.pk))
    assert removed.status_code == 302 and not Concern.objects.exists()


# --- goals and actions ------------------------------------------------------------------


def goal_data(family: Any, **changes: Any) -> dict[str, Any]:
    data = {"goal-title": "Woont veilig thuis en gaat 3 dagen per week naar school",
            "goal-person_ids": [str(family.youth.pk), str(family.child.pk)],
            "goal-weight": "2", "goal-organisation_id": "",
            "goal-levels_m2": LEVELS["-2"], "goal-levels_m1": LEVELS["-1"],
            "goal-levels_0": LEVELS["0"], "goal-levels_p1": LEVELS["1"],
            "goal-levels_p2": LEVELS["2"]}
    data.update(changes)
    return data


def test_add_a_goal(family, plan, coordinator):
    response = coordinator.post(form_url(plan, "doel"), goal_data(family))
    assert response.status_code == 302 and response["Location"].endswith("#doelen")
    goal = Goal.objects.get()
    assert goal.weight == 2 and goal.levels == LEVELS
    assert set(goal.persons.all()) == {family.youth, family.child}


def test_a_goal_without_a_level_or_a_person_names_the_field(family, plan, coordinator):
    response = coordinator.post(form_url(plan, "doel"), goal_data(
        family, **{"goal-levels_m1": "", "goal-person_ids": []}))
    assert response.status_code == 200
    assert field_error(response, "id_goal-levels_m1") == "Beschrijf niveau -1 in woorden."
    assert field_error(response, "id_goal-person_ids") == "Kies voor wie dit doel is."
    assert "Woont veilig thuis" in text(response)  # the typed text is kept
    assert 'id="form-goal" open' in text(response)
    assert not Goal.objects.exists()


def test_a_goal_level_refused_by_the_action_lands_on_its_field(family, plan, coordinator):
    response = coordinator.post(form_url(plan, "doel"), goal_data(
        family, **{"goal-levels_p2": "x" * 501}))
    # The form itself limits a level to 500 characters, as the action does.
    assert "id_goal-levels_p2_error" in text(response)
    assert not Goal.objects.exists()


def action_data(performer: str, organisation: Any, **changes: Any) -> dict[str, Any]:
    data = {"act-description": "Ophalen uit school op woensdag", "act-performer": performer,
            "act-organisation_id": str(organisation.pk), "act-due_on": TODAY().isoformat(),
            "act-budget_eur": "1.250,50", "act-product_code": "jeugdhulp", "act-goal_id": ""}
    data.update(changes)
    return data


def test_add_an_action_for_the_network_and_mark_it_done(family, plan, goal, coordinator):
    grandma = actions.add_team_member(family.actor, plan.pk, role="Haalt op",
                                      related=actions.RelatedInput("Oma Joke", "oma"))
    page = text(coordinator.get(page_url(plan)))
    assert f'value="r:{grandma.related_person_id}"' in page
    assert f'value="p:{family.coordinator.pk}"' in page
    # The network's action has no product code: one given is refused at its field.
    refused = coordinator.post(form_url(plan, "actie"), action_data(
        f"r:{grandma.related_person_id}", family.team_org, **{"act-goal_id": str(goal.pk)}))
    assert field_error(refused, "id_act-product_code") == (
        "Een actie van iemand uit het netwerk van het gezin heeft geen productcode.")
    assert not PlanAction.objects.exists()
    response = coordinator.post(form_url(plan, "actie"), action_data(
        f"r:{grandma.related_person_id}", family.team_org,
        **{"act-goal_id": str(goal.pk), "act-product_code": ""}))
    assert response.status_code == 302, text(response)[:2000]
    item = PlanAction.objects.get()
    assert item.performer_related_id == grandma.related_person_id
    assert item.product_code == ""
    assert item.budget_eur == Decimal("1250.50") and item.goal_id == goal.pk
    # Marking it done: a small page of its own, linked from the action's row.
    url = form_url(plan, "actie-afgerond", item.pk)
    assert f'href="{url}">Afronden' in text(coordinator.get(page_url(plan)))
    shown = form_page(coordinator.get(url), "Actie afronden", url)
    assert "Ophalen uit school op woensdag" in shown and "Oma Joke (oma)" in shown
    assert "€ 1.250,50" in shown and "Gaat naar school" in shown
    assert f'name="done{item.pk}-spent_eur"' in shown
    done = coordinator.post(form_url(plan, "actie-afgerond", item.pk), {
        f"done{item.pk}-done_on": "", f"done{item.pk}-spent_eur": "99,50"})
    assert done.status_code == 302 and done["Location"].endswith("#acties")
    item.refresh_from_db()
    assert item.done_on == TODAY() and item.spent_eur == Decimal("99.50")
    # Done: its page leads back to the family page, which no longer links to it.
    again = coordinator.get(url)
    assert again.status_code == 302 and again["Location"].endswith("#acties")
    assert url not in text(coordinator.get(page_url(plan)))
    body = text(coordinator.get(page_url(plan)))
    assert "€ 99,50" in body and "€ 1.151,00" in body  # spent, and budget minus spent


def test_action_errors_name_their_fields(family, plan, coordinator):
    refused = coordinator.post(form_url(plan, "actie"), action_data(
        f"p:{family.coordinator.pk}", family.team_org, **{"act-budget_eur": "2000000"}))
    assert refused.status_code == 200
    assert field_error(refused, "id_act-budget_eur") == "Een bedrag van 0 tot 1.000.000 euro."
    bad = coordinator.post(form_url(plan, "actie"), action_data(
        "", family.team_org, **{"act-due_on": "morgen"}))
    assert field_error(bad, "id_act-performer") == "Kies wie het doet."
    assert "dag-maand-jaar" in field_error(bad, "id_act-due_on")
    assert not PlanAction.objects.exists()
    item = actions.add_action(family.actor, plan.pk, description="Gesprek",
                              organisation_id=family.team_org.pk, due_on=TODAY(),
                              performer_professional_id=family.coordinator.pk)
    url = form_url(plan, "actie-afgerond", item.pk)
    done = coordinator.post(url, {f"done{item.pk}-spent_eur": "veel"})
    form_page(done, "Actie afronden", url)  # the form page again, with what was typed
    assert field_error(done, f"id_done{item.pk}-spent_eur").startswith("Vul een bedrag")
    assert 'value="veel"' in text(done)
    assert coordinator.get(form_url(plan, "actie-afgerond", 999999)).status_code == 404
    # Done by someone else meanwhile: the form is gone, the refusal is still shown.
    actions.complete_action(family.actor, item.pk, spent_eur="10")
    twice = coordinator.post(form_url(plan, "actie-afgerond", item.pk), {
        f"done{item.pk}-spent_eur": "20"})
    assert twice.status_code == 200 and "Deze actie is al afgerond." in text(twice)
    assert "<h1 class=\"utrecht-heading-1\">Actie afronden</h1>" in text(twice)
    item.refresh_from_db()
    assert item.spent_eur == Decimal("10.00")


# --- the team ---------------------------------------------------------------------------


def test_a_professional_joins_only_on_a_ground(family, plan, coordinator):
    data = {"tp-professional_id": str(family.teacher.pk), "tp-role": "Intern begeleider"}
    refused = coordinator.post(form_url(plan, "team-professional"), data)
    assert refused.status_code == 200
    assert "nog geen toestemming van alle gezinsleden voor dit plan" in field_error(
        refused, "id_tp-professional_id")
    assert not TeamMember.objects.exists()
    consent_all(family, family.school)
    joined = coordinator.post(form_url(plan, "team-professional"), data)
    assert joined.status_code == 302
    member = TeamMember.objects.get()
    assert member.professional_id == family.teacher.pk
    removed = coordinator.post(form_url(plan, "team-verwijderen", member.pk))
    assert removed.status_code == 302
    member.refresh_from_db()
    assert member.left_at is not None
    assert "Eerdere teamleden" in text(coordinator.get(page_url(plan)))


def test_a_grandmother_joins_the_team(family, plan, coordinator):
    bad = coordinator.post(form_url(plan, "team-netwerk"), {
        "tn-name": "Oma Joke", "tn-relation": "oma", "tn-phone": "0612345678",
        "tn-email": "geen-adres", "tn-role": "Haalt op"})
    assert field_error(bad, "id_tn-email") == "Geen geldig e-mailadres."
    assert not TeamMember.objects.exists()
    response = coordinator.post(form_url(plan, "team-netwerk"), {
        "tn-name": "Oma Joke", "tn-relation": "oma", "tn-phone": "0612345678",
        "tn-email": "", "tn-role": "Haalt op"})
    assert response.status_code == 302
    member = TeamMember.objects.select_related("related_person").get()
    assert member.related_person.name == "Oma Joke" and member.role == "Haalt op"


# --- analysis, evaluation -------------------------------------------------------------


def test_record_an_analysis_for_a_parent_and_stress_for_a_child(family, plan, coordinator):
    parent_form = f"an{family.parent.pk.hex}"
    url = analysis_url(plan, family.parent)
    shown = form_page(coordinator.get(url), "Analyse vastleggen voor Mariam Bakker", url)
    assert "Financiën" in shown and f'name="{parent_form}-finances__professional_score"' in shown
    assert "-stress_level" not in shown  # stress is judged for children
    child_page = text(coordinator.get(analysis_url(plan, family.child)))
    assert f'name="an{family.child.pk.hex}-stress_level"' in child_page
    response = coordinator.post(url, {
        f"{parent_form}-made_on": TODAY().isoformat(),
        f"{parent_form}-finances__professional_score": "2",
        f"{parent_form}-finances__family_score": "3",
        f"{parent_form}-finances__concerns": "Schulden"})
    assert response.status_code == 302, text(response)[:3000]
    assert response["Location"] == f"{page_url(plan)}#analyse-{family.parent.pk.hex}"
    score = DomainScore.objects.get()
    assert (score.domain, score.professional_score, score.family_score) == ("finances", 2, 3)
    child_form = f"an{family.child.pk.hex}"
    response = coordinator.post(analysis_url(plan, family.child), {
        f"{child_form}-made_on": TODAY().isoformat(),
        f"{child_form}-stress_level": "tolerable"})
    assert response.status_code == 302
    assert StressJudgement.objects.get().level == "tolerable"
    body = text(coordinator.get(page_url(plan)))
    assert "2 – niet zelfredzaam" in body and "toelaatbare stress" in body


def test_analysis_errors_name_their_fields(family, plan, coordinator):
    prefix = f"an{family.parent.pk.hex}"
    url = analysis_url(plan, family.parent)
    empty = coordinator.post(url, {f"{prefix}-made_on": TODAY().isoformat()})
    form_page(empty, "Analyse vastleggen voor Mariam Bakker", url)
    assert "Vul voor minstens één domein een score of tekst in." in text(empty)
    bad = coordinator.post(url, {f"{prefix}-made_on": TODAY().isoformat(),
                                 f"{prefix}-housing__professional_score": "9"})
    assert "9" in field_error(bad, f"id_{prefix}-housing__professional_score")
    early = coordinator.post(url, {
        f"{prefix}-made_on": (TODAY() - timedelta(days=400)).isoformat(),
        f"{prefix}-housing__professional_score": "4"})
    assert "start van het plan" in field_error(early, f"id_{prefix}-made_on")
    assert not Analysis.objects.exists()
    # Someone not in the household: not found.
    stranger = f.PersonFactory(birth_date=f.birth_date_for_age(30))
    assert coordinator.get(analysis_url(plan, stranger)).status_code == 404


def test_record_an_evaluation(family, plan, goal, coordinator):
    url = form_url(plan, "evaluatie")
    assert f'href="{url}">Evaluatie vastleggen</a>' in text(coordinator.get(page_url(plan)))
    page = form_page(coordinator.get(url), "Evaluatie vastleggen", url)
    assert "-1: 1 dag per week" in page  # the level text beside each score
    assert "Gaat naar school" in page and 'name="ev-date"' in page
    response = coordinator.post(url, {
        "ev-date": TODAY().isoformat(), f"ev-goal_{goal.pk}": "1", "ev-note": "Goed bezig"})
    assert response.status_code == 302 and response["Location"].endswith("#evaluaties")
    evaluation = Evaluation.objects.get()
    assert evaluation.scores.get().score == 1 and evaluation.t_score > 50
    # The next time the page names the last evaluation.
    assert "Laatste evaluatie" in text(coordinator.get(url))


def test_evaluation_errors_name_their_fields(family, plan, goal, coordinator):
    url = form_url(plan, "evaluatie")
    future = coordinator.post(url, {
        "ev-date": (TODAY() + timedelta(days=3)).isoformat(), f"ev-goal_{goal.pk}": "0"})
    form_page(future, "Evaluatie vastleggen", url)
    assert "start van het plan en vandaag" in field_error(future, "id_ev-date")
    missing = coordinator.post(form_url(plan, "evaluatie"), {"ev-date": TODAY().isoformat()})
    assert field_error(missing, f"id_ev-goal_{goal.pk}") == "Geef dit doel een score."
    assert not Evaluation.objects.exists()


# --- versions, approval, comments ------------------------------------------------------


def test_save_a_version_record_the_approval_and_see_the_differences(family, plan, goal,
                                                                    coordinator):
    assert "Versie vastleggen ter goedkeuring" in text(coordinator.get(page_url(plan)))
    assert coordinator.post(form_url(plan, "versie")).status_code == 302
    version = PlanVersion.objects.get()
    missing = coordinator.post(form_url(plan, "goedkeuring"), {"ap-number": version.number})
    assert field_error(missing, "id_ap-how") == "Kies hoe het gezin akkoord gaf."
    response = coordinator.post(form_url(plan, "goedkeuring"), {
        "ap-number": version.number, "ap-how": "paper"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.approved_how == "paper" and version.approved_at is not None
    assert "op papier" in text(coordinator.get(page_url(plan)))
    actions.add_goal(family.actor, plan.pk, title="Moeder heeft werk",
                     person_ids=[family.parent.pk], levels=LEVELS)
    coordinator.post(form_url(plan, "versie"))
    versions = coordinator.get(reverse("plan_versions", kwargs={"plan_id": plan.pk}))
    body = text(versions)
    assert versions.status_code == 200
    assert "van versie 1 naar versie 2" in body and "Toegevoegd:" in body
    assert "<ins>Moeder heeft werk" in body
    first = coordinator.get(reverse("plan_versions", kwargs={"plan_id": plan.pk}) + "?van=0&naar=1")
    assert "Wat er in versie 1 staat" in text(first) and "Gaat naar school" in text(first)


def test_comments(family, plan, teacher_in_team, coordinator):
    empty = coordinator.post(form_url(plan, "reactie"), {"cm-text": ""})
    assert field_error(empty, "id_cm-text") == "Schrijf eerst uw reactie."
    assert login(family.teacher).post(form_url(plan, "reactie"), {
        "cm-text": "Daan was er elke dag"}).status_code == 302
    comment = Comment.objects.get()
    assert comment.author_name == "Ilse Intern" and not comment.by_family
    assert "Daan was er elke dag" in text(coordinator.get(page_url(plan)))


# --- handover and close -----------------------------------------------------------------


def test_hand_over_the_coordination(family, plan, coordinator):
    successor = f.ProfessionalFactory(organisation=family.team_org, roles=["coordinator"],
                                      full_name="Sam Opvolger")
    url = form_url(plan, "overdracht")
    shown = form_page(coordinator.get(url), "Regie overdragen", url)
    assert f'<option value="{successor.pk}">Sam Opvolger (Wijkteam Oost)</option>' in shown
    short = coordinator.post(url, {"ho-to_professional_id": successor.pk, "ho-reason": "Ziek"})
    form_page(short, "Regie overdragen", url)
    assert "minstens 10" in field_error(short, "id_ho-reason")
    assert not Handover.objects.exists()
    response = coordinator.post(form_url(plan, "overdracht"), {
        "ho-to_professional_id": successor.pk, "ho-reason": "Rita gaat met verlof"})
    # The former coordinator is not in the team: back to their own plans.
    assert response.status_code == 302 and response["Location"] == reverse("my_plans")
    plan.refresh_from_db()
    assert plan.coordinator_id == successor.pk
    body = text(login(successor).get(page_url(plan)))
    assert "Rita gaat met verlof" in body and "U bent de regisseur." in body


def test_close_the_plan(family, plan, goal, coordinator):
    url = form_url(plan, "afsluiten")
    shown = form_page(coordinator.get(url), "Het plan afsluiten", url)
    assert "Gaat naar school" in shown and f'name="cl-final_{goal.pk}"' in shown
    missing = coordinator.post(url, {
        "cl-reason_code": "", "cl-can_continue_without_help": "yes"})
    assert field_error(missing, "id_cl-reason_code") == "Kies een reden van beëindiging."
    other = actions.add_goal(family.actor, plan.pk, title="Moeder heeft werk",
                             person_ids=[family.parent.pk], levels=LEVELS)
    partial = coordinator.post(form_url(plan, "afsluiten"), {
        "cl-reason_code": "01", "cl-can_continue_without_help": "yes",
        f"cl-final_{goal.pk}": "1", f"cl-final_{other.pk}": ""})
    assert partial.status_code == 200
    assert "Geef elk doel van het plan een score." in text(partial)
    assert Plan.objects.get(pk=plan.pk).is_open
    closed = coordinator.post(form_url(plan, "afsluiten"), {
        "cl-reason_code": "01", "cl-can_continue_without_help": "yes",
        "cl-satisfaction": "8", f"cl-final_{goal.pk}": "", f"cl-final_{other.pk}": ""})
    # No final scores and no evaluation yet: allowed (the close has no final T-score).
    assert closed.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.close_reason, plan.can_continue_without_help,
            plan.satisfaction) == ("closed", "01", True, 8)
    body = text(coordinator.get(page_url(plan)))
    assert "volgens plan beëindigd" in body and "8 / 10" in body
    assert form_url(plan, "doel") not in body and form_url(plan, "afsluiten") not in body
    assert coordinator.get(url).status_code == 403  # closed: no form pages any more


def test_close_with_final_scores(family, plan, goal, coordinator):
    response = coordinator.post(form_url(plan, "afsluiten"), {
        "cl-reason_code": "02", "cl-can_continue_without_help": "no",
        f"cl-final_{goal.pk}": "2", "cl-note": "Afgerond"})
    assert response.status_code == 302
    final = Evaluation.objects.get()
    assert final.final and final.scores.get().score == 2


# --- consent and legal basis ---------------------------------------------------------


def test_record_consent_for_several_members_at_once(family, plan, coordinator):
    response = coordinator.post(form_url(plan, "toestemming"), {
        "cs-person_ids": [str(family.child.pk), str(family.youth.pk)],
        "cs-given_by_person_ids": [str(family.parent.pk), str(family.youth.pk)],
        "cs-organisation_id": str(family.school.pk), "cs-categories": ["plan", "base_data"],
        "cs-valid_until": ""})
    assert response.status_code == 302, text(response)[:3000]
    child = Consent.objects.get(person=family.child, organisation=family.school)
    youth = Consent.objects.get(person=family.youth, organisation=family.school)
    assert child.plan_id == youth.plan_id == plan.pk
    assert {p.pk for p in child.given_by.all()} == {family.parent.pk}
    assert {p.pk for p in youth.given_by.all()} == {family.parent.pk, family.youth.pk}
    assert youth.categories == ["plan", "base_data"] and youth.valid_until is None


def test_consent_errors_name_the_field_and_write_nothing(family, plan, coordinator):
    response = coordinator.post(form_url(plan, "toestemming"), {
        "cs-person_ids": [str(family.parent.pk), str(family.child.pk)],
        "cs-given_by_person_ids": [str(family.youth.pk)],
        "cs-organisation_id": str(family.school.pk), "cs-categories": ["plan"]})
    assert response.status_code == 200
    message = field_error(response, "id_cs-given_by_person_ids")
    assert message.startswith("Mariam Bakker:")  # the person it is about is named
    assert not Consent.objects.filter(organisation=family.school).exists()
    no_categories = coordinator.post(form_url(plan, "toestemming"), {
        "cs-person_ids": [str(family.parent.pk)],
        "cs-given_by_person_ids": [str(family.parent.pk)],
        "cs-organisation_id": str(family.school.pk)})
    assert field_error(no_categories, "id_cs-categories") == "Kies een of meer soorten gegevens."


def test_record_a_legal_basis(family, plan, coordinator, municipality):
    """Issue 8: a legal basis is recorded by a professional of the organisation that holds
    it (here: a certified institution's coordinator, after a handover), never by the
    coordinator for another organisation."""
    certified = f.OrganisationFactory(name="Jeugdbescherming Testdam", municipality=municipality,
                                      kind="certified_institution", may_coordinate=True)
    url = form_url(plan, "grondslag")
    # The neighbourhood team holds no legal basis: no link, no page.
    assert url not in coordinator.get(page_url(plan)).content.decode()
    assert coordinator.get(url).status_code == 403
    data = {"lb-person_id": str(family.child.pk), "lb-organisation_id": str(certified.pk),
            "lb-kind": "child_protection", "lb-reference": "OTS 2025/123",
            "lb-valid_from": TODAY().isoformat(),
            "lb-valid_until": (TODAY() + timedelta(days=365)).isoformat()}
    # The neighbourhood team's coordinator, for the certified institution: refused, logged.
    assert coordinator.post(url, data).status_code == 403
    assert not LegalBasis.objects.exists()
    assert AccessLogRecord.objects.filter(user_id=family.coordinator.user.pk,
                                          data="legal_basis", outcome="denied").exists()
    guardian = f.ProfessionalFactory(organisation=certified, roles=["coordinator"])
    actions.hand_over(family.actor, plan.pk, to_professional_id=guardian.pk, on=None,
                      reason="De gecertificeerde instelling neemt de regie over.")
    coordinator = login(guardian)
    form_page(coordinator.get(url), "Wettelijke grondslag vastleggen", url)
    data["lb-valid_until"] = (TODAY() - timedelta(days=1)).isoformat()
    refused = coordinator.post(url, data)
    assert "einddatum na de begindatum" in field_error(refused, "id_lb-valid_until")
    assert not LegalBasis.objects.exists()
    data["lb-valid_until"] = (TODAY() + timedelta(days=365)).isoformat()
    assert coordinator.post(url, data).status_code == 302
    basis = LegalBasis.objects.get()
    assert basis.organisation_id == certified.pk
    assert basis.reference == "OTS 2025/123"
    body = text(coordinator.get(page_url(plan)))
    assert "kinderbeschermingsmaatregel" in body and "OTS 2025/123" in body


def test_an_unknown_form_is_not_found_and_a_get_is_not_allowed(family, plan, coordinator):
    assert coordinator.post(form_url(plan, "bestaat-niet")).status_code == 404
    assert coordinator.get(form_url(plan, "zorg")).status_code == 405  # a light form: POST
    assert coordinator.put(form_url(plan, "evaluatie")).status_code == 405
    assert coordinator.get(form_url(plan, "evaluatie", 3)).status_code == 404  # no item
    assert coordinator.get(form_url(plan, "actie-afgerond")).status_code == 404  # needs one


def test_the_form_pages_in_english(family, plan, goal, coordinator):
    coordinator.cookies["django_language"] = "en"
    actions.record_evaluation(family.actor, plan.pk, on=TODAY(), scores=[(goal.pk, 0)])
    evaluation = text(coordinator.get(form_url(plan, "evaluatie")))
    assert "Record an evaluation" in evaluation and "Give each goal a score." in evaluation
    assert "Latest evaluation" in evaluation and "Back to the family plan" in evaluation
    closing = text(coordinator.get(form_url(plan, "afsluiten")))
    assert "Close the plan" in closing and "Final score per goal" in closing
    family_page = text(coordinator.get(page_url(plan)))
    assert "Record an evaluation" in family_page and "per domain and date" not in family_page
    assert "the family's satisfaction" in family_page  # what the close asks, in words
