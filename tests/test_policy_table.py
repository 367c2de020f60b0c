"""Every role x every action x every data kind and ground situation of
jeugdketen.access.policy.decide, with the expected answers written out by hand.

The expectations are derived from the rules (issue 2 and the policy module's docstring),
not from the code:

- Deny by default: an action is allowed only when a rule below names it.
- registration: professionals and coordinators register persons (create base data); a
  professional or coordinator who registered a person may read and print that person's
  base data and propose a correction (update). Registration is a ground for base data
  and households only, never for access logs. Registering a household needs a ground
  for every member; the same holds for reading it.
- emergency (break-the-glass): a professional or coordinator without another ground may
  read or print a person's base data when a written reason of at least 20 characters
  (not counting surrounding whitespace) is given; the decision is flagged as emergency.
  It opens nothing else (no update, no household, no access log). When a regular ground
  exists, that ground is used and the access is not flagged as an emergency.
- self / parent: a citizen reads and prints their own base data and access overview; a
  parent or carer (same household, relation parent/carer, the person a child there) does
  so for a child under 16 (not on or after the 16th birthday). A citizen reads a
  household they are a member of. Citizens never export, update, delete or create.
- privacy_supervision: privacy officers of the person's municipality (their neighbourhood,
  or an organisation there entered them) read, export and print the person's access log
  and read and decide (update) the break-the-glass review list; never base data.
- data_management: a functional administrator reads and decides (update) an open
  correction proposal, and reads/prints the base data of a person with an open proposal
  (to judge it); nothing when no proposal is open.
- administration: platform administrators (and the superuser made by
  `jeugdketen createadmin`, and the operator at the command line, who both act as
  platform administrator) create, read and update organisations and professionals; a
  functional administrator only within their own municipality and never with the
  privileged roles (privacy officer, administrators). Nobody deletes, exports or prints them.
- Municipal analysts never see person-level data. Nobody deletes or exports base data.
- Reference index (issue 3): a professional or coordinator registers a signal (create) on
  a youth they entered, only when their organisation may signal; their own
  organisation's ACTIVE signals they read and update (withdraw, extend); the privacy
  officer reads, exports and prints every signal (rights report, archive); the operator
  (nightly retention) updates and deletes existing signals. A match is read and updated
  (coordinator agreement) only by a professional whose own ACTIVE signal is in it, and by
  the municipality's coordinator when the agreement is overdue. Decision-aid sessions stay
  in the professional's own organisation (create, read, print), and about a person only
  with a ground for that person. Rights requests are the privacy officer's.
- No role (a professional whose roles are all removed) and the anonymous/system actor
  get nothing, even when a registration row exists.

Cell syntax: groups of ACTIONS=ground, actions R(ead) C(reate) U(pdate) D(elete)
E(xport) P(rint); a trailing ! means the decision carries the emergency flag; '-' means
every action is denied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.access.policy import (
    MIN_EMERGENCY_REASON,
    AccessPoint,
    Action,
    Actor,
    Data,
    Decision,
    Ground,
    Target,
    decide,
)

from . import factories as f

ROLES = ("professional", "coordinator", "privacy_officer", "municipal_analyst",
         "functional_admin", "platform_admin", "citizen", "no_role", "anonymous", "superuser",
         "operator")
HEADER = ("prof", "coord", "privacy", "analyst", "fadmin", "padmin", "citizen", "none", "anon",
          "super", "op")

TABLE = """
situation                   | prof          | coord         | privacy  | analyst | fadmin    | padmin    | citizen   | none | anon | super     | op
base/new                    | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | -
base/registered             | CRPU=reg      | CRPU=reg      | -        | -       | -         | -         | -         | -    | -    | -         | -
base/not-registered         | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | -
base/emergency              | C=reg RP=emg! | C=reg RP=emg! | -        | -       | -         | -         | -         | -    | -    | -         | -
base/emergency-too-short    | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | -
base/emergency-only-spaces  | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | -
base/registered+emergency   | CRPU=reg      | CRPU=reg      | -        | -       | -         | -         | -         | -    | -    | -         | -
base/open-correction        | C=reg         | C=reg         | -        | -       | RP=dm     | -         | -         | -    | -    | -         | -
base/decided-correction     | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | -
base/self                   | C=reg         | C=reg         | -        | -       | -         | -         | RP=self   | -    | -    | -         | -
base/parent-child-10        | C=reg         | C=reg         | -        | -       | -         | -         | RP=parent | -    | -    | -         | -
base/carer-child-10         | C=reg         | C=reg         | -        | -       | -         | -         | RP=parent | -    | -    | -         | -
base/parent-child-15        | C=reg         | C=reg         | -        | -       | -         | -         | RP=parent | -    | -    | -         | -
base/parent-child-16-today  | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | -
base/parent-child-17        | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | -
base/child-sees-parent      | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | -
base/parent-other-household | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | -
correction/open             | -             | -             | -        | -       | RU=dm     | -         | -         | -    | -    | -         | -
correction/none-open        | -             | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
household/all-registered    | CR=reg        | CR=reg        | -        | -       | -         | -         | -         | -    | -    | -         | -
household/some-registered   | -             | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
household/emergency         | -             | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
household/member            | -             | -             | -        | -       | -         | -         | R=self    | -    | -    | -         | -
household/no-members        | -             | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
accesslog/other             | -             | -             | REP=priv | -       | -         | -         | -         | -    | -    | -         | -
accesslog/registered        | -             | -             | REP=priv | -       | -         | -         | -         | -    | -    | -         | -
accesslog/emergency         | -             | -             | REP=priv | -       | -         | -         | -         | -    | -    | -         | -
accesslog/own               | -             | -             | REP=priv | -       | -         | -         | RP=self   | -    | -    | -         | -
accesslog/child-10          | -             | -             | REP=priv | -       | -         | -         | RP=parent | -    | -    | -         | -
accesslog/child-16-today    | -             | -             | REP=priv | -       | -         | -         | -         | -    | -    | -         | -
accesslog/no-person         | -             | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
breakglass/review           | -             | -             | RU=priv  | -       | -         | -         | -         | -    | -    | -         | -
admin/organisation          | -             | -             | -        | -       | -         | CRU=admin | -         | -    | -    | CRU=admin | CRU=admin
admin/professional          | -             | -             | -        | -       | -         | CRU=admin | -         | -    | -    | CRU=admin | CRU=admin
admin/own-municipality      | -             | -             | -        | -       | CRU=admin | CRU=admin | -         | -    | -    | CRU=admin | CRU=admin
admin/other-municipality    | -             | -             | -        | -       | -         | CRU=admin | -         | -    | -    | CRU=admin | CRU=admin
admin/privileged-role       | -             | -             | -        | -       | -         | CRU=admin | -         | -    | -    | CRU=admin | CRU=admin
signal/new-registered       | C=reg         | C=reg         | REP=priv | -       | -         | -         | -         | -    | -    | -         | -
signal/new-not-registered   | -             | -             | REP=priv | -       | -         | -         | -         | -    | -    | -         | -
signal/new-may-not-signal   | -             | -             | REP=priv | -       | -         | -         | -         | -    | -    | -         | -
signal/own-organisation     | RU=own        | RU=own        | REP=priv | -       | -         | -         | -         | -    | -    | -         | UD=ret
signal/own-ended            | -             | -             | REP=priv | -       | -         | -         | -         | -    | -    | -         | UD=ret
signal/other-organisation   | -             | -             | REP=priv | -       | -         | -         | -         | -    | -    | -         | UD=ret
match/involved              | RU=match      | RU=match      | -        | -       | -         | -         | -         | -    | -    | -         | -
match/own-signal-ended      | -             | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
match/not-involved          | -             | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
match/municipality-overdue  | -             | RU=oversight  | -        | -       | -         | -         | -         | -    | -    | -         | -
match/municipality-in-time  | -             | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
match/municipality-other    | -             | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
accesslog/other-municipality| -             | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
rights/other-municipality   | -             | -             | -          | -     | -         | -         | -         | -    | -    | -         | -
guide/new                   | CRP=own       | CRP=own       | -        | -       | -         | -         | -         | -    | -    | -         | -
guide/own-organisation      | CRP=own       | CRP=own       | -        | -       | -         | -         | -         | -    | -    | -         | -
guide/other-organisation    | -             | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
guide/registered-person     | CRP=own       | CRP=own       | -        | -       | -         | -         | -         | -    | -    | -         | -
guide/unregistered-person   | -             | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
rights/request              | -             | -             | CRUEP=priv | -     | -         | -         | -         | -    | -    | -         | -
"""

ACTION_LETTERS = {"R": Action.READ, "C": Action.CREATE, "U": Action.UPDATE,
                  "D": Action.DELETE, "E": Action.EXPORT, "P": Action.PRINT}
GROUNDS = {"reg": Ground.REGISTRATION, "emg": Ground.EMERGENCY, "self": Ground.SELF,
           "parent": Ground.PARENT, "priv": Ground.PRIVACY_SUPERVISION,
           "dm": Ground.DATA_MANAGEMENT, "admin": Ground.ADMINISTRATION,
           "own": Ground.OWN_ORGANISATION, "match": Ground.MATCH,
           "oversight": Ground.MUNICIPAL_OVERSIGHT, "ret": Ground.RETENTION}
# The role a decision names (and the access log records) for each actor.
RECORDED_ROLE = {role: role for role in ROLES} | {"superuser": "platform_admin",
                                                  "operator": "platform_admin"}

DENIED = "denied"


def parse_cell(cell: str, role: str) -> dict[str, object]:
    expected: dict[str, object] = {a.value: DENIED for a in Action}
    if cell == "-":
        return expected
    for group in cell.split():
        letters, ground = group.split("=")
        emergency = ground.endswith("!")
        for letter in letters:
            action = ACTION_LETTERS[letter]
            assert expected[action.value] == DENIED, f"{letter} twice in {cell!r}"
            expected[action.value] = (GROUNDS[ground.rstrip("!")].value, RECORDED_ROLE[role],
                                      emergency)
    return expected


def parse_table() -> dict[str, dict[str, str]]:
    lines = [line for line in TABLE.strip().splitlines() if line.strip()]
    header = [c.strip() for c in lines[0].split("|")]
    assert tuple(header[1:]) == HEADER
    table: dict[str, dict[str, str]] = {}
    for line in lines[1:]:
        cells = [c.strip() for c in line.split("|")]
        assert len(cells) == len(ROLES) + 1, line
        assert cells[0] not in table, f"{cells[0]} twice"
        table[cells[0]] = dict(zip(ROLES, cells[1:], strict=True))
    return table


EXPECTED = parse_table()

REASON = "Acuut: kind alleen!!"  # exactly the minimum length
assert len(REASON) == MIN_EMERGENCY_REASON == 20


# --- building each situation -----------------------------------------------------------


class Scene:
    """Builds the actor for one role; `registered` persons get a Registration row for the
    actor's professional (if any), `person` is who a citizen actor is."""

    def __init__(self, role: str):
        self.role = role

    def actor(self, *, person=None, registered=(), reason: str = "", **org) -> Actor:
        role = self.role
        if role == "citizen":
            me = person or f.PersonFactory(birth_date=f.birth_date_for_age(40))
            return replace(f.citizen_actor(me), emergency_reason=reason)
        if role == "anonymous":
            return Actor(emergency_reason=reason)
        if role == "operator":  # at the server's command line (createadmin, demo)
            return Actor(operator=True, access_point=AccessPoint(channel="command"),
                         emergency_reason=reason)
        if role == "superuser":
            user = f.UserFactory(is_superuser=True, is_staff=True)
            return Actor(user=user, access_point=f.session_point(), emergency_reason=reason)
        prof = f.ProfessionalFactory(roles=[] if role == "no_role" else [role],
                                     **({"organisation": f.OrganisationFactory(**org)} if org else {}))
        self.professional = prof
        for p in registered:
            f.RegistrationFactory(person=p, professional=prof)
        return f.professional_actor(prof, emergency_reason=reason)


