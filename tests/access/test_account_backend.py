"""The session backend reads a signed-in user with their professional and organisation in one
statement, and keeps ModelBackend's refusals (inactive account, unknown or malformed id)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jeugdketen.access.backends import AccountBackend
from tests.factories import ProfessionalFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_professional_and_organisation_come_with_the_user():
    prof = ProfessionalFactory()
    with CaptureQueriesContext(connection) as captured:
        user = AccountBackend().get_user(prof.user.pk)
        assert user.professional.organisation.name == prof.organisation.name
    assert len(captured) == 1


def test_a_user_without_professional_needs_no_second_statement():
    plain = UserFactory()
    with CaptureQueriesContext(connection) as captured:
        user = AccountBackend().get_user(plain.pk)
        assert not hasattr(user, "professional")
    assert len(captured) == 1


@pytest.mark.parametrize("user_id", [987654321, "not-a-number", None])
def test_an_unknown_or_malformed_id_is_nobody(user_id):
    assert AccountBackend().get_user(user_id) is None


def test_an_inactive_account_is_nobody():
    prof = ProfessionalFactory(user__is_active=False)
    assert AccountBackend().get_user(prof.user.pk) is None
