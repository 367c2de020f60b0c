"""docs/steering.md shows the board's own SQL word for word (as docs/insight.md does
insight's), so a definition cannot change without its documentation."""

from __future__ import annotations

from pathlib import Path

from jeugdketen.steering import series

DOC = Path(__file__).resolve().parents[2] / "docs" / "steering.md"


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_board_query_is_documented_word_for_word() -> None:
    doc = _words(DOC.read_text(encoding="utf-8"))
    for name in ("WEEKLY_FLOWS_SQL", "OPEN_WORK_SQL"):
        assert _words(getattr(series, name)) in doc, name