def adult():
    return f.PersonFactory(birth_date=f.birth_date_for_age(38))


def child(age: int, *, days_after_birthday: int = 0):
    return f.PersonFactory(birth_date=f.birth_date_for_age(age, days_after_birthday=days_after_birthday))


def family(child_person, relation: str = "parent"):
    parent = adult()
    if relation == "carer":
        f.make_household(carers=[parent], children=[child_person])
    else:
        f.make_household(parents=[parent], children=[child_person])
    return parent


def correction(person, status: str):
    return f.CorrectionProposalFactory(person=person, status=status)


def _base(s: Scene, **kw):
    p = adult()
    return s.actor(**kw), Target(Data.BASE_DATA, person=p)


def _registered(s: Scene, data: Data, reason: str = ""):
    p = adult()
    return s.actor(registered=[p], reason=reason), Target(data, person=p)


def _parent_sees(data: Data, age: int, relation: str = "parent", days: int = 0):
    def build(s: Scene):
        kid = child(age, days_after_birthday=days)
        parent = family(kid, relation)
        return s.actor(person=parent), Target(data, person=kid)

    return build


def _child_sees_parent(s: Scene):
    kid = child(12)
    parent = family(kid)
    return s.actor(person=kid), Target(Data.BASE_DATA, person=parent)


