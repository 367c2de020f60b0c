"""Organisations and municipalities, for their administrators: create, change, switch
off, list and read an organisation; a municipality's own settings."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import actions as access_actions
from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Target
from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal, field_error
from jeugdketen.registry import validators
from jeugdketen.registry.actions.checks import Errors, add, invalid, no_nul, raise_invalid, required
from jeugdketen.registry.models import (
    Municipality,
    Organisation,
    OrganisationKind,
    Professional,
)
from jeugdketen.registry.selectors import administered_municipality


@audit.write_path
def create_organisation(
    actor: Actor, *, name: str, kind: str, municipality_code: str,
    may_signal: bool = False, may_coordinate: bool = False,
) -> Organisation:
    audit.authorize(actor, Action.CREATE, Target(Data.ORGANISATION, object_id=(name or "")[:64],
                                                 record={"municipality_id": municipality_code,
                                                         "new_kind": kind}))
    errors: Errors = {}
    name = (name or "").strip()
    required(name, "name", errors)
    no_nul(name, "name", errors)
    _kind_and_municipality(kind, municipality_code, errors, current="")
    if (name and "name" not in errors and "municipality_code" not in errors
            and Organisation.objects.filter(municipality_id=municipality_code, name=name).exists()):
        add(errors, "name", "unique", _("Deze organisatie bestaat al in deze gemeente."))
    raise_invalid(errors)
    try:
        with transaction.atomic():
            org = Organisation.objects.create(
                name=name, kind=kind, municipality_id=municipality_code,
                may_signal=may_signal, may_coordinate=may_coordinate)
    except IntegrityError:
        raise invalid("name", "unique",
                      _("Deze organisatie bestaat al in deze gemeente.")) from None
    emit(Activity.ORGANISATION_CREATED, organisation_id=org.pk,
         attributes={"kind": kind, "municipality": municipality_code})
    return org


def _organisation_record(organisation: Organisation) -> dict[str, Any]:
    return {"municipality_id": organisation.municipality_id}


def _kind_and_municipality(kind: str, municipality_code: str,
                           errors: Errors, current: str) -> None:
    if kind not in OrganisationKind.values:
        add(errors, "kind", "organisation_kind",
            _("Soort is een van: %(kinds)s.") % {"kinds": ", ".join(OrganisationKind.values)})
    try:
        validators.validate_municipality_code(municipality_code)
        place = Municipality.objects.filter(code=municipality_code).first()
        if place is None:
            add(errors, "municipality_code", "unknown_municipality",
                _("Deze gemeente is niet bekend in het platform."))
        elif place.ended_on is not None and municipality_code != current:
            add(errors, "municipality_code", "ended_municipality",
                _("Deze gemeente bestaat niet meer sinds %(day)s (gemeentelijke herindeling).")
                % {"day": place.ended_on.strftime("%d-%m-%Y")})
    except ValidationError as exc:
        errors["municipality_code"] = field_error("municipality_code", exc)


@audit.write_path
def update_organisation(
    actor: Actor, organisation_id: Any, *, name: str, kind: str, municipality_code: str,
    may_signal: bool, may_coordinate: bool,
) -> Organisation:
    """Change an organisation's name, kind, municipality and what it may do in the
    reference index. A functional administrator changes only their own municipality's
    organisations and cannot move one to another municipality (both are checked)."""
    organisation = audit.get_or_deny(actor, Action.UPDATE, Data.ORGANISATION,
                                     Organisation.objects.select_for_update(),
                                     organisation_id, "organisation")
    audit.authorize(actor, Action.UPDATE, Target(
        Data.ORGANISATION, object_id=str(organisation.pk),
        record=_organisation_record(organisation)))
    if municipality_code != organisation.municipality_id:
        audit.authorize(actor, Action.UPDATE, Target(
            Data.ORGANISATION, object_id=str(organisation.pk),
            record={"municipality_id": municipality_code}))
    if kind != organisation.kind:
        audit.authorize(actor, Action.UPDATE, Target(
            Data.ORGANISATION, object_id=str(organisation.pk),
            record={"municipality_id": organisation.municipality_id, "new_kind": kind,
                    "kind_change": True}))
    errors: Errors = {}
    name = (name or "").strip()
    required(name, "name", errors)
    no_nul(name, "name", errors)
    _kind_and_municipality(kind, municipality_code, errors, organisation.municipality_id)
    if (name and not errors and Organisation.objects.filter(
            municipality_id=municipality_code, name=name).exclude(pk=organisation.pk).exists()):
        add(errors, "name", "unique", _("Deze organisatie bestaat al in deze gemeente."))
    raise_invalid(errors)
    values = {"name": name, "kind": kind, "municipality_id": municipality_code,
              "may_signal": bool(may_signal), "may_coordinate": bool(may_coordinate)}
    changed = sorted(k.replace("_id", "") for k, v in values.items()
                     if getattr(organisation, k) != v)
    for key, value in values.items():
        setattr(organisation, key, value)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        raise invalid("name", "unique",
                      _("Deze organisatie bestaat al in deze gemeente.")) from None
    if changed:
        emit(Activity.ORGANISATION_UPDATED, organisation_id=organisation.pk,
             attributes={"fields": changed, "kind": kind, "municipality": municipality_code})
    return organisation


@audit.write_path
def set_organisation_active(actor: Actor, organisation_id: Any, *, active: bool
                            ) -> Organisation:
    """Deactivate an organisation (its records stay): every account of it is switched off
    and its API tokens and open activation codes are revoked, so nobody acts for it any
    more. Reactivating it switches no account back on: that is done per professional."""
    organisation = audit.get_or_deny(actor, Action.UPDATE, Data.ORGANISATION,
                                     Organisation.objects.select_for_update(),
                                     organisation_id, "organisation")
    record = _organisation_record(organisation)
    if not active:
        # Switching it off switches off its accounts: as for switching off one account, a
        # functional administrator may not do it to a privileged one (the policy checks).
        record["roles"] = sorted({role for roles in Professional.objects.filter(
            organisation=organisation, user__is_active=True).values_list("roles", flat=True)
            for role in roles})
    audit.authorize(actor, Action.UPDATE, Target(
        Data.ORGANISATION, object_id=str(organisation.pk), record=record))
    if organisation.active == active:
        return organisation
    if not active and actor.professional is not None \
            and actor.professional.organisation_id == organisation.pk:
        raise Refusal("own_organisation", _(
            "U kunt uw eigen organisatie niet uitzetten."), status=409, field="active")
    now = timezone.now()
    organisation.active = active
    organisation.deactivated_at = None if active else now
    organisation.save(update_fields=["active", "deactivated_at"])
    switched_off = 0
    if not active:
        users = get_user_model().objects.filter(professional__organisation=organisation)
        switched_off = access_actions.switch_accounts(users, active=False, at=now)
    emit(Activity.ORGANISATION_ACTIVE_CHANGED, organisation_id=organisation.pk,
         attributes={"active": active, "accounts_switched_off": switched_off})
    return organisation


@audit.write_path
def list_organisations(actor: Actor, *, query: str = "", limit: int = 25, offset: int = 0
                       ) -> tuple[list[Organisation], int]:
    """Organisations for their administrators (a functional administrator's own
    municipality only), searched by name, municipality name or code, with their number of
    professionals. No personal data of clients."""
    from django.db.models import Count, Q

    own = administered_municipality(actor)
    audit.authorize(actor, Action.READ, Target(Data.ORGANISATION,
                                               record={"municipality_id": own}))
    qs = Organisation.objects.select_related("municipality").annotate(
        staff=Count("professionals"))
    if own is not None:
        qs = qs.filter(municipality_id=own)
    query = (query or "").strip()[:100]
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(municipality__name__icontains=query)
                       | Q(municipality__code__iexact=query))
    total = qs.count()
    return list(qs.order_by("-active", "name", "pk")[offset:offset + limit]), total


@audit.write_path
def read_organisation(actor: Actor, organisation_id: Any
                      ) -> tuple[Organisation, list[Professional]]:
    """An organisation and its professionals (names, roles, whether the account is on),
    for an administrator who manages it."""
    organisation = audit.get_or_deny(actor, Action.READ, Data.ORGANISATION,
                                     Organisation.objects.select_related("municipality"),
                                     organisation_id, "organisation")
    audit.authorize(actor, Action.READ, Target(
        Data.ORGANISATION, object_id=str(organisation.pk),
        record=_organisation_record(organisation)))
    staff = list(organisation.professionals.select_related("user").order_by("full_name", "pk"))
    return organisation, staff


@audit.write_path
def configure_municipality(actor: Actor, code: str, *, address_match: bool | None = None,
                           coordinator_days: int | None = None,
                           min_signal_days: int | None = None) -> Municipality:
    """A municipality's own choices for the reference index: whether same-address signals
    match, how many working days the involved have to agree on a coordinator, and the
    shortest duration of a signal."""
    audit.authorize(actor, Action.UPDATE, Target(Data.ORGANISATION, object_id=code[:64],
                                                 record={"municipality_id": code}))
    try:
        municipality = Municipality.objects.select_for_update().get(code=code)
    except Municipality.DoesNotExist:
        raise invalid("code", "unknown_municipality",
                      _("Deze gemeente is niet bekend in het platform.")) from None
    if coordinator_days is not None and not 1 <= coordinator_days <= 60:
        raise invalid("coordinator_days", "coordinator_days_range",
                      _("Kies 1 tot en met 60 werkdagen."))
    if min_signal_days is not None and not 30 <= min_signal_days <= 730:
        raise invalid("min_signal_days", "min_signal_days_range",
                      _("Kies 30 tot en met 730 dagen."))
    wanted = {"address_match": address_match, "coordinator_days": coordinator_days,
              "min_signal_days": min_signal_days}
    changed = sorted(name for name, value in wanted.items()
                     if value is not None and getattr(municipality, name) != value)
    for name in changed:
        setattr(municipality, name, wanted[name])
    municipality.save(update_fields=["address_match", "coordinator_days", "min_signal_days"])
    if changed:
        emit(Activity.MUNICIPALITY_CONFIGURED, organisation_id=None,
             attributes={"municipality": municipality.code, "fields": changed})
    return municipality
