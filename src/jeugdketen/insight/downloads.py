"""The dashboard's figures as CSV (issue 12, "Exports"): one download per section of the
insight page (/inzicht/download/?gebied=&tot=&sectie=), with exactly the tables the page
shows for the same area, period and language.

- The same access path as the page: `actions.check_reader` (a role without a ground: the
  403 page, logged) and `actions.read_insight` (the policy, one access-log record with the
  area as its object; an area of another municipality answers as an unknown one and is
  logged as denied). Every download is in the access log.
- The same figures as the page: the CSV is written from the page's own section structures
  (`views.cached_sections`: tables of caption, columns and rows of cells), so suppression,
  rounding and wording are the page's by construction. A hidden cell says what the page
  says ("verborgen"), never a number.
- The layout (docs/insight.md, "Download"): per table of the section a header row
  ("Tabel" and the table's columns), then one row per table row with the table's caption
  first; an empty line between tables. `;` between fields and UTF-8 with a byte order
  mark, which Dutch Excel opens in columns with accents intact (LibreOffice asks and
  finds the same). Numbers as the page writes them, in the caller's language.
- A field that starts with = + - @ (or a tab or carriage return) would be a formula to a
  spreadsheet: it is written with a ' in front (area and provider names come from
  reference data).
- Bad input is refused naming the field (422): `gebied`, `tot`, `sectie`; a section
  without a table (the page shows no link there) or a store without data: 404.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from jeugdketen.core.errors import Refusal
from jeugdketen.insight import actions, selectors, store, views
from jeugdketen.insight.forms import ScopeForm
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, page, refusal_to_form

# The dashboard's sections by their key (views.sections() in the page's order); the key is
# the `sectie` asked for and the last part of the file's name.
SECTIONS: dict[str, Any] = {
    "kpis": gettext_lazy("De vier doelen"),
    "waardestroom": gettext_lazy("De waardestroom"),
    "wachtlijsten": gettext_lazy("Wachtlijsten"),
    "uitkomsten": gettext_lazy("Uitkomsten"),
    "kosten": gettext_lazy("Kosten"),
}
BOM = "\ufeff"
DELIMITER = ";"
# A spreadsheet takes a field starting with one of these as a formula (OWASP, "CSV
# injection"); with a ' in front it is text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class DownloadForm(ScopeForm):
    """The page's scope (gebied, tot: the same choices and messages) and the section."""

    sectie = forms.ChoiceField(
        label=gettext_lazy("Sectie"), choices=list(SECTIONS.items()),
        error_messages={"invalid_choice": gettext_lazy(
            "Kies een sectie van de pagina: kpis, waardestroom, wachtlijsten, uitkomsten of "
            "kosten.")})


def safe(value: Any) -> str:
    """A field as text a spreadsheet shows as text, never runs as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def tables_of(section: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The tables the page shows of a section: the parts with rows (a part without rows
    shows a sentence, no table)."""
    return [part for part in section.get("parts", []) if part.get("rows")]


def csv_text(tables: Iterable[Mapping[str, Any]]) -> str:
    """The tables as CSV text (with its byte order mark): per table a header row ("Tabel"
    and its columns) and a row per table row (its caption and the cells' text, a hidden
    cell as the page shows it); an empty line between tables."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    for i, table in enumerate(tables):
        if i:
            writer.writerow([])
        writer.writerow([safe(_("Tabel")), *(safe(column) for column in table["columns"])])
        caption = safe(table["caption"])
        for row in table["rows"]:
            writer.writerow([caption, *(safe(c["text"]) for c in row)])
    return out.getvalue()


def filename(reading: actions.Reading, section: str) -> str:
    """inzicht-<gebied>-<tot>-<sectie>.csv (an area code, a date and a key: nothing to
    quote)."""
    return f"inzicht-{reading.scope.area}-{reading.last_day.isoformat()}-{section}.csv"


def refused(request: HttpRequest, form: forms.Form | None, status: int,
            message: str = "") -> HttpResponse:
    """The page that says why there is no file: each field with its problem."""
    problems: list[dict[str, Any]] = []
    if form is not None:
        problems = [{"label": form.fields[name].label, "message": text}
                    for name in form.fields if name in form.errors
                    for text in form.errors[name]]
        problems += [{"label": "", "message": text} for text in form.non_field_errors()]
    return render(request, "insight/download_refused.html",
                  {"problems": problems, "message": message}, status=status)


@page(r.has_professional)
@require_safe
def download(request: HttpRequest) -> HttpResponse:
    """One section of the dashboard of an area of the own municipality over a period, as
    a CSV file."""
    actor = actor_for(request)
    own = actions.check_reader(actor)
    today = timezone.localdate()
    form = DownloadForm(request.GET, areas=selectors.areas_of(own),
                        ends=actions.period_ends(today, store.first_day()))
    if not form.is_valid():
        asked_area = request.GET.get("gebied", "")
        if "gebied" in form.errors and asked_area:
            # As the page: not an area of the own municipality; read_insight refuses it as
            # unknown and logs the attempt with the area as its object.
            with contextlib.suppress(Refusal):
                actions.read_insight(actor, asked_area[:20], today=today)
        return refused(request, form, 422)
    try:
        reading = actions.read_insight(actor, form.cleaned_data["gebied"],
                                       end=form.cleaned_data["tot"] or None, today=today)
    except Refusal as refusal:
        refusal_to_form(form, refusal, ScopeForm.error_field)
        return refused(request, form, 404 if refusal.status == 404 else 422)
    key = form.cleaned_data["sectie"]
    if store.is_empty():
        return refused(request, None, 404, _(
            "Nog geen gegevens: er zijn nog geen cijfers om te downloaden."))
    sections = views.cached_sections(store.reader(), reading)
    tables = next((tables_of(s) for s in sections if s["key"] == key), [])
    if not tables:
        return refused(request, None, 404, _(
            "De sectie „%(section)s” heeft voor dit gebied en deze periode geen tabel om te "
            "downloaden.") % {"section": SECTIONS[key]})
    response = HttpResponse(csv_text(tables).encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(reading, key)}"'
    return response
