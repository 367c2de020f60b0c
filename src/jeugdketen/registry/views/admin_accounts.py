"""The administrators' screens for accounts (issue 9): organisations (list, search, create,
change, deactivate), their professionals (create, change roles, switch off), activation
codes (issue, see their state, revoke) and API tokens (see, revoke).

A platform administrator manages every organisation; a functional administrator only those
of their own municipality and never a privileged role (the access policy's administration
rules decide; these pages only call the actions). No page here shows a client."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeugdketen.access import actions as access
from jeugdketen.access.models import ActivationCode
from jeugdketen.access.policy import STATUTORY_KINDS
from jeugdketen.core.errors import Refusal
from jeugdketen.registry import actions as registry
from jeugdketen.registry.models import Municipality, OrganisationKind, Professional, Role
from jeugdketen.registry.selectors import administered_municipality
from jeugdketen.ui import roles as r
from jeugdketen.ui.listing import Paging, search_text
from jeugdketen.ui.pages import (
    actor_for,
    page,
    page_number,
    refusal_to_messages,
    submit,
)

PER_PAGE = 25


def can_administer(user: Any) -> bool:
    return bool({"platform_admin", "functional_admin"} & set(r.roles_of(user)))


class OrganisationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Soort"), choices=OrganisationKind.choices)
    municipality_code = forms.ChoiceField(label=gettext_lazy("Gemeente"), choices=())
    may_signal = forms.BooleanField(label=gettext_lazy("Mag signalen afgeven in de Verwijsindex"),
                                    required=False)
    may_coordinate = forms.BooleanField(label=gettext_lazy("Mag regie voeren"), required=False)

    def __init__(self, *args: Any, municipality: str | None = None, current: str = "",
                 kind: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        if municipality is not None:
            # A functional administrator keeps an organisation's kind and sets up none of
            # a statutory kind (the policy refuses both; the form does not offer them).
            self.fields["kind"].choices = [  # type: ignore[attr-defined]
                (code, label) for code, label in OrganisationKind.choices
                if (code == kind if kind else code not in STATUTORY_KINDS)]
        places = Municipality.objects.filter(
            Q(ended_on__isnull=True) | Q(code=current)).order_by("name")
        if municipality is not None:
            places = places.filter(code=municipality)
        self.fields["municipality_code"].choices = [  # type: ignore[attr-defined]
            (m.code, f"{m.name} ({m.code})") for m in places]


class ProfessionalForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Naam"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mailadres"), max_length=254)
    phone = forms.CharField(label=gettext_lazy("Telefoon"), max_length=20, required=False)
    roles = forms.MultipleChoiceField(label=gettext_lazy("Rollen"), choices=Role.choices,
                                      widget=forms.CheckboxSelectMultiple)


class NewProfessionalForm(ProfessionalForm):
    username = forms.CharField(label=gettext_lazy("Gebruikersnaam"), max_length=150)
    field_order = ["username", "full_name", "email", "phone", "roles"]  # noqa: RUF012 - Django's


def role_names(roles: list[str]) -> str:
    return ", ".join(str(Role(code).label) for code in roles if code in Role.values)


@page(can_administer)
def organisations(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    own = administered_municipality(actor)
    form = OrganisationForm(request.POST if request.method == "POST" else None,
                            municipality=own, prefix="org")
    created = submit(request, form, lambda data: registry.create_organisation(actor, **data))
    if created is not None:
        messages.success(request, _("De organisatie is aangemaakt."))
        return redirect("admin_organisation", created.pk)
    query = search_text(request, "q")
    number = page_number(request)
    found, total = registry.list_organisations(actor, query=query, limit=PER_PAGE,
                                               offset=(number - 1) * PER_PAGE)
    return render(request, "registry/admin_organisations.html", {
        "organisations": found, "query": query, "form": form,
        **Paging(total=total, page=number, per_page=PER_PAGE).context(len(found)),
    }, status=422 if form.errors else 200)


@page(can_administer)
def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = actor_for(request)
    found, staff = registry.read_organisation(actor, organisation_id)
    for member in staff:
        member.role_names = role_names(member.roles)  # type: ignore[attr-defined]
    own = administered_municipality(actor)
    edit = OrganisationForm(prefix="org", municipality=own, current=found.municipality_id,
                            kind=found.kind, initial={
        "name": found.name, "kind": found.kind, "municipality_code": found.municipality_id,
        "may_signal": found.may_signal, "may_coordinate": found.may_coordinate})
    new = NewProfessionalForm(prefix="new")
    if request.method == "POST" and "save" in request.POST:
        edit = OrganisationForm(request.POST, prefix="org", municipality=own,
                                current=found.municipality_id, kind=found.kind)
        if submit(request, edit,
                  lambda data: registry.update_organisation(actor, found.pk, **data)):
            messages.success(request, _("De organisatie is opgeslagen."))
            return redirect("admin_organisation", found.pk)
    elif request.method == "POST" and "add" in request.POST:
        new = NewProfessionalForm(request.POST, prefix="new")
        created = submit(request, new, lambda data: registry.create_professional(
            actor, organisation_id=found.pk, **data))
        if created is not None:
            messages.success(request, _(
                "Het account is aangemaakt. Geef de medewerker nu een activeringscode: "
                "daarmee koppelt hij of zij bij de eerste keer inloggen een "
                "authenticator-app."))
            return redirect("admin_professional", created.pk)
    return render(request, "registry/admin_organisation.html", {
        "organisation": found, "staff": staff, "edit": edit, "new": new,
    }, status=422 if edit.errors or new.errors else 200)


@page(can_administer)
def organisation_active(request: HttpRequest, organisation_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("admin_organisation", organisation_id)
    active = request.POST.get("active") == "1"
    try:
        registry.set_organisation_active(actor_for(request), organisation_id, active=active)
    except Refusal as exc:
        refusal_to_messages(request, exc)
    else:
        messages.success(request, _("De organisatie staat weer aan.") if active else _(
            "De organisatie is uitgezet. Haar accounts zijn uitgezet en haar API-tokens en "
            "activeringscodes ingetrokken."))
    return redirect("admin_organisation", organisation_id)


def _professional_page(request: HttpRequest, professional_id: int, *,
                       form: ProfessionalForm | None = None, new_code: str = "",
                       status: int = 200) -> HttpResponse:
    professional, codes, tokens = access.credentials_of(actor_for(request), professional_id)
    if form is None:
        form = ProfessionalForm(prefix="pro", initial={
            "full_name": professional.full_name, "email": professional.email,
            "phone": professional.phone, "roles": professional.roles})
    response = render(request, "registry/admin_professional.html", {
        "professional": professional, "role_names": role_names(professional.roles), "codes": codes, "tokens": tokens, "form": form,
        "new_code": new_code, "now": timezone.now(),
    }, status=status)
    if new_code:
        add_never_cache_headers(response)
    return response


@page(can_administer)
def professional(request: HttpRequest, professional_id: int) -> HttpResponse:
    if request.method == "POST":
        form = ProfessionalForm(request.POST, prefix="pro")
        if submit(request, form, lambda data: registry.update_professional(
                actor_for(request), professional_id, **data)):
            messages.success(request, _("De medewerker is opgeslagen."))
            return redirect("admin_professional", professional_id)
        return _professional_page(request, professional_id, form=form, status=422)
    return _professional_page(request, professional_id)


@page(can_administer)
def professional_active(request: HttpRequest, professional_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("admin_professional", professional_id)
    active = request.POST.get("active") == "1"
    try:
        registry.set_professional_active(actor_for(request), professional_id, active=active)
    except Refusal as exc:
        refusal_to_messages(request, exc)
    else:
        messages.success(request, _("Het account staat weer aan.") if active else _(
            "Het account is uitgezet. De API-tokens en activeringscodes zijn ingetrokken."))
    return redirect("admin_professional", professional_id)


@page(can_administer)
def activation_code(request: HttpRequest, professional_id: int) -> HttpResponse:
    """Issue a one-time activation code: shown once, on this answer only."""
    if request.method != "POST":
        return redirect("admin_professional", professional_id)
    try:
        raw, _code = access.issue_activation_code_for_professional(actor_for(request),
                                                                   professional_id)
    except Refusal as exc:
        refusal_to_messages(request, exc)
        return redirect("admin_professional", professional_id)
    return _professional_page(request, professional_id, new_code=raw)


@page(can_administer)
def revoke_code(request: HttpRequest, code_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("admin_organisations")
    code = access.revoke_activation_code(actor_for(request), code_id)
    messages.success(request, _("De activeringscode is ingetrokken."))
    holder = _professional_id_of(code)
    return redirect("admin_professional", holder) if holder else redirect("admin_organisations")


@page(can_administer)
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("admin_organisations")
    token = access.revoke_token(actor_for(request), token_id)
    messages.success(request, _("De token is ingetrokken. Koppelingen met deze token werken "
                                "niet meer."))
    holder = Professional.objects.filter(user_id=token.user_id).values_list("pk", flat=True).first()
    return redirect("admin_professional", holder) if holder else redirect("admin_organisations")


def _professional_id_of(code: ActivationCode) -> Any:
    holder = Professional.objects.filter(user_id=code.user_id).values_list("pk", flat=True).first()
    return holder
