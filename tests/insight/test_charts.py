"""The insight charts: SVG from plain data, read back with xml.etree. Known numbers in,
known positions out; suppressed figures as words, never as bars; every text escaped;
nothing in, a "Geen gegevens" chart out."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from jeugdketen.core.errors import Refusal
from jeugdketen.insight import charts
from jeugdketen.insight.figures import Rate

NS = {"s": "http://www.w3.org/2000/svg"}
S = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    with translation.override("nl"):
        yield


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{S}svg"
    return root


def text_of(el: ET.Element) -> str:
    return "".join(el.itertext())


def texts(root: ET.Element) -> list[str]:
    return [text_of(t) for t in root.iter(f"{S}text")]


def classes(el: ET.Element) -> set[str]:
    return set(el.get("class", "").split())


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if name in classes(el)]


def group(root: ET.Element, code: str) -> ET.Element:
    found = [g for g in root.iter(f"{S}g") if g.get("data-group") == code]
    assert len(found) == 1, code
    return found[0]


def rate(group: str, label: str, n: int | None, value: float | None, low: float | None,
         high: float | None, *, suppressed: bool = False,
         provisional: bool = False) -> dict[str, Any]:
    count = None if n is None or value is None else round(n * value)
    return Rate("help_that_helps", group, label, n, count, value, low, high, suppressed,
                provisional).as_dict()


RATES = [
    rate("", "Utrecht", 400, 0.6, 0.55, 0.65),
    rate("WK01", "Noord", 120, 0.4, 0.2, 0.5),
    rate("WK02", "Zuid", None, None, None, None, suppressed=True),
    rate("WK03", "Oost", 80, 0.75, 0.64, 0.84, provisional=True),
]

STEPS: list[dict[str, Any]] = [
    {"key": "first_contact", "label": "Eerste contact", "count": 500, "wait_p50": None},
    {"key": "triage", "label": "Triage", "count": 480, "wait_p50": 3},
    {"key": "intake_planned", "label": "Intake gepland", "count": 400, "wait_p50": 12,
     "bottleneck": True},
    {"key": "help_started", "label": "Hulp gestart", "count": None, "wait_p50": None,
     "suppressed": True},
]
EDGES: list[dict[str, Any]] = [
    {"source": "first_contact", "target": "triage", "count": 480, "median_days": 3,
     "suppressed": False},
    {"source": "triage", "target": "intake_planned", "count": 400, "median_days": 12,
     "suppressed": False},
    {"source": "first_contact", "target": "help_started", "count": 20, "median_days": 9,
     "suppressed": False},
    {"source": "help_started", "target": "triage", "count": None, "median_days": None,
     "suppressed": True},
    {"source": "triage", "target": "triage", "count": 30, "median_days": 2,
     "suppressed": False},
]


def limits(p: float, ns: range) -> list[dict[str, float]]:
    """Normal-approximation funnel limits around p (what insight.stats gives, roughly)."""
    out = []
    for n in ns:
        se = math.sqrt(p * (1 - p) / n)
        out.append({"n": n, "low95": max(0.0, p - 1.96 * se), "high95": min(1.0, p + 1.96 * se),
                    "low998": max(0.0, p - 3.09 * se), "high998": min(1.0, p + 3.09 * se)})
    return out


WEEKS = ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02"]
SERIES: list[dict[str, Any]] = [
    {"key": "within", "label": "binnen de norm",
     "points": [{"week": w, "value": v, "suppressed": False}
                for w, v in zip(WEEKS, [20, 22, 24, 21, 19], strict=True)]},
    {"key": "past_norm", "label": "over de norm",
     "points": [{"week": w, "value": v, "suppressed": v is None}
                for w, v in zip(WEEKS, [12, 14, None, 15, 16], strict=True)]},
    {"key": "past_3x", "label": "over 3x de norm",
     "points": [{"week": w, "value": v, "suppressed": False}
                for w, v in zip(WEEKS, [0, 0, 10, 11, 12], strict=True)]},
]
COSTS: list[dict[str, Any]] = [
    {"group": "", "label": "Utrecht", "n": 300, "budgeted": 1_200_000, "spent": 1_100_000,
     "suppressed": False},
    {"group": "WK01", "label": "Noord", "n": 100, "budgeted": 400_000, "spent": 450_000,
     "suppressed": False},
    {"group": "WK02", "label": "Zuid", "n": None, "budgeted": None, "spent": None,
     "suppressed": True},
]


def all_charts(**kw: Any) -> dict[str, str]:
    p = 0.6
    points = [rate("BU1", "Noord", 200, 0.9, None, None),
              rate("BU2", "Zuid", 100, 0.6, None, None)]
    return {
        "stream": charts.value_stream_graph(STEPS, EDGES, threshold=10),
        "bars": charts.bars_with_intervals(RATES, threshold=10),
        "funnel": charts.funnel_plot(points, limits(p, range(10, 301, 10)), p, threshold=10),
        "weekly": charts.weekly_lines(SERIES, threshold=10),
        "costs": charts.cost_bars(COSTS, threshold=10),
    }


# ---- every chart ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["stream", "bars", "funnel", "weekly", "costs"])
def test_every_chart_is_an_accessible_scalable_svg(kind: str) -> None:
    root = parse(all_charts()[kind])
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert len(root.get("viewBox", "").split()) == 4
    title, desc = root.find("s:title", NS), root.find("s:desc", NS)
    assert title is not None and text_of(title).strip()
    assert desc is not None and text_of(desc).strip()
    # aria-labelledby names the title and the description, which carry those ids.
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    # One sentence: it ends with a full stop and has no other.
    summary = text_of(desc)
    assert summary.endswith(".") and ". " not in summary, summary
    # Text at 14 units; nothing smaller anywhere (the CSS keeps 14 units >= 12 px).
    assert root.get("font-size") == "14"
    assert all(float(el.get("font-size", "14")) >= 12 for el in root.iter())
    # No inline styles (the CSP forbids them); colours come with classes.
    assert not [el for el in root.iter() if el.get("style") is not None]
    assert f"jk-ic-chart--{kind}" in classes(root)


def test_the_same_input_gives_the_same_markup() -> None:
    assert all_charts() == all_charts()


def test_chart_ids_keep_two_charts_on_one_page_apart() -> None:
    one = parse(charts.bars_with_intervals(RATES, threshold=10, chart_id="kpi-1"))
    two = parse(charts.bars_with_intervals(RATES, threshold=10, chart_id="kpi 2\"><"))
    assert one.get("aria-labelledby") == "kpi-1-title kpi-1-desc"
    # Not given: from the data, so two charts differ and one chart stays the same.
    first = parse(charts.bars_with_intervals(RATES, threshold=10)).get("aria-labelledby", "")
    again = parse(charts.bars_with_intervals(RATES, threshold=10)).get("aria-labelledby", "")
    other = parse(charts.bars_with_intervals(RATES[:2], threshold=10)).get("aria-labelledby")
    assert first == again and first != other and first.startswith("jk-bars-")
    assert two.get("aria-labelledby") == "kpi-2----title kpi-2----desc"


@pytest.mark.parametrize("make", [
    lambda: charts.value_stream_graph([], [], threshold=10),
    lambda: charts.bars_with_intervals([], threshold=10),
    lambda: charts.funnel_plot([], [], None, threshold=10),
    lambda: charts.weekly_lines([], threshold=10),
    lambda: charts.weekly_lines([{"label": "x", "points": []}], threshold=10),
    lambda: charts.cost_bars([], threshold=10),
], ids=["stream", "bars", "funnel", "weekly", "weekly-no-points", "costs"])
def test_no_data_is_a_chart_that_says_so(make: Any) -> None:
    root = parse(make())
    assert root.get("role") == "img"
    assert "Geen gegevens" in texts(root)
    desc = root.find("s:desc", NS)
    assert desc is not None and "Geen gegevens" in text_of(desc)
    assert not root.findall(".//s:rect", NS) and not root.findall(".//s:polyline", NS)


NASTY = 'A <b>&amp; "B"</b> & <script>'


def test_every_text_is_escaped() -> None:
    p = 0.6
    made = [
        charts.value_stream_graph([{"key": "a", "label": NASTY, "count": 12}],
                                  [{"source": "a", "target": NASTY, "count": 11,
                                    "median_days": 1}], threshold=10, title=NASTY),
        charts.bars_with_intervals([rate("B<&>", NASTY, 40, 0.5, 0.4, 0.6)], threshold=10,
                                   title=NASTY),
        charts.funnel_plot([rate("B<&>", NASTY, 200, 0.99, None, None)],
                           limits(p, range(10, 201, 10)), p, threshold=10),
        charts.weekly_lines([{"label": NASTY, "points": [{"week": NASTY, "value": 3}]}],
                            threshold=10, y_label=NASTY),
        charts.cost_bars([{"group": "B<&>", "label": NASTY, "budgeted": 1, "spent": 2}],
                         threshold=10),
    ]
    for svg in made:
        assert "<script>" not in svg and "<b>" not in svg
        root = parse(svg)  # well-formed despite the label
        shown = texts(root) + [text_of(t) for t in root.iter(f"{S}title")]
        # The label comes back whole (a long one shortened with an ellipsis).
        assert any(t.startswith('A <b>&amp; "B"</b>') for t in shown), shown


# ---- bars with intervals ---------------------------------------------------------------


def test_one_bar_per_shown_group_with_its_whisker_at_the_scaled_position() -> None:
    root = parse(charts.bars_with_intervals(RATES, threshold=10))
    bars = by_class(root, "jk-ic-bar")
    assert len(bars) == 3  # Utrecht, Noord, Oost; Zuid is suppressed
    noord = group(root, "WK01")
    (bar,) = [el for el in noord.iter(f"{S}rect") if "jk-ic-bar" in classes(el)]
    # The axis runs from 0% at PLOT_X to 100% at PLOT_X + PLOT_W.
    assert float(bar.get("x", "")) == charts.PLOT_X
    assert float(bar.get("width", "")) == pytest.approx(0.4 * charts.PLOT_W, abs=0.05)
    (whisker,) = by_class(noord, "jk-ic-whisker")
    line = whisker.find("s:line", NS)
    assert line is not None
    assert float(line.get("x1", "")) == pytest.approx(charts.PLOT_X + 0.2 * charts.PLOT_W,
                                                      abs=0.05)
    assert float(line.get("x2", "")) == pytest.approx(charts.PLOT_X + 0.5 * charts.PLOT_W,
                                                      abs=0.05)
    # The caps stand at both ends.
    caps = whisker.findall("s:line", NS)[1:]
    assert [float(c.get("x1", "")) for c in caps] == [float(line.get("x1", "")),
                                                       float(line.get("x2", ""))]
    # Name, n and the numbers in words.
    words = texts(noord)
    assert "Noord" in words and "n = 120" in words and "40% (20–50%)" in words


def test_a_suppressed_group_is_words_not_a_bar() -> None:
    root = parse(charts.bars_with_intervals(RATES, threshold=15))
    zuid = group(root, "WK02")
    assert not zuid.findall(".//s:rect", NS)
    assert not by_class(zuid, "jk-ic-whisker")
    assert texts(zuid) == ["Zuid", "verborgen (minder dan 15)"]
    desc = root.find("s:desc", NS)
    assert desc is not None and "1 groep verborgen" in text_of(desc)


def test_secondary_suppression_says_why_without_claiming_the_group_is_small() -> None:
    hidden = dict(rate("WK02", "Zuid", None, None, None, None, suppressed=True),
                  suppressed_reason="secondary")
    root = parse(charts.bars_with_intervals([hidden], threshold=10))
    assert "verborgen (anders is een kleine groep te herleiden)" in texts(group(root, "WK02"))


def test_the_total_is_a_reference_line_and_provisional_is_said_in_words() -> None:
    root = parse(charts.bars_with_intervals(RATES, threshold=10))
    (line,) = by_class(root, "jk-ic-reference")
    assert float(line.get("x1", "")) == pytest.approx(charts.PLOT_X + 0.6 * charts.PLOT_W,
                                                      abs=0.05)
    assert "totaal 60%" in texts(root)
    oost = group(root, "WK03")
    assert "voorlopig" in texts(oost)
    assert "jk-ic-bar--provisional" in classes(by_class(oost, "jk-ic-bar")[0])
    desc = root.find("s:desc", NS)
    assert desc is not None
    assert text_of(desc).startswith("2 groepen met de waarde en het 95%-interval; "
                                    "hoogste Oost (75%), laagste Noord (40%); totaal 60%")


def test_numbers_that_are_not_shares_get_a_round_axis() -> None:
    days = [{"group": "BU1", "label": "Noord", "n": 50, "value": 21.0, "low": 14.0,
             "high": 37.0},
            {"group": "BU2", "label": "Zuid", "n": 60, "value": 10.0, "low": 8.0,
             "high": 12.0}]
    root = parse(charts.bars_with_intervals(days, threshold=10, percent=False))
    ticks = [text_of(t) for t in by_class(root, "jk-ic-tick")]
    assert ticks == ["0", "10", "20", "30", "40"]
    (whisker,) = by_class(group(root, "BU1"), "jk-ic-whisker")
    line = whisker.find("s:line", NS)
    assert line is not None
    assert float(line.get("x2", "")) == pytest.approx(
        charts.PLOT_X + 37 / 40 * charts.PLOT_W, abs=0.05)


@pytest.mark.parametrize(("row", "field"), [
    ({"group": "a", "n": 10, "value": "veel"}, "rates[0].value"),
    ({"group": "a", "n": 10, "value": 1.5}, "rates[0].value"),
    ({"group": "a", "n": -1, "value": 0.5}, "rates[0].n"),
    ({"group": "a", "n": 10, "value": 0.5, "low": 0.6, "high": 0.4}, "rates[0].low"),
    ({"group": "a", "n": 10, "value": True}, "rates[0].value"),
])
def test_bad_input_is_refused_naming_the_field(row: dict[str, Any], field: str) -> None:
    with pytest.raises(Refusal) as refused:
        charts.bars_with_intervals([row], threshold=10)
    assert refused.value.field == field
    assert refused.value.is_invalid_input


def test_the_threshold_must_be_given_as_a_whole_number() -> None:
    with pytest.raises(Refusal) as refused:
        charts.bars_with_intervals(RATES, threshold=0)
    assert refused.value.field == "threshold"
    with pytest.raises(Refusal):
        charts.cost_bars(COSTS, threshold="10")  # type: ignore[arg-type]
    with pytest.raises(Refusal) as refused:
        charts.bars_with_intervals("not a list", threshold=10)  # type: ignore[arg-type]
    assert refused.value.field == "rates"
    with pytest.raises(Refusal) as refused:
        charts.bars_with_intervals([1], threshold=10)  # type: ignore[list-item]
    assert refused.value.field == "rates[0]"


# ---- funnel plot -------------------------------------------------------------------------


def funnel(points: list[dict[str, Any]], curve: list[dict[str, float]],
           overall: float | dict[str, Any] | None = 0.6) -> ET.Element:
    return parse(charts.funnel_plot(points, curve, overall, threshold=10))


def curve_points(root: ET.Element, level: str, side: str) -> list[tuple[float, float]]:
    (line,) = [el for el in by_class(root, f"jk-ic-limit--{level}")
               if el.tag == f"{S}polyline" and el.get("data-side") == side]
    return [(float(x), float(y)) for x, y in
            (pair.split(",") for pair in line.get("points", "").split())]


def test_funnel_limits_narrow_with_n_even_when_given_out_of_order() -> None:
    curve = limits(0.6, range(10, 501, 10))
    root = funnel([rate("BU1", "Noord", 100, 0.6, None, None)], list(reversed(curve)))
    for level in ("95", "998"):
        high = curve_points(root, level, "high")
        low = curve_points(root, level, "low")
        assert [x for x, _y in high] == sorted(x for x, _y in high)
        # SVG y grows downwards: the upper limit comes down, the lower one goes up.
        assert all(a[1] <= b[1] for a, b in itertools.pairwise(high))
        assert all(a[1] >= b[1] for a, b in itertools.pairwise(low))
        assert high[-1][1] < low[-1][1]  # and they never cross
    # The 99.8% limits lie outside the 95% ones.
    assert all(o[1] <= i[1] for o, i in zip(curve_points(root, "998", "high"),
                                            curve_points(root, "95", "high"), strict=True))


def test_points_outside_the_limits_are_marked_by_shape_and_named() -> None:
    p = 0.6
    curve = limits(p, range(10, 401, 10))
    se = math.sqrt(p * (1 - p) / 400)
    points = [
        rate("BU1", "Hoog", 400, p + 4 * se, None, None),  # above 99.8%
        rate("BU2", "Laag", 400, p - 2.5 * se, None, None),  # below 95%, not 99.8%
        rate("BU3", "Gewoon", 400, p + 0.5 * se, None, None),  # within
        rate("BU4", "Klein", None, None, None, None, suppressed=True),
    ]
    root = funnel(points, curve)
    (hoog,) = [el for el in root.iter() if el.get("data-group") == "BU1"]
    (laag,) = [el for el in root.iter() if el.get("data-group") == "BU2"]
    (gewoon,) = [el for el in root.iter() if el.get("data-group") == "BU3"]
    assert hoog.tag == laag.tag == f"{S}polygon"
    assert gewoon.tag == f"{S}circle"
    assert {"jk-ic-point--high", "jk-ic-point--extreme"} <= classes(hoog)
    assert "jk-ic-point--low" in classes(laag) and "jk-ic-point--extreme" not in classes(laag)
    # The triangle points the way it lies: up above, down below.
    hoog_y = [float(p.split(",")[1]) for p in hoog.get("points", "").split()]
    laag_y = [float(p.split(",")[1]) for p in laag.get("points", "").split()]
    assert hoog_y[0] < min(hoog_y[1:]) and laag_y[0] > max(laag_y[1:])
    # Only the ones outside are named on the chart; every point has its tooltip.
    names = [text_of(t) for t in by_class(root, "jk-ic-point__label")]
    assert names == ["Hoog", "Laag"]
    assert text_of(gewoon).startswith("Gewoon: ")
    words = texts(root)
    assert "1 groep niet getekend: verborgen (minder dan 10)." in words
    desc = root.find("s:desc", NS)
    assert desc is not None
    assert text_of(desc) == ("3 groepen rond het totaal van 60%; boven de grenzen: Hoog; "
                             "onder de grenzen: Laag; 1 groep verborgen.")


def test_a_points_own_limits_win_over_the_curve() -> None:
    point = dict(rate("BU1", "Eigen", 100, 0.7, None, None), low95=0.5, high95=0.65,
                 low998=0.45, high998=0.75)
    root = funnel([point], limits(0.6, range(10, 201, 10)))
    (el,) = [e for e in root.iter() if e.get("data-group") == "BU1"]
    # By the curve 0.7 at n=100 lies inside the 95% limits (0.6 +- 0.096); by its own not.
    assert classes(el) >= {"jk-ic-point--high"} and "jk-ic-point--extreme" not in classes(el)


def test_points_sit_at_their_n_and_rate() -> None:
    root = funnel([rate("BU1", "Noord", 150, 0.65, None, None)],
                  limits(0.6, range(10, 301, 10)), {"value": 0.6})
    (circle,) = [e for e in root.iter() if e.get("data-group") == "BU1"]
    ticks = [text_of(t) for t in by_class(root, "jk-ic-tick")]
    assert ticks[:4] == ["0", "100", "200", "300"]  # n axis, then the rate axis
    assert float(circle.get("cx", "")) == pytest.approx(
        charts.F_X0 + (charts.F_X1 - charts.F_X0) * 150 / 300, abs=0.05)
    (overall,) = [e for e in by_class(root, "jk-ic-reference")
                  if e.get("x2") == str(charts.F_X1)]
    # The rate axis runs 0% .. 100% here (the limits at n = 10 reach 12% and 100%).
    assert [text_of(t) for t in by_class(root, "jk-ic-tick")][4:] == [
        "0%", "20%", "40%", "60%", "80%", "100%"]

    def y_at(v: float) -> float:
        return charts.F_Y1 - (charts.F_Y1 - charts.F_Y0) * v

    assert float(overall.get("y1", "")) == pytest.approx(y_at(0.6), abs=0.05)
    assert float(circle.get("cy", "")) == pytest.approx(y_at(0.65), abs=0.05)


def test_a_funnel_with_only_suppressed_groups_says_so() -> None:
    root = funnel([rate("BU1", "Klein", None, None, None, None, suppressed=True)], [], 0.5)
    assert "1 groep niet getekend: verborgen (minder dan 10)." in texts(root)
    assert not by_class(root, "jk-ic-point")
    desc = root.find("s:desc", NS)
    assert desc is not None
    assert text_of(desc) == "Geen groep getekend; totaal 50%; 1 groep verborgen."


def test_funnel_refuses_a_rate_above_one() -> None:
    with pytest.raises(Refusal) as refused:
        charts.funnel_plot([], [{"n": 10, "low95": 0.1, "high95": 1.2}], 0.5, threshold=10)
    assert refused.value.field == "limits[0].high95"
    with pytest.raises(Refusal) as refused:
        charts.funnel_plot([], [{"low95": 0.1}], 0.5, threshold=10)
    assert refused.value.field == "limits[0].n"


# ---- lines per week ---------------------------------------------------------------------


def test_weekly_lines_one_per_series_with_a_gap_for_a_suppressed_week() -> None:
    root = parse(charts.weekly_lines(SERIES, threshold=10))
    plotted = [g for g in root.iter(f"{S}g") if g.get("data-series") is not None]
    assert [g.get("data-series") for g in plotted] == ["0", "1", "2"]
    lines = [g.findall("s:polyline", NS) for g in plotted]
    assert [len(ls) for ls in lines] == [1, 2, 1]  # "over de norm" broken at week 3
    assert [len(ls[0].get("points", "").split()) for ls in lines] == [5, 2, 5]
    # Each line its own dash pattern and point shape (not colour alone).
    dashes = [ls[0].get("stroke-dasharray") for ls in lines]
    assert len(set(dashes)) == 3
    shapes = [next(el.tag for el in g if "jk-ic-series__point" in classes(el))
              for g in plotted]
    assert len({(s, d) for s, d in zip(shapes, dashes, strict=True)}) == 3
    words = texts(root)
    assert {"binnen de norm", "over de norm", "over 3x de norm"} <= set(words)
    assert "5 Jan 2026" in words and "12 Jan" in words  # the Monday, the year once
    assert "Een onderbroken lijn: die week is verborgen (minder dan 10)." in words
    desc = root.find("s:desc", NS)
    assert desc is not None
    assert text_of(desc) == ("3 lijnen over 5 weken (5 Jan 2026 tot 2 Feb 2026); in de laatste week: "
                             "binnen de norm 19, over de norm 16, over 3x de norm 12; weken "
                             "zonder punt zijn verborgen.")


def test_weekly_points_at_scaled_heights() -> None:
    root = parse(charts.weekly_lines(SERIES[:1], threshold=10))
    ticks = [text_of(t) for t in by_class(root, "jk-ic-tick")]
    assert ticks[:4] == ["0", "10", "20", "30"]
    (line,) = root.findall(".//s:polyline", NS)
    ys = [float(p.split(",")[1]) for p in line.get("points", "").split()]
    expected = [charts.L_Y1 - (charts.L_Y1 - charts.L_Y0) * v / 30 for v in [20, 22, 24, 21, 19]]
    assert ys == pytest.approx(expected, abs=0.05)


# ---- costs --------------------------------------------------------------------------------


def test_cost_bars_budgeted_and_spent_per_group_in_words() -> None:
    root = parse(charts.cost_bars(COSTS, threshold=10))
    noord = group(root, "WK01")
    budgeted = by_class(noord, "jk-ic-cost--budgeted")
    spent = by_class(noord, "jk-ic-cost--spent")
    assert len(budgeted) == len(spent) == 1
    # Axis 0 .. 1.5 million (round steps of half a million).
    assert float(spent[0].get("width", "")) == pytest.approx(450_000 / 1_500_000 * charts.C_PLOT_W,
                                                             abs=0.05)
    assert budgeted[0].get("stroke-dasharray")  # outlined and dashed, not only lighter
    assert {"begroot € 400.000", "besteed € 450.000", "n = 100"} <= set(texts(noord))
    zuid = group(root, "WK02")
    assert not zuid.findall(".//s:rect", NS)
    assert "verborgen (minder dan 10)" in texts(zuid)
    desc = root.find("s:desc", NS)
    assert desc is not None
    assert text_of(desc) == ("Begroot en besteed voor 1 groep; het meest besteed: Noord "
                             "(€ 450.000); meer besteed dan begroot: Noord; 1 groep verborgen.")


# ---- value stream ------------------------------------------------------------------------


def test_value_stream_boxes_in_order_with_counts_and_waits() -> None:
    root = parse(charts.value_stream_graph(STEPS, EDGES, threshold=10))
    steps = [g for g in root.iter(f"{S}g") if g.get("data-step")]
    assert [g.get("data-step") for g in steps] == [s["key"] for s in STEPS]
    xs = [float(g.find("s:rect", NS).get("x", "")) for g in steps]  # type: ignore[union-attr]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert texts(steps[1]) == ["Triage", "480 trajecten", "wacht 3 d"]
    assert texts(steps[2]) == ["Intake gepland", "400 trajecten", "wacht 12 d", "knelpunt"]
    assert "jk-ic-step--bottleneck" in classes(steps[2])
    assert texts(steps[3]) == ["Hulp gestart", "verborgen"]
    desc = root.find("s:desc", NS)
    assert desc is not None
    assert text_of(desc) == (
        "4 stappen van Eerste contact tot Hulp gestart; de meeste trajecten bij Eerste "
        "contact (500); de langste mediane wachttijd vóór Intake gepland (12 dagen); "
        "knelpunt: Intake gepland; 5 overgangen tussen stappen.")


def edge(root: ET.Element, source: str, target: str) -> ET.Element:
    (found,) = [g for g in root.iter(f"{S}g")
                if g.get("data-source") == source and g.get("data-target") == target]
    return found


def test_value_stream_arrows_straight_arced_or_hidden() -> None:
    root = parse(charts.value_stream_graph(STEPS, EDGES, threshold=10))
    box_top = min(float(r.get("y", "")) for r in by_class(root, "jk-ic-step__box"))
    box_bottom = box_top + float(by_class(root, "jk-ic-step__box")[0].get("height", ""))

    def path_ys(g: ET.Element) -> list[float]:
        path = g.find("s:path", NS)
        assert path is not None
        numbers = path.get("d", "").replace("M", " ").replace("C", " ").replace("L", " ")
        return [float(pair.split(",")[1]) for pair in numbers.split()]

    nxt = edge(root, "first_contact", "triage")
    assert len(set(path_ys(nxt))) == 1  # straight, at the boxes' middle
    assert texts(nxt) == ["480×", "3 d"]
    skip = edge(root, "first_contact", "help_started")
    assert max(path_ys(skip)) <= box_top  # above the row
    assert texts(skip) == ["20× · 9 d"]
    back = edge(root, "help_started", "triage")
    assert min(path_ys(back)) >= box_bottom  # below the row
    assert texts(back) == ["verborgen"]
    assert back.find("s:path", NS).get("stroke-dasharray")  # type: ignore[union-attr]
    loop = edge(root, "triage", "triage")
    assert min(path_ys(loop)) >= box_bottom
    assert texts(loop) == ["30× · 2 d"]
    # The busiest arrow is the thickest.
    widths = {(g.get("data-source"), g.get("data-target")):
              float(g.find("s:path", NS).get("stroke-width", ""))  # type: ignore[union-attr]
              for g in root.iter(f"{S}g") if g.get("data-source")}
    assert max(widths, key=lambda k: widths[k]) == ("first_contact", "triage")
    # Every arrow has its head, defined once in this chart.
    (marker,) = root.findall(".//s:marker", NS)
    assert all(p.get("marker-end") == f"url(#{marker.get('id')})"
               for p in by_class(root, "jk-ic-edge__line"))


def test_a_directly_follows_graph_from_edges_alone() -> None:
    edges = [{"source": "care_report.received", "target": "triage.decided", "count": 40,
              "median_days": 2.5, "suppressed": False}]
    root = parse(charts.value_stream_graph([], edges, threshold=10))
    steps = [g.get("data-step") for g in root.iter(f"{S}g") if g.get("data-step")]
    assert steps == ["care_report.received", "triage.decided"]
    assert texts(edge(root, "care_report.received", "triage.decided")) == ["40×", "2,5 d"]


def test_value_stream_refuses_an_edge_without_an_end() -> None:
    with pytest.raises(Refusal) as refused:
        charts.value_stream_graph(STEPS, [{"source": "triage", "count": 3}], threshold=10)
    assert refused.value.field == "edges[0].target"


def test_in_english_the_same_chart_in_english_words() -> None:
    with translation.override("en"):
        root = parse(charts.bars_with_intervals(RATES, threshold=10))
    # Numbers follow the language; the chart still parses and keeps its structure.
    assert len(by_class(root, "jk-ic-bar")) == 3
    assert "40% (20–50%)" in texts(group(root, "WK01"))


# ---- the shapes the figures give (insight.value_stream, waiting, costs, stats) -----------


def spread(p50: float | None, *, suppressed: bool = False) -> dict[str, Any]:
    return {"key": "wait_days", "group": "", "label": "", "n": None if suppressed else 40,
            "p50": p50, "p90": None, "share_within": None, "suppressed": suppressed,
            "provisional": False}


def test_value_stream_reads_step_figures_with_labels_and_the_bottleneck_by_key() -> None:
    steps: list[dict[str, Any]] = [
        {"key": "first_contact", "reached": 120, "wait": spread(None),
         "time_in_step": spread(4), "wip_now": 12, "suppressed": False},
        {"key": "triage", "reached": 110, "wait": spread(4.5), "time_in_step": spread(9),
         "wip_now": 10, "suppressed": False},
        {"key": "intake_held", "reached": None, "wait": spread(None, suppressed=True),
         "time_in_step": spread(None, suppressed=True), "wip_now": None, "suppressed": True},
    ]
    labels = {"first_contact": "Eerste contact", "triage": "Triage"}
    root = parse(charts.value_stream_graph(steps, [], threshold=10, labels=labels,
                                           bottleneck="triage"))
    boxes = [g for g in root.iter(f"{S}g") if g.get("data-step")]
    assert [texts(g) for g in boxes] == [
        ["Eerste contact", "120 trajecten"],
        ["Triage", "110 trajecten", "wacht 4,5 d", "knelpunt"],
        ["intake_held", "verborgen"],  # no label given: its key
    ]
    # Steps without edges: plain arrows from each step to the next, without numbers.
    arrows = [g for g in root.iter(f"{S}g") if g.get("data-source")]
    assert [(g.get("data-source"), g.get("data-target")) for g in arrows] == [
        ("first_contact", "triage"), ("triage", "intake_held")]
    assert all(texts(g) == [] for g in arrows)
    assert not [t for t in texts(root) if t.startswith("Bij een pijl")]
    desc = root.find("s:desc", NS)
    assert desc is not None and text_of(desc).endswith("knelpunt: Triage.")


def test_a_directly_follows_graph_runs_left_to_right_in_the_order_of_its_arrows() -> None:
    # Edge.as_dict() of insight.value_stream.directly_follows, busiest first.
    edges = [
        {"source": "care_report.triaged", "target": "intake.planned", "trajectories": 50,
         "occurrences": 52, "median_days": 3.0},
        {"source": "care_report.received", "target": "care_report.triaged", "trajectories": 45,
         "occurrences": 45, "median_days": 1.0},
        {"source": "intake.planned", "target": "intake.held", "trajectories": 40,
         "occurrences": 41, "median_days": 6.0},
        {"source": "intake.held", "target": "intake.planned", "trajectories": 12,
         "occurrences": 12, "median_days": 2.0},
        {"source": "care_report.received", "target": "intake.planned", "trajectories": 11,
         "occurrences": 11, "median_days": 4.0},
    ]
    root = parse(charts.value_stream_graph([], edges, threshold=10))
    order = [g.get("data-step") for g in root.iter(f"{S}g") if g.get("data-step")]
    assert order == ["care_report.received", "care_report.triaged", "intake.planned",
                     "intake.held"]
    # A long activity name breaks after its dot; the boxes only as tall as they need.
    first = next(g for g in root.iter(f"{S}g") if g.get("data-step"))
    assert texts(first) == ["care_report.", "received"]
    assert {r.get("height") for r in by_class(root, "jk-ic-step__box")} == {"52"}
    # The number beside an arrow is how often the transition happened.
    assert texts(edge(root, "care_report.triaged", "intake.planned")) == ["50×", "3 d"]  # trajectories, as the table beside it
    assert texts(edge(root, "intake.held", "intake.planned")) == ["12× · 2 d"]  # back: below
    again = parse(charts.value_stream_graph([], list(reversed(edges)), threshold=10))
    assert [g.get("data-step") for g in again.iter(f"{S}g") if g.get("data-step")] == order


def test_funnel_takes_the_position_the_figure_gives_and_counts_the_hidden() -> None:
    # insight.stats.funnel: points with their position, suppressed groups left out.
    points = [{"group": "BU1", "label": "Noord", "n": 100, "count": 60, "value": 0.6,
               "position": "high95"}]
    root = parse(charts.funnel_plot(points, limits(0.6, range(10, 111, 10)), 0.6,
                                    threshold=12, hidden=2))
    (el,) = [e for e in root.iter() if e.get("data-group") == "BU1"]
    assert "jk-ic-point--high" in classes(el)  # as given, though 0.6 is the overall rate
    assert "2 groepen niet getekend: verborgen (minder dan 12)." in texts(root)
    with pytest.raises(Refusal) as refused:
        charts.funnel_plot([dict(points[0], position="boven")], [], 0.6, threshold=10)
    assert refused.value.field == "points[0].position"
    with pytest.raises(Refusal) as refused:
        charts.funnel_plot(points, [], 0.6, threshold=10, hidden=-1)
    assert refused.value.field == "hidden"


def test_waiting_series_from_the_waiting_weeks() -> None:
    def row(step: str, within: int | None, past: int | None, past3: int | None,
            no_norm: int | None = 0) -> dict[str, Any]:
        return {"step": step, "group": "", "label": "", "total": None, "within": within,
                "past_norm": past, "past_3x": past3, "no_norm": no_norm}

    weeks = [
        {"week": "2025-W52", "on": "2025-12-28",
         "rows": [row("received", 5, 1, 0), row("total", 20, 12, None)]},
        {"week": "2026-W01", "on": "2026-01-04", "rows": [row("total", 22, 14, 11)]},
    ]
    series = charts.waiting_series(weeks)
    assert [s["key"] for s in series] == ["within", "past_norm", "past_3x"]  # no_norm all 0
    assert [s["label"] for s in series] == ["binnen de norm", "over de norm", "over 3x de norm"]
    assert series[2]["points"] == [
        {"week": "2025-W52", "value": None, "suppressed": True},
        {"week": "2026-W01", "value": 11, "suppressed": False}]
    root = parse(charts.weekly_lines(series, threshold=10))
    ticks = [text_of(t) for t in by_class(root, "jk-ic-tick")]
    # ISO weeks shown as their Monday, the year where it starts or changes.
    assert ticks[-2:] == ["22 Dec 2025", "29 Dec"]
    assert charts.waiting_series(weeks, step="received")[0]["points"][1] == {
        "week": "2026-W01", "value": None, "suppressed": False}  # no row: no data, not hidden


def test_wip_series_a_line_per_step() -> None:
    weeks: list[dict[str, Any]] = [{"week": "2026-W02", "on": "2026-01-11", "counts": {"triage": 12, "intake": None},
              "total": None},
             {"week": "2026-W03", "on": "2026-01-18", "counts": {"triage": 14, "intake": 10},
              "total": 24}]
    series = charts.wip_series(weeks, {"triage": "Triage"})
    assert [(s["key"], s["label"]) for s in series] == [("triage", "Triage"),
                                                        ("intake", "intake")]
    assert series[1]["points"][0] == {"week": "2026-W02", "value": None, "suppressed": True}
    with pytest.raises(Refusal) as refused:
        charts.wip_series([{"week": "2026-W02", "counts": 3}])
    assert refused.value.field == "weeks[0].counts"


def test_cost_bars_read_cost_rows_with_the_cost_of_a_result() -> None:
    rows: list[dict[str, Any]] = [
        {"key": "costs", "group": "", "label": "Utrecht", "n": 200, "helped": 120,
         "budget_per_trajectory": 10_000.0, "spent_per_trajectory": 9_000.0,
         "spent_per_helped": 15_000.0, "spent_on_helped": 8_000.0, "suppressed": False,
         "provisional": False},
        {"key": "costs", "group": "WK01", "label": "Noord", "n": None, "helped": None,
         "budget_per_trajectory": None, "spent_per_trajectory": None,
         "spent_per_helped": None, "spent_on_helped": None, "suppressed": True,
         "provisional": False},
    ]
    root = parse(charts.cost_bars(rows, threshold=10, chart_id="c"))
    total = group(root, "")
    assert [sorted(classes(r))[-1] for r in total.iter(f"{S}rect")] == [
        "jk-ic-cost--budgeted", "jk-ic-cost--spent", "jk-ic-cost--per-helped"]
    hatched = by_class(total, "jk-ic-cost--per-helped")[0]
    assert hatched.get("fill") == "url(#c-hatch)"
    assert root.find(".//s:pattern[@id='c-hatch']", NS) is not None
    assert {"begroot € 10.000", "besteed € 9.000", "per traject dat hielp € 15.000"} <= set(
        texts(total))
    # Axis 0 .. 15.000 in steps of 5.000.
    assert float(hatched.get("width", "")) == pytest.approx(charts.C_PLOT_W, abs=0.05)
    assert texts(group(root, "WK01")) == ["Noord", "verborgen (minder dan 10)"]


# ---- the figures' own dataclasses, as the pages pass them -------------------------------


def test_charts_take_the_figures_as_dict_as_they_are() -> None:
    from datetime import date

    from jeugdketen.insight import stats
    from jeugdketen.insight.costs import CostRow
    from jeugdketen.insight.figures import Spread
    from jeugdketen.insight.value_stream import STEP_LABELS, Edge, StepFigure, WipWeek
    from jeugdketen.insight.waiting import WaitingRow, WaitingWeek

    def wait(p50: float | None) -> Spread:
        return Spread("wait_days", "", "", None if p50 is None else 30, p50, None)

    steps = [StepFigure("first_contact", 40, wait(None), wait(3), 5),
             StepFigure("triage", 35, wait(3), wait(6), 4),
             StepFigure("intake_planned", None, Spread("wait_days", "", "", None, None, None,
                                                       suppressed=True),
                        wait(None), None, suppressed=True)]
    root = parse(charts.value_stream_graph([s.as_dict() for s in steps], [], threshold=10,
                                           labels=STEP_LABELS, bottleneck="triage"))
    assert [texts(g) for g in root.iter(f"{S}g") if g.get("data-step")] == [
        ["Eerste contact", "40 trajecten"], ["Triage", "35 trajecten", "wacht 3 d", "knelpunt"],
        ["Intake gepland", "verborgen"]]

    edges = [Edge("care_report.received", "care_report.triaged", 30, 30, 2.0,
                  rounded_to=10)]
    root = parse(charts.value_stream_graph([], [e.as_dict() for e in edges], threshold=10))
    assert texts(edge(root, "care_report.received", "care_report.triaged")) == ["30×", "2 d"]  # trajectories, as the table beside it

    rates = [Rate("help_that_helps", "", "Stad", 300, 180, 0.6, 0.54, 0.65),
             Rate("help_that_helps", "BU1", "A-buurt", 200, 170, 0.85, 0.8, 0.89),
             Rate("help_that_helps", "BU2", "B-buurt", 100, 58, 0.58, 0.48, 0.67),
             Rate("help_that_helps", "BU3", "C-buurt", None, None, None, None, None,
                  suppressed=True)]
    f = stats.funnel(rates)
    root = parse(charts.funnel_plot(f["points"], f["limits"], f["overall"], threshold=10,
                                    hidden=sum(r.suppressed for r in rates)))
    (a,) = [e for e in root.iter() if e.get("data-group") == "BU1"]
    assert "jk-ic-point--high" in classes(a)  # 85% of 200 against 60%: far above
    assert "1 groep niet getekend: verborgen (minder dan 10)." in texts(root)

    costs = [CostRow("costs", "", "Stad", 300, 180, 9_000.0, 8_000.0, 13_333.3, 7_000.0),
             CostRow("costs", "BU3", "C-buurt", None, None, None, None, None, None,
                     suppressed=True)]
    root = parse(charts.cost_bars([c.as_dict() for c in costs], threshold=10))
    assert "per traject dat hielp € 13.333" in texts(group(root, ""))

    waiting_weeks = [WaitingWeek("2026-W06", date(2026, 2, 8),
                                 [WaitingRow("total", "", "", 20, 12, 6, 2, 0)],
                                 [WaitingRow("received", "5", "Jeugdhulp Oost", 11, 7, None,
                                             None, 0)])]
    series = charts.waiting_series([w.as_dict() for w in waiting_weeks])
    assert [(s["key"], s["points"][0]["value"]) for s in series] == [
        ("within", 12), ("past_norm", 6), ("past_3x", 2)]
    series = charts.waiting_series([w.as_dict() for w in waiting_weeks], step="received",
                                   group="5")
    assert [(s["key"], s["points"][0]) for s in series] == [
        ("within", {"week": "2026-W06", "value": 7, "suppressed": False}),
        ("past_norm", {"week": "2026-W06", "value": None, "suppressed": True}),
        ("past_3x", {"week": "2026-W06", "value": None, "suppressed": True})]
    wip = [WipWeek("2026-W06", date(2026, 2, 8), {"triage": 4, "intake_planned": None}, None,
                   rounded_to=1)]
    series = charts.wip_series([w.as_dict() for w in wip], STEP_LABELS)
    assert [s["label"] for s in series] == ["Triage", "Intake gepland"]
    parse(charts.weekly_lines(series, threshold=10))


def test_a_funnel_where_every_rate_is_the_same_is_drawn() -> None:
    """0% or 100% everywhere: the limits collapse to one line; the chart still draws."""
    from jeugdketen.insight import stats
    from jeugdketen.insight.figures import Rate

    for value in (0.0, 1.0):
        count = int(value)
        rates = [Rate("x", g, g.upper() or "T", n, n * count, value, None, None)
                 for g, n in (("a", 20), ("b", 30), ("", 50))]
        funnel = stats.funnel(rates)
        svg = str(charts.funnel_plot(funnel["points"], funnel["limits"], funnel["overall"],
                                     threshold=10))
        ET.fromstring(svg)


def test_a_chart_rounds_as_the_table_beside_it() -> None:
    """Django's number_format cuts decimals off; the charts round, as the tables do."""
    from jeugdketen.insight.views import days, percent

    with translation.override("nl"):
        assert charts._pct(0.8095) == percent(0.8095) == "81%"
        assert charts._days(26.46) == days(26.46) == "26,5"
        assert charts._days(14.0) == days(14.0) == "14"
