"""The shell's tests (start page, login, second factor, error pages, the menu): the page
fixtures of tests/pages.py, with two-factor off unless a test turns it on."""

from __future__ import annotations

import pytest

from tests.pages import citizen_user, client_for, family, for_pages, registered  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def web_settings(settings):
    return for_pages(settings)
