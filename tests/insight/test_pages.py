"""The insight pages (issue 12): who sees them (the municipality's analyst, its coordinator
and its front door; nobody else), what they show of an area of the own municipality (never
another's), that every read is logged with the area as its object, the message of an empty
store, hidden (suppressed) figures, and the analyst's publication settings with their
refusals."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.insight import schema, store
from jeugdketen.insight.models import FOLLOW_UP_CHOICES, PublicationSettings
from tests import factories as f
from tests.insight import handmade
from tests.pages import anonymous

DASHBOARD = "/inzicht/"
SETTINGS = "/inzicht/instellingen/"


# `insight_dir` (tests/insight/conftest.py): a store directory of the test's own, empty
# until `publish` writes a snapshot.


# --- a small world: two municipalities, the roles around them -------------------------------


class InsightWorld:
    def __init__(self) -> None:
        self.a = f.MunicipalityFactory(code="GM9911", name="Telstad")
        self.district = f.DistrictFactory(municipality=self.a, code="WK991101", name="Noord")
        self.hood = f.NeighbourhoodFactory(district=self.district, code="BU99110101",
                                           name="Oude Haven")
        self.hood2 = f.NeighbourhoodFactory(district=self.district, code="BU99110102",
                                            name="Nieuwe Haven")
        self.b = f.MunicipalityFactory(code="GM9912", name="Andersdorp")
        self.district_b = f.DistrictFactory(municipality=self.b, code="WK991201", name="Zuid")
        self.hood_b = f.NeighbourhoodFactory(district=self.district_b, code="BU99120101",
                                             name="Molenbuurt")
        org = f.OrganisationFactory
        self.town = org(name="Gemeente Telstad", kind="municipality", municipality=self.a)
        self.team = org(name="Wijkteam Telstad", kind="neighbourhood_team", municipality=self.a)
        self.provider = org(name="Jeugdhulp Telstad", kind="youth_care_provider",
                            municipality=self.a)
        self.town_b = org(name="Gemeente Andersdorp", kind="municipality", municipality=self.b)
        pro = f.ProfessionalFactory
        self.analyst = pro(organisation=self.town, roles=["municipal_analyst"])
        self.coordinator = pro(organisation=self.town, roles=["coordinator"])
        self.front_door = pro(organisation=self.team, roles=["professional", "front_door"])
        self.analyst_b = pro(organisation=self.town_b, roles=["municipal_analyst"])
        self.front_door_b = pro(organisation=self.town_b, roles=["front_door"])
        self.denied = {
            "professional": pro(organisation=self.team, roles=["professional"]),
            "provider-coordinator": pro(organisation=self.provider, roles=["coordinator"]),
            "provider-analyst": pro(organisation=self.provider, roles=["municipal_analyst"]),
            "team-coordinator": pro(organisation=self.team, roles=["coordinator"]),
            "privacy-officer": pro(organisation=self.town, roles=["privacy_officer"]),
            "functional-admin": pro(organisation=self.town, roles=["functional_admin"]),
            "platform-admin": pro(organisation=self.town, roles=["platform_admin"]),
            "no-role": pro(organisation=self.town, roles=[]),
        }

    @property
    def allowed(self) -> dict[str, Any]:
        return {"analyst": self.analyst, "coordinator": self.coordinator,
                "front-door": self.front_door}


def publish(directory: Any, fill: Any) -> None:
    """Write a published snapshot as refresh would leave it: the schema, its version, when
    it was made, and what `fill(con)` adds (hand-made events and reference data)."""
    import duckdb

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / store.PUBLISHED
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    schema.create(con)
    store.set_meta(con, "schema_version", str(schema.SCHEMA_VERSION))
    store.set_meta(con, "refreshed_at", "2026-12-01T08:00:00+00:00")
    # The log began two years earlier (an organisation joined): every twelve-month window
    # up to November 2026 lies in months with data.
    from tests.insight import handmade

    handmade.add(con, "organisation.created", "", "2024-12-02", kind="municipality")
    fill(con)
    con.close()


def areas(con: Any) -> None:
    """The world's areas in the store (reference data)."""
    for hood, name in (("BU99110101", "Oude Haven"), ("BU99110102", "Nieuwe Haven")):
        handmade.area(con, hood, "WK991101", "GM9911", (name, "Noord", "Telstad"))
    handmade.area(con, "BU99120101", "WK991201", "GM9912", ("Molenbuurt", "Zuid", "Andersdorp"))


