"""Fixtures for the decision aids: professionals of two organisations, a youth registered
through the actions (so the access log is real), logged-in web clients, and a way to
point the loader at an administrator's directory for one test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from jeugdketen.guide import loader
from jeugdketen.registry import actions as registry
from jeugdketen.registry.models import Person, Professional
from tests import brp
from tests import factories as f

GOOD_MELDCODE = {"steps": ["map_signals", "consult", "talk_client"], "suspicion": "yes",
                 "unsafe": "no", "help_possible": "yes", "help_accepted": "yes",
                 "lasting_safety": "yes"}


@pytest.fixture(autouse=True)
def guide_settings(settings):
    settings.REQUIRE_2FA = False
    settings.DEMO = False
    return settings


@pytest.fixture(autouse=True)
def keep_catalogue() -> Iterator[None]:
    """A test may load other aids; the next test gets the built-in ones back."""
    before = loader._current
    yield
    loader._current = before


@pytest.fixture
def other_organisation(municipality):
    return f.OrganisationFactory(name="School de Regenboog", kind="school",
                                 municipality=municipality)


@pytest.fixture
def outsider(other_organisation) -> Professional:
    """A professional of another organisation."""
    return f.ProfessionalFactory(organisation=other_organisation, roles=["professional"])


def register(professional: Professional, **kw: Any) -> Person:
    data = {"bsn": f.synthetic_bsn(), "given_names": "Noor", "family_name": "Bakker",
            "birth_date": date(2012, 6, 1), "sex": "V"} | kw
    return registry.register_person(f.professional_actor(professional),
                                    registry.PersonInput(**brp.known(data))).person


@pytest.fixture
def youth(professional, postcode_address) -> Person:
    return register(professional, given_names="Sanne", family_name="de Vries",
                    postcode="9901AB", house_number=12)


@pytest.fixture
def client_for(db) -> Callable[..., Client]:
    def make(who: Any, lang: str = "nl") -> Client:
        client = Client(HTTP_USER_AGENT="pytest-guide")
        client.force_login(getattr(who, "user", who))
        client.cookies["django_language"] = lang
        return client

    return make


@pytest.fixture
def aids_dir(tmp_path: Path, monkeypatch) -> Callable[..., Path]:
    """aids_dir({"name.yaml": "text"}) -> a directory named by JEUGDKETEN_GUIDES_DIR."""

    def make(files: dict[str, str]) -> Path:
        directory = tmp_path / "aids"
        directory.mkdir(exist_ok=True)
        for name, text in files.items():
            (directory / name).write_text(text, encoding="utf-8")
        monkeypatch.setenv(loader.ENV_VAR, str(directory))
        return directory

    return make
