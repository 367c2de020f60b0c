"""The insight page and the last disclosure findings of issue 12 (docs/insight.md,
"Rounded flow counts" and "Provider tables: the whole municipality"): the rounded tables
say so in their caption and show only 0, hidden or multiples of the threshold; the
provider tables say they are the municipality's and are the same for every area."""

from __future__ import annotations

import re

import pytest

from tests.insight.test_attack_insight import flows_store
from tests.insight.test_pages import client, figures_store, main_text, publish

DASHBOARD = "/inzicht/"
ROUNDED = ["Directe opvolging van stappen", "Onderhanden werk per week en stap",
           "Open meldingen per stap, nu", "Open meldingen per organisatie en stap, nu",
           "Open meldingen aan het eind van elke week"]


@pytest.fixture(autouse=True)
def _pages(settings):
    from tests.pages import for_pages

    for_pages(settings)


def tables(body: str) -> dict[str, list[list[str]]]:
    """caption -> the rows' cells (text, the row's header first)."""
    out = {}
    for caption, inner in re.findall(
            r'<caption[^>]*>\s*(.*?)\s*</caption>(.*?)</table>', body, flags=re.S):
        rows = re.findall(r'<tr class="utrecht-table__row">(.*?)</tr>', inner, flags=re.S)
        out[caption] = [[re.sub(r"<[^>]+>", "", c).strip()
                         for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
                        for row in rows]
    return out


@pytest.mark.parametrize("area", ["WK991101", "BU99110101"])
def test_each_rounded_table_says_so_and_shows_only_multiples_of_the_threshold(
        iw, insight_dir, area):
    publish(insight_dir, flows_store)
    body = client(iw.analyst).get(f"{DASHBOARD}?gebied={area}&tot=2026-11-30").content.decode()
    found = tables(body)
    rounded = {c: rows for c, rows in found.items() if c.endswith("(afgerond op 10)")}
    assert sorted(c.removesuffix(" (afgerond op 10)") for c in rounded) == sorted(ROUNDED)
    assert "De stappen van eerste contact tot afsluiten" in found  # exact: not rounded
    numbers = 0
    for caption, rows in rounded.items():
        for row in rows:
            cells = row[1:] if not caption.startswith("Directe") else [row[2]]
            for text in cells:
                if text.isdigit():
                    numbers += 1
                    assert int(text) % 10 == 0, (caption, row)
    assert numbers > 20


def provider_part(body: str) -> str:
    text = main_text(body)
    return text[text.index("Per aanbieder:"):text.index("Kosten")]


def test_the_provider_tables_are_the_municipalitys_on_every_areas_page(iw, insight_dir):
    publish(insight_dir, figures_store)
    c = client(iw.analyst)
    parts = {area: provider_part(c.get(f"{DASHBOARD}?gebied={area}&tot=2026-11-30")
                                 .content.decode())
             for area in ("GM9911", "WK991101", "BU99110101", "BU99110102")}
    town = parts["GM9911"]
    assert "Aanbieders: de hele gemeente Telstad, ook als u een wijk of buurt kiest." in town
    assert "Telstad (totaal)" in town and "Jeugdhulp Telstad" in town
    for area, part in parts.items():
        assert part == town, area


def test_the_neighbourhood_tables_do_not_say_provider_scope(iw, insight_dir):
    publish(insight_dir, figures_store)
    text = main_text(client(iw.analyst).get(
        f"{DASHBOARD}?gebied=WK991101&tot=2026-11-30").content.decode())
    by_hood = text[text.index("Per buurt:"):text.index("Per aanbieder:")]
    assert "Aanbieders: de hele gemeente" not in by_hood
