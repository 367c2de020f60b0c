"""Reports back to the BRP (correction proposals): the functional administrator's list,
and passing one on to the BRP or rejecting it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Target
from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.registry.actions.checks import invalid
from jeugdketen.registry.models import CorrectionProposal, CorrectionStatus, Registration


@audit.write_path
def decide_correction(actor: Actor, proposal_id: int, *, accept: bool) -> CorrectionProposal:
    """The functional administrator passes a report back on to the BRP (accept) or rejects
    it. The platform's copy stays the BRP's: it changes when the BRP does."""
    proposal = audit.get_or_deny(actor, Action.UPDATE, Data.CORRECTION,
                                 CorrectionProposal.objects.select_for_update()
                                 .select_related("person"), proposal_id, "correction")
    person = proposal.person
    target = Target(Data.CORRECTION, person=person, object_id=str(proposal.pk))
    audit.authorize(actor, Action.UPDATE, target)
    if proposal.status != CorrectionStatus.OPEN:
        raise invalid("status", "already_decided", _("Dit voorstel is al beoordeeld."))
    proposal.status = CorrectionStatus.ACCEPTED if accept else CorrectionStatus.REJECTED
    proposal.decided_by = actor.professional
    proposal.decided_at = timezone.now()
    proposal.save()
    emit(Activity.CORRECTION_DECIDED, person=person,
         attributes={"accepted": accept, "fields": sorted(proposal.changes)})
    return proposal


@audit.write_path
def list_open_corrections(actor: Actor, *, limit: int = 50) -> list[CorrectionProposal]:
    """Open reports back to the BRP of the functional administrator's own municipality
    (the persons who live there, or were entered by its organisations). Listing counts as
    reading the base data of each person listed."""
    from django.db.models import Q

    own = (actor.professional.organisation.municipality_id
           if actor.professional is not None else None)
    proposals = list(
        CorrectionProposal.objects.filter(status=CorrectionStatus.OPEN)
        .filter(Q(person__neighbourhood__district__municipality_id=own)
                | Q(person__neighbourhood__isnull=True,
                    person__registrations__organisation__municipality_id=own)).distinct()
        .select_related("person__neighbourhood__district", "proposed_by__organisation")
        .order_by("created_at")[:limit]
    )
    # What the policy asks of each person, loaded for the whole list at once: where they
    # belong, and that they have an open proposal (this one).
    unplaced: dict[Any, set[str]] = {p.person_id: set() for p in proposals
                                     if p.person.neighbourhood_id is None}
    for person_id, municipality_id in (Registration.objects.filter(person_id__in=unplaced)
                                       .values_list("person_id",
                                                    "organisation__municipality_id")):
        unplaced[person_id].add(municipality_id)
    for p in proposals:
        p.person.jk_municipalities = (  # type: ignore[attr-defined]
            unplaced[p.person_id] if p.person.neighbourhood is None
            else {p.person.neighbourhood.district.municipality_id})
        p.person.jk_open_correction = p.person.jk_correction = True  # type: ignore[attr-defined]
    allowed = audit.authorize_many(
        actor, Action.READ,
        [Target(Data.CORRECTION, person=p.person, object_id=str(p.pk)) for p in proposals],
    )
    ids = {t.object_id for t in allowed}
    return [p for p in proposals if str(p.pk) in ids]
