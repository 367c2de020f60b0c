"""Failed logins are counted per username AND address, with a cool-off that grows: an
attacker cannot lock a colleague out from another address, and guessing from one address
gets slower with every failure (issue 8, finding 10)."""

from __future__ import annotations

from base64 import b32encode
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.checks import run_checks
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from jeugdketen.access.lockout import client_address, cool_off
from jeugdketen.config.api import client_ip
from jeugdketen.ui.pages import access_point
from tests.pages import dutch_leftovers, visible_text

from .test_web_auth import totp

PASSWORD = "Een-lang-wachtwoord-42"
ATTACKER = "198.51.100.7"
COLLEAGUE = "203.0.113.20"


@pytest.fixture
def victim(professional, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOCKOUT_FIRST_COOLOFF = timedelta(minutes=1)
    settings.LOCKOUT_MAX_COOLOFF = timedelta(hours=24)
    user = professional.user
    user.set_password(PASSWORD)
    user.save()
    return user


def from_address(ip: str, lang: str = "nl", **extra: str) -> Client:
    client = Client(REMOTE_ADDR=ip, **extra)
    client.cookies["django_language"] = lang
    return client


def attempt(client: Client, user, password: str = "fout"):
    return client.post(reverse("login"), {"username": user.username, "password": password})


def age_failures(user, ip: str, by: timedelta) -> None:
    """Let time pass for the failures of this username from this address."""
    for row in AccessAttempt.objects.filter(username=user.username, ip_address=ip):
        AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=row.attempt_time - by)


def test_an_attacker_elsewhere_cannot_lock_out_a_colleague(victim):
    attacker = from_address(ATTACKER)
    assert [attempt(attacker, victim).status_code for _ in range(3)] == [200, 200, 429]
    locked = attempt(attacker, victim, PASSWORD)
    assert locked.status_code == 429  # the attacker's address waits, even with the password
    colleague = from_address(COLLEAGUE)
    response = attempt(colleague, victim, PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    assert colleague.get(reverse("home")).status_code == 200


def test_the_cool_off_grows_with_every_further_failure(victim):
    attacker = from_address(ATTACKER)
    for _ in range(3):
        attempt(attacker, victim)
    first = attempt(attacker, victim)
    assert first.status_code == 429 and 55 <= int(first["Retry-After"]) <= 60
    # Attempts during the cool-off are refused unchecked and do not count.
    assert AccessAttempt.objects.get(username=victim.username).failures_since_start == 3
    age_failures(victim, ATTACKER, timedelta(minutes=1, seconds=1))
    assert attempt(attacker, victim).status_code == 429  # the 4th failure: 2 minutes
    second = attempt(attacker, victim)
    assert 115 <= int(second["Retry-After"]) <= 120
    age_failures(victim, ATTACKER, timedelta(minutes=2, seconds=1))
    attempt(attacker, victim)  # the 5th failure: 4 minutes
    assert 235 <= int(attempt(attacker, victim)["Retry-After"]) <= 240
    age_failures(victim, ATTACKER, timedelta(minutes=4, seconds=1))
    # After the wait the right password gets in from there again.
    response = attempt(attacker, victim, PASSWORD)
    assert response.status_code == 302


def test_cool_off_doubles_up_to_the_longest(settings):
    settings.LOCKOUT_FIRST_COOLOFF = timedelta(minutes=1)
    settings.LOCKOUT_MAX_COOLOFF = timedelta(hours=24)
    assert [cool_off(n, 5) for n in (0, 4)] == [timedelta(0), timedelta(0)]
    assert [cool_off(n, 5).total_seconds() / 60 for n in (5, 6, 7, 10)] == [1, 2, 4, 32]
    assert cool_off(16, 5) == timedelta(hours=24) and cool_off(500, 5) == timedelta(hours=24)


def test_a_complete_login_resets_only_its_own_address(victim):
    attacker = from_address(ATTACKER)
    for _ in range(3):
        attempt(attacker, victim)
    colleague = from_address(COLLEAGUE)
    attempt(colleague, victim)
    attempt(colleague, victim)
    assert attempt(colleague, victim, PASSWORD).status_code == 302
    # The colleague's own failures are forgotten; the attacker still waits.
    assert not AccessAttempt.objects.filter(ip_address=COLLEAGUE).exists()
    assert attempt(attacker, victim, PASSWORD).status_code == 429


def test_the_password_alone_resets_nothing_while_a_second_factor_is_due(victim, settings):
    """With two-factor on, the count is reset when the second factor is passed too: a
    stolen password must not wipe the count of wrong activation codes."""
    settings.REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=victim, name="Jeugdketen", confirmed=True)
    client = from_address(COLLEAGUE)
    attempt(client, victim)
    assert attempt(client, victim, PASSWORD).status_code == 302
    assert AccessAttempt.objects.filter(username=victim.username).exists()
    secret = b32encode(device.bin_key).decode()
    assert client.post(reverse("two_factor"), {"code": totp(secret)}).status_code == 302
    assert not AccessAttempt.objects.filter(username=victim.username).exists()


