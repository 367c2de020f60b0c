"""The municipality's settings on screen (issue 9): the reference-index choices that exist
on the municipality (address matches, working days to agree on a coordinator, the shortest
duration of a signal) and the product codes for plan actions (list, add, switch off or on).

For the functional administrator of the municipality and the platform administrator (who
picks the municipality); the access policy's administration rules decide in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeugdketen.core.errors import Refusal
from jeugdketen.plans import actions as plans
from jeugdketen.registry import actions as registry
from jeugdketen.registry.models import Municipality
from jeugdketen.registry.views.admin_accounts import can_administer
from jeugdketen.ui.pages import actor_for, page, refusal_or_not_found, submit


class SettingsForm(forms.Form):
    address_match = forms.BooleanField(
        label=gettext_lazy("Signalen op hetzelfde adres geven een match (adresmatch)"),
        required=False)
    coordinator_days = forms.IntegerField(
        label=gettext_lazy("Werkdagen om het eens te worden over een regisseur"),
        min_value=1, max_value=60,
        help_text=gettext_lazy("1 tot en met 60; daarna komt de match bij de gemeente."))
    min_signal_days = forms.IntegerField(
        label=gettext_lazy("Kortste looptijd van een signaal (dagen)"),
        min_value=30, max_value=730, help_text=gettext_lazy("30 tot en met 730 dagen."))


class ProductCodeForm(forms.Form):
    code = forms.RegexField(label=gettext_lazy("Code"), max_length=30,
                            regex=plans.PRODUCT_CODE_PATTERN,
                            help_text=gettext_lazy("Kleine letters, cijfers, - of _."),
                            error_messages={"invalid": gettext_lazy(
                                "Een productcode heeft kleine letters, cijfers, - of _ "
                                "(hoogstens 30 tekens).")})
    label = forms.CharField(label=gettext_lazy("Omschrijving"), max_length=100)


def _municipality(request: HttpRequest) -> Municipality:
    """The municipality asked for (?gemeente=), else the administrator's own."""
    actor = actor_for(request)
    code = (request.POST.get("gemeente") or request.GET.get("gemeente") or "").strip()[:6]
    if not code and actor.professional is not None:
        code = actor.professional.organisation.municipality_id
    found = Municipality.objects.filter(code=code).first() if code else None
    if found is None:
        if "platform_admin" in actor.roles:
            first = Municipality.objects.order_by("name").first()
            if first is None:
                raise Http404("no municipalities")
            return first
        raise Http404("unknown municipality")
    return found


def _back(municipality: Municipality) -> HttpResponse:
    return redirect(f"{reverse('admin_municipality')}?{urlencode({'gemeente': municipality.code})}")


@page(can_administer)
def settings_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    municipality = _municipality(request)
    settings_form = SettingsForm(prefix="set", initial={
        "address_match": municipality.address_match,
        "coordinator_days": municipality.coordinator_days,
        "min_signal_days": municipality.min_signal_days})
    code_form = ProductCodeForm(prefix="pc")
    if request.method == "POST" and "save" in request.POST:
        settings_form = SettingsForm(request.POST, prefix="set")
        if submit(request, settings_form, lambda data: registry.configure_municipality(
                actor, municipality.code, **data)):
            messages.success(request, _("De instellingen zijn opgeslagen."))
            return _back(municipality)
    elif request.method == "POST" and "add" in request.POST:
        code_form = ProductCodeForm(request.POST, prefix="pc")
        if submit(request, code_form,
                  lambda data: plans.add_product_code(actor, municipality.code, **data),
                  field_map={"label": None}):
            messages.success(request, _("De productcode is toegevoegd."))
            return _back(municipality)
    codes = plans.list_product_codes(actor, municipality.code)
    choices: list[Any] = []
    if "platform_admin" in actor.roles:
        choices = list(Municipality.objects.order_by("name").values_list("code", "name"))
    return render(request, "registry/admin_municipality.html", {
        "municipality": municipality, "settings_form": settings_form, "code_form": code_form,
        "codes": codes, "choices": choices,
    }, status=422 if settings_form.errors or code_form.errors else 200)


@page(can_administer)
def product_code_active(request: HttpRequest, product_id: int) -> HttpResponse:
    municipality = _municipality(request)
    if request.method != "POST":
        return _back(municipality)
    active = request.POST.get("active") == "1"
    try:
        plans.set_product_code_active(actor_for(request), municipality.code, product_id,
                                      active=active)
    except Refusal as exc:
        refusal_or_not_found(request, exc)
    else:
        messages.success(request, _("De productcode staat weer aan.") if active else _(
            "De productcode is uitgezet: hij wordt niet meer aangeboden bij nieuwe acties."))
    return _back(municipality)
