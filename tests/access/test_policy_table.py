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
  custody holder according to the BRP (Kinship.has_custody) does so for a child under 16
  (not on or after the 16th birthday). A household a professional entered makes nobody a
  parent: without custody in the BRP there is no ground, and custody counts whether or not
  the holder shares a household with the child. A citizen reads a household they are a
  member of. Citizens never export, update, delete or create.
- brp: the operator (the nightly `jeugdketen brp refresh`) updates any person's base data
  from the BRP; nothing else.
- privacy_supervision: privacy officers of the person's municipality (their neighbourhood,
  or an organisation there entered them) read, export and print the person's access log
  and read and decide (update) the break-the-glass review list; never base data.
- data_management: a functional administrator of the person's municipality reads and
  decides (update) the reports back to the BRP (correction proposals) of persons of their
  municipality (a decided one too: the action then says it was decided already), and
  reads/prints the base data of a person with an open proposal (to judge it); no base
  data when no proposal is open, nothing for a person of another municipality.
- administration: platform administrators (and the superuser made by
  `jeugdketen createadmin`, and the operator at the command line, who both act as
  platform administrator) create, read and update organisations and professionals; a
  functional administrator only within their own municipality and never with the
  privileged roles (privacy officer, administrators), never changing an organisation's
  kind nor setting up one of a statutory kind (Veilig Thuis, a certified institution: a
  kind decides which legal bases it records). Nobody deletes, exports or prints them.
  The decision aids (their versions, no personal data) are adapted by a functional
  administrator (create, read, update); nobody else, the platform administrator included.
- Municipal analysts never see person-level data. Nobody deletes or exports base data.
- Reference index (issue 3): a professional or coordinator registers a signal (create) on
  a youth they entered, only when their organisation may signal; their own
  organisation's ACTIVE signals they read and update (withdraw, extend); the privacy
  officer reads, exports and prints every signal (rights report, archive); the operator
  (nightly retention) updates and deletes existing signals. A match is read and updated
  (coordinator agreement) only by a professional whose own ACTIVE signal is in it, and by
  the municipality's coordinator when the agreement is overdue; only the latter appoints
  a coordinator (the involved propose and accept, overdue or not). Decision-aid sessions stay
  in the professional's own organisation (create, read, print), and about a person only
  with a ground for that person. Rights requests are the privacy officer's.
- One family, one plan (issue 4, issue 8). Starting a trajectory (create plan data for a
  household) needs the family's consent recorded with the start by a professional who
  registered EVERY member (ground consent), or being the AGREED coordinator of a
  COORDINATED match about a member (a proposal is not an agreement; a closed match or a
  match about someone else opens nothing; an existing plan is not a match). Having
  registered every member, without the family's consent, is not enough.
- plan_coordinator: the plan's current coordinator (a professional or coordinator role)
  reads, prints, creates and updates every kind of plan data (plan, team, approval,
  comment, analysis of any member, evaluation) of an OPEN plan, and only reads and prints
  a CLOSED one; never deletes or exports. The coordinator reads and prints every member's
  base data and the household, and records (create) consent for the plan's members while
  the plan is open, reads it and withdraws (update) consent given for their plan (also of
  a closed plan), never a consent given for another plan. The coordinator does not record
  legal bases: their own organisation's only, like anyone (see Consent below). After a
  handover the former coordinator has nothing.
- consent / legal_basis: a professional in the plan's care team (not one who left, not a
  colleague of the same organisation outside the team) whose organisation holds, TODAY, a
  consent given FOR THIS PLAN that is not withdrawn (valid_from <= today <= valid_until,
  or open-ended) for the category, or a legal basis in force (any category), reads and
  prints: the plan and
  the team ('plan'), evaluations ('evaluations'), for EVERY member of the household; a
  member's base data ('base_data', that member), the household ('base_data', every
  member), a member's analysis ('analysis', that member). Team members comment (create)
  on an open plan with 'plan' consent. The ground is consent when any member's ground is
  consent, legal_basis when all are legal bases. Nothing else: no updates, no approvals,
  no reading of consents.
- Joining the care team oneself (create team data, not yet in the team): a professional or
  coordinator whose organisation holds, for EVERY member, consent given for this plan for
  'plan' (ground consent) or a legal basis (ground legal_basis), while the plan is open.
  (The coordinator adds a professional only on this plan's consents: a legal basis never
  shows in the coordinator's answer.)
- family: a household member from 16 (on the 16th birthday) whose place in the household
  the BRP confirms (parent, custody holder or child; not an unconfirmed member) reads and
  prints the plan, its team and its evaluations, and approves and comments (create) while
  it is open; never updates. Under 16, or a parent of another household: nothing.
  Analyses stay per person: self, and a custody holder for a child under 16.
- Consent: the person reads, gives (for a plan of their household) and withdraws their
  own (self), a custody holder that of a child under 16 (parent); a youth of 16 alone. A
  legal basis is recorded (create/update) only by a professional of the organisation that
  holds it (ground own_organisation), who entered the person or has a plan ground for
  them, when the organisation is of a kind that can hold that statutory ground (Veilig
  Thuis for its statutory task, a certified institution for a child-protection measure): a
  school cannot grant itself one, a coordinator cannot record another organisation's. The
  family reads and prints legal bases, never records them.
  The privacy officer of the person's municipality reads and prints consents and legal
  bases; never the plan, the analysis or the evaluations.
- No role (a professional whose roles are all removed) and the anonymous/system actor
  get nothing, even when a registration row exists.

- The front door (issue 11, ADR 0010). A care report and its intake meetings: the
  front-door team (the role `front_door` on a professional of the municipality itself or
  of one of its neighbourhood teams, for a report of that municipality) does everything
  (recorded role front_door); not with the role in another municipality, not without the
  role. An organisation invited to a meeting about the report (not declined, not
  replaced) reads the meeting and answers it (update) on the invitation alone, and reads
  and prints the report only with the family's consent of category `intake` (plan null)
  for every person it is about (ground intake_invitation) or a legal basis (legal_basis);
  not with 'plan' consent only, not uninvited. The professional who handed a report in
  (about a person they entered) creates it, then reads its status only (reporter). The
  family: a custody holder for a child under 16 (parent), the youth from 16 (self), a
  BRP-tied household member from 16 for a household's report (family) read and hand in
  their own report and read its meeting; a youth of 14, a parent of a youth of 16 and a
  housemate nothing. Someone on the website without logging in (channel session) hands
  a report in and nothing else (public_report, recorded role anonymous). The privacy
  officer never sees a report. The operator's retention run updates and deletes reports
  (retention). A plan starts from an intake (`IntakeStart`) by the front door of the
  report's municipality with givers; nobody else. The front door's settings (capacity,
  norms; no personal data): the front door of the municipality reads and sets both; a
  functional administrator of the municipality reads them, sets their own
  organisation's capacity, and the norms when they work for the municipality itself.
  The front door's consent (category `intake` alone, for no plan, per person and
  organisation) is given (create) by the family itself (self, parent, as any consent;
  who must give it together the action checks) and recorded on the family's word by the
  front door of the municipality of an OPEN care report about the person or their
  household (front_door); the front door of a report about them withdraws it (update)
  also after the report closed. Not the front door of another municipality, not a
  professional without the role, never the invited organisation itself, not a parent
  without custody in the BRP; a plan's categories are never given without a plan. The
  front door does not read consents (they show a person's relations with every
  organisation); the privacy officer does.

- Insight (issue 12): the figures of an area (a municipality, district or neighbourhood;
  no person in them) are read (only read) by the municipal analyst and the coordinator of
  the municipality itself (an organisation of kind municipality; ground
  municipal_oversight) and by the municipality's front door (the municipality or one of
  its neighbourhood teams; ground front_door), each only for an area of their own
  municipality: not by an analyst or coordinator of a provider or a neighbourhood team,
  not for another municipality's area nor an unknown one, never by the privacy officer or
  an administrator. The publication settings are read and changed by the municipal
  analyst of the municipality itself only.

Cell syntax: groups of ACTIONS=ground, actions R(ead) C(reate) U(pdate) D(elete)
E(xport) P(rint); a trailing ! means the decision carries the emergency flag; '-' means
every action is denied. `ground@role` names the recorded role where it is not the
column's (the front door: a professional or coordinator who also has the role
`front_door` acts as the front door).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

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
from jeugdketen.core.vocabulary import Role
from tests import factories as f

ROLES = ("professional", "coordinator", "privacy_officer", "municipal_analyst",
         "functional_admin", "platform_admin", "citizen", "no_role", "anonymous", "superuser",
         "operator")
HEADER = ("prof", "coord", "privacy", "analyst", "fadmin", "padmin", "citizen", "none", "anon",
          "super", "op")

