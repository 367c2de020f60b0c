"""The matrix runs every case inside the world's transaction (conftest.py), as pytest-django
does for every test; a real server does not. There a page that writes access-log records
outside an action's transaction fails (access.audit.chain.append refuses: "access log
records are written inside the action's transaction"), while under test the outer
transaction hides it. Here the append is held to what a server asks: a transaction of the
request's own, deeper than the test's, and each role opens its front-door pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from jeugdketen.access.audit import chain, decisions, wrapper

from .world import World

# Pages that existed before the front door: they prove the check itself works.
CONTROL = [("prof", "/"), ("prof", "/personen/{C}/"), ("cit", "/gezin/"),
           ("prof", "/plannen/{plan}/"), ("priv", "/toegang/{C}/")]
FRONT_DOOR = [
    ("teach", "/zorgmeldingen/{report}/"),
    ("out", "/zorgmeldingen/{report}/"),
    ("prof", "/zorgmeldingen/{report}/"),
    ("door", "/zorgmeldingen/{report}/"),
    ("door", "/zorgmeldingen/{report_new}/triage/"),
    ("door", "/zorgmeldingen/{report}/intake/"),
    ("door", "/zorgmeldingen/{report_held}/hulp-gestart/"),
    ("door", "/intakes/{meeting}/uitkomst/"),
    ("out", "/intakes/{meeting}/uitnodiging/"),
    ("out", "/intakes/uitnodigingen/"),
    ("door", "/voordeur/wachtrij/"),
    ("door", "/voordeur/capaciteit/"),
    ("door", "/voordeur/normen/"),
    ("cit", "/gezin/meldingen/"),
    ("cit", "/gezin/meldingen/nieuw/"),
]


@pytest.fixture
def as_on_a_server(w: World, monkeypatch) -> Iterator[World]:
    """access-log appends only inside a transaction the request opened itself."""
    outer = len(connection.atomic_blocks)
    real = chain.append

    def append(entries: Any, **kwargs: Any) -> int:
        if len(connection.atomic_blocks) <= outer:
            raise RuntimeError("access log records are written inside the action's "
                               "transaction")
        return real(entries, **kwargs)

    for module in (chain, decisions, wrapper):
        monkeypatch.setattr(module, "append", append)
    yield w


def _answers(w: World, pages: list[tuple[str, str]]) -> list[str]:
    failed = []
    for actor, url in pages:
        client = Client(HTTP_USER_AGENT="matrix", raise_request_exception=False)
        client.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[actor]
        address = url.format(**w.ids)
        status = client.get(address).status_code
        if status != 200:
            failed.append(f"{actor} {address}: {status}")
    return failed


def test_the_pages_before_the_front_door_log_in_a_transaction_of_their_own(as_on_a_server):
    assert _answers(as_on_a_server, CONTROL) == []


def test_the_front_door_pages_log_in_a_transaction_of_their_own(as_on_a_server):
    failed = _answers(as_on_a_server, FRONT_DOOR)
    assert failed == [], "\n".join(failed)
