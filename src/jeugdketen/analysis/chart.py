"""Server-rendered SVG line charts: per life domain, the professional's and the family's
own score over the repeated analyses (and the plan's T-score over the evaluations).

Readable without colour: the professional's line is solid with round points, the
family's line is dashed with square points, and every point carries its number (at one
date the higher point's number above it, the lower one's below it). Each chart has a title and a description in words,
and the page shows the same data in a table beside it. A latest score older than 30 days
is marked "verouderd" in the chart and in the table.

Every text in the markup is escaped (html.escape, as Django's escape does); the rest is numbers and
the fixed colours of this module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from typing import Any

from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jeugdketen.analysis.domains import ALL_DOMAINS, LEVELS, STALE_AFTER_DAYS, domains_for

STEP = 72  # horizontal distance between two analyses
LEFT = 34
RIGHT = 40
INSET = 14  # between the axis numbers and the first point
TOP = 20
PLOT = 100
BOTTOM = 50
PROFESSIONAL_COLOUR = "#1f4e79"
FAMILY_COLOUR = "#8a3b00"
TEXT_COLOUR = "#1a1a1a"
GRID_COLOUR = "#b8b8b8"


@dataclass
class Series:
    name: str
    values: Sequence[float | None]
    colour: str
    dashed: bool = False
    square: bool = False


def _num(value: float) -> str:
    if value == int(value):  # most coordinates are whole numbers
        return str(int(value))
    return f"{value:.1f}".rstrip("0").rstrip(".")


def is_stale(day: date | None, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return day is not None and today - day > timedelta(days=STALE_AFTER_DAYS)


def line_chart(*, chart_id: str, title: str, description: str, x_labels: Sequence[str],
               series: Sequence[Series], y_min: float, y_max: float, y_ticks: Sequence[float],
               value_label: Callable[[float], str] = _num,
               tick_label: Callable[[float], str] | None = None, last_stale: bool = False,
               reference: float | None = None) -> SafeString:
    """A small line chart as inline SVG with a number at every point.

    Built with plain string formatting (a family page holds dozens of these): every text
    goes through `escape`, numbers and the colours above are written as they are."""
    count = max(len(x_labels), 1)
    width = LEFT + INSET + RIGHT + STEP * max(count - 1, 1)
    height = TOP + PLOT + BOTTOM
    span = (y_max - y_min) or 1
    tick_label = tick_label or value_label
    cid = escape(chart_id)

    def x_at(i: int) -> float:
        return LEFT + INSET + (STEP * i if count > 1 else STEP / 2)

    def y_at(v: float) -> float:
        return TOP + (y_max - v) / span * PLOT

    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="jk-chart" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{cid}-t {cid}-d" font-family="sans-serif" font-size="11">'
        f'<title id="{cid}-t">{escape(title)}</title><desc id="{cid}-d">'
        f'{escape(description)}</desc>']
    x2 = width - RIGHT / 2
    for tick in y_ticks:
        y = y_at(tick)
        sw = "1.5" if reference is not None and tick == reference else "0.75"
        parts.append(
            f'<line x1="{LEFT - 4}" y1="{_num(y)}" x2="{x2}" y2="{_num(y)}" '
            f'stroke="{GRID_COLOUR}" stroke-width="{sw}"/>'
            f'<text x="{LEFT - 8}" y="{_num(y + 4)}" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{escape(tick_label(tick))}</text>')
    for i, label in enumerate(x_labels):
        parts.append(f'<text x="{_num(x_at(i))}" y="{TOP + PLOT + 34}" text-anchor="middle" '
                     f'fill="{TEXT_COLOUR}">{escape(label)}</text>')
    if last_stale and x_labels:
        stale = escape(_("verouderd"))
        parts.append(f'<text x="{_num(x_at(len(x_labels) - 1))}" y="{TOP + PLOT + 47}" '
                     f'text-anchor="middle" fill="{TEXT_COLOUR}" font-weight="bold">'
                     f'{stale}</text>')
    # Where each number goes: at a date the higher point has its number above it, the
    # lower one below it (equal points: the first series above), so numbers never overlap.
    below: set[tuple[int, int]] = set()
    for i in range(count):
        present = sorted(((v, -k) for k, line in enumerate(series)
                          if i < len(line.values) and (v := line.values[i]) is not None),
                         reverse=True)
        below |= {(i, -k) for _v, k in present[1:]}
    for k, line in enumerate(series):
        points = [(x_at(i), y_at(v), v, (i, k) in below)
                  for i, v in enumerate(line.values) if v is not None]
        colour = escape(line.colour)
        if len(points) > 1:
            dash = ' stroke-dasharray="6 4"' if line.dashed else ""
            pts = " ".join(f"{_num(x)},{_num(y)}" for x, y, _v, _b in points)
            parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" '
                         f'stroke-width="2"{dash}/>')
        for x, y, v, label_below in points:
            if line.square:
                parts.append(f'<rect x="{_num(x - 4)}" y="{_num(y - 4)}" width="8" height="8" '
                             f'fill="{colour}"/>')
            else:
                parts.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4.5" fill="{colour}"/>')
            parts.append(f'<text x="{_num(x)}" y="{_num(y + 17 if label_below else y - 9)}" '
                         f'text-anchor="middle" fill="{TEXT_COLOUR}" font-weight="bold">'
                         f'{escape(value_label(v))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every text above is escaped


# --- the integral analysis ------------------------------------------------------------


@dataclass
class ChartRow:
    on: date
    professional: int | None
    family: int | None
    stale: bool


@dataclass
class DomainChart:
    domain: str
    label: str
    svg: SafeString
    rows: list[ChartRow] = field(default_factory=list)

    @property
    def latest(self) -> ChartRow | None:
        return self.rows[-1] if self.rows else None


def _short(day: date) -> str:
    """'d-m-y' (the same in every language; without the formatting machinery, which a
    page of charts calls hundreds of times)."""
    return f"{day.day:02d}-{day.month:02d}-{day.year % 100:02d}"


def _words(values: Sequence[int | None]) -> str:
    return " → ".join(str(v) if v is not None else "–" for v in values)


def domain_chart(domain: str, points: Sequence[tuple[date, int | None, int | None]], *,
                 chart_id: str, today: date | None = None) -> DomainChart:
    """One domain's scores over time: (date, professional score, family score) per analysis."""
    today = today or timezone.localdate()
    label = str(ALL_DOMAINS.get(domain, domain))
    rows = [ChartRow(on, prof, fam, is_stale(on, today)) for on, prof, fam in points]
    professional = [r.professional for r in rows]
    family = [r.family for r in rows]
    description = _("Professional: %(prof)s. Gezin: %(fam)s. Score 1 is %(low)s, 5 is "
                    "%(high)s.") % {"prof": _words(professional), "fam": _words(family),
                                    "low": LEVELS[1], "high": LEVELS[5]}
    if rows and rows[-1].stale:
        description += " " + _("De laatste score is verouderd (ouder dan 30 dagen).")
    svg = line_chart(
        chart_id=chart_id, title=label, description=description,
        x_labels=[_short(r.on) for r in rows],
        series=[Series(_("professional"), professional, PROFESSIONAL_COLOUR),
                Series(_("gezin"), family, FAMILY_COLOUR, dashed=True, square=True)],
        y_min=1, y_max=5, y_ticks=[1, 2, 3, 4, 5], value_label=lambda v: str(int(v)),
        last_stale=bool(rows and rows[-1].stale))
    return DomainChart(domain, label, svg, rows)


