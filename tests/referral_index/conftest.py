"""The page fixtures of tests/pages.py, for the reference index's pages."""

from tests.pages import client_for, page_settings  # noqa: F401 - fixtures
