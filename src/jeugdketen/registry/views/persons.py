"""Register a person, a person's base data page, and emergency access (break the glass)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.policy import Action, Data, Target, decide
from jeugdketen.core.errors import Refusal
from jeugdketen.registry import selectors
from jeugdketen.registry.actions import (
    PersonInput,
    list_registered,
    read_person,
    register_person,
    visible_persons,
)
from jeugdketen.registry.forms import EmergencyForm, PersonForm
from jeugdketen.registry.models import Person
from jeugdketen.registry.selectors import households_of, registered_by, siblings_of
from jeugdketen.ui import listing
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import (
    actor_for,
    forbidden_response,
    page,
    refusal_to_form,
    submit,
)

PER_PAGE = 25
# The sorts of the persons list: (label, order_by).
PERSON_SORTS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "naam": (gettext_lazy("Naam"), ("family_name", "given_names", "id")),
    "geboortedatum": (gettext_lazy("Geboortedatum"), ("birth_date", "family_name", "id")),
    "vastgelegd": (gettext_lazy("Laatst vastgelegd"), ("-jk_registered_at", "family_name", "id")),
}


@page(r.can_care)
def index(request: HttpRequest) -> HttpResponse:
    """The persons this professional may see on their registration, with search (name,
    BSN, birth date: only among these), sorting and paging. Every person listed is logged
    as read."""
    actor = actor_for(request)
    search = listing.search_text(request)
    sort = listing.sort_key(request, PERSON_SORTS)
    where = selectors.person_search(search)
    paging = listing.paging(request, registered_by(actor.professional, where).count(), PER_PAGE)
    persons = list_registered(actor, limit=PER_PAGE, offset=paging.offset, where=where,
                              order=PERSON_SORTS[sort][1])
    context: dict[str, Any] = {
        "persons": persons, "search": search, "sort": sort,
        "sort_options": [(key, label) for key, (label, _order) in PERSON_SORTS.items()],
        **paging.context(len(persons)),
    }
    return render(request, "registry/persons.html", context)


def _person_input(form: PersonForm) -> PersonInput:
    """What the form could parse; fields it could not parse are left empty."""
    data = form.cleaned_data
    return PersonInput(
        bsn=(data.get("bsn") or "").strip(),
        given_names=data.get("given_names") or "",
        family_name=data.get("family_name") or "",
        birth_date=data.get("birth_date"),
        sex=data.get("sex") or "",
        postcode=(data.get("postcode") or "").strip(),
        house_number=data.get("house_number"),
        house_letter=(data.get("house_letter") or "").strip(),
        house_number_addition=(data.get("house_number_addition") or "").strip(),
    )


def _more_errors(form: PersonForm) -> None:
    """The form found problems: also show the registry's rules for the other fields
    (eleven test, postcode, dates), so the user sees every problem at once."""
    try:
        _person_input(form).clean()
    except Refusal as exc:
        refusal_to_form(form, exc, besides_own=True)


@page(r.can_care)
def register(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            _more_errors(form)
        else:
            try:
                registered = register_person(actor_for(request), _person_input(form))
            except Refusal as exc:
                if exc.is_invalid_input:
                    refusal_to_form(form, exc)
                    return render(request, "registry/register_person.html", {"form": form})
                # The BRP cannot be reached, or too many mismatches: nothing was written.
                # Said above the form, whichever field the rule names.
                refusal_to_form(form, exc, field_map={exc.field: None})
                return render(request, "registry/register_person.html", {"form": form},
                              status=exc.status)
            else:
                # The same message whether or not the BSN was known: the platform never
                # tells that someone is already known in the chain.
                messages.success(request, _("De persoon is vastgelegd."))
                if registered.person.neighbourhood_unknown:
                    messages.info(request, _(
                        "Deze postcode staat nog niet in de postcodetabel (bijvoorbeeld een "
                        "nieuwe straat). De wijk blijft daarom leeg."))
                return redirect("person", person_id=registered.person.pk)
    return render(request, "registry/register_person.html", {"form": form})


def _households(actor: Any, person: Person) -> list[dict[str, Any]]:
    """The person's households that this viewer has a ground for (every member: they
    entered them, coordinate the family's plan, or have consent), with the members they may
    see. Another organisation's household of the person is not even mentioned."""
    shown = []
    for household in households_of(person):
        everyone = tuple(m.person for m in selectors.household_members(household.pk))
        if not decide(actor, Action.READ, Target(Data.HOUSEHOLD, household=household,
                                                 members=everyone)).allowed:
            continue
        members = []
        for member in selectors.household_members(household.pk):
            if member.person_id == person.pk:
                members.append({"person": person, "relation": member.relation, "self": True})
            elif selectors.may_read(actor, member.person):
                members.append({"person": read_person(actor, member.person_id),
                                "relation": member.relation, "self": False})
        if len(members) > 1:
            shown.append({"id": household.pk, "created_at": household.created_at,
                          "members": members})
    return shown


@page()
def detail(request: HttpRequest, person_id: str) -> HttpResponse:
    actor = actor_for(request)
    person = read_person(actor, person_id)
    ground = decide(actor, Action.READ, Target(Data.BASE_DATA, person=person)).ground
    households = _households(actor, person)
    context: dict[str, Any] = {
        "person": person,
        "ground": ground,
        "households": households,
        "siblings": visible_persons(actor, siblings_of(person)),
        "can_care": r.can_care(request.user),
        "legal_basis_kinds": _legal_basis_kinds(actor),
        "plans_to_join": _plans_to_join(actor, person),
    }
    context["starts"] = _starting_points(actor, person, households)
    return render(request, "registry/person.html", context)


