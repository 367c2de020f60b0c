"""Login, the second factor (TOTP enrolment or verification) and logout."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.views import LoginView, redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from jeugdketen.web.forms import CodeForm, LoginForm

ISSUER = "Jeugdketen"


class Login(LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


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


def two_factor(request: HttpRequest) -> HttpResponse:
    """Step two of the login: set up an authenticator app (first time), or type its code."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = safe_next(request)
    if not settings.REQUIRE_2FA or user.is_verified():  # type: ignore[union-attr,attr-defined]
        return redirect(next_url or "home")

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    enrolling = device is None
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=ISSUER, confirmed=False)

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            allowed, _info = locked.verify_is_allowed()
            ok = allowed and locked.verify_token(form.cleaned_data["code"])
            if ok and enrolling:
                locked.confirmed = True
                locked.save(update_fields=["confirmed"])
        if ok:
            otp_login(request, locked)
            if enrolling:
                messages.success(request, _("Tweestapsverificatie staat aan. Voortaan vraagt "
                                            "het platform bij het inloggen om een code."))
            return redirect(next_url or "home")
        if not allowed:
            form.add_error("code", _("U heeft te vaak een verkeerde code ingevuld. Wacht even "
                                     "en probeer het dan opnieuw."))
        else:
            form.add_error("code", _("Deze code klopt niet. Typ de code die de app nu laat "
                                     "zien. Een code is 30 seconden geldig."))

    context = {"form": form, "enrolling": enrolling, "next": next_url}
    if enrolling:
        uri = otpauth_uri(device)
        context["qr"] = mark_safe(qr_svg(uri))  # noqa: S308 - segno output, our own title
        context["secret"] = grouped_secret(device)
    response = render(request, "web/two_factor.html", context)
    add_never_cache_headers(response)
    return response
