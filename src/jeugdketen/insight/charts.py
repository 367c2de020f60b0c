"""Server-rendered SVG charts for the insight pages: pure functions from plain data (the
figures' `as_dict()`: dicts and lists) to SVG markup. No JavaScript, no Node.

- `value_stream_graph(steps, edges)`: the value stream / directly-follows graph, left to
  right: a box per step (trajectories, median wait before it), arrows with their counts and
  median days; the next step by a straight arrow, a skip forward by an arc above the row, a
  step back by an arc below it, a repeat by a loop under the box.
- `bars_with_intervals(rates)`: a horizontal bar per group with its 95% interval as a
  whisker and n in the label.
- `funnel_plot(points, limits, overall)`: rate against n, with the 95% and 99.8% control
  limits around the overall rate.
- `weekly_lines(series)`: a line per series over the weeks (the waiting list per week).
- `cost_bars(rows)`: budgeted and spent per group.

`waiting_series` and `wip_series` turn insight.waiting's and the value stream's weeks into
`weekly_lines`' series. Every chart takes `threshold=` (the municipality's publication
threshold: the "minder dan N" it writes), and `title=` and `chart_id=` if wanted.

Every chart: `role="img"` with a `<title>` and a one-sentence `<desc>`; a viewBox and
width 100%, so it scales (the CSS in web/css/insight-charts.css keeps its text at 12 px or
more); colours from CSS classes (`jk-ic-...`), with plain colours as presentation
attributes for when the stylesheet is not there (a CSS rule always wins over those);
nothing said by colour alone: shapes, dash patterns and words. A suppressed figure is drawn
as absent with the words "verborgen (minder dan N)". No input, no chart: a small SVG
saying "Geen gegevens". Every text is XML-escaped; the rest is numbers. The same input
gives the same markup, byte for byte.

The page puts the same numbers in a table beside each chart (readable without sight).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import Any

from django.utils import dateformat, formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jeugdketen.core.errors import FieldError, Refusal

FONT = 14  # user units; the CSS keeps 14 units at 12 px or more (min-inline-size)
LINE = 18  # the distance between two lines of text
WIDTH = 760  # every chart but the value stream graph

# Fallback colours (presentation attributes), when the stylesheet is not there. Dark
# enough on white for text and lines (WCAG 1.4.3 and 1.4.11).
INK = "#1a1a1a"
MUTED = "#595959"
GRID = "#c8c8c8"
ACCENT = "#1f4e79"
ACCENT_LIGHT = "#a9c4e0"
WARN = "#8a3b00"

Row = Mapping[str, Any]


# ---- helpers ---------------------------------------------------------------------------


def _esc(text: object) -> str:
    return escape(str(text), quote=True)


def _num(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros."""
    value = round(value, 1)
    if value == int(value):
        return str(int(value))
    return f"{value:.1f}"


def _pct(value: float) -> str:
    return f"{formats.number_format(round(value * 100), 0)}%"  # rounded, as the tables


def _level(percent: float) -> str:
    """A confidence level as text: "95%", "99,8%" (in the language's decimals)."""
    places = 0 if percent == int(percent) else 1
    return f"{formats.number_format(percent, places)}%"


def _amount(value: float, percent: bool) -> str:
    if percent:
        return _pct(value)
    if value == int(value):
        return str(formats.number_format(int(value), 0, force_grouping=True))
    return str(formats.number_format(round(value, 1), 1, force_grouping=True))


def _count(value: int) -> str:
    return str(formats.number_format(value, 0, force_grouping=True))


def _money(value: float) -> str:
    return f"€ {formats.number_format(round(value), 0, force_grouping=True)}"


def _days(value: float) -> str:
    """Days to one decimal when not whole, rounded as the tables beside the charts."""
    value = round(value, 1)
    return str(formats.number_format(value, 0 if value == int(value) else 1))


def _chart_id(chart_id: str | None, kind: str, *data: object) -> str:
    """Ids inside the SVG (title, desc, arrowheads) start with this: letters, digits, - _.
    Not given: the kind and a digest of the data, so two charts on one page differ and
    the same data still gives the same markup."""
    if chart_id is None:
        text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
        chart_id = f"jk-{kind}-{hashlib.sha256(text.encode()).hexdigest()[:10]}"
    return re.sub(r"[^A-Za-z0-9_-]", "-", chart_id) or "jk-chart"


def _refuse(field: str, message: str) -> Refusal:
    return Refusal.invalid([FieldError(field, "invalid", message)])


def _rows(value: object, field: str) -> list[Row]:
    if value is None:
        return []
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise _refuse(field, _("%(field)s moet een lijst zijn.") % {"field": field})
    rows = list(value)
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise _refuse(f"{field}[{i}]", _("%(field)s moet een object zijn.")
                          % {"field": f"{field}[{i}]"})
    return rows


def _number(row: Row, key: str, field: str, *, low: float | None = None,
            high: float | None = None) -> float | None:
    """row[key] as a float, None when absent or null; anything else refused, naming it."""
    value = row.get(key)
    if value is None:
        return None
    name = f"{field}.{key}"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _refuse(name, _("%(field)s moet een getal zijn.") % {"field": name})
    if (low is not None and value < low) or (high is not None and value > high):
        raise _refuse(name, _("%(field)s moet tussen %(low)s en %(high)s liggen.")
                      % {"field": name, "low": low, "high": high})
    return float(value)


def _pick(row: Row, keys: Sequence[str], field: str, **bounds: float) -> float | None:
    """The first of `keys` the row has (a figure may name a number in more than one way)."""
    for key in keys:
        if key in row:
            return _number(row, key, field, **bounds)
    return None


def _text(row: Row, key: str, default: str = "") -> str:
    value = row.get(key)
    return default if value is None or value == "" else str(value)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _step(raw: float, *, whole: bool = False) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k at or above raw (the distance of two ticks)."""
    if raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))
    return max(step, 1.0) if whole else step


def _axis(low: float, high: float, *, target: int = 4, whole: bool = False
          ) -> list[float]:
    """Ticks from low to high at a round step: about `target` steps, the ends on a tick."""
    step = _step((high - low) / target, whole=whole)
    first = math.floor(low / step + 1e-9)
    last = max(math.ceil(high / step - 1e-9), first + 1)
    return [round(k * step, 10) for k in range(first, last + 1)]


def _hidden(threshold: int, row: Row | None = None) -> str:
    """What a suppressed figure says instead of its number."""
    if row is not None and row.get("suppressed_reason") == "secondary":
        return _("verborgen (anders is een kleine groep te herleiden)")
    return _("verborgen (minder dan %(threshold)s)") % {"threshold": threshold}


def _threshold(threshold: object) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise _refuse("threshold", _("threshold moet een geheel getal van 1 of meer zijn."))
    return threshold


def _open(kind: str, cid: str, width: float, height: float, title: str,
          description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="jk-ic-chart '
        f'jk-ic-chart--{kind}" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="sans-serif" '
        f'font-size="{FONT}">',
        f'<title id="{cid}-title">{_esc(title)}</title>',
        f'<desc id="{cid}-desc">{_esc(description)}</desc>',
    ]


def _close(parts: list[str]) -> SafeString:
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every text in it went through _esc


def _t(x: float, y: float, text: str, cls: str, *, anchor: str = "start",
       bold: bool = False, fill: str = INK) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" class="{cls}" '
            f'fill="{fill}"{weight}>{_esc(text)}</text>')


def _empty(kind: str, cid: str, title: str) -> SafeString:
    parts = _open(kind, cid, WIDTH, 64, title, _("Geen gegevens: er is niets om te tonen."))
    parts.append(_t(WIDTH / 2, 38, _("Geen gegevens"), "jk-ic-empty", anchor="middle"))
    return _close(parts)


def _list(names: Sequence[str]) -> str:
    return ", ".join(names)


# ---- value stream / directly-follows graph ---------------------------------------------

BOX_W = 156
GAP = 104  # between two boxes: room for a count above the arrow and days below it
MARGIN = 24
ARC_BASE = 44  # the height of the lowest arc
ARC_STEP = 26  # each step further an arc spans, this much higher
LOOP = 26  # the depth of a loop (the same step again)


def _wrap(text: str, width: int, lines: int) -> list[str]:
    """Words onto at most `lines` lines of at most `width` characters (the last shortened).
    A word too long for a line may break after a "." or "_" ("care_report.received")."""
    pieces: list[tuple[str, bool]] = []  # (piece, glued to the one before)
    for word in text.split():
        parts = re.findall(r"[^._]+[._]*|[._]+", word) if len(word) > width else [word]
        pieces += [(piece, k > 0) for k, piece in enumerate(parts)]
    out: list[str] = []
    for piece, glued in pieces:
        joint = "" if glued else " "
        if out and len(out[-1]) + len(joint) + len(piece) <= width:
            out[-1] += joint + piece
        else:
            out.append(piece)
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1:])]
    return [_short(line, width) for line in out] or [""]


def _box_texts(node: dict[str, Any]) -> list[tuple[str, bool]]:
    """What a step's box says, line by line (text, bold)."""
    texts = [(line, True) for line in _wrap(node["label"], 17, 2)]
    if node["suppressed"]:
        texts.append((_("verborgen"), False))
    elif node["count"] is not None:
        texts.append((ngettext("%(count)s traject", "%(count)s trajecten",
                               int(node["count"])) % {"count": _count(int(node["count"]))},
                      False))
    if node["wait"] is not None and not node["suppressed"]:
        texts.append((_("wacht %(days)s d") % {"days": _days(node["wait"])}, False))
    if node["bottleneck"]:
        texts.append((_("knelpunt"), True))
    return texts