TABLE = """
situation                   | prof          | coord         | privacy  | analyst | fadmin    | padmin    | citizen   | none | anon | super     | op
base/new                    | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | -
base/registered             | CRPU=reg      | CRPU=reg      | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/not-registered         | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/emergency              | C=reg RP=emg! | C=reg RP=emg! | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/emergency-too-short    | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/emergency-only-spaces  | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/registered+emergency   | CRPU=reg      | CRPU=reg      | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/open-correction        | C=reg         | C=reg         | -        | -       | RP=dm     | -         | -         | -    | -    | -         | U=brp
base/decided-correction     | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/self                   | C=reg         | C=reg         | -        | -       | -         | -         | RP=self   | -    | -    | -         | U=brp
base/parent-child-10        | C=reg         | C=reg         | -        | -       | -         | -         | RP=parent | -    | -    | -         | U=brp
base/carer-child-10         | C=reg         | C=reg         | -        | -       | -         | -         | RP=parent | -    | -    | -         | U=brp
base/parent-child-15        | C=reg         | C=reg         | -        | -       | -         | -         | RP=parent | -    | -    | -         | U=brp
base/parent-child-16-today  | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/parent-child-17        | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/child-sees-parent      | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/parent-other-household | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/household-parent-no-custody | C=reg    | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/custody-other-household | C=reg        | C=reg         | -        | -       | -         | -         | RP=parent | -    | -    | -         | U=brp
base/brp-parent-no-custody  | C=reg         | C=reg         | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
correction/open             | -             | -             | -        | -       | RU=dm     | -         | -         | -    | -    | -         | -
correction/none-open        | -             | -             | -        | -       | RU=dm     | -         | -         | -    | -    | -         | -
correction/other-municipality | -           | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
base/open-correction-other-municipality | C=reg | C=reg     | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
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
admin/kind-change           | -             | -             | -        | -       | -         | CRU=admin | -         | -    | -    | CRU=admin | CRU=admin
admin/statutory-kind        | -             | -             | -        | -       | -         | CRU=admin | -         | -    | -    | CRU=admin | CRU=admin
admin/care-kind             | -             | -             | -        | -       | CRU=admin | CRU=admin | -         | -    | -    | CRU=admin | CRU=admin
decisionaid/version         | -             | -             | -        | -       | CRU=admin | -         | -         | -    | -    | -         | -
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
appointment/involved-overdue | -            | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
appointment/municipality-overdue | -        | U=oversight   | -        | -       | -         | -         | -         | -    | -    | -         | -
appointment/municipality-in-time | -        | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
accesslog/other-municipality| -             | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
rights/other-municipality   | -             | -             | -          | -     | -         | -         | -         | -    | -    | -         | -
guide/new                   | CRP=own       | CRP=own       | -        | -       | -         | -         | -         | -    | -    | -         | -
guide/own-organisation      | CRP=own       | CRP=own       | -        | -       | -         | -         | -         | -    | -    | -         | -
guide/other-organisation    | -             | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
guide/registered-person     | CRP=own       | CRP=own       | -        | -       | -         | -         | -         | -    | -    | -         | -
guide/unregistered-person   | -             | -             | -        | -       | -         | -         | -         | -    | -    | -         | -
rights/request              | -             | -             | CRUEP=priv | -     | -         | -         | -         | -    | -    | -         | -
plan/start-registered-all                  | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/start-registered-some                 | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/start-consent-registered-all          | C=consent        | C=consent        | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/start-consent-registered-some         | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/start-consent-no-givers               | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-consent-other-plan               | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/family-unconfirmed-member             | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/start-match-coordinator               | C=match          | C=match          | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/start-match-proposed                  | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/start-match-closed                    | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/start-match-other-household           | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/start-match-of-other                  | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/coordinator-open                      | RUP=coord        | RUP=coord        | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/coordinator-closed                    | RP=coord         | RP=coord         | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/former-coordinator                    | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-consent                          | RP=consent       | RP=consent       | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-consent-until-today              | RP=consent       | RP=consent       | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-consent-expired                  | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-consent-not-yet-valid            | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-consent-withdrawn                | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-consent-other-category           | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-consent-other-organisation       | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-consent-some-members             | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-consent-closed-plan              | RP=consent       | RP=consent       | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-legal-basis                      | RP=legal         | RP=legal         | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-legal-basis-expired              | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-legal-basis-ended                | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-legal-basis-not-yet-valid        | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-legal-basis-and-consent          | RP=consent       | RP=consent       | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/team-left                             | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/colleague-not-in-team                 | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/family-parent                         | -                | -                | -        | -       | -         | -         | RP=family | -    | -    | -         | -
plan/family-youth-16-today                 | -                | -                | -        | -       | -         | -         | RP=family | -    | -    | -         | -
plan/family-youth-15                       | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/family-closed                         | -                | -                | -        | -       | -         | -         | RP=family | -    | -    | -         | -
plan/parent-other-household                | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
team/coordinator-open                      | CRUP=coord       | CRUP=coord       | -        | -       | -         | -         | -         | -    | -    | -         | -
team/team-consent                          | RP=consent       | RP=consent       | -        | -       | -         | -         | -         | -    | -    | -         | -
team/join-consent                          | C=consent        | C=consent        | -        | -       | -         | -         | -         | -    | -    | -         | -
team/join-legal-basis                      | C=legal          | C=legal          | -        | -       | -         | -         | -         | -    | -    | -         | -
team/join-legal-basis-some-members         | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
team/join-closed-plan                      | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
team/family-parent                         | -                | -                | -        | -       | -         | -         | RP=family | -    | -    | -         | -
evaluation/coordinator-open                | CRUP=coord       | CRUP=coord       | -        | -       | -         | -         | -         | -    | -    | -         | -
evaluation/coordinator-closed              | RP=coord         | RP=coord         | -        | -       | -         | -         | -         | -    | -    | -         | -
evaluation/team-consent-plan-only          | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
evaluation/team-consent-evaluations        | RP=consent       | RP=consent       | -        | -       | -         | -         | -         | -    | -    | -         | -
evaluation/family-parent                   | -                | -                | -        | -       | -         | -         | RP=family | -    | -    | -         | -
evaluation/family-youth-15                 | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
approval/coordinator-open                  | CRUP=coord       | CRUP=coord       | -        | -       | -         | -         | -         | -    | -    | -         | -
approval/coordinator-closed                | RP=coord         | RP=coord         | -        | -       | -         | -         | -         | -    | -    | -         | -
approval/team-consent                      | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
approval/family-parent                     | -                | -                | -        | -       | -         | -         | C=family  | -    | -    | -         | -
approval/family-youth-16-today             | -                | -                | -        | -       | -         | -         | C=family  | -    | -    | -         | -
approval/family-youth-15                   | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
approval/family-closed                     | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
comment/coordinator-open                   | CRUP=coord       | CRUP=coord       | -        | -       | -         | -         | -         | -    | -    | -         | -
comment/team-consent                       | C=consent        | C=consent        | -        | -       | -         | -         | -         | -    | -    | -         | -
comment/team-consent-closed-plan           | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
comment/team-consent-other-category        | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
comment/family-parent                      | -                | -                | -        | -       | -         | -         | C=family  | -    | -    | -         | -
comment/family-closed                      | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
analysis/coordinator                       | CRUP=coord       | CRUP=coord       | -        | -       | -         | -         | -         | -    | -    | -         | -
analysis/coordinator-closed                | RP=coord         | RP=coord         | -        | -       | -         | -         | -         | -    | -    | -         | -
analysis/former-coordinator                | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
analysis/self                              | -                | -                | -        | -       | -         | -         | RP=self   | -    | -    | -         | -
analysis/parent-child-8                    | -                | -                | -        | -       | -         | -         | RP=parent | -    | -    | -         | -
analysis/parent-youth-16-today             | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
analysis/youth-16-sees-parent              | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
analysis/parent-other-household            | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
analysis/team-consent-this-person          | RP=consent       | RP=consent       | -        | -       | -         | -         | -         | -    | -    | -         | -
analysis/team-consent-other-person         | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
analysis/team-consent-no-analysis          | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
analysis/team-consent-withdrawn            | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
analysis/team-legal-basis                  | RP=legal         | RP=legal         | -        | -       | -         | -         | -         | -    | -    | -         | -
analysis/team-left                         | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
analysis/colleague-not-in-team             | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
base/plan-coordinator                      | C=reg RP=coord   | C=reg RP=coord   | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/plan-coordinator-closed               | C=reg RP=coord   | C=reg RP=coord   | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/plan-former-coordinator               | C=reg            | C=reg            | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/plan-team-consent                     | C=reg RP=consent | C=reg RP=consent | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/plan-team-consent-plan-only           | C=reg            | C=reg            | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/plan-team-consent-other-person        | C=reg            | C=reg            | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/plan-team-consent-expired             | C=reg            | C=reg            | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/plan-team-legal-basis                 | C=reg RP=legal   | C=reg RP=legal   | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/plan-team-left                        | C=reg            | C=reg            | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/plan-colleague-not-in-team            | C=reg            | C=reg            | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
base/plan-youth-16-sees-parent             | C=reg            | C=reg            | -        | -       | -         | -         | -         | -    | -    | -         | U=brp
household/plan-coordinator                 | R=coord          | R=coord          | -        | -       | -         | -         | -         | -    | -    | -         | -
household/plan-former-coordinator          | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
household/plan-team-consent                | R=consent        | R=consent        | -        | -       | -         | -         | -         | -    | -    | -         | -
household/plan-team-consent-some           | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
household/plan-team-consent-plan-only      | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
household/plan-team-legal-basis            | R=legal          | R=legal          | -        | -       | -         | -         | -         | -    | -    | -         | -
household/plan-team-left                   | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
consent/coordinator                        | CRUP=coord       | CRUP=coord       | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/coordinator-closed-plan            | RUP=coord        | RUP=coord        | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/former-coordinator                 | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/team-member                        | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/self-16-today                      | -                | -                | RP=priv  | -       | -         | -         | CRUP=self | -    | -    | -         | -
consent/self-14                            | -                | -                | RP=priv  | -       | -         | -         | CRUP=self | -    | -    | -         | -
consent/parent-child-8                     | -                | -                | RP=priv  | -       | -         | -         | CRUP=parent | -    | -    | -         | -
consent/parent-youth-15                    | -                | -                | RP=priv  | -       | -         | -         | CRUP=parent | -    | -    | -         | -
consent/parent-youth-16-today              | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/parent-other-household             | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/other-municipality                 | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
consent/coordinator-other-plan             | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/parent-without-custody             | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/intake-front-door                  | CU=front@front_door | CU=front@front_door | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/intake-front-door-team             | CU=front@front_door | CU=front@front_door | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/intake-front-door-household-report | CU=front@front_door | CU=front@front_door | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/intake-front-door-closed-report    | U=front@front_door | U=front@front_door | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/intake-front-door-no-report        | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/intake-front-door-other-municipality | -              | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
consent/intake-without-front-door-role     | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/intake-invited-organisation        | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/intake-parent-child-8              | -                | -                | RP=priv  | -       | -         | -         | CRUP=parent | -    | -    | -         | -
consent/intake-self-16-today               | -                | -                | RP=priv  | -       | -         | -         | CRUP=self | -    | -    | -         | -
consent/intake-parent-without-custody      | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
consent/intake-plan-category-without-plan  | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
legalbasis/own-organisation-registered     | CU=own           | CU=own           | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
legalbasis/own-organisation-not-registered | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
legalbasis/other-organisation-registered   | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
legalbasis/school-grants-itself            | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
legalbasis/coordinator                     | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
legalbasis/coordinator-closed-plan         | -                | -                | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
legalbasis/self                            | -                | -                | RP=priv  | -       | -         | -         | RP=self   | -    | -    | -         | -
legalbasis/parent-child-8                  | -                | -                | RP=priv  | -       | -         | -         | RP=parent | -    | -    | -         | -
legalbasis/other-municipality              | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
legalbasis/own-organisation-in-team        | CU=own           | CU=own           | RP=priv  | -       | -         | -         | -         | -    | -    | -         | -
report/front-door-municipality              | CRUDEP=front@front_door | CRUDEP=front@front_door | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/front-door-neighbourhood-team        | CRUDEP=front@front_door | CRUDEP=front@front_door | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/front-door-other-municipality        | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/without-front-door-role              | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/invited-intake-consent               | RP=invited       | RP=invited       | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/invited-legal-basis                  | RP=legal         | RP=legal         | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/invited-no-consent                   | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/invited-declined                     | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/invited-replaced                     | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/invited-plan-consent-only            | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/invited-consent-some-members         | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/not-invited-intake-consent           | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/reporter                             | CR=reporter      | CR=reporter      | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/reporter-not-registered              | R=reporter       | R=reporter       | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/reporter-invited-no-consent          | CR=reporter      | CR=reporter      | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/colleague-of-reporter                | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/custody-holder-child-8               | -                | -                | -        | -       | -         | -         | CR=parent | -    | -    | -         | UD=ret
report/youth-16-today                       | -                | -                | -        | -       | -         | -         | CR=self   | -    | -    | -         | UD=ret
report/youth-14                             | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/parent-youth-16-today                | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/household-parent                     | -                | -                | -        | -       | -         | -         | CR=family | -    | -    | -         | UD=ret
report/household-housemate                  | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
report/public-form                          | -                | -                | -        | -       | -         | -         | -         | -    | C=public | -         | UD=ret
report/privacy-officer-own-municipality     | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | UD=ret
intake/front-door-municipality              | CRUDEP=front@front_door | CRUDEP=front@front_door | -        | -       | -         | -         | -         | -    | -    | -         | -
intake/invited-no-consent                   | RUP=invited      | RUP=invited      | -        | -       | -         | -         | -         | -    | -    | -         | -
intake/invited-intake-consent               | RUP=invited      | RUP=invited      | -        | -       | -         | -         | -         | -    | -    | -         | -
intake/invited-declined                     | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
intake/not-invited                          | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
intake/reporter                             | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
intake/custody-holder-child-8               | -                | -                | -        | -       | -         | -         | R=parent  | -    | -    | -         | -
intake/public-form                          | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/start-intake-front-door                | C=front@front_door | C=front@front_door | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/start-intake-front-door-no-givers      | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/start-intake-other-municipality        | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
plan/start-intake-coordinator               | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
settings/capacity-front-door                | CRUP=front@front_door | CRUP=front@front_door | -        | -       | RP=admin  | -         | -         | -    | -    | -         | -
settings/capacity-own-organisation          | -                | -                | -        | -       | CRUP=admin | -         | -         | -    | -    | -         | -
settings/capacity-other-municipality        | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
settings/norms-municipality-organisation    | -                | -                | -        | -       | CRUP=admin | -         | -         | -    | -    | -         | -
settings/norms-other-organisation           | -                | -                | -        | -       | RP=admin  | -         | -         | -    | -    | -         | -
settings/norms-front-door-team              | CRUP=front@front_door | CRUP=front@front_door | -        | -       | RP=admin  | -         | -         | -    | -    | -         | -
settings/norms-other-municipality           | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
insight/municipality                        | -                | R=insight      | -        | R=insight | -     | -         | -         | -    | -    | -         | -
insight/municipality-district               | -                | R=insight      | -        | R=insight | -     | -         | -         | -    | -    | -         | -
insight/municipality-neighbourhood          | -                | R=insight      | -        | R=insight | -     | -         | -         | -    | -    | -         | -
insight/provider-organisation               | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
insight/neighbourhood-team                  | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
insight/other-municipality                  | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
insight/unknown-area                        | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
insight/front-door                          | R=front@front_door | R=front@front_door | -      | R=insight | -     | -         | -         | -    | -    | -         | -
insight/front-door-team                     | R=front@front_door | R=front@front_door | -      | -       | -         | -         | -         | -    | -    | -         | -
insight/front-door-other-municipality       | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
insightsettings/municipality                | -                | -                | -        | RU=insight | -    | -         | -         | -    | -    | -         | -
insightsettings/front-door                  | -                | -                | -        | RU=insight | -    | -         | -         | -    | -    | -         | -
insightsettings/provider-organisation       | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
insightsettings/other-municipality          | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
timeanswer/own                              | CR=self          | CR=self          | -        | -       | -         | -         | -         | -    | -    | -         | -
timeanswer/other-professional               | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
timeanswer/figures                          | -                | R=insight        | -        | R=insight | -       | -         | -         | -    | -    | -         | -
timeanswer/figures-team                     | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
timeanswer/figures-other-municipality       | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
survey/own                                  | C=self           | C=self           | -        | -       | -         | -         | -         | -    | -    | -         | -
survey/other-professional                   | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
survey/figures                              | -                | R=insight        | -        | RU=insight | -      | -         | -         | -    | -    | -         | -
survey/figures-other-municipality           | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
teamareas/municipality                      | -                | R=insight        | -        | RU=insight | -      | -         | -         | -    | -    | -         | -
teamareas/neighbourhood-team                | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
teamareas/other-municipality                | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
simulation/municipality                     | -                | R=insight        | -        | CR=insight | -      | -         | -         | -    | -    | -         | -
simulation/provider-organisation            | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
simulation/neighbourhood-team               | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
simulation/other-municipality               | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
simulation/unknown-municipality             | -                | -                | -        | -       | -         | -         | -         | -    | -    | -         | -
steeringboard/municipality                  | -                | R=insight        | -        | R=insight | -        | -        | -        | -        | -        | -        | -
steeringboard/provider-organisation         | -                | -                | -        | -        | -        | -        | -        | -        | -        | -        | -
steeringboard/neighbourhood-team            | -                | -                | -        | -        | -        | -        | -        | -        | -        | -        | -
steeringboard/other-municipality            | -                | -                | -        | -        | -        | -        | -        | -        | -        | -        | -
steeringboard/unknown-municipality          | -                | -                | -        | -        | -        | -        | -        | -        | -        | -        | -
steeringboard/front-door                    | R=front@front_door | R=front@front_door | -        | R=insight | -        | -        | -        | -        | -        | -        | -
steeringboard/front-door-team               | R=front@front_door | R=front@front_door | -        | -        | -        | -        | -        | -        | -        | -        | -
steeringboard/front-door-other-municipality | -                | -                | -        | -        | -        | -        | -        | -        | -        | -        | -
steeringaction/municipality                 | -                | CRU=insight      | -        | CRU=insight | -        | -        | -        | -        | -        | -        | -
steeringaction/provider-organisation        | -                | -                | -        | -        | -        | -        | -        | -        | -        | -        | -
steeringaction/other-municipality           | -                | -                | -        | -        | -        | -        | -        | -        | -        | -        | -
steeringaction/unknown-municipality         | -                | -                | -        | -        | -        | -        | -        | -        | -        | -        | -
steeringaction/front-door                   | R=front@front_door | R=front@front_door CU=insight | -        | CRU=insight | -        | -        | -        | -        | -        | -        | -
steeringaction/front-door-team              | R=front@front_door | R=front@front_door | -        | -        | -        | -        | -        | -        | -        | -        | -
steeringminutes/municipality                | -                | CRU=insight      | -        | CRU=insight | -        | -        | -        | -        | -        | -        | -
steeringminutes/provider-organisation       | -                | -                | -        | -        | -        | -        | -        | -        | -        | -        | -
steeringminutes/other-municipality          | -                | -                | -        | -        | -        | -        | -        | -        | -        | -        | -
steeringminutes/unknown-municipality        | -                | -                | -        | -        | -        | -        | -        | -        | -        | -        | -
steeringminutes/front-door                  | R=front@front_door | R=front@front_door CU=insight | -        | CRU=insight | -        | -        | -        | -        | -        | -        | -
steeringminutes/front-door-team             | R=front@front_door | R=front@front_door | -        | -        | -        | -        | -        | -        | -        | -        | -
"""

