"""Issue 13 in a real browser: the chain board. The operator refreshes the insight store of
the served demo platform; the municipality's analyst (demo.analist) opens the board from
the menu and sees this week's numbers (a summary table, a run chart per series with its
table), the bottlenecks, and records an improvement action and the minutes of the meeting
(the numbers frozen on the meeting's page), then closes them. The municipality's
coordinator (demo.gemeente, also its front door) reads the board and the closed minutes,
where a new version is a correction; a professional without the role has no menu item
and gets the 403 page. On a 390 px phone the board does not
scroll sideways. axe-core on every page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .a11y import assert_accessible
from .conftest import log_in, new_page
from .test_front_door_walk import fits, seen
from .test_insight_walk import refresh

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
BOARD = "/sturing/bord/"


def check_board(page: Any, where: str) -> None:
    main = page.locator("main")
    assert "Cijfers van deze week" in (main.text_content() or ""), where
    summary = main.locator("table", has_text="De cijfers van deze week")
    assert summary.count() == 1, where
    assert summary.locator("tbody tr").count() >= 10, where  # every series
    charts = main.locator(".jk-insight-chart")
    assert charts.count() >= 10, where
    for frame in charts.all()[:3]:
        assert frame.get_attribute("tabindex") == "0"
        assert frame.locator("svg[role=img] title").count() == 1
    # No count from 1 to 9 in the weekly counts' tables (flows, stocks rounded to 10s).
    for key in ("new_reports", "plans_closed", "help_started", "open_total", "past_norm"):
        cells = main.locator(f"#reeks-{key} table tbody td:nth-child(2)").all_text_contents()
        for text in cells:
            text = text.strip()
            if text.isdigit():
                assert int(text) == 0 or int(text) >= 10, (where, key, text)


def test_the_analyst_holds_the_weekly_meeting(browser, platform_url):
    refresh()
    page = new_page(browser, platform_url)
    page.set_viewport_size(DESKTOP)
    log_in(page, "demo.analist")
    try:
        page.locator(f"nav.jk-nav a[href='{BOARD}']").click()
        page.wait_for_url(re.compile(re.escape(BOARD) + "$"))
        seen(page, "board")
        check_board(page, "board")
        assert page.locator("main h2").first.text_content().strip().startswith("Voorbeeldstad")

        # An improvement action on a bottleneck.
        page.locator("summary", has_text="Nieuwe verbeteractie").click()
        page.fill("#id_what", "Eén gezamenlijke intake in plaats van een intake per organisatie")
        page.locator("#id_step").select_option("intake_held")
        owner = page.locator("#id_owner option").nth(0).get_attribute("value")
        page.locator("#id_owner").select_option(owner)
        page.locator("#id_kpi").select_option("open_intake_held")
        page.locator("#id_expected_direction").select_option("down")
        page.fill("#id_expected_amount", "10")
        with page.expect_navigation():
            page.get_by_role("button", name="Vastleggen").click()
        seen(page, "board with an action")
        actions = page.locator("main table", has_text="Verbeteracties")
        assert "Eén gezamenlijke intake" in (actions.text_content() or "")
        assert "nog te vroeg" in (actions.text_content() or "")

        # The minutes: the board's numbers frozen at the first save.
        page.locator("summary", has_text="Nieuw verslag").click()
        held = (datetime.now(ZoneInfo("Europe/Amsterdam")).date()
                - timedelta(days=1)).isoformat()
        page.fill("#id_held_on", held)
        page.fill("#id_decisions", "De gezamenlijke intake gaat door\nElke week de wachtlijst")
        page.fill("#id_tasks", "De voordeur zet de wachtlijst klaar")
        with page.expect_navigation():
            page.get_by_role("button", name="Verslag opslaan").click()
        assert re.search(r"/sturing/bord/overleg/\d+/$", page.url), page.url
        meeting = page.url
        seen(page, "minutes")
        text = page.locator("main").text_content() or ""
        assert "De gezamenlijke intake gaat door" in text
        assert "De cijfers zoals ze waren" in text
        with page.expect_navigation():
            page.get_by_role("button", name="Verslag sluiten").click()
        seen(page, "minutes closed")
        assert "Gesloten op" in (page.locator("main").text_content() or "")

        # On a phone.
        page.set_viewport_size(PHONE)
        page.goto(BOARD)
        seen(page, "board on a phone")
        fits(page, "board on a phone")
        page.set_viewport_size(DESKTOP)

        # The municipality's coordinator (and front door, demo.gemeente) reads the board
        # and the closed minutes: a new version there is a correction.
        door = new_page(browser, platform_url)
        door.set_viewport_size(DESKTOP)
        log_in(door, "demo.gemeente")
        door.locator(f"nav.jk-nav a[href='{BOARD}']").click()
        door.wait_for_url(re.compile(re.escape(BOARD) + "$"))
        seen(door, "board of the coordinator")
        check_board(door, "board of the coordinator")
        door.goto(meeting)
        seen(door, "closed minutes for the coordinator")
        assert door.get_by_role("heading", name="Correctie").count() == 1
        assert door.get_by_role("button", name="Verslag sluiten").count() == 0
        door.context.close()
    finally:
        page.context.close()


def test_a_professional_without_the_role_has_no_board(browser, platform_url):
    page = new_page(browser, platform_url)
    log_in(page, "demo.professional")
    assert page.locator(f"nav.jk-nav a[href='{BOARD}']").count() == 0
    response = page.goto(BOARD)
    assert response is not None and response.status == 403
    assert (page.locator("main h1").text_content() or "").strip() == "Geen toegang"
    assert_accessible(page, "403 for the board")
    page.context.close()
