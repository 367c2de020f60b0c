"""The front door (issue 11, ADR 0010): care reports (with their triage and outcome), the
intake meetings with their invitations, and the front door's settings (capacity, norms).

A report is seen by the municipality's front-door team, by an invited organisation with
the family's consent (category `intake`) or a legal basis, and by the family; the
reporting professional sees its status only; the public may only hand one in. Nobody
else, the privacy officer included (who supervises the access log, not the content).
Pure: every look-up goes through `facts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jeugdketen.access.policy.base import (
    ADMIN_ROLES,
    CARE_ROLES,
    FRONT_DOOR_ROLE,
    PARENT_SEES_UNTIL_AGE,
    Actor,
    Decision,
    first_role,
    is_anonymous,
)
from jeugdketen.access.policy.target import Target
from jeugdketen.core.vocabulary import Action, Data, Ground

from . import plans as plan_rules
from .common import Rule, front_door_of, ground_for_all, person_ground

if TYPE_CHECKING:
    from jeugdketen.access.policy.facts import Facts
    from jeugdketen.intake.models import CareReport

# What the family may do with their own report; what an invited organisation may do.
FAMILY_ACTIONS = (Action.READ, Action.CREATE)
READS = (Action.READ, Action.PRINT)
WRITES = (Action.CREATE, Action.UPDATE)


def _about(target: Target, report: CareReport) -> str:
    """Whom the target says the report is about, checked against the report itself:
    'person', 'household', or '' (a public report not yet identified, or a target whose
    subject is not the report's)."""
    if report.person_id is not None:
        person = target.person
        return "person" if person is not None and person.pk == report.person_id else ""
    if report.household_id is not None:
        household = target.household
        return "household" if household is not None and household.pk == report.household_id \
            else ""
    return ""


def family_ground(actor: Actor, target: Target, report: CareReport,
                  facts: Facts) -> Ground | None:
    """The family's ground for their own report: the subject from 16 (self), a custody
    holder in the BRP of a subject under 16 (parent); for a household's report, a
    member of the household from 16 tied to it in the BRP (family)."""
    me = actor.person
    if me is None:
        return None
    about = _about(target, report)
    if about == "person":
        subject = target.person
        assert subject is not None
        young = subject.age_on(facts.today) < PARENT_SEES_UNTIL_AGE
        if me.pk == subject.pk:
            return None if young else Ground.SELF
        return Ground.PARENT if young and facts.holds_custody(me, subject) else None
    if about == "household" and plan_rules.family_member(actor, target, facts):
        return Ground.FAMILY
    return None


def _reporting_professional(actor: Actor, target: Target, report: CareReport,
                            facts: Facts) -> str:
    """The care role of a professional who may hand this report in: they report it
    themselves, about a person (or a member of the household) they have a ground for."""
    care_role = first_role(actor, CARE_ROLES)
    prof = actor.professional
    if not care_role or prof is None or report.reported_by_id != prof.pk:
        return ""
    about = _about(target, report)
    subjects = ((target.person,) if about == "person" and target.person is not None
                else target.members if about == "household" else ())
    return care_role if any(person_ground(actor, p, facts) for p in subjects) else ""


def _invited(actor: Actor, action: Action, data: Data, report: CareReport,
             facts: Facts) -> Decision | None:
    """An organisation invited to a meeting about the report (not declined, not replaced):
    the meeting and its own answer; the report itself only with the family's consent
    `intake` for every person it is about, or a legal basis."""
    care_role = first_role(actor, CARE_ROLES)
    prof = actor.professional
    if not care_role or prof is None or report.pk is None:
        return None
    if data is Data.INTAKE and action not in (*READS, Action.UPDATE):
        return None
    if data is Data.CARE_REPORT and action not in READS:
        return None
    if facts.report_invitation(report) is None:
        return None
    if data is Data.INTAKE:  # date, place and its own answer: no content of the report
        return Decision(True, Ground.INTAKE_INVITATION, care_role)
    ids = facts.report_subject_ids(report)
    ground = ground_for_all(facts.intake_consent(prof.organisation_id, ids), ids)
    if ground is None:  # no consent: the report is not theirs (other grounds may follow)
        return None
    return Decision(True, Ground.INTAKE_INVITATION if ground is Ground.CONSENT
                    else Ground.LEGAL_BASIS, care_role)


def report_data(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    """A care report (its triage and outcome) and its intake meetings (invitations)."""
    data = target.data
    # 5. The public form: an anonymous visitor hands a report in; nothing else, ever.
    if is_anonymous(actor):
        if data is Data.CARE_REPORT and action is Action.CREATE:
            return Decision(True, Ground.PUBLIC_REPORT, "anonymous")
        return Decision.deny("without logging in, a report is only handed in")
    report = target.report
    if report is None:
        return Decision.deny("no care report")
    # Retention (the nightly run) erases the content of a report closed without a plan.
    if actor.operator and data is Data.CARE_REPORT and action in (Action.UPDATE,
                                                                   Action.DELETE):
        return Decision(True, Ground.RETENTION, "platform_admin")
    # 1. The municipality's front-door team: everything.
    if front_door_of(actor, facts.report_municipality(report), facts):
        return Decision(True, Ground.FRONT_DOOR, FRONT_DOOR_ROLE)
    # 2. An invited organisation.
    invited = _invited(actor, action, data, report, facts)
    if invited is not None:
        return invited
    # 3. The reporting professional: hands it in, then sees its status only.
    if data is Data.CARE_REPORT and action in (Action.CREATE, Action.READ):
        prof = actor.professional
        if action is Action.READ:
            care_role = first_role(actor, CARE_ROLES)
            if care_role and prof is not None and report.reported_by_id == prof.pk:
                return Decision(True, Ground.REPORTER, care_role)
        else:
            role = _reporting_professional(actor, target, report, facts)
            if role:
                return Decision(True, Ground.REPORTER, role)
    # 4. The family: their own report (the meeting they are invited to).
    if actor.person is not None and (
            (data is Data.CARE_REPORT and action in FAMILY_ACTIONS)
            or (data is Data.INTAKE and action is Action.READ)):
        ground = family_ground(actor, target, report, facts)
        if ground is not None:
            return Decision(True, ground, "citizen")
    return Decision.deny("a care report is the front door's, the invited organisations' with "
                         "the family's consent (intake) or a legal basis, and the family's; "
                         "its reporter sees the status only")


def intake_settings(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    """The intake capacity of an organisation and the norms of a municipality (no personal
    data): the municipality's front door reads and sets both; a functional administrator of
    the municipality reads them, sets the capacity of their own organisation, and the norms
    when they work for the municipality itself."""
    scope = target.intake_settings
    if scope is None or actor.professional is None:
        return Decision.deny("no settings")
    if action not in (*READS, *WRITES):
        return Decision.deny(f"{action} of the front door's settings is not allowed")
    if front_door_of(actor, scope.municipality_id, facts):
        return Decision(True, Ground.FRONT_DOOR, FRONT_DOOR_ROLE)
    admin = first_role(actor, ADMIN_ROLES) == "functional_admin"
    own = facts.actor_municipality()
    if admin and own is not None and own == scope.municipality_id:
        if action in READS:
            return Decision(True, Ground.ADMINISTRATION, "functional_admin")
        if scope.organisation_id is not None:
            if actor.professional.organisation_id == scope.organisation_id:
                return Decision(True, Ground.ADMINISTRATION, "functional_admin")
        elif facts.actor_organisation_kind() == "municipality":
            return Decision(True, Ground.ADMINISTRATION, "functional_admin")
    return Decision.deny("the front door's settings are the municipality's front door's "
                         "and its functional administrators'")


RULES: dict[Data, Rule] = {
    Data.CARE_REPORT: report_data,
    Data.INTAKE: report_data,
    Data.INTAKE_SETTINGS: intake_settings,
}