def one_event(con: Any) -> None:
    areas(con)
    handmade.add(con, "care_report.received", "t1", "2026-03-02", neighbourhood="BU99110101",
                 reporter="professional", urgency="regular")


def client(who: Any, lang: str = "nl") -> Any:
    from django.test import Client

    c = Client(HTTP_USER_AGENT="pytest-insight")
    c.force_login(who.user)
    c.cookies["django_language"] = lang
    return c


def insight_reads(**filters: Any) -> list[AccessLogRecord]:
    return list(AccessLogRecord.objects.filter(data="insight", **filters).order_by("id"))


@pytest.fixture(autouse=True)
def _pages(settings):
    from tests.pages import for_pages

    for_pages(settings)


# --- who sees the dashboard ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["analyst", "coordinator", "front-door"])
def test_the_dashboard_renders_for_each_allowed_role_and_the_read_is_logged(iw, insight_dir,
                                                                         who):
    response = client(iw.allowed[who]).get(DASHBOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Inzicht in de keten" in body
    # Default: the own municipality, the last twelve full months.
    assert 'value="GM9911" selected' in body or 'value="GM9911"  selected' in body
    reads = insight_reads(outcome="allowed")
    assert [(r.action, r.object_id, r.client_id) for r in reads] == [("read", "GM9911", "")]
    expected_role = "front_door" if who == "front-door" else iw.allowed[who].roles[0]
    assert reads[0].role == expected_role


@pytest.mark.parametrize("who", ["professional", "provider-coordinator", "provider-analyst",
                                 "team-coordinator", "privacy-officer", "functional-admin",
                                 "platform-admin", "no-role"])
def test_the_dashboard_is_denied_to_every_other_role_and_the_attempt_logged(iw, insight_dir,
                                                                            who):
    response = client(iw.denied[who]).get(DASHBOARD + "?gebied=BU99110101")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Oude Haven" not in body and "Nieuwe Haven" not in body
    assert 'value="BU99110101"' not in body
    denied = insight_reads(outcome="denied")
    assert len(denied) == 1 and denied[0].action == "read"
    assert insight_reads(outcome="allowed") == []


def test_a_citizen_and_no_one_get_no_dashboard(iw, insight_dir):
    assert anonymous().get(DASHBOARD).status_code == 302
    citizen = f.UserFactory(person=f.PersonFactory())
    c = client(type("W", (), {"user": citizen})())
    assert c.get(DASHBOARD).status_code == 403


def test_the_menu_shows_insight_to_the_allowed_roles_only(iw, insight_dir):
    for who in iw.allowed.values():
        body = client(who).get(reverse("home")).content.decode()
        assert f'href="{DASHBOARD}"' in body, who.roles
    for name, who in iw.denied.items():
        body = client(who).get(reverse("home")).content.decode()
        assert f'href="{DASHBOARD}"' not in body, name


# --- what an allowed reader may ask for ----------------------------------------------------------


def test_an_empty_store_says_there_is_no_data_yet_and_how_to_get_it(iw, insight_dir):
    body = client(iw.analyst).get(DASHBOARD).content.decode()
    assert "Nog geen gegevens." in body
    assert "jeugdketen insight refresh" in body


def test_the_picker_offers_only_the_own_municipalitys_areas(iw, insight_dir):
    body = client(iw.analyst).get(DASHBOARD).content.decode()
    for code in ("GM9911", "WK991101", "BU99110101", "BU99110102"):
        assert f'value="{code}"' in body
    for code in ("GM9912", "WK991201", "BU99120101"):
        assert code not in body
    assert "Andersdorp" not in body and "Molenbuurt" not in body


@pytest.mark.parametrize("area", ["BU99120101", "GM9912", "WK991201"])
def test_another_municipalitys_area_shows_nothing_of_it(iw, insight_dir, area):
    publish(insight_dir, one_event)
    response = client(iw.analyst).get(
        DASHBOARD + f"?gebied={area}&tot=2026-11-30")
    assert response.status_code == 422
    body = response.content.decode()
    assert "Kies een gebied uit de lijst." in body
    assert "Molenbuurt" not in body and "Andersdorp" not in body and "Zuid" not in body
    assert insight_reads(outcome="allowed", object_id=area) == []


def test_a_neighbourhood_of_the_own_municipality_is_read_and_logged_as_such(iw, insight_dir):
    publish(insight_dir, one_event)
    response = client(iw.coordinator).get(
        DASHBOARD + "?gebied=BU99110101&tot=2026-11-30")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Oude Haven" in body
    assert "Nog geen gegevens." not in body
    assert "Bijgewerkt op" in body
    assert [r.object_id for r in insight_reads(outcome="allowed")] == ["BU99110101"]


@pytest.mark.parametrize(("query", "field", "message"), [
    ("gebied=GM9911&tot=2026-06-15", "tot", "Kies een periode uit de lijst."),
    ("gebied=GM9911&tot=2099-12-31", "tot", "Kies een periode uit de lijst."),
    ("gebied=GM9911&tot=2020-12-31", "tot", "Kies een periode uit de lijst."),
    ("gebied=&tot=2026-11-30", "gebied", "Dit veld is verplicht"),
])
def test_bad_scope_input_is_a_422_naming_the_field(iw, insight_dir, query, field, message):
    publish(insight_dir, one_event)
    response = client(iw.analyst).get(f"{DASHBOARD}?{query}")
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert f'id="id_{field}"' in body and 'aria-invalid="true"' in body
    assert insight_reads(outcome="allowed") == []


# --- the publication settings --------------------------------------------------------------------


def test_the_analyst_sees_and_changes_the_publication_settings(iw, insight_dir):
    c = client(iw.analyst)
    body = c.get(SETTINGS).content.decode()
    assert 'name="threshold"' in body and 'value="10"' in body
    # The follow-up is one of the fixed periods, the current one selected.
    assert [int(v) for v in re.findall(r'<option value="(\d+)"', body)] == list(
        FOLLOW_UP_CHOICES)
    assert '<option value="182" selected>' in body
    response = c.post(SETTINGS, {"threshold": "20", "follow_up_days": "365"})
    assert response.status_code == 302 and response.url == SETTINGS
    row = PublicationSettings.objects.get(municipality=iw.a)
    assert (row.threshold, row.follow_up_days) == (20, 365)
    event = ChainEvent.objects.get(activity="insight.settings_changed")
    attributes = event.attributes if isinstance(event.attributes, dict) else json.loads(
        event.attributes)
    assert attributes == {"municipality": "GM9911", "threshold": 20, "follow_up_days": 365,
                          "fields": ["follow_up_days", "threshold"]}
    assert (event.person_key, event.household_key, event.trajectory_key) == ("", "", "")
    assert AccessLogRecord.objects.filter(data="insight_settings", action="update",
                                          outcome="allowed", object_id="GM9911").count() == 1
    # The dashboard now hides counts below 20.
    publish(insight_dir, one_event)
    body = c.get(DASHBOARD).content.decode()
    assert "Een aantal kleiner dan 20 wordt niet getoond" in body


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"threshold": "9", "follow_up_days": "182"}, "threshold", "Vul een getal van 10 tot en met 100 in."),
    ({"threshold": "15", "follow_up_days": "182"}, "threshold", "Vul een veelvoud van 10 in."),
    ({"threshold": "101", "follow_up_days": "182"}, "threshold", "Vul een getal van 10 tot en met 100 in."),
    ({"threshold": "10", "follow_up_days": "89"}, "follow_up_days", "Vul een getal van 90 tot en met 730 in."),
    ({"threshold": "10", "follow_up_days": "731"}, "follow_up_days",
     "Vul een getal van 90 tot en met 730 in."),
    ({"threshold": "10", "follow_up_days": "183"}, "follow_up_days",
     "Kies 90, 182, 365 of 730 dagen."),
    ({"threshold": "tien", "follow_up_days": "182"}, "threshold", "Voer een geheel getal in."),
])
def test_out_of_range_settings_are_refused_on_their_field(iw, insight_dir, data, field, message):
    response = client(iw.analyst).post(SETTINGS, data)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert f'id="id_{field}"' in body
    assert not PublicationSettings.objects.exists()
    assert not ChainEvent.objects.filter(activity="insight.settings_changed").exists()


