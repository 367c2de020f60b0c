"""The BRP stand-in serves the BRP API's `POST /personen` contract, and the platform's BRP
client reads it: the example population loads as it is, the fields filter, the API's
validation errors (problem details with invalidParams), an API key, and every way the
BRP can fail to answer."""

from __future__ import annotations

import http.client
import json
import socket
from datetime import date
from pathlib import Path

import pytest

from jeugdketen.brp import client
from jeugdketen.brp.persoon import parse
from jeugdketen.brp.standin import process
from jeugdketen.brp.standin.store import PopulationError, Store, load_file
from tests import brp

SHARED = Path(__file__).resolve().parents[3] / "shared" / "brp" / "population-example.json"
PACKAGED = Path(client.__file__).parent / "data" / "population-example.json"


def post(url: str, body: object, headers: dict[str, str] | None = None,
         content_type: str = "application/json; charset=utf-8") -> tuple[int, str, dict]:
    parts = http.client.urlsplit(url + "/personen")  # type: ignore[attr-defined]
    conn = http.client.HTTPConnection(parts.netloc, timeout=5)
    conn.request("POST", parts.path, body=json.dumps(body).encode(),
                 headers={"Content-Type": content_type, **(headers or {})})
    response = conn.getresponse()
    payload = json.loads(response.read() or b"null")
    conn.close()
    return response.status, response.getheader("Content-Type") or "", payload


def test_the_example_population_loads_as_it_is(tmp_path):
    source = SHARED if SHARED.exists() else PACKAGED
    assert json.loads(PACKAGED.read_text()) == json.loads(source.read_text())
    store = Store(tmp_path / "brp.sqlite3")
    assert load_file(store, source) == 8
    liam = parse(store.by_bsn(["999990020"])[0])
    assert (liam.given_names, liam.family_name, liam.birth.complete) == (
        "Liam", "de Vries", date(2014, 6, 21))
    assert liam.address is not None and liam.address.key == ("9999AA", 12, "A", "")
    assert liam.parent_bsns == ("999990007", "999990019")
    relation, holders = liam.custody_holders()
    assert relation is not None and relation.kind == "GezamenlijkOuderlijkGezag"
    assert holders == ("999990007", "999990019")
    mila = parse(store.by_bsn(["999990068"])[0])
    assert mila.custody_holders()[1] == ("999990056",)
    daan = parse(store.by_bsn(["999990081"])[0])
    assert daan.date_of_death == date(2026, 10, 1)
    johan = parse(store.by_bsn(["999990019"])[0])
    assert johan.address is not None and johan.address.addition == "2"


@pytest.mark.parametrize("bsn", ["123456782", "999990010", "99999002", 999990020, None])
def test_only_synthetic_bsns_load(tmp_path, bsn):
    """A real population can never end up in a stand-in: nine digits, the eleven test and
    the test range 999900000-999999999."""
    with pytest.raises(PopulationError, match="synthetic"):
        Store(tmp_path / "brp.sqlite3").load([{"burgerservicenummer": bsn}])


def test_a_file_that_is_not_a_list_is_refused(tmp_path):
    path = tmp_path / "pop.json"
    path.write_text('{"burgerservicenummer": "999990020"}')
    with pytest.raises(PopulationError, match="list"):
        load_file(Store(tmp_path / "brp.sqlite3"), path)


