"""Fixtures from elsewhere: the plan tests' family (a parent, a child and a youth with a
coordinator; the page tests override it with tests/pages.py's), the page fixtures of
tests/pages.py, and committed data on PostgreSQL for the tests with real threads. And each
test starts with a process that knows nothing about the anchor chain yet (the writers
remember it between writes; a test's rolled-back anchors must not be remembered)."""

import pytest

from jeugdketen.access import audit
from tests.pages import citizen_user, client_for, page_settings, registered  # noqa: F401 - fixtures
from tests.plans.conftest import family, plan  # noqa: F401 - fixtures
from tests.registry.test_concurrency_pg import committed, pg  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _fresh_anchor_state():
    audit.forget_anchor_state()
    yield
    audit.forget_anchor_state()