def _parent_other_household(s: Scene):
    own_kid, other_kid = child(8), child(8)
    parent = family(own_kid)
    family(other_kid)
    return s.actor(person=parent), Target(Data.BASE_DATA, person=other_kid)


def _self(data: Data):
    def build(s: Scene):
        me = adult()
        return s.actor(person=me), Target(data, person=me)

    return build


def _with_correction(data: Data, status: str):
    def build(s: Scene):
        p = adult()
        proposal = correction(p, status)
        object_id = str(proposal.pk) if data is Data.CORRECTION else ""
        return s.actor(), Target(data, person=p, object_id=object_id)

    return build


def _household(registered: str, reason: str = ""):
    def build(s: Scene):
        a, b = adult(), child(7)
        regs = {"all": [a, b], "some": [a], "none": []}[registered]
        return s.actor(registered=regs, reason=reason), Target(Data.HOUSEHOLD, members=(a, b))

    return build


def _household_member(s: Scene):
    parent, kid = adult(), child(6)
    household = f.make_household(parents=[parent], children=[kid])
    return s.actor(person=parent), Target(Data.HOUSEHOLD, household=household,
                                          members=(parent, kid))


def _admin(s: Scene, *, own: bool, roles: list[str]):
    """A new professional with these roles, in the actor's municipality or another."""
    actor = s.actor()
    place = (actor.professional.organisation.municipality_id
             if own and actor.professional is not None else f.MunicipalityFactory().code)
    return actor, Target(Data.PROFESSIONAL, object_id="new",
                         record={"municipality_id": place, "roles": roles})