ACTION_LETTERS = {"R": Action.READ, "C": Action.CREATE, "U": Action.UPDATE,
                  "D": Action.DELETE, "E": Action.EXPORT, "P": Action.PRINT}
GROUNDS = {"reg": Ground.REGISTRATION, "emg": Ground.EMERGENCY, "self": Ground.SELF,
           "parent": Ground.PARENT, "priv": Ground.PRIVACY_SUPERVISION,
           "dm": Ground.DATA_MANAGEMENT, "admin": Ground.ADMINISTRATION,
           "own": Ground.OWN_ORGANISATION, "match": Ground.MATCH,
           "oversight": Ground.MUNICIPAL_OVERSIGHT, "ret": Ground.RETENTION,
           "coord": Ground.PLAN_COORDINATOR, "consent": Ground.CONSENT,
           "legal": Ground.LEGAL_BASIS, "family": Ground.FAMILY, "brp": Ground.BRP,
           "front": Ground.FRONT_DOOR, "invited": Ground.INTAKE_INVITATION,
           "reporter": Ground.REPORTER, "public": Ground.PUBLIC_REPORT,
           "insight": Ground.INSIGHT}
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
        ground, _, recorded = ground.partition("@")
        emergency = ground.endswith("!")
        for letter in letters:
            action = ACTION_LETTERS[letter]
            assert expected[action.value] == DENIED, f"{letter} twice in {cell!r}"
            expected[action.value] = (GROUNDS[ground.rstrip("!")].value,
                                      recorded or RECORDED_ROLE[role], emergency)
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