def _step_wait(row: Row, field: str) -> float | None:
    """The median wait before a step: `wait_p50`, `median_wait_days`, or the p50 of a
    nested Spread (`wait`: {p50, suppressed, ...}, as insight.value_stream gives)."""
    wait = row.get("wait")
    if isinstance(wait, Mapping):
        return None if wait.get("suppressed") else _number(wait, "p50", f"{field}.wait", low=0)
    return _pick(row, ("wait_p50", "median_wait_days"), field, low=0)


def _flow_order(keys: Sequence[str], links: Sequence[dict[str, Any]]) -> list[str]:
    """Activities that are not given steps, in an order most arrows run forward in:
    breadth first from those nothing leads to (the busiest first), each one's successors
    by their arrows' counts; what a cycle leaves over, the same way. Deterministic."""
    out_edges: dict[str, list[tuple[float, str]]] = {k: [] for k in keys}
    incoming = dict.fromkeys(keys, 0)
    for e in links:
        if e["source"] in out_edges and e["target"] in incoming and e["source"] != e["target"]:
            out_edges[e["source"]].append((e["count"] or 0, e["target"]))
            incoming[e["target"]] += 1
    weight = {k: sum(c for c, _t in out_edges[k]) for k in keys}
    order: list[str] = []
    seen: set[str] = set()
    while len(order) < len(keys):
        left = [k for k in keys if k not in seen]
        roots = [k for k in left if incoming[k] == 0] or left
        queue = [min(roots, key=lambda k: (-weight[k], k))]
        seen.add(queue[0])
        while queue:
            key = queue.pop(0)
            order.append(key)
            for _c, nxt in sorted(out_edges[key], key=lambda ct: (-ct[0], ct[1])):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
    return order


