"""The bulk path for national-scale benchmark data: `jeugdketen demo --scale N --access-log M`.

What it builds (deterministic from the seed, synthetic, in the fictional municipality GM9999):

1. The small demo first (`demo.registry.build` with a few households): areas, the postcode
   table, 25 organisations of every kind, 120 professionals (incl. the demo logins), made
   through the platform's actions.
2. N persons in households (1-2 parents, 1-4 children) at synthetic addresses (postcodes
   9900AA-9989ZZ, added to the postcode table; about 2% at the well-formed but unknown
   postcode 9998ZZ, so their neighbourhood is empty and flagged), each household entered
   by one professional: households, members, registrations, and the chain events
   `person.registered` and `household.registered`.
3. M access-log records: reads and registrations by professionals of persons they
   registered, some denied attempts and a few break-the-glass uses, appended to the
   `settings.AUDIT_SHARDS` hash chains with `jeugdketen.access.audit.record_hash` (the same
   fields, in the same order, as `audit.append`, the id reserved with `audit.reserve_ids`),
   and the chain heads (AccessLogShard) moved along in the same transaction, so
   `jeugdketen audit verify` passes afterwards (the next write anchors them).

Identifiers (data rule): BSNs only from the test range 999900000-999999999 that pass the
eleven test. That range holds only about 9,000 valid numbers; the demo takes the first ones
of its seeded stream (`demo.test_bsns`), this module the rest after skipping `BSN_RESERVE`
of them. Every person beyond that gets a `system_id` instead, the platform's identifier for
youth without a BSN: "JK" + 10 digits, unique (a fixed permutation of the person's index).
So at 1 million persons about 8,000 carry a test BSN and the rest a system_id. Should a
BSN or system_id already be taken by a person made elsewhere (the platform's own random
system_ids), that one bulk person is skipped rather than duplicated.

How it loads: on PostgreSQL with COPY (psycopg 3's `cursor.copy` on Django's connection).
Registry rows go through a temporary table and `INSERT ... ON CONFLICT DO NOTHING`, the
access log is copied straight in under the lock of its chain head. On SQLite (small scale
only) the same batches go through `bulk_create`.

Interrupt and rerun: every batch is its own transaction. Persons, households and their
ids come from one seeded random stream, so a rerun regenerates the same batches, skips the
ones that are complete, and fills in the rest without duplicates. The access log resumes
from each chain head: shard s is filled up to its share of M (records already in a chain,
from the demo or earlier runs, count). Memory is bounded by the batch size.

Indexes: for large access-log loads the access log's secondary (non-unique) indexes are
dropped and recreated afterwards with the exact definitions Django's schema editor gives
for the model (the ones the migrations made); a rerun recreates any that are missing. The
primary key and the unique (shard, seq) constraint stay in place throughout.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TextIO

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jeugdketen.access.audit import GENESIS, HASH_VERSION, record_hash, reserve_ids
from jeugdketen.access.models import AccessLogRecord, AccessLogShard
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.demo import registry as demo
from jeugdketen.registry.models import (
    Household,
    HouseholdMember,
    Kinship,
    Neighbourhood,
    Person,
    PostcodeAddress,
    Professional,
    Registration,
)

DEMO_HOUSEHOLDS = 20  # the small demo underneath (its BSNs come first in the stream)
BSN_RESERVE = 1000  # BSNs of the seeded stream left to the demo and to tests
PERSON_BATCH = 20_000
LOG_BATCH = 50_000
DROP_INDEXES_ABOVE = 1_000_000  # access-log records to add before indexes are rebuilt
UNKNOWN_POSTCODE = "9998ZZ"
SYSTEM_ID_STEP = 7_919_000_003  # coprime with 10**10: index -> system_id is one-to-one
LETTERS = "ABCDEFGHJKLMNPRTVWXZ"


def system_id_for(index: int) -> str:
    return f"JK{(index * SYSTEM_ID_STEP + 1) % 10**10:010d}"


def postcode_for(address: int) -> tuple[str, int]:
    """Synthetic address number -> (postcode, house number), postcodes 9900AA-9989ZZ."""
    pc, number = divmod(address, 40)
    digits, letters = divmod(pc, len(LETTERS) ** 2)
    a, b = divmod(letters, len(LETTERS))
    return f"{9900 + digits % 90}{LETTERS[a]}{LETTERS[b]}", number + 1


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


# --- generation ---------------------------------------------------------------------


@dataclass
class PersonRow:
    id: uuid.UUID
    bsn: str | None
    system_id: str | None
    pseudonym: uuid.UUID
    given_names: str
    family_name: str
    birth_date: date
    sex: str
    postcode: str
    house_number: int
    neighbourhood_id: str | None
    at: datetime
    relation: str


@dataclass
class HouseholdRow:
    id: uuid.UUID
    professional: Professional
    at: datetime
    members: list[PersonRow] = field(default_factory=list)


def _households(total: int, seed: int, staff: Sequence[Professional], bsns: Sequence[str],
                neighbourhoods: Sequence[str]) -> Iterator[HouseholdRow]:
    """All households, in order, from one seeded stream (the same on every run)."""
    rng = random.Random(seed * 7919 + 17)
    end = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    start = end - timedelta(days=3 * 365)
    today = end.date()
    made = 0
    h = 0
    while made < total:
        prof = staff[rng.randrange(len(staff))]
        at = start + (end - start) * (made / total) + timedelta(seconds=rng.randrange(3600))
        if rng.random() < 0.02:
            postcode, number, hood = UNKNOWN_POSTCODE, rng.randrange(1, 200), None
        else:
            postcode, number = postcode_for(h)
            hood = neighbourhoods[(h // 40) % len(neighbourhoods)]
        household = HouseholdRow(_uuid(rng), prof, at)
        family = rng.choice(demo.FAMILY)
        parents = 1 if rng.random() < 0.3 else 2
        children = rng.choice([1, 1, 2, 2, 2, 3, 4])
        for m in range(parents + children):
            if made >= total:
                break
            parent = m < parents
            sex = ("V" if m == 0 else "M") if parent else rng.choice("MV")
            days = rng.randrange(24 * 365, 52 * 365) if parent else rng.randrange(60, 22 * 365)
            pid, pseudonym = _uuid(rng), _uuid(rng)
            household.members.append(PersonRow(
                id=pid, bsn=bsns[made] if made < len(bsns) else None,
                system_id=None if made < len(bsns) else system_id_for(made),
                pseudonym=pseudonym,
                given_names=rng.choice(demo.GIVEN_V if sex == "V" else demo.GIVEN_M),
                family_name=family if m == 0 or not parent or rng.random() < 0.5
                else rng.choice(demo.FAMILY),
                birth_date=today - timedelta(days=days), sex=sex, postcode=postcode,
                house_number=number, neighbourhood_id=hood, at=at,
                relation="parent" if parent else "child"))
            made += 1
        h += 1
        yield household


def _batches(households: Iterator[HouseholdRow], size: int) -> Iterator[list[HouseholdRow]]:
    batch: list[HouseholdRow] = []
    count = 0
    for household in households:
        batch.append(household)
        count += len(household.members)
        if count >= size:
            yield batch
            batch, count = [], 0
    if batch:
        yield batch


# --- loading: PostgreSQL COPY or bulk_create -----------------------------------------


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _copy(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def insert_new(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                returning: str = "") -> list[Any]:
    """COPY into a temporary table, then insert what is not there yet (PostgreSQL)."""
    if not rows:
        return []
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bulk_stage")
        # Table and column names are this module's constants, never input.
        cursor.execute(f"CREATE TEMP TABLE bulk_stage ON COMMIT DROP AS "  # noqa: S608
                       f"SELECT {cols} FROM {table} WITH NO DATA")
        _copy("bulk_stage", columns, rows)
        cursor.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM bulk_stage "  # noqa: S608
                       f"ON CONFLICT DO NOTHING" + (f" RETURNING {returning}" if returning else ""))
        result = [r[0] for r in cursor.fetchall()] if returning else []
        cursor.execute("DROP TABLE bulk_stage")
    return result


def into_brp(batch: int = 5000) -> int:
    """Every bulk person with a (test) BSN into the BRP stand-in, as the registry keeps them
    (with their parents and custody), so that registering them again through the API is
    verified in the BRP like anyone's. Only with the stand-in (never a real BRP)."""
    from jeugdketen.brp.population import persoon
    from jeugdketen.brp.standin.store import Store

    if not settings.BRP_STANDIN:
        return 0
    store = Store(settings.BRP_STANDIN_DB)
    kin: dict[Any, list[tuple[str, bool, bool]]] = {}
    for child, bsn, is_parent, custody in Kinship.objects.values_list(
            "child_id", "relative_bsn", "is_parent", "has_custody").iterator(chunk_size=batch):
        kin.setdefault(child, []).append((bsn, is_parent, custody))
    docs, loaded = [], 0
    for p in (Person.objects.filter(bsn__isnull=False).order_by("bsn")
              .only("id", "bsn", "given_names", "family_name", "birth_date", "sex", "postcode",
                    "house_number").iterator(chunk_size=batch)):
        ties = kin.get(p.id, [])
        held = [b for b, _p, c in ties if c]
        docs.append(persoon(bsn=p.bsn or "", given_names=p.given_names, family_name=p.family_name,
                            birth_date=p.birth_date, sex=p.sex, postcode=p.postcode,
                            house_number=p.house_number,
                            parents=[b for b, is_parent, _c in ties if is_parent],
                            custody=held or None))
        if len(docs) >= batch:
            loaded += store.load(docs)
            docs = []
    return loaded + (store.load(docs) if docs else 0)


