"""Issue 2 in a real browser: a professional logs in with two-factor enrolment, registers
a household, and the access overview shows it (privacy officer and parent). axe-core on
every page visited."""

from __future__ import annotations

import re

from .a11y import assert_accessible
from .conftest import log_in, new_page

# A father and son of the example BRP population the demo loads into the stand-in (nobody
# has entered them yet): synthetic BSNs from the test range. The father lives elsewhere.
PARENT_BSN, CHILD_BSN = "999990019", "999990020"


def register_person(page, bsn: str, given: str, family: str, born: str, sex: str) -> None:
    page.goto("/personen/nieuw/")
    assert_accessible(page, "register person")
    page.fill("#id_bsn", bsn)
    page.fill("#id_given_names", given)
    page.fill("#id_family_name", family)
    page.fill("#id_birth_date", born)
    page.check(f"input[name=sex][value={sex}]")
    page.click("form.jk-form button[type=submit]")
    page.wait_for_url(re.compile(r"/personen/[0-9a-f-]{36}/"))
    assert_accessible(page, "person page")
    assert given in page.content()


def test_professional_registers_a_household_and_it_shows_in_the_access_overview(page, browser, platform_url):
    log_in(page, "demo.professional")
    assert_accessible(page, "Mijn werk")

    # A wrong BSN is refused with the eleven test named, and what was typed stays.
    page.goto("/personen/nieuw/")
    page.fill("#id_bsn", "999990010")
    page.fill("#id_given_names", "Test")
    page.click("form.jk-form button[type=submit]")
    assert "elfproef" in page.content()
    assert page.input_value("#id_given_names") == "Test"
    assert_accessible(page, "register person with errors")

    # BSN, birth date and family name must agree with the BRP; anything else is refused
    # alike, naming the three fields.
    page.goto("/personen/nieuw/")
    page.fill("#id_bsn", CHILD_BSN)
    page.fill("#id_given_names", "Liam")
    page.fill("#id_family_name", "de Vries")
    page.fill("#id_birth_date", "2014-06-22")
    page.check("input[name=sex][value=M]")
    page.click("form.jk-form button[type=submit]")
    assert "komen niet overeen met de BRP" in page.content()
    assert_accessible(page, "register person not matching the BRP")

    register_person(page, PARENT_BSN, "Johan", "de Vries", "1983-11-02", "M")
    register_person(page, CHILD_BSN, "Liam", "de Vries", "2014-06-21", "M")

    # The household: the BRP says who is parent and who is child.
    page.goto("/huishoudens/nieuw/")
    assert_accessible(page, "register household")
    for name in (r"Vries, Johan.*1983", r"Vries, Liam.*2014"):
        row = page.locator(".jk-member-row", has_text=re.compile(name)).first
        row.locator("input[type=checkbox]").check()
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/huishoudens/[0-9a-f-]{36}/"))
    assert_accessible(page, "household")
    assert "Johan" in page.content() and "Liam" in page.content() and "Ouder" in page.content()

    # The privacy officer opens the child's access overview: the registration is there.
    privacy = new_page(browser, platform_url)
    log_in(privacy, "demo.privacy")
    privacy.goto("/toegang/")
    assert_accessible(privacy, "access overview lookup")
    privacy.fill("#id_bsn", CHILD_BSN)
    privacy.click("form.jk-form button[type=submit]")
    privacy.wait_for_url(re.compile(r"/toegang/[0-9a-f-]{36}/"))
    assert_accessible(privacy, "access log")
    table = privacy.locator("table").first.text_content()
    assert "Petra Leerkracht" in table or "Basisschool" in table
    privacy.context.close()

    # English is complete on the same page for the professional.
    page.goto("/")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert "My work" in page.content() or "Register" in page.content()
    assert_accessible(page, "home in English")


def test_parent_sees_own_access_overview(page):
    log_in(page, "demo.ouder")
    page.goto("/toegang/")
    assert_accessible(page, "citizen access overview")
    assert page.locator("table").count() >= 1
