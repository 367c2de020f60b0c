"""Fixtures of the steering tests."""

from tests.pages import client_for  # noqa: F401 - fixtures
