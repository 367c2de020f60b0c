"""Issue 13 in a real browser: the what-if simulation. The operator refreshes the insight
store of the served demo platform; the municipality's analyst opens "Simulatie" from the
menu, checks the model (the validation table with a verdict per step, or, when the demo's
municipality had fewer care reports than the threshold, the message saying so), submits a
scenario with a bad number (the error names the field) and then a small one (the result:
time to help with intervals, waits per step, the waiting-list chart with its table, or the
same refusal). A professional without the role has no menu item and gets the 403 page.
axe-core on every page; the page does not scroll sideways on a phone.
"""

from __future__ import annotations

import re
import subprocess
from typing import Any

from .a11y import assert_accessible
from .conftest import _SERVER_ENV, BIN, log_in, new_page
from .test_front_door_walk import fits, seen
from .test_insight_walk import refresh

PAGE = "/sturing/simulatie/"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

REPORTS = """
from django.utils import timezone
from jeugdketen.insight.selectors import publication_for
from jeugdketen.registry.models import Professional
from jeugdketen.steering.simulation_actions import observe

town = Professional.objects.get(user__username="demo.analist").organisation.municipality_id
print(observe(town, timezone.localdate()).reports, publication_for(town)[0])
"""


def reports_and_threshold() -> tuple[int, int]:
    result = subprocess.run([str(BIN / "jeugdketen"), "shell", "-c", REPORTS],
                            env=_SERVER_ENV, check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    reports, threshold = result.stdout.strip().splitlines()[-1].split()
    return int(reports), int(threshold)


def main_text(page: Any) -> str:
    return page.locator("main").text_content() or ""


def test_the_analyst_checks_the_model_and_runs_a_scenario(browser, platform_url):
    refresh()
    reports, threshold = reports_and_threshold()
    enough = reports >= threshold
    page = new_page(browser, platform_url)
    page.set_viewport_size(DESKTOP)
    log_in(page, "demo.analist")
    try:
        page.locator(f"nav.jk-nav a[href='{PAGE}']").click()
        page.wait_for_url(re.compile(re.escape(PAGE) + "$"))
        seen(page, "simulation")
        assert "Klopt het model?" in main_text(page)

        with page.expect_navigation():
            page.get_by_role("button", name="Model narekenen").click()
        seen(page, "simulation, validated")
        if enough:
            rows = page.locator("main section[aria-labelledby='validatie'] tbody tr")
            assert rows.count() == 5
            verdicts = {(r.locator("td").last.text_content() or "").strip()
                        for r in rows.all()}
            assert verdicts <= {"voldoet", "voldoet niet", "te weinig meldingen"}, verdicts
        else:
            assert "Te weinig meldingen" in main_text(page)

        page.fill("#id_weeks", "0")
        with page.expect_navigation():
            page.get_by_role("button", name="Doorrekenen").click()
        seen(page, "simulation, bad input")
        assert "Tussen 1 en 260 weken." in main_text(page)

        page.fill("#id_weeks", "8")
        page.fill("#id_replications", "3")
        page.select_option("#id_way", "joint")
        with page.expect_navigation():
            page.get_by_role("button", name="Doorrekenen").click()
        seen(page, "simulation, a scenario")
        if enough:
            assert "berekening=" in page.url
            result = page.locator("main section[aria-labelledby='uitkomst']")
            assert result.locator(".jk-insight-chart svg").count() == 1
            assert result.locator("table").count() == 3
            assert "Mediaan (p50)" in (result.text_content() or "")
            page.set_viewport_size(PHONE)
            page.reload()
            seen(page, "simulation on a phone")
            fits(page, "simulation on a phone")
        else:
            assert "Te weinig meldingen" in main_text(page)
    finally:
        page.context.close()


def test_a_professional_without_the_role_has_no_simulation(browser, platform_url):
    page = new_page(browser, platform_url)
    log_in(page, "demo.professional")
    assert page.locator(f"nav.jk-nav a[href='{PAGE}']").count() == 0
    response = page.goto(PAGE)
    assert response is not None and response.status == 403
    assert_accessible(page, "403 for the simulation")
    page.context.close()