def value_stream_graph(steps: Sequence[Row], edges: Sequence[Row], *, threshold: int,
                       labels: Mapping[str, object] | None = None,
                       bottleneck: str | None = None, title: str | None = None,
                       chart_id: str | None = None) -> SafeString:
    """The value stream as a picture: a box per step, in the given order, left to right.

    `steps`: dicts with `key`, `label` (else `labels[key]`, else the key), the
    trajectories reaching the step (`count`, `n` or `reached`), the median days of waiting
    before it (`wait_p50`, `median_wait_days` or a nested Spread `wait` with its `p50`),
    `suppressed`, and `bottleneck: true` for the bottleneck (or pass its key as
    `bottleneck`). StepFigure.as_dict() (insight.value_stream) reads as it is.
    `edges`: dicts with `source`, `target`, the transitions (`count`, `occurrences` or
    `trajectories`), `median_days` and `suppressed`; Edge.as_dict() reads as it is. A key
    an edge names that is not a step becomes a box after the steps, in the order the
    arrows run (a directly-follows graph: pass no steps, only its edges). Steps without
    edges: plain arrows from each step to the next (the order of the stream)."""
    threshold = _threshold(threshold)
    cid = _chart_id(chart_id, "value-stream", steps, edges, title)
    title = title or _("Waardestroom: de stappen van eerste contact tot afsluiting")
    names = dict(labels or {})
    step_rows = _rows(steps, "steps")
    edge_rows = _rows(edges, "edges")
    if not step_rows and not edge_rows:
        return _empty("stream", cid, title)

    nodes: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(step_rows):
        field = f"steps[{i}]"
        key = _text(row, "key", _text(row, "label"))
        if not key:
            raise _refuse(f"{field}.key", _("%(field)s ontbreekt.") % {"field": f"{field}.key"})
        nodes[key] = {
            "label": _text(row, "label", str(names.get(key, key))),
            "count": _pick(row, ("count", "n", "reached"), field, low=0),
            "wait": _step_wait(row, field),
            "suppressed": bool(row.get("suppressed")),
            "bottleneck": bool(row.get("bottleneck")) or key == bottleneck,
        }
    links: list[dict[str, Any]] = []
    extra: list[str] = []
    for i, row in enumerate(edge_rows):
        field = f"edges[{i}]"
        ends = []
        for end in ("source", "target"):
            key = _text(row, end)
            if not key:
                raise _refuse(f"{field}.{end}", _("%(field)s ontbreekt.")
                              % {"field": f"{field}.{end}"})
            if key not in nodes and key not in extra:
                extra.append(key)
            ends.append(key)
        links.append({"source": ends[0], "target": ends[1],
                      "count": _pick(row, ("count", "trajectories", "occurrences"), field,
                                     low=0),
                      "days": _number(row, "median_days", field, low=0),
                      "suppressed": bool(row.get("suppressed"))})
    for key in _flow_order(extra, links):
        nodes[key] = {"label": str(names.get(key, key)), "count": None, "wait": None,
                      "suppressed": False, "bottleneck": key == bottleneck}
    plain = not links  # steps only: arrows that show the order, without numbers
    if plain:
        keys = list(nodes)
        links = [{"source": a, "target": b, "count": None, "days": None, "suppressed": False,
                  "plain": True} for a, b in itertools.pairwise(keys)]

    order = {key: i for i, key in enumerate(nodes)}
    box_texts = {key: _box_texts(node) for key, node in nodes.items()}
    # As tall as the most lines any box has (two at least): 20 units a line.
    box_h = 12 + (LINE + 2) * max(2, *(len(t) for t in box_texts.values()))
    spans = [order[e["target"]] - order[e["source"]] for e in links]
    above = max([s for s in spans if s > 1], default=0)
    below = max([-s for s in spans if s < 0], default=0)
    loops = any(s == 0 for s in spans)
    top = MARGIN + (ARC_BASE + ARC_STEP * (above - 1) + LINE + 4 if above else 0)
    under = max(ARC_BASE + ARC_STEP * (below - 1) + LINE + 8 if below else 0,
                LOOP + LINE + 8 if loops else 0)
    width = 2 * MARGIN + len(nodes) * BOX_W + (len(nodes) - 1) * GAP
    height = top + box_h + under + MARGIN + 2 * LINE  # + the two lines of the key

    def left(key: str) -> float:
        return MARGIN + order[key] * (BOX_W + GAP)

    counts = [e["count"] for e in links if e["count"] is not None and not e["suppressed"]]
    most = max(counts, default=0) or 1

    # The one-sentence summary.
    in_order = [n["label"] for n in nodes.values()]
    shown = [(n["count"], n["label"]) for n in nodes.values()
             if n["count"] is not None and not n["suppressed"]]
    waits = [(n["wait"], n["label"]) for n in nodes.values()
             if n["wait"] is not None and not n["suppressed"]]
    summary = ngettext("%(count)s stap van %(first)s tot %(last)s",
                       "%(count)s stappen van %(first)s tot %(last)s",
                       len(nodes)) % {"count": len(nodes), "first": in_order[0],
                                      "last": in_order[-1]}
    if shown:
        n, label = max(shown, key=lambda p: p[0])
        summary += _("; de meeste trajecten bij %(step)s (%(count)s)") % {
            "step": label, "count": _count(int(n))}
    if waits:
        days, label = max(waits, key=lambda p: p[0])
        summary += _("; de langste mediane wachttijd vóór %(step)s (%(days)s dagen)") % {
            "step": label, "days": _days(days)}
    neck = [n["label"] for n in nodes.values() if n["bottleneck"]]
    if neck:
        summary += _("; knelpunt: %(step)s") % {"step": _list(neck)}
    if plain:
        summary += "."
    else:
        summary += ngettext("; %(count)s overgang tussen stappen.",
                            "; %(count)s overgangen tussen stappen.",
                            len(links)) % {"count": len(links)}

    parts = _open("stream", cid, width, height, title, summary)
    parts.append(
        f'<defs><marker id="{cid}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="12" markerHeight="12" markerUnits="userSpaceOnUse" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="jk-ic-arrowhead" '
        f'fill="{INK}"/></marker></defs>')

    # Arrows first, boxes over them.
    for link, span in zip(links, spans, strict=True):
        hidden = link["suppressed"] or (link["count"] is None and not plain)
        stroke = 1.5 + 4.5 * link["count"] / most if link["count"] is not None else 1.5
        cls = "jk-ic-edge" + (" jk-ic-edge--hidden" if hidden else "")
        dash = ' stroke-dasharray="6 5"' if hidden else ""
        first = (_("verborgen") if hidden else "" if link["count"] is None
                 else _count(int(link["count"])) + "×")
        second = (_("%(days)s d") % {"days": _days(link["days"])}
                  if not hidden and link["days"] is not None else "")
        x1, x2 = left(link["source"]), left(link["target"])
        if span == 1:  # the next step: straight, count above, days below
            y = top + box_h / 2
            path = f"M{_num(x1 + BOX_W)},{_num(y)} L{_num(x2 - 2)},{_num(y)}"
            mid = (x1 + BOX_W + x2) / 2
            labels_at = [(mid, y - 8, first), (mid, y + LINE + 2, second)]
        elif span > 1:  # a skip forward: an arc above
            h = ARC_BASE + ARC_STEP * (span - 2)
            off = min(18 + 10 * (span - 2), BOX_W / 2 - 12)  # longer arcs start further out
            ya, xa, xb = top, x1 + BOX_W / 2 + off, x2 + BOX_W / 2 - off
            c = ya - h * 4 / 3  # a cubic's apex lies 3/4 of the way to its controls
            path = (f"M{_num(xa)},{_num(ya)} C{_num(xa)},{_num(c)} {_num(xb)},{_num(c)} "
                    f"{_num(xb)},{_num(ya - 2)}")
            text = f"{first} · {second}" if second else first
            labels_at = [((xa + xb) / 2, ya - h - 6, text)]
        elif span < 0:  # a step back: an arc below
            h = ARC_BASE + ARC_STEP * (-span - 1)
            off = min(18 + 10 * (-span - 1), BOX_W / 2 - 12)
            ya, xa, xb = top + box_h, x1 + BOX_W / 2 - off, x2 + BOX_W / 2 + off
            c = ya + h * 4 / 3
            path = (f"M{_num(xa)},{_num(ya)} C{_num(xa)},{_num(c)} {_num(xb)},{_num(c)} "
                    f"{_num(xb)},{_num(ya + 2)}")
            text = f"{first} · {second}" if second else first
            labels_at = [((xa + xb) / 2, ya + h + LINE, text)]
        else:  # the same step again: a loop under the box's right corner
            ya, xa, xb = top + box_h, x1 + BOX_W - 46, x1 + BOX_W - 14
            c = ya + LOOP * 4 / 3
            path = (f"M{_num(xa)},{_num(ya)} C{_num(xa - 8)},{_num(c)} "
                    f"{_num(xb + 8)},{_num(c)} {_num(xb)},{_num(ya + 2)}")
            text = f"{first} · {second}" if second else first
            labels_at = [((xa + xb) / 2, ya + LOOP + LINE, text)]
        parts.append(
            f'<g class="{cls}" data-source="{_esc(link["source"])}" '
            f'data-target="{_esc(link["target"])}">'
            f'<path d="{path}" fill="none" stroke="{INK}" stroke-width="{_num(stroke)}"'
            f'{dash} class="jk-ic-edge__line" marker-end="url(#{cid}-arrow)"/>')
        for x, y, text in labels_at:
            if text:
                parts.append(_t(x, y, text, "jk-ic-edge__label", anchor="middle"))
        parts.append("</g>")

    for key, node in nodes.items():
        x = left(key)
        cls = "jk-ic-step" + (" jk-ic-step--bottleneck" if node["bottleneck"] else "")
        parts.append(
            f'<g class="{cls}" data-step="{_esc(key)}">'
            f'<rect x="{_num(x)}" y="{_num(top)}" width="{BOX_W}" height="{box_h}" rx="6" '
            f'class="jk-ic-step__box" fill="#ffffff" stroke="{INK}" '
            f'stroke-width="{4 if node["bottleneck"] else 1.5}"/>')
        for j, (text, bold) in enumerate(box_texts[key]):
            parts.append(_t(x + BOX_W / 2, top + 22 + j * (LINE + 2), text,
                            "jk-ic-step__text", anchor="middle", bold=bold))
        parts.append("</g>")

    notes = []
    if any(n["count"] is not None or n["wait"] is not None or n["suppressed"]
           for n in nodes.values()):
        notes.append(_("In een vak: het aantal trajecten en de mediane wachttijd in dagen "
                       "vóór de stap."))
    if not plain:
        notes.append(_("Bij een pijl: in hoeveel trajecten die overgang voorkwam en de "
                       "mediane dagen ertussen; gestreept: verborgen (minder dan "
                       "%(threshold)s).")
                     % {"threshold": threshold})
    for j, note in enumerate(notes):
        parts.append(_t(MARGIN, top + box_h + under + MARGIN + j * (LINE + 2), note,
                        "jk-ic-note"))
    return _close(parts)


# ---- bars with their 95% interval ------------------------------------------------------

LABEL_W = 230  # the column of names, right-aligned against the plot
PLOT_X = 240
PLOT_W = 340
ROW_H = 46
BAR_H = 18
BARS_TOP = 48


def bar_x(value: float, end: float) -> float:
    """Where a value lands on the bars' axis (0 .. end)."""
    return PLOT_X + PLOT_W * value / end