def _signal(org, person=None, *, status: str = "active", contact=None):
    from datetime import timedelta

    from django.utils import timezone

    from jeugdketen.referral_index.models import Signal

    contact = contact or f.ProfessionalFactory(organisation=org)
    today = timezone.localdate()
    return Signal.objects.create(
        person=person or child(9), organisation=org, contact=contact, contact_phone="0612345678",
        contact_email="contact@example.org", registered_on=today, duration_days=730,
        expires_on=today + timedelta(days=730), status=status)


def _signal_situation(kind: str):
    def build(s: Scene):
        if kind.startswith("new"):
            kid = child(9)
            actor = s.actor(registered=[kid] if kind != "new-not-registered" else [],
                            **({"may_signal": False} if kind == "new-may-not-signal" else {}))
            return actor, Target(Data.SIGNAL, person=kid)
        actor = s.actor()
        prof = getattr(s, "professional", None)
        org = prof.organisation if (prof is not None and kind != "other-organisation") \
            else f.OrganisationFactory()
        signal = _signal(org, status="ended" if kind == "own-ended" else "active")
        return actor, Target(Data.SIGNAL, person=signal.person, object_id=str(signal.pk),
                             record=signal)

    return build


def _match_situation(kind: str):
    def build(s: Scene):
        from datetime import timedelta

        from django.utils import timezone

        from jeugdketen.referral_index.models import Match

        municipal = kind.startswith("municipality")
        actor = s.actor(**({"kind": "municipality", "may_signal": False} if municipal else {}))
        own = (actor.professional.organisation.municipality
               if actor.professional is not None else None)
        place = f.MunicipalityFactory() if kind == "municipality-other" or own is None else own
        prof = getattr(s, "professional", None)
        kid = child(11)
        a = _signal(f.OrganisationFactory(), kid)
        b_contact = prof if (prof is not None and kind in ("involved", "own-signal-ended")) else None
        b = _signal(prof.organisation if b_contact else f.OrganisationFactory(), kid,
                    contact=b_contact, status="ended" if kind == "own-signal-ended" else "active")
        today = timezone.localdate()
        overdue = kind in ("municipality-overdue", "municipality-other")
        due = today - timedelta(days=1) if overdue else today + timedelta(days=5)
        match = Match.objects.create(kind="client", subject_key=f"client:{kid.pk}",
                                     coordinator_due=due, municipality=place)
        match.signals.add(a, b)
        return actor, Target(Data.MATCH, object_id=str(match.pk), record=match)

    return build


