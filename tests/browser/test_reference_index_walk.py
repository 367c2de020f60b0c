"""Issue 3 in a real browser: a decision aid advises a signal, the professional signals in
one click, a second organisation signals the same youth, both see the match with each
other's contact details, and they agree on a coordinator. axe-core on every page."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Error

from .a11y import assert_accessible
from .conftest import log_in, new_page

# A youth of the example BRP population the demo loads into the stand-in (synthetic, passes
# the eleven test; nobody has entered him yet).
BSN = "999990032"


def enter_youth(page) -> str:
    page.goto("/personen/nieuw/")
    page.fill("#id_bsn", BSN)
    page.fill("#id_given_names", "Noah")
    page.fill("#id_family_name", "de Vries")
    page.fill("#id_birth_date", "2020-01-09")
    page.check("input[name=sex][value=M]")
    page.click("form.jk-form button[type=submit]")
    page.wait_for_url(re.compile(r"/personen/[0-9a-f-]{36}/"))
    return page.url.rstrip("/").rsplit("/", 1)[1]


def signal(page, person_id: str) -> None:
    page.goto(f"/verwijsindex/signalen/nieuw/?person={person_id}")
    assert_accessible(page, "signal form")
    page.click("main form button.utrecht-button--primary-action[type=submit]")
    page.wait_for_url(re.compile(r"/verwijsindex/signalen/\d+/"))
    assert_accessible(page, "signal page")


def advance(page) -> None:
    """Click "Volgende" and wait until htmx swapped in the next step, or (after the last
    question) redirected to the advice page."""
    old = page.locator("input[name=step]").first.input_value()
    page.locator("button[name=nav][value=next]").click()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if "/sessies/" in page.url:
                page.wait_for_load_state()
                return
            step = page.locator("input[name=step]")
            if step.count() and step.first.input_value() != old:
                return
        except Error:  # the page is navigating
            pass
        time.sleep(0.1)
    raise AssertionError(f"the decision aid did not move on from step {old!r}")


def test_decision_aid_to_agreed_coordinator(browser, platform_url):
    school = new_page(browser, platform_url)
    log_in(school, "demo.professional")
    person_id = enter_youth(school)

    # The decision aid, step by step, about this youth.
    school.goto(f"/signaalgids/?person={person_id}")
    assert_accessible(school, "Signaalgids")
    school.goto(f"/signaalgids/meldrichtlijn/?person={person_id}")
    for _ in range(12):
        next_button = school.locator("button[name=nav][value=next]")
        if not next_button.count():
            break
        assert_accessible(school, "decision aid step")
        for value in ("parenting_problems", "absent"):
            # A person clicks the label (the styled checkbox sits inside it).
            label = school.locator(f"label:has(input[type=checkbox][value={value}])")
            if label.count():
                label.click()
                assert school.locator(f"input[value={value}]").is_checked()
        yes = school.locator("label:has(input[type=radio][value=yes])")
        if yes.count():
            yes.first.click()
        advance(school)
    assert_accessible(school, "advice")
    # One click from the advice to the signal form for this youth.
    school.get_by_role("link", name=re.compile("Signaal afgeven")).click()
    school.wait_for_url(re.compile(r"/verwijsindex/signalen/nieuw/"))
    # The child picker has the youth chosen already.
    assert school.locator("input[name=person]:checked").input_value() == person_id
    school.click("main form button.utrecht-button--primary-action[type=submit]")
    school.wait_for_url(re.compile(r"/verwijsindex/signalen/\d+/"))
    assert_accessible(school, "signal page")
    school.goto(school.url + "brief/")
    # Noah is under 12: the letter goes to his parents.
    assert "Aan de ouders of verzorgers van Noah de Vries" in school.content()
    assert_accessible(school, "letter")

    # A second organisation enters the same youth (entered once) and signals too.
    team = new_page(browser, platform_url)
    log_in(team, "demo.regisseur")
    assert enter_youth(team) == person_id
    signal(team, person_id)
    assert "match" in team.content().lower()

    # Both see the match with the other's contact details, and whom their own signal is
    # about (they entered Noah themselves), with the deadline.
    team.goto("/verwijsindex/matches/")
    assert_accessible(team, "matches")
    newest = team.locator("section.jk-card").first
    assert "Petra Leerkracht" in newest.text_content()
    assert "Noah de Vries" in newest.text_content()
    assert "Regievoerder afspreken vóór" in newest.text_content()
    select = newest.locator("select")
    option = select.locator("option", has_text="Rachid Regisseur").first.get_attribute("value")
    select.select_option(option)
    newest.get_by_role("button", name="Voorstellen").click()
    team.wait_for_load_state()

    school.goto("/verwijsindex/matches/")
    newest = school.locator("section.jk-card").first
    assert "Rachid Regisseur" in newest.text_content()
    newest.get_by_role("button", name="Voorstel accepteren").click()
    school.wait_for_load_state()
    newest = school.locator("section.jk-card").first
    assert "Regievoerder:" in newest.text_content() and "Rachid Regisseur" in newest.text_content()
    assert_accessible(school, "match agreed")

    school.goto("/verwijsindex/berichten/")
    assert "Regievoerder afgesproken" in school.content()
    assert_accessible(school, "inbox")


def test_the_municipal_coordinator_works_the_overdue_list(browser, platform_url):
    """Issue 9: the municipality's coordinator opens the overdue matches, most overdue first,
    filters them by neighbourhood, and sees no youth on the list or the cards."""
    town = new_page(browser, platform_url)
    log_in(town, "demo.gemeente")
    town.goto("/verwijsindex/matches/")
    town.get_by_role("link", name=re.compile("Matches zonder regievoerder na de termijn")).click()
    town.wait_for_url(re.compile(r"/verwijsindex/matches/termijn-verlopen/"))
    assert_accessible(town, "overdue matches")
    rows = town.locator("main table tbody tr")
    assert rows.count() >= 1
    late = [int(re.search(r"\d+", rows.nth(i).locator("td").nth(1).text_content()).group())
            for i in range(rows.count())]
    assert late == sorted(late, reverse=True)
    hood = town.locator("#wijk option").nth(1)
    name = hood.text_content()
    town.select_option("#wijk", hood.get_attribute("value"))
    town.get_by_role("button", name="Filteren").click()
    town.wait_for_url(re.compile(r"wijk="))
    assert_accessible(town, "overdue matches filtered")
    for i in range(town.locator("main table tbody tr").count()):
        assert name in town.locator("main table tbody tr").nth(i).text_content()
