"""Issue 13 in a real browser: time and satisfaction. A neighbourhood-team professional
(demo.regisseur) answers the weekly time question on the start page (a wrong sum first:
the error is on the field), sees the answer in their own history and the card gone, and
fills in the year's survey once. The municipal analyst opens the figures page from the
menu (per team and per neighbourhood), sets a team's neighbourhoods and closes the
survey; the figures hide every group below the threshold. A professional of a school sees
no figures (403). axe-core on every page, in Dutch and English.
"""

from __future__ import annotations

import re
from typing import Any

from .a11y import assert_accessible
from .conftest import log_in, new_page
from .test_role_walks import set_language

TIME, SURVEY, FIGURES = "/sturing/tijd/", "/sturing/werkplezier/", "/sturing/tijd-en-werkplezier/"


def main_text(page: Any) -> str:
    return page.locator("main").text_content() or ""


def test_a_professional_answers_and_the_analyst_reads_and_closes(browser, platform_url):
    page = new_page(browser, platform_url)
    log_in(page, "demo.regisseur")
    try:
        page.goto("/")
        card = page.locator("section[aria-labelledby=h-time]")
        assert card.count() == 1
        assert_accessible(page, "start page with the time question")
        card.locator("input[name=help_hours]").fill("70")
        card.locator("input[name=accountability_hours]").fill("20")
        with page.expect_navigation():
            card.locator("button[type=submit]").click()
        assert "Samen zijn het meer dan 80 uur" in main_text(page)
        assert page.locator("#id_accountability_hours[aria-invalid=true], "
                            "#id_accountability_hours_error").count() >= 1
        assert_accessible(page, "time question with an error")
        page.fill("#id_help_hours", "28")
        page.fill("#id_accountability_hours", "8")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert "Er staat nu geen vraag voor u open" in main_text(page)
        assert "78%" in main_text(page)  # 28 of 36 hours
        assert_accessible(page, "own answers")
        page.goto("/")
        assert page.locator("section[aria-labelledby=h-time]").count() == 0
        # The survey, once.
        page.locator(f"nav.jk-nav a[href='{SURVEY}']").click()
        page.wait_for_url(re.compile(re.escape(SURVEY) + "$"))
        assert_accessible(page, "survey")
        for radio in page.locator("main fieldset").all():
            radio.locator("input[type=radio]").nth(3).check()
        with page.expect_navigation():
            page.locator("main button[name=answer]").click()
        assert "ingevuld, of het is gesloten" in main_text(page)
        set_language(page, "en")
        page.goto(TIME)  # the English texts come with the lead's .po merge (en-steer-time.json)
        assert page.locator("html").get_attribute("lang") == "en"
        assert_accessible(page, "own answers (en)")
        set_language(page, "nl")
    finally:
        page.context.close()

    page = new_page(browser, platform_url)
    log_in(page, "demo.analist")
    try:
        page.locator(f"nav.jk-nav a[href='{FIGURES}']").click()
        page.wait_for_url(re.compile(re.escape(FIGURES) + "$"))
        assert "Tijd aan hulp tegenover verantwoording" in main_text(page)
        assert_accessible(page, "figures per team")
        page.goto(FIGURES + "?per=neighbourhood")
        assert_accessible(page, "figures per neighbourhood")
        page.select_option("#id_team", index=0)
        page.locator("main input[name=neighbourhoods]").first.check()
        with page.expect_navigation():
            page.locator("main form.jk-form button[type=submit]").click()
        assert "Het werkgebied van het team is opgeslagen" in (page.text_content("body") or "")
        page.goto(SURVEY)
        assert_accessible(page, "closing the survey")
        with page.expect_navigation():
            page.locator("main button[name=close]").first.click()
        assert "is gesloten" in (page.text_content("body") or "")
        set_language(page, "en")
        page.goto(FIGURES)
        assert page.locator("html").get_attribute("lang") == "en"
        assert_accessible(page, "figures (en)")
        set_language(page, "nl")
    finally:
        page.context.close()


def test_a_school_professional_sees_no_figures(browser, platform_url):
    page = new_page(browser, platform_url)
    log_in(page, "demo.professional")
    try:
        assert page.locator(f"nav.jk-nav a[href='{FIGURES}']").count() == 0
        response = page.goto(FIGURES)
        assert response is not None and response.status == 403
        assert_accessible(page, "403 for the figures")
    finally:
        page.context.close()
