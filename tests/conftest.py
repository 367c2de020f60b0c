"""Shared fixtures: a small world (municipality, neighbourhood, postcode table, an
organisation), professionals of every role, actors, and an API client that authenticates
with a real API token issued through jeugdketen.access.actions.issue_token."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from jeugdketen.access.actions import issue_token
from jeugdketen.access.policy import Actor
from jeugdketen.registry.models import Professional

from . import brp
from . import factories as f

API = "/api/v1"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as migrations leave it, plus the chain heads (which a previous
    run's transactional tests may have flushed away under --reuse-db)."""
    with django_db_blocker.unblock():
        f.ensure_shards()


@pytest.fixture(scope="session", autouse=True)
def simulation_key() -> None:
    """One key mixed into the simulation's seeds in every test run (settings.SIMULATION_KEY
    is the deployment's SECRET_KEY, generated per checkout): a run's figures, the demo's
    validation among them, are then the same in every clone."""
    from django.conf import settings

    settings.SIMULATION_KEY = "jeugdketen-tests"


@pytest.fixture(scope="session", autouse=True)
def brp_standin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One BRP stand-in process for the session, on a free port with its own population;
    the platform talks to it over HTTP exactly as to the BRP."""
    import socket

    from django.conf import settings

    from jeugdketen.brp.standin import process
    from jeugdketen.brp.standin.store import Store

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    db = str(tmp_path_factory.mktemp("brp") / "brp-standin.sqlite3")
    brp.STORE = Store(db)
    proc = process.start(port=port, db=db)
    settings.BRP_URL = process.url_for(port)
    settings.BRP_STANDIN_DB = db
    try:
        yield settings.BRP_URL
    finally:
        process.stop(proc)


# --- a small world ---------------------------------------------------------------------


@pytest.fixture
def municipality(db):
    return f.MunicipalityFactory(code="GM9901", name="Testdam")


@pytest.fixture
def neighbourhood(municipality):
    district = f.DistrictFactory(municipality=municipality, code="WK990101", name="Centrum")
    return f.NeighbourhoodFactory(district=district, code="BU99010101", name="Oude Haven")


@pytest.fixture
def postcode_address(neighbourhood):
    return f.PostcodeAddressFactory(postcode="9901AB", house_number=12,
                                    neighbourhood=neighbourhood)


@pytest.fixture
def organisation(municipality):
    return f.OrganisationFactory(name="Wijkteam Testdam", municipality=municipality)


@pytest.fixture
def make_professional(organisation) -> Callable[..., Professional]:
    def make(*roles: str, **kwargs: Any) -> Professional:
        kwargs.setdefault("organisation", organisation)
        return f.ProfessionalFactory(roles=list(roles) or ["professional"], **kwargs)

    return make


@pytest.fixture
def professional(make_professional):
    return make_professional("professional")


@pytest.fixture
def other_professional(make_professional):
    return make_professional("professional")


@pytest.fixture
def coordinator(make_professional):
    return make_professional("coordinator")


@pytest.fixture
def privacy_officer(make_professional):
    return make_professional("privacy_officer")


@pytest.fixture
def analyst(make_professional):
    return make_professional("municipal_analyst")


@pytest.fixture
def functional_admin(make_professional):
    return make_professional("functional_admin")


@pytest.fixture
def platform_admin(make_professional):
    return make_professional("platform_admin")


@pytest.fixture
def actor_of() -> Callable[..., Actor]:
    """actor_of(professional, emergency_reason=...) -> Actor."""
    return f.professional_actor


# --- the API client --------------------------------------------------------------------


class ApiClient:
    """A Django test client that sends `Authorization: Bearer <token>` to /api/v1/."""

    def __init__(self, token: str | None, **headers: str):
        self.client = Client()
        self.token = token
        self.headers = headers

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = dict(self.headers)
        if self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        return headers

    def get(self, path: str, *, headers: dict[str, str] | None = None, **kw: Any):
        return self.client.get(API + path, headers=self._headers(headers), **kw)

    def post(self, path: str, data: Any = None, *, raw: bytes | str | None = None,
             content_type: str = "application/json",
             headers: dict[str, str] | None = None):
        body = raw if raw is not None else json.dumps(data, default=str)
        return self.client.post(API + path, data=body, content_type=content_type,
                                headers=self._headers(headers))


def token_for(user) -> str:
    """A fresh API token for `user`, issued by the user for themselves."""
    actor = Actor(user=user)
    return issue_token(actor, user)


@pytest.fixture
def api_client_for(db) -> Callable[..., ApiClient]:
    """api_client_for(professional_or_user) -> ApiClient with a fresh token."""

    def make(who: Any, **headers: str) -> ApiClient:
        user = getattr(who, "user", who)
        return ApiClient(token_for(user), **headers)

    return make


@pytest.fixture
def api_client(api_client_for, professional) -> ApiClient:
    """The API as an ordinary professional."""
    return api_client_for(professional)


@pytest.fixture
def anonymous_api(db) -> ApiClient:
    return ApiClient(None)


def _iso_date(value: Any) -> bool:
    from datetime import date

    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def person_payload(*, in_brp: bool = True, **overrides: Any) -> dict[str, Any]:
    """A registration as the API takes it. With `in_brp` (the default) the BRP stand-in
    knows the person exactly so (BSN, names, birth date, sex, address)."""
    data = {
        "bsn": f.synthetic_bsn(),
        "given_names": "Sanne",
        "family_name": "de Vries",
        "birth_date": "2014-03-09",
        "sex": "V",
        "postcode": "9901AB",
        "house_number": 12,
    }
    data.update(overrides)
    from jeugdketen.brp.standin.store import synthetic

    if in_brp and synthetic(data.get("bsn")) and _iso_date(data.get("birth_date")):
        brp.in_brp(bsn=data["bsn"], given_names=data["given_names"],
                   family_name=data["family_name"], birth_date=str(data["birth_date"]),
                   sex=data["sex"], postcode=data.get("postcode") or "",
                   house_number=data.get("house_number"))
    return data


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests render pages without `collectstatic`: serve static names as they are."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _language_of_the_settings():
    """Each test starts and ends in the platform's language: a page asked in English
    activates English for the thread, which must not leak into the next test (it made
    tests depend on their order)."""
    translation.deactivate()
    yield
    translation.deactivate()
