"""The matrix's world is built once for the whole package, inside a transaction that is
rolled back at the end; every case runs in its own savepoint (pytest-django's `db`),
so a call that changes something is undone before the next case."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from .world import World, build


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        built = build()
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def w(world: World, db, settings, tmp_path) -> Iterator[World]:
    """The world, for one case: in a savepoint of its own, with the public form's
    throttle (a count per client address in the cache) empty, as a case's own calls are
    all the test client's address, and an empty insight store of its own (not the
    developer's var/insight)."""
    from jeugdketen.insight import store
    from jeugdketen.intake import throttle

    throttle._cache().clear()
    settings.INSIGHT_DIR = tmp_path / "insight"
    store.forget_reader()
    yield world
    store.forget_reader()