def _guide_situation(kind: str):
    def build(s: Scene):
        from types import SimpleNamespace

        if kind in ("registered-person", "unregistered-person"):
            kid = child(8)
            actor = s.actor(registered=[kid] if kind == "registered-person" else [])
            return actor, Target(Data.GUIDE_SESSION, person=kid)
        actor = s.actor()
        if kind == "new":
            return actor, Target(Data.GUIDE_SESSION)
        prof = getattr(s, "professional", None)
        org_id = prof.organisation_id if (prof is not None and kind == "own-organisation") \
            else f.OrganisationFactory().pk
        return actor, Target(Data.GUIDE_SESSION, object_id="1",
                             record=SimpleNamespace(organisation_id=org_id))

    return build


SITUATIONS: dict[str, Callable[[Scene], tuple[Actor, Target]]] = {
    "base/new": lambda s: (s.actor(), Target(Data.BASE_DATA)),
    "base/registered": lambda s: _registered(s, Data.BASE_DATA),
    "base/not-registered": lambda s: _base(s),
    "base/emergency": lambda s: _base(s, reason=REASON),
    "base/emergency-too-short": lambda s: _base(s, reason=REASON[:-1]),
    "base/emergency-only-spaces": lambda s: _base(s, reason=" " * 40),
    "base/registered+emergency": lambda s: _registered(s, Data.BASE_DATA, REASON),
    "base/open-correction": _with_correction(Data.BASE_DATA, "open"),
    "base/decided-correction": _with_correction(Data.BASE_DATA, "accepted"),
    "base/self": _self(Data.BASE_DATA),
    "base/parent-child-10": _parent_sees(Data.BASE_DATA, 10),
    "base/carer-child-10": _parent_sees(Data.BASE_DATA, 10, "carer"),
    # 16 tomorrow: still 15 today.
    "base/parent-child-15": _parent_sees(Data.BASE_DATA, 16, days=-1),
    "base/parent-child-16-today": _parent_sees(Data.BASE_DATA, 16),
    "base/parent-child-17": _parent_sees(Data.BASE_DATA, 17),
    "base/child-sees-parent": _child_sees_parent,
    "base/parent-other-household": _parent_other_household,
    "correction/open": _with_correction(Data.CORRECTION, "open"),
    "correction/none-open": _with_correction(Data.CORRECTION, "rejected"),
    "household/all-registered": _household("all"),
    "household/some-registered": _household("some"),
    "household/emergency": _household("none", REASON),
    "household/member": _household_member,
    "household/no-members": lambda s: (s.actor(), Target(Data.HOUSEHOLD, members=())),
    "accesslog/other": lambda s: (s.actor(), Target(Data.ACCESS_LOG, person=adult())),
    "accesslog/registered": lambda s: _registered(s, Data.ACCESS_LOG),
    "accesslog/emergency": lambda s: (s.actor(reason=REASON), Target(Data.ACCESS_LOG, person=adult())),
    "accesslog/own": _self(Data.ACCESS_LOG),
    "accesslog/child-10": _parent_sees(Data.ACCESS_LOG, 10),
    "accesslog/child-16-today": _parent_sees(Data.ACCESS_LOG, 16),
    "accesslog/no-person": lambda s: (s.actor(), Target(Data.ACCESS_LOG, object_id="unknown")),
    "breakglass/review": lambda s: (s.actor(), Target(Data.BREAK_GLASS)),
    "admin/organisation": lambda s: (s.actor(), Target(Data.ORGANISATION, object_id="School")),
    "admin/professional": lambda s: (s.actor(), Target(Data.PROFESSIONAL, object_id="42")),
    "admin/own-municipality": lambda s: _admin(s, own=True, roles=["professional"]),
    "admin/other-municipality": lambda s: _admin(s, own=False, roles=["professional"]),
    "admin/privileged-role": lambda s: _admin(s, own=True, roles=["privacy_officer"]),
    "signal/new-registered": _signal_situation("new-registered"),
    "signal/new-not-registered": _signal_situation("new-not-registered"),
    "signal/new-may-not-signal": _signal_situation("new-may-not-signal"),
    "signal/own-organisation": _signal_situation("own-organisation"),
    "signal/own-ended": _signal_situation("own-ended"),
    "signal/other-organisation": _signal_situation("other-organisation"),
    "match/involved": _match_situation("involved"),
    "match/own-signal-ended": _match_situation("own-signal-ended"),
    "match/not-involved": _match_situation("not-involved"),
    "match/municipality-overdue": _match_situation("municipality-overdue"),
    "match/municipality-in-time": _match_situation("municipality-in-time"),
    "guide/new": _guide_situation("new"),
    "guide/own-organisation": _guide_situation("own-organisation"),
    "guide/other-organisation": _guide_situation("other-organisation"),
    "guide/registered-person": _guide_situation("registered-person"),
    "guide/unregistered-person": _guide_situation("unregistered-person"),
    "rights/request": lambda s: (s.actor(), Target(Data.RIGHTS_REQUEST, person=adult())),
    "match/municipality-other": _match_situation("municipality-other"),
    "accesslog/other-municipality": lambda s: (s.actor(), Target(Data.ACCESS_LOG, person=adult())),
    "rights/other-municipality": lambda s: (s.actor(), Target(Data.RIGHTS_REQUEST, person=adult())),
}


