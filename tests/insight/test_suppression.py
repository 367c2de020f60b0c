"""Suppression on margins: no count below the threshold is shown, and no hidden cell can be
recomputed from the totals and the cells shown. `determined` below is the test's own
check (dense Gaussian elimination, independent of suppression.recomputable): a hidden
cell is known exactly when adding "this cell" to the equations over the hidden cells does
not raise their rank."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jeugdketen.insight import suppression

T = 10


def rank(matrix):
    rows = [list(map(Fraction, r)) for r in matrix]
    rank_ = 0
    for c in range(len(rows[0]) if rows else 0):
        pivot = next((i for i in range(rank_, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[rank_], rows[pivot] = rows[pivot], rows[rank_]
        for i in range(len(rows)):
            if i != rank_ and rows[i][c] != 0:
                f = rows[i][c] / rows[rank_][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank_])]
        rank_ += 1
    return rank_


def determined(equations, hidden):
    """The hidden cells a reader can compute exactly from the shown cells."""
    unknown = sorted(hidden, key=repr)
    matrix = []
    for total, parts in equations:
        row = [(1 if k == total else 0) - sum(1 for p in parts if p == k) for k in unknown]
        if any(row):
            matrix.append(row)
    base = rank(matrix) if matrix else 0
    found = set()
    for i, k in enumerate(unknown):
        unit = [1 if j == i else 0 for j in range(len(unknown))]
        if (rank([*matrix, unit]) if matrix else 1) == base:
            found.add(k)
    return found


def margins(rows):
    """The equations of a 2-D table with a total column and a total row."""
    columns = list(next(iter(rows.values())))
    all_rows = [*rows, "total"]
    equations = [((r, "total"), [(r, c) for c in columns]) for r in all_rows]
    equations += [(("total", c), [(r, c) for r in rows]) for c in [*columns, "total"]]
    return equations


def hidden_of(result):
    return {k for k, v in result.items() if v is None}


def assert_safe(rows, result, threshold=T):
    equations = margins(rows)
    hidden = hidden_of(result)
    # No small count shown, anywhere (cells and margins).
    assert not [v for v in result.values() if v is not None and 0 < v < threshold]
    # Every line hides none or at least two cells.
    for total, parts in equations:
        assert sum(1 for k in (total, *parts) if k in hidden) != 1, total
    # And no combination of lines gives a hidden cell back.
    assert determined(equations, hidden) == set()
    # What is shown is the true count.
    for (r, c), v in result.items():
        if v is not None and r != "total" and c != "total":
            assert v == rows[r][c]


def test_threshold_minus_one_hidden_threshold_shown():
    assert suppression.is_small(T - 1, T) and suppression.is_small(1, T)
    assert not suppression.is_small(T, T) and not suppression.is_small(0, T)
    assert suppression.listing({"a": T, "b": 30, "c": 40}, T) == {
        "a": T, "b": 30, "c": 40, "total": 80}
    assert suppression.listing({"a": T - 1, "b": 30, "c": 40}, T) == {
        "a": None, "b": None, "c": 40, "total": 79}  # b, the smallest other, with it


def test_list_total_vs_groups():
    # Two small groups protect each other; the total is shown.
    assert suppression.listing({"a": 3, "b": 4, "c": 40}, T) == {
        "a": None, "b": None, "c": 40, "total": 47}
    # A small total: everything in it is small too.
    assert suppression.listing({"a": 3, "b": 4}, T) == {"a": None, "b": None, "total": None}
    # One group only: the group is the total; both small, both hidden.
    assert suppression.listing({"a": 5}, T) == {"a": None, "total": None}


def test_zero_shown_unless_its_margin_is_small():
    assert suppression.listing({"a": 0, "b": 20, "c": 30}, T) == {
        "a": 0, "b": 20, "c": 30, "total": 50}
    # Row r has 3 people, all in column y: the 0 in column x would tell it.
    rows = {"r": {"x": 0, "y": 3}, "s": {"x": 20, "y": 25}, "u": {"x": 30, "y": 12}}
    result = suppression.table(rows, T)
    assert result[("r", "x")] is None and result[("r", "y")] is None
    assert result[("r", "total")] is None
    assert_safe(rows, result)
    # A zero is not taken as the partner when another cell can be.
    result = suppression.listing({"a": 0, "b": 5, "c": 30, "d": 11}, T)
    assert result == {"a": 0, "b": None, "c": 30, "d": None, "total": 46}


def test_table_one_small_cell_four_hidden_in_a_cycle():
    rows = {"a": {"x": 20, "y": 3, "z": 15}, "b": {"x": 12, "y": 30, "z": 11},
            "c": {"x": 40, "y": 25, "z": 18}}
    result = suppression.table(rows, T)
    assert hidden_of(result) == {("a", "y"), ("a", "z"), ("c", "y"), ("c", "z")}
    assert result[("a", "total")] == 38 and result[("total", "total")] == 174
    assert_safe(rows, result)


def test_bridge_between_two_cycles_is_caught():
    # Hidden cells in two 4-cycles linked by one cell: every line hides two or more, yet
    # the link is the sum of lines on one side (the classic trap of line-by-line rules).
    a, b, c, d, e, f = "abcdef"
    equations = margins({r: {"p": 1, "q": 1, "s": 1, "v": 1} for r in (a, b, c)})
    hidden = {(a, "p"), (a, "q"), (b, "p"), (b, "q"), (c, "s"), (c, "v"),
              ("total", "s"), ("total", "v"), (b, "s")}
    # Rows: a 2, b 3, c 2, total 2. Columns: p 2, q 2, s 3, v 2.
    assert determined(equations, hidden) == {(b, "s")}
    cells = {k: 1 for eq in equations for k in (eq[0], *eq[1])}
    assert suppression.recomputable(cells, equations, hidden) == {(b, "s")}
    protected = suppression.protect(cells, equations, hidden)
    assert hidden < protected and determined(equations, protected) == set()
    del d, e, f


def test_line_rule_alone_is_not_enough(monkeypatch):
    # Found among the random tables: hiding two or more per line leaves r1's c3 (3) to be
    # worked out by combining lines; the exact check gives it another partner.
    rows = {"r0": {"c0": 2, "c1": 12, "c2": 0, "c3": 9},
            "r1": {"c0": 80, "c1": 12, "c2": 12, "c3": 3},
            "r2": {"c0": 0, "c1": 10, "c2": 80, "c3": 3},
            "r3": {"c0": 0, "c1": 5, "c2": 12, "c3": 80}}
    assert_safe(rows, suppression.table(rows, T))
    monkeypatch.setattr(suppression, "recomputable", lambda *args: set())
    equations = margins(rows)
    cells = {(r, c): v for r, row in rows.items() for c, v in row.items()}
    for r in rows:
        cells[(r, "total")] = sum(rows[r].values())
    for c in [*rows["r0"], "total"]:
        cells[("total", c)] = sum(cells[(r, c)] for r in rows)
    hidden = suppression.protect(cells, equations,
                                 suppression.primary(cells, equations, cells, T))
    assert determined(equations, hidden) == {("r1", "c3")}


def test_what_is_hidden_at_a_threshold_stays_hidden_at_every_higher_one():
    """Two reads of one table, before and after the threshold is raised, show no cell the
    one hides and the other does not need: the hidden cells only grow."""
    rng = random.Random(7)
    for _ in range(40):
        rows = {f"r{i}": {f"c{j}": rng.choice([0, 1, 2, 5, 9, 10, 12, 20, 30, 80])
                          for j in range(4)} for i in range(4)}
        hidden = [hidden_of(suppression.table(rows, t)) for t in (3, 10, 21)]
        assert hidden[0] <= hidden[1] <= hidden[2], rows


@pytest.mark.parametrize("seed", range(300))
def test_random_tables_are_safe(seed):
    rng = random.Random(seed)
    rows = {f"r{i}": {f"c{j}": rng.choice([0, 0, 1, 2, 5, 9, 10, 12, 30, 80])
                      for j in range(rng.randint(1, 5))} for i in range(rng.randint(1, 5))}
    columns = list(rows["r0"])
    rows = {r: {c: row.get(c, rng.choice([0, 3, 40])) for c in columns} for r, row in rows.items()}
    assert_safe(rows, suppression.table(rows, T))


def test_groups_rates_units_and_rest():
    # Three groups and 5 trajectories in no group (the rest, taken as known).
    rows = {"a": {"n": 40, "count": 30, "other": 10}, "b": {"n": 30, "count": 25, "other": 5},
            "c": {"n": 50, "count": 20, "other": 30}}
    total = {"n": 125, "count": 77, "other": 48}
    hidden = suppression.groups(rows, total, threshold=T, counts=("n", "count", "other"),
                                splits=(("n", ("count", "other")),),
                                units=(("n", "count", "other"),))
    # b's other (5) is small: b hidden whole; a (the smaller count) with it.
    assert {g for g, _ in hidden} == {"a", "b"}
    assert hidden == {(g, c) for g in "ab" for c in ("n", "count", "other")}
    # At the threshold nothing is hidden.
    rows["b"] = {"n": 35, "count": 25, "other": 10}
    total = {"n": 130, "count": 77, "other": 53}
    assert suppression.groups(rows, total, threshold=T, counts=("n", "count", "other"),
                              splits=(("n", ("count", "other")),),
                              units=(("n", "count", "other"),)) == set()


@pytest.mark.parametrize("seed", range(100))
def test_random_rates_per_group_are_safe(seed):
    """Rates per group (n = count + other) with the scope total and a few trajectories in
    no group: no hidden n, count or other can be recomputed, no small count is shown, and
    a group is hidden whole."""
    rng = random.Random(seed)
    rows = {}
    for g in range(rng.randint(1, 6)):
        count, other = rng.choice([0, 2, 9, 10, 15, 40]), rng.choice([0, 1, 9, 10, 25, 60])
        rows[f"g{g}"] = {"n": count + other, "count": count, "other": other}
    rest = {"count": rng.choice([0, 2]), "other": rng.choice([0, 3])}
    rest["n"] = rest["count"] + rest["other"]
    total = {c: sum(r[c] for r in rows.values()) + rest[c] for c in ("n", "count", "other")}
    hidden = suppression.groups(rows, total, threshold=T, counts=("n", "count", "other"),
                                splits=(("n", ("count", "other")),),
                                units=(("n", "count", "other"),))
    names = [*rows, "", "rest"]
    values = {**rows, "": total, "rest": rest}
    equations = [(("", c), [(g, c) for g in [*rows, "rest"]]) for c in ("n", "count", "other")]
    equations += [((g, "n"), [(g, "count"), (g, "other")]) for g in names]
    assert determined(equations, hidden) == set()
    for g in ["", *rows]:
        parts = {(g, c) in hidden for c in ("n", "count", "other")}
        assert len(parts) == 1  # whole or not at all
        if (g, "n") not in hidden:
            assert not any(0 < values[g][c] < T for c in ("n", "count", "other"))


def hierarchy_equations(rows, parents, columns):
    """parent = its children + a rest the reader knows (here 0: the test's rows add up)."""
    children = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    return [((p, c), [(k, c) for k in kids]) for p, kids in children.items() for c in columns]


def test_areas_one_system_a_district_minus_its_shown_neighbourhood_gives_nothing():
    """Municipality M = districts D1 + D2; D1 = neighbourhoods A + B, D2 = C + E. B has 3
    (hidden): its partner is hidden in the one system, so M, D1, A, C, E asked as scopes
    of their own cannot be subtracted to give B."""
    rows = {"M": {"n": 70}, "D1": {"n": 23}, "D2": {"n": 47}, "A": {"n": 20}, "B": {"n": 3},
            "C": {"n": 30}, "E": {"n": 17}}
    parents = {"D1": "M", "D2": "M", "A": "D1", "B": "D1", "C": "D2", "E": "D2"}
    hidden = suppression.areas(rows, parents, threshold=T, counts=("n",), splits=(),
                               units=())
    assert ("B", "n") in hidden
    assert ("A", "n") in hidden  # D1's 23 - A's 20 would give B
    assert ("D1", "n") not in hidden and ("M", "n") not in hidden
    equations = hierarchy_equations(rows, parents, ["n"])
    assert determined(equations, hidden) == set()


def test_areas_hides_the_district_when_its_other_parts_are_too_few():
    """D1 = A 3 + B 4: both hidden, and then D1 (7, small) too; M = D1 + D2 then needs a
    partner for D1: D2 (large) is hidden, not M."""
    rows = {"M": {"n": 57}, "D1": {"n": 7}, "D2": {"n": 50}, "A": {"n": 3}, "B": {"n": 4},
            "C": {"n": 50}}
    parents = {"D1": "M", "D2": "M", "A": "D1", "B": "D1", "C": "D2"}
    hidden = suppression.areas(rows, parents, threshold=T, counts=("n",), splits=(),
                               units=())
    assert {("A", "n"), ("B", "n"), ("D1", "n"), ("D2", "n"), ("C", "n")} <= hidden
    assert ("M", "n") not in hidden
    assert determined(hierarchy_equations(rows, parents, ["n"]), hidden) == set()


@pytest.mark.parametrize("seed", range(20))
def test_random_hierarchies_are_safe(seed):
    """Rates over a municipality, its districts and their neighbourhoods (n = count +
    other in every area): no small count shown, no hidden cell determined."""
    rng = random.Random(seed)
    rows, parents = {}, {}
    for d in range(rng.randint(1, 4)):
        district = f"D{d}"
        parents[district] = "M"
        for b in range(rng.randint(1, 4)):
            hood = f"B{d}{b}"
            parents[hood] = district
            count, other = rng.choice([0, 1, 4, 12, 30]), rng.choice([0, 2, 9, 15, 40])
            rows[hood] = {"n": count + other, "count": count, "other": other}
    for district in [p for p in parents if p.startswith("D")]:
        kids = [k for k, p in parents.items() if p == district]
        rows[district] = {c: sum(rows[k][c] for k in kids) for c in ("n", "count", "other")}
    rows["M"] = {c: sum(rows[d][c] for d in parents if d.startswith("D"))
                 for c in ("n", "count", "other")}
    hidden = suppression.areas(rows, parents, threshold=T, counts=("n", "count", "other"),
                               splits=(("n", ("count", "other")),),
                               units=(("n", "count", "other"),))
    for a, row in rows.items():
        for c, v in row.items():
            assert (a, c) in hidden or not 0 < v < T, (a, c, v)
    equations = hierarchy_equations(rows, parents, ["n", "count", "other"])
    equations += [((a, "n"), [(a, "count"), (a, "other")]) for a in rows]
    assert determined(equations, hidden) == set()


# --- rounded flow counts (docs/insight.md, "Rounded flow counts") ------------------------------

counts = st.integers(min_value=0, max_value=10**7)
thresholds = st.integers(min_value=1, max_value=100)


@pytest.mark.parametrize(("value", "threshold", "shown"), [
    (0, 10, 0), (1, 10, None), (9, 10, None), (10, 10, 10), (14, 10, 10), (15, 10, 20),
    (24, 10, 20), (25, 10, 30), (13, 10, 10), (12, 10, 10), (None, 10, None),
    (7, 1, 7), (0, 1, 0), (7, 3, 6), (37, 25, 40), (38, 25, 40), (25, 25, 30),
    (24, 25, None), (99, 100, None), (150, 100, 150), (155, 100, 160)])
def test_rounded_hides_small_counts_and_rounds_the_rest_half_up(value, threshold, shown):
    """Hidden below the threshold; otherwise to a multiple of 10 at any threshold from 10
    on (of the threshold itself below 10, in hand-made stores only)."""
    assert suppression.rounded(value, threshold) == shown


@pytest.mark.parametrize("value", [10, 23, 37, 58, 99, 123, 456])
def test_one_count_read_at_every_threshold_gives_one_rounded_value(value):
    """The analyst may set the threshold from 10 to 100. Rounded to the threshold itself,
    23 read at 10, 11, 12 and 13 gives 20, 22, 24 and 26, and only 23 rounds to all four:
    the count exactly. Rounded to a fixed step, every threshold shows the same number or
    hides it."""
    shown = {suppression.rounded(value, t) for t in range(10, 101)}
    assert shown - {None} == {suppression.rounded(value, 10)}


@pytest.mark.parametrize(("value", "threshold"), [(-1, 10), (2.5, 10), (True, 10), (5, 0),
                                                  (5, -3), (5, 2.0)])
def test_rounded_refuses_what_is_not_a_count_or_a_threshold(value, threshold):
    with pytest.raises(ValueError):
        suppression.rounded(value, threshold)


@given(counts, thresholds)
def test_rounded_is_zero_hidden_or_a_multiple_of_the_step_near_the_count(value, threshold):
    shown = suppression.rounded(value, threshold)
    by = suppression.step(threshold)
    assert by == min(threshold, 10)
    if value == 0:
        assert shown == 0
    elif value < threshold:
        assert shown is None
    else:
        assert shown is not None and shown % by == 0 and shown >= threshold - by // 2
        assert abs(shown - value) * 2 <= by  # the nearest multiple
        if 2 * (value % by) == by:  # exactly half way: up
            assert shown > value


@given(counts, counts, thresholds)
def test_two_rounded_counts_differ_by_zero_or_a_multiple_of_the_step(a, b, threshold):
    x, y = suppression.rounded(a, threshold), suppression.rounded(b, threshold)
    by = suppression.step(threshold)
    if x is not None and y is not None:
        assert (x - y) % by == 0 and (x == y or abs(x - y) >= by)


@given(counts, counts, thresholds)
def test_rounded_is_monotone(a, b, threshold):
    low, high = sorted((a, b))
    x, y = suppression.rounded(low, threshold), suppression.rounded(high, threshold)
    if x is not None and y is not None:
        assert x <= y
