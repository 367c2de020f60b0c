"""Fixtures of the steering tests. The board's: a small world (two municipalities and the
roles around them: tests/insight/test_pages.InsightWorld), an insight store directory of
the test's own, and a published store with the board's hand-made events
(board_world.fill). Their own test files' fixtures of the same name win there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.pages import client_for  # noqa: F401 - fixtures (steer-time's tests)


@pytest.fixture
def insight_dir(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """The test's own store: the readers and the board's and the time figures' caches
    forgotten before and after."""
    from jeugdketen.insight import store
    from jeugdketen.steering import board, time_actions

    path = tmp_path / "insight"
    settings.INSIGHT_DIR = path
    store.forget_reader()
    board.forget()
    time_actions._CACHE.clear()
    yield path
    store.forget_reader()
    board.forget()
    time_actions._CACHE.clear()


@pytest.fixture
def iw(db) -> Any:
    from tests.insight.test_pages import InsightWorld

    return InsightWorld()


@pytest.fixture
def board_store(insight_dir: Path) -> Path:
    from tests.insight.test_pages import publish
    from tests.steering import board_world

    publish(insight_dir, board_world.fill)
    return insight_dir
