"""Issue 13 in a real browser: a scenario's result as an improvement action's expected
effect. The municipality's analyst runs a small scenario on /sturing/simulatie/, presses
"Gebruik als verwacht effect bij een verbeteractie", lands on the board's new-action form
with the run chosen and the time to help as its figure, records the action and sees on the
board "Verwacht effect volgens scenario ...: ... (95%-interval ...)" with a link back to
the run's result. axe-core on every page."""

from __future__ import annotations

import re

from .conftest import log_in, new_page
from .test_front_door_walk import seen
from .test_insight_walk import refresh
from .test_steering_sim import DESKTOP, PAGE, main_text, reports_and_threshold

BOARD = "/sturing/bord/"
WHAT = "Gezamenlijke intake volgens de simulatie"


def test_the_analyst_takes_a_scenario_as_an_actions_expected_effect(browser, platform_url):
    refresh()
    reports, threshold = reports_and_threshold()
    page = new_page(browser, platform_url)
    page.set_viewport_size(DESKTOP)
    log_in(page, "demo.analist")
    try:
        page.goto(PAGE)
        page.fill("#id_weeks", "8")
        page.fill("#id_replications", "3")
        page.select_option("#id_way", "joint")
        with page.expect_navigation():
            page.get_by_role("button", name="Doorrekenen").click()
        if reports < threshold:  # the demo's municipality had too few reports: no run
            assert "Te weinig meldingen" in main_text(page)
            return
        run_id = re.search(r"berekening=(\d+)", page.url).group(1)
        seen(page, "simulation result with the button")

        with page.expect_navigation():
            page.get_by_role("link", name="Gebruik als verwacht effect bij een "
                                          "verbeteractie").click()
        assert page.url.endswith(f"{BOARD}?scenario={run_id}#nieuwe-actie"), page.url
        form = page.locator("details#nieuwe-actie")
        assert form.get_attribute("open") is not None
        assert page.locator("#id_scenario").input_value() == run_id
        assert page.locator("#id_kpi").input_value() == "time_to_help"
        seen(page, "board, new action from a scenario")

        page.fill("#id_what", WHAT)
        owner = page.locator("#id_owner option").nth(0).get_attribute("value")
        page.locator("#id_owner").select_option(owner)
        with page.expect_navigation():
            form.get_by_role("button", name="Vastleggen").click()
        seen(page, "board with the scenario's expectation")
        row = page.locator("main table tr", has_text=WHAT)
        text = " ".join((row.text_content() or "").split())
        assert "Verwacht effect volgens scenario gezamenlijke intake" in text, text
        assert "de mediane tijd tot hulp" in text and "dagen" in text, text
        assert "95%-interval" in text, text

        with page.expect_navigation():
            row.get_by_role("link", name="Uitkomst van het scenario").click()
        assert page.url.endswith(f"{PAGE}?berekening={run_id}"), page.url
        assert "Mediaan (p50)" in main_text(page)
    finally:
        page.context.close()
