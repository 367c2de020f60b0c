"""What the tests of server-rendered pages share, in every folder (tests/web for the shell,
tests/registry, tests/access, tests/referral_index for their apps' pages): a logged-in
client per role, in Dutch or English, persons registered through the actions (so the
access log is real), a family of three, and readers of a page's text.

The fixtures are imported by the conftest of each folder that has page tests; a test module
takes `page_settings` (`pytestmark = pytest.mark.usefixtures("page_settings")`) unless its
folder's conftest uses it for every test (tests/web)."""

from __future__ import annotations

import gettext
import html
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from jeugdketen.access.models import User
from jeugdketen.registry import actions
from jeugdketen.registry.models import OrganisationKind, Person, Professional
from tests import brp
from tests import factories as f

LOCALE = Path(__file__).resolve().parents[1] / "src" / "jeugdketen" / "locale"
REASON = "Kind niet opgehaald op school, ouders onbereikbaar."


def for_pages(settings: Any) -> Any:
    """Plain static files (no collectstatic manifest in tests); two-factor off unless a
    test turns it on."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.REQUIRE_2FA = False
    settings.DEMO = False
    return settings


@pytest.fixture
def page_settings(settings):
    """for_pages(settings)."""
    return for_pages(settings)


@pytest.fixture
def client_for(db) -> Callable[..., Client]:
    """client_for(professional_or_user, lang="nl") -> a logged-in test client."""

    def make(who: Any, lang: str = "nl") -> Client:
        user = getattr(who, "user", who)
        client = Client(HTTP_USER_AGENT="pytest-web")
        client.force_login(user)
        client.cookies["django_language"] = lang
        return client

    return make


def anonymous(lang: str = "nl") -> Client:
    client = Client()
    client.cookies["django_language"] = lang
    return client


def register(professional: Professional, **kw: Any) -> Person:
    data = {"bsn": f.synthetic_bsn(), "given_names": "Noor", "family_name": "Bakker",
            "birth_date": date(2015, 6, 1), "sex": "V"} | kw
    actor = f.professional_actor(professional)
    return actions.register_person(actor, actions.PersonInput(**brp.known(data))).person


@pytest.fixture
def registered(professional, postcode_address) -> Person:
    return register(professional, given_names="Sanne", family_name="de Vries",
                    postcode="9901AB", house_number=12)


def family_of(professional: Professional) -> dict[str, Person]:
    """A parent and two children, all registered by `professional`, in one household; the
    BRP says she is their mother, with sole custody."""
    parent = register(professional, given_names="Mira", family_name="Jansen",
                      birth_date=date(1985, 2, 3))
    kids = []
    for given, age, sex in (("Lotte", 8, "V"), ("Daan", 11, "M")):
        bsn, born = f.synthetic_bsn(), f.birth_date_for_age(age)
        brp.in_brp(bsn=bsn, given_names=given, family_name="Jansen", birth_date=born, sex=sex,
                   parents=[parent.bsn], custody=[parent.bsn])
        kids.append(actions.register_person(f.professional_actor(professional), actions.PersonInput(
            bsn=bsn, given_names=given, family_name="Jansen", birth_date=born, sex=sex)).person)
    child, sibling = kids
    actions.register_household(f.professional_actor(professional), [
        actions.MemberInput(parent.pk, "parent"),
        actions.MemberInput(child.pk, "child"),
        actions.MemberInput(sibling.pk, "child"),
    ])
    return {"parent": parent, "child": child, "sibling": sibling}


@pytest.fixture
def family(professional) -> dict[str, Person]:
    """family_of(professional)."""
    return family_of(professional)


@pytest.fixture
def citizen_user(family) -> User:
    """The parent's own (citizen) login."""
    return f.UserFactory(person=family["parent"])


def visible_text(content: bytes) -> str:
    """The page's text, without tags, scripts, styles or attribute values."""
    text = content.decode()
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text))


def dutch_leftovers(content: bytes) -> list[str]:
    """Dutch source strings of the platform that show up untranslated in an English
    render (only strings whose English differs and that are long enough not to match by
    accident)."""
    with (LOCALE / "en" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    text = visible_text(content)
    # Organisation kinds also occur in organisation names (test data), e.g. "Wijkteam X".
    with translation.override("nl"):
        data_words = {str(label) for label in OrganisationKind.labels}
    found = []
    for key, english in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or msgid == english or "%" in msgid:
            continue
        if (len(msgid) < 8 and " " not in msgid) or msgid in data_words:
            continue
        if msgid in text:
            found.append(msgid)
    return found
