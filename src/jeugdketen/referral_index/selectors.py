"""The reads every signal registration makes, written out (issue 10, speed).

Registering a signal is the index's hot path: building and compiling these statements with
the ORM cost more CPU than the database spent running them. They are fixed statements,
made once per database vendor; the rows become model instances with the ORM's own
converters (`Model.from_db`), so the objects are the same as a queryset's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Model

from jeugdketen.core import prepared
from jeugdketen.plans.models import Plan, TeamMember
from jeugdketen.referral_index.models import Match, MatchStatus, Signal, SignalStatus
from jeugdketen.registry.models import (
    District,
    HouseholdMember,
    Kinship,
    Municipality,
    Neighbourhood,
    Organisation,
    Person,
    Professional,
    Registration,
)


class Rows:
    """Instances of one model from its columns in a hand-written statement: `columns(alias)`
    selects every concrete field, `make(row, start)` builds the instance from them."""

    def __init__(self, model: type[Model]):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.width = len(self.fields)
        self.names = [f.attname for f in self.fields]
        self._converters: dict[str, list[tuple[int, Any, list[Any]]]] = {}

    def columns(self, alias: str) -> str:
        qn = connection.ops.quote_name
        return ", ".join(f"{alias}.{qn(f.column)}" for f in self.fields)

    def nulls(self) -> str:
        return ", ".join(["NULL"] * self.width)

    def _converters_now(self) -> list[tuple[int, Any, list[Any]]]:
        found = self._converters.get(connection.vendor)
        if found is None:  # the ORM's converters for these columns (as a queryset uses)
            found = []
            for i, f in enumerate(self.fields):
                col = f.get_col(self.model._meta.db_table)
                funcs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                if funcs:
                    found.append((i, col, funcs))
            self._converters[connection.vendor] = found
        return found

    def make(self, row: tuple[Any, ...] | list[Any], start: int = 0) -> Any:
        values = list(row[start:start + self.width])
        for i, col, funcs in self._converters_now():
            for func in funcs:
                values[i] = func(values[i], col, connection)
        return self.model.from_db(connection.alias, self.names, values)


PERSON, NEIGHBOURHOOD, DISTRICT, MUNICIPALITY = (
    Rows(Person), Rows(Neighbourhood), Rows(District), Rows(Municipality))
SIGNAL = Rows(Signal)
_SQL: dict[tuple[str, str], str] = {}


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _youth_sql(lock: bool) -> str:
    key = ("youth-locked" if lock else "youth", connection.vendor)
    sql = _SQL.get(key)
    if sql is None:
        agg = "string_agg" if connection.vendor == "postgresql" else "group_concat"
        # Only table names and column names are put into the statement (S608).
        sql = (
            f"SELECT {PERSON.columns('p')}, {NEIGHBOURHOOD.columns('n')}, "  # noqa: S608
            f"{DISTRICT.columns('d')}, {MUNICIPALITY.columns('m')}, "
            f"EXISTS (SELECT 1 FROM {_table(Registration)} r WHERE r.person_id = p.id "
            "AND r.professional_id = %s), "
            f"(SELECT {agg}(k.relative_bsn, ',') FROM {_table(Kinship)} k "
            "WHERE k.child_id = p.id AND k.is_parent) AS jk_parents"
            + (", p.id AS jk_id, p.brp_verified_at IS NOT NULL AS jk_verified, "
               "CASE WHEN p.brp_verified_at IS NOT NULL AND p.postcode <> '' "
               "AND coalesce(p.house_number, 0) <> 0 THEN p.postcode || '-' || "
               "p.house_number::text || '-' || p.house_letter || '-' || "
               "p.house_number_addition ELSE '' END AS jk_address" if lock else "")
            + f" FROM {_table(Person)} p "
            f"LEFT JOIN {_table(Neighbourhood)} n ON n.code = p.neighbourhood_id "
            f"LEFT JOIN {_table(District)} d ON d.code = n.district_id "
            f"LEFT JOIN {_table(Municipality)} m ON m.code = d.municipality_id "
            "WHERE p.id = %s")
        if lock:
            # PostgreSQL: the registration's advisory locks (actions._lock: the same keys,
            # hashes and order) taken by the same statement, from the youth's own row:
            # "person:<id>", "parent:<BSN>" for each parent of a verified youth,
            # "address:<BRP address or ''>", sorted, each once.
            sql = (
                f"WITH y AS ({sql}), keys AS ("  # noqa: S608
                "SELECT 'person:' || y.jk_id::text AS key FROM y "
                "UNION SELECT 'address:' || y.jk_address FROM y "
                "UNION SELECT 'parent:' || b FROM y, "
                "unnest(string_to_array(y.jk_parents, ',')) AS b WHERE y.jk_verified) "
                "SELECT y.*, (SELECT count(pg_advisory_xact_lock(('x' || left(encode(sha256("
                "convert_to(o.key, 'UTF8')), 'hex'), 16))::bit(64)::bigint)) FROM ("
                'SELECT key FROM keys ORDER BY key COLLATE "C") AS o) FROM y')
        _SQL[key] = sql
    return sql


def youth_for_signal(person_id: Any, professional_id: int | None, *,
                     lock: bool = False) -> tuple[Person, bool, list[str]] | None:
    """The youth with their neighbourhood, district and municipality, whether the
    professional registered them (the policy's ground for a signal) and their parents' BSNs
    in the BRP (sorted; none for a youth without a BSN): one statement. With `lock` on
    PostgreSQL the same statement takes the registration's advisory locks (see
    actions._lock; the caller asks only there). None when there is no such youth;
    ValueError, TypeError or ValidationError for a malformed id."""
    pk_field = Person._meta.pk
    assert pk_field is not None
    pk = pk_field.get_db_prep_value(pk_field.to_python(person_id), connection)
    with prepared.cursor() as cursor:  # every signal: planned once per connection
        cursor.execute(_youth_sql(lock), [professional_id, pk])
        row = cursor.fetchone()
    if row is None:
        return None
    person = PERSON.make(row)
    at = PERSON.width
    hood = None
    if row[at] is not None:
        hood = NEIGHBOURHOOD.make(row, at)
        district = DISTRICT.make(row, at + NEIGHBOURHOOD.width)
        municipality = MUNICIPALITY.make(row, at + NEIGHBOURHOOD.width + DISTRICT.width)
        district._state.fields_cache["municipality"] = municipality
        hood._state.fields_cache["district"] = district
    person._state.fields_cache["neighbourhood"] = hood
    at += NEIGHBOURHOOD.width + DISTRICT.width + MUNICIPALITY.width
    registered, parents = bool(row[at]), row[at + 1]
    return person, registered, sorted(parents.split(",")) if parents and person.verified else []


def _signals_and_relatives_sql(parents: int, by_address: bool) -> str:
    # Only table names, column names and placeholders are put into the statement (S608).
    parts = [f"SELECT {SIGNAL.columns('s')}, NULL, NULL FROM {_table(Signal)} s "  # noqa: S608
             "WHERE s.person_id = %s AND s.status = %s "
             "AND (s.organisation_id = %s OR s.expires_on > %s)"]
    elsewhere = (f"EXISTS (SELECT 1 FROM {_table(Signal)} o WHERE o.person_id = {{id}} "  # noqa: S608
                 "AND o.status = %s AND o.expires_on > %s AND o.organisation_id <> %s)")
    if parents:
        parts.append(
            f"SELECT {SIGNAL.nulls()}, k.child_id, k.relative_bsn FROM {_table(Kinship)} k "  # noqa: S608
            f"WHERE k.is_parent AND k.relative_bsn IN ({', '.join(['%s'] * parents)}) "
            f"AND k.child_id <> %s AND {elsewhere.format(id='k.child_id')}")
    if by_address:
        parts.append(
            f"SELECT {SIGNAL.nulls()}, p.id, '' FROM {_table(Person)} p "  # noqa: S608
            "WHERE p.brp_verified_at IS NOT NULL AND p.postcode = %s AND p.house_number = %s "
            "AND p.house_letter = %s AND p.house_number_addition = %s AND p.id <> %s "
            f"AND {elsewhere.format(id='p.id')}")
    return " UNION ALL ".join(parts)


def signals_and_relatives(
    person: Person, organisation_id: int, today: date, parents: list[str], by_address: bool,
) -> tuple[list[Signal], list[tuple[Any, str]]]:
    """After the registration's locks, in one statement:

    - the youth's active signals that matter: this organisation's (one at most: the 409
      answer) and the unexpired ones (another organisation's makes a client match), by id;
    - who else could match, only those with an active, unexpired signal of another
      organisation (a cheap test: the candidates' query applies all of live_signals):
      siblings sharing a parent in the BRP (with that parent's BSN) and, when `by_address`,
      other youth at the same BRP address (with "")."""
    pk_field = Person._meta.pk
    assert pk_field is not None
    pk = pk_field.get_db_prep_value(person.pk, connection)
    active = SignalStatus.ACTIVE.value
    params: list[Any] = [pk, active, organisation_id, today]
    live = [active, today, organisation_id]
    if parents:
        params += [*parents, pk, *live]
    if by_address:
        params += [person.postcode, person.house_number, person.house_letter,
                   person.house_number_addition, pk, *live]
    key = (f"signals-{len(parents)}-{by_address}", connection.vendor)
    sql = _SQL.get(key)
    if sql is None:
        sql = _SQL[key] = _signals_and_relatives_sql(len(parents), by_address)
    with prepared.cursor() as cursor:  # one text per shape: planned once per connection
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    signals, relatives = [], []
    to_pk = pk_field.to_python
    for row in rows:
        if row[0] is not None:
            signal = SIGNAL.make(row)
            signal._state.fields_cache["person"] = person
            signals.append(signal)
        else:
            relatives.append((to_pk(row[SIGNAL.width]), row[SIGNAL.width + 1]))
    signals.sort(key=lambda s: s.pk)
    return signals, relatives


PROFESSIONAL, ORGANISATION, MATCH = Rows(Professional), Rows(Organisation), Rows(Match)
USER = Rows(get_user_model())


def _with_contacts_sql(lead: str, source: str, where: str) -> str:
    """Signals (alias s, from `source`) with their youth, contact, organisation and user
    and `jk_registered`, `jk_coordinates`, `jk_on_a_team`, after the columns `lead` (see _with_contacts)."""
    # Only table names and column names are put into the statement (S608).
    return (
        f"SELECT {lead}{SIGNAL.columns('s')}, {PERSON.columns('p')}, "  # noqa: S608
        f"{PROFESSIONAL.columns('c')}, {ORGANISATION.columns('o')}, {USER.columns('u')}, "
        f"EXISTS (SELECT 1 FROM {_table(Registration)} r WHERE r.person_id = s.person_id "
        "AND r.professional_id = s.contact_id), "
        f"EXISTS (SELECT 1 FROM {_table(Plan)} pl JOIN {_table(HouseholdMember)} hm "
        "ON hm.household_id = pl.household_id WHERE hm.person_id = s.person_id "
        "AND pl.coordinator_id = s.contact_id), "
        f"EXISTS (SELECT 1 FROM {_table(TeamMember)} tm JOIN {_table(Plan)} pl "
        f"ON pl.id = tm.plan_id JOIN {_table(HouseholdMember)} hm "
        "ON hm.household_id = pl.household_id WHERE hm.person_id = s.person_id "
        "AND tm.professional_id = s.contact_id AND tm.left_at IS NULL) "
        f"FROM {source} JOIN {_table(Person)} p ON p.id = s.person_id "
        f"JOIN {_table(Professional)} c ON c.id = s.contact_id "
        f"JOIN {_table(Organisation)} o ON o.id = c.organisation_id "
        f"JOIN {_table(USER.model)} u ON u.id = c.user_id WHERE {where}")


def _with_contacts(row: tuple[Any, ...], at: int) -> Signal:
    """The signal of a _with_contacts_sql row whose signal columns start at `at`, with its
    youth, contact (organisation, user) and `jk_registered`: whether the contact registered
    the youth (the ground on which a match message names them); `jk_coordinates` and
    `jk_on_a_team`: whether the contact coordinates, or is on the team of, a plan of the
    youth's household (the policy's other grounds for the youth's base data)."""
    signal: Signal = SIGNAL.make(row, at)
    at += SIGNAL.width
    signal._state.fields_cache["person"] = PERSON.make(row, at)
    at += PERSON.width
    contact = PROFESSIONAL.make(row, at)
    at += PROFESSIONAL.width
    contact._state.fields_cache["organisation"] = ORGANISATION.make(row, at)
    at += ORGANISATION.width
    contact._state.fields_cache["user"] = USER.make(row, at)
    at += USER.width
    signal._state.fields_cache["contact"] = contact
    signal.jk_registered = bool(row[at])  # type: ignore[attr-defined]
    signal.jk_coordinates = bool(row[at + 1])  # type: ignore[attr-defined]
    signal.jk_on_a_team = bool(row[at + 2])  # type: ignore[attr-defined]
    return signal


def candidates(person_ids: list[Any], other_than: int, today: date, born_after: date) -> list[Signal]:
    """The live signals (actions.live_signals: active, unexpired, the youth under 23 and
    alive) of other organisations on these youth, by id, each with its youth and contact
    (see _with_contacts). One statement."""
    if not person_ids:
        return []
    pk_field = Person._meta.pk
    assert pk_field is not None
    ids = [pk_field.get_db_prep_value(pid, connection) for pid in person_ids]
    key = ("candidates", connection.vendor)
    head = _SQL.get(key)
    if head is None:
        head = _SQL[key] = _with_contacts_sql(
            "", f"{_table(Signal)} s",
            "s.status = %s AND s.expires_on > %s AND p.birth_date > %s "
            "AND p.date_of_death IS NULL AND s.organisation_id <> %s AND s.person_id IN ")
    sql = head + "(" + ", ".join(["%s"] * len(ids)) + ") ORDER BY s.id"
    with connection.cursor() as cursor:
        cursor.execute(sql, [SignalStatus.ACTIVE.value, today, born_after, other_than, *ids])
        return [_with_contacts(row, 0) for row in cursor.fetchall()]


def members(match_ids: list[int]) -> dict[int, list[Signal]]:
    """Per match, its signals (every status) by id, each with its youth and contact (see
    _with_contacts). One statement."""
    if not match_ids:
        return {}
    key = ("members", connection.vendor)
    head = _SQL.get(key)
    if head is None:
        through = Match.signals.through
        match_col = connection.ops.quote_name(through._meta.get_field("match").column)
        signal_col = connection.ops.quote_name(through._meta.get_field("signal").column)
        head = _SQL[key] = _with_contacts_sql(
            f"ms.{match_col}, ",
            f"{_table(through)} ms JOIN {_table(Signal)} s ON s.id = ms.{signal_col}",
            f"ms.{match_col} IN ")
    sql = head + "(" + ", ".join(["%s"] * len(match_ids)) + ") ORDER BY s.id"
    found: dict[int, list[Signal]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, match_ids)
        for row in cursor.fetchall():
            found.setdefault(row[0], []).append(_with_contacts(row, 1))
    return found


def open_matches_locked(keys: list[tuple[str, str]]) -> list[Match]:
    """The matches with these (kind, subject key) that are not closed, by id, locked (FOR
    NO KEY UPDATE, where the database has it): one that is closing at this moment is
    found closed after the wait."""
    features = connection.features
    lock = (" FOR NO KEY UPDATE" if features.has_select_for_no_key_update
            else " FOR UPDATE" if features.has_select_for_update else "")
    # Only table and column names and placeholders are put into the statement (S608).
    sql = (f"SELECT {MATCH.columns('m')} FROM {_table(Match)} m WHERE ("  # noqa: S608
           + " OR ".join(["(m.kind = %s AND m.subject_key = %s)"] * len(keys))
           + f") AND m.status <> %s ORDER BY m.id{lock}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(v for pair in keys for v in pair), MatchStatus.CLOSED.value])
        return [MATCH.make(row) for row in cursor.fetchall()]
