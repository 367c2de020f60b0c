"""Issue 12 in a real browser: insight. The operator refreshes the insight store of the
served demo platform (`jeugdketen insight refresh`); the municipality's analyst opens the
dashboard from the menu, in Dutch and in English, chooses a district and a period, and sees
the five sections (the four goals, the value stream, the waiting lists, the outcomes, the
costs), each figure in a table and, where it has one, a chart. Every hidden figure says
"verborgen", and no count from 1 to the threshold - 1 is in any table cell. The analyst
raises the threshold to 20 on the publication settings page and the dashboard applies it;
the front door (demo.gemeente) sees the dashboard with the same threshold but not the
settings; a professional without the role has no menu item and gets the 403 page. On a
390 px phone the dashboard does not scroll sideways: a wide chart scrolls in its own frame
(reachable by keyboard). axe-core on every page.
"""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

from .a11y import assert_accessible
from .conftest import _SERVER_ENV, BIN, log_in, new_page
from .test_front_door_walk import fits, seen
from .test_role_walks import set_language

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DASHBOARD = "/inzicht/"
SETTINGS = "/inzicht/instellingen/"
SECTIONS = {"kpis": "De vier doelen", "waardestroom": "De waardestroom",
            "wachtlijsten": "Wachtlijsten", "uitkomsten": "Uitkomsten", "kosten": "Kosten"}
SECTIONS_EN = ("The four goals", "The value stream", "Waiting lists", "Outcomes", "Costs")
# Sections whose chart is drawn whatever the data (the value stream's only when it is not
# hidden as a whole; the outcomes' funnel only when some rate lies strictly between 0 and 1).
ALWAYS_CHARTED = ("kpis", "wachtlijsten", "kosten")
# The columns that hold counts of trajectories (the week table of work in progress: every
# column but the week).
COUNT_COLUMNS = {"Aantal (n)", "Bereikt", "Nu in de stap", "Trajecten", "Open",
                 "Binnen de norm", "Over de norm", "Meer dan drie keer over de norm",
                 "Zonder norm", "Afgesloten trajecten"}
WIP_CAPTION = "Onderhanden werk per week en stap"


