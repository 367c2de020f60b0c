"""Login, the second factor (an activation code, then enrolment with a QR code, then
verification), lockout, logout and the error pages. The rules of activation codes and the
lockout: test_activation.py and test_lockout.py; the API token pages:
tests/access/test_token_pages.py; the correction pages: tests/registry/test_correction_pages.py."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from jeugdketen.access.actions import issue_activation_code, system_actor
from tests.pages import anonymous, dutch_leftovers, visible_text

PASSWORD = "Een-lang-wachtwoord-42"


def totp(secret_b32: str, at: float | None = None) -> str:
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return str((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10**6).zfill(6)


@pytest.fixture
def with_password(professional):
    user = professional.user
    user.set_password(PASSWORD)
    user.save()
    return user


def test_login_then_activation_code_then_enrol_totp_then_verify(with_password, settings):
    settings.REQUIRE_2FA = True
    raw, _code = issue_activation_code(system_actor("test"), with_password)
    client = Client()
    response = client.post(reverse("login"), {"username": with_password.username,
                                              "password": PASSWORD, "next": "/tokens/"})
    assert response.status_code == 302
    # Every page but login and set-up sends an unverified user to the second factor.
    home = client.get("/tokens/")
    assert home.status_code == 302 and home.url.startswith(reverse("two_factor"))
    assert "next=%2Ftokens%2F" in home.url
    # Without a linked app: first the activation code, no QR code yet.
    first = client.get(home.url)
    assert first.status_code == 302
    assert first.url == reverse("activate_two_factor") + "?next=%2Ftokens%2F"
    ask = client.get(first.url).content.decode()
    assert "Activeringscode invullen" in ask and "<svg" not in ask and "jk-secret" not in ask
    entered = client.post(reverse("activate_two_factor"),
                          {"activation_code": raw.lower(), "next": "/tokens/"})
    assert entered.status_code == 302 and entered.url == reverse("two_factor") + "?next=%2Ftokens%2F"
    enrol = client.get(entered.url)
    body = enrol.content.decode()
    assert enrol.status_code == 200 and "Tweestapsverificatie instellen" in body
    assert "<svg" in body and "<path" in body and "<script" not in body.split("<svg")[1][:5000]
    assert " style=" not in body
    secret = re.search(r'class="jk-secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    assert not TOTPDevice.objects.filter(user=with_password, confirmed=True).exists()
    wrong = client.post(reverse("two_factor"), {"code": "12345", "next": "/tokens/"})
    assert "Een code bestaat uit 6 cijfers." in wrong.content.decode()
    ok = client.post(reverse("two_factor"), {"code": totp(secret), "next": "/tokens/"})
    assert ok.status_code == 302 and ok.url == "/tokens/"
    assert TOTPDevice.objects.get(user=with_password).confirmed
    assert client.get("/tokens/").status_code == 200
    # Next login: only the code, no new QR code.
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": with_password.username, "password": PASSWORD})
    verify = client.get(reverse("two_factor"))
    assert "Code invullen" in verify.content.decode() and "<svg" not in verify.content.decode()
    bad = client.post(reverse("two_factor"), {"code": "000000"})
    assert "Deze code klopt niet." in bad.content.decode()
    assert client.get(reverse("home")).status_code == 302
    device = TOTPDevice.objects.get(user=with_password)
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    good = client.post(reverse("two_factor"), {"code": totp(secret, time.time() + 30)})
    assert good.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_two_factor_pages_in_english(with_password, client_for, settings):
    settings.REQUIRE_2FA = True
    client = client_for(with_password, "en")
    body = client.get(reverse("activate_two_factor")).content.decode()
    assert "Enter your activation code" in body and "first time" in body
    assert dutch_leftovers(client.get(reverse("activate_two_factor")).content) == []
    raw, _code = issue_activation_code(system_actor("test"), with_password)
    client.post(reverse("activate_two_factor"), {"activation_code": raw})
    enrol = client.get(reverse("two_factor"))
    body = enrol.content.decode()
    assert "Set up two-step verification" in body and "QR code to link your app" in body
    assert dutch_leftovers(enrol.content) == []


def test_wrong_password_message_and_lockout(with_password, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = anonymous()
    response = client.post(reverse("login"), {"username": with_password.username,
                                              "password": "fout"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "De gebruikersnaam of het wachtwoord klopt niet." in body
    assert f'value="{with_password.username}"' in body
    for _ in range(3):
        response = client.post(reverse("login"), {"username": with_password.username,
                                                  "password": "fout"})
    assert response.status_code == 429
    text = visible_text(response.content)
    assert "Even wachten met inloggen" in text and "minuut" in text
    # Even the right password does not get in now.
    response = client.post(reverse("login"), {"username": with_password.username,
                                              "password": PASSWORD})
    assert "Even wachten met inloggen" in response.content.decode()


def test_logout_is_a_post(professional, client_for):
    client = client_for(professional)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"), follow=True)
    assert "U bent uitgelogd." in visible_text(response.content)
    assert client.get(reverse("home")).status_code == 302


def test_server_error_page_needs_no_database(rf, settings):
    from jeugdketen.web.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_csrf_failure_page(professional, client_for, rf):
    from jeugdketen.web.views import csrf_failure

    request = rf.post("/")
    request.user = professional.user
    response = csrf_failure(request)
    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()
