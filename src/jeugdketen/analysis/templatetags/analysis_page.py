"""The integral analysis on the family page of a plan, and the T-score chart of its
evaluations: the plan template loads these tags by name (`{% load analysis_page %}`), so
plans needs nothing of the analysis app.

`{% plan_analysis plan_view %}` reads, per member the viewer may see the analysis of, their
scores over time (each member's analysis read is logged) and writes the part of the family
page: the latest score per life domain and the stress, with a link to the analysis page.
`{% plan_analysis plan_view full=True %}` writes the analysis page (analysis.views
.plan_analysis_page): the same, with the charts per domain and every score in a table.
The rows of the tables are written in Python, as the plan's own
(plans.templatetags.plan_page)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from jeugdketen.analysis import actions as analysis_actions
from jeugdketen.analysis.chart import domain_charts, is_stale
from jeugdketen.analysis.chart import t_score_chart as _t_score_chart
from jeugdketen.analysis.domains import ALL_DOMAINS, LEVELS, Stress, domains_for
from jeugdketen.plans.templatetags.plan_page import STALE, TH_ROW, cell, escaped, joined
from jeugdketen.registry.models import Person

register = template.Library()


def _day(day: date) -> str:
    """'j-n-Y' without the template engine: 7-3-2026."""
    return f"{day.day}-{day.month}-{day.year}"


def _long_day(day: date) -> str:
    """'j F Y' in the current language: 7 maart 2026."""
    return dateformat.format(day, "j F Y")


@register.inclusion_tag("analysis/plan_analysis.html")
def plan_analysis(view: Any, full: bool = False) -> dict[str, Any]:
    """The analysis part of the family page, or with `full` the analysis page (view:
    plans.views.base.PlanView)."""
    page_ = view.page
    found = analysis_actions.analyses_for(view.actor, view.plan, page_.members)
    page_url = "" if full else reverse("plan_analysis_page", kwargs={"plan_id": view.plan_id})
    return {"full": full, "analyses": [
        _analysis_view(view, m, found.get(str(m.pk)), full=full, page_url=page_url)
        for m in page_.members]}


@register.simple_tag
def t_score_chart(evaluations: list[Any] | None) -> SafeString | str:
    """The T-score of the plan over its evaluations."""
    if not evaluations:
        return ""
    return _t_score_chart([(e.on, e.t_score) for e in evaluations], chart_id="tscore")


def _analysis_view(view: Any, person: Person, entry: Any, *, full: bool,
                   page_url: str) -> dict[str, Any]:
    today = view.today
    age = person.age_on(today)
    out: dict[str, Any] = {
        "person": person, "age": age, "visible": entry is not None,
        "key": person.pk.hex,
        "record_url": reverse("plan_analysis", kwargs={
            "plan_id": view.plan_id, "person_id": person.pk})
        if view.can_record_analysis(person) else "",
    }
    if entry is None:
        return out
    order = {domain: i for i, domain in enumerate(domains_for(age))}
    latest = []
    for domain, score in entry.latest.items():
        on = entry.series[domain][-1][0]
        latest.append({
            "label": domain_label(domain), "order": order.get(domain, 99),
            "professional": level_label(score.professional_score),
            "family": level_label(score.family_score),
            "strengths": score.strengths, "concerns": score.concerns,
            "on": _day(on), "stale": is_stale(on, today)})
    latest.sort(key=lambda row: row["order"])
    out |= {
        "latest": latest, "latest_on": entry.latest_on, "stale": entry.stale,
        "stress": [{"on": _long_day(on), "label": Stress.LABELS.get(j.level, j.level),
                    "note": j.note, "stale": is_stale(on, today)}
                   for on, j in reversed(entry.stress)],
        "count": len({a.pk for a in entry.analyses}
                     | {j.analysis_id for _on, j in entry.stress}),
    }
    if not full:  # the family page: a link to the charts and scores on the analysis page
        out["more_url"] = f"{page_url}#analyse-{person.pk.hex}"
        return out
    charts = domain_charts(entry, chart_id=f"chart-{person.pk.hex[:12]}", today=today)
    out |= {"charts": charts, "history": _score_table(charts)}
    return out


def _score_table(charts: list[Any]) -> dict[str, Any]:
    """The charts' numbers once more as a table: a row per domain, a column per date of
    an analysis (a second analysis on the same day gets a column of its own), in each cell
    the professional's score and the family's ("2 / 3")."""
    cells: list[dict[tuple[date, int], str]] = []
    for chart in charts:
        seen: dict[date, int] = {}
        row: dict[tuple[date, int], str] = {}
        for point in chart.rows:
            nth = seen[point.on] = seen.get(point.on, -1) + 1
            row[(point.on, nth)] = (f"{'–' if point.professional is None else point.professional}"
                                    f" / {'–' if point.family is None else point.family}")
        cells.append(row)
    columns = sorted(set().union(*cells)) if cells else []
    heads = [_day(on) for on, _nth in columns]
    return {"columns": heads, "rows": [
        {"label": chart.label, "cells": [(head, row.get(column, "–"))
                                         for head, column in zip(heads, columns, strict=True)]}
        for chart, row in zip(charts, cells, strict=True)]}


def domain_label(domain: str) -> str:
    return str(ALL_DOMAINS.get(domain, domain))


@register.simple_tag
def latest_rows(rows: list[dict[str, Any]]) -> SafeString:
    """The latest score per life domain of one member."""
    prof, family, strengths, concerns, day = (
        escaped(_("Professional")), escaped(_("Gezin")), escaped(_("Krachten")),
        escaped(_("Zorgen")), escaped(_("Datum")))
    stale = STALE.format(escaped(_("verouderd")))
    return joined([
        f'<tr class="utrecht-table__row">{TH_ROW}{escaped(row["label"])}</th>'
        f'{cell(prof, escaped(row["professional"]))}{cell(family, escaped(row["family"]))}'
        f'{cell(strengths, escaped(row["strengths"] or "–"))}'
        f'{cell(concerns, escaped(row["concerns"] or "–"))}'
        f'{cell(day, escaped(row["on"]) + (" " + stale if row["stale"] else ""))}</tr>\n'
        for row in rows])


@register.simple_tag
def history_rows(rows: list[dict[str, Any]]) -> SafeString:
    """Every score of one member: a row per domain, a cell per analysis date."""
    return joined([
        f'<tr class="utrecht-table__row">{TH_ROW}{escaped(row["label"])}</th>'
        + "".join(cell(escaped(day), escaped(text)) for day, text in row["cells"]) + "</tr>\n"
        for row in rows])


@register.filter
def level_label(score: Any) -> str:
    """A self-reliance score 1-5 with its words: '3 – beperkt zelfredzaam'."""
    if score in (None, ""):
        return "–"
    return f"{score} – {LEVELS.get(int(score), '')}"
