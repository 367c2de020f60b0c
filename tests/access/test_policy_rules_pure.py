"""The access policy reads like a table (issue 10; docs/decisions/0007): the rules are pure
functions of (actor, action, target, facts), the database look-ups live in `policy.facts`
only, and `decide` looks the rule up per kind of data, denying a kind without one.

The decisions themselves are proven by tests/test_policy_table.py (role x action x ground);
these tests prove the shape: imports (AST), the table, and that `decide` over prepared
facts asks the database nothing (no test here may touch the database: pytest-django
refuses any query in a test without the `django_db` mark, so a query fails the test).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import jeugdketen.access.policy as policy
from jeugdketen.access.policy import (
    RULES,
    AccessPoint,
    Action,
    Actor,
    Data,
    Decision,
    FamilyConsent,
    Ground,
    Scope,
    Target,
    decide,
    table,
)
from jeugdketen.plans.models import Plan
from jeugdketen.referral_index.models import Match, Signal
from jeugdketen.registry.models import Household, Person, Professional

PACKAGE = Path(policy.__file__).parent
RULE_MODULES = sorted((PACKAGE / "rules").glob("*.py"))
# What a rule module may import at run time: the vocabulary, the standard library's
# typing helpers, and the policy's own pure modules (never `facts`, never a model).
RULES_MAY_IMPORT = {"__future__", "typing", "collections.abc", "dataclasses", "datetime",
                    "jeugdketen.core.vocabulary", "jeugdketen.access.policy.base",
                    "jeugdketen.access.policy.target", "jeugdketen.access.policy.rules.common"}
RULES_MAY_IMPORT_RELATIVE = {".common", "."}


def _runtime_imports(path: Path) -> list[tuple[str, int]]:
    """(module, line) of every import outside an `if TYPE_CHECKING:` block; relative
    imports as written ('..base')."""
    tree = ast.parse(path.read_text(), str(path))
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) \
                and node.test.id == "TYPE_CHECKING":
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append(("." * node.level + (node.module or ""), node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_the_rules_are_split_by_domain():
    assert {p.stem for p in RULE_MODULES} >= {
        "registry", "referral_index", "plans", "consent", "supervision", "administration",
        "guide", "common", "intake"}


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda p: p.stem)
def test_a_rule_module_imports_no_model_no_database_and_no_facts(path):
    wrong = [(name, line) for name, line in _runtime_imports(path)
             if name not in RULES_MAY_IMPORT and name not in RULES_MAY_IMPORT_RELATIVE]
    assert wrong == [], f"{path.name} imports {wrong}: a rule asks `facts`, never the database"
    source = path.read_text()
    for orm in (".objects", "select_related", "prefetch_related", "timezone."):
        assert orm not in source, f"{path.name} uses {orm!r}: a look-up belongs in facts.py"


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.stem)
def test_only_facts_imports_other_apps_models(path):
    models = [(name, line) for name, line in _runtime_imports(path)
              if name.endswith(".models") or name.startswith("django.db")]
    if path.name == "facts.py":
        assert models, "facts.py is where the look-ups are"
    else:
        assert models == [], f"{path.name} imports {models} at run time"


def test_one_rule_per_kind_of_data_and_every_kind_in_the_table():
    assert set(RULES) == set(Data)
    with pytest.raises(ValueError, match="two rules"):
        table._join({Data.SIGNAL: RULES[Data.SIGNAL]}, {Data.SIGNAL: RULES[Data.MATCH]})


def test_a_kind_without_a_rule_is_denied(monkeypatch):
    monkeypatch.delitem(table.RULES, Data.DECISION_AID)
    admin = Actor(professional=Professional(pk=1, roles=["functional_admin"]))
    assert decide(admin, Action.READ, Target(Data.DECISION_AID)) == Decision.deny(
        "unknown record kind")


# --- prepared facts: decide asks the database nothing ----------------------------------


TODAY = date(2026, 12, 6)


@dataclass
class PreparedFacts:
    """Facts written out by hand (the `Facts` protocol), for one actor on one day."""

    today: date = TODAY
    registrations: set[Any] = field(default_factory=set)  # person pks the actor entered
    custody: set[tuple[Any, Any]] = field(default_factory=set)  # (holder pk, child pk)
    municipality: str | None = None
    may_signal: bool = True
    organisation_kind: str = ""
    municipalities: dict[Any, set[str]] = field(default_factory=dict)  # person pk -> codes
    corrections: set[Any] = field(default_factory=set)  # person pks with an open one
    coordinates: set[Any] = field(default_factory=set)  # person / household pks
    team_plans: dict[Any, list[Any]] = field(default_factory=dict)  # person / household pk
    grounds: dict[tuple[Any, str], dict[str, Ground]] = field(default_factory=dict)
    team: set[Any] = field(default_factory=set)  # plan pks the actor is on the team of
    family: bool = False
    involved_in: set[Any] = field(default_factory=set)  # match pks
    signalled: set[Any] = field(default_factory=set)  # match pks
    holdable: bool = True
    # The front door: an open invitation of the actor's organisation; the intake grounds
    # per person; the municipality per report (or report id); whom a report is about.
    invited: bool = False
    intake_grounds: dict[str, Ground] = field(default_factory=dict)
    report_municipalities: dict[str, str] = field(default_factory=dict)
    starting_reports: dict[str, str] = field(default_factory=dict)
    subjects: list[str] = field(default_factory=list)
    # person pk -> municipalities of the open / the other care reports about them
    person_reports: dict[Any, set[str]] = field(default_factory=dict)
    person_reports_done: dict[Any, set[str]] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    def registered(self, person):
        self.asked.append("registered")
        return person.pk in self.registrations

    def holds_custody(self, holder, child):
        self.asked.append("holds_custody")
        return (holder.pk, child.pk) in self.custody

    def actor_municipality(self):
        return self.municipality

    def actor_may_signal(self):
        return self.may_signal

    def actor_organisation_kind(self):
        return self.organisation_kind

    def person_municipalities(self, person):
        return self.municipalities.get(person.pk, set())

    def has_correction(self, person, *, open_only):
        return person.pk in self.corrections

    def coordinates_plan_of_person(self, person):
        return person.pk in self.coordinates

    def team_plans_of_person(self, person):
        return self.team_plans.get(person.pk, [])

    def coordinates_plan_of_household(self, household):
        return household.pk in self.coordinates

    def team_plans_of_household(self, household):
        return self.team_plans.get(household.pk, [])

    def care_grounds(self, organisation_id, person_ids, category, plan_id, *, legal_bases=True):
        found = self.grounds.get((plan_id, category), {})
        return {str(p): g for p, g in found.items() if str(p) in {str(i) for i in person_ids}
                and (legal_bases or g is Ground.CONSENT)}

    def on_team(self, plan):
        return plan.pk in self.team

    def family_tie(self, me, household, members):
        return self.family

    def involved(self, match):
        return match.pk in self.involved_in

    def signalled_member(self, match, members):
        return match.pk in self.signalled

    def plan_of_consent(self, consent):
        return None

    def may_hold(self, record):
        return self.holdable

    def report_invitation(self, report):
        self.asked.append("report_invitation")
        return SimpleNamespace(status="invited") if self.invited else None

    def intake_consent(self, organisation_id, person_ids):
        return {p: g for p, g in self.intake_grounds.items() if p in {str(i) for i in person_ids}}

    def report_municipality(self, report):
        return self.report_municipalities.get(str(getattr(report, "pk", report)))

    def starting_report_municipality(self, plan):
        return self.starting_reports.get(str(getattr(plan, "pk", plan)))

    def report_subject_ids(self, report):
        return list(self.subjects)

    def person_report_municipalities(self, person, *, open_only):
        found = set(self.person_reports.get(person.pk, set()))
        return found if open_only else found | self.person_reports_done.get(person.pk, set())


def person(pk: int, age: int, bsn: str = "") -> Person:
    born = date(TODAY.year - age, 1, 1)
    return Person(pk=f"00000000-0000-0000-0000-{pk:012d}", bsn=bsn or None, birth_date=born)


def professional(*roles: str, pk: int = 7, organisation: int = 3) -> Actor:
    return Actor(professional=Professional(pk=pk, roles=list(roles), organisation_id=organisation),
                 access_point=AccessPoint(channel="session"))


def test_prepared_facts_answer_without_the_database():
    """Every domain's rule over prepared facts: the answers follow the facts, and not one
    query is made (a query would fail this test: it has no database)."""
    parent, kid, youth = person(1, 40, "111111110"), person(2, 8, "222222220"), person(3, 17)
    members = (parent, kid, youth)
    household = Household(pk=5)
    prof = professional("professional")
    plan = Plan(pk="00000000-0000-0000-0000-0000000000aa", coordinator_id=99, status="open")

    # Registry: entered by this professional; else nothing, unless in an emergency.
    facts = PreparedFacts(registrations={kid.pk})
    assert decide(prof, Action.READ, Target(Data.BASE_DATA, person=kid), facts) == Decision(
        True, Ground.REGISTRATION, "professional")
    assert not decide(prof, Action.READ, Target(Data.BASE_DATA, person=parent), facts).allowed
    reason = "Acute zorg: het kind is met spoed opgenomen"
    urgent = decide(prof.with_emergency(reason), Action.READ,
                    Target(Data.BASE_DATA, person=parent), facts)
    assert (urgent.allowed, urgent.ground, urgent.emergency) == (True, Ground.EMERGENCY, True)

    # A citizen: a custody holder sees a child under 16, a youth of 17 is their own.
    citizen = Actor(person=parent)
    facts = PreparedFacts(custody={(parent.pk, kid.pk)})
    assert decide(citizen, Action.READ, Target(Data.BASE_DATA, person=kid), facts).ground \
        == Ground.PARENT
    assert not decide(citizen, Action.READ, Target(Data.BASE_DATA, person=youth), facts).allowed

    # A household through a plan's care team with consent for every member.
    facts = PreparedFacts(team_plans={household.pk: [plan.pk]}, grounds={
        (plan.pk, "base_data"): {str(m.pk): Ground.CONSENT for m in members}})
    assert decide(prof, Action.READ, Target(Data.HOUSEHOLD, household=household,
                                            members=members), facts).ground == Ground.CONSENT

    # The plan: the team member with consent for 'plan' for every member reads it; one
    # member short and it is denied; the family (from 16, tied in the BRP) reads it.
    target = Target(Data.PLAN, household=household, members=members, record=plan)
    assert target.plan is plan and target.start is None
    full = {str(m.pk): Ground.CONSENT for m in members}
    facts = PreparedFacts(team={plan.pk}, grounds={(plan.pk, "plan"): full})
    assert decide(prof, Action.READ, target, facts).ground == Ground.CONSENT
    short = {k: v for k, v in full.items() if k != str(youth.pk)}
    assert not decide(prof, Action.READ, target,
                      replace(facts, grounds={(plan.pk, "plan"): short})).allowed
    # ... a youth without a BSN is not verified in the BRP: no family ground.
    assert not decide(Actor(person=youth), Action.READ, target,
                      PreparedFacts(family=True)).allowed
    youth.bsn = "333333330"
    assert decide(Actor(person=youth), Action.READ, target, PreparedFacts(family=True)).ground \
        == Ground.FAMILY

    # Starting a plan: on the family's consent, by the professional who entered everyone.
    start = Target(Data.PLAN, household=household, members=members,
                   record=FamilyConsent(("1",)))
    assert isinstance(start.start, FamilyConsent) and start.plan is None
    assert decide(prof, Action.CREATE, start, PreparedFacts(
        registrations={m.pk for m in members})).ground == Ground.CONSENT
    assert not decide(prof, Action.CREATE, start, PreparedFacts(
        registrations={parent.pk})).allowed

    # The referral index: the own organisation's active signal; an involved professional's
    # match; the municipality's coordinator over an overdue one.
    signal = Signal(pk=11, organisation_id=3, status="active", expires_on=TODAY + timedelta(1))
    assert decide(prof, Action.READ, Target(Data.SIGNAL, person=kid, record=signal),
                  PreparedFacts()).ground == Ground.OWN_ORGANISATION
    match = Match(pk=12, municipality_id="0344", status="open",
                  coordinator_due=TODAY - timedelta(days=1))
    assert decide(prof, Action.READ, Target(Data.MATCH, record=match),
                  PreparedFacts(involved_in={12})).ground == Ground.MATCH
    coordinator = professional("coordinator")
    oversight = PreparedFacts(municipality="0344", organisation_kind="municipality")
    assert decide(coordinator, Action.UPDATE, Target(Data.APPOINTMENT, record=match),
                  oversight).ground == Ground.MUNICIPAL_OVERSIGHT
    assert not decide(coordinator, Action.UPDATE, Target(Data.APPOINTMENT, record=match),
                      replace(oversight, municipality="0363")).allowed

    # Supervision and administration, on the municipality the facts give.
    officer = professional("privacy_officer")
    facts = PreparedFacts(municipality="0344", municipalities={kid.pk: {"0344"}})
    assert decide(officer, Action.EXPORT, Target(Data.ACCESS_LOG, person=kid), facts).ground \
        == Ground.PRIVACY_SUPERVISION
    assert not decide(officer, Action.EXPORT, Target(Data.ACCESS_LOG, person=parent),
                      facts).allowed
    fadmin = professional("functional_admin")
    new = Target(Data.PROFESSIONAL, record={"municipality_id": "0344", "roles": ["professional"]})
    assert new.scope == Scope("0344", ("professional",))
    assert decide(fadmin, Action.CREATE, new, facts).ground == Ground.ADMINISTRATION
    assert not decide(fadmin, Action.CREATE, replace(new, scope=Scope("0344", (
        "privacy_officer",))), facts).allowed


def test_the_front_door_over_prepared_facts():
    """Care reports, meetings, settings and a plan from an intake, decided over prepared
    facts without one query."""
    from jeugdketen.access.policy import IntakeSettingsScope, IntakeStart, public_actor
    from jeugdketen.intake.models import CareReport

    kid = person(2, 8, "222222220")
    report = CareReport(id="00000000-0000-0000-0000-0000000000bb", municipality_id="0344",
                        person_id=kid.pk, reported_by_id=8)
    target = Target(Data.CARE_REPORT, person=kid, record=report)
    assert target.report is report and target.plan is None
    rid = str(report.pk)
    front = professional("professional", "front_door")
    own = PreparedFacts(municipality="0344", organisation_kind="neighbourhood_team",
                        report_municipalities={rid: "0344"})
    assert decide(front, Action.UPDATE, target, own) == Decision(
        True, Ground.FRONT_DOOR, "front_door")
    # Another municipality, a school, or no role: nothing.
    assert not decide(front, Action.READ, target, replace(own, municipality="0363")).allowed
    assert not decide(front, Action.READ, target, replace(own, organisation_kind="school")).allowed
    assert not decide(professional("professional"), Action.READ, target, own).allowed

    # Invited: the meeting on the invitation; the report only with intake consent.
    prof = professional("professional")
    invited = PreparedFacts(invited=True, subjects=[str(kid.pk)])
    meeting = Target(Data.INTAKE, person=kid, record=report)
    assert decide(prof, Action.UPDATE, meeting, invited).ground == Ground.INTAKE_INVITATION
    assert not decide(prof, Action.READ, target, invited).allowed
    consented = replace(invited, intake_grounds={str(kid.pk): Ground.CONSENT})
    assert decide(prof, Action.READ, target, consented).ground == Ground.INTAKE_INVITATION
    legal = replace(invited, intake_grounds={str(kid.pk): Ground.LEGAL_BASIS})
    assert decide(prof, Action.READ, target, legal).ground == Ground.LEGAL_BASIS
    assert not decide(prof, Action.READ, target, replace(consented, invited=False)).allowed

    # The reporter reads the status; the custody holder reads and hands in; the public
    # only hands in.
    reporter = professional("professional", pk=8)
    assert decide(reporter, Action.READ, target, PreparedFacts()).ground == Ground.REPORTER
    assert not decide(reporter, Action.UPDATE, target, PreparedFacts()).allowed
    parent = Actor(person=person(1, 40, "111111110"))
    custody = PreparedFacts(custody={(parent.person.pk, kid.pk)})
    assert decide(parent, Action.CREATE, target, custody).ground == Ground.PARENT
    visitor = public_actor("192.0.2.1")
    assert decide(visitor, Action.CREATE, Target(Data.CARE_REPORT), PreparedFacts()) == Decision(
        True, Ground.PUBLIC_REPORT, "anonymous")
    assert not decide(visitor, Action.READ, target, PreparedFacts()).allowed
    assert not decide(Actor(), Action.CREATE, Target(Data.CARE_REPORT), PreparedFacts()).allowed

    # Settings: the front door; a functional administrator of the municipality itself.
    norms = Target(Data.INTAKE_SETTINGS, record={"municipality_id": "0344"})
    assert norms.intake_settings == IntakeSettingsScope("0344")
    assert decide(front, Action.UPDATE, norms, own).ground == Ground.FRONT_DOOR
    fadmin = professional("functional_admin")
    town = PreparedFacts(municipality="0344", organisation_kind="municipality")
    assert decide(fadmin, Action.UPDATE, norms, town).ground == Ground.ADMINISTRATION
    assert not decide(fadmin, Action.UPDATE, norms,
                      replace(town, organisation_kind="youth_care_provider")).allowed
    capacity = Target(Data.INTAKE_SETTINGS, record=IntakeSettingsScope("0344", 3))
    assert decide(fadmin, Action.UPDATE, capacity, replace(
        town, organisation_kind="youth_care_provider")).ground == Ground.ADMINISTRATION

    # A plan from the intake: the front door of the report's municipality, with givers.
    household = Household(pk=5)
    start = Target(Data.PLAN, household=household, members=(kid,),
                   record=IntakeStart(rid, ("1",)))
    assert isinstance(start.start, IntakeStart)
    assert decide(front, Action.CREATE, start, own).ground == Ground.FRONT_DOOR
    assert not decide(front, Action.CREATE, replace(start, start=IntakeStart(rid, ())),
                      own).allowed
    assert not decide(professional("coordinator"), Action.CREATE, start, own).allowed


def test_the_front_doors_consent_over_prepared_facts():
    """The consent of category `intake` (no plan): the family gives it, the front door of an
    open report about the person records it and its withdrawal; nobody else."""
    from jeugdketen.access.models import Consent

    kid = person(2, 8, "222222220")
    consent = Consent(person=kid, plan=None, categories=["intake"], organisation_id=3)
    target = Target(Data.CONSENT, person=kid, record=consent)
    assert target.consent is consent and target.plan is None
    front = professional("professional", "front_door")
    own = PreparedFacts(municipality="0344", organisation_kind="municipality",
                        person_reports={kid.pk: {"0344"}})
    assert decide(front, Action.CREATE, target, own) == Decision(
        True, Ground.FRONT_DOOR, "front_door")
    assert decide(front, Action.UPDATE, target, own).ground == Ground.FRONT_DOOR
    # Another municipality's front door, a report no longer open, no role: nothing.
    assert not decide(front, Action.CREATE, target, replace(own, municipality="0363")).allowed
    done = replace(own, person_reports={}, person_reports_done={kid.pk: {"0344"}})
    assert not decide(front, Action.CREATE, target, done).allowed
    assert decide(front, Action.UPDATE, target, done).ground == Ground.FRONT_DOOR
    assert not decide(professional("professional"), Action.CREATE, target, own).allowed
    # The family: a custody holder in the BRP; never a consent for a plan's categories
    # without the plan, nor the front door for one.
    parent = Actor(person=person(1, 40, "111111110"))
    custody = PreparedFacts(custody={(parent.person.pk, kid.pk)})
    assert decide(parent, Action.CREATE, target, custody).ground == Ground.PARENT
    assert not decide(parent, Action.CREATE, target, PreparedFacts()).allowed
    plan_less = Target(Data.CONSENT, person=kid, record=Consent(
        person=kid, plan=None, categories=["plan"]))
    assert not decide(front, Action.CREATE, plan_less, own).allowed
    assert not decide(front, Action.UPDATE, plan_less, own).allowed


def test_rules_ask_only_the_facts_they_need():
    """Deny by default and in order: a rule asks a fact only when the answer depends on it
    (an anonymous actor is denied before anything is looked up)."""
    kid = person(2, 8, "222222220")
    facts = PreparedFacts()
    assert not decide(Actor(), Action.READ, Target(Data.BASE_DATA, person=kid), facts).allowed
    assert facts.asked == []
    parent = Actor(person=person(1, 40, "111111110"))
    decide(parent, Action.READ, Target(Data.BASE_DATA, person=kid), facts)
    assert facts.asked == ["holds_custody"]


def test_a_target_keeps_the_record_its_kind_reads():
    session = Target(Data.GUIDE_SESSION, record=SimpleNamespace(organisation_id=3))
    assert session.session is not None and session.scope is None
    assert Target(Data.BREAK_GLASS, record={"municipality_id": "0344"}).scope == Scope("0344")
    # A record a kind's rules do not read is not kept.
    plain = Target(Data.BASE_DATA, record={"municipality_id": "0344"})
    assert (plain.scope, plain.plan, plain.signal) == (None, None, None)
    # `replace` keeps the typed record (an appointment in the same match).
    match = Match(pk=12)
    assert replace(Target(Data.MATCH, record=match), data=Data.APPOINTMENT).match is match
