"""Only access writes the credentials: registry's actions (an account with its first
token, switching an account or an organisation off) call access.actions.create_token and
revoke_credentials (and create_account, switch_accounts for the accounts themselves), which change nothing on their own, only on the decision of the action
that calls them and in its transaction (tests/architecture checks that no other app
writes them)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jeugdketen.access import actions, audit
from jeugdketen.access.models import ActivationCode, ApiToken, User
from jeugdketen.access.policy import Action, Actor, Data, Target
from tests import factories as f


def test_outside_an_action_they_refuse_to_write(db):
    professional = f.ProfessionalFactory()
    with pytest.raises(RuntimeError, match="inside an action"):
        actions.create_token(professional.user)
    with pytest.raises(RuntimeError, match="inside an action"):
        actions.revoke_credentials(professional.user, at=timezone.now())
    with pytest.raises(RuntimeError, match="inside an action"):
        actions.create_account(username="nieuw", email="nieuw@example.org", password=None)
    with pytest.raises(RuntimeError, match="inside an action"):
        actions.switch_accounts(professional.user, active=False, at=timezone.now())
    assert not ApiToken.objects.exists()
    assert not User.objects.filter(username="nieuw").exists()
    professional.user.refresh_from_db()
    assert professional.user.is_active


def test_they_write_in_the_callers_transaction_and_roll_back_with_it(db):
    admin = f.ProfessionalFactory(roles=["platform_admin"])
    one, other = f.ProfessionalFactory(), f.ProfessionalFactory()
    actor = f.professional_actor(admin)
    for professional in (one, other):
        actions.issue_token(actor, professional.user)
        actions.issue_activation_code(actor, professional.user)

    @audit.write_path
    def switch_off_then_fail(actor: Actor, users: list[User]) -> None:
        audit.authorize(actor, Action.UPDATE, Target(Data.PROFESSIONAL, object_id="x"))
        actions.revoke_credentials(User.objects.filter(pk__in=[u.pk for u in users]),
                                   at=timezone.now())
        actions.create_token(users[0])
        assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1
        raise RuntimeError("the caller fails after the revocation")

    with pytest.raises(RuntimeError, match="the caller fails"):
        switch_off_then_fail(actor, [one.user, other.user])
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 2
    assert ActivationCode.objects.filter(revoked_at__isnull=True).count() == 2

    @audit.write_path
    def switch_off(actor: Actor, user: User) -> str:
        actions.revoke_credentials(user, at=timezone.now())
        return actions.create_token(user)

    raw = switch_off(actor, one.user)
    assert not ActivationCode.objects.filter(user=one.user, revoked_at__isnull=True).exists()
    open_tokens = ApiToken.objects.filter(user=one.user, revoked_at__isnull=True)
    assert [t.prefix for t in open_tokens] == [raw[3:11]]
    assert ApiToken.objects.filter(user=other.user, revoked_at__isnull=True).count() == 1
    assert ActivationCode.objects.filter(user=other.user, revoked_at__isnull=True).count() == 1
