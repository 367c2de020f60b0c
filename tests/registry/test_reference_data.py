"""Issue 9, "Reference data a fresh install needs": every Dutch municipality after
`migrate`, next year's list with `jeugdketen load_municipalities`, and the names of CBS's
districts and neighbourhoods with `jeugdketen import_areas`."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jeugdketen.registry.models import District, Municipality, Neighbourhood
from tests import factories as f

DATA = Path(__file__).parent.parent / "data"
pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_admin_actor():
    from jeugdketen.access.actions import system_actor

    return system_actor("test reference data")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- municipalities --------------------------------------------------------------------


def test_a_fresh_install_knows_every_municipality_of_2026():
    listed = Municipality.objects.filter(listed=True, ended_on=None)
    assert listed.count() == 342
    names = dict(listed.values_list("code", "name"))
    assert names["GM0363"] == "Amsterdam"
    assert names["GM0518"] == "'s-Gravenhage"
    assert names["GM1992"] == "Voorne aan Zee"  # Brielle, Hellevoetsluis, Westvoorne (2023)
    assert names["GM1900"] == "Súdwest-Fryslân"
    assert {"GM0501", "GM0530", "GM0614", "GM0457"}.isdisjoint(names)  # dissolved earlier
    assert len(set(names.values())) == 342


def test_an_organisation_can_be_added_to_any_municipality_at_once(platform_admin_actor):
    from jeugdketen.registry.actions import create_organisation

    org = create_organisation(platform_admin_actor, name="Wijkteam Centrum", kind="neighbourhood_team",
                              municipality_code="GM0344")
    assert org.municipality.name == "Utrecht"


def test_next_years_list_adds_renames_and_ends_without_deleting(organisation):
    keep = f.OrganisationFactory(municipality=Municipality.objects.get(code="GM0014"),
                                 name="Wijkteam Groningen")
    out = run("load_municipalities", str(DATA / "gemeenten-2027-sample.csv"),
              "--ended-on", "2027-01-01")
    assert "1 new, 1 renamed, 340 ended on 2027-01-01" in out
    assert "renamed: GM0518: 's-Gravenhage -> Den Haag" in out
    assert Municipality.objects.get(code="GM1999").name == "Nieuwgemeente"
    groningen = Municipality.objects.get(code="GM0014")
    assert groningen.ended_on == date(2027, 1, 1)
    keep.refresh_from_db()  # referenced rows stay
    assert keep.municipality_id == "GM0014"
    # A municipality that is not on CBS's list (the demo's, a test's) is never ended.
    assert Municipality.objects.get(code=organisation.municipality_id).ended_on is None
    # Idempotent: the same list again changes nothing.
    again = run("load_municipalities", str(DATA / "gemeenten-2027-sample.csv"),
                "--ended-on", "2027-01-01")
    assert again.startswith("0 new, 0 renamed, 0 ended on 2027-01-01, 0 listed again, 3 unchanged")
    # And the list of 2026 brings them back.
    back = run("load_municipalities", "src/jeugdketen/registry/data/gemeenten-2026.csv")
    assert "340 listed again" in back
    assert Municipality.objects.get(code="GM0518").name == "'s-Gravenhage"


def test_an_ended_municipality_gets_no_new_organisations(platform_admin_actor):
    from jeugdketen.core.errors import Refusal
    from jeugdketen.registry.actions import create_organisation

    Municipality.objects.filter(code="GM0014").update(ended_on=date(2027, 1, 1))
    with pytest.raises(Refusal) as exc:
        create_organisation(platform_admin_actor, name="Wijkteam Oost", kind="neighbourhood_team",
                            municipality_code="GM0014")
    assert exc.value.message_dict["municipality_code"]


def test_a_bad_list_loads_nothing_and_names_line_and_column(tmp_path):
    bad = tmp_path / "gemeenten.csv"
    bad.write_text("GemeentecodeGM;Gemeentenaam\nGM0363;Amsterdam\nGX12;Nergens\n"
                   "GM0363;Nog eens\nGM0014;\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run("load_municipalities", str(bad))
    message = str(exc.value)
    assert "nothing loaded" in message
    assert "Regel 3, kolom GemeentecodeGM" in message
    assert "Regel 4, kolom GemeentecodeGM: GM0363 staat al eerder" in message
    assert "Regel 5, kolom Gemeentenaam" in message
    assert Municipality.objects.filter(ended_on__isnull=False).count() == 0
    missing = tmp_path / "other.csv"
    missing.write_text("Code;Naam\nGM0363;Amsterdam\n", encoding="utf-8")
    with pytest.raises(CommandError, match="kolom Gemeentecode ontbreekt"):
        run("load_municipalities", str(missing))
    with pytest.raises(CommandError, match="no such file"):
        run("load_municipalities", str(tmp_path / "absent.csv"))


# --- districts and neighbourhoods ------------------------------------------------------


def test_import_areas_gives_neighbourhoods_their_names(neighbourhood):
    # The postcode import knew the codes only (names as codes); CBS's file names them.
    Neighbourhood.objects.create(code="BU99010001", name="BU99010001",
                                 district=District.objects.create(
                                     code="WK990100", name="WK990100", municipality_id="GM9901"))
    out = run("import_areas", str(DATA / "kwb-sample.csv"))
    assert "0 new districts, 2 new neighbourhoods, 4 renamed, 0 unchanged" in out
    assert Neighbourhood.objects.get(code="BU99010001").name == "Oude Haven"
    assert District.objects.get(code="WK990100").name == "Wijk 00 Centrum"
    assert Neighbourhood.objects.get(code="BU99010101").name == "'t Veld"
    assert Neighbourhood.objects.get(code="BU99010102").name == "Bedrijventerrein De Poort, Noord"
    assert Neighbourhood.objects.get(code="BU99010102").district_id == "WK990101"
    assert Municipality.objects.get(code="GM9901").name == "Testdam"
    # Idempotent.
    again = run("import_areas", str(DATA / "kwb-sample.csv"))
    assert "0 new districts, 0 new neighbourhoods, 0 renamed, 6 unchanged" in again


def test_import_areas_reads_statlines_labelled_download(tmp_path):
    labelled = tmp_path / "kwb.csv"
    labelled.write_text(
        '"Wijken en buurten";"Gemeentenaam";"Soort regio";"Codering";"Aantal inwoners"\n'
        '"Voorbeeldstad";"Voorbeeldstad";"Gemeente";"GM9999";"1000"\n'
        '"Centrum";"Voorbeeldstad";"Wijk";"WK999901";"400"\n'
        '"Binnenstad";"Voorbeeldstad";"Buurt";"BU99990101";"200"\n', encoding="utf-8")
    out = run("import_areas", str(labelled))
    assert "1 new districts, 1 new neighbourhoods" in out
    assert "1 municipalities added" in out
    assert Neighbourhood.objects.get(code="BU99990101").district.municipality.name == "Voorbeeldstad"


def test_import_areas_refuses_a_bad_file_whole_naming_line_and_column(tmp_path, neighbourhood):
    bad = tmp_path / "kwb.csv"
    bad.write_text(
        "WijkenEnBuurten,Gemeentenaam_1,SoortRegio_2,Codering_3\n"
        "Testdam,Testdam,Gemeente,GM9901\n"
        "Centrum,Testdam,Wijk,BU990101\n"
        "Ergens,Testdam,Stadsdeel,SD9901\n"
        ",Testdam,Buurt,BU99010109\n"
        "Los,Testdam,Buurt,BU99770101\n"
        "Kort,Testdam\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run("import_areas", str(bad))
    message = str(exc.value)
    assert "nothing imported" in message
    assert "Regel 3, kolom Codering_3: een wijk heeft een code als WK036300" in message
    assert "Regel 4, kolom SoortRegio_2: onbekende soort regio 'Stadsdeel'" in message
    assert "Regel 5, kolom WijkenEnBuurten" in message
    assert "Buurt BU99770101: wijk WK997701" in message
    assert "Regel 7: 2 kolommen, de kop heeft er 4" in message
    assert Neighbourhood.objects.get(code=neighbourhood.code).name == "Oude Haven"
    assert not Neighbourhood.objects.filter(code="BU99770101").exists()
    no_code = tmp_path / "nocode.csv"
    no_code.write_text("WijkenEnBuurten,Gemeentenaam_1,SoortRegio_2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Regel 1: kolom Codering ontbreekt"):
        run("import_areas", str(no_code))