@pytest.mark.parametrize("who", ["coordinator", "front-door"])
def test_only_the_analyst_has_the_settings(iw, insight_dir, who):
    c = client(iw.allowed[who])
    assert c.get(SETTINGS).status_code == 403
    assert c.post(SETTINGS, {"threshold": "50", "follow_up_days": "365"}).status_code == 403
    assert not PublicationSettings.objects.exists()
    assert 'href="/inzicht/instellingen/"' not in c.get(DASHBOARD).content.decode()


def test_another_municipalitys_analyst_changes_only_their_own(iw, insight_dir):
    client(iw.analyst_b).post(SETTINGS, {"threshold": "40", "follow_up_days": "365"})
    assert PublicationSettings.objects.get().municipality_id == "GM9912"
    body = client(iw.analyst).get(SETTINGS).content.decode()
    assert 'value="10"' in body and 'value="40"' not in body


def test_a_period_is_twelve_whole_months_that_have_ended():
    from jeugdketen.insight.actions import earliest_end, latest_end, period_ends, window_start

    assert latest_end(date(2026, 12, 6)) == date(2026, 11, 30)
    assert window_start(date(2026, 11, 30)) == date(2025, 12, 1)
    assert window_start(date(2025, 12, 31)) == date(2025, 1, 1)
    assert window_start(date(2024, 2, 29)) == date(2023, 3, 1)
    # Data from 15 December 2024: the first window is December 2024 to November 2025.
    assert earliest_end(date(2024, 12, 15)) == date(2025, 11, 30)
    ends = period_ends(date(2026, 12, 6), date(2024, 12, 15))
    assert ends[0] == date(2026, 11, 30) and ends[-1] == date(2025, 11, 30) and len(ends) == 13
    assert period_ends(date(2026, 12, 6), None) == [date(2026, 11, 30)]