def bars_with_intervals(rates: Sequence[Row], *, threshold: int, percent: bool = True,
                        title: str | None = None,
                        chart_id: str | None = None) -> SafeString:
    """A horizontal bar per group, in the given order, with its 95% interval as a whisker
    and its n under its name. `rates`: Rate.as_dict()s (label, group, n, value, low, high,
    suppressed, provisional). The scope total (group "") is drawn as a dashed line across
    every bar as well. `percent`: values are shares (0..1), shown as percentages; otherwise
    numbers on an axis from 0."""
    threshold = _threshold(threshold)
    cid = _chart_id(chart_id, "bars", rates, percent, title)
    title = title or _("Per groep, met het %(level)s-interval") % {"level": _level(95)}
    rows = _rows(rates, "rates")
    if not rows:
        return _empty("bars", cid, title)
    bound: dict[str, float] = {"low": 0.0, "high": 1.0} if percent else {"low": 0.0}
    items: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        field = f"rates[{i}]"
        value = _number(row, "value", field, **bound)
        low = _number(row, "low", field, **bound)
        high = _number(row, "high", field, **bound)
        n = _number(row, "n", field, low=0)
        if low is not None and high is not None and low > high:
            raise _refuse(f"{field}.low", _("%(field)s is groter dan de bovengrens.")
                          % {"field": f"{field}.low"})
        total = row.get("group") == ""
        label = _text(row, "label", _("Totaal") if total else _text(row, "group", "?"))
        items.append({"row": row, "label": label, "value": value, "low": low, "high": high,
                      "n": n, "total": total, "suppressed": bool(row.get("suppressed")),
                      "provisional": bool(row.get("provisional"))})
    ticks = [0.0, 0.25, 0.5, 0.75, 1.0] if percent else _axis(0.0, max(
        [v for it in items for v in (it["value"], it["high"])
         if v is not None and not it["suppressed"]], default=1.0) or 1.0)
    end = ticks[-1]

    def shown(it: dict[str, Any]) -> bool:
        return not it["suppressed"] and it["value"] is not None

    visible = [it for it in items if shown(it) and not it["total"]]
    hidden = [it for it in items if it["suppressed"]]
    if visible:
        top_it = max(visible, key=lambda it: it["value"])
        low_it = min(visible, key=lambda it: it["value"])
        summary = ngettext(
            "%(count)s groep met de waarde en het %(level)s-interval; hoogste %(high)s (%(hv)s), "
            "laagste %(low)s (%(lv)s)",
            "%(count)s groepen met de waarde en het %(level)s-interval; hoogste %(high)s (%(hv)s), "
            "laagste %(low)s (%(lv)s)", len(visible)) % {
            "count": len(visible), "level": _level(95), "high": top_it["label"],
            "hv": _amount(top_it["value"], percent), "low": low_it["label"],
            "lv": _amount(low_it["value"], percent)}
    else:
        summary = _("Geen groep met een getoonde waarde")
    totals = [it for it in items if it["total"] and shown(it)]
    if totals:
        summary += _("; totaal %(value)s") % {"value": _amount(totals[0]["value"], percent)}
    if hidden:
        summary += ngettext("; %(count)s groep verborgen", "; %(count)s groepen verborgen",
                            len(hidden)) % {"count": len(hidden)}
    summary += "."

    height = BARS_TOP + len(items) * ROW_H + 3 * LINE + 16
    parts = _open("bars", cid, WIDTH, height, title, summary)
    axis_y = BARS_TOP + len(items) * ROW_H
    for tick in ticks:
        x = bar_x(tick, end)
        parts.append(f'<line x1="{_num(x)}" y1="{BARS_TOP - 8}" x2="{_num(x)}" '
                     f'y2="{_num(axis_y)}" class="jk-ic-grid" stroke="{GRID}"/>')
        parts.append(_t(x, axis_y + LINE + 2, _amount(tick, percent), "jk-ic-tick",
                        anchor="middle"))
    if totals:
        x = bar_x(totals[0]["value"], end)
        parts.append(f'<line x1="{_num(x)}" y1="{BARS_TOP - 14}" x2="{_num(x)}" '
                     f'y2="{_num(axis_y)}" class="jk-ic-reference" stroke="{INK}" '
                     f'stroke-width="1.5" stroke-dasharray="5 4"/>')
        parts.append(_t(x, BARS_TOP - 20, _("totaal %(value)s") % {
            "value": _amount(totals[0]["value"], percent)}, "jk-ic-reference__label",
            anchor="middle"))
    for i, it in enumerate(items):
        y = BARS_TOP + i * ROW_H  # the row's top
        mid = y + ROW_H / 2 - 4
        group = _esc(_text(it["row"], "group"))
        cls = "jk-ic-row" + (" jk-ic-row--total" if it["total"] else "") + (
            " jk-ic-row--provisional" if it["provisional"] else "")
        parts.append(f'<g class="{cls}" data-group="{group}">')
        parts.append(_t(LABEL_W, mid - 2, _short(it["label"], 28), "jk-ic-label",
                        anchor="end", bold=it["total"]))
        if it["n"] is not None and not it["suppressed"]:
            parts.append(_t(LABEL_W, mid + LINE - 2, _("n = %(n)s") % {"n": _count(int(it["n"]))},
                            "jk-ic-label jk-ic-label--n", anchor="end", fill=MUTED))
        if it["suppressed"]:
            parts.append(_t(PLOT_X + 6, mid + 5, _hidden(threshold, it["row"]),
                            "jk-ic-suppressed"))
        elif it["value"] is None:
            parts.append(_t(PLOT_X + 6, mid + 5, _("geen gegevens"), "jk-ic-suppressed"))
        else:
            x = bar_x(it["value"], end)
            bar_cls = "jk-ic-bar" + (" jk-ic-bar--total" if it["total"] else "") + (
                " jk-ic-bar--provisional" if it["provisional"] else "")
            dash = ' stroke-dasharray="4 3"' if it["provisional"] else ""
            parts.append(f'<rect x="{PLOT_X}" y="{_num(mid - BAR_H / 2)}" '
                         f'width="{_num(x - PLOT_X)}" height="{BAR_H}" class="{bar_cls}" '
                         f'fill="{ACCENT_LIGHT if it["provisional"] else ACCENT}" '
                         f'stroke="{ACCENT}"{dash}/>')
            text = _amount(it["value"], percent)
            right = x
            if it["low"] is not None and it["high"] is not None:
                xl, xh = bar_x(it["low"], end), bar_x(it["high"], end)
                right = max(x, xh)
                # A light edge under the whisker, so it shows on the bar as well.
                parts.append(
                    f'<g class="jk-ic-whisker-edge" stroke="#ffffff" stroke-width="5">'
                    f'<line x1="{_num(xl)}" y1="{_num(mid)}" x2="{_num(xh)}" y2="{_num(mid)}"/>'
                    f'<line x1="{_num(xl)}" y1="{_num(mid - 8)}" x2="{_num(xl)}" '
                    f'y2="{_num(mid + 8)}"/><line x1="{_num(xh)}" y1="{_num(mid - 8)}" '
                    f'x2="{_num(xh)}" y2="{_num(mid + 8)}"/></g>')
                parts.append(
                    f'<g class="jk-ic-whisker" data-low="{_num(xl)}" data-high="{_num(xh)}">'
                    f'<line x1="{_num(xl)}" y1="{_num(mid)}" x2="{_num(xh)}" y2="{_num(mid)}" '
                    f'stroke="{INK}" stroke-width="2"/>'
                    f'<line x1="{_num(xl)}" y1="{_num(mid - 8)}" x2="{_num(xl)}" '
                    f'y2="{_num(mid + 8)}" stroke="{INK}" stroke-width="2"/>'
                    f'<line x1="{_num(xh)}" y1="{_num(mid - 8)}" x2="{_num(xh)}" '
                    f'y2="{_num(mid + 8)}" stroke="{INK}" stroke-width="2"/></g>')
                text += f" ({_amount(it['low'], percent).rstrip('%')}–"
                text += f"{_amount(it['high'], percent)})"
            parts.append(_t(max(right, PLOT_X + PLOT_W) + 8, mid + 5, text, "jk-ic-value"))
            if it["provisional"]:
                parts.append(_t(max(right, PLOT_X + PLOT_W) + 8, mid + LINE + 3,
                                _("voorlopig"), "jk-ic-value jk-ic-value--provisional",
                                fill=MUTED))
        parts.append("</g>")
    note_y = axis_y + 2 * LINE + 10
    parts.append(_t(PLOT_X, note_y, _(
        "De lijn met streepjes aan de uiteinden is het %(level)s-interval.")
        % {"level": _level(95)}, "jk-ic-note"))
    if any(it["provisional"] for it in items):
        parts.append(_t(PLOT_X, note_y + LINE, _(
            "Voorlopig (gestippelde rand): de nazorgperiode loopt nog."), "jk-ic-note"))
    return _close(parts)