def _confirmed(household: HouseholdRow, person: PersonRow) -> bool:
    """The BRP confirms a relation between persons with a BSN (both parents and the child)."""
    return bool(person.bsn) and all(m.bsn for m in household.members)


def _kinship(members: list[tuple[HouseholdRow, PersonRow]]) -> list[tuple[Any, ...]]:
    """The BRP facts of the bulk families: both parents hold joint custody of the children
    (rows only between persons with a BSN; a minor only has custody holders)."""
    rows = []
    cutoff = timezone.localdate() - timedelta(days=18 * 365)
    for h, p in members:
        if p.relation != "child" or not p.bsn:
            continue
        for parent in h.members:
            if parent.relation == "parent" and parent.bsn:
                rows.append((p.id, parent.bsn, True, p.birth_date > cutoff,
                             "GezamenlijkOuderlijkGezag" if p.birth_date > cutoff else ""))
    return rows


def _existing_persons(ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for i in range(0, len(ids), 2000):
        found.update(Person.objects.filter(pk__in=ids[i:i + 2000]).values_list("pk", flat=True))
    return found


def _load_batch(batch: list[HouseholdRow]) -> int:
    """One transaction: addresses, persons, households, members, registrations, events.
    Returns the number of persons added."""
    people = [p for h in batch for p in h.members]
    with transaction.atomic():
        addresses = {(p.postcode, p.house_number, p.neighbourhood_id) for p in people
                     if p.neighbourhood_id}
        # A person with a (test) BSN stands for one verified in the BRP; beyond the ~9,000 test
        # BSNs persons carry a system_id and are, like a youth without a BSN, unverified.
        person_cols = ["id", "bsn", "system_id", "pseudonym", "given_names", "family_name",
                       "birth_date", "sex", "postcode", "house_number", "house_letter",
                       "house_number_addition", "neighbourhood_id", "neighbourhood_unknown",
                       "created_at", "updated_at", "brp_verified_at"]
        person_rows = [(p.id, p.bsn, p.system_id, p.pseudonym, p.given_names, p.family_name,
                        p.birth_date, p.sex, p.postcode, p.house_number, "", "",
                        p.neighbourhood_id, p.neighbourhood_id is None, p.at, p.at,
                        p.at if p.bsn else None) for p in people]
        if _pg():
            insert_new("registry_postcodeaddress", ["postcode", "house_number", "neighbourhood_id"],
                        sorted(addresses))
            new = set(insert_new("registry_person", person_cols, person_rows, returning="id"))
        else:
            PostcodeAddress.objects.bulk_create(
                [PostcodeAddress(postcode=a, house_number=b, neighbourhood_id=c)
                 for a, b, c in addresses], ignore_conflicts=True, batch_size=500)
            before = _existing_persons([p.id for p in people])
            Person.objects.bulk_create(
                [Person(**dict(zip(person_cols, row, strict=True))) for row in person_rows
                 if row[0] not in before], ignore_conflicts=True, batch_size=500)
            new = _existing_persons([p.id for p in people]) - before
        present = new if len(new) == len(people) else _existing_persons([p.id for p in people])
        households = [h for h in batch if any(p.id in present for p in h.members)]
        members = [(h, p) for h in households for p in h.members if p.id in present]
        if _pg():
            new_households = set(insert_new(
                "registry_household", ["id", "created_at", "created_by_id"],
                [(h.id, h.at, h.professional.pk) for h in households], returning="id"))
            insert_new("registry_householdmember",
                        ["household_id", "person_id", "relation", "brp_verified"],
                        [(h.id, p.id, p.relation, _confirmed(h, p)) for h, p in members])
            insert_new("registry_registration",
                        ["person_id", "professional_id", "organisation_id", "created_at"],
                        [(p.id, h.professional.pk, h.professional.organisation_id, p.at)
                         for h, p in members])
            insert_new("registry_kinship",
                        ["child_id", "relative_bsn", "is_parent", "has_custody", "custody_type"],
                        _kinship(members))
        else:
            known = set(Household.objects.filter(pk__in=[h.id for h in households])
                        .values_list("pk", flat=True))
            new_households = {h.id for h in households} - known
            Household.objects.bulk_create(
                [Household(id=h.id, created_at=h.at, created_by=h.professional)
                 for h in households if h.id in new_households], batch_size=500)
            HouseholdMember.objects.bulk_create(
                [HouseholdMember(household_id=h.id, person_id=p.id, relation=p.relation,
                                 brp_verified=_confirmed(h, p))
                 for h, p in members], ignore_conflicts=True, batch_size=500)
            Kinship.objects.bulk_create(
                [Kinship(child_id=c, relative_bsn=b, is_parent=i, has_custody=d, custody_type=t)
                 for c, b, i, d, t in _kinship(members)], ignore_conflicts=True, batch_size=500)
            Registration.objects.bulk_create(
                [Registration(person_id=p.id, professional=h.professional,
                              organisation_id=h.professional.organisation_id, created_at=p.at)
                 for h, p in members], ignore_conflicts=True, batch_size=500)
        events: list[tuple[Any, ...]] = []
        for h in households:
            org = h.professional.organisation_id
            hood = ""
            for p in h.members:
                hood = hood or p.neighbourhood_id or ""
                if p.id in new:
                    events.append((p.at, Activity.PERSON_REGISTERED.value, "", str(p.pseudonym),
                                   "", org, p.neighbourhood_id or "", "{}"))
            if h.id in new_households:
                events.append((h.at, Activity.HOUSEHOLD_REGISTERED.value, "", "", str(h.id), org,
                               hood, json.dumps({"members": len(h.members), "children": sum(
                                   p.relation == "child" for p in h.members)})))
        event_cols = ["at", "activity", "trajectory_key", "person_key", "household_key",
                      "organisation_id", "neighbourhood_code", "attributes"]
        if _pg():
            _copy("chainlog_chainevent", event_cols, events)
        else:
            ChainEvent.objects.bulk_create(
                [ChainEvent(**dict(zip(event_cols[:-1], e[:-1], strict=True)),
                            attributes=json.loads(e[-1])) for e in events], batch_size=500)
    return len(new)


# --- the access log ----------------------------------------------------------------


LOG_COLUMNS = ("shard", "seq", "prev_hash", "hash", *[
    f for f in AccessLogRecord.HASHED_FIELDS if f not in ("shard", "seq", "prev_hash")])
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15",
    "ZorgDossier/4.2 (koppeling)",
]


