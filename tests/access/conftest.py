"""Fixtures from elsewhere: the plan tests' family (a parent, a child and a youth with a
coordinator), and committed data on PostgreSQL for the tests with real threads."""

from ..plans.conftest import family, plan  # noqa: F401 - fixtures
from ..test_concurrency_pg import committed, pg  # noqa: F401 - fixtures