def refresh() -> dict[str, Any]:
    """`jeugdketen insight refresh` on the served platform, as its operator runs it."""
    result = subprocess.run([str(BIN / "jeugdketen"), "insight", "refresh"], env=_SERVER_ENV,
                            check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


BUSIEST_DISTRICT = """
from jeugdketen.insight import store
from jeugdketen.registry.models import Professional

town = Professional.objects.get(user__username="demo.analist").organisation.municipality_id
print(store.reader().execute(
    "SELECT district_code FROM trajectories WHERE municipality_code = ? "
    "AND district_code IS NOT NULL "
    "GROUP BY district_code ORDER BY count(*) DESC, district_code LIMIT 1", [town]
).fetchone()[0])
"""


def busiest_district() -> str:
    """The analyst's district with the most trajectories (the demo's data vary with the
    day it is made): the one whose figures show the most."""
    result = subprocess.run([str(BIN / "jeugdketen"), "shell", "-c", BUSIEST_DISTRICT],
                            env=_SERVER_ENV, check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


def tables(page: Any) -> list[dict[str, Any]]:
    """Every table of the figures: its caption, column headers and rows of cells (the text,
    and whether it is marked as a hidden figure)."""
    return list(page.evaluate("""() => Array.from(
        document.querySelectorAll('main .jk-insight-section table')).map(t => ({
          caption: t.caption ? t.caption.textContent.trim() : '',
          columns: Array.from(t.tHead.rows[0].cells).map(c => c.textContent.trim()),
          rows: Array.from(t.tBodies[0].rows).map(r => Array.from(r.cells).map(c => ({
            text: c.textContent.trim(), hidden: !!c.querySelector('.jk-muted[title]')})))
        }))"""))


def check_hidden_and_small(page: Any, threshold: int, where: str) -> int:
    """Every hidden figure reads "verborgen"; every count in a table is hidden, 0 or at least
    the threshold. Returns the number of hidden cells."""
    found = tables(page)
    assert found, f"{where}: no table of figures"
    hidden = 0
    for table in found:
        columns = table["columns"]
        counts = (set(range(1, len(columns))) if table["caption"] == WIP_CAPTION
                  else {i for i, name in enumerate(columns) if name in COUNT_COLUMNS})
        for row in table["rows"]:
            assert len(row) == len(columns), (where, table["caption"], row)
            for i, cell in enumerate(row):
                text = cell["text"]
                if cell["hidden"]:
                    hidden += 1
                    assert text == "verborgen", (where, table["caption"], columns[i], text)
                    continue
                assert text != "verborgen", (where, table["caption"], "unmarked", row)
                if i not in counts or (text == "" and columns[i] == "Nu in de stap"):
                    continue  # no count (the closed step has no "now")
                assert re.fullmatch(r"\d+", text.replace(".", "")), (
                    where, table["caption"], columns[i], text)
                value = int(text.replace(".", ""))
                assert value == 0 or value >= threshold, (
                    f"{where}: {value} below the threshold {threshold} in "
                    f"{table['caption']!r}, column {columns[i]!r}: {row}")
    return hidden


def check_sections(page: Any, where: str) -> None:
    """The five sections, each with its figures in a table; the charts in a frame that is
    reachable by keyboard, with a table beside each."""
    for key, title in SECTIONS.items():
        section = page.locator(f"main section[aria-labelledby='sectie-{key}']")
        assert section.count() == 1, f"{where}: no section {title}"
        assert (section.locator("h3").text_content() or "").strip() == title
        if key == "waardestroom" and "de waardestroom wordt niet getoond" in (
                section.text_content() or ""):
            assert section.locator("table").count() == 0
            continue
        assert section.locator("table").count() >= 1, f"{where}: {title} has no table"
        charts = section.locator(".jk-insight-chart")
        if key in ALWAYS_CHARTED or key == "waardestroom":
            assert charts.count() >= 1, f"{where}: {title} has no chart"
        for frame in charts.all():
            assert frame.get_attribute("tabindex") == "0"
            assert frame.locator("svg").count() == 1
            # Its table is in the same figure.
            figure = frame.locator("xpath=..")
            assert figure.locator("table").count() == 1, f"{where}: a chart of {title}"


def threshold_note(page: Any) -> str:
    return page.locator("main p.jk-muted", has_text="wordt niet getoond").first.text_content() or ""


def set_threshold(page: Any, value: int) -> None:
    page.goto(SETTINGS)
    page.fill("#id_threshold", str(value))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith(SETTINGS), page.url
    assert page.locator("#id_threshold").input_value() == str(value)


def test_the_analyst_reads_the_figures_of_a_district(browser, platform_url):
    done = refresh()
    # The demo refreshed the store already (the board's history reads it): this refresh
    # brings in what came after, and the store holds the whole log.
    assert done["last_id"] > 0, done
    district = busiest_district()
    page = new_page(browser, platform_url)
    page.set_viewport_size(DESKTOP)
    log_in(page, "demo.analist")
    try:
        # From the menu: the municipality over the last twelve months that have ended.
        page.locator(f"nav.jk-nav a[href='{DASHBOARD}']").click()
        page.wait_for_url(re.compile(re.escape(DASHBOARD) + "$"))
        seen(page, "dashboard")
        assert "Nog geen gegevens" not in (page.locator("main").text_content() or "")
        check_sections(page, "dashboard, the municipality")
        check_hidden_and_small(page, 10, "dashboard, the municipality")

        # A district and an earlier period, from the selects.
        area = page.locator("select#id_gebied")
        name = area.locator(f"option[value='{district}']").text_content().strip()
        area.select_option(district)
        periods = page.locator("select#id_tot option").evaluate_all(
            "os => os.map(o => [o.value, o.textContent.trim()])")
        assert len(periods) >= 2, periods  # the demo's history is two years
        end, label = periods[1]
        page.locator("select#id_tot").select_option(end)
        with page.expect_navigation():
            page.get_by_role("button", name="Tonen").click()
        assert f"gebied={district}" in page.url and f"tot={end}" in page.url, page.url
        seen(page, "dashboard, a district")
        scoped = page.url
        assert page.locator("select#id_gebied").input_value() == district
        assert page.locator("select#id_tot").input_value() == end
        heading = page.locator("main h2").first.text_content() or ""
        assert heading.startswith(f"{name}, 1 "), heading
        assert label.split(" tot en met ")[-1] in heading, (label, heading)
        check_sections(page, "dashboard, a district")
        assert "Een aantal kleiner dan 10 wordt niet getoond" in threshold_note(page)
        hidden = check_hidden_and_small(page, 10, "dashboard, a district")
        assert hidden > 0, "a district of the demo has small counts: some are hidden"

        # The same in English.
        set_language(page, "en")
        page.goto(scoped)
        seen(page, "dashboard (en)")
        main = page.locator("main").text_content() or ""
        assert page.locator("main h1").text_content().strip() == "Insight into the chain"
        for title in SECTIONS_EN:
            assert title in main, title
        assert "hidden" in main and "verborgen" not in main
        assert "De vier doelen" not in main and "Wachtlijsten" not in main
        page.goto(SETTINGS)
        seen(page, "publication settings (en)")
        assert "Publication of the figures" in (page.locator("main h1").text_content() or "")
        set_language(page, "nl")

        # On a phone: the page does not scroll sideways; a wide chart scrolls in its frame.
        page.set_viewport_size(PHONE)
        page.goto(scoped)
        seen(page, "dashboard on a phone")
        fits(page, "dashboard on a phone")
        widths = page.locator("main .jk-insight-chart").evaluate_all(
            "fs => fs.map(f => [f.scrollWidth, f.clientWidth])")
        assert widths and all(client <= PHONE["width"] for _, client in widths), widths
        assert any(scroll > client for scroll, client in widths), (
            "no chart scrolls in its own frame at 390 px", widths)
        page.set_viewport_size(DESKTOP)

        # The publication settings: the threshold to 20, and the dashboard applies it.
        page.goto(scoped)
        page.get_by_role("link", name="Publicatie van de cijfers").click()
        page.wait_for_url(re.compile(re.escape(SETTINGS) + "$"))
        seen(page, "publication settings")
        assert page.locator("#id_threshold").input_value() == "10"
        set_threshold(page, 20)
        seen(page, "publication settings saved")
        assert "De instellingen zijn opgeslagen" in (page.locator("body").text_content() or "")
        page.goto(scoped)
        seen(page, "dashboard, threshold 20")
        assert "Een aantal kleiner dan 20 wordt niet getoond" in threshold_note(page)
        check_sections(page, "dashboard, threshold 20")
        # No count below 20 anywhere, and some hidden (fewer cells may say "verborgen" than
        # at 10: a section whose figures are all hidden shows none of its tables, and
        # hidden providers become one row).
        assert check_hidden_and_small(page, 20, "dashboard, threshold 20") > 0

        # The front door sees the same figures, with the municipality's threshold, but not
        # the settings.
        door = new_page(browser, platform_url)
        door.set_viewport_size(DESKTOP)
        log_in(door, "demo.gemeente")
        door.locator(f"nav.jk-nav a[href='{DASHBOARD}']").click()
        door.wait_for_url(re.compile(re.escape(DASHBOARD) + "$"))
        seen(door, "dashboard of the front door")
        check_sections(door, "dashboard of the front door")
        assert "Een aantal kleiner dan 20 wordt niet getoond" in threshold_note(door)
        check_hidden_and_small(door, 20, "dashboard of the front door")
        assert door.locator(f"main a[href='{SETTINGS}']").count() == 0
        response = door.goto(SETTINGS)
        assert response is not None and response.status == 403
        door.context.close()
    finally:
        # The served platform is shared with the other walks: the demo's threshold again.
        set_language(page, "nl")
        page.set_viewport_size(DESKTOP)
        set_threshold(page, 10)
        page.context.close()


def test_a_professional_without_the_role_has_no_insight(browser, platform_url):
    page = new_page(browser, platform_url)
    log_in(page, "demo.professional")
    assert page.locator("nav.jk-nav a").count() > 0
    assert page.locator(f"nav.jk-nav a[href='{DASHBOARD}']").count() == 0
    assert page.locator(f"a[href^='{DASHBOARD}']").count() == 0
    response = page.goto(DASHBOARD)
    assert response is not None and response.status == 403
    assert (page.locator("main h1").text_content() or "").strip() == "Geen toegang"
    assert "De vier doelen" not in (page.locator("main").text_content() or "")
    assert_accessible(page, "403 for insight")
    page.context.close()