def place_in_own_municipality(actor: Actor, person) -> None:
    """By default a situation's person belongs to the actor's municipality: an organisation
    there entered them (privacy officers supervise their own municipality only)."""
    if actor.professional is None or person is None:
        return
    local = f.OrganisationFactory(municipality=actor.professional.organisation.municipality)
    f.RegistrationFactory(person=person, professional=f.ProfessionalFactory(organisation=local))


def describe(decision: Decision) -> object:
    if not decision.allowed:
        return DENIED
    return (str(decision.ground), decision.role, decision.emergency)


CASES = [(situation, role) for situation in EXPECTED for role in ROLES]


@pytest.mark.parametrize(("situation", "role"), CASES, ids=[f"{s}-{r}" for s, r in CASES])
def test_decide(db, situation, role):
    actor, target = SITUATIONS[situation](Scene(role))
    if not situation.endswith("other-municipality"):
        place_in_own_municipality(actor, target.person)
    before = AccessLogRecord.objects.count()

    decisions = {action.value: decide(actor, action, target) for action in Action}

    got = {action: describe(d) for action, d in decisions.items()}
    assert got == parse_cell(EXPECTED[situation][role], role)
    # decide() is a pure question: it never writes.
    assert AccessLogRecord.objects.count() == before
    for d in decisions.values():
        if not d.allowed:
            assert d.ground == "" and d.reason, "a denial says why"
        elif d.emergency:
            assert d.reason == REASON, "the written reason goes to the log"