# --- figures on the page -----------------------------------------------------------------------


def closed_plans(con: Any, hood: str, count: int, *, helped: int, prefix: str,
                 organisation_id: int = 7) -> None:
    """`count` trajectories of `hood`: a report in January 2026, a plan a week later,
    closed in March; the first `helped` can continue without help (no later report)."""
    for i in range(count):
        key = f"{prefix}{i}"
        household = f"h-{key}"
        handmade.add(con, "care_report.received", key, "2026-01-05", household=household,
                     neighbourhood=hood, reporter="professional", urgency="regular")
        handmade.add(con, "plan.started", key, "2026-01-12", household=household,
                     neighbourhood=hood, organisation_id=organisation_id,
                     origin="care_report", coordinator_organisation_id=organisation_id)
        handmade.add(con, "plan.closed", key, "2026-03-02", household=household,
                     neighbourhood=hood, organisation_id=organisation_id, reason_code="01",
                     can_continue_without_help=i < helped, satisfaction=8,
                     final_t_score=55, budget_eur=1000, costs_spent_eur=800)


def figures_store(con: Any) -> None:
    """Oude Haven: 20 closed plans, 10 helped; Nieuwe Haven: 3 closed plans (below the
    threshold 10, so hidden, and with it what would let it be recomputed)."""
    from jeugdketen.insight import derive

    areas(con)
    con.execute("INSERT INTO organisations VALUES (7, 'Jeugdhulp Telstad', "
                "'youth_care_provider', 'GM9911')")
    closed_plans(con, "BU99110101", 20, helped=10, prefix="a")
    closed_plans(con, "BU99110102", 3, helped=1, prefix="b")
    closed_plans(con, "BU99120101", 20, helped=2, prefix="z")  # the other municipality
    derive.derive_all(con)