# ---- funnel plot -----------------------------------------------------------------------

F_X0 = 84
F_X1 = 730
F_Y0 = 24
F_Y1 = 340
F_HEIGHT = 490
LIMIT_KEYS = ("low95", "high95", "low998", "high998")
POSITIONS = ("within", "high95", "low95", "high998", "low998")  # as insight.stats.position


def _interpolate(curve: list[tuple[float, dict[str, float | None]]], n: float,
                 key: str) -> float | None:
    """A limit at n from the curve's samples (linear between two; the nearest outside)."""
    known = [(m, lim[key]) for m, lim in curve if lim[key] is not None]
    if not known:
        return None
    if n <= known[0][0]:
        return known[0][1]
    if n >= known[-1][0]:
        return known[-1][1]
    for (m0, v0), (m1, v1) in itertools.pairwise(known):
        if m0 <= n <= m1:
            assert v0 is not None and v1 is not None
            return v0 if m1 == m0 else v0 + (v1 - v0) * (n - m0) / (m1 - m0)
    return None  # pragma: no cover  (the samples are sorted and n lies between them)


def funnel_plot(points: Sequence[Row], limits: Sequence[Row],
                overall: float | Row | None, *, threshold: int, hidden: int = 0,
                percent: bool = True, title: str | None = None,
                chart_id: str | None = None) -> SafeString:
    """Each group's rate against its n, with the 95% and 99.8% control limits around the
    overall rate: a group outside the limits differs by more than chance would make.

    `points`: Rate.as_dict()s (label, n, value, suppressed: a suppressed one is counted,
    not drawn); where a point lies is its `position` (within, high95, low95, high998,
    low998: as insight.stats.funnel gives), else found from its own limits (low95,
    high95, low998, high998) or those read off the curves. `limits`: the curves, dicts
    with n, low95, high95, low998, high998 (any order; the more n's, the smoother).
    `overall`: the overall rate (a number or a Rate dict). `hidden`: groups left out of
    `points` because they are suppressed (insight.stats.funnel leaves them out).
    So: `funnel_plot(f["points"], f["limits"], f["overall"], threshold=t, hidden=k)`.
    Inside the limits a circle; above them a triangle pointing up, below one pointing
    down; open outside 95%, filled outside 99.8%, and named."""
    threshold = _threshold(threshold)
    cid = _chart_id(chart_id, "funnel", points, limits, overall, hidden, title)
    title = title or _("Trechterdiagram: elke groep tegen het aantal (n)")
    rows = _rows(points, "points")
    curve_rows = _rows(limits, "limits")
    bound: dict[str, float] = {"low": 0.0, "high": 1.0} if percent else {}
    if isinstance(overall, Mapping):
        centre = _number(overall, "value", "overall", **bound)
    elif overall is None:
        centre = None
    else:
        centre = _number({"value": overall}, "value", "overall", **bound)
        if centre is None:  # pragma: no cover  (a number is never None)
            raise _refuse("overall", _("overall moet een getal zijn."))

    curve: list[tuple[float, dict[str, float | None]]] = []
    for i, row in enumerate(curve_rows):
        field = f"limits[{i}]"
        n = _number(row, "n", field, low=0)
        if n is None:
            raise _refuse(f"{field}.n", _("%(field)s ontbreekt.") % {"field": f"{field}.n"})
        curve.append((n, {k: _number(row, k, field, **bound) for k in LIMIT_KEYS}))
    curve.sort(key=lambda c: c[0])

    if isinstance(hidden, bool) or not isinstance(hidden, int) or hidden < 0:
        raise _refuse("hidden", _("hidden moet een geheel getal van 0 of meer zijn."))
    items: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        field = f"points[{i}]"
        if row.get("suppressed"):
            hidden += 1
            continue
        n = _number(row, "n", field, low=0)
        value = _number(row, "value", field, **bound)
        if n is None or value is None:
            continue
        own = {k: _number(row, k, field, **bound) for k in LIMIT_KEYS}
        lim = {k: own[k] if own[k] is not None else _interpolate(curve, n, k)
               for k in LIMIT_KEYS}
        given = row.get("position")
        if given is not None:
            if given not in POSITIONS:
                raise _refuse(f"{field}.position", _("%(field)s moet een van %(values)s "
                                                     "zijn.") % {"field": f"{field}.position",
                                                                 "values": _list(POSITIONS)})
            where = str(given)
        elif lim["high998"] is not None and value > lim["high998"]:
            where = "high998"
        elif lim["low998"] is not None and value < lim["low998"]:
            where = "low998"
        elif lim["high95"] is not None and value > lim["high95"]:
            where = "high95"
        elif lim["low95"] is not None and value < lim["low95"]:
            where = "low95"
        else:
            where = "within"
        label = _text(row, "label", _text(row, "group", "?"))
        items.append({"label": label, "n": n, "value": value, "where": where,
                      "group": _text(row, "group")})
    if not items and not hidden:
        return _empty("funnel", cid, title)

    # Scales: n from 0; the rate over what the points and the limits need.
    x_ticks = _axis(0.0, max([it["n"] for it in items] + [n for n, _l in curve],
                             default=1.0) or 1.0, whole=True)
    x_end = x_ticks[-1]
    ys = [it["value"] for it in items] + [v for _n, lim in curve for v in lim.values()
                                          if v is not None]
    if centre is not None:
        ys.append(centre)
    y_ticks = _axis(min(ys, default=0.0) if percent else 0.0, max(ys, default=1.0),
                    target=5)
    if percent:
        y_ticks = [v for v in y_ticks if -1e-9 <= v <= 1 + 1e-9]
    if len(y_ticks) < 2 or y_ticks[-1] - y_ticks[0] < 1e-9:
        # Every rate the same (0% or 100% everywhere): the limits are one line; give the
        # axis a range around it so it can be drawn.
        flat = y_ticks[0] if y_ticks else (centre or 0.0)
        low = max(0.0, flat - 0.1) if flat > 0 else 0.0
        y_ticks = [low, low + 0.1] if low + 0.1 <= 1 or not percent else [0.9, 1.0]
    y_low, y_high = y_ticks[0], y_ticks[-1]

    def fx(n: float) -> float:
        return F_X0 + (F_X1 - F_X0) * n / x_end

    def fy(v: float) -> float:
        v = min(max(v, y_low), y_high)
        return F_Y1 - (F_Y1 - F_Y0) * (v - y_low) / (y_high - y_low)

    above = [it["label"] for it in items if it["where"] in ("high95", "high998")]
    below = [it["label"] for it in items if it["where"] in ("low95", "low998")]
    summary = ngettext("%(count)s groep", "%(count)s groepen", len(items)) % {
        "count": len(items)} if items else _("Geen groep getekend")
    if centre is not None and items:
        summary += _(" rond het totaal van %(value)s") % {"value": _amount(centre, percent)}
    elif centre is not None:
        summary += _("; totaal %(value)s") % {"value": _amount(centre, percent)}
    if above or below:
        if above:
            summary += _("; boven de grenzen: %(names)s") % {"names": _list(above)}
        if below:
            summary += _("; onder de grenzen: %(names)s") % {"names": _list(below)}
    elif items:
        summary += _("; alle binnen de grenzen van toeval")
    if hidden:
        summary += ngettext("; %(count)s groep verborgen", "; %(count)s groepen verborgen",
                            hidden) % {"count": hidden}
    summary += "."

    parts = _open("funnel", cid, WIDTH, F_HEIGHT, title, summary)
    # Axes and grid.
    for tick in x_ticks:
        x = fx(tick)
        parts.append(f'<line x1="{_num(x)}" y1="{F_Y0}" x2="{_num(x)}" y2="{F_Y1}" '
                     f'class="jk-ic-grid" stroke="{GRID}"/>')
        parts.append(_t(x, F_Y1 + LINE + 2, _count(round(tick)), "jk-ic-tick",
                        anchor="middle"))
    for v in y_ticks:
        y = fy(v)
        parts.append(f'<line x1="{F_X0}" y1="{_num(y)}" x2="{F_X1}" y2="{_num(y)}" '
                     f'class="jk-ic-grid" stroke="{GRID}"/>')
        parts.append(_t(F_X0 - 8, y + 5, _amount(v, percent), "jk-ic-tick", anchor="end"))
    parts.append(_t((F_X0 + F_X1) / 2, F_Y1 + 2 * LINE + 8,
                    _("aantal (n) in de groep"), "jk-ic-axis-title", anchor="middle"))

    # The limits and the overall rate.
    styles = {"95": ("jk-ic-limit jk-ic-limit--95", "8 5"),
              "998": ("jk-ic-limit jk-ic-limit--998", "2 4")}
    for level, (cls, dash) in styles.items():
        for side in ("low", "high"):
            pts = [(n, lim[f"{side}{level}"]) for n, lim in curve
                   if lim[f"{side}{level}"] is not None]
            if len(pts) < 2:
                continue
            coords = " ".join(f"{_num(fx(n))},{_num(fy(v))}" for n, v in pts if v is not None)
            parts.append(f'<polyline points="{coords}" fill="none" class="{cls}" '
                         f'data-side="{side}" stroke="{INK}" stroke-width="1.5" '
                         f'stroke-dasharray="{dash}"/>')
    if centre is not None:
        y = fy(centre)
        parts.append(f'<line x1="{F_X0}" y1="{_num(y)}" x2="{F_X1}" y2="{_num(y)}" '
                     f'class="jk-ic-reference" stroke="{INK}" stroke-width="2"/>')

    # The points, the ones outside named.
    for it in items:
        x, y = fx(it["n"]), fy(it["value"])
        where = it["where"]
        tip = _("%(label)s: %(value)s bij n = %(n)s") % {
            "label": it["label"], "value": _amount(it["value"], percent),
            "n": _count(int(it["n"]))}
        group = _esc(it["group"])
        if where == "within":
            parts.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="6" '
                         f'class="jk-ic-point jk-ic-point--within" data-group="{group}" '
                         f'fill="#ffffff" stroke="{ACCENT}" stroke-width="2">'
                         f'<title>{_esc(tip)}</title></circle>')
            continue
        up = where.startswith("high")
        extreme = where.endswith("998")
        s = 9
        tri = (f"{_num(x)},{_num(y - s)} {_num(x + s)},{_num(y + s * 0.7)} "
               f"{_num(x - s)},{_num(y + s * 0.7)}" if up else
               f"{_num(x)},{_num(y + s)} {_num(x + s)},{_num(y - s * 0.7)} "
               f"{_num(x - s)},{_num(y - s * 0.7)}")
        cls = ("jk-ic-point jk-ic-point--outside jk-ic-point--"
               + ("high" if up else "low") + (" jk-ic-point--extreme" if extreme else ""))
        parts.append(f'<polygon points="{tri}" class="{cls}" data-group="{group}" '
                     f'fill="{WARN if extreme else "#ffffff"}" stroke="{WARN}" '
                     f'stroke-width="2"><title>{_esc(tip)}</title></polygon>')
        parts.append(_t(x + 12, y + (-6 if up else 16), _short(it["label"], 24),
                        "jk-ic-point__label", bold=True))

    # The key.
    ky = F_Y1 + 3 * LINE + 14
    parts.append(
        f'<line x1="{F_X0}" y1="{ky - 5}" x2="{F_X0 + 30}" y2="{ky - 5}" '
        f'class="jk-ic-reference" stroke="{INK}" stroke-width="2"/>')
    parts.append(_t(F_X0 + 38, ky, _("totaal"), "jk-ic-note"))
    parts.append(
        f'<line x1="{F_X0 + 120}" y1="{ky - 5}" x2="{F_X0 + 150}" y2="{ky - 5}" '
        f'class="jk-ic-limit jk-ic-limit--95" stroke="{INK}" stroke-width="1.5" '
        f'stroke-dasharray="8 5"/>')
    parts.append(_t(F_X0 + 158, ky, _("%(level)s-grens") % {"level": _level(95)}, "jk-ic-note"))
    parts.append(
        f'<line x1="{F_X0 + 270}" y1="{ky - 5}" x2="{F_X0 + 300}" y2="{ky - 5}" '
        f'class="jk-ic-limit jk-ic-limit--998" stroke="{INK}" stroke-width="1.5" '
        f'stroke-dasharray="2 4"/>')
    parts.append(_t(F_X0 + 308, ky, _("%(level)s-grens") % {"level": _level(99.8)}, "jk-ic-note"))
    parts.append(_t(F_X0, ky + LINE + 4, _(
        "Rondje: binnen de grenzen. Driehoek: erboven (punt omhoog) of eronder (punt "
        "omlaag);"), "jk-ic-note"))
    parts.append(_t(F_X0, ky + 2 * LINE + 4, _(
        "open: buiten de %(p95)s-grens, dicht: ook buiten de %(p998)s-grens.")
        % {"p95": _level(95), "p998": _level(99.8)}, "jk-ic-note"))
    if hidden:
        parts.append(_t(F_X0, ky + 3 * LINE + 6, ngettext(
            "%(count)s groep niet getekend: %(why)s.",
            "%(count)s groepen niet getekend: %(why)s.", hidden) % {
            "count": hidden, "why": _hidden(threshold)}, "jk-ic-suppressed"))
    return _close(parts)


