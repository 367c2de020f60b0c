"""The page fixtures of tests/pages.py, for the registry's pages (persons, households,
registration, corrections, administration)."""

from tests.pages import (  # noqa: F401 - fixtures
    citizen_user,
    client_for,
    family,
    page_settings,
    registered,
)
