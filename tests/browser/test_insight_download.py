"""Issue 12 in a real browser: the CSV download of a dashboard section. The analyst of the
served demo platform opens the dashboard, reaches the link "Download als CSV" under the
four goals with the Tab key and presses Enter: the browser saves
inzicht-<gebied>-<tot>-kpis.csv, UTF-8 with a byte order mark and `;` between fields, whose
tables are the section's tables on the page cell for cell. A hand-edited download address
answers with a page naming the field. axe-core on both pages.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from .a11y import assert_accessible
from .conftest import log_in, new_page
from .test_front_door_walk import seen
from .test_insight_walk import DASHBOARD, DESKTOP, refresh

DOWNLOAD = "/inzicht/download/"
LINK_TEXT = "Download als CSV"


def section_tables(page: Any, key: str) -> list[dict[str, Any]]:
    """The tables of one section as the page shows them: caption, columns, cell texts."""
    return list(page.evaluate("""key => Array.from(document.querySelectorAll(
        `main section[aria-labelledby='sectie-${key}'] table`)).map(t => ({
          caption: t.caption.textContent.trim(),
          columns: Array.from(t.tHead.rows[0].cells).map(c => c.textContent.trim()),
          rows: Array.from(t.tBodies[0].rows).map(r => Array.from(r.cells).map(
            c => c.textContent.trim()))}))""", key))


def csv_tables(raw: bytes) -> list[dict[str, Any]]:
    """The file's tables: blocks between empty lines, a header row ("Tabel" and the
    columns), then rows with the caption first."""
    assert raw.startswith(b"\xef\xbb\xbfTabel;"), raw[:40]
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8")[1:], newline=""), delimiter=";"))
    out: list[dict[str, Any]] = []
    block: list[list[str]] = []
    for row in [*rows, []]:
        if row:
            block.append(row)
        elif block:
            header, *body = block
            out.append({"caption": body[0][0], "columns": header[1:],
                        "rows": [r[1:] for r in body]})
            block = []
    return out


def test_the_analyst_downloads_a_section_with_the_keyboard(browser, platform_url):
    refresh()
    page = new_page(browser, platform_url)
    page.set_viewport_size(DESKTOP)
    log_in(page, "demo.analist")
    try:
        page.goto(DASHBOARD)
        seen(page, "dashboard with its download links")
        links = page.locator("main section a", has_text=LINK_TEXT)
        assert links.count() >= 4, links.count()
        for section in page.locator("main section.jk-insight-section").all():
            has_table = section.locator("table").count() > 0
            assert section.locator("a", has_text=LINK_TEXT).count() == (1 if has_table else 0)
        link = page.locator("main section[aria-labelledby='sectie-kpis'] a", has_text=LINK_TEXT)
        href = link.get_attribute("href") or ""
        found = re.fullmatch(r"/inzicht/download/\?gebied=(GM\d{4})&tot=(\d{4}-\d\d-\d\d)"
                             r"&sectie=kpis", href)
        assert found, href

        # With the keyboard: Tab from the top of the page until the link has the focus.
        page.locator("body").focus()
        for _press in range(400):
            page.keyboard.press("Tab")
            if page.evaluate("href => document.activeElement.getAttribute('href') === href",
                             href):
                break
        else:
            raise AssertionError("the download link is not reachable with Tab")
        with page.expect_download() as info:
            page.keyboard.press("Enter")
        download = info.value
        assert download.suggested_filename == (
            f"inzicht-{found.group(1)}-{found.group(2)}-kpis.csv")
        raw = Path(download.path()).read_bytes()
        assert csv_tables(raw) == section_tables(page, "kpis")
        assert page.url.endswith(DASHBOARD)  # the page stays

        # A download address typed by hand: a page that names the field.
        response = page.goto(f"{DOWNLOAD}?gebied={found.group(1)}&tot={found.group(2)}"
                             "&sectie=alles")
        assert response is not None and response.status == 422
        assert (page.locator("main h1").text_content() or "").strip() == "Geen download"
        assert "Sectie: Kies een sectie van de pagina" in (
            page.locator("main").text_content() or "")
        assert_accessible(page, "download refused")
    finally:
        page.context.close()
