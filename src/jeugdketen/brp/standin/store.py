"""The stand-in's table of synthetic persons: one SQLite file (WAL), one row per person
holding the `Persoon` document as the BRP API would answer it.

`load` takes a JSON list of persons in the BRP API's `Persoon` shape (the file
../shared/brp/population-example.json loads as it is). Only synthetic BSNs are accepted:
nine digits, passing the eleven test, in the test range 999900000-999999999, so a real
population can never end up in a stand-in by mistake.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SYNTHETIC_LOW, SYNTHETIC_HIGH = 999_900_000, 999_999_999
SCHEMA = """
CREATE TABLE IF NOT EXISTS persoon (
    bsn TEXT PRIMARY KEY,
    postcode TEXT NOT NULL DEFAULT '',
    huisnummer INTEGER,
    overleden INTEGER NOT NULL DEFAULT 0,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS persoon_adres ON persoon (postcode, huisnummer);
"""


class PopulationError(ValueError):
    """A population file that is not a list of synthetic `Persoon` documents."""


def synthetic(bsn: Any) -> bool:
    if not (isinstance(bsn, str) and len(bsn) == 9 and bsn.isascii() and bsn.isdigit()):
        return False
    total = sum(w * int(d) for w, d in zip((9, 8, 7, 6, 5, 4, 3, 2, -1), bsn, strict=True))
    return total != 0 and total % 11 == 0 and SYNTHETIC_LOW <= int(bsn) <= SYNTHETIC_HIGH


class Store:
    """The table, safe to use from several threads (one connection per thread)."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._local = threading.local()
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def load(self, persons: Any, *, replace: bool = False) -> int:
        """Add (or update, by BSN) these persons; with `replace`, only these remain."""
        if not isinstance(persons, list):
            raise PopulationError("a population is a JSON list of persons")
        rows = []
        for i, person in enumerate(persons):
            if not isinstance(person, dict):
                raise PopulationError(f"person {i}: not an object")
            bsn = person.get("burgerservicenummer")
            if not synthetic(bsn):
                raise PopulationError(
                    f"person {i}: burgerservicenummer {bsn!r} is not a synthetic BSN "
                    f"(nine digits, eleven test, {SYNTHETIC_LOW}-{SYNTHETIC_HIGH})")
            adres = ((person.get("verblijfplaats") or {}).get("verblijfadres") or {})
            number = adres.get("huisnummer")
            rows.append((bsn, str(adres.get("postcode") or "").replace(" ", "").upper(),
                         number if isinstance(number, int) else None,
                         1 if person.get("overlijden") else 0,
                         json.dumps(person, ensure_ascii=False)))
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if replace:
                conn.execute("DELETE FROM persoon")
            conn.executemany(
                "INSERT INTO persoon (bsn, postcode, huisnummer, overleden, doc) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (bsn) DO UPDATE SET postcode = "
                "excluded.postcode, huisnummer = excluded.huisnummer, overleden = "
                "excluded.overleden, doc = excluded.doc", rows)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return len(rows)

    def forget(self, bsns: Iterable[str]) -> None:
        self.conn.executemany("DELETE FROM persoon WHERE bsn = ?", [(b,) for b in bsns])

    def by_bsn(self, bsns: list[str]) -> list[dict[str, Any]]:
        marks = ", ".join("?" * len(bsns))
        rows = self.conn.execute(
            f"SELECT doc FROM persoon WHERE bsn IN ({marks})", bsns).fetchall()  # noqa: S608
        found = {d["burgerservicenummer"]: d for d in (json.loads(r[0]) for r in rows)}
        return [found[b] for b in dict.fromkeys(bsns) if b in found]

    def by_address(self, postcode: str, number: int, *, deceased: bool = False
                   ) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT doc FROM persoon WHERE postcode = ? AND huisnummer = ? AND overleden <= ? "
            "ORDER BY bsn", [postcode, number, 1 if deceased else 0]).fetchall()
        return [json.loads(r[0]) for r in rows]

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM persoon").fetchone()[0])


def load_file(store: Store, path: str | Path, *, replace: bool = False) -> int:
    with open(path, encoding="utf-8") as handle:
        try:
            persons = json.load(handle)
        except ValueError as exc:
            raise PopulationError(f"{path}: not JSON ({exc})") from None
    return store.load(persons, replace=replace)
