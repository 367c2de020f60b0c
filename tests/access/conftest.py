"""The plan tests' family (a parent, a child and a youth with a coordinator), for the
access-log tests that start plans."""

from ..plans.conftest import family, plan  # noqa: F401 - fixtures
