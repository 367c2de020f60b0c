"""The refresh: real chain events (through emit, in a transaction) into the store, only what
is new, reference tables replaced, the published snapshot readable while a writer works,
a schema version change rebuilding from scratch, one refresh at a time."""

from __future__ import annotations

import fcntl
import io
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.insight import derive, refresh, schema, store
from tests import factories as f

pytestmark = pytest.mark.django_db

HOOD = "BU99010101"


def when(day: str, clock: str = "12:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}:00+00:00")


def stored(day: str, clock: str = "12:00") -> datetime:
    """How the store holds a moment: UTC without a zone (DuckDB TIMESTAMP)."""
    return when(day, clock).replace(tzinfo=None)


def log(activity: str, key: str, at: datetime, *, household: str = "", hood: str = HOOD,
        organisation_id: int | None = None, **attributes: Any) -> int:
    with transaction.atomic():
        emit(Activity(activity), trajectory_key=key, neighbourhood_code=hood,
             household=SimpleNamespace(pk=household) if household else None,
             organisation_id=organisation_id, attributes=attributes, at=at)
    return int(ChainEvent.objects.latest("id").pk)


def published(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return list(store.reader().execute(sql, params or []).fetchall())


def test_refresh_copies_only_what_is_new(insight_dir: Path, neighbourhood: Any) -> None:
    assert store.is_empty() and store.refreshed_at() is None
    first = log("care_report.received", "r1", when("2026-01-05", "23:30"), household="h1",
                organisation_id=7, reporter="professional", urgency="regular")
    log("care_report.triaged", "r1", when("2026-01-07"), household="h1", decision="advice")
    last = log("signal.registered", "", when("2026-01-07"), duration_days=90)
    done = refresh.refresh()
    assert (done.copied, done.last_id, done.trajectories) == (3, last, 1)
    assert not store.is_empty()
    # readable by whoever may read the work file (the web server may run as another user)
    assert store.published_path().stat().st_mode == store.work_path().stat().st_mode
    assert published("SELECT id, happened_at, day, activity, trajectory_key, person_key, "
                     "household_key, organisation_id, neighbourhood_code, attributes->>'urgency' "
                     "FROM events ORDER BY id")[0] == (
        first, stored("2026-01-05", "23:30"), date(2026, 1, 6),  # UTC; the Dutch date
        "care_report.received", "r1", "", "h1", 7, HOOD, "regular")
    assert published("SELECT trajectory_key, municipality_code FROM trajectories") == [
        ("r1", "GM9901")]

    again = refresh.refresh()
    assert (again.copied, again.last_id, again.trajectories) == (0, last, 0)
    assert published("SELECT count(*) FROM events") == [(3,)]

    closing = log("care_report.closed", "r1", when("2026-01-08"), household="h1",
                  reason="advice")
    more = refresh.refresh()
    assert (more.copied, more.last_id, more.trajectories) == (1, closing, 1)
    assert published("SELECT closed_at, close_reason FROM trajectories") == [
        (stored("2026-01-08"), "advice")]
    refreshed = store.refreshed_at()
    assert refreshed is not None and refreshed.tzinfo is not None


def test_published_snapshot_is_readable_while_a_writer_is_open(insight_dir: Path) -> None:
    log("plan.started", "p1", when("2026-02-01"), household="h", origin="direct")
    refresh.refresh()
    before = store.reader()
    writer = store.connect_for_write()
    try:
        writer.execute("DELETE FROM trajectories")  # the writer's work is not published
        assert published("SELECT count(*) FROM trajectories") == [(1,)]
        seen: list[Any] = []
        thread = threading.Thread(target=lambda: seen.append(
            store.reader().execute("SELECT count(*) FROM events").fetchone()))
        thread.start()
        thread.join()
        assert seen == [(1,)]
    finally:
        writer.close()
    log("plan.closed", "p1", when("2026-03-01"), household="h", reason_code="01")
    refresh.refresh()
    # a new snapshot: the reader is reopened on it
    assert store.reader() is not before
    assert published("SELECT count(*) FROM events") == [(2,)]
    assert published("SELECT close_reason FROM trajectories") == [("01",)]


def test_reference_tables_are_replaced(insight_dir: Path, neighbourhood: Any,
                                       organisation: Any) -> None:
    from jeugdketen.intake.models import Norm

    Norm.objects.create(municipality_id="GM9901", step="triaged", urgency="", days=21)
    Norm.objects.create(municipality_id="GM9901", step="received", urgency="crisis", days=1,
                        working=True)
    log("plan.started", "p1", when("2026-02-01"), origin="direct")
    refresh.refresh()
    assert published("SELECT * FROM areas WHERE neighbourhood_code = ?", [HOOD]) == [
        (HOOD, "Oude Haven", "WK990101", "Centrum", "GM9901", "Testdam")]
    assert published("SELECT name, kind, municipality_code FROM organisations WHERE id = ?",
                     [organisation.pk]) == [("Wijkteam Testdam", "neighbourhood_team", "GM9901")]
    assert published("SELECT step, urgency, days, working FROM norms "
                     "WHERE municipality_code = 'GM9901' ORDER BY step, urgency") == [
        ("intake_held", "crisis", 70, False), ("intake_held", "regular", 70, False),
        ("intake_held", "urgent", 70, False),
        ("received", "crisis", 1, True),  # its own
        ("received", "regular", 5, True), ("received", "urgent", 2, True),  # the defaults
        ("triaged", "crisis", 21, False), ("triaged", "regular", 21, False),
        ("triaged", "urgent", 21, False),  # its own, for every urgency
    ]
    # the neighbourhood moves to another district, the organisation is renamed: no new
    # events, yet the store follows, the trajectory's district included
    east = f.DistrictFactory(municipality=neighbourhood.district.municipality,
                             code="WK990102", name="Oost")
    neighbourhood.district = east
    neighbourhood.name = "Nieuwe Haven"
    neighbourhood.save()
    organisation.name = "Wijkteam Testdam Oost"
    organisation.save()
    done = refresh.refresh()
    assert done.copied == 0
    assert published("SELECT neighbourhood_name, district_code FROM areas "
                     "WHERE neighbourhood_code = ?", [HOOD]) == [("Nieuwe Haven", "WK990102")]
    assert published("SELECT name FROM organisations WHERE id = ?", [organisation.pk]) == [
        ("Wijkteam Testdam Oost",)]
    assert published("SELECT district_code FROM trajectories") == [("WK990102",)]


def test_a_schema_version_change_rebuilds_the_store(insight_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    log("plan.started", "p1", when("2026-02-01"), origin="direct")
    log("plan.started", "p2", when("2026-02-02"), origin="direct")
    refresh.refresh()
    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    # the published snapshot is of the old version: the pages see an empty store
    assert store.is_empty()
    rebuilt = refresh.refresh()
    assert (rebuilt.copied, rebuilt.trajectories) == (2, 2)
    assert published("SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(schema.SCHEMA_VERSION),)]
    assert published("SELECT count(*) FROM trajectories") == [(2,)]


def test_one_refresh_at_a_time(insight_dir: Path) -> None:
    log("plan.started", "p1", when("2026-02-01"), origin="direct")
    holder = store.lock_path().open("a")
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        with pytest.raises(refresh.Busy, match="another `jeugdketen insight refresh` is running"):
            refresh.refresh(wait=False)
        with pytest.raises(CommandError, match="is running"):
            call_command("insight", "refresh", "--no-wait")
        assert not store.published_path().exists()

        def release() -> None:
            time.sleep(0.3)
            fcntl.flock(holder, fcntl.LOCK_UN)

        threading.Thread(target=release).start()
        out = io.StringIO()
        done = refresh.refresh(out=out)  # waits for the other one, then does the work
        assert done.copied == 1
        assert "waiting" in out.getvalue()
    finally:
        holder.close()


def test_an_interrupted_derive_is_finished_by_the_next_run(
        insight_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log("plan.started", "p1", when("2026-02-01"), origin="direct")
    refresh.refresh()
    log("plan.closed", "p1", when("2026-03-01"), reason_code="02")

    def broken(con: Any) -> int:
        raise RuntimeError("power cut")

    monkeypatch.setattr(derive, "derive_touched_table", broken)
    with pytest.raises(RuntimeError):
        refresh.refresh()
    monkeypatch.undo()
    done = refresh.refresh()
    assert (done.copied, done.trajectories) == (0, 1)  # copied before, derived now
    assert published("SELECT close_reason FROM trajectories") == [("02",)]


def test_an_event_that_committed_late_is_copied(insight_dir: Path) -> None:
    """On PostgreSQL a lower id can commit after a higher one was copied: simulated by
    taking an event out of the work store."""
    log("plan.started", "p1", when("2026-02-01"), origin="direct")
    late = log("plan.handed_over", "p1", when("2026-02-02"), to_organisation_id=9)
    log("evaluation.recorded", "p1", when("2026-02-03"), t_score=50)
    refresh.refresh()
    con = store.connect_for_write()
    con.execute("DELETE FROM events WHERE id = ?", [late])
    con.close()
    done = refresh.refresh()
    assert (done.copied, done.trajectories) == (1, 1)
    assert published("SELECT count(*) FROM events") == [(3,)]
    assert published("SELECT provider_id, handovers FROM trajectories") == [(9, 1)]


def test_the_late_check_looks_back_a_bounded_number_of_ids(
        insight_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the ids just below the last one copied are looked at again (a late commit lies
    there), so the run after a full copy does not read the whole log's ids."""
    monkeypatch.setattr(refresh, "RECHECK_IDS", 1)
    first = log("plan.started", "p1", when("2026-02-01"), origin="direct")
    last = log("plan.started", "p2", when("2026-02-02"), origin="direct")
    refresh.refresh()
    con = store.connect_for_write()
    con.execute("DELETE FROM events WHERE id IN (?, ?)", [first, last])
    con.close()
    assert refresh.refresh().copied == 1  # the last id, not the first
    assert published("SELECT id FROM events") == [(last,)]


def test_progress_on_long_runs(insight_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(refresh, "CHUNK", 2)
    for i in range(5):
        log("plan.started", f"p{i}", when("2026-02-01"), origin="direct")
    out = io.StringIO()
    done = refresh.refresh(out=out)
    assert (done.copied, done.trajectories) == (5, 5)
    lines = out.getvalue().splitlines()
    assert [line.split(",")[0] for line in lines] == [
        "copied 2/5 events", "copied 4/5 events", "copied 5/5 events"]


def test_the_command_prints_what_it_did(insight_dir: Path) -> None:
    import json

    event = log("plan.started", "p1", when("2026-02-01"), origin="direct")
    out = io.StringIO()
    call_command("insight", "refresh", stdout=out, stderr=io.StringIO())
    printed = json.loads(out.getvalue())
    assert {k: printed[k] for k in ("copied", "last_id", "trajectories")} == {
        "copied": 1, "last_id": event, "trajectories": 1}
    assert printed["seconds"] >= 0


def test_a_match_trajectory_begins_at_the_match(insight_dir: Path, municipality: Any,
                                                neighbourhood: Any) -> None:
    """plan.started of a plan from a match carries the match's creation; the store's first
    contact is that moment, not the plan's start."""
    from jeugdketen.plans import actions as plans
    from jeugdketen.referral_index import actions as index

    def org_with(name: str) -> Any:
        org = f.OrganisationFactory(name=name, municipality=municipality, may_signal=True,
                                    may_coordinate=True)
        return f.ProfessionalFactory(organisation=org, roles=["professional"], full_name=name)

    a, b = org_with("Wijkteam Noord"), org_with("GGD Testdam")
    kid = f.PersonFactory(birth_date=f.birth_date_for_age(9), neighbourhood=neighbourhood)
    parent = f.PersonFactory(birth_date=f.birth_date_for_age(38), neighbourhood=neighbourhood)
    household = f.make_household(parents=[parent], children=[kid])
    for prof in (a, b):
        f.RegistrationFactory(person=kid, professional=prof)
    index.register_signal(f.professional_actor(a), kid.pk)
    match = index.register_signal(f.professional_actor(b), kid.pk).matches[0]
    index.propose_coordinator(f.professional_actor(b), match.pk, a.pk)
    index.accept_coordinator(f.professional_actor(a), match.pk)
    created = match.created_at.astimezone(UTC).replace(microsecond=0)
    type(match).objects.filter(pk=match.pk).update(created_at=created.replace(year=2025))
    plan = plans.start_plan(f.professional_actor(a), household.pk, a.pk, match_id=match.pk)
    started = ChainEvent.objects.get(activity="plan.started", trajectory_key=str(plan.pk))
    made = created.replace(year=2025)
    assert started.attributes["first_contact_at"] == made.isoformat()
    refresh.refresh()
    assert published("SELECT origin, first_contact_at FROM trajectories") == [
        ("match", made.replace(tzinfo=None))]


def test_the_bij_command_writes_the_delivery(insight_dir: Path, neighbourhood: Any) -> None:
    """`jeugdketen insight bij`: from the published store, one row per plan in the year; a
    bad year is refused naming it."""
    log("plan.started", "p1", when("2026-02-01"), household="h1", origin="direct",
        coordinator_organisation_id=None, household_size=2, started_by="coordinator")
    log("plan.closed", "p1", when("2026-05-01"), household="h1", reason_code="01",
        can_continue_without_help=True, satisfaction=8)
    refresh.refresh()
    target = insight_dir.parent / "bij.csv"
    out = io.StringIO()
    call_command("insight", "bij", "--year", "2026", "--out", str(target), stdout=out)
    assert "1 " in out.getvalue()
    lines = target.read_text().splitlines()
    assert len(lines) == 2 and ";" in lines[0]
    assert "p1" not in target.read_text()  # pseudonymous
    with pytest.raises(CommandError):
        call_command("insight", "bij", "--year", "twintig", "--out", str(target))


def test_appended_trajectories_are_put_back_in_area_order(insight_dir: Path) -> None:
    """A refresh appends what it derives; once that is a tenth of the table, the table is
    written in area order again (and the count starts over)."""
    for i in range(20):
        log("plan.started", f"p{i}", when("2026-02-01"), origin="direct")
    refresh.refresh()
    log("plan.started", "q1", when("2026-02-02"), origin="direct")
    refresh.refresh()  # 1 of 21: appended, counted
    con = store.connect_for_write()
    try:
        assert store.get_meta(con, "appended") == "1"
    finally:
        con.close()
    for i in range(3):
        log("plan.started", f"r{i}", when("2026-02-03"), origin="direct")
    refresh.refresh()  # 4 of 24 > a tenth: back in order
    con = store.connect_for_write()
    try:
        assert store.get_meta(con, "appended") == "0"
        keys = [r[0] for r in con.execute("SELECT trajectory_key FROM trajectories").fetchall()]
        assert keys == sorted(keys) and len(keys) == 24
    finally:
        con.close()
