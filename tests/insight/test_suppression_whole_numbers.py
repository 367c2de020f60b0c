"""suppression.recomputable in whole numbers (for the board's cold build, issue 13) gives
exactly what its former elimination over Fractions gave: the same cells, and so the same
hidden cells from `areas` and `groups` at every threshold."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jeugdketen.insight import suppression


def recomputable_fractions(cells, equations, hidden):
    """suppression.recomputable as it was (Fractions), the reference."""
    unknown = [k for k in cells if k in hidden]
    index = {k: i for i, k in enumerate(unknown)}
    rows = []
    for total, parts in equations:
        row = {}
        if total in index:
            row[index[total]] = row.get(index[total], Fraction(0)) + 1
        for part in parts:
            if part in index:
                row[index[part]] = row.get(index[part], Fraction(0)) - 1
        row = {c: v for c, v in row.items() if v}
        if row:
            rows.append(row)
    reduced = {}
    for row in sorted(rows, key=len):
        for c in [k for k in row if k in reduced]:
            factor = row[c]
            for k, v in reduced[c].items():
                value = row.get(k, Fraction(0)) - factor * v
                if value:
                    row[k] = value
                else:
                    row.pop(k, None)
        if not row:
            continue
        c = min(row)
        lead = row[c]
        row = {k: v / lead for k, v in row.items()}
        for other in reduced.values():
            if c in other:
                factor = other[c]
                for k, v in row.items():
                    other[k] = other.get(k, Fraction(0)) - factor * v
                for k in [k for k, v in other.items() if not v]:
                    del other[k]
        reduced[c] = row
    return {unknown[c] for c, row in reduced.items() if all(k in reduced for k in row)}


def hierarchy(rng):
    """A municipality, its districts and neighbourhoods with a rate (n = count + other)
    and a time-to-help-like second figure (t_n = within + beyond) per area."""
    rows, parents = {}, {}
    for d in range(rng.randint(1, 5)):
        district = f"D{d}"
        parents[district] = "M"
        for b in range(rng.randint(1, 6)):
            hood = f"B{d}{b}"
            parents[hood] = district
            count, other = rng.choice([0, 1, 3, 4, 9, 12, 30]), rng.choice([0, 2, 5, 9, 15])
            within = rng.randint(0, count)
            rows[hood] = {"n": count + other, "count": count, "other": other,
                          "t_n": count, "within": within, "beyond": count - within}
    columns = list(next(iter(rows.values())))
    for district in [p for p in parents if p.startswith("D")]:
        kids = [k for k, p in parents.items() if p == district]
        # a rest the reader knows: trajectories in the district but in no neighbourhood
        rows[district] = {c: sum(rows[k][c] for k in kids) + (rng.choice([0, 0, 1]) if c in
                                                                ("n", "other") else 0)
                          for c in columns}
    rows["M"] = {c: sum(rows[d][c] for d in parents if d.startswith("D")) for c in columns}
    return rows, parents


def both(rows, parents, threshold):
    kwargs = {"threshold": threshold,
              "counts": ("n", "count", "other", "t_n", "within", "beyond"),
              "splits": (("n", ("count", "other")), ("t_n", ("within", "beyond"))),
              "units": (("n", "count", "other", "t_n"), ("within", "beyond"))}
    return suppression.areas(rows, parents, **kwargs)


@pytest.mark.parametrize("seed", range(40))
def test_areas_hide_the_same_cells_as_with_fractions(seed, monkeypatch):
    rng = random.Random(seed)
    rows, parents = hierarchy(rng)
    for threshold in (1, 3, 5, 10, 11, 20):
        now = both(rows, parents, threshold)
        with monkeypatch.context() as m:
            m.setattr(suppression, "recomputable", recomputable_fractions)
            before = both(rows, parents, threshold)
        assert now == before, (seed, threshold)
        rate = {"threshold": threshold, "counts": ("n", "count", "other"),
                "splits": (("n", ("count", "other")),), "units": (("n", "count", "other"),)}
        kids = {g: r for g, r in rows.items() if parents.get(g) == "M"}
        now = suppression.groups(kids, rows["M"], **rate)
        with monkeypatch.context() as m:
            m.setattr(suppression, "recomputable", recomputable_fractions)
            assert suppression.groups(kids, rows["M"], **rate) == now


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 11), st.lists(st.integers(0, 11), min_size=1,
                                                       max_size=6, unique=True)),
                min_size=1, max_size=14),
       st.sets(st.integers(0, 11)))
def test_recomputable_is_the_same_as_with_fractions(equations, hidden):
    """Any equations (a cell may be a part twice over lines, a total may be its own part)
    and any hidden cells: the same cells worked out, whole numbers or Fractions."""
    cells = list(range(12))
    assert suppression.recomputable(cells, equations, hidden) == recomputable_fractions(
        cells, equations, hidden)


def test_the_reference_can_tell_a_difference():
    """The hidden cell alone in a line is worked out; two in every line are not."""
    cells = ["t", "a", "b"]
    equations = [("t", ["a", "b"])]
    assert suppression.recomputable(cells, equations, {"a"}) == {"a"}
    assert suppression.recomputable(cells, equations, {"a", "b"}) == set()
    assert recomputable_fractions(cells, equations, {"a"}) == {"a"}