def _custody_situation(kind: str):
    """A citizen and a child of 10 where the household and the BRP disagree: a household
    a professional entered without custody in the BRP; custody without a shared household;
    a BRP parent without custody."""

    def build(s: Scene):
        kid, parent = child(10), adult()
        if kind == "household-parent-no-custody":
            f.make_household(parents=[parent], children=[kid], brp=False)
        elif kind == "custody-other-household":
            f.kinship(kid, parent, parent=False, custody=True)
        else:  # brp-parent-no-custody
            f.make_household(parents=[parent], children=[kid], brp=False)
            f.kinship(kid, parent, parent=True, custody=False)
        return s.actor(person=parent), Target(Data.BASE_DATA, person=kid)

    return build


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


def _organisation(s: Scene, **record: object):
    """An organisation of the actor's own municipality, set up or changed to a kind."""
    actor = s.actor()
    place = (actor.professional.organisation.municipality_id
             if actor.professional is not None else f.MunicipalityFactory().code)
    return actor, Target(Data.ORGANISATION, object_id="new",
                         record={"municipality_id": place, **record})


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


def _match_situation(kind: str, data: Data = Data.MATCH):
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
        b_contact = prof if (prof is not None and kind in (
            "involved", "involved-overdue", "own-signal-ended")) else None
        b = _signal(prof.organisation if b_contact else f.OrganisationFactory(), kid,
                    contact=b_contact, status="ended" if kind == "own-signal-ended" else "active")
        today = timezone.localdate()
        overdue = kind in ("municipality-overdue", "municipality-other", "involved-overdue")
        due = today - timedelta(days=1) if overdue else today + timedelta(days=5)
        match = Match.objects.create(kind="client", subject_key=f"client:{kid.pk}",
                                     coordinator_due=due, municipality=place)
        match.signals.add(a, b)
        return actor, Target(data, object_id=str(match.pk), record=match)

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


# --- issue 4: one family, one plan; consent and legal basis -----------------------------


@dataclass(frozen=True)
class Grant:
    """A consent or legal basis for the actor's organisation (or another one), dated in days
    from today, for some of the household's members."""

    kind: str = "consent"  # consent | legal
    categories: tuple[str, ...] = ("plan",)
    to: tuple[str, ...] = ("parent", "child", "youth")
    other_organisation: bool = False
    valid_from: int = -30
    valid_until: int | None = None  # consent: None is until withdrawn
    withdrawn: bool = False  # consent withdrawn / legal basis ended
    other_plan: bool = False  # consent given for another plan of the family

    def make(self, organisation, persons: dict, plan) -> None:
        from datetime import timedelta

        from django.utils import timezone

        from jeugdketen.access.models import Consent, LegalBasis

        today = timezone.localdate()
        org = f.OrganisationFactory() if self.other_organisation else organisation
        user = f.UserFactory()
        if self.other_plan:
            from jeugdketen.plans.models import Plan

            plan = Plan.objects.create(
                household=f.make_household(children=[persons["child"]]),
                coordinator=plan.coordinator, origin="direct",
                main_organisation=plan.main_organisation, status="closed")
        for key in self.to:
            if self.kind == "consent":
                Consent.objects.create(
                    person=persons[key], plan=plan, organisation=org,
                    categories=list(self.categories),
                    valid_from=today + timedelta(days=self.valid_from),
                    valid_until=(None if self.valid_until is None
                                 else today + timedelta(days=self.valid_until)),
                    recorded_by=user, withdrawn_at=timezone.now() if self.withdrawn else None)
            else:
                LegalBasis.objects.create(
                    person=persons[key], organisation=org, kind="child_protection",
                    reference="OTS C/13/123456", valid_from=today + timedelta(days=self.valid_from),
                    valid_until=today + timedelta(days=365 if self.valid_until is None
                                                  else self.valid_until),
                    recorded_by=user, ended_at=timezone.now() if self.withdrawn else None)


ALL_CATEGORIES = ("base_data", "analysis", "plan", "evaluations")


@dataclass(frozen=True)
class PlanCase:
    """A household (parent 38, child 8, youth 14 unless `youth` says otherwise) with a plan,
    and the actor in one position towards it:

    coordinator: the actor's professional coordinates the plan; former: they handed it over;
    team / team-left: in the care team (or left it); colleague: a colleague of the same
    organisation is in the team, the actor is not; family:<member>: the citizen is that
    member; parent-elsewhere: a parent of another household; nobody: no position.
    `grants` are for the actor's organisation; `about` names the member the record is about.
    """

    data: Data
    who: str
    grants: tuple[Grant, ...] = ()
    closed: bool = False
    about: str = ""
    youth: tuple[int, int] = (14, 0)  # age, days after the birthday (negative: before it)
    registered: tuple[str, ...] = ()
    organisation: tuple[tuple[str, object], ...] = ()  # the actor's organisation's fields
    basis_of: str = "own"  # legal-basis records: held by "own" or "other" organisation
    basis_kind: str = "child_protection"
    brp: bool = True  # False: the household's relations were typed, not confirmed by the BRP
    consent_of: str = ""  # consent records: "other-plan" is a consent given for another plan

    def __call__(self, s: Scene) -> tuple[Actor, Target]:
        from django.utils import timezone

        from jeugdketen.access.models import LegalBasis
        from jeugdketen.plans.models import Handover, Plan, TeamMember

        today = timezone.localdate()
        parent, kid = adult(), child(8)
        youth = child(self.youth[0], days_after_birthday=self.youth[1])
        household = f.make_household(parents=[parent], children=[kid, youth], brp=self.brp)
        persons = {"parent": parent, "child": kid, "youth": youth}
        members = (parent, kid, youth)
        me = None
        if self.who.startswith("family:"):
            me = persons[self.who.split(":", 1)[1]]
        elif self.who == "parent-elsewhere":
            me = family(child(9))
        actor = s.actor(person=me, registered=[persons[k] for k in self.registered],
                        **dict(self.organisation))
        prof = getattr(s, "professional", None)
        coordinator = prof if (self.who == "coordinator" and prof is not None) else coordinator_prof()
        plan = Plan.objects.create(
            household=household, coordinator=coordinator, origin="direct",
            main_organisation=coordinator.organisation,
            status="closed" if self.closed else "open",
            closed_on=today if self.closed else None, close_reason="01" if self.closed else "")
        if prof is not None:
            if self.who == "former":
                Handover.objects.create(plan=plan, from_professional=prof,
                                        to_professional=coordinator, on=today,
                                        reason="Verhuisd naar een andere wijk")
            elif self.who in ("team", "team-left"):
                TeamMember.objects.create(plan=plan, professional=prof, role="jeugdhulp",
                                          left_at=timezone.now() if self.who == "team-left" else None)
            elif self.who == "colleague":
                TeamMember.objects.create(plan=plan, role="jeugdhulp",
                                          professional=f.ProfessionalFactory(organisation=prof.organisation))
        organisation = prof.organisation if prof is not None else f.OrganisationFactory()
        for grant in self.grants:
            grant.make(organisation, persons, plan)
        person = persons[self.about] if self.about else None
        if self.data is Data.BASE_DATA:
            return actor, Target(Data.BASE_DATA, person=person)
        if self.data is Data.HOUSEHOLD:
            return actor, Target(Data.HOUSEHOLD, household=household, members=members)
        if self.data is Data.CONSENT:
            record = plan
            if self.consent_of == "other-plan":
                from jeugdketen.access.models import Consent

                other = Plan.objects.create(
                    household=f.make_household(children=[person]), coordinator=coordinator_prof(),
                    origin="direct", main_organisation=organisation)
                record = Consent.objects.create(
                    person=person, plan=other, organisation=f.OrganisationFactory(),
                    categories=["plan"], valid_from=today, recorded_by=f.UserFactory())
            return actor, Target(Data.CONSENT, person=person, members=members, record=record)
        if self.data is Data.LEGAL_BASIS:
            holder = organisation if self.basis_of == "own" else f.OrganisationFactory(
                kind="certified_institution")
            probe = LegalBasis(person=person, organisation=holder, kind=self.basis_kind)
            return actor, Target(Data.LEGAL_BASIS, person=person, record=probe)
        return actor, Target(self.data, person=person, household=household, members=members,
                             object_id=str(plan.pk), record=plan)


def coordinator_prof():
    return f.ProfessionalFactory(roles=["coordinator"],
                                 organisation=f.OrganisationFactory(may_coordinate=True))