def _staff_profiles(staff: Sequence[Professional]) -> dict[int, dict[str, Any]]:
    return {p.pk: {"user_id": p.user_id, "username": p.user.username,
                   "organisation_id": p.organisation_id,
                   "organisation_name": p.organisation.name,
                   "role": "coordinator" if "coordinator" in p.roles else "professional"}
            for p in staff}


def _sample_registrations(limit: int, seed: int) -> list[tuple[str, int]]:
    total = Registration.objects.count()
    if not total:
        return []
    if _pg():
        pct = min(100.0, 100.0 * limit * 1.3 / total)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT person_id::text, professional_id FROM registry_registration "  # noqa: S608
                f"TABLESAMPLE BERNOULLI ({pct:.6f}) REPEATABLE ({seed % 2**31}) LIMIT %s", [limit])
            return [(r[0], r[1]) for r in cursor.fetchall()]
    rows = Registration.objects.order_by("?").values_list("person_id", "professional_id")[:limit]
    return [(str(a), b) for a, b in rows]


def _log_entries(rng: random.Random, sample: Sequence[tuple[str, int]],
                 profiles: dict[int, dict[str, Any]], staff_ids: Sequence[int],
                 at: datetime) -> dict[str, Any]:
    """One synthetic record's fields (before chaining), shaped like audit.entry's."""
    client, prof_id = sample[rng.randrange(len(sample))]
    roll = rng.random()
    emergency, outcome, ground, action, reason = False, "allowed", "registration", "read", ""
    if roll < 0.02:
        prof_id = staff_ids[rng.randrange(len(staff_ids))]
        outcome, ground, reason = "denied", "", "no ground for this actor"
    elif roll < 0.022:
        prof_id = staff_ids[rng.randrange(len(staff_ids))]
        emergency, ground = True, "emergency"
        reason = "Acute zorg op de SEH, ouders niet bereikbaar; gegevens nodig voor contact."
    elif roll < 0.10:
        action = "create"
    prof = profiles[prof_id]
    api = rng.random() < 0.3
    return {
        "at": at, "client_id": client, "user_id": prof["user_id"], "username": prof["username"],
        "on_behalf_of": "", "role": prof["role"],
        "organisation_id": prof["organisation_id"],
        "organisation_name": prof["organisation_name"],
        "ip": f"192.0.2.{rng.randrange(1, 255)}",
        "user_agent": USER_AGENTS[2] if api else USER_AGENTS[rng.randrange(2)],
        "channel": "api-token" if api else "session", "token_id": None,
        "action": action, "object_type": "base_data", "object_id": client, "data": "base_data",
        "ground": ground, "emergency": emergency, "reason": reason, "outcome": outcome,
    }


