"""docs/insight.md shows the code's own SQL: every query constant of the insight modules
(a module-level string named *_SQL, or derive's statements) appears in it word for word,
so a definition cannot change without its documentation."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import jeugdketen.insight as insight

DOC = Path(__file__).resolve().parents[2] / "docs" / "insight.md"


def _constants() -> dict[str, str]:
    """The definitions' SQL; a query built on the closed plans' common part counts by what
    it adds (the documentation shows the common part once). Name look-ups are no
    definitions."""
    from jeugdketen.insight.kpis import CLOSED_PLANS_SQL

    found = {}
    for info in pkgutil.iter_modules(insight.__path__):
        module = importlib.import_module(f"jeugdketen.insight.{info.name}")
        for name, value in vars(module).items():
            if (name.endswith("_SQL") and isinstance(value, str)
                    and not name.endswith(("_NAME_SQL", "_NAMES_SQL"))):
                if value.startswith(CLOSED_PLANS_SQL) and value != CLOSED_PLANS_SQL:
                    value = value[len(CLOSED_PLANS_SQL):]
                # derive's statements as a full derive runs them (a refresh narrows {scope})
                found[f"{info.name}.{name}"] = value.replace("{scope}", "")
    return found


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_query_is_documented_word_for_word() -> None:
    doc = _words(DOC.read_text(encoding="utf-8"))
    constants = _constants()
    assert len(constants) >= 5
    missing = []
    for name, sql in constants.items():
        # A statement that embeds another (derive's INSERT its facts) counts by the rest.
        fragments = [sql]
        for other_name, other in constants.items():
            if other_name != name and other.strip() and other in sql:
                fragments = [part for f in fragments for part in f.split(other)]
        if any(_words(part) and _words(part) not in doc for part in fragments):
            missing.append(name)
    assert not missing, f"not in docs/insight.md as the code has it: {missing}"
