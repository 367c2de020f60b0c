"""Issue 9, "Phone" and "Printing", as the server sends it: the main menu is a <details>
that is open in the HTML (so it works without JavaScript; the script folds it on a phone),
with a summary as its button. What it looks like on a phone and on paper is checked in a
real browser (tests/browser/test_phone_layout.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation


@pytest.fixture(autouse=True)
def _language_back():
    """A request in English leaves English active in this thread: not for the next test."""
    yield
    translation.deactivate()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_menu_is_a_details_open_without_javascript(professional, client_for, lang):
    body = client_for(professional, lang).get(reverse("home")).content.decode()
    nav = re.search(r'<nav class="utrecht-nav-bar jk-nav".*?</nav>', body, re.S)
    assert nav is not None
    menu = nav.group(0)
    assert re.search(r'<details class="jk-menu" open data-jk-menu>\s*'
                     r'<summary class="jk-menu__button">Menu</summary>\s*'
                     r'<ul class="utrecht-nav-list">', menu)
    assert menu.count("<a ") >= 2 and menu.rstrip().endswith("</nav>")