def _secondary_indexes() -> list[tuple[str, str]]:
    """(name, CREATE INDEX sql) of the access log's non-unique indexes, as Django makes them."""
    with connection.schema_editor(collect_sql=True) as editor:
        statements = [str(s) for s in editor._model_indexes_sql(AccessLogRecord)]  # type: ignore[attr-defined]
    out = []
    for sql in statements:
        name = sql.split('"')[1] if '"' in sql else sql.split()[2]
        out.append((name, sql))
    return out


def _existing_indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        return {r[0] for r in cursor.fetchall()}


def _restore_indexes(out: TextIO) -> None:
    if not _pg():
        return
    existing = _existing_indexes(AccessLogRecord._meta.db_table)
    missing = [(n, sql) for n, sql in _secondary_indexes() if n not in existing]
    if not missing:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for name, sql in missing:
            t = time.monotonic()
            out.write(f"access log: creating index {name} ...")
            out.flush()
            cursor.execute(sql)
            out.write(f" {time.monotonic() - t:.0f} s\n")
        cursor.execute("RESET maintenance_work_mem")


def _drop_indexes(out: TextIO) -> None:
    existing = _existing_indexes(AccessLogRecord._meta.db_table)
    with connection.cursor() as cursor:
        for name, _sql in _secondary_indexes():
            if name in existing:
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
                out.write(f"access log: dropped index {name} for the load (restored afterwards)\n")