def domain_charts(analyses: Any, *, chart_id: str, today: date | None = None
                  ) -> list[DomainChart]:
    """Per domain with a score (in the order of the domain list for the member's age):
    its chart. `analyses` is an analysis.actions.PersonAnalyses."""
    today = today or timezone.localdate()
    order = list(domains_for(analyses.person.age_on(today))) + list(ALL_DOMAINS)
    charts = []
    for domain in dict.fromkeys(order):
        points = analyses.series.get(domain)
        if points and any(p is not None or f is not None for _d, p, f in points):
            charts.append(domain_chart(domain, points, chart_id=f"{chart_id}-{domain}",
                                       today=today))
    return charts


# --- the goal-attainment T-score ----------------------------------------------------


def t_score_chart(points: Sequence[tuple[date, float]], *, chart_id: str) -> SafeString:
    """The plan's T-score per evaluation (50: every goal as expected)."""
    values = [t for _d, t in points]
    low = min([40.0, *values])
    high = max([60.0, *values])
    y_min = float(int(low // 10) * 10)
    y_max = float(-int(-high // 10) * 10)
    ticks = [float(v) for v in range(int(y_min), int(y_max) + 1, 10)]
    description = _("T-score per evaluatie: %(values)s. 50 betekent: alle doelen zoals "
                    "verwacht.") % {"values": " → ".join(
                        formats.number_format(v, 1) for v in values)}
    return line_chart(
        chart_id=chart_id, title=_("T-score over de evaluaties"), description=description,
        x_labels=[_short(d) for d, _t in points],
        series=[Series(_("T-score"), values, PROFESSIONAL_COLOUR)],
        y_min=y_min, y_max=y_max, y_ticks=ticks, reference=50.0,
        value_label=lambda v: formats.number_format(v, 1), tick_label=lambda v: str(int(v)))

