"""The chain board's pages (/sturing/bord/): who sees them (the municipality's analyst,
coordinator and front door), what they show (run charts with their tables, hidden counts
never as a number, the bottlenecks), the writers' forms (improvement actions, minutes)
with their refusals, and that every read and write is logged."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.steering import series
from jeugdketen.steering.models import ImprovementAction, Meeting
from tests import factories as f
from tests.insight.test_pages import client
from tests.pages import anonymous

BOARD = "/sturing/bord/"
WEEK = "2026-W39"


@pytest.fixture(autouse=True)
def _pages(settings):
    from tests.pages import for_pages

    for_pages(settings)


def reads(data: str = "steering_board", **filters: Any) -> list[AccessLogRecord]:
    return list(AccessLogRecord.objects.filter(data=data, **filters).order_by("id"))


@pytest.mark.parametrize("who", ["analyst", "coordinator", "front-door"])
def test_the_board_renders_for_each_allowed_role_and_is_logged(iw, board_store, who):
    response = client(iw.allowed[who]).get(f"{BOARD}?week={WEEK}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ketenbord" in body and "Telstad, week 2026-W39" in body
    assert 'role="img"' in body  # the run charts
    assert "Nieuwe zorgmeldingen per week" in body
    allowed = reads(outcome="allowed")
    assert [(r.action, r.object_id) for r in allowed] == [("read", "GM9911")]
    assert reads("steering_action", outcome="allowed")  # the actions listed
    assert reads("steering_minutes", outcome="allowed")  # the meetings listed
    # Only the writers see the forms.
    assert ("Nieuwe verbeteractie" in body) == (who != "front-door")


@pytest.mark.parametrize("who", ["professional", "provider-coordinator", "provider-analyst",
                                 "team-coordinator", "privacy-officer", "functional-admin",
                                 "platform-admin", "no-role"])
def test_the_board_is_denied_to_every_other_role(iw, board_store, who):
    response = client(iw.denied[who]).get(BOARD)
    assert response.status_code == 403
    assert "Telstad, week" not in response.content.decode()
    assert len(reads(outcome="denied")) == 1 and reads(outcome="allowed") == []


def test_no_one_and_a_citizen_get_no_board(iw, board_store):
    assert anonymous().get(BOARD).status_code == 302
    citizen = f.UserFactory(person=f.PersonFactory())
    assert client(type("W", (), {"user": citizen})()).get(BOARD).status_code == 403


def test_the_menu_shows_the_board_to_the_allowed_roles_only(iw, board_store):
    from django.urls import reverse

    for who in iw.allowed.values():
        assert f'href="{BOARD}"' in client(who).get(reverse("home")).content.decode()
    for who in iw.denied.values():
        assert f'href="{BOARD}"' not in client(who).get(reverse("home")).content.decode()


def test_a_hidden_count_is_never_shown_as_a_number(iw, board_store):
    body = client(iw.analyst).get(f"{BOARD}?week={WEEK}").content.decode()
    # 2026-W38 had 3 reports (below 10): its row says hidden; the 12 and 15 are shown
    # rounded to a multiple of 10, as 10 and 20, and the page says they are rounded.
    row = body.split(">2026-W38</th>")[1].split("</tr>")[0]
    assert "verborgen" in row and ">3<" not in row
    w37 = body.split(">2026-W37</th>")[1].split("</tr>")[0]
    w39 = body.split(">2026-W39</th>")[1].split("</tr>")[0]
    assert ">10<" in w37 and ">12<" not in w37
    assert ">20<" in w39 and ">15<" not in w39
    assert "afgerond op een veelvoud van 10, net als de voorraden" in body
    # The open work is a stock, rounded to a multiple of 10: 30 open on 2026-09-27.
    assert "Open werk: alle stappen" in body


def test_the_default_week_is_the_last_complete_one(iw, board_store):
    body = client(iw.analyst).get(BOARD).content.decode()
    last = series.iso_week(series.last_complete_week(timezone.localdate()))
    assert f"Telstad, week {last}" in body


@pytest.mark.parametrize("week", ["2026-W60", "morgen", "9999-W01"])
def test_a_bad_week_is_a_form_error(iw, board_store, week):
    response = client(iw.analyst).get(f"{BOARD}?week={week}")
    assert response.status_code == 422
    assert "Kies een week uit de lijst." in response.content.decode()


def test_an_empty_store_says_so(iw, insight_dir):
    body = client(iw.analyst).get(BOARD).content.decode()
    assert "Nog geen gegevens." in body


# --- improvement actions --------------------------------------------------------------------


def action_post(iw, **over: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {"what": "Intake in één keer met alle disciplines", "step": "intake_held",
            "owner": f"o{iw.provider.pk}", "start": today.isoformat(),
            "due": (today + timedelta(days=42)).isoformat(), "kpi": "open_intake_held",
            "expected_direction": "down", "expected_amount": "10",
            "expected_text": "tien minder in de wacht", **over}


def test_the_analyst_records_an_action_through_the_page(iw, board_store):
    c = client(iw.analyst)
    response = c.post(BOARD + "acties/nieuw/", action_post(iw))
    assert response.status_code == 302
    action = ImprovementAction.objects.get()
    assert (action.municipality_id, action.owner_organisation_id, action.status) == (
        "GM9911", iw.provider.pk, "planned")
    event = ChainEvent.objects.get(activity="steering.action_created")
    assert event.attributes["owner_kind"] == "organisation"
    assert event.person_key == "" and event.trajectory_key == ""
    assert reads("steering_action", action="create", outcome="allowed")
    body = c.get(BOARD).content.decode()
    assert "Intake in één keer met alle disciplines" in body and "nog te vroeg" in body


def test_a_bad_action_is_refused_on_the_form(iw, board_store):
    today = timezone.localdate()
    c = client(iw.coordinator)
    response = c.post(BOARD + "acties/nieuw/", action_post(
        iw, due=(today - timedelta(days=1)).isoformat(), owner=f"p{iw.analyst.pk}"))
    assert response.status_code == 422
    assert "De einddatum ligt niet voor de startdatum." in response.content.decode()
    # An owner of another municipality is not offered (the action refuses it too: API).
    response = c.post(BOARD + "acties/nieuw/", action_post(iw, owner=f"p{iw.analyst_b.pk}"))
    assert response.status_code == 422
    body = response.content.decode()
    assert f'value="p{iw.analyst_b.pk}"' not in body
    assert 'id="id_owner_error"' in body
    assert not ImprovementAction.objects.exists()


def test_the_front_door_cannot_record_an_action(iw, board_store):
    response = client(iw.front_door).post(BOARD + "acties/nieuw/", action_post(iw))
    assert response.status_code == 403
    assert not ImprovementAction.objects.exists()
    assert reads("steering_action", action="create", outcome="denied")


def test_the_status_changes_and_done_is_final(iw, board_store):
    c = client(iw.analyst)
    c.post(BOARD + "acties/nieuw/", action_post(iw))
    action = ImprovementAction.objects.get()
    c.post(f"{BOARD}acties/{action.pk}/", {f"actie-{action.pk}-status": "done"})
    action.refresh_from_db()
    assert action.status == "done"
    response = c.post(f"{BOARD}acties/{action.pk}/", {f"actie-{action.pk}-status": "doing"},
                      follow=True)
    assert "verandert niet meer" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "done"


def test_another_municipalitys_action_is_not_changed(iw, board_store):
    client(iw.analyst).post(BOARD + "acties/nieuw/", action_post(iw))
    action = ImprovementAction.objects.get()
    response = client(iw.analyst_b).post(f"{BOARD}acties/{action.pk}/",
                                         {f"actie-{action.pk}-status": "dropped"})
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == "planned"


# --- minutes ----------------------------------------------------------------------------------


def test_minutes_freeze_the_numbers_and_are_never_recomputed(iw, board_store):
    from tests.insight.test_pages import publish
    from tests.steering import board_world

    c = client(iw.analyst)
    response = c.post(BOARD + "overleg/nieuw/", {
        "held_on": "2026-09-29", "decisions": "Intake samen doen\nWachtlijst elke week",
        "tasks": "Jeugdhulp Telstad plant de gezamenlijke intake", "actions": []})
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert meeting.week == "2026-W39"
    new_reports = next(s for s in meeting.snapshot["series"] if s["key"] == "new_reports")
    # 12, 3 and 15 reports: rounded to the threshold (10), the 3 hidden.
    assert [p["value"] for p in new_reports["points"]][-3:] == [10, None, 20]

    # The store changes (twenty more reports that week): the minutes still show 15 (as 20).
    def more(con):
        board_world.fill(con)
        board_world.reports(con, date(2026, 9, 21), 20, "x")
        from jeugdketen.insight import derive
        derive.derive_all(con)

    from jeugdketen.insight import store
    store.forget_reader()
    publish(board_store, more)
    body = c.get(f"{BOARD}overleg/{meeting.pk}/").content.decode()
    assert "Intake samen doen" in body
    row = body.split(">2026-W39</th>")[1].split("</tr>")[0]
    assert ">20<" in row and ">40<" not in row
    live = c.get(f"{BOARD}?week=2026-W39").content.decode()
    assert ">40<" in live.split("Nieuwe zorgmeldingen per week per periode")[1].split(
        "</table>")[0]
    meeting.refresh_from_db()
    assert [p["value"] for p in next(
        s for s in meeting.snapshot["series"] if s["key"] == "new_reports")["points"]][-1] == 20


def test_closed_minutes_take_corrections_as_new_versions(iw, board_store):
    c = client(iw.coordinator)
    c.post(BOARD + "overleg/nieuw/", {"held_on": "2026-09-29", "decisions": "Eerste besluit",
                                      "tasks": "", "actions": []})
    meeting = Meeting.objects.get()
    url = f"{BOARD}overleg/{meeting.pk}/"
    assert c.post(url, {"sluiten": "1"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.closed_at is not None
    assert c.post(url, {"decisions": "Eerste besluit, verbeterd", "tasks": "",
                        "actions": []}).status_code == 302
    versions = list(meeting.versions.order_by("number"))
    assert [(v.number, v.decisions, v.correction) for v in versions] == [
        (1, ["Eerste besluit"], False), (2, ["Eerste besluit, verbeterd"], True)]
    assert versions[0].decisions == ["Eerste besluit"]  # the first version unchanged
    body = c.get(url).content.decode()
    assert "correctie" in body and "Eerste besluit, verbeterd" in body
    assert list(ChainEvent.objects.filter(activity__startswith="steering.minutes")
                .values_list("activity", flat=True).order_by("id")) == [
        "steering.minutes_saved", "steering.minutes_closed", "steering.minutes_saved"]


def test_minutes_refusals_name_the_field(iw, board_store):
    c = client(iw.analyst)
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = c.post(BOARD + "overleg/nieuw/", {"held_on": future, "decisions": "x",
                                                 "tasks": "", "actions": []})
    assert response.status_code == 422
    assert "nog geen verslag" in response.content.decode()
    response = c.post(BOARD + "overleg/nieuw/", {"held_on": "2026-09-29", "decisions": "",
                                                 "tasks": "", "actions": []})
    assert response.status_code == 422
    assert "minstens één besluit" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_front_door_reads_minutes_but_does_not_write_them(iw, board_store):
    client(iw.analyst).post(BOARD + "overleg/nieuw/", {"held_on": "2026-09-29",
                                                       "decisions": "Besluit", "tasks": "",
                                                       "actions": []})
    meeting = Meeting.objects.get()
    c = client(iw.front_door)
    body = c.get(f"{BOARD}overleg/{meeting.pk}/").content.decode()
    assert "Besluit" in body and "Nieuwe versie opslaan" not in body
    assert c.post(f"{BOARD}overleg/{meeting.pk}/", {"sluiten": "1"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.closed_at is None
    # Another municipality's analyst: as an unknown meeting.
    assert client(iw.analyst_b).get(f"{BOARD}overleg/{meeting.pk}/").status_code == 403


def test_a_bad_week_tells_an_outsider_nothing(iw, board_store):
    response = client(iw.denied["professional"]).get(f"{BOARD}?week=morgen")
    assert response.status_code == 403
    assert reads(outcome="denied")