def _start_situation(kind: str):
    """Starting a plan for a household (create plan data; the record is the match, if any)."""

    def build(s: Scene):
        from datetime import timedelta

        from django.utils import timezone

        from jeugdketen.access.policy import FamilyConsent
        from jeugdketen.referral_index.models import Match

        parent, kid, youth = adult(), child(8), child(14)
        household = f.make_household(parents=[parent], children=[kid, youth])
        members = (parent, kid, youth)
        registered = {"registered-all": list(members), "consent-registered-all": list(members),
                      "consent-no-givers": list(members),
                      "registered-some": [parent, kid],
                      "consent-registered-some": [parent, kid]}.get(kind, [])
        actor = s.actor(registered=registered)
        prof = getattr(s, "professional", None)
        match = None
        if kind.startswith("match"):
            about = child(10) if kind == "match-other-household" else kid
            mine = prof if (prof is not None and kind != "match-of-other") else coordinator_prof()
            status = {"match-proposed": "open", "match-closed": "closed"}.get(kind, "coordinated")
            match = Match.objects.create(
                kind="client", subject_key=f"client:{about.pk}", status=status,
                coordinator_due=timezone.localdate() + timedelta(days=5),
                coordinator=None if kind == "match-proposed" else mine,
                proposed_coordinator=mine)
            match.signals.add(_signal(f.OrganisationFactory(), about),
                              _signal(mine.organisation, about, contact=mine))
        start = match
        if kind.startswith("consent"):
            givers = () if kind == "consent-no-givers" else (str(parent.pk), str(youth.pk))
            start = FamilyConsent(givers)
        return actor, Target(Data.PLAN, household=household, members=members,
                             object_id=str(household.pk), record=start)

    return build


# --- issue 11: the front door ------------------------------------------------------------


CARE_COLUMNS = ("professional", "coordinator")


def _front_door_actor(s: Scene, who: str, **kw) -> Actor:
    """The column's actor; for the front-door positions a professional or coordinator of the
    municipality (or of its neighbourhood team) who also has the role `front_door`."""
    org = {"front-door": {"kind": "municipality"},
           "front-door-team": {"kind": "neighbourhood_team"},
           "front-door-other": {"kind": "municipality"},
           "no-front-role": {"kind": "municipality"}}.get(who, {})
    actor = s.actor(**kw, **org)
    prof = getattr(s, "professional", None)
    if (who.startswith("front-door") and prof is not None and s.role in CARE_COLUMNS):
        prof.roles = [*prof.roles, "front_door"]
        prof.save()
    return actor


@dataclass(frozen=True)
class ReportCase:
    """A care report about a child (8 unless `age` says otherwise) living with a parent, or
    about their household, and the actor in one position towards it:

    front-door / front-door-team / front-door-other: the front door of the report's
    municipality (its own organisation, a neighbourhood team) or of another one;
    no-front-role: the municipality's professional without the role; invited: the actor's
    organisation is invited to a meeting (`invitation` its status), with `grants`
    (intake consent, plan consent, a legal basis) for `granted_to`; reporter (registered
    or not) / reporter-colleague; family:<child|parent|housemate>; public: someone
    without logging in on the website; local: the report is in the actor's municipality.
    """

    data: Data
    who: str
    about: str = "person"  # person | household
    age: tuple[int, int] = (8, 0)
    invitation: str = ""  # invited | declined | replaced ('' : not invited)
    grants: tuple[str, ...] = ()  # intake | plan | legal
    granted_to: tuple[str, ...] = ("child", "parent")
    registered: bool = False

    def __call__(self, s: Scene) -> tuple[Actor, Target]:
        from datetime import timedelta

        from django.utils import timezone

        from jeugdketen.access.models import Consent, LegalBasis
        from jeugdketen.intake.models import CareReport, IntakeMeeting, Invitation

        parent, kid = adult(), child(self.age[0], days_after_birthday=self.age[1])
        housemate = adult()
        household = f.make_household(parents=[parent], children=[kid], housemates=[housemate])
        persons = {"parent": parent, "child": kid, "housemate": housemate}
        me = persons[self.who.split(":", 1)[1]] if self.who.startswith("family:") else None
        if self.who == "public" and s.role == "anonymous":
            actor = Actor(access_point=f.session_point())
        else:
            actor = _front_door_actor(s, self.who, person=me,
                                      registered=[kid] if self.registered else [])
        prof = getattr(s, "professional", None)
        local = self.who != "front-door-other" and prof is not None
        municipality = (prof.organisation.municipality if local else f.MunicipalityFactory())
        reporter = prof if (self.who == "reporter" and prof is not None) else (
            f.ProfessionalFactory(organisation=prof.organisation)
            if self.who == "reporter-colleague" and prof is not None else None)
        by_household = self.about == "household"
        report = CareReport.objects.create(
            municipality=municipality, person=None if by_household else kid,
            household=household if by_household else None,
            reporter_kind="public" if self.who == "public" else "professional",
            reported_by=reporter, urgency="regular", question="Zorgen over school")
        if self.who == "public":
            report.person = None
            report.save()
        organisation = prof.organisation if prof is not None else f.OrganisationFactory()
        if self.invitation:
            starts = timezone.now() + timedelta(days=7)
            meeting = IntakeMeeting.objects.create(
                report=report, starts_at=starts, ends_at=starts + timedelta(hours=1),
                location="Wijkcentrum", planned_by=f.ProfessionalFactory(roles=["front_door"]))
            Invitation.objects.create(meeting=meeting, organisation=organisation,
                                      status=self.invitation)
        today = timezone.localdate()
        for grant in self.grants:
            for key in self.granted_to:
                if grant == "legal":
                    LegalBasis.objects.create(
                        person=persons[key], organisation=organisation, kind="child_protection",
                        reference="OTS C/13/123456", valid_from=today - timedelta(days=3),
                        valid_until=today + timedelta(days=365), recorded_by=f.UserFactory())
                else:
                    Consent.objects.create(person=persons[key], plan=None,
                                           organisation=organisation, categories=[grant],
                                           valid_from=today, recorded_by=f.UserFactory())
        if self.who == "public":
            return actor, Target(self.data, object_id=str(report.pk), record=report)
        if by_household:
            return actor, Target(self.data, household=household,
                                 members=(parent, kid, housemate), object_id=str(report.pk),
                                 record=report)
        return actor, Target(self.data, person=kid, object_id=str(report.pk), record=report)


def _intake_start_situation(kind: str):
    """Starting a plan from an intake's decision (`IntakeStart`) for the report's household."""

    def build(s: Scene):
        from jeugdketen.access.policy import IntakeStart
        from jeugdketen.intake.models import CareReport

        parent, kid = adult(), child(8)
        household = f.make_household(parents=[parent], children=[kid])
        who = "no-front-role" if kind == "coordinator" else "front-door"
        actor = _front_door_actor(s, who)
        prof = getattr(s, "professional", None)
        municipality = (prof.organisation.municipality
                        if prof is not None and kind != "other-municipality"
                        else f.MunicipalityFactory())
        report = CareReport.objects.create(municipality=municipality, household=household,
                                           reporter_kind="professional", urgency="regular")
        givers = () if kind == "no-givers" else (str(parent.pk),)
        return actor, Target(Data.PLAN, household=household, members=(parent, kid),
                             object_id=str(household.pk),
                             record=IntakeStart(str(report.pk), givers))

    return build


def _settings_situation(what: str, who: str, kind: str = "municipality", place: str = "own"):
    """The intake capacity of an organisation (`what` capacity: the actor's own or another
    one of the municipality) or the municipality's norms."""

    def build(s: Scene):
        actor = _front_door_actor(s, who, kind=kind) if not who.startswith("front-door") \
            else _front_door_actor(s, who)
        prof = getattr(s, "professional", None)
        municipality = (prof.organisation.municipality_id if prof is not None and place == "own"
                        else f.MunicipalityFactory().code)
        organisation = None
        if what == "capacity-own":
            organisation = prof.organisation_id if prof is not None else f.OrganisationFactory().pk
        elif what == "capacity":
            organisation = f.OrganisationFactory(
                municipality_id=municipality, kind="youth_care_provider").pk
        return actor, Target(Data.INTAKE_SETTINGS, object_id=municipality, record={
            "municipality_id": municipality, "organisation_id": organisation})

    return build


def _steering_situation(data: Data, kind: str = "municipality", place: str = "own",
                        who: str = ""):
    """The chain board of the actor's own municipality (or another's, or an unknown one),
    its improvement actions or its minutes (steering.board_actions.target); the actor's
    organisation of `kind`, or the front door (`who`, as the front door's rows)."""

    def build(s: Scene):
        from jeugdketen.steering.board_actions import target

        actor = _front_door_actor(s, who) if who else s.actor(kind=kind)
        prof = getattr(s, "professional", None)
        municipality = (prof.organisation.municipality if prof is not None and place == "own"
                        else f.MunicipalityFactory())
        known = None if place == "unknown" else municipality.code
        return actor, target(data, known, "" if data is Data.STEERING_BOARD else "17")

    return build


def _insight_situation(data: Data, kind: str = "municipality", place: str = "own",
                       level: str = "GM", who: str = ""):
    """The figures of an area (`level` GM, WK or BU) of the actor's own municipality (or of
    another one, or an unknown area), or the municipality's publication settings; the
    actor's organisation of `kind`, or the front door (`who`, as the front door's rows)."""

    def build(s: Scene):
        from jeugdketen.insight.selectors import insight_target, settings_target

        actor = _front_door_actor(s, who) if who else s.actor(kind=kind)
        prof = getattr(s, "professional", None)
        municipality = (prof.organisation.municipality if prof is not None and place == "own"
                        else f.MunicipalityFactory())
        district = f.DistrictFactory(municipality=municipality)
        area = {"GM": municipality.code, "WK": district.code,
                "BU": f.NeighbourhoodFactory(district=district).code}[level]
        known = None if place == "unknown" else municipality.code
        if data is Data.INSIGHT_SETTINGS:
            return actor, settings_target(known)
        return actor, insight_target(area, known)

    return build


