"""Product codes: what a professional's action is paid from, per municipality."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Target
from jeugdketen.chainlog.actions import emit, moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal
from jeugdketen.plans.actions._common import _text
from jeugdketen.plans.models import ProductCode

PRODUCT_CODE_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,29}$"


@audit.write_path
def add_product_code(actor: Actor, municipality_code: str, *, code: str,
                     label: str, at: datetime | None = None) -> ProductCode:
    """One product code ("jeugdhulp") serves everyone; a municipality may add its own, by
    its functional administrator (or a platform administrator). `at`: only for loading
    history (see chainlog.actions.moment)."""
    import re

    from jeugdketen.registry.models import Municipality

    audit.authorize(actor, Action.UPDATE, Target(
        Data.ORGANISATION, object_id=str(municipality_code)[:64],
        record={"municipality_id": municipality_code}))
    municipality = Municipality.objects.filter(code=municipality_code).first()
    if municipality is None:
        raise Refusal("unknown_municipality", _("Deze gemeente is niet bekend in het platform."),
                      field="code")
    code = str(code or "").strip().lower()
    if not re.match(PRODUCT_CODE_PATTERN, code):
        raise Refusal("product_code_format", _(
            "Een productcode heeft kleine letters, cijfers, - of _ (hoogstens 30 tekens)."),
            field="code")
    label = _text(label, "label", limit=100)
    if ProductCode.objects.filter(Q(municipality__isnull=True) | Q(municipality=municipality),
                                  code=code).exists():
        raise Refusal("product_code_exists", _("Deze productcode bestaat al."), status=409,
                      field="code")
    try:
        with transaction.atomic():
            product = ProductCode.objects.create(code=code, label=label, municipality=municipality)
    except IntegrityError:
        raise Refusal("product_code_exists", _("Deze productcode bestaat al."), status=409,
                      field="code") from None
    emit(Activity.PRODUCT_CODE_ADDED, organisation_id=None, at=moment(at),
         attributes={"municipality": municipality.code, "code": code})
    return product


def _municipality_admin(actor: Actor, action: Action, municipality_code: str) -> Any:
    from jeugdketen.registry.models import Municipality

    audit.authorize(actor, action, Target(
        Data.ORGANISATION, object_id=str(municipality_code)[:64],
        record={"municipality_id": municipality_code}))
    municipality = Municipality.objects.filter(code=municipality_code).first()
    if municipality is None:
        raise Refusal("unknown_municipality", _("Deze gemeente is niet bekend in het platform."),
                      status=404, field="code")
    return municipality


@audit.write_path
def list_product_codes(actor: Actor, municipality_code: str) -> list[ProductCode]:
    """The codes for everyone and the municipality's own, switched off ones included
    (administrators of the municipality)."""
    municipality = _municipality_admin(actor, Action.READ, municipality_code)
    return list(ProductCode.objects.filter(Q(municipality__isnull=True)
                                           | Q(municipality=municipality))
                .order_by("municipality_id", "code"))


@audit.write_path
def set_product_code_active(actor: Actor, municipality_code: str, product_id: Any, *,
                            active: bool) -> ProductCode:
    """Switch one of the municipality's own product codes off (no longer offered for new
    actions; actions that have it keep it) or on again. The code for everyone cannot be
    switched off by a municipality."""
    municipality = _municipality_admin(actor, Action.UPDATE, municipality_code)
    product = (ProductCode.objects.select_for_update()
               .filter(pk=int(product_id), municipality=municipality).first()
               if str(product_id).isdigit() else None)
    if product is None:
        raise Refusal("unknown_product_code", _(
            "Deze productcode is geen eigen code van deze gemeente."), status=404, field="code")
    if product.active != active:
        product.active = active
        product.save(update_fields=["active"])
        emit(Activity.PRODUCT_CODE_ACTIVE_CHANGED, organisation_id=None,
             attributes={"municipality": municipality.code, "code": product.code,
                         "active": active})
    return product
