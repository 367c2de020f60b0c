"""The matrix's own machinery can fail: a new route without a row is reported, a name, BSN
or birth date in an answer is found, and the answers are judged by what they amount to."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path
from ninja import NinjaAPI

from . import test_api_matrix as api_matrix
from . import test_web_matrix as web_matrix
from .harness import (
    WebAnswer,
    api_operations,
    cases,
    leaks,
    route_key,
    uncovered,
    web_class,
    web_routes,
)
from .world import World

# A URL configuration with one page more than the platform's (see test below).
urlpatterns = [path("extra/<int:thing_id>/", lambda request, thing_id: HttpResponse())]


def _with_platform() -> list:
    from jeugdketen.config.urls import urlpatterns as platform

    return [*platform, *urlpatterns]


def test_a_new_api_operation_without_a_row_is_named():
    probe = NinjaAPI(urls_namespace="matrix-probe")

    @probe.get("/persons/{person_id}/secrets")
    def secrets(request, person_id: str) -> dict:  # pragma: no cover - never called
        return {}

    problems = uncovered(api_operations(probe), {
        f"{r.method} {r.route}" for r in api_matrix.ROWS.values()})
    assert "no row for GET /persons/{person_id}/secrets" in problems


def test_a_new_web_url_without_a_row_is_named(settings, monkeypatch):
    import sys
    import types

    module = types.ModuleType("matrix_probe_urls")
    module.urlpatterns = _with_platform()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "matrix_probe_urls", module)
    settings.ROOT_URLCONF = "matrix_probe_urls"
    rows = {route_key(r.route) for r in web_matrix.ROWS.values()}
    assert uncovered(web_routes(), rows) == ["no row for /extra/<int:thing_id>/"]


def test_a_new_form_of_the_plan_page_without_a_row_is_named(monkeypatch):
    from jeugdketen.plans import views

    monkeypatch.setitem(views.HANDLERS, "geheim", lambda view, item: HttpResponse())
    rows = {route_key(r.route) for r in web_matrix.ROWS.values()}
    assert uncovered(web_routes(), rows) == ["no row for /plannen/<uuid:plan_id>/<form geheim>"]


def test_a_row_for_a_route_that_is_gone_is_named():
    assert uncovered({"GET /a"}, {"GET /a", "GET /b"}) == [
        "a row for GET /b, which does not exist"]


def test_a_disagreement_about_a_case_that_does_not_exist_is_refused():
    rows = api_matrix.ROWS
    try:
        cases(rows, {("GET /nothing", "prof"): "why"})
    except AssertionError as exc:
        assert "GET /nothing" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("accepted")


def test_leaks_finds_every_identifying_word(world: World, db):
    child, sister = world.persons["C"], world.persons["S"]
    for word in child.words:
        assert f"C:{word}" in leaks(world, f"<p>{word}</p>", "")
    # The family name is her sister's too: shown with the sister, it says nothing more.
    assert leaks(world, child.person.family_name, "S") == []
    assert leaks(world, f"{child.person.given_names} {sister.person.given_names}", "S") == [
        f"C:{child.person.given_names}"]
    assert leaks(world, "kenmerk VT-MATRIX-1", "", "prof") == ["secret:VT-MATRIX-1"]
    assert leaks(world, "kenmerk VT-MATRIX-1", "", "cit") == []


def test_answers_are_judged_by_what_they_amount_to():
    ok, denied = HttpResponse(), HttpResponse(status=403)
    login = HttpResponseRedirect("/login/?next=/x/")
    moved = HttpResponseRedirect("/x/")
    assert web_class(WebAnswer(ok, ok, []), "GET", "redirect") == "Y"
    assert web_class(WebAnswer(denied, denied, []), "GET", "redirect") == "-"
    assert web_class(WebAnswer(login, login, []), "GET", "redirect") == "login"
    assert web_class(WebAnswer(moved, login, ["/x/"]), "GET", "redirect") == "login"
    assert web_class(WebAnswer(moved, denied, ["/x/"]), "POST", "redirect") == "redirect to 403"
    assert web_class(WebAnswer(moved, ok, ["/x/"]), "POST", "redirect") == "Y"
    # A POST that should have saved and redirected, but shows its form again.
    assert web_class(WebAnswer(ok, ok, []), "POST", "redirect") == "F"
    assert web_class(WebAnswer(ok, ok, []), "POST", "200") == "Y"
