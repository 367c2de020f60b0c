"""Consent and legal bases on the family page: recording and withdrawing a consent,
recording a legal basis."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from jeugdketen.access import actions as access_actions
from jeugdketen.plans import actions
from jeugdketen.plans.views.base import (
    PlanView,
    _bound,
    _done,
    _refused_page,
    form_page,
    handles,
)
from jeugdketen.ui.pages import forbidden_response, submit


@handles("toestemming")
def post_consent(view: PlanView, _item: Any) -> HttpResponse:
    form = _bound(view, "consent")
    created = submit(view.request, form, lambda data: actions.record_consents(
        view.actor, view.plan_id, person_ids=data["person_ids"],
        given_by=data["given_by_person_ids"], organisation_id=data["organisation_id"],
        categories=data["categories"], valid_until=data["valid_until"]))
    if created is not None:
        return _done(view, _("De toestemming is vastgelegd (%(n)s personen).") % {
            "n": len(created)}, "toestemming")
    return view.render(bound={"consent": form})


@handles("toestemming-intrekken")
def post_withdraw(view: PlanView, item: Any) -> HttpResponse:
    access_actions.withdraw_consent(view.actor, item)
    return _done(view, _("De toestemming is ingetrokken. Dat geldt meteen."), "toestemming")


@form_page("grondslag")
def legal_basis_page(view: PlanView, _item: Any) -> HttpResponse:
    if not view.legal_basis_organisations:  # only the holding organisation records one
        if view.posted:  # an attempt anyway: the action refuses it, and it is logged
            post = view.request.POST
            access_actions.record_legal_basis(
                view.actor, post.get("lb-person_id"), organisation_id=post.get("lb-organisation_id"),
                kind=post.get("lb-kind", ""), reference=post.get("lb-reference", ""),
                valid_until=view.today, valid_from=view.today)
        return forbidden_response(view.request, logged=False)
    form = view.form("legal_basis", view.request.POST if view.posted else None)
    refused = _refused_page(view, view.can_edit, form)
    if refused is not None:
        return refused
    if submit(view.request, form, lambda data: access_actions.record_legal_basis(
            view.actor, data["person_id"], organisation_id=data["organisation_id"],
            kind=data["kind"], reference=data["reference"], valid_until=data["valid_until"],
            valid_from=data["valid_from"])) is not None:
        return _done(view, _("De wettelijke grondslag is vastgelegd."), "toestemming")
    return view.form_page(
        form, title=_("Wettelijke grondslag vastleggen"), submit=_("Grondslag vastleggen"),
        anchor="toestemming",
        intro=_("Een wettelijke grondslag (zoals een kinderbeschermingsmaatregel) geldt waar de "
                "wet dat toestaat in plaats van toestemming. Het gezin ziet de grondslag."))