def main_text(body: str) -> str:
    import re

    main = body[body.index("<main"):body.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_the_sections_show_the_figures_with_hidden_small_counts(iw, insight_dir):
    publish(insight_dir, figures_store)
    response = client(iw.analyst).get(
        DASHBOARD + "?gebied=WK991101&tot=2026-11-30")
    assert response.status_code == 200
    text = main_text(response.content.decode())
    for title in ("De vier doelen", "Hulp die helpt", "Tijd tot hulp die helpt",
                  "De waardestroom", "Uitkomsten", "Kosten", "Per buurt", "Per aanbieder"):
        assert title in text, title
    assert "Tijd aan hulp tegenover verantwoording" in text  # issue 13: no answers here
    assert "Nog geen gesloten onderzoek." in text
    assert "Een aantal kleiner dan 10 wordt niet getoond" in text
    figures = text[text.index("De vier doelen"):]
    # Nieuwe Haven (3 plans) is hidden wherever it is a row; with the district's total and
    # Oude Haven shown its 3 could be recomputed, so those are hidden with it.
    rows = [figures[i:i + 60] for i in range(len(figures)) if figures.startswith("Nieuwe Haven", i)]
    assert rows and all(r.startswith("Nieuwe Haven verborgen") for r in rows), rows
    # satisfied: 23 of 23, shown rounded as 20 of 20 (Wilson of the rounded counts)
    assert "Noord (totaal) 100% 84–100% 20" in figures
    assert "Elk aantal is afgerond op een veelvoud van 10" in text
    assert "Oude Haven 100%" not in figures  # 20 = 23 - 3 would give Nieuwe Haven away
    # The provider (one group: the same as the total) with its place in the funnel.
    assert "Jeugdhulp Telstad 100% 84–100% 20 binnen de grenzen" in figures
    # Nothing of the other municipality.
    assert "Molenbuurt" not in text and "Andersdorp" not in text


def two_big_hoods(con: Any) -> None:
    """Oude Haven and Nieuwe Haven: 20 closed plans each, 10 helped (both shown)."""
    from jeugdketen.insight import derive

    areas(con)
    con.execute("INSERT INTO organisations VALUES (7, 'Jeugdhulp Telstad', "
                "'youth_care_provider', 'GM9911')")
    closed_plans(con, "BU99110101", 20, helped=10, prefix="a")
    closed_plans(con, "BU99110102", 20, helped=10, prefix="b")
    derive.derive_all(con)


def test_a_neighbourhood_with_enough_plans_shows_its_rates(iw, insight_dir):
    publish(insight_dir, two_big_hoods)
    response = client(iw.front_door).get(
        DASHBOARD + "?gebied=BU99110101&tot=2026-11-30")
    text = main_text(response.content.decode())
    figures = text[text.index("De vier doelen"):]
    assert "Oude Haven (totaal) 50% 30–70% 20" in figures  # help that helps: 10 of 20
    assert "Melding ontvangen Plan gestart 20 7" in figures  # directly follows, 7 days


def test_a_neighbourhood_whose_district_gives_a_hidden_one_away_is_hidden(iw, insight_dir):
    """Oude Haven's 20 plans with the district's 23 would give Nieuwe Haven's 3: hidden."""
    publish(insight_dir, figures_store)
    text = main_text(client(iw.front_door).get(
        DASHBOARD + "?gebied=BU99110101&tot=2026-11-30").content.decode())
    figures = text[text.index("De vier doelen"):]
    assert "Oude Haven (totaal) verborgen" in figures
    assert "Oude Haven (totaal) 50%" not in figures


def test_a_suppressed_scope_shows_no_number_at_all(iw, insight_dir):
    publish(insight_dir, figures_store)
    response = client(iw.analyst).get(
        DASHBOARD + "?gebied=BU99110102&tot=2026-11-30")
    assert response.status_code == 200
    text = main_text(response.content.decode())
    figures = text[text.index("De vier doelen"):]
    assert "Nieuwe Haven (totaal) verborgen verborgen verborgen" in figures
    assert "Minder dan 10 trajecten in dit gebied en deze periode" in figures
    assert "Kosten" in figures and "33%" not in figures
    rows = [figures[i:i + 70] for i in range(len(figures))
            if figures.startswith("Nieuwe Haven (totaal)", i)]
    assert len(rows) >= 3
    for row in rows:  # each table's row of the neighbourhood: hidden, never a number
        cells = row.removeprefix("Nieuwe Haven (totaal) ").split()[:3]
        assert cells == ["verborgen"] * 3, row


def test_an_area_alone_takes_the_default_period(iw, insight_dir):
    response = client(iw.analyst).get(DASHBOARD + "?gebied=WK991101")
    assert response.status_code == 200
    record = AccessLogRecord.objects.get(data="insight")
    assert record.object_id == "WK991101"
    assert "Noord, 1 " in main_text(response.content.decode())


def test_less_than_twelve_months_of_data_says_when_the_first_period_ends(iw, insight_dir):
    """A new installation: the first event less than a year ago. No period can be shown
    yet; the page says when the first one ends (no error)."""
    import duckdb

    from tests.insight import handmade

    path = insight_dir / store.PUBLISHED
    insight_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    schema.create(con)
    store.set_meta(con, "schema_version", str(schema.SCHEMA_VERSION))
    from django.utils import timezone

    handmade.add(con, "organisation.created", "", timezone.localdate().isoformat())
    con.close()
    response = client(iw.analyst).get(DASHBOARD)
    assert response.status_code == 200
    text = main_text(response.content.decode())
    assert "Nog geen twaalf hele maanden met gegevens." in text
    assert "De eerste periode loopt tot en met" in text