@pytest.mark.parametrize(("lang", "texts"), [
    ("nl", ["Even wachten met inloggen", "Probeer het over 1 minuut opnieuw.",
            "Na elke volgende foute poging wordt de wachttijd langer."]),
    ("en", ["Please wait before logging in again", "Try again in 1 minute.",
            "Every further wrong attempt makes the wait longer."]),
])
def test_lockout_page_is_readable(victim, lang, texts):
    client = from_address(ATTACKER, lang)
    for _ in range(3):
        attempt(client, victim)
    response = attempt(client, victim)
    assert response.status_code == 429
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    text = visible_text(response.content)
    for expected in texts:
        assert expected in text
    assert '<h1 class="utrecht-heading-1">' in response.content.decode()
    if lang == "en":
        assert dutch_leftovers(response.content) == []


def test_a_long_wait_is_said_in_hours(victim, settings):
    settings.LOCKOUT_FIRST_COOLOFF = timedelta(hours=3)
    client = from_address(ATTACKER)
    for _ in range(3):
        attempt(client, victim)
    text = visible_text(attempt(client, victim).content)
    assert "Probeer het over 3 uur opnieuw." in text


# --- the client address ------------------------------------------------------------


def test_without_configuration_the_address_is_remote_addr(rf, monkeypatch):
    monkeypatch.delenv("JEUGDKETEN_CLIENT_IP_HEADER", raising=False)
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert client_address(request) == "127.0.0.1"


def test_the_proxy_header_counts_only_from_a_trusted_proxy(rf, monkeypatch):
    monkeypatch.setenv("JEUGDKETEN_CLIENT_IP_HEADER", "X-Forwarded-For")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1, 10.0.0.0/8")
    # The right-most entry is what our proxy saw; the left ones come from the client.
    proxied = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.99")
    assert client_address(proxied) == "192.0.2.99"
    direct = rf.get("/", REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert client_address(direct) == "192.0.2.50"
    garbage = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_address(garbage) == "127.0.0.1"
    missing = rf.get("/", REMOTE_ADDR="127.0.0.1")
    assert client_address(missing) == "127.0.0.1"
    monkeypatch.setenv("JEUGDKETEN_CLIENT_IP_HEADER", "X-Real-IP")
    real = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="2001:db8::1")
    assert client_address(real) == "2001:db8::1"


def test_behind_a_configured_proxy_addresses_are_counted_apart(victim, monkeypatch):
    monkeypatch.setenv("JEUGDKETEN_CLIENT_IP_HEADER", "X-Forwarded-For")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1")
    attacker = from_address("127.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    for _ in range(3):
        attempt(attacker, victim)
    assert attempt(attacker, victim, PASSWORD).status_code == 429
    assert AccessAttempt.objects.get(username=victim.username).ip_address == ATTACKER
    colleague = from_address("127.0.0.1", HTTP_X_FORWARDED_FOR=COLLEAGUE)
    assert attempt(colleague, victim, PASSWORD).status_code == 302


def test_the_access_log_records_the_client_behind_the_proxy(rf, monkeypatch):
    monkeypatch.setenv("JEUGDKETEN_CLIENT_IP_HEADER", "X-Forwarded-For")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1")
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=COLLEAGUE)
    assert access_point(request).ip == COLLEAGUE
    assert client_ip(request) == COLLEAGUE


def test_axes_checks_pass_without_silencing(settings):
    assert not [s for s in settings.SILENCED_SYSTEM_CHECKS if s.startswith("axes.")]
    assert [m.id for m in run_checks() if m.id.startswith("axes.")] == []
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]