# --- the table itself ------------------------------------------------------------------


def test_table_covers_every_situation_role_action_and_ground():
    assert set(EXPECTED) == set(SITUATIONS)
    kinds = {name.split("/")[0] for name in EXPECTED}
    assert kinds == {"base", "correction", "household", "accesslog", "breakglass", "admin",
                     "signal", "match", "guide", "rights"}
    used_grounds = set()
    for row in EXPECTED.values():
        for role, cell in row.items():
            for outcome in parse_cell(cell, role).values():
                if outcome != DENIED:
                    used_grounds.add(outcome[0])
    assert used_grounds == {g.value for g in Ground}


def test_municipal_analysts_and_privacy_officers_never_get_base_data():
    for situation, row in EXPECTED.items():
        if situation.startswith(("base/", "household/", "correction/")):
            assert row["municipal_analyst"] == "-", situation
            assert row["privacy_officer"] == "-", situation
    assert all(row["municipal_analyst"] == "-" for row in EXPECTED.values())


# --- a few combinations outside the single-role table ----------------------------------


def test_several_roles_use_the_care_role_for_base_data(db):
    prof = f.ProfessionalFactory(roles=["municipal_analyst", "coordinator"])
    person = adult()
    f.RegistrationFactory(person=person, professional=prof)
    d = decide(f.professional_actor(prof), Action.READ, Target(Data.BASE_DATA, person=person))
    assert (d.allowed, d.ground, d.role) == (True, "registration", "coordinator")


def test_privacy_officer_who_is_also_a_professional_reads_logs_as_privacy_officer(db):
    prof = f.ProfessionalFactory(roles=["professional", "privacy_officer"])
    person = adult()
    actor = f.professional_actor(prof)
    place_in_own_municipality(actor, person)
    d = decide(actor, Action.READ, Target(Data.ACCESS_LOG, person=person))
    assert (d.allowed, d.ground, d.role) == (True, "privacy_supervision", "privacy_officer")
    # ... and still has no ground for the base data of someone they did not register.
    assert not decide(actor, Action.READ, Target(Data.BASE_DATA, person=person)).allowed


def test_emergency_reason_is_recorded_without_surrounding_whitespace(db):
    prof = f.ProfessionalFactory(roles=["professional"])
    actor = f.professional_actor(prof, emergency_reason=f"   {REASON}   ")
    d = decide(actor, Action.READ, Target(Data.BASE_DATA, person=adult()))
    assert d.allowed and d.emergency
    assert d.reason == REASON


def test_padding_does_not_make_a_short_reason_long_enough(db):
    prof = f.ProfessionalFactory(roles=["professional"])
    actor = f.professional_actor(prof, emergency_reason="  kort  " + " " * 30)
    assert not decide(actor, Action.READ, Target(Data.BASE_DATA, person=adult())).allowed
