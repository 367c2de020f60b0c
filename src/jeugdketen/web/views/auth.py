"""Login, the second factor and logout.

The second factor: the first time (or with a new phone) the user types the one-time
activation code an administrator handed out, then links an authenticator app with the QR
code; later logins ask for the app's code. Failed logins and refused activation codes are
counted per username and address (access/lockout.py).
"""

from __future__ import annotations

import math
from base64 import b32encode
from typing import Any
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.views import LoginView, redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from jeugdketen.access import actions, lockout
from jeugdketen.access.audit import AccessDenied
from jeugdketen.ui.pages import actor_for
from jeugdketen.web.forms import ActivationForm, CodeForm, LoginForm

ISSUER = "Jeugdketen"


class Login(LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if not settings.REQUIRE_2FA:  # the password was the whole login
            login_completed(self.request)
        return response


login_view = Login.as_view()


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, _("U bent uitgelogd."))
    return redirect("login")


def safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def otpauth_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    label = quote(f"{ISSUER}:{device.user.get_username()}")
    params = urlencode({"secret": secret, "issuer": ISSUER, "algorithm": "SHA1",
                        "digits": device.digits, "period": device.step})
    return f"otpauth://totp/{label}?{params}"


def grouped_secret(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_svg(uri: str) -> str:
    """The QR code as inline SVG markup (no inline style or script: fine for the CSP)."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, border=3, title=_("QR-code om uw app te koppelen"), svgclass="jk-qr-svg",
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


SESSION_ENROL = "jk_enrol"  # {user, code, device}: the activation code was accepted

ACTIVATION_MESSAGES = {
    "activation_code_wrong": gettext_lazy(
        "Deze activeringscode klopt niet. Controleer de code die u van uw beheerder kreeg. "
        "Na een paar foute pogingen moet u even wachten."),
    "activation_code_expired": gettext_lazy(
        "Deze activeringscode is verlopen. Vraag uw functioneel beheerder om een nieuwe code."),
    "activation_code_used": gettext_lazy(
        "Deze activeringscode is al gebruikt. Vraag uw functioneel beheerder om een nieuwe "
        "code als u uw app opnieuw moet koppelen."),
    "activation_code_revoked": gettext_lazy(
        "Er is een nieuwere activeringscode voor u gemaakt. Gebruik die nieuwste code."),
}


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
               credentials: dict[str, Any] | None = None) -> HttpResponse:
    """The lockout page (django-axes' AXES_LOCKOUT_CALLABLE, and the activation step):
    how long this username must wait at this address, as 429 with Retry-After."""
    wait = lockout.remaining(request, credentials)
    seconds = max(1, math.ceil(wait.total_seconds()))
    minutes = math.ceil(seconds / 60)
    context = {"wait_minutes": minutes if minutes < 120 else None,
               "wait_hours": math.ceil(minutes / 60) if minutes >= 120 else None}
    response = render(request, "web/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


def login_completed(request: HttpRequest) -> None:
    """The whole login succeeded (password and, where required, the second factor): the
    failures of this username from this address are forgotten. Not at the password alone,
    or someone with a stolen password could wipe the count of wrong activation codes."""
    lockout.reset(request, request.user.get_username())


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    response = render(request, template, context)
    add_never_cache_headers(response)
    return response


def _enrolment(request: HttpRequest) -> tuple[int, TOTPDevice] | None:
    """The activation code accepted in this session and the device being linked."""
    state = request.session.get(SESSION_ENROL)
    if not isinstance(state, dict) or state.get("user") != request.user.pk:
        return None
    device = TOTPDevice.objects.filter(pk=state.get("device"), user=request.user,
                                       confirmed=False).first()
    if device is None:
        request.session.pop(SESSION_ENROL, None)
        return None
    return int(state["code"]), device


def _second_factor_not_needed(request: HttpRequest, next_url: str | None
                              ) -> HttpResponse | None:
    """Where a second-factor page sends someone it has nothing to ask: to the login
    without a session, onwards when already verified (or without 2FA)."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not settings.REQUIRE_2FA or user.is_verified():  # type: ignore[attr-defined]
        return redirect(next_url or "home")
    return None


def two_factor(request: HttpRequest) -> HttpResponse:
    """Step two of the login: link an authenticator app (after the activation code), or
    type the code the app shows."""
    user = request.user
    next_url = safe_next(request)
    done = _second_factor_not_needed(request, next_url)
    if done is not None:
        return done
    enrolment = _enrolment(request)
    if enrolment is not None:
        return _enrol(request, *enrolment, next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:  # no app linked yet: first the activation code
        return redirect(_with_next(reverse("activate_two_factor"), next_url))
    return _verify(request, device, next_url)


def _verify(request: HttpRequest, device: TOTPDevice, next_url: str) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified, allowed = actions.verify_second_factor(
            actor_for(request), device.pk, form.cleaned_data["code"])
        if verified is not None:
            otp_login(request, verified)
            login_completed(request)
            return redirect(next_url or "home")
        _code_error(form, allowed)
    return _page(request, "web/two_factor.html",
                 {"form": form, "enrolling": False, "next": next_url})


def _code_error(form: CodeForm, allowed: bool) -> None:
    if not allowed:
        form.add_error("code", _("U heeft te vaak een verkeerde code ingevuld. Wacht even "
                                 "en probeer het dan opnieuw."))
    else:
        form.add_error("code", _("Deze code klopt niet. Typ de code die de app nu laat "
                                 "zien. Een code is 30 seconden geldig."))


def _enrol(request: HttpRequest, code_id: int, device: TOTPDevice, next_url: str
           ) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed, throttled = actions.enrol_authenticator(
                actor_for(request), code_id, device.pk, form.cleaned_data["code"])
        except AccessDenied as denied:
            # The code was used, replaced or expired meanwhile: start again with a code.
            request.session.pop(SESSION_ENROL, None)
            messages.error(request, str(ACTIVATION_MESSAGES.get(
                denied.rule, ACTIVATION_MESSAGES["activation_code_wrong"])))
            return redirect(_with_next(reverse("activate_two_factor"), next_url))
        if confirmed is not None:
            request.session.pop(SESSION_ENROL, None)
            otp_login(request, confirmed)
            login_completed(request)
            messages.success(request, _("Tweestapsverificatie staat aan. Voortaan vraagt "
                                        "het platform bij het inloggen om een code."))
            return redirect(next_url or "home")
        _code_error(form, not throttled)
    uri = otpauth_uri(device)
    return _page(request, "web/two_factor.html", {
        "form": form, "enrolling": True, "next": next_url,
        "qr": mark_safe(qr_svg(uri)),  # noqa: S308 - segno output, our own title
        "secret": grouped_secret(device),
    })


def activate(request: HttpRequest) -> HttpResponse:
    """Before an authenticator app is linked (the first login, or a new phone): the
    one-time activation code an administrator handed out. A refused code counts as a
    failed login for this username at this address; when that starts a cool-off, the
    session ends and the lockout page says how long to wait."""
    user = request.user
    next_url = safe_next(request)
    done = _second_factor_not_needed(request, next_url)
    if done is not None:
        return done
    username = user.get_username()
    if lockout.is_locked(request, username):
        auth_logout(request)
        return locked_out(request, credentials={"username": username})
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            code, device = actions.start_enrolment(actor_for(request),
                                                   form.cleaned_data["activation_code"])
        except AccessDenied as denied:
            lockout.record_failure(request, username)
            if lockout.is_locked(request, username):
                auth_logout(request)
                return locked_out(request, credentials={"username": username})
            form.add_error("activation_code", str(ACTIVATION_MESSAGES.get(
                denied.rule, ACTIVATION_MESSAGES["activation_code_wrong"])))
        else:
            request.session[SESSION_ENROL] = {"user": user.pk, "code": code.pk,
                                              "device": device.pk}
            return redirect(_with_next(reverse("two_factor"), next_url))
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return _page(request, "web/activate.html",
                 {"form": form, "next": next_url, "has_device": has_device})