# ---- lines per week --------------------------------------------------------------------

L_X0 = 70
L_X1 = 730
L_Y0 = 40
L_Y1 = 306
MARKERS = ("circle", "square", "triangle", "diamond", "cross")
DASHES = ("", "9 5", "2 4", "12 4 2 4", "6 3")


def _marker(kind: str, x: float, y: float, cls: str) -> str:
    if kind == "circle":
        return (f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4.5" class="{cls}" '
                f'fill="{INK}"/>')
    if kind == "square":
        return (f'<rect x="{_num(x - 4)}" y="{_num(y - 4)}" width="8" height="8" '
                f'class="{cls}" fill="{INK}"/>')
    if kind == "triangle":
        return (f'<polygon points="{_num(x)},{_num(y - 5.5)} {_num(x + 5)},{_num(y + 4)} '
                f'{_num(x - 5)},{_num(y + 4)}" class="{cls}" fill="{INK}"/>')
    if kind == "diamond":
        return (f'<polygon points="{_num(x)},{_num(y - 6)} {_num(x + 6)},{_num(y)} '
                f'{_num(x)},{_num(y + 6)} {_num(x - 6)},{_num(y)}" class="{cls}" '
                f'fill="{INK}"/>')
    return (f'<path d="M{_num(x - 4.5)},{_num(y - 4.5)} L{_num(x + 4.5)},{_num(y + 4.5)} '
            f'M{_num(x - 4.5)},{_num(y + 4.5)} L{_num(x + 4.5)},{_num(y - 4.5)}" '
            f'class="{cls}" stroke="{INK}" stroke-width="2.5" fill="none"/>')


def _week_day(week: str) -> date | None:
    """The Monday of an ISO week ("2026-W02"), or an ISO date ("2026-01-05") as it is."""
    try:
        if len(week) >= 8 and week[4:6] == "-W":
            return date.fromisocalendar(int(week[:4]), int(week[6:8]), 1)
        return date.fromisoformat(week[:10])
    except ValueError:
        return None


def _week_label(week: str, *, year: bool = False) -> str:
    """A week as its Monday, "5 Jan" (with the year: "5 Jan 2026"); other text as it is."""
    day = _week_day(week)
    if day is None:
        return week
    return str(dateformat.format(day, "j M Y" if year else "j M"))