def _steering_time_situation(data: Data, what: str, kind: str = "municipality",
                             place: str = "own"):
    """steer-time (issue 13): `own` the actor's own time answer or survey response (the
    actor of a neighbourhood team), `other` another professional's; `figures` the figures
    (or teams' neighbourhoods) of the municipality of the actor's organisation of `kind`
    (or of another municipality)."""

    def build(s: Scene):
        from jeugdketen.access.policy.target import Scope as PolicyScope

        if what in ("own", "other"):
            actor = s.actor(kind="neighbourhood_team")
            prof = getattr(s, "professional", None)
            mine = prof.pk if prof is not None else f.ProfessionalFactory().pk
            who = mine if what == "own" else f.ProfessionalFactory().pk
            return actor, Target(data, object_id=str(who))
        actor = s.actor(kind=kind)
        prof = getattr(s, "professional", None)
        municipality = (prof.organisation.municipality if prof is not None and place == "own"
                        else f.MunicipalityFactory())
        return actor, Target(data, object_id=municipality.code,
                             scope=PolicyScope(municipality_id=municipality.code))

    return build


def _simulation_situation(kind: str = "municipality", place: str = "own"):
    """A what-if simulation run of the actor's own municipality (or of another one, or of
    none), the actor's organisation of `kind`."""

    def build(s: Scene):
        from jeugdketen.access.policy.target import Scope as TargetScope

        actor = s.actor(kind=kind)
        prof = getattr(s, "professional", None)
        municipality = (prof.organisation.municipality if prof is not None and place == "own"
                        else f.MunicipalityFactory())
        known = None if place == "unknown" else municipality.code
        return actor, Target(Data.SIMULATION, object_id="1",
                             scope=TargetScope(municipality_id=known))

    return build


@dataclass(frozen=True)
class IntakeConsentCase:
    """The front door's consent (category `intake`, for no plan) of a child of 8 (or `age`)
    living with a parent, for an organisation, and the actor in one position towards it:

    front-door / front-door-team / front-door-other: the front door of the municipality of
    a care report about the child (`about` the child or the household; `step` open or
    closed; `report` False: no report at all) or of another one; no-front-role: the
    municipality's professional without the role; invited: the actor's organisation is
    invited to the report's intake and the consent is its own; family:<child|parent>:
    the citizen is that member (`brp` False: the household was typed, no custody in the
    BRP). `categories` other than ["intake"]: a plan's categories without a plan."""

    who: str
    about: str = "person"  # person | household
    step: str = "triaged"
    report: bool = True
    age: tuple[int, int] = (8, 0)
    brp: bool = True
    categories: tuple[str, ...] = ("intake",)

    def __call__(self, s: Scene) -> tuple[Actor, Target]:
        from datetime import timedelta

        from django.utils import timezone

        from jeugdketen.access.models import Consent
        from jeugdketen.intake.models import CareReport, IntakeMeeting, Invitation

        parent, kid = adult(), child(self.age[0], days_after_birthday=self.age[1])
        household = f.make_household(parents=[parent], children=[kid], brp=self.brp)
        persons = {"parent": parent, "child": kid}
        me = persons[self.who.split(":", 1)[1]] if self.who.startswith("family:") else None
        actor = _front_door_actor(s, self.who, person=me)
        prof = getattr(s, "professional", None)
        local = self.who != "front-door-other" and prof is not None
        municipality = prof.organisation.municipality if local else f.MunicipalityFactory()
        organisation = (prof.organisation if (self.who == "invited" and prof is not None)
                        else f.OrganisationFactory(kind="youth_care_provider"))
        if self.report:
            by_household = self.about == "household"
            report = CareReport.objects.create(
                municipality=municipality, person=None if by_household else kid,
                household=household if by_household else None, reporter_kind="professional",
                urgency="regular", question="Zorgen over school", step=self.step)
            starts = timezone.now() + timedelta(days=7)
            meeting = IntakeMeeting.objects.create(
                report=report, starts_at=starts, ends_at=starts + timedelta(hours=1),
                location="Wijkcentrum", planned_by=f.ProfessionalFactory(roles=["front_door"]))
            Invitation.objects.create(meeting=meeting, organisation=organisation,
                                      status="invited")
        consent = Consent.objects.create(
            person=kid, plan=None, organisation=organisation, categories=list(self.categories),
            valid_from=timezone.localdate(), recorded_by=f.UserFactory())
        return actor, Target(Data.CONSENT, person=kid, object_id=str(consent.pk),
                             record=consent)


IC = IntakeConsentCase


R = ReportCase
CR, IN = Data.CARE_REPORT, Data.INTAKE


