"""The API token pages: a token is shown once, revoked by its owner only; citizens have
none."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from jeugdketen.access.models import ApiToken, hash_token
from tests import factories as f
from tests.pages import family_of, visible_text

pytestmark = pytest.mark.usefixtures("page_settings")


@pytest.fixture
def family(professional):
    """The household of tests/pages.py (citizen_user is its parent), not the plan tests'
    family that tests/access/conftest.py offers."""
    return family_of(professional)


def test_api_tokens_create_once_and_revoke(professional, client_for):
    client = client_for(professional)
    created = client.post(reverse("tokens"))
    body = created.content.decode()
    raw = re.search(r'class="jk-secret">(jk_[^<]+)<', body).group(1)
    token = ApiToken.objects.get(user=professional.user)
    assert token.digest == hash_token(raw)
    assert "no-store" in created["Cache-Control"]
    listing = client.get(reverse("tokens")).content.decode()
    assert raw not in listing and f"jk_{token.prefix}" in listing and "Actief" in listing
    response = client.post(reverse("revoke_token", args=[token.pk]), follow=True)
    assert "De token is ingetrokken." in visible_text(response.content)
    token.refresh_from_db()
    assert token.revoked_at is not None and not token.active
    # Someone else's token: not found, untouched.
    other = f.ProfessionalFactory()
    client_for(other).post(reverse("tokens"))
    foreign = ApiToken.objects.get(user=other.user)
    assert client.post(reverse("revoke_token", args=[foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


def test_citizens_have_no_token_page(citizen_user, client_for):
    assert client_for(citizen_user).get(reverse("tokens")).status_code == 403
