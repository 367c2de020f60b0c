"""Issue 9, "Phone": at 390 px wide nothing scrolls sideways and the main menu folds away
behind a button (a <details>: it works without JavaScript too). Every page of every role's
menu is visited, with the pages one opens from them (a plan, a person, a signal and its
letter), and the widest part of the document must fit. On a desktop the menu is open and
has no button. axe-core runs on the folded and the opened menu."""

from __future__ import annotations

import re

import pytest

from .a11y import assert_accessible
from .conftest import log_in, new_page
from .test_insight_walk import refresh

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def fits(page, where: str) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    if width > PHONE["width"]:
        culprits = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > 391)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
        pytest.fail(f"{where} ({page.url}) is {width} px wide at 390 px: {culprits}")


def menu_links(page) -> list[str]:
    return [a.get_attribute("href") for a in page.locator("nav.jk-nav a").all()]


def check_menu_folds(page, where: str) -> None:
    menu = page.locator("details[data-jk-menu]")
    button = menu.locator("summary")
    assert button.is_visible(), where
    assert not menu.evaluate("d => d.open"), f"the menu is open on a phone at {where}"
    assert not page.locator("nav.jk-nav .utrecht-nav-list").is_visible()
    assert_accessible(page, f"{where}, menu folded")
    button.click()
    assert page.locator("nav.jk-nav .utrecht-nav-list").is_visible()
    fits(page, f"{where}, menu open")
    assert_accessible(page, f"{where}, menu open")
    button.click()


def visit(page, url: str, where: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 400, (where, url, response and response.status)
    fits(page, where)


def first_link(page, pattern: str) -> str | None:
    for a in page.locator("main a").all():
        href = a.get_attribute("href") or ""
        if re.fullmatch(pattern, href):
            return href
    return None


@pytest.mark.parametrize("username, extra", [
    # (where a link to such a page is found, the link)
    ("demo.regisseur", [(("/plannen/",), r"/plannen/[0-9a-f-]{36}/"),
                        (("/personen/",), r"/personen/[0-9a-f-]{36}/"),
                        (("/verwijsindex/matches/",), None)]),
    ("demo.professional", [(("/verwijsindex/signalen/",), r"/verwijsindex/signalen/\d+/")]),
    ("demo.ouder", [(("/gezin/",), r"/gezin/[0-9a-f-]{36}/"),
                    (("/",), r"/personen/[0-9a-f-]{36}/")]),
    ("demo.privacy", []),
    ("demo.beheer", []),
    # Insight (issue 12): the dashboard from the menu, its publication settings from the
    # dashboard; a wide chart scrolls in its own frame, the page does not.
    ("demo.analist", [(("/inzicht/",), r"/inzicht/instellingen/")]),
    ("demo.gemeente", []),
])
def test_every_main_page_fits_a_phone(browser, platform_url, username, extra):
    insight = username in ("demo.analist", "demo.gemeente")
    if insight:
        refresh()  # the insight pages with their figures and charts, not "no data yet"
    page = new_page(browser, platform_url)
    page.set_viewport_size(PHONE)
    log_in(page, username)
    fits(page, f"{username}: start page")
    check_menu_folds(page, f"{username}: start page")
    links = menu_links(page)
    assert links, f"{username} has no menu"
    for href in links:
        visit(page, href, f"{username}: {href}")
    if insight:
        assert "/inzicht/" in links, f"{username} has no insight in the menu"
        visit(page, "/inzicht/", f"{username}: insight")
        assert page.locator("main .jk-insight-chart svg").count() > 0, "no chart to fit"
    for listings, detail in extra:
        found = None
        for listing in listings:  # the first that exists and links to such a page
            response = page.goto(listing)
            if response is None or response.status >= 400:
                continue
            fits(page, f"{username}: {listing}")
            found = first_link(page, detail) if detail else None
            if found:
                break
        if detail is None:
            continue
        assert found, f"{username}: no link like {detail} on {listings}"
        visit(page, found, f"{username}: {found}")
        if "/verwijsindex/signalen/" in found:
            visit(page, found + "brief/", f"{username}: the letter")
    page.context.close()


def test_on_a_desktop_the_menu_is_open_without_a_button(browser, platform_url):
    page = new_page(browser, platform_url)
    page.set_viewport_size(DESKTOP)
    log_in(page, "demo.regisseur")
    assert page.locator("details[data-jk-menu]").evaluate("d => d.open")
    assert not page.locator("details[data-jk-menu] > summary").is_visible()
    assert page.locator("nav.jk-nav .utrecht-nav-list").is_visible()
    # Narrowed to a phone the menu folds; widened again it opens.
    page.set_viewport_size(PHONE)
    page.wait_for_function("() => !document.querySelector('details[data-jk-menu]').open")
    page.set_viewport_size(DESKTOP)
    page.wait_for_function("() => document.querySelector('details[data-jk-menu]').open")
    page.context.close()


def test_printing_shows_no_navigation_banners_or_buttons(browser, platform_url):
    page = new_page(browser, platform_url)
    page.set_viewport_size(DESKTOP)
    log_in(page, "demo.regisseur")
    page.goto("/plannen/")
    plan = first_link(page, r"/plannen/[0-9a-f-]{36}/")
    assert plan
    page.goto(plan)
    page.emulate_media(media="print")
    for selector in ("header.jk-header", "nav.jk-nav", "footer", ".jk-toc",
                     "main form", "main .utrecht-button-link", "main button",
                     "details[id^=form-] > summary"):
        shown = [el for el in page.locator(selector).all() if el.is_visible()]
        assert not shown, f"{selector} is printed"
    assert page.locator("main h1").is_visible()
    assert page.locator("main table").first.is_visible()
    page.context.close()
