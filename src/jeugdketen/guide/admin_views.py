"""Adapting the decision aids on screen (functional administrator): every aid with the
version in use and its history, uploading a YAML version (every problem named with its
line), a preview of an uploaded version as professionals would read it, activating it,
and taking the built-in version back into use. Every change goes through guide.actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeugdketen.core.errors import Refusal
from jeugdketen.guide import actions, loader
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, page, refusal_or_not_found, refusal_to_form


def can_adapt_aids(user: Any) -> bool:
    return "functional_admin" in r.roles_of(user)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("YAML-bestand"), required=False)
    text = forms.CharField(label=gettext_lazy("Of plak de tekst"), required=False,
                           widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
                           max_length=loader.MAX_BYTES)

    def raw(self) -> bytes | None:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            if upload.size > loader.MAX_BYTES:
                self.add_error("file", _("Het bestand is groter dan %(kb)s KB.")
                               % {"kb": loader.MAX_BYTES // 1024})
                return None
            return bytes(upload.read())
        text = self.cleaned_data.get("text") or ""
        if not text.strip():
            self.add_error(None, _("Kies een bestand of plak de tekst van de beslishulp."))
            return None
        return text.replace("\r\n", "\n").encode("utf-8")


@page(can_adapt_aids)
def overview(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = UploadForm()
    problems: list[tuple[int | None, Any]] = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        raw = form.raw() if form.is_valid() else None
        if raw is not None:
            try:
                version = actions.upload_version(actor, raw)
            except actions.UploadInvalid as exc:
                problems = exc.checked.problems
                form.add_error(None, _("De beslishulp is niet opgeslagen: los de problemen "
                                       "hieronder op en probeer het opnieuw."))
            except Refusal as exc:
                refusal_to_form(form, exc)
            else:
                messages.success(request, _("Versie %(version)s is opgeslagen. Bekijk "
                                            "hem en zet hem daarna in gebruik.")
                                 % {"version": version.version})
                return redirect("guide_admin_version", version.pk)
    status = 422 if problems or form.errors else 200
    return render(request, "guide/admin.html", {
        "aids": actions.aid_history(actor), "form": form, "problems": problems,
    }, status=status)


@page(can_adapt_aids)
def version(request: HttpRequest, version_id: int) -> HttpResponse:
    try:
        found, aid = actions.read_version(actor_for(request), version_id)
    except Refusal as exc:
        refusal_or_not_found(request, exc)
        return redirect("guide_admin")
    return render(request, "guide/admin_version.html", {
        "version": found, "aid": aid, "in_use": loader.in_use(found.slug)})


@page(can_adapt_aids)
def activate(request: HttpRequest, version_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("guide_admin_version", version_id)
    try:
        done = actions.activate_version(actor_for(request), version_id)
    except Refusal as exc:
        refusal_or_not_found(request, exc)
        return redirect("guide_admin")
    messages.success(request, _("Versie %(version)s is nu in gebruik.")
                     % {"version": done.version})
    return redirect("guide_admin")


@page(can_adapt_aids)
def restore(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("guide_admin")
    try:
        aid = actions.restore_builtin(actor_for(request), slug)
    except Refusal as exc:
        refusal_or_not_found(request, exc)
        return redirect("guide_admin")
    messages.success(request, _("De ingebouwde versie %(version)s is weer in gebruik.")
                     % {"version": aid.version})
    return redirect("guide_admin")
