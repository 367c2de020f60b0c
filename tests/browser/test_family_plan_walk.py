"""Issue 4 in a real browser: the coordinator starts the family plan from a match, adds
goals, actions and a grandmother to the team, records the family's consent for the school
and adds its professional; the parent approves the plan in the family's own view; the
coordinator records an evaluation; the parent withdraws consent for the school, and the
school is then denied. axe-core on every page.

The demo's demo.gezin family is the one whose child the school (demo.professional) and
the neighbourhood team (demo.regisseur) both signalled; the school proposed demo.regisseur
as coordinator."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from .a11y import assert_accessible
from .conftest import log_in, new_page

PLAN_URL = re.compile(r"/plannen/[0-9a-f-]{36}/")


def open_form(page, summary: str) -> None:
    """Open the <details> block of a form on the family page by its summary text."""
    details = page.locator("details", has=page.locator("summary", has_text=summary)).first
    if details.get_attribute("open") is None:
        details.locator("summary").first.click()


def submit(page, form_id: str, button: str) -> None:
    page.locator(f"#{form_id}").get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_family_plan_from_match_to_withdrawn_consent(browser, platform_url):
    coordinator = new_page(browser, platform_url)
    log_in(coordinator, "demo.regisseur")

    # The match on demo.gezin's child: accept the school's proposal, then start the plan.
    coordinator.goto("/verwijsindex/matches/")
    match = coordinator.locator("section.jk-card", has_text="Petra Leerkracht").first
    match.get_by_role("button", name="Voorstel accepteren").click()
    coordinator.wait_for_load_state()
    match = coordinator.locator("section.jk-card", has_text="Petra Leerkracht").first
    assert "Rachid Regisseur" in match.text_content()
    assert_accessible(coordinator, "match agreed")
    match.get_by_role("link", name=re.compile("Gezinsplan starten")).first.click()
    coordinator.wait_for_url(re.compile(r"/plannen/nieuw/"))
    assert_accessible(coordinator, "start plan")
    coordinator.get_by_role("button", name="Gezinsplan starten").click()
    coordinator.wait_for_url(PLAN_URL)
    plan_url = coordinator.url.split("#")[0]
    assert_accessible(coordinator, "new family plan")
    assert coordinator.get_by_role("heading", name="Het gezin", exact=True).count() == 1

    # A result goal for the youngest child, with its five levels.
    coordinator.goto(plan_url)
    open_form(coordinator, "Doel toevoegen")
    coordinator.fill("#id_goal-title", "Noah gaat elke schooldag naar school en voelt zich veilig thuis")
    coordinator.locator("input[name=goal-person_ids]").last.check()
    for key, text in (("m2", "Gaat niet meer naar school"), ("m1", "Twee dagen per week"),
                      ("0", "Vier dagen per week"), ("p1", "Elke schooldag"),
                      ("p2", "Elke schooldag en speelt met vrienden")):
        coordinator.fill(f"#id_goal-levels_{key}", text)
    submit(coordinator, "form-goal", "Doel toevoegen")
    assert "Noah gaat elke schooldag naar school" in coordinator.content()

    # Grandmother joins the team (informal network: no login, no access).
    coordinator.goto(plan_url)
    open_form(coordinator, "Iemand uit het netwerk toevoegen")
    coordinator.fill("#id_tn-name", "Oma Hanna")
    coordinator.fill("#id_tn-relation", "grootmoeder")
    coordinator.fill("#id_tn-phone", "0612345678")
    coordinator.fill("#id_tn-role", "Brengt Noah op maandag en woensdag naar school")
    submit(coordinator, "form-team-network", "Aan het team toevoegen")
    assert "Oma Hanna" in coordinator.content()

    # The family consents to sharing with the school; its professional joins the team.
    coordinator.goto(plan_url)
    open_form(coordinator, "Toestemming vastleggen namens het gezin")
    consent = coordinator.locator("#form-consent")
    for box in consent.locator("input[name=cs-person_ids]").all():
        box.check()
    # Given by the whole family: for each member the platform counts who may give it (the
    # member from 16; the parents with custody in the BRP under 12; both from 12 to 16).
    for box in consent.locator("input[name=cs-given_by_person_ids]").all():
        box.check()
    school = consent.locator("select[name=cs-organisation_id] option",
                             has_text="De Regenboog").first.get_attribute("value")
    consent.locator("select[name=cs-organisation_id]").select_option(school)
    for box in consent.locator("input[name=cs-categories]").all():
        box.check()
    submit(coordinator, "form-consent", "Toestemming vastleggen")
    assert "De toestemming is vastgelegd" in coordinator.content(), coordinator.locator(".utrecht-form-field-error-message, .jk-error-summary, [role=alert]").all_inner_texts()

    coordinator.goto(plan_url)
    open_form(coordinator, "Professional toevoegen")
    team = coordinator.locator("#form-team-professional")
    # The picker searches as you type (htmx) and lists whom the coordinator may add.
    with coordinator.expect_response(re.compile(r"/kiezen/team/")):
        team.locator("#id_team_zoek").fill("Petra")
    coordinator.wait_for_load_state()
    team.get_by_label("Petra Leerkracht", exact=False).first.check()
    coordinator.fill("#id_tp-role", "Leerkracht van Noah")
    submit(coordinator, "form-team-professional", "Professional toevoegen")
    assert "Leerkracht van Noah" in coordinator.content()

    # Two actions: one for the grandmother, one with a budget for the school.
    due = (timezone.localdate() + timedelta(days=21)).isoformat()
    for performer, what, budget in (("Oma Hanna", "Noah naar school brengen", "0"),
                                    ("Petra Leerkracht", "Gesprek met Noah en zijn moeder", "150")):
        coordinator.goto(plan_url)
        open_form(coordinator, "Actie toevoegen")
        action = coordinator.locator("#form-action")
        coordinator.fill("#id_act-description", what)
        value = action.locator("select[name=act-performer] option",
                               has_text=performer).first.get_attribute("value")
        action.locator("select[name=act-performer]").select_option(value)
        coordinator.fill("#id_act-due_on", due)
        coordinator.fill("#id_act-budget_eur", budget)
        submit(coordinator, "form-action", "Actie toevoegen")
        assert what in coordinator.content()
    assert_accessible(coordinator, "family page with goals, team and actions")

    # The plan as it stands goes to the family.
    coordinator.goto(plan_url)
    coordinator.get_by_role("button", name="Versie vastleggen ter goedkeuring").click()
    coordinator.wait_for_load_state()

    # The parent approves it in the family's own view.
    parent = new_page(browser, platform_url)
    log_in(parent, "demo.gezin")
    parent.goto("/gezin/")
    assert_accessible(parent, "family plans")
    parent.get_by_role("link", name="Bekijk het plan").first.click()
    parent.wait_for_url(re.compile(r"/gezin/[0-9a-f-]{36}/"))
    family_url = parent.url.split("#")[0]
    assert "Oma Hanna" in parent.content()
    assert "Noah gaat elke schooldag naar school" in parent.content()
    assert_accessible(parent, "family view")
    approve = parent.locator("form", has=parent.get_by_role("button", name=re.compile("goedkeuren")))
    approve.locator("input[type=checkbox]").first.check()
    approve.get_by_role("button", name=re.compile("goedkeuren")).click()
    parent.wait_for_load_state()
    assert "goedgekeurd" in parent.content()

    # The coordinator records an evaluation; the plan's T-score appears.
    coordinator.goto(plan_url)
    link = coordinator.get_by_role("link", name=re.compile("Evaluatie vastleggen"))
    if link.count():
        link.first.click()
        coordinator.wait_for_load_state()
    else:
        open_form(coordinator, "Evaluatie vastleggen")
    coordinator.fill("input[name=ev-date]", timezone.localdate().isoformat())
    for select in coordinator.locator("select[name^=ev-goal_]").all():
        select.select_option("1")
    coordinator.get_by_role("button", name="Evaluatie vastleggen").last.click()
    coordinator.wait_for_load_state()
    coordinator.goto(plan_url)
    # One goal scored +1 (weight 1): T = 50 + 10 * 1 / sqrt(0.7 + 0.3) = 60.
    assert re.search(r"\b60([,.]0)?\b", coordinator.locator("main").text_content())
    assert_accessible(coordinator, "family page with evaluation")

    # The school's professional reads the plan on the family's consent.
    teacher = new_page(browser, platform_url)
    log_in(teacher, "demo.professional")
    teacher.goto(plan_url)
    assert "Noah gaat elke schooldag naar school" in teacher.content()
    assert_accessible(teacher, "family page for a team member")

    # The parent withdraws the consent for the school (for Noah), at once.
    parent.goto(family_url)
    withdraw = parent.get_by_role("button", name=re.compile("Intrekken")).filter(
        has_text="De Regenboog")
    withdraw.last.click()
    parent.wait_for_load_state()
    assert_accessible(parent, "consent withdrawn")

    # The school is now denied (and the attempt is logged as denied).
    response = teacher.goto(plan_url)
    assert response is not None and response.status == 403
    assert "Noah gaat elke schooldag naar school" not in teacher.content()
    assert_accessible(teacher, "denied")
