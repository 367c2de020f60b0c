"""Recording a legal basis (a child-protection measure, youth probation, Veilig Thuis'
task, a court order) by a professional of the organisation that holds it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.models import LegalBasis, LegalBasisKind
from jeugdketen.access.policy import (
    Action,
    Actor,
    Data,
    Decision,
    Target,
    has_person_ground,
    may_hold,
)
from jeugdketen.chainlog.actions import emit, moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal


@audit.write_path
def record_legal_basis(actor: Actor, person_id: Any, *, organisation_id: Any, kind: str,
                       reference: str, valid_until: date,
                       valid_from: date | None = None, at: datetime | None = None) -> LegalBasis:
    """`at` (default now): only for loading history (see chainlog.actions.moment)."""
    from jeugdketen.registry.models import Organisation, Person

    now = moment(at)
    today = timezone.localdate(now)
    person = audit.get_or_deny(actor, Action.CREATE, Data.LEGAL_BASIS, Person.objects,
                               person_id, "person")
    if not has_person_ground(actor, person, today):
        # Judged first: without a ground the answer is the one for an unknown id.
        raise audit.AccessDenied(actor, Action.CREATE, Target(Data.LEGAL_BASIS, person=person),
                                 Decision.deny("no ground for this person"))
    try:
        organisation = Organisation.objects.get(pk=organisation_id)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Refusal("unknown_organisation", _("Deze organisatie bestaat niet."),
                      field="organisation_id") from None
    if kind not in LegalBasisKind.values:
        raise Refusal("legal_basis_kind", _("Onbekende soort wettelijke grondslag."), field="kind")
    probe = LegalBasis(person=person, organisation=organisation, kind=kind)
    if not may_hold(probe):
        # Says nothing about the person: which organisations can hold which ground is law.
        raise Refusal("legal_basis_holder", _(
            "Deze organisatie kan deze wettelijke grondslag niet hebben (bijvoorbeeld: een "
            "kinderbeschermingsmaatregel ligt bij een gecertificeerde instelling)."),
            field="organisation_id")
    decision = audit.authorize(actor, Action.CREATE,
                               Target(Data.LEGAL_BASIS, person=person, record=probe))
    reference = (reference or "").strip()
    if not reference or len(reference) > 100:
        raise Refusal("legal_basis_reference", _(
            "Vul het kenmerk in (bijvoorbeeld het nummer van de beschikking), hoogstens 100 "
            "tekens."), field="reference")
    valid_from = valid_from or today
    if valid_until is None or valid_until < valid_from:
        raise Refusal("legal_basis_period", _(
            "Een wettelijke grondslag heeft een einddatum na de begindatum."), field="valid_until")
    basis = LegalBasis.objects.create(
        person=person, organisation=organisation, kind=kind, reference=reference,
        valid_from=valid_from, valid_until=valid_until, recorded_by=actor.user,
        recorded_at=now)
    emit(Activity.LEGAL_BASIS_RECORDED, person=person, organisation_id=organisation.pk, at=now,
         attributes={"kind": kind, "recorded_by": decision.role})
    return basis
