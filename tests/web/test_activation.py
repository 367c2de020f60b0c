"""Linking an authenticator app needs a one-time activation code from an administrator:
a stolen password for a fresh account no longer binds the thief's app (issue 8,
finding 10). Every rule of the code, through the real login pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from jeugdketen.access.actions import issue_activation_code, system_actor
from jeugdketen.access.models import AccessLogRecord, ActivationCode
from jeugdketen.chainlog.models import ChainEvent
from tests import factories as f

from .test_web_auth import totp

PASSWORD = "Een-lang-wachtwoord-42"


@pytest.fixture
def two_factor_on(settings):
    settings.REQUIRE_2FA = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_FAILURE_LIMIT = 3
    return settings


def account(professional):
    user = professional.user
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def user(professional, two_factor_on):
    return account(professional)


def code_for(user) -> str:
    raw, _code = issue_activation_code(system_actor("test"), user)
    return raw


def logged_in(user, ip: str = "192.0.2.10") -> Client:
    client = Client(REMOTE_ADDR=ip)
    client.cookies["django_language"] = "nl"
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def enter(client: Client, code: str):
    return client.post(reverse("activate_two_factor"), {"activation_code": code})


def secret_on(client: Client) -> str:
    body = client.get(reverse("two_factor")).content.decode()
    return re.search(r'class="jk-secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")


def enrol(client: Client, code: str) -> TOTPDevice:
    assert enter(client, code).status_code == 302
    secret = secret_on(client)
    assert client.post(reverse("two_factor"), {"code": totp(secret)}).status_code == 302
    return TOTPDevice.objects.get(user_id=client.session["_auth_user_id"], confirmed=True)


def refused(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_code_is_required_before_any_qr_code(user):
    client = logged_in(user)
    second_step = client.get(reverse("two_factor"))
    assert second_step.status_code == 302 and second_step.url == reverse("activate_two_factor")
    page = client.get(second_step.url).content.decode()
    assert "Activeringscode invullen" in page and "jk-secret" not in page and "<svg" not in page
    # Typing a TOTP code straight away links nothing.
    client.post(reverse("two_factor"), {"code": "123456"})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(reverse("home")).status_code == 302


def test_the_right_code_links_the_app_once_and_is_logged(user):
    raw = code_for(user)
    client = logged_in(user)
    assert enter(client, raw.replace("-", " ").lower()).status_code == 302
    assert TOTPDevice.objects.filter(user=user, confirmed=False).count() == 1
    secret = secret_on(client)
    assert client.post(reverse("two_factor"), {"code": totp(secret)}).status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and client.get(reverse("home")).status_code == 200
    code = ActivationCode.objects.get(user=user)
    assert code.used_at is not None
    logged = AccessLogRecord.objects.filter(object_id=str(user.pk), ground="self",
                                            outcome="allowed")
    assert logged.count() == 1 and logged.get().channel == "session"
    event = ChainEvent.objects.get(activity="authenticator.enrolled")
    assert event.attributes == {"replaced_device": False}


def test_a_wrong_code_is_refused_counted_and_logged(user):
    code_for(user)
    client = logged_in(user)
    body = refused(enter(client, "ABCD-EFGH-JKMN-PQRS"))
    assert "Deze activeringscode klopt niet." in body and "jk-secret" not in body
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 1
    denied = AccessLogRecord.objects.get(object_id=str(user.pk), outcome="denied")
    assert denied.reason == "activation: wrong code"
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_a_malformed_code_names_the_rule_without_counting(user):
    client = logged_in(user)
    body = refused(enter(client, "12345"))
    assert "Een activeringscode bestaat uit 16 letters en cijfers." in body
    assert not AccessAttempt.objects.filter(username=user.username).exists()


def test_an_expired_code_is_refused(user):
    raw = code_for(user)
    ActivationCode.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    body = refused(enter(logged_in(user), raw))
    assert "Deze activeringscode is verlopen." in body
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_the_expiry_is_configurable(user, settings):
    settings.ACTIVATION_CODE_DAYS = 2
    _raw, code = issue_activation_code(system_actor("test"), user)
    assert timedelta(days=2) - (code.expires_at - code.issued_at) == timedelta(0)


def test_a_used_code_cannot_link_a_second_app(user, make_professional):
    raw = code_for(user)
    first = enrol(logged_in(user), raw)
    # Someone with the password and the old code, elsewhere: refused, the app stays.
    thief = logged_in(user, ip="198.51.100.7")
    body = refused(enter(thief, raw))
    assert "Deze activeringscode is al gebruikt." in body
    assert list(TOTPDevice.objects.filter(user=user)) == [first]


def test_the_code_of_another_user_is_wrong(user, make_professional):
    other = account(make_professional("professional"))
    theirs = code_for(other)
    code_for(user)
    body = refused(enter(logged_in(user), theirs))
    assert "Deze activeringscode klopt niet." in body
    assert ActivationCode.objects.get(user=other).used_at is None
    enrol(logged_in(other), theirs)  # still good for its owner


def test_a_new_code_revokes_the_old_one(user):
    old = code_for(user)
    new = code_for(user)
    assert ActivationCode.objects.get(user=user, revoked_at__isnull=False)
    client = logged_in(user)
    body = refused(enter(client, old))
    assert "Er is een nieuwere activeringscode voor u gemaakt." in body
    enrol(client, new)


def test_a_code_revoked_while_linking_stops_the_link(user):
    old = code_for(user)
    client = logged_in(user)
    assert enter(client, old).status_code == 302
    secret = secret_on(client)
    code_for(user)  # the administrator issued another code meanwhile
    response = client.post(reverse("two_factor"), {"code": totp(secret)}, follow=True)
    assert "Er is een nieuwere activeringscode voor u gemaakt." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_a_lost_phone_is_replaced_with_a_new_code(user):
    old_device = enrol(logged_in(user), code_for(user))
    raw = code_for(user)
    client = logged_in(user)
    verify = client.get(reverse("two_factor")).content.decode()
    assert "Code invullen" in verify and reverse("activate_two_factor") in verify
    ask = client.get(reverse("activate_two_factor")).content.decode()
    assert "Koppelt u een nieuwe telefoon?" in ask
    new_device = enrol(client, raw)
    assert list(TOTPDevice.objects.filter(user=user)) == [new_device] != [old_device]
    event = ChainEvent.objects.filter(activity="authenticator.enrolled").latest("id")
    assert event.attributes == {"replaced_device": True}


def test_wrong_codes_lock_this_address_out(user):
    code_for(user)
    attacker = logged_in(user, ip="198.51.100.7")
    enter(attacker, "ABCD-EFGH-JKMN-PQRS")
    enter(attacker, "ABCD-EFGH-JKMN-PQRT")
    locked = enter(attacker, "ABCD-EFGH-JKMN-PQRV")
    assert locked.status_code == 429 and "Even wachten met inloggen" in locked.content.decode()
    # The session ended, and the password does not get back in from there for now.
    assert attacker.get(reverse("two_factor")).status_code == 302
    again = attacker.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert again.status_code == 429
    # The user, from their own address, is not locked out.
    enrol(logged_in(user, ip="203.0.113.20"), code_for(user))


def test_the_password_does_not_wipe_the_count_of_wrong_codes(user):
    code_for(user)
    attacker = logged_in(user, ip="198.51.100.7")
    enter(attacker, "ABCD-EFGH-JKMN-PQRS")
    enter(attacker, "ABCD-EFGH-JKMN-PQRT")
    attacker.post(reverse("logout"))
    attacker = logged_in(user, ip="198.51.100.7")
    assert enter(attacker, "ABCD-EFGH-JKMN-PQRV").status_code == 429


def test_demo_without_two_factor_needs_no_code(professional, settings):
    settings.REQUIRE_2FA = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = account(professional)
    client = logged_in(user)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("activate_two_factor")).status_code == 302


def test_a_citizen_links_an_app_with_a_code_from_the_platform_administrator(db, two_factor_on):
    person = f.PersonFactory()
    citizen = f.UserFactory(person=person)
    citizen.set_password(PASSWORD)
    citizen.save()
    enrol(logged_in(citizen), code_for(citizen))
    assert TOTPDevice.objects.get(user=citizen).confirmed
