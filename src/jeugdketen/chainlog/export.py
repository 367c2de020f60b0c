"""Export of the chain event log: CSV (streamed), Parquet (written by DuckDB from the
CSV, so the whole log never sits in memory), IEEE XES (chainlog.xes: one trace per
trajectory) and OCEL 2.0 JSON (chainlog.ocel: trajectories, households, organisations).
Interrupting leaves only a .part file; a rerun writes the export again from the start."""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from jeugdketen.chainlog import ocel, xes
from jeugdketen.chainlog.models import ChainEvent

FORMATS = ("both", "csv", "parquet", "xes", "ocel")
XES_NAME = "chain_events.xes"
OCEL_NAME = "chain_events.ocel.json"

COLUMNS = ["id", "at", "activity", "trajectory_key", "person_key", "household_key",
           "organisation_id", "neighbourhood_code", "attributes"]
CSV_TYPES = (
    "{'id':'BIGINT','at':'TIMESTAMPTZ','activity':'VARCHAR','trajectory_key':'VARCHAR',"
    "'person_key':'VARCHAR','household_key':'VARCHAR','organisation_id':'BIGINT',"
    "'neighbourhood_code':'VARCHAR','attributes':'JSON'}"
)


def export(directory: Path, *, formats: str = "both", out: TextIO = sys.stderr
           ) -> list[tuple[Path, int]]:
    """Write the export in `directory`: `formats` both (CSV and Parquet), csv, parquet,
    xes or ocel. Returns each file written with the number of events in it."""
    if formats not in FORMATS:
        raise ValueError(f"unknown export format {formats!r}: one of {', '.join(FORMATS)}")
    directory.mkdir(parents=True, exist_ok=True)
    if formats == "xes":
        path = directory / XES_NAME
        return [(path, xes.write(path, out=out))]
    if formats == "ocel":
        path = directory / OCEL_NAME
        return [(path, ocel.write(path, out=out))]
    csv_path = directory / "chain_events.csv"
    part = csv_path.with_suffix(".csv.part")
    total = ChainEvent.objects.count()
    start = time.monotonic()
    rows = 0
    with part.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        qs = ChainEvent.objects.order_by("id").values_list(*COLUMNS)
        for row in qs.iterator(chunk_size=20000):
            values = list(row)
            values[1] = values[1].isoformat()
            values[-1] = json.dumps(values[-1], sort_keys=True)
            writer.writerow(values)
            rows += 1
            if rows % 100000 == 0:
                elapsed = time.monotonic() - start
                out.write(f"\rexported {rows}/{total}, about {elapsed / rows * (total - rows):.0f} s left  ")
                out.flush()
    os.replace(part, csv_path)
    written: list[tuple[Path, int]] = []
    if formats in ("csv", "both"):
        written.append((csv_path, rows))
    if formats in ("parquet", "both"):
        import duckdb

        parquet = directory / "chain_events.parquet"
        tmp = parquet.with_suffix(".parquet.part")
        con = duckdb.connect()
        target = str(tmp).replace("'", "''")  # our own path; COPY takes no parameter here
        sql = f"COPY (SELECT * FROM read_csv(?, header=true, columns={CSV_TYPES})) TO '{target}' (FORMAT parquet)"  # noqa: S608
        con.execute(sql, [str(csv_path)])
        con.close()
        os.replace(tmp, parquet)
        written.append((parquet, rows))
    if formats == "parquet":
        csv_path.unlink()
    return written