def test_the_command_loads_a_population(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("brp-standin", "load", str(PACKAGED), "--db", str(tmp_path / "s.sqlite3"),
                 stdout=out)
    assert "8 persons loaded" in out.getvalue()


def test_raadplegen_answers_the_asked_fields_only(brp_standin):
    brp.put(*json.loads(PACKAGED.read_text()))
    status, kind, body = post(brp_standin, {
        "type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["999990020", "999999998"],
        "fields": ["naam.voornamen", "ouders.burgerservicenummer"]})
    assert status == 200 and kind.startswith("application/json")
    assert body == {"type": "RaadpleegMetBurgerservicenummer", "personen": [
        {"naam": {"voornamen": "Liam"},
         "ouders": [{"burgerservicenummer": "999990007"}, {"burgerservicenummer": "999990019"}]}]}


def test_zoeken_op_adres_answers_the_living_residents(brp_standin):
    brp.put(*json.loads(PACKAGED.read_text()))
    status, _kind, body = post(brp_standin, {
        "type": "ZoekMetPostcodeEnHuisnummer", "postcode": "9999 aa", "huisnummer": 12,
        "huisletter": "a", "fields": ["burgerservicenummer"]})
    assert status == 200
    assert [p["burgerservicenummer"] for p in body["personen"]] == [
        "999990007", "999990020", "999990032", "999990044"]


@pytest.mark.parametrize(("body", "params"), [
    ({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["999990020"]},
     ["fields"]),
    ({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["12345"],
      "fields": ["naam"]}, ["burgerservicenummer[0]"]),
    ({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["999990020"],
      "fields": ["naam", "bestaatniet", "inOnderzoek"]}, ["fields[1]", "fields[2]"]),
    ({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["999990020"] * 21,
      "fields": ["naam"]}, ["burgerservicenummer"]),
    ({"type": "Onbekend", "fields": ["naam"]}, ["type"]),
    ({"type": "ZoekMetPostcodeEnHuisnummer", "postcode": "0000XX", "huisnummer": "twaalf",
      "fields": ["naam"]}, ["postcode", "huisnummer"]),
])
def test_bad_queries_get_the_apis_problem_details(brp_standin, body, params):
    status, kind, problem = post(brp_standin, body)
    assert status == 400 and kind == "application/problem+json"
    assert problem["status"] == 400 and problem["code"] in ("paramsRequired", "paramsValidation")
    assert [p["name"] for p in problem["invalidParams"]] == params


def test_wrong_media_type_and_path_and_method(brp_standin):
    status, kind, problem = post(brp_standin, {}, content_type="text/plain")
    assert (status, kind, problem["code"]) == (415, "application/problem+json",
                                               "unsupportedMediaType")
    parts = http.client.urlsplit(brp_standin)  # type: ignore[attr-defined]
    conn = http.client.HTTPConnection(parts.netloc, timeout=5)
    conn.request("GET", parts.path + "/personen")
    assert conn.getresponse().status == 405
    conn.close()
    conn = http.client.HTTPConnection(parts.netloc, timeout=5)
    conn.request("POST", "/elders", body=b"{}", headers={"Content-Type": "application/json"})
    assert conn.getresponse().status == 404
    conn.close()


@pytest.fixture
def keyed_standin(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db = str(tmp_path / "keyed.sqlite3")
    Store(db).load(json.loads(PACKAGED.read_text()))
    proc = process.start(port=port, db=db, api_key="geheim-sleutel-123")
    try:
        yield process.url_for(port)
    finally:
        process.stop(proc)


def test_the_client_sends_the_api_key(keyed_standin, settings):
    settings.BRP_URL = keyed_standin
    settings.BRP_API_KEY = "verkeerd"
    with pytest.raises(client.BrpUnavailable, match="401"):
        client.person("999990020")
    settings.BRP_API_KEY = "geheim-sleutel-123"
    found = client.person("999990020")
    assert found is not None and found.given_names == "Liam"
    assert client.person("999999998") is None  # unknown: simply absent


def test_the_client_asks_twenty_at_a_time(brp_standin):
    docs = [brp.in_brp(bsn=bsn, given_names="A", family_name="B", birth_date=date(2010, 1, 1))
            for bsn in brp.SYNTHETIC_FOR_TESTS[:45]]
    found = client.persons(d["burgerservicenummer"] for d in docs)
    assert len(found) == 45


def test_an_answer_without_personen_is_unavailable(settings, tmp_path):
    """A server that answers 200 with something else than the contract says."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Odd(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            data = b'{"type": "RaadpleegMetBurgerservicenummer"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Odd)
    threading.Thread(target=server.handle_request, daemon=True).start()
    settings.BRP_URL = f"http://127.0.0.1:{server.server_address[1]}/brp"
    try:
        with pytest.raises(client.BrpUnavailable, match="personen"):
            client.person("999990020")
    finally:
        server.server_close()


def test_production_settings_refuse_the_standin(settings):
    from jeugdketen.brp.checks import problems

    settings.BRP_STANDIN, settings.DEBUG, settings.DEMO = True, False, False
    assert [p.id for p in problems()] == ["jeugdketen.E001"]
    settings.DEMO = True
    assert problems() == []
    settings.DEMO, settings.BRP_STANDIN = False, False
    assert problems() == []
