"""The board's run charts: server-rendered SVG in the style of insight/charts.py (no
JavaScript), a pure function from a series' `as_dict()` to markup.

A run chart: the values over the weeks (or months) as a line with a point per period, the
centre line and the natural process limits of the XmR chart (steering.xmr) as a solid and
two dashed lines, each named at the right. A series of twelve-month figures (its chart's rule
"run", steering.xmr.run) has only its median as the centre line: no limits, no signals. A point that is a signal is drawn as a larger
diamond and its rule is named under the chart ("buiten de grenzen", "acht op een rij"):
never by colour alone. A hidden period is a gap in the line. `role="img"` with a `<title>`
and a one-sentence `<desc>`; colours from insight's chart classes (`jk-ic-...`, in
web/css/insight-charts.css) with plain colours as presentation attributes. The page puts
the same numbers in a table beside each chart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from html import escape
from typing import Any

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 560, 250
X0, X1, Y0, Y1 = 56, 430, 24, 180
FONT = 14
LINE = 18
INK, MUTED, GRID, ACCENT, WARN = "#1a1a1a", "#595959", "#c8c8c8", "#1f4e79", "#8a3b00"


def _esc(text: object) -> str:
    return escape(str(text), quote=True)


def _num(value: float) -> str:
    value = round(value, 1)
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def value_text(value: float | None, kind: str) -> str:
    """A value as the board writes it: a share as a percentage, days to one decimal, a
    count whole; "" for none."""
    if value is None:
        return ""
    if kind == "share":
        return f"{formats.number_format(round(value * 100), 0)}%"
    rounded = round(value, 1)
    places = 0 if rounded == int(rounded) else 1
    return str(formats.number_format(rounded, places, force_grouping=True))


def _ticks(top: float, kind: str) -> list[float]:
    if kind == "share":
        return [0.0, 0.25, 0.5, 0.75, 1.0]
    top = max(top, 1.0)
    raw = top / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if kind != "days":
        step = max(1.0, math.ceil(step))
    count = math.ceil(top / step - 1e-9)
    return [round(k * step, 6) for k in range(count + 1)]


def rule_text(rule: str) -> str:
    return {"outside": _("buiten de grenzen"), "run": _("acht op een rij aan één kant")}.get(
        rule, rule)


def run_chart(data: Mapping[str, Any], *, threshold: int) -> SafeString:
    """The run chart of one series (steering.series.Series.as_dict())."""
    key = str(data.get("key", "reeks"))
    cid = "jk-run-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)
    title = str(data.get("label", key))
    kind = str(data.get("kind", "flow"))
    points = list(data.get("points", []))
    chart = data.get("xmr") or {}
    marks = [tuple(p.get("signals", ())) for p in chart.get("points", [])] or [()] * len(points)
    values: list[float | None] = [p.get("value") for p in points]
    periods = [str(p.get("period", "")) for p in points]
    centre, upper, lower = chart.get("centre"), chart.get("upper"), chart.get("lower")
    seen = [v for v in values if v is not None]
    run_only = chart.get("rule") == "run"

    gaps = sum(1 for v in values if v is None)
    fired = list(chart.get("signals", []))
    if not seen:
        summary = _("Geen punten om te tonen: elke periode is verborgen of leeg.")
    else:
        last = next(i for i in range(len(values) - 1, -1, -1) if values[i] is not None)
        summary = _("%(count)s perioden, %(first)s tot %(last)s; laatste getoonde waarde "
                    "%(value)s (%(period)s)") % {
            "count": len(values), "first": periods[0], "last": periods[-1],
            "value": value_text(values[last], kind), "period": periods[last]}
        if run_only:
            summary += _("; mediaan %(centre)s; geen grenzen of signalen: het zijn "
                         "twaalfmaandcijfers die elkaar overlappen") % {
                "centre": value_text(centre, kind)}
        elif centre is not None:
            summary += _("; midden %(centre)s, grenzen %(lower)s tot %(upper)s") % {
                "centre": value_text(centre, kind), "lower": value_text(lower, kind),
                "upper": value_text(upper, kind)}
        else:
            summary += _("; te weinig punten voor grenzen")
        if not run_only:
            summary += (_("; signaal: %(rules)s") % {
                "rules": ", ".join(rule_text(r) for r in fired)} if fired
                else _("; geen signaal"))
        if gaps:
            summary += _("; perioden zonder punt zijn verborgen")
        summary += "."

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="jk-ic-chart jk-ic-chart--run" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'role="img" aria-labelledby="{cid}-title {cid}-desc" font-family="sans-serif" '
        f'font-size="{FONT}">',
        f'<title id="{cid}-title">{_esc(title)}</title>',
        f'<desc id="{cid}-desc">{_esc(summary)}</desc>',
    ]

    def text(x: float, y: float, words: str, cls: str, anchor: str = "start",
             fill: str = INK) -> str:
        return (f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" class="{cls}" '
                f'fill="{fill}">{_esc(words)}</text>')

    if not seen:
        parts.append(text(WIDTH / 2, HEIGHT / 2, _("Geen gegevens"), "jk-ic-empty", "middle"))
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308  every text went through _esc

    top = max([*seen, *(v for v in (upper, centre) if v is not None)])
    ticks = _ticks(top, kind)
    end = ticks[-1] or 1.0

    def fx(i: int) -> float:
        return X0 + 10 + (X1 - X0 - 20) * (i / (len(values) - 1) if len(values) > 1 else 0.5)

    def fy(v: float) -> float:
        return Y1 - (Y1 - Y0) * min(v, end) / end

    for t in ticks:
        parts.append(f'<line x1="{X0}" y1="{_num(fy(t))}" x2="{X1}" y2="{_num(fy(t))}" '
                     f'class="jk-ic-grid" stroke="{GRID}"/>')
        parts.append(text(X0 - 6, fy(t) + 5, value_text(t, kind), "jk-ic-tick", "end", MUTED))
    every = max(1, math.ceil(len(periods) / 6))
    for i, period in enumerate(periods):
        if i % every == 0 or i == len(periods) - 1:
            parts.append(text(fx(i), Y1 + LINE, period, "jk-ic-tick", "middle", MUTED))

    for name, value, dash in ((_("mediaan") if run_only else _("midden"), centre, ""), (_("bovengrens"), upper, "6 4"),
                              (_("ondergrens"), lower, "6 4")):
        if value is None:
            continue
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        y = fy(value)
        parts.append(f'<line x1="{X0}" y1="{_num(y)}" x2="{X1}" y2="{_num(y)}" '
                     f'class="jk-ic-limit" stroke="{MUTED}" stroke-width="1.5"{dash_attr}/>')
        parts.append(text(X1 + 6, y + 5, f"{name} {value_text(value, kind)}", "jk-ic-note"))

    segment: list[str] = []
    for i, v in enumerate([*values, None]):
        if v is None:
            if len(segment) > 1:
                parts.append(f'<polyline points="{" ".join(segment)}" fill="none" '
                             f'class="jk-ic-series__line" stroke="{ACCENT}" stroke-width="2"/>')
            segment = []
            continue
        segment.append(f"{_num(fx(i))},{_num(fy(v))}")
    for i, v in enumerate(values):
        if v is None:
            continue
        x, y = fx(i), fy(v)
        if marks[i] if i < len(marks) else ():
            parts.append(f'<path d="M{_num(x)} {_num(y - 8)} L{_num(x + 8)} {_num(y)} '
                         f'L{_num(x)} {_num(y + 8)} L{_num(x - 8)} {_num(y)} Z" '
                         f'class="jk-ic-signal" fill="{WARN}" stroke="{INK}"/>')
        else:
            parts.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3.5" '
                         f'class="jk-ic-series__point" fill="{ACCENT}"/>')
    if run_only:
        note = _("Geen grenzen of signalen: twaalfmaandcijfers overlappen elkaar.")
    else:
        note = (_("Ruit: signaal (%(rules)s).") % {
            "rules": ", ".join(rule_text(r) for r in fired)}
            if fired else _("Geen signaal: alleen gewone variatie."))
    if gaps:
        note += " " + _("Een onderbroken lijn: verborgen (minder dan %(n)s).") % {"n": threshold}
    parts.append(text(X0, Y1 + 2 * LINE + 8, note, "jk-ic-note"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every text went through _esc
