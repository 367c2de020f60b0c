"""Fixtures of the insight tests: a store directory of the test's own, and a hand-made
store in memory (tests/insight/handmade.py) with one area."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import handmade


@pytest.fixture
def insight_dir(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """settings.INSIGHT_DIR in the test's tmp_path; the thread's reader forgets any
    snapshot of an earlier test."""
    from jeugdketen.insight import store

    path = tmp_path / "insight"
    settings.INSIGHT_DIR = path
    store.forget_reader()
    yield path
    store.forget_reader()


@pytest.fixture
def iw(db: Any) -> Any:
    """The insight pages' world (tests/insight/test_pages.py): two municipalities with an
    analyst, a coordinator, a front door and roles without a ground for figures."""
    from .test_pages import InsightWorld

    return InsightWorld()


@pytest.fixture
def handmade_store() -> Iterator[Any]:
    """An empty in-memory store with the schema and one area: neighbourhood BU00000001 in
    district WK000000 of municipality GM0000."""
    con = handmade.store()
    handmade.area(con)
    yield con
    con.close()
