"""Professionals' accounts, for their administrators: create (with a first API token),
change name, contact details and roles, switch an account off or on."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import actions as access_actions
from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Target
from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal
from jeugdketen.registry.actions.checks import Errors, add, invalid, no_nul, raise_invalid, required
from jeugdketen.registry.models import Organisation, Professional, Role


@audit.write_path
def create_professional(
    actor: Actor, *, organisation_id: int, username: str, full_name: str, email: str,
    phone: str = "", roles: list[str], password: str | None = None,
    with_token: bool = False,
) -> Professional:
    """A professional with a login. `with_token=True` also issues their first API token in
    the same transaction, on the same decision (the raw value is on `.api_token`, shown
    once): one request, one outcome, never an account without its token or the reverse."""
    municipality = (Organisation.objects.filter(pk=organisation_id)
                    .values_list("municipality_id", flat=True).first()
                    if isinstance(organisation_id, int) else None)
    audit.authorize(actor, Action.CREATE, Target(
        Data.PROFESSIONAL, object_id=(username or "")[:64],
        record={"municipality_id": municipality, "roles": list(roles or [])}))
    from django.core.validators import validate_email

    user_model = get_user_model()
    errors: Errors = {}
    username = (username or "").strip()
    required(username, "username", errors)
    required((full_name or "").strip(), "full_name", errors)
    for field_name, value in (("username", username), ("full_name", full_name),
                              ("phone", phone)):
        no_nul(value, field_name, errors)
    try:
        validate_email(email)
    except ValidationError:
        add(errors, "email", "email", _("Geen geldig e-mailadres."))
    bad = [r for r in roles if r not in Role.values]
    if not roles or bad:
        add(errors, "roles", "role_choice",
            _("Rollen zijn een of meer van: %(roles)s.") % {"roles": ", ".join(Role.values)})
    if not Organisation.objects.filter(pk=organisation_id).exists():
        add(errors, "organisation_id", "unknown_organisation", _("Onbekende organisatie."))
    elif not Organisation.objects.filter(pk=organisation_id, active=True).exists():
        add(errors, "organisation_id", "organisation_inactive",
            _("Deze organisatie is uitgezet: zet haar eerst weer aan."))
    if (username and "username" not in errors
            and user_model.objects.filter(username=username).exists()):
        add(errors, "username", "unique", _("Deze gebruikersnaam is al in gebruik."))
    raise_invalid(errors)
    user = access_actions.create_account(username=username, email=email, password=password)
    prof = Professional.objects.create(
        user=user, organisation_id=organisation_id, full_name=full_name.strip(),
        email=email, phone=phone, roles=sorted(set(roles)))
    emit(Activity.PROFESSIONAL_CREATED, organisation_id=organisation_id,
         attributes={"roles": prof.roles})
    if with_token:
        prof.api_token = access_actions.create_token(user)  # type: ignore[attr-defined]
    return prof


def _professional_record(professional: Professional, roles: list[str] | None = None
                         ) -> dict[str, Any]:
    every = set(professional.roles) | set(roles or [])
    return {"municipality_id": professional.organisation.municipality_id,
            "roles": sorted(every)}


@audit.write_path
def update_professional(
    actor: Actor, professional_id: Any, *, full_name: str, email: str, phone: str = "",
    roles: list[str],
) -> Professional:
    """Change a professional's name, contact details and roles. A functional administrator
    neither gives nor takes a privileged role (the old and the new roles are checked)."""
    from django.core.validators import validate_email

    professional = audit.get_or_deny(
        actor, Action.UPDATE, Data.PROFESSIONAL,
        Professional.objects.select_for_update(of=("self",)).select_related("organisation"),
        professional_id, "professional")
    decision = audit.authorize(actor, Action.UPDATE, Target(
        Data.PROFESSIONAL, object_id=str(professional.user_id),
        record=_professional_record(professional, list(roles or []))))
    errors: Errors = {}
    full_name = (full_name or "").strip()
    required(full_name, "full_name", errors)
    for field_name, value in (("full_name", full_name), ("phone", phone)):
        no_nul(value, field_name, errors)
    try:
        validate_email(email)
    except ValidationError:
        add(errors, "email", "email", _("Geen geldig e-mailadres."))
    bad = [r for r in roles or [] if r not in Role.values]
    if not roles or bad:
        add(errors, "roles", "role_choice",
            _("Rollen zijn een of meer van: %(roles)s.") % {"roles": ", ".join(Role.values)})
    raise_invalid(errors)
    new_roles = sorted(set(roles))
    if (actor.professional is not None and actor.professional.pk == professional.pk
            and decision.role not in new_roles):
        raise invalid("roles", "own_role", _("U kunt uw eigen beheerrol niet afnemen."))
    old_roles = list(professional.roles)
    professional.full_name, professional.email = full_name, email
    professional.phone, professional.roles = phone or "", new_roles
    professional.save(update_fields=["full_name", "email", "phone", "roles"])
    if old_roles != new_roles:
        emit(Activity.PROFESSIONAL_UPDATED, organisation_id=professional.organisation_id,
             attributes={"roles": new_roles, "roles_before": old_roles})
    return professional


@audit.write_path
def set_professional_active(actor: Actor, professional_id: Any, *, active: bool
                            ) -> Professional:
    """Switch a professional's account off (their API tokens and open activation codes
    are revoked at once) or on again (in an active organisation; they log in with their
    password and authenticator, or get a new activation code)."""
    professional = audit.get_or_deny(
        actor, Action.UPDATE, Data.PROFESSIONAL,
        Professional.objects.select_related("organisation", "user"),
        professional_id, "professional")
    audit.authorize(actor, Action.UPDATE, Target(
        Data.PROFESSIONAL, object_id=str(professional.user_id),
        record=_professional_record(professional)))
    user = get_user_model().objects.select_for_update().get(pk=professional.user_id)
    if user.is_active == active:
        return professional
    if not active and actor.user is not None and actor.user.pk == user.pk:
        raise Refusal("own_account", _("U kunt uw eigen account niet uitzetten."),
                      status=409, field="active")
    if active and not professional.organisation.active:
        raise Refusal("organisation_inactive", _(
            "De organisatie is uitgezet: zet haar eerst weer aan."), status=409,
            field="active")
    access_actions.switch_accounts(user, active=active, at=timezone.now())
    emit(Activity.PROFESSIONAL_ACTIVE_CHANGED, organisation_id=professional.organisation_id,
         attributes={"active": active})
    professional.user = user
    return professional