YOUTH_UNTIL_AGE = 23  # the reference index holds signals on youth under 23


def _starting_points(actor: Any, person: Person, households: list[dict[str, Any]]
                     ) -> dict[str, Any]:
    """What the viewer can start from this person's page, asked of the policy (nothing is
    read or written): a decision aid about this child, a signal in the reference index,
    and per visible household its open plan (if they may read it) or a new plan (if they
    may start one). Whatever the viewer cannot use is not offered."""
    from django.utils import timezone

    from jeugdketen.plans.selectors import household_plan

    starts: dict[str, Any] = {"guide": False, "signal": False, "plans": []}
    prof = actor.professional
    if prof is None:
        return starts
    starts["guide"] = decide(actor, Action.CREATE, Target(Data.GUIDE_SESSION,
                                                          person=person)).allowed
    starts["signal"] = (
        prof.organisation.may_signal and person.date_of_death is None
        and person.age_on(timezone.localdate()) < YOUTH_UNTIL_AGE
        and decide(actor, Action.CREATE, Target(Data.SIGNAL, person=person)).allowed)
    for household in households:
        everyone = tuple(m.person for m in selectors.household_members(household["id"]))
        plan = household_plan(actor, household["id"], everyone)
        if plan.open_plan_id and plan.may_read:
            starts["plans"].append({"household": household, "open_plan_id": plan.open_plan_id})
        elif plan.may_start and not plan.open_plan_id:
            starts["plans"].append({"household": household, "start": True})
    starts["any"] = starts["guide"] or starts["signal"] or bool(starts["plans"])
    return starts


def _plans_to_join(actor: Any, person: Person) -> list[Any]:
    """Open family plans of the person that the actor may join themselves (their
    organisation's consent for the plan, or its legal basis, for every member)."""
    if actor.professional is None:
        return []
    from jeugdketen.plans.selectors import plans_to_join

    return plans_to_join(actor, person)


def _legal_basis_kinds(actor: Any) -> list[tuple[str, str]]:
    """The kinds of legal basis the actor's own organisation can hold (a certified
    institution a child-protection measure, Veilig Thuis its statutory task): only such an
    organisation records one, for itself."""
    from jeugdketen.access.models import LegalBasisKind
    from jeugdketen.access.policy import LEGAL_BASIS_HOLDERS

    prof = actor.professional
    if prof is None or not any(role in prof.roles for role in ("professional", "coordinator")):
        return []
    return [(k, str(label)) for k, label in LegalBasisKind.choices
            if prof.organisation.kind in LEGAL_BASIS_HOLDERS.get(k, set())]


@page(r.can_care)
def legal_basis(request: HttpRequest, person_id: str) -> HttpResponse:
    """A professional of an organisation that holds a legal basis (a measure, Veilig Thuis'
    statutory task) records it for a person they have a ground for; the family sees it."""
    from jeugdketen.access.actions import record_legal_basis
    from jeugdketen.plans.forms import LegalBasisForm

    actor = actor_for(request)
    person = read_person(actor, person_id)
    kinds = _legal_basis_kinds(actor)
    if not kinds:
        return forbidden_response(request, logged=False)
    assert actor.professional is not None
    own = actor.professional.organisation
    form = LegalBasisForm(request.POST or None, members=[(str(person.pk), str(person))],
                          organisations=[(own.pk, own.name)],
                          initial={"person_id": str(person.pk), "organisation_id": own.pk})
    form.fields["kind"].choices = [("", _("Kies de soort")), *kinds]  # type: ignore[attr-defined]
    if submit(request, form, lambda data: record_legal_basis(
            actor, person.pk, organisation_id=own.pk, kind=data["kind"],
            reference=data["reference"], valid_until=data["valid_until"],
            valid_from=data["valid_from"])):
        messages.success(request, _("De wettelijke grondslag is vastgelegd. Het gezin ziet "
                                    "hem; uw organisatie kan nu in het team van het "
                                    "gezinsplan."))
        return redirect("person", person_id=person.pk)
    return render(request, "registry/legal_basis.html", {"person": person, "form": form})


@page(r.can_care)
def emergency(request: HttpRequest) -> HttpResponse:
    form = EmergencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Only now, with a written reason, is the BSN looked up.
        person_id = selectors.person_id_for_bsn(form.cleaned_data["bsn"])
        actor = actor_for(request, emergency_reason=form.cleaned_data["reason"])
        try:
            # An unknown BSN is logged as a denied attempt, like any other.
            person = read_person(actor, person_id or "unknown")
        except AccessDenied:
            if person_id is not None:
                raise
            form.add_error("bsn", _("Met dit BSN is niemand gevonden. Controleer het nummer."))
        else:
            # Did the professional already have a normal ground? Then it was no emergency.
            normal = selectors.may_read(actor_for(request), person)
            context = {"person": person, "reason": form.cleaned_data["reason"],
                       "was_emergency": not normal}
            return render(request, "registry/emergency_result.html", context)
    return render(request, "registry/emergency.html", {"form": form})
