"""`jeugdketen events export` as CSV and Parquet (the default: both), unchanged by the XES
and OCEL formats: every event by id, the attributes as JSON."""

from __future__ import annotations

import csv
import io
import json

import duckdb
import pytest
from django.core.management import CommandError, call_command

from jeugdketen.chainlog.export import COLUMNS, export

from .handmade import make_log


def test_both_writes_csv_and_parquet_with_every_event(db, tmp_path):
    made = make_log()
    written = export(tmp_path, out=io.StringIO())
    assert written == [(tmp_path / "chain_events.csv", 7), (tmp_path / "chain_events.parquet", 7)]
    with (tmp_path / "chain_events.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == COLUMNS
    assert [int(r["id"]) for r in rows] == sorted(made.ids.values())
    received = next(r for r in rows if int(r["id"]) == made.ids["t1.received"])
    assert received["at"] == "2026-01-05T08:15:00+00:00"
    assert json.loads(received["attributes"])["life_domains"] == 2
    parquet = duckdb.connect().execute(
        "SELECT id, activity, trajectory_key FROM read_parquet(?) ORDER BY id",
        [str(tmp_path / "chain_events.parquet")]).fetchall()
    # An empty key in the CSV is NULL in Parquet (DuckDB reads an empty field as NULL).
    assert [(i, a, k or "") for i, a, k in parquet] == [
        (int(r["id"]), r["activity"], r["trajectory_key"]) for r in rows]


def test_parquet_alone_leaves_no_csv(db, tmp_path):
    make_log()
    written = export(tmp_path, formats="parquet", out=io.StringIO())
    assert written == [(tmp_path / "chain_events.parquet", 7)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain_events.parquet"]


def test_csv_alone(db, tmp_path):
    make_log()
    assert export(tmp_path, formats="csv", out=io.StringIO()) == [(tmp_path / "chain_events.csv", 7)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain_events.csv"]


def test_an_unknown_format_is_refused(db, tmp_path):
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        export(tmp_path, formats="xml", out=io.StringIO())
    with pytest.raises(CommandError, match="--format"):
        call_command("events", "export", "--format", "xml", "--out", str(tmp_path))
