"""Safe to publish: no count below the threshold is shown (primary suppression), and no
suppressed cell can be worked out from the totals and the cells shown (secondary
suppression). Pure functions over plain numbers (docs/insight.md, "Suppression").

A table is its cells (key -> number) and its margins as equations: `(total, [parts])`,
meaning cells[total] == sum(cells[part] for part in parts). A 2-D table with row and column
totals has one equation per row and per column (the total row and column included); a 1-D
list with its total has one. Cells known to a reader without being shown (`known`: the
trajectories without a group, which are in the total but in no group) take part in the
equations but are never chosen to be hidden.

Primary suppression (`primary`):
- a count from 1 to threshold - 1 is hidden: CBS practice, it could point to a person;
- a count of 0 is shown, since it says nothing about any one person, unless one of its
  margins (the total of an equation it is a part of) is from 1 to threshold - 1: then the
  0 tells that every one of those few people is in the other cells of that line
  (a small group sharing an attribute), so it is hidden too.
- money sums and other magnitudes are not counts: they are never hidden for themselves,
  only with the unit they belong to (secondary, or `units`).

Growing with the threshold (`suppress`): the cells are hidden threshold by threshold,
each step starting from those hidden at the one before, so what is hidden at a threshold
stays hidden at every higher one (reads before and after a change cannot be combined).

Over a hierarchy (`areas`): a municipality, its districts and their neighbourhoods are
one system, each parent the sum of its children, so a cell is hidden in every answer that
shows it and no area minus another gives a hidden one away.

Secondary suppression (`protect`), repeated until nothing changes:
1. a unit (the cells shown or hidden together, e.g. a rate's count, rest and n) with one
   hidden cell is hidden whole;
2. an equation with exactly one hidden cell gets a second one, so the hidden one is not
   the total minus the others: a part shown, preferring one that also gives another line
   with one hidden cell its second (fewer cells hidden in all), then the smallest
   non-zero (a zero only when no other part is left; the total last);
3. finally an exact check (`recomputable`): a cell can be hidden in every line with a
   partner and still be pinned down by combining lines (in a 2-D table, a hidden cell
   that is the only link between two groups of hidden cells). Each such cell gets another
   partner as in 2, and everything repeats.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from math import gcd
from typing import TypeVar

DEFINITION_VERSION = 1

K = TypeVar("K", bound=Hashable)


def is_small(value: float, threshold: int) -> bool:
    """A count from 1 to threshold - 1: never shown."""
    return 0 < value < threshold


# Counts are rounded to multiples of this, whatever the threshold above it: the analyst
# may set the threshold anywhere from 10 to 100, and one count read rounded to 10, 11, 12
# and so on would be pinned down exactly (docs/insight.md, "Rounded period counts").
ROUNDING_STEP = 10


def step(threshold: int) -> int:
    """What counts are rounded to at this threshold: ROUNDING_STEP, or the threshold when
    it is lower (only a hand-made store in a test has one below 10)."""
    return min(threshold, ROUNDING_STEP)


def rounded(value: int | None, threshold: int) -> int | None:
    """A count as published (docs/insight.md, "Rounded flow counts" and "Rounded period
    counts"): hidden (None) from 1 to threshold - 1 and when already hidden (None), 0
    stays 0, anything else is rounded to the nearest multiple of step(threshold), half up
    (15 -> 20). Two rounded counts then differ by 0 or by a multiple of the step, so
    subtracting two of them (two weeks, two periods, an area and its parts) never gives a
    count exactly; the step does not move with the threshold, so reading one count at
    several thresholds gives nothing more either."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"a count is a whole number of at least 0, not {value!r}")
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ValueError(f"the threshold is a whole number of at least 1, not {threshold!r}")
    if is_small(value, threshold):
        return None
    by = step(threshold)
    return (2 * value + by) // (2 * by) * by


def primary(cells: Mapping[K, float], equations: Sequence[tuple[K, Sequence[K]]],
            counts: Collection[K], threshold: int) -> set[K]:
    """The count cells hidden for themselves: small counts, and zeros with a small margin."""
    hidden = {k for k in counts if is_small(cells[k], threshold)}
    for total, parts in equations:
        if is_small(cells[total], threshold):
            hidden |= {k for k in parts if k in counts and cells[k] == 0}
    return hidden


def recomputable(cells: Collection[K], equations: Sequence[tuple[K, Sequence[K]]],
                 hidden: Collection[K]) -> set[K]:
    """The hidden cells a reader can work out exactly from the cells shown and the
    equations (linear algebra over the rationals: a hidden cell is determined when every
    solution of the equations restricted to the hidden cells has it at 0)."""
    unknown = [k for k in cells if k in hidden]
    index = {k: i for i, k in enumerate(unknown)}
    rows: list[dict[int, int]] = []
    for total, parts in equations:
        row: dict[int, int] = {}
        if total in index:
            row[index[total]] = row.get(index[total], 0) + 1
        for part in parts:
            if part in index:
                row[index[part]] = row.get(index[part], 0) - 1
        row = {c: v for c, v in row.items() if v}
        if row:
            rows.append(row)
    # Reduced row echelon form, rows kept sparse (column -> coefficient); the short lines
    # first (a rate's n = count + rest before the long column of every group), so the
    # rows stay sparse. Exact in whole numbers (a row scaled by a non-zero whole number
    # spans the same space, and its zeros are where they would be over the rationals, so
    # the pivots are the same), each row divided by the greatest common divisor of its
    # coefficients to keep them small.
    reduced: dict[int, dict[int, int]] = {}  # pivot column -> its row
    holders: dict[int, set[int]] = {}  # column -> the pivots whose rows name it (not theirs)
    for row in sorted(rows, key=len):
        # A pivot row names no other pivot column: each pivot in the row is cleared once.
        for c in [k for k in row if k in reduced]:
            row = _eliminate(row, reduced[c], c)
        if not row:
            continue
        c = min(row)
        for pivot in holders.pop(c, ()):
            other = reduced[pivot]
            new = reduced[pivot] = _eliminate(other, row, c)
            for k in other.keys() - new.keys():
                if k in holders:
                    holders[k].discard(pivot)
            for k in new.keys() - other.keys():
                holders.setdefault(k, set()).add(pivot)
        reduced[c] = row
        for k in row:
            if k != c:
                holders.setdefault(k, set()).add(c)
    # A pivot's cell is determined when its row names no free (non-pivot) cell.
    return {unknown[c] for c, row in reduced.items() if all(k in reduced for k in row)}


def _eliminate(row: dict[int, int], pivot: dict[int, int], column: int) -> dict[int, int]:
    """`row` with `column` cleared by the pivot row naming it (whole numbers, exact), divided
    by the greatest common divisor of what is left."""
    lead, factor = pivot[column], row[column]
    out = dict(row) if lead == 1 else {k: v * lead for k, v in row.items()}
    for k, v in pivot.items():
        value = out.get(k, 0) - factor * v
        if value:
            out[k] = value
        else:
            out.pop(k, None)
    divisor = gcd(*out.values()) if out else 1
    return {k: v // divisor for k, v in out.items()} if divisor > 1 else out


def protect(cells: Mapping[K, float], equations: Sequence[tuple[K, Sequence[K]]],
            hidden: Iterable[K], *, units: Sequence[Collection[K]] = (),
            known: Collection[K] = ()) -> set[K]:
    """Secondary suppression: the hidden cells grown until none can be recomputed."""
    result = set(hidden)
    unit_of: dict[K, list[Collection[K]]] = {}
    for unit in units:
        for k in unit:
            unit_of.setdefault(k, []).append(unit)

    def hide(k: K) -> None:
        stack = [k]
        while stack:
            cell = stack.pop()
            if cell in result:
                continue
            result.add(cell)
            for unit in unit_of.get(cell, ()):
                stack.extend(u for u in unit if u not in result)

    lines_of: dict[K, list[list[K]]] = {}
    for total, parts in equations:
        for k in (total, *parts):
            lines_of.setdefault(k, []).append([total, *parts])

    def closes(k: K, total: K) -> bool:
        """Hiding k gives another line with one hidden cell its partner (closes a cycle)."""
        return any(sum(1 for c in line if c in result) == 1
                   for line in lines_of[k] if line[0] != total)

    def partner(total: K, parts: Sequence[K]) -> K | None:
        shown = [p for p in parts if p not in result and p not in known]
        if shown:
            return min(shown, key=lambda p: (not closes(p, total), cells[p] == 0, cells[p]))
        return total if total not in result and total not in known else None

    for k in list(result):
        result.discard(k)
        hide(k)
    while True:
        changed = True
        while changed:
            changed = False
            for total, parts in equations:
                line = [total, *parts]
                if sum(1 for k in line if k in result) == 1:
                    chosen = partner(total, parts)
                    if chosen is not None:
                        hide(chosen)
                        changed = True
        exposed = recomputable(cells, equations, result)
        if not exposed:
            return result
        grew = False
        # In the table's own order, not the set's: a set of strings iterates in an order
        # that differs between processes (hash randomisation), and the first exposed cell
        # decides which partner is hidden. Two workers hiding different partners of the
        # same table would together show what each hides.
        for cell in [k for k in cells if k in exposed]:
            for total, parts in equations:
                if cell == total or cell in parts:
                    chosen = partner(total, parts)
                    if chosen is not None:
                        hide(chosen)
                        grew = True
                        break
            if grew:
                break
        if not grew:  # nothing left to hide next to it: hide every cell but the known
            for k in cells:
                if k not in known:
                    hide(k)
            return result


def suppress(cells: Mapping[K, float], equations: Sequence[tuple[K, Sequence[K]]],
             counts: Collection[K], threshold: int, *, units: Sequence[Collection[K]] = (),
             known: Collection[K] = (),
             hidden: Iterable[K] | Callable[[int], Iterable[K]] = ()) -> set[K]:
    """Primary and secondary suppression, growing with the threshold: what is hidden at a
    threshold is hidden at every higher one, so reads before and after the analyst changes
    it cannot be combined. The cells are hidden threshold by threshold, from the lowest at
    which a count is small up to `threshold` (only where primary suppression changes: a
    count v is small from v + 1), each step starting from the cells hidden at the one
    before. `hidden` cells hidden from the start, or a function of the threshold giving
    them (growing with it); `known` cells are never hidden."""
    steps = sorted({int(cells[k]) + 1 for k in counts if is_small(cells[k], threshold)}
                   | {threshold})
    result: set[K] = set()
    for step in steps:
        given = hidden(step) if callable(hidden) else hidden
        first = (primary(cells, equations, counts, step) | set(given) | result) - set(known)
        result = protect(cells, equations, first, units=units, known=known)
    return result


def table(rows: Mapping[str, Mapping[str, int]], threshold: int,
          total: str = "total") -> dict[tuple[str, str], int | None]:
    """A 2-D table of counts with its margins (a `total` column per row and a `total` row)
    added, suppressed: (row, column) -> the count, or None when hidden."""
    columns = list(dict.fromkeys(c for row in rows.values() for c in row))
    cells: dict[tuple[str, str], int] = {}
    for r, row in rows.items():
        for c in columns:
            cells[(r, c)] = row.get(c, 0)
        cells[(r, total)] = sum(row.get(c, 0) for c in columns)
    for c in [*columns, total]:
        cells[(total, c)] = sum(cells[(r, c)] for r in rows)
    all_rows, all_columns = [*rows, total], [*columns, total]
    equations: list[tuple[tuple[str, str], Sequence[tuple[str, str]]]] = [
        ((r, total), [(r, c) for c in columns]) for r in all_rows]
    equations += [((total, c), [(r, c) for r in rows]) for c in all_columns]
    hidden = suppress(cells, equations, cells, threshold)
    return {k: None if k in hidden else v for k, v in cells.items()}


def listing(values: Mapping[str, int], threshold: int, total: str = "total"
            ) -> dict[str, int | None]:
    """A 1-D list of counts with its total, suppressed: key -> count, or None when hidden."""
    cells = {**values, total: sum(values.values())}
    equations: list[tuple[str, Sequence[str]]] = [(total, list(values))]
    hidden = suppress(cells, equations, cells, threshold)
    return {k: None if k in hidden else v for k, v in cells.items()}


Cells = Iterable[tuple[str, str]] | Callable[[int], Iterable[tuple[str, str]]]


def groups(rows: Mapping[str, Mapping[str, float]], total: Mapping[str, float], *,
           threshold: int, counts: Sequence[str], splits: Sequence[tuple[str, Sequence[str]]],
           units: Sequence[Sequence[str]], hidden: Cells = ()) -> set[tuple[str, str]]:
    """Suppression for one figure per group: `rows` group -> column -> number (the groups
    are parts of the scope total `total`, group ""); the trajectories in no group make a
    row the reader is taken to know. `counts` are the columns counted (primary);
    `splits` the columns that add up within a row (("n", ["count", "rest"]): n = count +
    rest); `units` the columns shown or hidden together in a row (two figures of the same
    groups can share one table, so one is hidden with the other); `hidden` cells hidden
    from the start (e.g. the scope total, hidden in its areas' system), or a function of
    the threshold giving them. Returns the hidden (group, column) cells."""
    return areas({**rows, "": total}, dict.fromkeys(rows, ""), threshold=threshold,
                 counts=counts, splits=splits, units=units, hidden=hidden)


def areas(rows: Mapping[str, Mapping[str, float]], parents: Mapping[str, str], *,
          threshold: int, counts: Sequence[str], splits: Sequence[tuple[str, Sequence[str]]],
          units: Sequence[Sequence[str]], hidden: Cells = ()) -> set[tuple[str, str]]:
    """Suppression of one figure over a hierarchy of groups, as one system: `rows` area ->
    column -> number for every area (a municipality, its districts, their
    neighbourhoods), `parents` child -> the area it is part of. Each parent is the sum of
    its children plus a rest the reader is taken to know (the trajectories in the parent
    but in none of its children). `counts`, `splits` and `units` as in `groups`; `hidden`
    cells hidden from the start (or a function of the threshold giving them, growing with
    it). A cell is hidden once, for every area it is shown in: a parent minus its shown
    children never gives a hidden child. The hidden cells grow with the threshold
    (`suppress`). Returns the hidden (area, column) cells."""
    columns = list(dict.fromkeys(c for row in rows.values() for c in row))
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    cells: dict[tuple[str, str], float] = {
        (g, c): rows[g][c] for g in rows for c in columns}
    rests = {parent: "\x00rest " + parent for parent in children}
    for parent, kids in children.items():
        for c in columns:
            cells[(rests[parent], c)] = rows[parent][c] - sum(rows[k][c] for k in kids)
    everyone = [*rows, *rests.values()]
    equations: list[tuple[tuple[str, str], Sequence[tuple[str, str]]]] = [
        ((parent, c), [*((k, c) for k in kids), (rests[parent], c)])
        for c in columns for parent, kids in children.items()]
    equations += [((g, whole), [(g, p) for p in parts])
                  for g in everyone for whole, parts in splits]
    known = {(r, c) for r in rests.values() for c in columns}
    counted = {(g, c) for g in everyone for c in counts}
    unit_cells = [[(g, c) for c in unit] for g in everyone for unit in units]
    result = suppress(cells, equations, counted, threshold, units=unit_cells, known=known,
                      hidden=hidden)
    return {k for k in result if k[0] in rows}
