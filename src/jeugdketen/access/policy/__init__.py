"""The access policy: may this actor do this action to this record, and on what ground?

Deny by default. `decide` is a pure question: it reads, never writes. Every answer is
logged by `jeugdketen.access.audit.authorize`, which actions call. The table-driven test
in tests/test_policy_table.py proves every role x action x ground, allowed and denied.
docs/decisions/0007-access-policy-as-table.md records why it is shaped as it is:

- `target`: the typed `Target` (per kind the record its rules read);
- `facts`: every database look-up the rules need (`Facts`, `DatabaseFacts`); the only
  module of the policy that imports other apps' models;
- `rules/`: one module per domain, pure functions of (actor, action, target, facts);
- `table`: `RULES`, one rule per kind of data, and `decide` over it.

Grounds rest on verified facts only (docs/architecture.md, "Facts and grounds"): who is whose
parent, who holds custody and who lives where come from the BRP; what a professional types
never makes anyone a parent or gives anyone a right.

Grounds in this version:
- registration: the professional entered this person, verified in the BRP by BSN, birth
  date and family name (base data only);
- brp: the platform keeps its copy of BRP facts up to date (the nightly refresh);
- emergency: break-the-glass with a written reason, flagged for the privacy officer;
- self / parent: a person sees their own data; a custody holder in the BRP (gezag) that of
  a child under 16;
- privacy_supervision: the privacy officer sees access logs (never case content);
- data_management: a functional administrator of the person's municipality decides an
  open report back to the BRP (correction proposal);
- administration: platform administrators manage organisations and professionals; a
  functional administrator only within their own municipality and never with privileged
  roles (privacy officer, administrators); a functional administrator adapts the
  decision aids (uploads, previews and activates versions; no personal data);
- own_organisation: a professional's own organisation's records (its signals, its
  decision-aid sessions);
- match: a professional whose own signal is in a match sees that match (contact data only);
- municipal_oversight: the municipality's coordinator sees and settles a match whose
  coordinator agreement is overdue; only they appoint a coordinator (the involved agree
  among themselves and never appoint one, themselves included);
- retention: the nightly retention run (the operator) ends, archives and destroys index
  data as the law requires;
- plan_coordinator: the coordinator (regisseur) of a family's plan: the plan, its
  analyses and evaluations, the household's base data, and the consents given for that
  plan (never other organisations' relationships with the family);
- consent: a member of the plan's care team whose organisation holds the consent of (or
  for) the person given for that plan, for the categories consented, valid today and not
  withdrawn; also the ground to start a plan when the family's consent is recorded with it;
- legal_basis: as consent, on a statutory ground (a child-protection measure, Veilig
  Thuis' statutory task) recorded with its reference and end date by the organisation
  that holds it;
- family: a member of the household from 16 (verified in the BRP) sees and co-owns the
  family's plan;
- front_door (issue 11, ADR 0010): a professional with the role `front_door` in the
  municipality's own organisation or one of its neighbourhood teams handles every care
  report and intake meeting of that municipality, sets its intake capacity and norms, and
  starts a plan on the intake's decision (`IntakeStart`);
- intake_invitation: an organisation invited to an intake meeting (invitation not
  declined or replaced) sees the meeting and answers it; the report itself only with the
  family's consent of category `intake` (plan null) for every person it is about, or a
  legal basis (then the ground is legal_basis);
- reporter: the professional who handed a report in (about a person they have a ground
  for) sees its status only;
- public_report: someone on the website without logging in hands a report in, and
  nothing else (no read afterwards). The family reads (and hands in) their own report on
  the grounds self, parent and family.
"""

from jeugdketen.core.vocabulary import Action, Data, Ground, Role

from .base import (
    ADMIN_ROLES,
    CARE_ROLES,
    CATEGORY_OF,
    FAMILY_RELATIONS,
    FRONT_DOOR_KINDS,
    FRONT_DOOR_ROLE,
    LEGAL_BASIS_HOLDERS,
    MIN_EMERGENCY_REASON,
    PARENT_SEES_UNTIL_AGE,
    PLAN_DATA,
    PRIVILEGED_ROLES,
    STATUTORY_KINDS,
    AccessPoint,
    Actor,
    Decision,
    is_anonymous,
    public_actor,
)
from .facts import DatabaseFacts, Facts, care_grounds, holds_custody, may_hold
from .rules.common import Rule
from .table import RULES, decide, has_person_ground, joins_on_ground
from .target import FamilyConsent, IntakeSettingsScope, IntakeStart, Scope, Target

__all__ = [
    "ADMIN_ROLES",
    "CARE_ROLES",
    "CATEGORY_OF",
    "FAMILY_RELATIONS",
    "FRONT_DOOR_KINDS",
    "FRONT_DOOR_ROLE",
    "LEGAL_BASIS_HOLDERS",
    "MIN_EMERGENCY_REASON",
    "PARENT_SEES_UNTIL_AGE",
    "PLAN_DATA",
    "PRIVILEGED_ROLES",
    "RULES",
    "STATUTORY_KINDS",
    "AccessPoint",
    "Action",
    "Actor",
    "Data",
    "DatabaseFacts",
    "Decision",
    "Facts",
    "FamilyConsent",
    "Ground",
    "IntakeSettingsScope",
    "IntakeStart",
    "Role",
    "Rule",
    "Scope",
    "Target",
    "care_grounds",
    "decide",
    "has_person_ground",
    "holds_custody",
    "is_anonymous",
    "joins_on_ground",
    "may_hold",
    "public_actor",
]