WAITING_SERIES = ("within", "past_norm", "past_3x", "no_norm")


def waiting_series(weeks: Sequence[Row], *, step: str = "total",
                   group: str = "") -> list[dict[str, Any]]:
    """weekly_lines' series from insight.waiting's weeks (Waiting.as_dict()["weeks"]: their
    `rows` and `by_organisation`): for one step ("total": all front-door steps) and one
    organisation (its id; "": all), a line each
    for within the norm, past the norm and past three times the norm (and without a norm,
    when some week has such items). A None count is a suppressed week."""
    names = {"within": _("binnen de norm"), "past_norm": _("over de norm"),
             "past_3x": _("over 3x de norm"), "no_norm": _("zonder norm")}
    points: dict[str, list[dict[str, Any]]] = {k: [] for k in WAITING_SERIES}
    for i, week in enumerate(_rows(weeks, "weeks")):
        rows = [r for key in ("rows", "by_organisation")
                for r in _rows(week.get(key), f"weeks[{i}].{key}")
                if r.get("step") == step and r.get("group", "") == group]
        for key in WAITING_SERIES:
            value = rows[0].get(key) if rows else None
            points[key].append({"week": _text(week, "week"), "value": value,
                                "suppressed": bool(rows) and value is None})
    keep = [k for k in WAITING_SERIES
            if k != "no_norm" or any(p["value"] for p in points[k])]
    return [{"key": k, "label": names[k], "points": points[k]} for k in keep]


def wip_series(weeks: Sequence[Row], labels: Mapping[str, object] | None = None
               ) -> list[dict[str, Any]]:
    """weekly_lines' series from the value stream's work in progress per week
    (ValueStream.as_dict()["weeks"]: week, counts per step): a line per step, in the
    order of the counts, named by `labels` (e.g. insight.value_stream.STEP_LABELS)."""
    names = dict(labels or {})
    series: dict[str, list[dict[str, Any]]] = {}
    for i, week in enumerate(_rows(weeks, "weeks")):
        counts = week.get("counts")
        if not isinstance(counts, Mapping):
            raise _refuse(f"weeks[{i}].counts", _("%(field)s moet een object zijn.")
                          % {"field": f"weeks[{i}].counts"})
        for key, value in counts.items():
            series.setdefault(str(key), []).append(
                {"week": _text(week, "week"), "value": value, "suppressed": value is None})
    return [{"key": k, "label": str(names.get(k, k)), "points": p} for k, p in series.items()]


