"""The CBS "Beleidsinformatie jeugd" (BIJ) delivery of a year, from the insight store: one
row per trajectory of the municipality whose plan (the help the chain coordinates) ran in
that year, with the fields the BIJ asks about help: referrer, form of help, crisis start,
start and end date, reason for ending, and the chain's outcome fields satisfaction and
can continue without help. docs/insight.md lists every field with its codes.

Pseudonymous: the store holds no BSN (the chain's trajectory key is its only identifier),
so the delivery names a trajectory by a keyed hash (HMAC-SHA256) of its key with a secret
drawn for this delivery and never stored: rows cannot be linked to the chain nor to
another year's delivery. The rows are in the order of that hash, not of the key.

A CSV with a header row, `;` between fields (as CBS's own CSV files), UTF-8; dates
YYYY-MM-DD in the Netherlands; written as NAME.part and renamed when complete."""

from __future__ import annotations

import csv
import hashlib
import hmac
import os
import re
import secrets
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jeugdketen.core.errors import Refusal

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
FIRST_YEAR = 2015  # the Jeugdwet, and its beleidsinformatie, began on 1 January 2015

COLUMNS = ["traject", "gemeente", "verwijzer", "vorm_jeugdhulp", "crisis", "datum_aanvang",
           "datum_einde", "reden_beeindiging", "tevredenheid", "zonder_hulp_verder"]

# CBS/iJw "verwijzer" (who referred to the help), by the trajectory's origin: a care report
# reached the municipality's front door, which decided on the help; a match of the
# reference index (the municipality's instrument) led to a coordinator under the
# municipality's direction; a plan started directly by a professional without a report
# or match had no referrer.
REFERRER_MUNICIPALITY = "01"  # gemeentelijke toegang
REFERRER_NONE = "06"  # zelfverwijzer / geen verwijzer
REFERRERS = {"care_report": REFERRER_MUNICIPALITY, "match": REFERRER_MUNICIPALITY,
             "direct": REFERRER_NONE}
REASONS = {"01", "02", "03", "04", "05"}  # CBS reden beëindiging jeugdhulp
MUNICIPALITY = re.compile(r"GM\d{4}")

ROWS = """
SELECT t.trajectory_key, t.municipality_code, t.origin, t.urgency, t.plan_started_at,
       t.closed_at, t.close_reason, t.satisfaction, t.can_continue_without_help, p.codes
FROM trajectories t
LEFT JOIN (
    SELECT trajectory_key, string_agg(DISTINCT code, '|' ORDER BY code) AS codes
    FROM (SELECT trajectory_key, json_extract_string(attributes, '$.product_code') AS code
          FROM events
          WHERE activity = 'plan_action.planned' AND happened_at < $end)
    WHERE code IS NOT NULL AND code <> ''
    GROUP BY trajectory_key
) p USING (trajectory_key)
WHERE t.plan_started_at IS NOT NULL
  AND t.plan_started_at < $end
  AND (t.closed_at IS NULL OR t.closed_at >= $start)
  AND (CAST($municipality AS VARCHAR) IS NULL OR t.municipality_code = $municipality)
"""


def _utc(day: date) -> datetime:
    """The start of a day in the Netherlands as the store's naive UTC time."""
    local = datetime(day.year, day.month, day.day, tzinfo=AMSTERDAM)
    return local.astimezone(UTC).replace(tzinfo=None)


def _day(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).astimezone(AMSTERDAM).date().isoformat()


def pseudonym(secret: bytes, trajectory_key: str) -> str:
    return hmac.new(secret, trajectory_key.encode(), hashlib.sha256).hexdigest()[:32]


def check(con: Any, given: Any, municipality: str | None) -> int:
    """The year as a number, or a Refusal naming the field."""
    try:
        year = int(given)
    except (TypeError, ValueError):
        raise Refusal("invalid_year", f"year: {given!r} is not a year", field="year") from None
    if not FIRST_YEAR <= year <= datetime.now(AMSTERDAM).year:
        raise Refusal("invalid_year", f"year: {year} is not between {FIRST_YEAR} and this year",
                      field="year")
    if municipality is not None:
        if not MUNICIPALITY.fullmatch(municipality):
            raise Refusal("invalid_municipality",
                          f"municipality: {municipality!r} is not a CBS code GMnnnn",
                          field="municipality")
        known = con.execute("SELECT 1 FROM areas WHERE municipality_code = ? LIMIT 1",
                            [municipality]).fetchone()
        if known is None:
            raise Refusal("unknown_municipality",
                          f"municipality: {municipality} has no areas in the insight store",
                          field="municipality")
    return year


def rows(con: Any, year: int, municipality: str | None, secret: bytes) -> list[list[str]]:
    start, end = _utc(date(year, 1, 1)), _utc(date(year + 1, 1, 1))
    found = con.execute(ROWS, {"start": start, "end": end, "municipality": municipality}
                        ).fetchall()
    out = []
    for (key, gemeente, origin, urgency, started, closed, reason, satisfaction,
         can_continue, codes) in found:
        ended = closed is not None and closed < end  # an end after the year is not yet one
        out.append([
            pseudonym(secret, key),
            gemeente or "",
            REFERRERS.get(origin, ""),
            codes or "",
            "1" if urgency == "crisis" else "0",
            _day(started),
            _day(closed) if ended else "",
            reason if ended and reason in REASONS else "",
            f"{satisfaction:g}" if ended and satisfaction is not None else "",
            ("1" if can_continue else "0") if ended and can_continue is not None else "",
        ])
    out.sort()
    return out


def write(con: Any, year: Any, municipality: str | None, out_path: Path, *,
          secret: bytes | None = None) -> int:
    """Write the delivery for `year` (all municipalities when `municipality` is None) to
    `out_path`; returns the number of trajectories in it. `secret` only for tests: a
    delivery draws its own and forgets it."""
    checked = check(con, year, municipality)
    found = rows(con, checked, municipality, secret or secrets.token_bytes(32))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    part = out_path.with_name(out_path.name + ".part")
    with part.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(found)
    os.replace(part, out_path)
    return len(found)
