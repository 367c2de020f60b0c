"""The bulk path for the reference-index benchmark: N active signals on the benchmark
database's youth, loaded with COPY, plus the match-rate check through the real action.

    python -m jeugdketen.demo.bulk_referral [--signals 200000] [--seed 2026] [--check]

(with DATABASE_URL pointing at a database built by `jeugdketen demo --scale ...`).

What it builds (deterministic from the seed and the day it runs):

* The youth are the persons under 23 who are a `child` in a household (the bulk registry
  has 1-4 per household). Households are shuffled with the seed and split into three
  disjoint parts, so the parts never match each other through a sibling or an address:
  - the **check** part (about 2% of households, at most 6,000): the match-rate check;
  - the **api** part (about 8%, at most 20,000): youth for the POST /api/v1/signals
    benchmark. The benchmark professional (`bench_professional`) gets a Registration row
    for each (a signal needs the youth entered by the professional), and no signal of
    that professional's organisation is ever loaded on them. A share carries a signal of
    another organisation, so registering one forms a match: 15% of these households
    "client" (every child already signalled by another organisation), 15% "family" (the
    first child signalled by another organisation, its siblings in the pool);
  - the **bulk** part: the rest of the N signals, one per youth, except deliberately
    planted pairs: 4% of households a youth with two signals from two different
    organisations (a client match), 6% two siblings signalled by two different
    organisations (a family match). Their number is reported; the bulk signals are
    "old" data and get no Match rows.
* Organisations: every organisation that may signal and has care professionals, chosen
  in proportion to its number of them; the contact is one of its care professionals
  (phone, e-mail). Duration 730 days mostly, else 365, 180 or 90; registered_on over the
  duration before today, expires_on = min(registered_on + duration, 23rd birthday).
  `--due` (default 5%) of the signals are past their expiry date but still active (what
  `jeugdketen retention` must end and archive today).

Ids: the bulk signals have fixed ids BULK_BASE + i (the identity sequence of signals the
platform creates stays far below), the check set's pre-loaded signals CHECK_BASE + i.

Resumable and restorable: signals are loaded in batches of 20,000 (one transaction each,
COPY into a temporary table, `INSERT ... ON CONFLICT DO NOTHING`); progress with the time
left on stderr. `load` first removes every signal outside the bulk id range and every
bulk signal that is no longer active (ended, archived, destroyed by a retention run),
with all matches and messages, then fills in each batch that is incomplete or differs
from the seeded stream. So after a benchmark run (API-registered signals, a retention
run) the next `load` puts the index back into exactly the bulk state in seconds. The
reference index of the benchmark database belongs to this module: do not use it for
anything else.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Any, TextIO

from django.db import connection, connections, transaction
from django.db.models import Count

BULK_BASE = 1_000_000_000
CHECK_BASE = 1_900_000_000
BATCH = 20_000
DURATIONS = [730] * 6 + [365, 365, 180, 90]
CHECK_SHARE, CHECK_MAX = 0.02, 6_000
API_SHARE, API_MAX = 0.08, 20_000
SIGNAL_COLUMNS = ["id", "person_id", "organisation_id", "contact_id", "contact_phone",
                  "contact_email", "registered_on", "duration_days", "expires_on", "status",
                  "ended_on", "end_reason", "archived_on", "created_at"]


def _birthday(born: date, age: int) -> date:
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # 29 February
        return date(born.year + age, 3, 1)


def bench_professional() -> Any:
    """The professional whose token the HTTP benchmark uses (the same choice as bench.run:
    the care professional with the most registrations), if its organisation may signal."""
    from jeugdketen.registry.models import Professional

    return (Professional.objects.filter(roles__contains=["professional"])
            .annotate(n=Count("registrations")).order_by("-n", "pk")
            .select_related("user", "organisation").first())


@dataclass
class Contact:
    professional_id: int
    organisation_id: int
    phone: str
    email: str


@dataclass
class Youth:
    id: str
    birth_date: date
    postcode: str


@dataclass
class Partition:
    today: date
    check: list[list[Youth]]  # per household: its youth
    api: list[list[Youth]]
    bulk: list[list[Youth]]
    orgs: list[int]  # organisation ids, weighted
    contacts: dict[int, list[Contact]]


def _partition(seed: int, today: date) -> Partition:
    from jeugdketen.registry.models import Professional

    cutoff = _birthday(today, -23) if (today.month, today.day) != (2, 29) else date(today.year - 23, 3, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT hm.household_id::text, p.id::text, p.birth_date, p.postcode "
            "FROM registry_householdmember hm JOIN registry_person p ON p.id = hm.person_id "
            "WHERE hm.relation = 'child' AND p.date_of_death IS NULL AND p.birth_date > %s "
            "ORDER BY hm.household_id, p.id", [cutoff])
        rows = cursor.fetchall()
        cursor.execute("SELECT DISTINCT household_id::text FROM registry_householdmember "
                       "WHERE relation = 'parent'")
        parented = {r[0] for r in cursor.fetchall()}
        # Persons in more than one household (the small demo's): their households stay out
        # of the check set, where every expected match must be known exactly.
        cursor.execute("SELECT person_id::text FROM registry_householdmember GROUP BY person_id "
                       "HAVING count(*) > 1")
        shared = {r[0] for r in cursor.fetchall()}
        # Family matches need parents in the BRP: only households whose relations the BRP
        # confirms (everyone with a BSN) plant and expect them exactly.
        cursor.execute("SELECT DISTINCT household_id::text FROM registry_householdmember "
                       "WHERE NOT brp_verified")
        unconfirmed = {r[0] for r in cursor.fetchall()}
    households: dict[str, list[Youth]] = defaultdict(list)
    for hh, pid, born, postcode in rows:
        households[hh].append(Youth(pid, born, postcode or ""))
    keys = sorted(households)
    rng = random.Random(f"{seed}:signals:households")
    rng.shuffle(keys)
    n_check = min(CHECK_MAX, int(len(keys) * CHECK_SHARE))
    n_api = min(API_MAX, int(len(keys) * API_SHARE))
    # The check set: only households at their own address (not the shared unknown
    # postcode) whose members belong to no other household.
    check_keys: list[str] = []
    rest: list[str] = []
    for k in keys:
        ok = (len(check_keys) < n_check and k in parented and k not in unconfirmed
              and all(y.postcode != "9998ZZ" and y.id not in shared for y in households[k]))
        (check_keys if ok else rest).append(k)
    api_keys, bulk_keys = rest[:n_api], rest[n_api:]
    staff = (Professional.objects.filter(organisation__may_signal=True)
             .select_related("organisation").order_by("pk"))
    contacts: dict[int, list[Contact]] = defaultdict(list)
    for p in staff:
        if p.has_role("professional", "coordinator"):
            contacts[p.organisation_id].append(Contact(
                p.pk, p.organisation_id, (p.phone or "0201234567")[:20], p.email))
    orgs = [org for org in sorted(contacts) for _ in contacts[org]]
    return Partition(today=today, check=[households[k] for k in check_keys],
                     api=[households[k] for k in api_keys],
                     bulk=[households[k] for k in bulk_keys],
                     orgs=orgs, contacts=contacts)


class _Maker:
    """Signal rows from one seeded stream."""

    def __init__(self, part: Partition, rng: random.Random, due: float):
        self.part, self.rng, self.due = part, rng, due

    def org(self, avoid: Sequence[int] = ()) -> int:
        while True:
            org = self.part.orgs[self.rng.randrange(len(self.part.orgs))]
            if org not in avoid:
                return org

    def row(self, sid: int, youth: Youth, org: int, *, due: bool | None = None) -> tuple[Any, ...]:
        rng, today = self.rng, self.part.today
        contact = rng.choice(self.part.contacts[org])
        duration = rng.choice(DURATIONS)
        last = _birthday(youth.birth_date, 23)
        if due if due is not None else rng.random() < self.due:
            expires = today - timedelta(days=rng.randrange(0, 14))
            registered = expires - timedelta(days=duration)
        else:
            registered = today - timedelta(days=rng.randrange(0, duration))
            expires = min(registered + timedelta(days=duration), last)
        created = datetime.combine(registered, dtime(8 + rng.randrange(10), rng.randrange(60)),
                                   tzinfo=UTC)
        return (sid, youth.id, org, contact.professional_id, contact.phone, contact.email,
                registered, duration, expires, "active", None, "", None, created)


@dataclass
class BulkSet:
    rows: list[tuple[Any, ...]]
    planted: dict[str, int]
    api_pool: list[tuple[str, str]] = field(default_factory=list)  # (person id, expectation)


def _generate(part: Partition, total: int, seed: int, due: float, api_org: int) -> BulkSet:
    rng = random.Random(f"{seed}:signals:rows")
    make = _Maker(part, rng, due)
    rows: list[tuple[Any, ...]] = []
    pool: list[tuple[str, str]] = []
    planted = Counter[str]()

    def add(youth: Youth, org: int) -> None:
        rows.append(make.row(BULK_BASE + len(rows), youth, org))

    for kids in part.api:
        r = rng.random()
        if r < 0.15 and len(kids) >= 2:
            add(kids[0], make.org([api_org]))
            pool += [(k.id, "family") for k in kids[1:]]
        elif r < 0.30:
            for k in kids:
                add(k, make.org([api_org]))
            pool += [(k.id, "client") for k in kids]
        else:
            pool += [(k.id, "none") for k in kids]
    for kids in part.bulk:
        if len(rows) >= total:
            break
        r = rng.random()
        if r < 0.06 and len(kids) >= 2 and len(rows) + 2 <= total:
            a = make.org()
            add(kids[0], a)
            add(kids[1], make.org([a]))
            planted["sibling_pairs"] += 1
        elif r < 0.10 and len(rows) + 2 <= total:
            a = make.org()
            add(kids[0], a)
            add(kids[0], make.org([a]))
            planted["client_pairs"] += 1
        else:
            add(kids[rng.randrange(len(kids))], make.org())
    rng.shuffle(pool)
    return BulkSet(rows, dict(planted), pool)


def _insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from jeugdketen.demo.bulk_registry import insert_new

    if connection.vendor == "postgresql":
        insert_new(table, columns, rows)
    else:  # SQLite (tests, small scale): plain INSERT OR IGNORE
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) "  # noqa: S608
                               f"VALUES ({marks})", list(rows))


def _reset(total: int) -> dict[str, int]:
    """Everything but the active bulk signals goes: API- and check-registered signals,
    bulk signals a retention run ended, archived or destroyed, matches and messages."""
    out = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for name, sql, params in [
            ("messages", "DELETE FROM referral_index_message", []),
            ("match_links", "DELETE FROM referral_index_match_signals", []),
            ("matches", "DELETE FROM referral_index_match", []),
            ("signals", "DELETE FROM referral_index_signal WHERE id < %s OR id >= %s "
                        "OR status <> 'active'", [BULK_BASE, BULK_BASE + total]),
        ]:
            cursor.execute(sql, params)
            out[name] = cursor.rowcount
    return out


def load(*, signals: int = 200_000, seed: int = 2026, due: float = 0.05,
         out: TextIO = sys.stderr, today: date | None = None) -> dict[str, Any]:
    """Bring the reference index to the bulk state (see the module docstring); returns
    what it did, the planted pairs and the API pool (person ids with what a signal on
    them is expected to form: "client", "family" or "none")."""
    from django.utils import timezone

    started = time.monotonic()
    today = today or timezone.localdate()
    prof = bench_professional()
    if prof is None or not prof.organisation.may_signal:
        raise RuntimeError("no benchmark professional of an organisation that may signal")
    part = _partition(seed, today)
    bulk = _generate(part, signals, seed, due, prof.organisation_id)
    removed = _reset(len(bulk.rows))
    t_reset = time.monotonic() - started
    # Registrations for the API pool: the professional entered these youth.
    now = datetime.now(UTC)
    with transaction.atomic():
        _insert("registry_registration",
                ["person_id", "professional_id", "organisation_id", "created_at"],
                [(pid, prof.pk, prof.organisation_id, now) for pid, _k in bulk.api_pool])
    progress = _progress("signals", len(bulk.rows), out)
    loaded = 0
    for lo in range(0, len(bulk.rows), BATCH):
        batch = bulk.rows[lo:lo + BATCH]
        first, last = batch[0], batch[-1]
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM referral_index_signal WHERE id BETWEEN %s AND %s",
                           [first[0], last[0]])
            present = cursor.fetchone()[0]
            same = True
            if present:
                cursor.execute("SELECT id, person_id::text, organisation_id, expires_on "
                               "FROM referral_index_signal WHERE id IN (%s, %s) ORDER BY id",
                               [first[0], last[0]])
                got = cursor.fetchall()
                same = [tuple(r) for r in got] == [(x[0], x[1], x[2], x[8]) for x in (first, last)]
        if present == len(batch) and same:
            progress(lo + len(batch))
            continue
        with transaction.atomic():
            if not same:  # another seed, scale or day: this batch is made again
                with connection.cursor() as cursor:
                    cursor.execute("DELETE FROM referral_index_signal WHERE id BETWEEN %s AND %s",
                                   [first[0], last[0]])
            _insert("referral_index_signal", SIGNAL_COLUMNS, batch)
        loaded += len(batch)
        progress(lo + len(batch))
    if loaded and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE referral_index_signal")
            cursor.execute("ANALYZE registry_registration")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE expires_on <= %s) "
                       "FROM referral_index_signal WHERE status = 'active'", [today])
        active, due_now = cursor.fetchone()
    kinds = Counter(k for _p, k in bulk.api_pool)
    return {
        "signals": len(bulk.rows), "active": active, "due_today": due_now,
        "planted": bulk.planted, "rows_loaded": loaded, "removed": removed,
        "reset_seconds": round(t_reset, 1), "seconds": round(time.monotonic() - started, 1),
        "youth_households": {"check": len(part.check), "api": len(part.api),
                             "bulk": len(part.bulk)},
        "api_professional": prof.pk, "api_pool_kinds": dict(kinds),
        "api_pool": bulk.api_pool, "seed": seed, "today": today.isoformat(),
    }


def _progress(label: str, total: int, out: TextIO) -> Any:
    from jeugdketen.demo.registry import Progress

    return Progress(label, total, out)


# --- the match-rate check --------------------------------------------------------------


def match_check(*, pairs: int = 2_000, singles: int = 200, seed: int = 2026, threads: int = 2,
                out: TextIO = sys.stderr, today: date | None = None) -> dict[str, Any]:
    """An index with a known number of matches, found by the real match detection.

    Half of `pairs` are client pairs (one youth, two organisations), half family pairs (two
    siblings sharing a parent, two organisations), all in the check households, which
    share no address, sibling or parent with any other signalled youth. The first signal
    of each pair is bulk-loaded (COPY); the second is registered through
    `actions.register_signal` (the real action: policy, advisory locks, match detection,
    messages, access log, chain events) by a care professional of the second
    organisation who entered the youth, from `threads` threads at once. `singles` youth
    get one signal through the action and must form no match. Expected: one client match
    per client pair, one family match per family pair, nothing else, and two messages per
    match. Run it after `load` (which clears earlier check data)."""
    from django.conf import settings
    from django.utils import timezone

    from jeugdketen.access.policy import AccessPoint, Actor
    from jeugdketen.referral_index import actions
    from jeugdketen.referral_index.models import Match, Message, Signal
    from jeugdketen.registry.models import Professional

    today = today or timezone.localdate()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    part = _partition(seed, today)
    rng = random.Random(f"{seed}:signals:check")
    make = _Maker(part, rng, 0.0)
    client_n, family_n = pairs // 2, pairs - pairs // 2
    first: list[tuple[Any, ...]] = []
    second: list[tuple[str, int, str]] = []  # (person id, professional id, expectation)
    expected: dict[str, tuple[str, set[str]]] = {}  # second person -> (kind, persons)
    households = list(part.check)
    families = [h for h in households if len(h) >= 2]
    singles_h = [h for h in households if len(h) < 2]
    if len(families) < family_n:
        family_n = len(families)
    rest = families[family_n:] + singles_h
    if len(rest) < client_n + singles:
        client_n = max(0, len(rest) - singles)
    for kids in families[:family_n]:
        a = make.org()
        b = make.org([a])
        first.append(make.row(CHECK_BASE + len(first), kids[0], a, due=False))
        second.append((kids[1].id, rng.choice(part.contacts[b]).professional_id, "family"))
        expected[kids[1].id] = ("family", {kids[0].id, kids[1].id})
    for kids in rest[:client_n]:
        a = make.org()
        b = make.org([a])
        first.append(make.row(CHECK_BASE + len(first), kids[0], a, due=False))
        second.append((kids[0].id, rng.choice(part.contacts[b]).professional_id, "client"))
        expected[kids[0].id] = ("client", {kids[0].id})
    for kids in rest[client_n:client_n + singles]:
        second.append((kids[0].id, rng.choice(part.contacts[make.org()]).professional_id, "none"))
    rng.shuffle(second)
    now = datetime.now(UTC)
    profs = {p.pk: p for p in Professional.objects.filter(
        pk__in={p for _y, p, _k in second}).select_related("user", "organisation")}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM referral_index_signal WHERE id >= %s", [CHECK_BASE])
        _insert("referral_index_signal", SIGNAL_COLUMNS, first)
        _insert("registry_registration",
                ["person_id", "professional_id", "organisation_id", "created_at"],
                [(y, p, profs[p].organisation_id, now) for y, p, _k in second])
    point = AccessPoint(ip="127.0.0.1", user_agent="bench match check", channel="command")
    progress = _progress("match check", len(second), out)
    done = [0]
    errors: list[str] = []
    lock = threading.Lock()
    results: dict[str, tuple[bool, int]] = {}

    def work(items: list[tuple[str, int, str]]) -> None:
        try:
            for youth, prof_id, _kind in items:
                prof = profs[prof_id]
                try:
                    reg = actions.register_signal(
                        Actor(user=prof.user, professional=prof, access_point=point), youth,
                        today=today)
                    res = (reg.created, len(reg.matches))
                except Exception as exc:
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}"[:200])
                    res = (False, -1)
                with lock:
                    results[youth] = res
                    done[0] += 1
                    progress(done[0])
        finally:
            connections.close_all()

    t0 = time.monotonic()
    workers = [threading.Thread(target=work, args=(second[i::threads],)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=3600)
    seconds = time.monotonic() - t0
    # What the index holds now: every match with its signals' persons.
    check_persons = {y for y, _p, _k in second} | {r[1] for r in first}
    members: dict[int, set[str]] = defaultdict(set)
    kinds: dict[int, str] = {}
    for mid, kind, _pid in Match.signals.through.objects.filter(
            signal__person_id__in=check_persons).values_list(
            "match_id", "match__kind", "signal__person_id"):
        kinds[mid] = kind
    for mid, pid in Match.signals.through.objects.filter(match_id__in=kinds).values_list(
            "match_id", "signal__person_id"):
        members[mid].add(str(pid))
    found = Counter(kinds.values())
    exact = Counter[str]()
    unexpected = 0
    by_second = {}
    for mid, persons in members.items():
        hit = [y for y in persons if y in expected and expected[y][1] == persons
               and expected[y][0] == kinds[mid]]
        if hit and len(Match.objects.get(pk=mid).signals.all()) == 2:
            exact[kinds[mid]] += 1
            by_second[hit[0]] = mid
        else:
            unexpected += 1
    messages = Message.objects.filter(match_id__in=kinds).count()
    planted = {"client": client_n, "family": family_n, "address": 0}
    found_d = {k: found.get(k, 0) for k in ("client", "family", "address")}
    created = sum(1 for c, _m in results.values() if c)
    summary = {
        "planted": planted, "found": found_d, "exact_pairs": dict(exact),
        "unexpected_matches": unexpected,
        "singles": sum(1 for _y, _p, k in second if k == "none"),
        "singles_with_match": sum(1 for y, _p, k in second if k == "none"
                                  and results.get(y, (False, 0))[1] > 0),
        "registered": created, "errors": len(errors), "error_sample": errors[:3],
        "messages": messages, "messages_expected": 2 * sum(planted.values()),
        "threads": threads, "seconds": round(seconds, 1),
        "ms_per_registration": round(1000 * seconds * threads / max(len(second), 1), 1),
        "signals_in_index": Signal.objects.filter(status="active").count(),
    }
    summary["ok"] = (found_d == planted and unexpected == 0 and not errors
                     and summary["singles_with_match"] == 0
                     and exact.get("client", 0) == client_n and exact.get("family", 0) == family_n
                     and messages == summary["messages_expected"])
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description="Bulk signals for the reference-index benchmark.")
    parser.add_argument("--signals", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--due", type=float, default=0.05)
    parser.add_argument("--check", action="store_true", help="then run the match-rate check")
    parser.add_argument("--pairs", type=int, default=2_000)
    args = parser.parse_args()
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdketen.config.settings")
    import django

    django.setup()
    info = load(signals=args.signals, seed=args.seed, due=args.due)
    info.pop("api_pool")
    print(json.dumps(info, default=str))
    if args.check:
        print(json.dumps(match_check(pairs=args.pairs, seed=args.seed)))


if __name__ == "__main__":
    main()