def weekly_lines(series: Sequence[Row], *, threshold: int, title: str | None = None,
                 y_label: str | None = None, chart_id: str | None = None) -> SafeString:
    """A line per series over the weeks, e.g. the open items within the norm, past the
    norm and past three times the norm. `series`: dicts with `key`, `label` and `points`,
    a list of dicts with `week` (an ISO week "2026-W02" or the ISO date of its Monday; any
    other sortable text is shown as it is), `value` and `suppressed`. A suppressed or
    missing week is a gap in the line. Each line has its own dash pattern and point shape,
    named in the key under the chart. waiting_series and wip_series make the series from
    insight.waiting's and insight.value_stream's weeks."""
    threshold = _threshold(threshold)
    cid = _chart_id(chart_id, "weekly", series, title, y_label)
    title = title or _("Wachtlijst per week")
    y_label = y_label or _("aantal open")
    rows = _rows(series, "series")
    lines: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        field = f"series[{i}]"
        values: dict[str, float | None] = {}
        for j, point in enumerate(_rows(row.get("points"), f"{field}.points")):
            where = f"{field}.points[{j}]"
            week = _text(point, "week")
            if not week:
                raise _refuse(f"{where}.week", _("%(field)s ontbreekt.")
                              % {"field": f"{where}.week"})
            value = _number(point, "value", where, low=0)
            values[week] = None if point.get("suppressed") else value
        lines.append({"label": _text(row, "label", _text(row, "key", f"{i + 1}")),
                      "values": values})
    weeks = sorted({week for line in lines for week in line["values"]})
    if not weeks:
        return _empty("weekly", cid, title)

    top = max([v for line in lines for v in line["values"].values() if v is not None],
              default=0.0)
    y_ticks = _axis(0.0, top or 1.0, whole=True)
    y_end = y_ticks[-1]

    def fx(i: int) -> float:
        return L_X0 + 12 + (L_X1 - L_X0 - 24) * (i / (len(weeks) - 1) if len(weeks) > 1
                                                 else 0.5)

    def fy(v: float) -> float:
        return L_Y1 - (L_Y1 - L_Y0) * v / y_end

    gaps = sum(1 for line in lines for w in weeks if line["values"].get(w, 0) is None)
    last = weeks[-1]
    now = [f"{line['label']} {_count(int(line['values'][last]))}" for line in lines
           if line["values"].get(last) is not None]
    summary = ngettext("%(count)s lijn over %(weeks)s weken (%(first)s tot %(last)s)",
                       "%(count)s lijnen over %(weeks)s weken (%(first)s tot %(last)s)",
                       len(lines)) % {"count": len(lines), "weeks": len(weeks),
                                      "first": _week_label(weeks[0], year=True),
                                      "last": _week_label(last, year=True)}
    if now:
        summary += _("; in de laatste week: %(values)s") % {"values": _list(now)}
    if gaps:
        summary += _("; weken zonder punt zijn verborgen")
    summary += "."

    per_row = 3
    key_rows = math.ceil(len(lines) / per_row)
    height = L_Y1 + 2 * LINE + 24 + key_rows * (LINE + 6) + (LINE + 6 if gaps else 0)
    parts = _open("weekly", cid, WIDTH, height, title, summary)
    for v in y_ticks:
        y = fy(v)
        parts.append(f'<line x1="{L_X0}" y1="{_num(y)}" x2="{L_X1}" y2="{_num(y)}" '
                     f'class="jk-ic-grid" stroke="{GRID}"/>')
        parts.append(_t(L_X0 - 8, y + 5, _amount(v, False), "jk-ic-tick", anchor="end"))
    parts.append(_t(L_X0, L_Y0 - 10, y_label, "jk-ic-axis-title"))
    every = max(1, math.ceil(len(weeks) / 9))
    shown_year: int | None = None
    for i, week in enumerate(weeks):
        if i % every == 0:
            day = _week_day(week)
            new_year = day is not None and day.year != shown_year
            shown_year = day.year if day is not None else shown_year
            parts.append(_t(fx(i), L_Y1 + LINE + 2, _week_label(week, year=new_year),
                            "jk-ic-tick", anchor="middle"))
    parts.append(_t((L_X0 + L_X1) / 2, L_Y1 + 2 * LINE + 8, _("week (de maandag)"),
                    "jk-ic-axis-title", anchor="middle"))

    for s, line in enumerate(lines):
        kind = MARKERS[s % len(MARKERS)]
        dash = DASHES[s % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        cls = f"jk-ic-series jk-ic-series--{s % 6}"
        parts.append(f'<g class="{cls}" data-series="{s}">')
        run: list[tuple[float, float]] = []
        runs: list[list[tuple[float, float]]] = []
        for i, week in enumerate(weeks):
            value = line["values"].get(week)
            if value is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append((fx(i), fy(value)))
        if run:
            runs.append(run)
        for segment in runs:
            if len(segment) > 1:
                coords = " ".join(f"{_num(x)},{_num(y)}" for x, y in segment)
                parts.append(f'<polyline points="{coords}" fill="none" '
                             f'class="jk-ic-series__line" stroke="{INK}" '
                             f'stroke-width="2"{dash_attr}/>')
            for x, y in segment:
                parts.append(_marker(kind, x, y, "jk-ic-series__point"))
        parts.append("</g>")

    ky = L_Y1 + 2 * LINE + 24 + LINE
    for s, line in enumerate(lines):
        x = L_X0 + (s % per_row) * 220
        y = ky + (s // per_row) * (LINE + 6)
        dash = DASHES[s % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="jk-ic-series jk-ic-series--{s % 6}">'
                     f'<line x1="{x}" y1="{_num(y - 5)}" x2="{x + 36}" y2="{_num(y - 5)}" '
                     f'class="jk-ic-series__line" stroke="{INK}" stroke-width="2"{dash_attr}/>'
                     + _marker(MARKERS[s % len(MARKERS)], x + 18, y - 5, "jk-ic-series__point")
                     + _t(x + 44, y, _short(line["label"], 22), "jk-ic-note") + "</g>")
    if gaps:
        parts.append(_t(L_X0, ky + key_rows * (LINE + 6), _(
            "Een onderbroken lijn: die week is verborgen (minder dan %(threshold)s).")
            % {"threshold": threshold}, "jk-ic-suppressed"))
    return _close(parts)


# ---- costs -------------------------------------------------------------------------------

C_BAR_H = 16
C_PLOT_W = 250  # narrower than the other bars: the words beside a bar are longer
C_KEY = 12  # the key's first line, above the plot


def _cost_measures() -> list[tuple[str, tuple[str, ...], str, str]]:
    """(name, the keys it is read from, the word beside its bar, its line in the key)."""
    return [
        ("budgeted", ("budgeted", "budget_per_trajectory"), _("begroot"),
         _("begroot (open, gestreepte rand)")),
        ("spent", ("spent", "spent_per_trajectory"), _("besteed"), _("besteed (dicht)")),
        ("per_helped", ("spent_per_helped",), _("per traject dat hielp"),
         _("besteed per traject dat hielp (gearceerd)")),
    ]


def _cost_bar(measure: str, cid: str, x: float, y: float, width: float) -> str:
    if measure == "budgeted":
        look = (f'fill="#ffffff" stroke="{ACCENT}" stroke-width="2" '
                f'stroke-dasharray="5 3"')
    elif measure == "spent":
        look = f'fill="{ACCENT}" stroke="{ACCENT}"'
    else:
        look = f'fill="url(#{cid}-hatch)" stroke="{ACCENT}" stroke-width="2"'
    return (f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(width)}" height="{C_BAR_H}" '
            f'class="jk-ic-cost jk-ic-cost--{measure.replace("_", "-")}" {look}/>')


def cost_x(value: float, end: float) -> float:
    """Where an amount lands on the costs' axis (0 .. end)."""
    return PLOT_X + C_PLOT_W * value / end


def cost_bars(rows: Sequence[Row], *, threshold: int, title: str | None = None,
              chart_id: str | None = None) -> SafeString:
    """Budgeted and spent per group, a bar each with its amount in words beside it:
    budgeted an open bar with a dashed edge, spent a filled one, and (when the rows have
    it) spent per trajectory that helped a hatched one. `rows`: dicts with `group`,
    `label`, `budgeted` (or `budget_per_trajectory`), `spent` (or `spent_per_trajectory`),
    optional `spent_per_helped` and `n`, and `suppressed`: CostRow.as_dict()
    (insight.costs) reads as it is. Amounts in euros."""
    threshold = _threshold(threshold)
    cid = _chart_id(chart_id, "costs", rows, title)
    title = title or _("Begroot en besteed per groep")
    measures = _cost_measures()
    items: list[dict[str, Any]] = []
    for i, row in enumerate(_rows(rows, "rows")):
        field = f"rows[{i}]"
        total = row.get("group") == ""
        item: dict[str, Any] = {
            "row": row, "total": total,
            "label": _text(row, "label", _("Totaal") if total else _text(row, "group", "?")),
            "n": _number(row, "n", field, low=0),
            "suppressed": bool(row.get("suppressed"))}
        for name, keys, _word, _key in measures:
            item[name] = _pick(row, keys, field, low=0)
        items.append(item)
    if not items:
        return _empty("costs", cid, title)
    used = [m for m in measures
            if m[0] != "per_helped" or any(it["per_helped"] is not None for it in items)]
    ticks = _axis(0.0, max([it[m[0]] for it in items if not it["suppressed"] for m in used
                            if it[m[0]] is not None], default=1.0) or 1.0)
    end = ticks[-1]

    visible = [it for it in items if not it["suppressed"] and not it["total"]
               and it["spent"] is not None]
    hidden = [it for it in items if it["suppressed"]]
    summary = ngettext("Begroot en besteed voor %(count)s groep",
                       "Begroot en besteed voor %(count)s groepen", len(visible)) % {
        "count": len(visible)}
    over = [it["label"] for it in visible
            if it["budgeted"] is not None and it["spent"] > it["budgeted"]]
    if visible:
        most = max(visible, key=lambda it: it["spent"])
        summary += _("; het meest besteed: %(label)s (%(amount)s)") % {
            "label": most["label"], "amount": _money(most["spent"])}
    if over:
        summary += _("; meer besteed dan begroot: %(names)s") % {"names": _list(over)}
    if hidden:
        summary += ngettext("; %(count)s groep verborgen", "; %(count)s groepen verborgen",
                            len(hidden)) % {"count": len(hidden)}
    summary += "."

    row_h = len(used) * (C_BAR_H + 2) + 26
    top = C_KEY + len(used) * (LINE + 4) + 12
    axis_y = top + len(items) * row_h
    height = axis_y + 2 * LINE + 16
    parts = _open("costs", cid, WIDTH, height, title, summary)
    parts.append(
        f'<defs><pattern id="{cid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff" '
        f'class="jk-ic-hatch__bg"/><line x1="0" y1="0" x2="0" y2="6" stroke="{ACCENT}" '
        f'stroke-width="3" class="jk-ic-hatch"/></pattern></defs>')
    # The key, above the plot: a line per kind of bar.
    for k, (name, _keys, _word, key_text) in enumerate(used):
        y = C_KEY + k * (LINE + 4)
        parts.append(_cost_bar(name, cid, PLOT_X, y, 24))
        parts.append(_t(PLOT_X + 32, y + 13, key_text, "jk-ic-note"))
    for tick in ticks:
        x = cost_x(tick, end)
        parts.append(f'<line x1="{_num(x)}" y1="{top - 6}" x2="{_num(x)}" '
                     f'y2="{_num(axis_y)}" class="jk-ic-grid" stroke="{GRID}"/>')
        parts.append(_t(x, axis_y + LINE + 2, _money(tick), "jk-ic-tick", anchor="middle"))
    for i, it in enumerate(items):
        y = top + i * row_h
        cls = "jk-ic-row" + (" jk-ic-row--total" if it["total"] else "")
        parts.append(f'<g class="{cls}" data-group="{_esc(_text(it["row"], "group"))}">')
        parts.append(_t(LABEL_W, y + 20, _short(it["label"], 28), "jk-ic-label", anchor="end",
                        bold=it["total"]))
        if it["n"] is not None and not it["suppressed"]:
            parts.append(_t(LABEL_W, y + 20 + LINE, _("n = %(n)s") % {
                "n": _count(int(it["n"]))}, "jk-ic-label jk-ic-label--n", anchor="end",
                fill=MUTED))
        if it["suppressed"]:
            parts.append(_t(PLOT_X + 6, y + 20, _hidden(threshold, it["row"]),
                            "jk-ic-suppressed"))
            parts.append("</g>")
            continue
        for k, (name, _keys, word, _key) in enumerate(used):
            by = y + 7 + k * (C_BAR_H + 2)
            value = it[name]
            if value is None:
                parts.append(_t(PLOT_X + 6, by + 13, f"{word}: " + _("geen gegevens"),
                                "jk-ic-value"))
                continue
            x = cost_x(value, end)
            parts.append(_cost_bar(name, cid, PLOT_X, by, x - PLOT_X))
            parts.append(_t(max(x, PLOT_X + C_PLOT_W) + 8, by + 13,
                            f"{word} {_money(value)}", "jk-ic-value"))
        parts.append("</g>")
    return _close(parts)