P = PlanCase
CONSENT_PLAN = Grant(categories=("plan",))
TEAM = "team"


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
    "base/household-parent-no-custody": _custody_situation("household-parent-no-custody"),
    "base/custody-other-household": _custody_situation("custody-other-household"),
    "base/brp-parent-no-custody": _custody_situation("brp-parent-no-custody"),
    "correction/open": _with_correction(Data.CORRECTION, "open"),
    "correction/none-open": _with_correction(Data.CORRECTION, "rejected"),
    "correction/other-municipality": _with_correction(Data.CORRECTION, "open"),
    "base/open-correction-other-municipality": _with_correction(Data.BASE_DATA, "open"),
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
    "admin/kind-change": lambda s: _organisation(s, new_kind="school", kind_change=True),
    "admin/statutory-kind": lambda s: _organisation(s, new_kind="veilig_thuis"),
    "admin/care-kind": lambda s: _organisation(s, new_kind="youth_care_provider"),
    "decisionaid/version": lambda s: (s.actor(), Target(Data.DECISION_AID, object_id="meldcode")),
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
    "appointment/involved-overdue": _match_situation("involved-overdue", Data.APPOINTMENT),
    "appointment/municipality-overdue": _match_situation("municipality-overdue",
                                                         Data.APPOINTMENT),
    "appointment/municipality-in-time": _match_situation("municipality-in-time",
                                                         Data.APPOINTMENT),
    "accesslog/other-municipality": lambda s: (s.actor(), Target(Data.ACCESS_LOG, person=adult())),
    "rights/other-municipality": lambda s: (s.actor(), Target(Data.RIGHTS_REQUEST, person=adult())),
    # --- issue 4 ---
    "plan/start-registered-all": _start_situation("registered-all"),
    "plan/start-registered-some": _start_situation("registered-some"),
    "plan/start-consent-registered-all": _start_situation("consent-registered-all"),
    "plan/start-consent-registered-some": _start_situation("consent-registered-some"),
    "plan/start-consent-no-givers": _start_situation("consent-no-givers"),
    "plan/team-consent-other-plan": P(Data.PLAN, TEAM, (Grant(other_plan=True),)),
    "plan/family-unconfirmed-member": P(Data.PLAN, "family:parent", brp=False),
    "plan/start-match-coordinator": _start_situation("match-coordinator"),
    "plan/start-match-proposed": _start_situation("match-proposed"),
    "plan/start-match-closed": _start_situation("match-closed"),
    "plan/start-match-other-household": _start_situation("match-other-household"),
    "plan/start-match-of-other": _start_situation("match-of-other"),
    "plan/coordinator-open": P(Data.PLAN, "coordinator"),
    "plan/coordinator-closed": P(Data.PLAN, "coordinator", closed=True),
    "plan/former-coordinator": P(Data.PLAN, "former"),
    "plan/team-consent": P(Data.PLAN, TEAM, (CONSENT_PLAN,)),
    "plan/team-consent-until-today": P(Data.PLAN, TEAM, (Grant(valid_until=0),)),
    "plan/team-consent-expired": P(Data.PLAN, TEAM, (Grant(valid_until=-1),)),
    "plan/team-consent-not-yet-valid": P(Data.PLAN, TEAM, (Grant(valid_from=1),)),
    "plan/team-consent-withdrawn": P(Data.PLAN, TEAM, (Grant(withdrawn=True),)),
    "plan/team-consent-other-category": P(Data.PLAN, TEAM, (
        Grant(categories=("base_data", "analysis", "evaluations")),)),
    "plan/team-consent-other-organisation": P(Data.PLAN, TEAM, (
        Grant(other_organisation=True),)),
    "plan/team-consent-some-members": P(Data.PLAN, TEAM, (Grant(to=("parent", "youth")),)),
    "plan/team-consent-closed-plan": P(Data.PLAN, TEAM, (CONSENT_PLAN,), closed=True),
    "plan/team-legal-basis": P(Data.PLAN, TEAM, (Grant("legal"),)),
    "plan/team-legal-basis-expired": P(Data.PLAN, TEAM, (Grant("legal", valid_until=-1),)),
    "plan/team-legal-basis-ended": P(Data.PLAN, TEAM, (Grant("legal", withdrawn=True),)),
    "plan/team-legal-basis-not-yet-valid": P(Data.PLAN, TEAM, (Grant("legal", valid_from=1),)),
    "plan/team-legal-basis-and-consent": P(Data.PLAN, TEAM, (
        Grant("legal", to=("child",)), Grant(to=("parent", "youth")))),
    "plan/team-left": P(Data.PLAN, "team-left", (CONSENT_PLAN,)),
    "plan/colleague-not-in-team": P(Data.PLAN, "colleague", (CONSENT_PLAN,)),
    "plan/family-parent": P(Data.PLAN, "family:parent"),
    "plan/family-youth-16-today": P(Data.PLAN, "family:youth", youth=(16, 0)),
    "plan/family-youth-15": P(Data.PLAN, "family:youth", youth=(16, -1)),
    "plan/family-closed": P(Data.PLAN, "family:parent", closed=True),
    "plan/parent-other-household": P(Data.PLAN, "parent-elsewhere"),
    "team/coordinator-open": P(Data.TEAM, "coordinator"),
    "team/team-consent": P(Data.TEAM, TEAM, (CONSENT_PLAN,)),
    "team/family-parent": P(Data.TEAM, "family:parent"),
    "team/join-consent": P(Data.TEAM, "nobody", (CONSENT_PLAN,)),
    "team/join-legal-basis": P(Data.TEAM, "nobody", (Grant("legal"),)),
    "team/join-legal-basis-some-members": P(Data.TEAM, "nobody", (Grant("legal", to=("child",)),)),
    "team/join-closed-plan": P(Data.TEAM, "nobody", (Grant("legal"),), closed=True),
    "evaluation/coordinator-open": P(Data.EVALUATION, "coordinator"),
    "evaluation/coordinator-closed": P(Data.EVALUATION, "coordinator", closed=True),
    "evaluation/team-consent-plan-only": P(Data.EVALUATION, TEAM, (CONSENT_PLAN,)),
    "evaluation/team-consent-evaluations": P(Data.EVALUATION, TEAM, (
        Grant(categories=("evaluations",)),)),
    "evaluation/family-parent": P(Data.EVALUATION, "family:parent"),
    "evaluation/family-youth-15": P(Data.EVALUATION, "family:youth", youth=(16, -1)),
    "approval/coordinator-open": P(Data.APPROVAL, "coordinator"),
    "approval/coordinator-closed": P(Data.APPROVAL, "coordinator", closed=True),
    "approval/team-consent": P(Data.APPROVAL, TEAM, (Grant(categories=ALL_CATEGORIES),)),
    "approval/family-parent": P(Data.APPROVAL, "family:parent"),
    "approval/family-youth-16-today": P(Data.APPROVAL, "family:youth", youth=(16, 0)),
    "approval/family-youth-15": P(Data.APPROVAL, "family:youth", youth=(16, -1)),
    "approval/family-closed": P(Data.APPROVAL, "family:parent", closed=True),
    "comment/coordinator-open": P(Data.COMMENT, "coordinator"),
    "comment/team-consent": P(Data.COMMENT, TEAM, (CONSENT_PLAN,)),
    "comment/team-consent-closed-plan": P(Data.COMMENT, TEAM, (CONSENT_PLAN,), closed=True),
    "comment/team-consent-other-category": P(Data.COMMENT, TEAM, (
        Grant(categories=("evaluations",)),)),
    "comment/family-parent": P(Data.COMMENT, "family:parent"),
    "comment/family-closed": P(Data.COMMENT, "family:parent", closed=True),
    "analysis/coordinator": P(Data.ANALYSIS, "coordinator", about="child"),
    "analysis/coordinator-closed": P(Data.ANALYSIS, "coordinator", about="child", closed=True),
    "analysis/former-coordinator": P(Data.ANALYSIS, "former", about="child"),
    "analysis/self": P(Data.ANALYSIS, "family:parent", about="parent"),
    "analysis/parent-child-8": P(Data.ANALYSIS, "family:parent", about="child"),
    "analysis/parent-youth-16-today": P(Data.ANALYSIS, "family:parent", about="youth",
                                        youth=(16, 0)),
    "analysis/youth-16-sees-parent": P(Data.ANALYSIS, "family:youth", about="parent",
                                       youth=(16, 0)),
    "analysis/parent-other-household": P(Data.ANALYSIS, "parent-elsewhere", about="child"),
    "analysis/team-consent-this-person": P(Data.ANALYSIS, TEAM, (
        Grant(categories=("analysis",), to=("child",)),), about="child"),
    "analysis/team-consent-other-person": P(Data.ANALYSIS, TEAM, (
        Grant(categories=("analysis",), to=("parent", "youth")),), about="child"),
    "analysis/team-consent-no-analysis": P(Data.ANALYSIS, TEAM, (
        Grant(categories=("base_data", "plan", "evaluations")),), about="child"),
    "analysis/team-consent-withdrawn": P(Data.ANALYSIS, TEAM, (
        Grant(categories=("analysis",), withdrawn=True),), about="child"),
    "analysis/team-legal-basis": P(Data.ANALYSIS, TEAM, (Grant("legal", to=("child",)),),
                                   about="child"),
    "analysis/team-left": P(Data.ANALYSIS, "team-left", (
        Grant(categories=("analysis",)),), about="child"),
    "analysis/colleague-not-in-team": P(Data.ANALYSIS, "colleague", (
        Grant(categories=("analysis",)),), about="child"),
    "base/plan-coordinator": P(Data.BASE_DATA, "coordinator", about="child"),
    "base/plan-coordinator-closed": P(Data.BASE_DATA, "coordinator", about="child", closed=True),
    "base/plan-former-coordinator": P(Data.BASE_DATA, "former", about="child"),
    "base/plan-team-consent": P(Data.BASE_DATA, TEAM, (
        Grant(categories=("base_data",), to=("child",)),), about="child"),
    "base/plan-team-consent-plan-only": P(Data.BASE_DATA, TEAM, (CONSENT_PLAN,), about="child"),
    "base/plan-team-consent-other-person": P(Data.BASE_DATA, TEAM, (
        Grant(categories=("base_data",), to=("parent", "youth")),), about="child"),
    "base/plan-team-consent-expired": P(Data.BASE_DATA, TEAM, (
        Grant(categories=("base_data",), valid_until=-1),), about="child"),
    "base/plan-team-legal-basis": P(Data.BASE_DATA, TEAM, (Grant("legal", to=("child",)),),
                                    about="child"),
    "base/plan-team-left": P(Data.BASE_DATA, "team-left", (
        Grant(categories=("base_data",)),), about="child"),
    "base/plan-colleague-not-in-team": P(Data.BASE_DATA, "colleague", (
        Grant(categories=("base_data",)),), about="child"),
    "base/plan-youth-16-sees-parent": P(Data.BASE_DATA, "family:youth", about="parent",
                                        youth=(16, 0)),
    "household/plan-coordinator": P(Data.HOUSEHOLD, "coordinator"),
    "household/plan-former-coordinator": P(Data.HOUSEHOLD, "former"),
    "household/plan-team-consent": P(Data.HOUSEHOLD, TEAM, (Grant(categories=("base_data",)),)),
    "household/plan-team-consent-some": P(Data.HOUSEHOLD, TEAM, (
        Grant(categories=("base_data",), to=("parent", "child")),)),
    "household/plan-team-consent-plan-only": P(Data.HOUSEHOLD, TEAM, (CONSENT_PLAN,)),
    "household/plan-team-legal-basis": P(Data.HOUSEHOLD, TEAM, (Grant("legal"),)),
    "household/plan-team-left": P(Data.HOUSEHOLD, "team-left", (
        Grant(categories=("base_data",)),)),
    "consent/coordinator": P(Data.CONSENT, "coordinator", about="child"),
    "consent/coordinator-closed-plan": P(Data.CONSENT, "coordinator", about="child", closed=True),
    "consent/former-coordinator": P(Data.CONSENT, "former", about="child"),
    "consent/team-member": P(Data.CONSENT, TEAM, (Grant(categories=ALL_CATEGORIES),),
                             about="child"),
    "consent/self-16-today": P(Data.CONSENT, "family:youth", about="youth", youth=(16, 0)),
    "consent/self-14": P(Data.CONSENT, "family:youth", about="youth"),
    "consent/parent-child-8": P(Data.CONSENT, "family:parent", about="child"),
    "consent/parent-youth-15": P(Data.CONSENT, "family:parent", about="youth", youth=(16, -1)),
    "consent/parent-youth-16-today": P(Data.CONSENT, "family:parent", about="youth",
                                       youth=(16, 0)),
    "consent/parent-other-household": P(Data.CONSENT, "parent-elsewhere", about="child"),
    "consent/other-municipality": P(Data.CONSENT, "nobody", about="child"),
    "consent/coordinator-other-plan": P(Data.CONSENT, "coordinator", about="child",
                                        consent_of="other-plan"),
    "consent/parent-without-custody": P(Data.CONSENT, "family:parent", about="child", brp=False),
    "legalbasis/own-organisation-registered": P(
        Data.LEGAL_BASIS, "nobody", about="child", registered=("child",),
        organisation=(("kind", "certified_institution"),)),
    "legalbasis/own-organisation-not-registered": P(
        Data.LEGAL_BASIS, "nobody", about="child", organisation=(("kind", "certified_institution"),)),
    "legalbasis/other-organisation-registered": P(
        Data.LEGAL_BASIS, "nobody", about="child", registered=("child",), basis_of="other",
        organisation=(("kind", "certified_institution"),)),
    "legalbasis/school-grants-itself": P(
        Data.LEGAL_BASIS, "nobody", about="child", registered=("child",),
        organisation=(("kind", "school"),), basis_kind="veilig_thuis"),
    "legalbasis/coordinator": P(Data.LEGAL_BASIS, "coordinator", about="child", basis_of="other"),
    "legalbasis/coordinator-closed-plan": P(Data.LEGAL_BASIS, "coordinator", about="child",
                                            basis_of="other", closed=True),
    "legalbasis/self": P(Data.LEGAL_BASIS, "family:parent", about="parent", basis_of="other"),
    "legalbasis/parent-child-8": P(Data.LEGAL_BASIS, "family:parent", about="child",
                                   basis_of="other"),
    "legalbasis/other-municipality": P(Data.LEGAL_BASIS, "nobody", about="child",
                                       basis_of="other"),
    "legalbasis/own-organisation-in-team": P(
        Data.LEGAL_BASIS, TEAM, (Grant(categories=("base_data",), to=("child",)),),
        about="child", organisation=(("kind", "certified_institution"),)),
    "consent/intake-front-door": IC("front-door"),
    "consent/intake-front-door-team": IC("front-door-team"),
    "consent/intake-front-door-household-report": IC("front-door", about="household"),
    "consent/intake-front-door-closed-report": IC("front-door", step="closed"),
    "consent/intake-front-door-no-report": IC("front-door", report=False),
    "consent/intake-front-door-other-municipality": IC("front-door-other"),
    "consent/intake-without-front-door-role": IC("no-front-role"),
    "consent/intake-invited-organisation": IC("invited"),
    "consent/intake-parent-child-8": IC("family:parent"),
    "consent/intake-self-16-today": IC("family:child", age=(16, 0)),
    "consent/intake-parent-without-custody": IC("family:parent", brp=False),
    "consent/intake-plan-category-without-plan": IC("front-door", categories=("plan",)),
    "report/front-door-municipality": R(CR, "front-door"),
    "report/front-door-neighbourhood-team": R(CR, "front-door-team"),
    "report/front-door-other-municipality": R(CR, "front-door-other"),
    "report/without-front-door-role": R(CR, "no-front-role"),
    "report/invited-intake-consent": R(CR, "invited", invitation="invited", grants=("intake",)),
    "report/invited-legal-basis": R(CR, "invited", invitation="accepted", grants=("legal",)),
    "report/invited-no-consent": R(CR, "invited", invitation="invited"),
    "report/invited-declined": R(CR, "invited", invitation="declined", grants=("intake",)),
    "report/invited-replaced": R(CR, "invited", invitation="replaced", grants=("intake",)),
    "report/invited-plan-consent-only": R(CR, "invited", invitation="invited", grants=("plan",)),
    "report/invited-consent-some-members": R(CR, "invited", about="household",
                                             invitation="invited", grants=("intake",)),
    "report/not-invited-intake-consent": R(CR, "invited", grants=("intake",)),
    "report/reporter": R(CR, "reporter", registered=True),
    "report/reporter-not-registered": R(CR, "reporter"),
    "report/reporter-invited-no-consent": R(CR, "reporter", registered=True,
                                            invitation="invited"),
    "report/colleague-of-reporter": R(CR, "reporter-colleague", registered=True),
    "report/custody-holder-child-8": R(CR, "family:parent"),
    "report/youth-16-today": R(CR, "family:child", age=(16, 0)),
    "report/youth-14": R(CR, "family:child", age=(14, 0)),
    "report/parent-youth-16-today": R(CR, "family:parent", age=(16, 0)),
    "report/household-parent": R(CR, "family:parent", about="household"),
    "report/household-housemate": R(CR, "family:housemate", about="household"),
    "report/public-form": R(CR, "public"),
    "report/privacy-officer-own-municipality": R(CR, "local"),
    "intake/front-door-municipality": R(IN, "front-door"),
    "intake/invited-no-consent": R(IN, "invited", invitation="invited"),
    "intake/invited-intake-consent": R(IN, "invited", invitation="accepted", grants=("intake",)),
    "intake/invited-declined": R(IN, "invited", invitation="declined", grants=("intake",)),
    "intake/not-invited": R(IN, "invited", grants=("intake",)),
    "intake/reporter": R(IN, "reporter", registered=True),
    "intake/custody-holder-child-8": R(IN, "family:parent"),
    "intake/public-form": R(IN, "public"),
    "plan/start-intake-front-door": _intake_start_situation("front-door"),
    "plan/start-intake-front-door-no-givers": _intake_start_situation("no-givers"),
    "plan/start-intake-other-municipality": _intake_start_situation("other-municipality"),
    "plan/start-intake-coordinator": _intake_start_situation("coordinator"),
    "settings/capacity-front-door": _settings_situation("capacity", "front-door"),
    "settings/capacity-own-organisation": _settings_situation("capacity-own", "",
                                                              kind="youth_care_provider"),
    "settings/capacity-other-municipality": _settings_situation(
        "capacity-own", "", kind="youth_care_provider", place="other"),
    "settings/norms-municipality-organisation": _settings_situation("norms", ""),
    "settings/norms-other-organisation": _settings_situation("norms", "",
                                                             kind="youth_care_provider"),
    "settings/norms-front-door-team": _settings_situation("norms", "front-door-team"),
    "settings/norms-other-municipality": _settings_situation("norms", "front-door",
                                                             place="other"),
    "insight/municipality": _insight_situation(Data.INSIGHT),
    "insight/municipality-district": _insight_situation(Data.INSIGHT, level="WK"),
    "insight/municipality-neighbourhood": _insight_situation(Data.INSIGHT, level="BU"),
    "insight/provider-organisation": _insight_situation(Data.INSIGHT, kind="youth_care_provider"),
    "insight/neighbourhood-team": _insight_situation(Data.INSIGHT, kind="neighbourhood_team",
                                                     level="BU"),
    "insight/other-municipality": _insight_situation(Data.INSIGHT, place="other", level="BU"),
    "insight/unknown-area": _insight_situation(Data.INSIGHT, place="unknown", level="BU"),
    "insight/front-door": _insight_situation(Data.INSIGHT, who="front-door", level="BU"),
    "insight/front-door-team": _insight_situation(Data.INSIGHT, who="front-door-team"),
    "insight/front-door-other-municipality": _insight_situation(
        Data.INSIGHT, who="front-door", place="other"),
    "insightsettings/municipality": _insight_situation(Data.INSIGHT_SETTINGS),
    "insightsettings/front-door": _insight_situation(Data.INSIGHT_SETTINGS, who="front-door"),
    "insightsettings/provider-organisation": _insight_situation(
        Data.INSIGHT_SETTINGS, kind="youth_care_provider"),
    "simulation/municipality": _simulation_situation(),
    "simulation/provider-organisation": _simulation_situation(kind="youth_care_provider"),
    "simulation/neighbourhood-team": _simulation_situation(kind="neighbourhood_team"),
    "simulation/other-municipality": _simulation_situation(place="other"),
    "simulation/unknown-municipality": _simulation_situation(place="unknown"),
    "insightsettings/other-municipality": _insight_situation(Data.INSIGHT_SETTINGS,
                                                             place="other"),
    # steer-time (issue 13): the own time answer and survey response, the figures.
    "timeanswer/own": _steering_time_situation(Data.TIME_ANSWER, "own"),
    "timeanswer/other-professional": _steering_time_situation(Data.TIME_ANSWER, "other"),
    "timeanswer/figures": _steering_time_situation(Data.TIME_ANSWER, "figures"),
    "timeanswer/figures-team": _steering_time_situation(Data.TIME_ANSWER, "figures",
                                                        kind="neighbourhood_team"),
    "timeanswer/figures-other-municipality": _steering_time_situation(
        Data.TIME_ANSWER, "figures", place="other"),
    "survey/own": _steering_time_situation(Data.SURVEY, "own"),
    "survey/other-professional": _steering_time_situation(Data.SURVEY, "other"),
    "survey/figures": _steering_time_situation(Data.SURVEY, "figures"),
    "survey/figures-other-municipality": _steering_time_situation(Data.SURVEY, "figures",
                                                                  place="other"),
    "teamareas/municipality": _steering_time_situation(Data.TEAM_AREAS, "figures"),
    "teamareas/neighbourhood-team": _steering_time_situation(Data.TEAM_AREAS, "figures",
                                                             kind="neighbourhood_team"),
    "teamareas/other-municipality": _steering_time_situation(Data.TEAM_AREAS, "figures",
                                                             place="other"),
    # The chain board (issue 13, steer-board): the board, its actions and minutes.
    **{f"{prefix}/{name}": _steering_situation(data, **kw)
       for prefix, data in (("steeringboard", Data.STEERING_BOARD),
                            ("steeringaction", Data.STEERING_ACTION),
                            ("steeringminutes", Data.STEERING_MINUTES))
       for name, kw in (("municipality", {}),
                        ("provider-organisation", {"kind": "youth_care_provider"}),
                        ("neighbourhood-team", {"kind": "neighbourhood_team"}),
                        ("other-municipality", {"place": "other"}),
                        ("unknown-municipality", {"place": "unknown"}),
                        ("front-door", {"who": "front-door"}),
                        ("front-door-team", {"who": "front-door-team"}),
                        ("front-door-other-municipality", {"who": "front-door",
                                                           "place": "other"}))
       if f"{prefix}/{name}" in EXPECTED},
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
    assert target.data in Data.values  # the vocabulary has a label for each code logged
    for d in decisions.values():
        if d.allowed:
            assert d.ground in Ground.values and d.role in Role.values, d
        if not d.allowed:
            assert d.ground == "" and d.reason, "a denial says why"
        elif d.emergency:
            assert d.reason == REASON, "the written reason goes to the log"


# --- the table itself ------------------------------------------------------------------


def test_table_covers_every_situation_role_action_and_ground():
    assert set(EXPECTED) == set(SITUATIONS)
    kinds = {name.split("/")[0] for name in EXPECTED}
    assert kinds == {"base", "correction", "household", "accesslog", "breakglass", "admin",
                     "signal", "match", "appointment", "guide", "rights", "plan", "team", "evaluation",
                     "approval", "comment", "analysis", "consent", "legalbasis", "decisionaid",
                     "report", "intake", "settings", "insight", "insightsettings",
                     "timeanswer", "survey", "teamareas", "simulation",
                     "steeringboard", "steeringaction", "steeringminutes"}
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
    # Their only ground: the municipality's figures (no person in them) and its settings;
    # the time and survey figures per team and the teams' neighbourhoods (issue 13).
    assert all(row["municipal_analyst"] == "-" for situation, row in EXPECTED.items()
               if not situation.startswith(("insight/", "insightsettings/",
                                            "timeanswer/figures", "survey/figures",
                                            "teamareas/", "simulation/", "steeringboard/",
                                            "steeringaction/", "steeringminutes/")))


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
