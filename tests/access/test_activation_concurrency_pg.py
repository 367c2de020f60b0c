"""Activation codes under real concurrency on PostgreSQL: simultaneous issues leave one
open code, and one code links one app however many sessions confirm at once."""

from __future__ import annotations

import time
from base64 import b32encode

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from jeugdketen.access import actions
from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import ActivationCode
from jeugdketen.chainlog.models import ChainEvent
from tests import factories as f
from tests.registry.test_concurrency_pg import committed, in_threads, pg  # noqa: F401 - fixtures
from tests.web.test_web_auth import totp

pytestmark = pytest.mark.postgres


def test_simultaneous_issues_leave_one_open_code(committed):  # noqa: F811
    admin = f.ProfessionalFactory(organisation=committed, roles=["functional_admin"])
    target = f.ProfessionalFactory(organisation=committed)
    raws = in_threads(8, lambda i: actions.issue_activation_code(
        f.professional_actor(admin), target.user)[0])
    assert len(set(raws)) == 8
    codes = ActivationCode.objects.filter(user=target.user)
    assert codes.count() == 8
    assert codes.filter(used_at__isnull=True, revoked_at__isnull=True).count() == 1
    assert ChainEvent.objects.filter(activity="activation_code.issued").count() == 8


def test_one_code_links_one_app_however_many_sessions_confirm(committed):  # noqa: F811
    person_user = f.ProfessionalFactory(organisation=committed).user
    _raw, code = actions.issue_activation_code(actions.system_actor("test"), person_user)
    devices = [TOTPDevice.objects.create(user=person_user, name="Jeugdketen", confirmed=False)
               for _ in range(6)]
    now = time.time()

    def confirm(i: int) -> str:
        actor = actions.actor_for_user(person_user)
        token = totp(b32encode(devices[i].bin_key).decode(), now)
        try:
            device, _throttled = actions.enrol_authenticator(actor, code.pk, devices[i].pk, token)
        except AccessDenied as denied:
            return denied.rule
        return "linked" if device is not None else "wrong"

    outcomes = in_threads(6, confirm)
    assert outcomes.count("linked") == 1, outcomes
    assert set(outcomes) - {"linked"} <= {"activation_code_used"}
    assert TOTPDevice.objects.filter(user=person_user, confirmed=True).count() == 1
    assert ChainEvent.objects.filter(activity="authenticator.enrolled").count() == 1
