"""The privacy officer's review of emergency accesses (break the glass) by the
organisations of their municipality."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.models import AccessLogRecord, BreakGlassReview
from jeugdketen.access.policy import Action, Actor, Data, Target
from jeugdketen.core.errors import Refusal


@audit.write_path
def break_glass_uses(actor: Actor, *, only_open: bool = True, limit: int = 200
                     ) -> list[AccessLogRecord]:
    """The privacy officer's review list of the emergency accesses by organisations of
    their own municipality."""
    from jeugdketen.registry.models import Organisation

    audit.authorize(actor, Action.READ, Target(Data.BREAK_GLASS))
    own = actor.professional.organisation.municipality_id if actor.professional else None
    organisations = Organisation.objects.filter(municipality_id=own).values("pk")
    qs = AccessLogRecord.objects.filter(emergency=True, organisation_id__in=organisations
                                        ).select_related("review__reviewed_by")
    if only_open:
        qs = qs.filter(review__isnull=True)
    return list(qs.order_by("-at")[:limit])


@audit.write_path
def review_break_glass(actor: Actor, record_id: int, *, justified: bool, note: str = ""
                       ) -> BreakGlassReview:
    from jeugdketen.registry.models import Organisation

    # An unknown id and another municipality's record are refused alike (403).
    record = audit.get_or_deny(actor, Action.UPDATE, Data.BREAK_GLASS,
                               AccessLogRecord.objects.filter(emergency=True), record_id,
                               "emergency access")
    municipality = (Organisation.objects.filter(pk=record.organisation_id)
                    .values_list("municipality_id", flat=True).first()
                    if record.organisation_id is not None else None)
    audit.authorize(actor, Action.UPDATE, Target(Data.BREAK_GLASS, object_id=str(record_id),
                                                 record={"municipality_id": municipality}))
    review, created = BreakGlassReview.objects.get_or_create(
        record=record,
        defaults={"reviewed_by": actor.user, "justified": justified, "note": note.strip()},
    )
    if not created:  # reviewed by someone else meanwhile (or at this very moment)
        raise Refusal("already_reviewed", _("Dit gebruik is al beoordeeld."), status=409,
                      field="justified")
    return review