def build_access_log(total: int, seed: int, staff: Sequence[Professional], out: TextIO) -> int:
    shards = settings.AUDIT_SHARDS
    heads = {h.shard: h.last_seq for h in AccessLogShard.objects.filter(shard__lt=shards)}
    todo = {s: max(0, total // shards + (1 if s < total % shards else 0) - heads.get(s, 0))
            for s in range(shards)}
    remaining = sum(todo.values())
    _restore_indexes(out)  # an interrupted earlier run may have left them dropped
    if not remaining:
        out.write(f"access log: already {sum(heads.values())} records in {shards} chains\n")
        return 0
    sample = _sample_registrations(200_000, seed)
    if not sample:
        out.write("access log: no registrations to log about\n")
        return 0
    profiles = _staff_profiles(staff)
    staff_ids = sorted(profiles)
    drop = _pg() and remaining >= DROP_INDEXES_ABOVE
    if drop:
        _drop_indexes(out)
    progress = demo.Progress("access log", remaining, out)
    done = 0
    end = datetime.now(UTC)
    span = timedelta(days=365)
    try:
        for shard in range(shards):
            rng = random.Random(f"{seed}:log:{shard}:{heads.get(shard, 0)}")
            left = todo[shard]
            per_shard = max(left, 1)
            made = 0
            while left > 0:
                n = min(LOG_BATCH, left)
                with transaction.atomic():
                    if _pg():
                        with connection.cursor() as cursor:
                            cursor.execute("SET LOCAL synchronous_commit = off")
                    head = AccessLogShard.objects.select_for_update().get(shard=shard)
                    seq, prev = head.last_seq, head.last_hash or GENESIS
                    rows: list[tuple[Any, ...]] = []
                    objs: list[AccessLogRecord] = []
                    for record_id in reserve_ids(n):  # the hash covers the id
                        seq += 1
                        at = end - span + span * (made / per_shard)
                        made += 1
                        values = _log_entries(rng, sample, profiles, staff_ids, at)
                        values.update(id=record_id, hash_version=HASH_VERSION, shard=shard,
                                      seq=seq, prev_hash=prev)
                        prev = record_hash(values)
                        values["hash"] = prev
                        if _pg():
                            rows.append(tuple(values[c] for c in LOG_COLUMNS))
                        else:
                            objs.append(AccessLogRecord(**values))
                    if _pg():
                        _copy(AccessLogRecord._meta.db_table, LOG_COLUMNS, rows)
                    else:
                        AccessLogRecord.objects.bulk_create(objs, batch_size=500)
                    AccessLogShard.objects.filter(shard=shard).update(last_seq=seq, last_hash=prev)
                left -= n
                done += n
                progress(done)
    finally:
        if drop:
            _restore_indexes(out)
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {AccessLogRecord._meta.db_table}")
    return done


# --- entry point -------------------------------------------------------------------


def build(*, persons: int, access_log_records: int, seed: int, out: TextIO) -> None:
    """Build (or complete) the benchmark data set; see the module docstring."""
    started = time.monotonic()
    out.write(f"Bulk build: {persons} persons, {access_log_records} access-log records, "
              f"seed {seed}, {connection.vendor}\n")
    demo.build(seed=seed, households=DEMO_HOUSEHOLDS, professionals=120, out=out)
    staff = list(
        Professional.objects.filter(organisation__municipality_id=demo.MUNICIPALITY[0])
        .exclude(organisation__kind="municipality")
        .select_related("user", "organisation").order_by("pk"))
    staff = [p for p in staff if p.has_role("professional", "coordinator")]
    neighbourhoods = list(
        Neighbourhood.objects.filter(district__municipality_id=demo.MUNICIPALITY[0])
        .order_by("code").values_list("code", flat=True))
    bsns = list(demo.test_bsns(random.Random(seed + 2)))[BSN_RESERVE:]
    progress = demo.Progress("persons", persons, out)
    done = added = 0
    for batch in _batches(_households(persons, seed, staff, bsns, neighbourhoods), PERSON_BATCH):
        people = [p for h in batch for p in h.members]
        if len(_existing_persons([people[0].id, people[-1].id])) < 2:
            added += _load_batch(batch)
        done += len(people)
        progress(done)
    t_persons = time.monotonic() - started
    out.write(f"persons: {added} added ({done} wanted) in {t_persons:.0f} s\n")
    out.write(f"BRP stand-in: {into_brp()} persons with a BSN\n")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("registry_person", "registry_registration", "registry_household",
                          "registry_householdmember", "chainlog_chainevent",
                          "registry_postcodeaddress"):
                cursor.execute(f"ANALYZE {table}")
    t = time.monotonic()
    logged = build_access_log(access_log_records, seed, staff, out) if access_log_records else 0
    out.write(f"access log: {logged} records added in {time.monotonic() - t:.0f} s\n"
              f"Bulk build done in {time.monotonic() - started:.0f} s.\n")
    out.flush()

