"""Issue 9 in a real browser: every role does its main task from its start page, in Dutch
and in English, on a desktop and on a 390 px phone. On every page: axe-core (no serious or
critical violation, no landmark that is not unique), nothing scrolls sideways on the phone,
and the navigation is collapsed there.

Each walk only follows links it finds on the pages (from "Mijn werk" on), so a start page
that promises what does not exist, or hides what a role needs, fails here. One login per
role: the language is switched with the language form, the viewport by resizing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from .a11y import assert_accessible
from .conftest import log_in, new_page

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def set_language(page: Any, code: str) -> None:
    """The language button every page carries (Django's set_language)."""
    page.goto("/")
    if page.locator("html").get_attribute("lang") != code:
        with page.expect_navigation():
            page.locator(f"form[action$='/i18n/setlang/'] button[value={code}]").click()
    assert page.locator("html").get_attribute("lang") == code


def check_page(page: Any, where: str, phone: bool) -> None:
    assert_accessible(page, where)
    if phone:
        wide = page.evaluate(
            "() => document.scrollingElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 0, f"{where}: the page scrolls {wide} px sideways at 390 px"
        nav = page.locator("nav.jk-nav")
        if nav.count():
            assert not page.locator("nav.jk-nav .utrecht-nav-list").first.is_visible(), \
                f"{where}: the navigation is not collapsed at 390 px"


def follow(page: Any, href: str | re.Pattern[str], where: str, phone: bool) -> None:
    """Click the first link to href on the current page (opening the collapsed menu on a
    phone if the link is in it), and check the page it leads to."""
    links = page.locator("main a, nav a")
    hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    wanted = href if isinstance(href, re.Pattern) else re.compile(re.escape(href) + "$")
    found = [i for i, h in enumerate(hrefs) if h and wanted.match(h)]
    assert found, f"{where}: no link to {wanted.pattern} on {page.url}"
    link = links.nth(found[0])
    if not link.is_visible():
        page.locator(".jk-nav-toggle, nav.jk-nav summary").first.click()
    with page.expect_navigation():
        link.click()
    check_page(page, where, phone)


def walk(page: Any, steps: Callable[[Any, bool], None]) -> None:
    for code in ("nl", "en"):
        set_language(page, code)
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            page.goto("/")
            check_page(page, f"start page ({code}, {size['width']} px)", size is PHONE)
            steps(page, size is PHONE)


UUID = r"[0-9a-f-]{36}"


def _teacher(page: Any, phone: bool) -> None:
    """The school: find a child among the own registrations, and see on the matches
    which child each is about."""
    follow(page, "/personen/", "persons", phone)
    follow(page, re.compile(rf"^/personen/{UUID}/$"), "person", phone)
    page.goto("/")
    follow(page, "/verwijsindex/matches/", "matches", phone)
    assert page.locator(".jk-match-youth").count(), "a match does not name its youth"


def _coordinator(page: Any, phone: bool) -> None:
    """The neighbourhood team's coordinator: from the worklist or the plans to a plan."""
    follow(page, "/plannen/", "my plans", phone)
    follow(page, re.compile(rf"^/plannen/{UUID}/$"), "plan", phone)


def _parent(page: Any, phone: bool) -> None:
    """A parent: the family plan, and who looked at the family's data."""
    follow(page, "/gezin/", "family plans", phone)
    follow(page, re.compile(rf"^/gezin/{UUID}/$"), "family plan", phone)
    page.goto("/")
    follow(page, "/toegang/", "own access overview", phone)


def _youth(page: Any, phone: bool) -> None:
    """A youth of 16 or older: own data and who looked at it."""
    follow(page, re.compile(rf"^/personen/{UUID}/$"), "own data", phone)
    page.goto("/")
    follow(page, "/toegang/", "own access overview", phone)


def _privacy(page: Any, phone: bool) -> None:
    """The privacy officer: break-the-glass reviews and the rights in the reference index."""
    follow(page, "/privacy/noodtoegang/", "break-the-glass reviews", phone)
    page.goto("/")
    follow(page, "/verwijsindex/rechten/", "rights", phone)


def _municipal_coordinator(page: Any, phone: bool) -> None:
    """The municipality's coordinator: the overdue matches, most overdue first."""
    follow(page, "/verwijsindex/matches/", "matches", phone)
    follow(page, "/verwijsindex/matches/termijn-verlopen/", "overdue matches", phone)


def _functional_admin(page: Any, phone: bool) -> None:
    """The functional administrator: corrections for the BRP; the decision aids, the
    municipality's settings and its organisations (admin part)."""
    follow(page, "/beheer/correcties/", "corrections", phone)
    page.goto("/")
    follow(page, "/signaalgids/", "Signaalgids", phone)
    follow(page, "/signaalgids/beheer/", "decision aids: versions and upload", phone)
    follow(page, "/beheer/gemeente/", "municipality settings and product codes", phone)
    follow(page, "/beheer/organisaties/", "organisations of the municipality", phone)


def _platform_admin(page: Any, phone: bool) -> None:
    # admin (issue 9): organisations, one organisation, one of its accounts.
    follow(page, "/beheer/organisaties/", "organisations", phone)
    follow(page, re.compile(r"/beheer/organisaties/\d+/$"), "an organisation", phone)
    follow(page, re.compile(r"/beheer/medewerkers/\d+/$"), "an account", phone)


ROLES: dict[str, Callable[[Any, bool], None]] = {
    "demo.professional": _teacher,
    "demo.regisseur": _coordinator,
    "demo.ouder": _parent,
    "demo.jongere": _youth,
    "demo.privacy": _privacy,
    "demo.gemeente": _municipal_coordinator,
    "demo.beheer": _functional_admin,
    "demo.admin": _platform_admin,
}


@pytest.mark.parametrize("username", list(ROLES))
def test_role_walk(browser: Any, platform_url: str, username: str) -> None:
    page = new_page(browser, platform_url)
    log_in(page, username)
    walk(page, ROLES[username])
