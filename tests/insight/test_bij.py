"""`insight bij`: the CBS Beleidsinformatie jeugd delivery, on a hand-made store with known
answers (year boundaries in Dutch time, product codes, referrers, pseudonyms)."""

from __future__ import annotations

import csv
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from jeugdketen.core.errors import Refusal
from jeugdketen.insight import bij

from .handmade import add, area, store

SECRET = b"s" * 32


def trajectory(con: Any, key: str, *, origin: str = "direct", urgency: str | None = None,
               municipality: str = "GM0001", plan_started: str | None = None,
               help_started: str | None = None, closed: str | None = None,
               reason: str | None = None, satisfaction: float | None = None,
               can_continue: bool | None = None) -> None:
    """One row of `trajectories` as derive would leave it (times UTC)."""
    def ts(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    first = ts(plan_started or help_started) or datetime.fromisoformat("2025-01-01")
    con.execute(
        "INSERT INTO trajectories (trajectory_key, household_key, origin, reporter, urgency, "
        "neighbourhood_code, district_code, municipality_code, first_contact_at, "
        "intakes_planned, intakes_held, help_started_at, plan_started_at, handovers, "
        "evaluations, closed_at, close_reason, can_continue_without_help, satisfaction, "
        "budget_eur, spent_eur, last_event_at) "
        "VALUES (?, 'h', ?, NULL, ?, 'BU00010001', 'WK000100', ?, ?, 0, 0, ?, ?, 0, 0, ?, ?, ?, ?, "
        "0, 0, ?)",
        [key, origin, urgency, municipality, first, ts(help_started or plan_started),
         ts(plan_started), ts(closed), reason, can_continue, satisfaction, ts(closed) or first])


@pytest.fixture
def con():
    con = store()
    area(con, "BU00010001", "WK000100", "GM0001")
    area(con, "BU00020001", "WK000200", "GM0002")
    # a: a crisis report, helped and closed within the year.
    trajectory(con, "a", origin="care_report", urgency="crisis", plan_started="2025-03-01 10:00",
               closed="2025-09-30 10:00", reason="01", satisfaction=8.0, can_continue=True)
    for code in ("jeugdhulp", "jeugdhulp", "dyslexie", ""):
        add(con, "plan_action.planned", "a", "2025-03-05", product_code=code)
    # b: a match, started the year before and still open.
    trajectory(con, "b", origin="match", plan_started="2024-11-01 10:00")
    # c: starts at 00:30 on 1 January 2026 in the Netherlands: not in 2025.
    trajectory(con, "c", plan_started="2025-12-31 23:30")
    # d: closed at 00:30 on 1 January 2025 in the Netherlands: in 2025.
    trajectory(con, "d", plan_started="2024-02-01 10:00", closed="2024-12-31 23:30",
               reason="03", can_continue=False)
    # e: closed at 23:30 on 31 December 2024 in the Netherlands: not in 2025.
    trajectory(con, "e", plan_started="2024-02-01 10:00", closed="2024-12-31 22:30", reason="01")
    # f: help after a referral, no plan: its provider delivers it, not the chain.
    trajectory(con, "f", origin="care_report", urgency="regular", help_started="2025-04-01 10:00")
    # g: closed after the year: still running at its end; a code planned after the year.
    trajectory(con, "g", origin="care_report", urgency="urgent", plan_started="2025-06-01 10:00",
               closed="2026-02-01 10:00", reason="02", satisfaction=6.0, can_continue=True)
    add(con, "plan_action.planned", "g", "2025-06-02", product_code="ambulant")
    add(con, "plan_action.planned", "g", "2026-01-15", product_code="later")
    # h: another municipality.
    trajectory(con, "h", municipality="GM0002", plan_started="2025-05-01 10:00")
    return con


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def by_key(rows: list[dict[str, str]], keys: str) -> dict[str, dict[str, str]]:
    names = {bij.pseudonym(SECRET, k): k for k in keys}
    return {names[r["traject"]]: r for r in rows}


def test_the_delivery_has_the_municipalitys_trajectories_with_help_in_the_year(con, tmp_path):
    out = tmp_path / "bij-2025.csv"
    assert bij.write(con, 2025, "GM0001", out, secret=SECRET) == 4
    assert out.read_text(encoding="utf-8").splitlines()[0] == ";".join(bij.COLUMNS)
    rows = by_key(read(out), "abcdefgh")
    assert sorted(rows) == ["a", "b", "d", "g"]
    assert rows["a"] == {
        "traject": bij.pseudonym(SECRET, "a"), "gemeente": "GM0001", "verwijzer": "01",
        "vorm_jeugdhulp": "dyslexie|jeugdhulp", "crisis": "1", "datum_aanvang": "2025-03-01",
        "datum_einde": "2025-09-30", "reden_beeindiging": "01", "tevredenheid": "8",
        "zonder_hulp_verder": "1"}
    assert rows["b"] | {"traject": ""} == {
        "traject": "", "gemeente": "GM0001", "verwijzer": "01", "vorm_jeugdhulp": "",
        "crisis": "0", "datum_aanvang": "2024-11-01", "datum_einde": "",
        "reden_beeindiging": "", "tevredenheid": "", "zonder_hulp_verder": ""}
    assert (rows["d"]["verwijzer"], rows["d"]["datum_einde"], rows["d"]["reden_beeindiging"],
            rows["d"]["tevredenheid"], rows["d"]["zonder_hulp_verder"]) == (
        "06", "2025-01-01", "03", "", "0")
    # Closed after the year: no end, reason or outcome in this year's delivery.
    assert (rows["g"]["datum_einde"], rows["g"]["reden_beeindiging"], rows["g"]["tevredenheid"],
            rows["g"]["zonder_hulp_verder"], rows["g"]["vorm_jeugdhulp"],
            rows["g"]["crisis"]) == ("", "", "", "", "ambulant", "0")
    assert not (tmp_path / "bij-2025.csv.part").exists()


def test_the_next_year_has_what_started_at_new_year_and_what_ran_on(con, tmp_path):
    out = tmp_path / "bij-2026.csv"
    assert bij.write(con, 2026, "GM0001", out, secret=SECRET) == 3
    rows = by_key(read(out), "abcdefgh")
    assert sorted(rows) == ["b", "c", "g"]
    assert rows["c"]["datum_aanvang"] == "2026-01-01"
    assert (rows["g"]["datum_einde"], rows["g"]["reden_beeindiging"], rows["g"]["tevredenheid"],
            rows["g"]["vorm_jeugdhulp"]) == ("2026-02-01", "02", "6", "ambulant|later")


def test_without_a_municipality_every_municipality(con, tmp_path):
    out = tmp_path / "bij.csv"
    assert bij.write(con, 2025, None, out, secret=SECRET) == 5
    assert by_key(read(out), "abcdefgh")["h"]["gemeente"] == "GM0002"


def test_pseudonyms_are_keyed_per_delivery_and_ordered_by_themselves(con, tmp_path):
    first, second = tmp_path / "1.csv", tmp_path / "2.csv"
    bij.write(con, 2025, "GM0001", first)
    bij.write(con, 2025, "GM0001", second)
    one = [r["traject"] for r in read(first)]
    two = [r["traject"] for r in read(second)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", p) for p in one + two)
    assert one == sorted(one) and len(set(one)) == 4
    assert not set(one) & set(two)  # a new secret for every delivery
    assert not set(one) & {bij.pseudonym(SECRET, k) for k in "abdg"}
    text = first.read_text(encoding="utf-8")
    assert not re.search(r"(^|;)[abdg](;|$)", text, re.M)  # no trajectory key


@pytest.mark.parametrize(("year", "municipality", "field"), [
    ("20x5", "GM0001", "year"), (2014, "GM0001", "year"), (9999, "GM0001", "year"),
    (2025, "0001", "municipality"), (2025, "GM9999", "municipality"),
])
def test_bad_input_is_refused_naming_the_field(con, tmp_path, year, municipality, field):
    with pytest.raises(Refusal) as refused:
        bij.write(con, year, municipality, tmp_path / "x.csv")
    assert refused.value.field == field
    assert field in refused.value.message
    assert list(tmp_path.iterdir()) == []
