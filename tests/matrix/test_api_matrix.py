"""Every operation of the JSON API, called as every actor of the world (see world.py),
compared with the table below. The table is written from the rules (the access policy's
docstring, tests/access/test_policy_table.py's docstring and the BRP design), not from the code:

- administration: the platform administrator creates organisations and professionals,
  issues activation codes, configures municipalities and adds product codes; a
  functional administrator does so only within their own municipality and never with a
  privileged role;
- registration: professionals and coordinators (the care roles) register persons; a
  household needs a registration of every member; base data are read on registration,
  on a plan ground (coordinator; care team with consent), by the person or a custody
  holder (BRP) for a child under 16, and by the functional administrator of the person's
  municipality while a report back to the BRP is open; never by the privacy officer, an
  analyst or a platform administrator;
- access log and rights: the privacy officer of the person's municipality, and the person
  (or custody holder) for the access overview; rights requests and the rights report are
  the privacy officer's alone;
- consent: given by the family (the custody holder for a child under 12) or recorded by
  the plan's coordinator, withdrawn by the same two; a legal basis only by a professional
  of the organisation that holds it (never the coordinator for Veilig Thuis);
- reference index: a care professional of an organisation that may signal signals on a
  youth they registered; their own organisation's active signals they withdraw and
  extend; a match is read and updated by the professionals whose active signal is in it
  and, when the agreement is overdue, by the municipality's coordinator, who alone then
  APPOINTS a coordinator (the involved agree: one proposes, another accepts);
- decision aids: the care roles, in their own organisation;
- plans: a plan starts from a COORDINATED match by its agreed coordinator, or on the
  family's consent (who registered every member); the coordinator changes the open plan; the care team
  with consent and the family (from 16, BRP-verified member) read it; the family approves;
  a professional joins the team themselves only on their organisation's consent for this
  plan or legal basis for every member (the coordinator and the team are in it already:
  409; nobody else of the world has such a ground);
- lists (own signals, own matches, the aids, the municipalities) answer every token holder
  with what is theirs; a neighbourhood is public reference data;
- the front door (issue 11): a care report is the municipality's front door's (role
  `front_door` at the municipality or one of its neighbourhood teams: every action), an
  invited organisation's with the family's consent `intake` for every person it is about
  or a legal basis (it reads; it answers its own invitation, also without consent), the
  family's (a custody holder of a child under 16, the person from 16: read and hand one
  in); the reporting professional reads its status only; a care professional hands one in
  about a person they have a ground for; anybody hands one in on the public endpoint and
  reads nothing back; the queue is the front door's of that municipality;
- insight (issue 12): the figures of an area of the own municipality are its analyst's, its
  coordinator's (of the municipality itself) and its front door's; another municipality's
  area answers as an unknown one (404);
- simulation (issue 13): the municipality's analyst runs a what-if simulation; its analyst
  and coordinator read a run; a run of another municipality answers as an unknown one;
- citizens have no API token in the web (only professionals make tokens); the matrix
  gives them one made through the action, to show that the API's answers then follow
  the same rules.

Every denied answer is problem details without the name, BSN or birth date of anybody;
every allowed answer shows only persons the actor has a ground for (harness.VISIBLE).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from .harness import (
    ID_PARAMS,
    PROBLEM,
    VISIBLE,
    Spec,
    api_class,
    api_operations,
    call_api,
    cases,
    expected_api,
    fill,
    leaks,
    parse,
    path_values,
    uncovered,
    unknown_cases,
)
from .world import LEVELS, TEACHER_PHONE, World

TABLE = """
route                                                     | prof | teach | out | coord | priv | anal | fadm | padm | door | cit | ocit | anon
POST /organisations                                       | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
POST /organisations [B]                                   | -    | -     | -   | -     | -    | -    | -    | Y    | -    | -   | -    | -
POST /professionals                                       | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
POST /professionals [B]                                   | -    | -     | -   | -     | -    | -    | -    | Y    | -    | -   | -    | -
POST /professionals [privileged]                          | -    | -     | -   | -     | -    | -    | -    | Y    | -    | -   | -    | -
POST /professionals/{professional_id}/activation-code     | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
POST /professionals/{professional_id}/activation-code [B] | -    | -     | -   | -     | -    | -    | -    | Y    | -    | -   | -    | -
GET /municipalities                                       | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | -
PATCH /municipalities/{code}                              | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
PATCH /municipalities/{code} [B]                          | -    | -     | -   | -     | -    | -    | -    | Y    | -    | -   | -    | -
POST /municipalities/{code}/product-codes                 | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
POST /municipalities/{code}/product-codes [B]             | -    | -     | -   | -     | -    | -    | -    | Y    | -    | -   | -    | -
GET /neighbourhoods/{code}                                | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | Y
POST /persons                                             | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
GET /persons/{person_id}                                  | Y    | Y     | -   | -     | -    | -    | Y    | -    | -    | Y   | -    | -
GET /persons/{person_id} [sister]                         | Y    | Y     | -   | -     | -    | -    | -    | -    | -    | Y   | -    | -
GET /persons/{person_id} [B]                              | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | Y    | -
POST /households                                          | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /persons/{person_id}/access-log                       | -    | -     | -   | -     | Y    | -    | -    | -    | -    | Y   | -    | -
GET /persons/{person_id}/access-log [B]                   | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | Y    | -
POST /consents                                            | Y    | -     | -   | -     | -    | -    | -    | -    | -    | Y   | -    | -
POST /consents/{consent_id}/withdraw                      | Y    | -     | -   | -     | -    | -    | -    | -    | -    | Y   | -    | -
POST /legal-bases                                         | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /signals                                             | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /signals                                              | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | -
POST /signals/{signal_id}/withdraw                        | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /signals/{signal_id}/extend                          | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /matches                                              | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | -
GET /matches/{match_id}                                   | Y    | Y     | -   | Y     | -    | -    | -    | -    | -    | -   | -    | -
POST /matches/{match_id}/coordinator                      | Y    | Y     | -   | Y     | -    | -    | -    | -    | -    | -   | -    | -
POST /matches/{match_id}/coordinator/accept               | 409  | Y     | -   | Y     | -    | -    | -    | -    | -    | -   | -    | -
POST /matches/{match_id}/coordinator/appoint              | -    | -     | -   | Y     | -    | -    | -    | -    | -    | -   | -    | -
GET /persons/{person_id}/rights-report                    | -    | -     | -   | -     | Y    | -    | -    | -    | -    | -   | -    | -
GET /persons/{person_id}/rights-report [B]                | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /persons/{person_id}/rights-requests                 | -    | -     | -   | -     | Y    | -    | -    | -    | -    | -   | -    | -
POST /rights-requests/{request_id}/answer                 | -    | -     | -   | -     | Y    | -    | -    | -    | -    | -   | -    | -
GET /guides                                               | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | -
POST /guides/{slug}/sessions                              | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
POST /plans                                               | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /plans [consent]                                     | 409  | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /plans/{plan_id}                                      | Y    | Y     | -   | -     | -    | -    | -    | -    | -    | Y   | -    | -
GET /plans/{plan_id} [B]                                  | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | Y    | -
POST /plans/{plan_id}/goals                               | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /plans/{plan_id}/actions                             | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /plans/{plan_id}/actions/{action_id}/done            | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /plans/{plan_id}/team                                | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /plans/{plan_id}/join                                | 409  | 409   | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /plans/{plan_id}/evaluations                         | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /plans/{plan_id}/close                               | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /plans/{plan_id}/versions                            | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /plans/{plan_id}/versions/{number}/approve           | Y    | -     | -   | -     | -    | -    | -    | -    | -    | Y   | -    | -
POST /plans/{plan_id}/analyses                            | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
# front door (issue 11): the municipality's front door does everything; an invited
# organisation with the family's consent `intake` reads (`out`), without it (`prof`, whose
# team holds the plan's consent only) not; the reporter (`teach`) reads the status; the
# family reads its own report; the public hands one in and reads nothing back.
POST /care-reports                                        | Y    | Y     | -   | -     | -    | -    | -    | -    | Y    | Y   | -    | -
POST /care-reports [B]                                    | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | Y    | -
GET /care-reports/{report_id}                             | -    | Y     | Y   | -     | -    | -    | -    | -    | Y    | Y   | -    | -
GET /care-reports/{report_id} [new]                       | -    | -     | -   | -     | -    | -    | -    | -    | Y    | Y   | -    | -
GET /care-reports/{report_id} [held]                      | -    | Y     | Y   | -     | -    | -    | -    | -    | Y    | Y   | -    | -
GET /care-reports/{report_id} [B]                         | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | Y    | -
POST /care-reports/{report_id}/triage                     | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
POST /care-reports/{report_id}/triage [triaged]           | -    | -     | -   | -     | -    | -    | -    | -    | 409  | -   | -    | -
POST /care-reports/{report_id}/triage [B]                 | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /care-reports/{report_id}/intakes                    | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
POST /intakes/{meeting_id}/invitations/{organisation_id}/answer | - | -   | Y   | -     | -    | -    | -    | -    | Y    | -   | -    | -
POST /intakes/{meeting_id}/invitations/{organisation_id}/answer [team] | Y | - | - | -   | -    | -    | -    | -    | Y    | -   | -    | -
POST /intakes/{meeting_id}/held                           | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
POST /intakes/{meeting_id}/held [joint]                   | -    | -     | -   | -     | -    | -    | -    | -    | 409  | -   | -    | -
POST /intakes/{meeting_id}/outcome                        | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
POST /intakes/{meeting_id}/outcome [held]                 | -    | -     | -   | -     | -    | -    | -    | -    | 409  | -   | -    | -
GET /queue                                                | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
GET /queue [own]                                          | -    | -     | -   | -     | -    | -    | -    | -    | Y    | 422 | 422  | -
GET /queue [B]                                            | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
# insight (issue 12): the figures of the municipality's own areas (no person in them) for its
# analyst, its coordinator (of the municipality itself) and its front door; another
# municipality's area answers as an unknown one (404).
GET /insight/kpis                                         | -    | -     | -   | Y     | -    | Y    | -    | -    | Y    | -   | -    | -
GET /insight/kpis [B]                                     | -    | -     | -   | 404   | -    | 404  | -    | -    | 404  | -   | -    | -
GET /insight/value-stream                                 | -    | -     | -   | Y     | -    | Y    | -    | -    | Y    | -   | -    | -
GET /insight/value-stream [B]                             | -    | -     | -   | 404   | -    | 404  | -    | -    | 404  | -   | -    | -
GET /insight/waiting                                      | -    | -     | -   | Y     | -    | Y    | -    | -    | Y    | -   | -    | -
GET /insight/waiting [B]                                  | -    | -     | -   | 404   | -    | 404  | -    | -    | 404  | -   | -    | -
GET /insight/outcomes                                     | -    | -     | -   | Y     | -    | Y    | -    | -    | Y    | -   | -    | -
GET /insight/outcomes [B]                                 | -    | -     | -   | 404   | -    | 404  | -    | -    | 404  | -   | -    | -
# steer-time (issue 13): the time and survey figures per team (aggregates only) for the
# municipality's analyst and coordinator; the own time answers (mine=1) and answering for
# the care roles, nobody else's.
GET /steering/time                                        | -    | -     | -   | Y     | -    | Y    | -    | -    | -    | -   | -    | -
GET /steering/time [mine]                                 | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
POST /steering/time                                       | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
GET /steering/survey                                      | -    | -     | -   | Y     | -    | Y    | -    | -    | -    | -   | -    | -
# the what-if simulation (issue 13): the municipality's analyst runs it (the world's insight
# store is empty: too few reports, 409), its analyst and coordinator read a run (none in the
# world: 404, as another municipality's); nobody else.
POST /simulations                                         | -    | -     | -   | -     | -    | 409  | -    | -    | -    | -   | -    | -
GET /simulations/{run_id}                                 | -    | -     | -   | 404   | -    | 404  | -    | -    | -    | -   | -    | -
# the chain board (issue 13): the municipality's board and improvement actions, read by its
# analyst, coordinator (of the municipality itself) and front door, written by the first
# two; another municipality answers as an unknown one (404).
GET /steering/board                                       | -    | -     | -   | Y     | -    | Y    | -    | -    | Y    | -   | -    | -
GET /steering/board [B]                                   | -    | -     | -   | 404   | -    | 404  | -    | -    | 404  | -   | -    | -
GET /steering/actions                                     | -    | -     | -   | Y     | -    | Y    | -    | -    | Y    | -   | -    | -
GET /steering/actions [B]                                 | -    | -     | -   | 404   | -    | 404  | -    | -    | 404  | -   | -    | -
POST /steering/actions                                    | -    | -     | -   | Y     | -    | Y    | -    | -    | -    | -   | -    | -
POST /steering/actions [B]                                | -    | -     | -   | 404   | -    | 404  | -    | -    | 404  | -   | -    | -
PATCH /steering/actions/{action_id}                       | -    | -     | -   | Y     | -    | Y    | -    | -    | -    | -   | -    | -
POST /public/care-reports                                 | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | Y
"""
ROWS = parse(TABLE)

# Path parameters and the world's records they name, unless a row says otherwise.
DEFAULT_IDS = {"person_id": "C", "consent_id": "consent", "professional_id": "teach",
               "signal_id": "signal", "match_id": "match", "request_id": "rights_request",
               "slug": "meldrichtlijn", "plan_id": "plan", "action_id": "action",
               "number": "version", "code": "municipality", "report_id": "report",
               "meeting_id": "meeting", "organisation_id": "care"}
PUBLIC = {"GET /neighbourhoods/{code}", "POST /public/care-reports"}


def _steering_action(w: World, municipality: str) -> dict[str, Any]:
    return {"municipality": municipality, "what": "Wachtlijst elke week samen doornemen",
            "owner_organisation": w.ids["care"], "start": _today(), "due": _today(28),
            "kpi": "past_norm", "expected_direction": "down", "expected_amount": 5}


def _today(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


SPECS: dict[str, Spec] = {
    "POST /organisations": Spec(body=lambda w: {
        "name": "Organisatie Matrix", "kind": "school", "municipality_code": w.ids["municipality"]}),
    "POST /organisations [B]": Spec(body=lambda w: {
        "name": "Organisatie Matrix", "kind": "school",
        "municipality_code": w.ids["municipality_b"]}),
    "POST /professionals": Spec(body=lambda w: {
        "organisation_id": w.ids["school"], "username": "matrix.nieuw",
        "full_name": "Nieuwe Collega", "email": "nieuw@example.test", "roles": ["professional"]}),
    "POST /professionals [B]": Spec(body=lambda w: {
        "organisation_id": w.ids["team_b"], "username": "matrix.nieuw",
        "full_name": "Nieuwe Collega", "email": "nieuw@example.test", "roles": ["professional"]}),
    "POST /professionals [privileged]": Spec(body=lambda w: {
        "organisation_id": w.ids["town"], "username": "matrix.nieuw",
        "full_name": "Nieuwe Collega", "email": "nieuw@example.test",
        "roles": ["privacy_officer"]}),
    "POST /professionals/{professional_id}/activation-code [B]": Spec(
        ids={"professional_id": "prof_b"}),
    "PATCH /municipalities/{code}": Spec(body=lambda w: {"min_signal_days": 120}),
    "PATCH /municipalities/{code} [B]": Spec(ids={"code": "municipality_b"},
                                             body=lambda w: {"min_signal_days": 120}),
    "POST /municipalities/{code}/product-codes": Spec(
        body=lambda w: {"code": "matrix-code", "label": "Matrixhulp"}),
    "POST /municipalities/{code}/product-codes [B]": Spec(
        ids={"code": "municipality_b"}, body=lambda w: {"code": "matrix-code",
                                                       "label": "Matrixhulp"}),
    "GET /neighbourhoods/{code}": Spec(ids={"code": "neighbourhood"}),
    "POST /persons": Spec(body=lambda w: w.new_person),
    "GET /persons/{person_id} [sister]": Spec(ids={"person_id": "S"}),
    "GET /persons/{person_id} [B]": Spec(ids={"person_id": "R"}),
    "POST /households": Spec(body=lambda w: {"members": [
        {"person_id": w.ids[k]} for k in ("P", "C", "S")]}),
    "GET /persons/{person_id}/access-log [B]": Spec(ids={"person_id": "R"}),
    "POST /consents": Spec(body=lambda w: {
        "person_id": w.ids["C"], "plan_id": w.ids["plan"], "given_by_person_ids": [w.ids["P"]],
        "organisation_id": w.ids["vt"], "categories": ["plan"]}),
    "POST /legal-bases": Spec(body=lambda w: {
        "person_id": w.ids["C"], "organisation_id": w.ids["vt"], "kind": "veilig_thuis",
        "reference": "VT-MATRIX-2", "valid_until": _today(90)}),
    "POST /signals": Spec(body=lambda w: {"person_id": w.ids["S"], "duration_days": 365}),
    "POST /signals/{signal_id}/withdraw": Spec(body=lambda w: {"reason": "risk_gone"}),
    "POST /signals/{signal_id}/extend": Spec(body=lambda w: {"duration_days": 400}),
    "POST /matches/{match_id}/coordinator": Spec(
        body=lambda w: {"professional_id": w.ids["prof"]}),
    "POST /matches/{match_id}/coordinator/accept": Spec(body=lambda w: {"signals_aligned": True}),
    "POST /matches/{match_id}/coordinator/appoint": Spec(
        body=lambda w: {"professional_id": w.ids["prof"]}),
    "GET /persons/{person_id}/rights-report [B]": Spec(ids={"person_id": "R"}),
    "POST /persons/{person_id}/rights-requests": Spec(
        body=lambda w: {"kind": "copy", "requested_by": "de vader"}),
    "POST /rights-requests/{request_id}/answer": Spec(
        body=lambda w: {"granted": True, "outcome": "Inzage gegeven."}),
    "POST /guides/{slug}/sessions": Spec(body=lambda w: {
        "answers": {"material": ["no_fixed_home"], "real_threat": "yes"}}),
    "POST /plans": Spec(body=lambda w: {"household_id": w.ids["household"],
                                         "coordinator_id": w.ids["prof"],
                                         "match_id": w.ids["match"]}),
    # On the family's consent: the professional who entered every member may start one,
    # but one family has one plan (409; its id only for who may read it).
    "POST /plans [consent]": Spec(body=lambda w: {
        "household_id": w.ids["household"], "coordinator_id": w.ids["prof"],
        "consent_given_by_person_ids": [w.ids["P"]]}),
    "GET /plans/{plan_id} [B]": Spec(ids={"plan_id": "plan_b"}),
    "POST /plans/{plan_id}/goals": Spec(body=lambda w: {
        "title": "Slaapt weer goed", "person_ids": [w.ids["S"]], "levels": LEVELS}),
    "POST /plans/{plan_id}/actions": Spec(body=lambda w: {
        "description": "Gesprek op school", "performer": {"professional_id": w.ids["prof"]},
        "organisation_id": w.ids["team"], "due_on": _today(14)}),
    "POST /plans/{plan_id}/actions/{action_id}/done": Spec(body=lambda w: {"spent_eur": "0"}),
    "POST /plans/{plan_id}/team": Spec(body=lambda w: {
        "related_person": {"name": "Opa Klaas", "relation": "opa"}, "role": "Past op"}),
    "POST /plans/{plan_id}/join": Spec(body=lambda w: {"role": "Jeugdhulp thuis"}),
    "POST /plans/{plan_id}/evaluations": Spec(body=lambda w: {
        "date": _today(), "scores": [{"goal_id": w.ids["goal"], "score": 0}]}),
    "POST /plans/{plan_id}/close": Spec(body=lambda w: {
        "reason_code": "01", "can_continue_without_help": True}),
    "POST /plans/{plan_id}/versions/{number}/approve": Spec(body=lambda w: {"how": "in_person"}),
    "POST /plans/{plan_id}/analyses": Spec(body=lambda w: {"made_on": _today(), "scores": [
        {"person_id": w.ids["C"], "domain": "family_structure", "professional_score": 3}]}),
    # front door (issue 11)
    "POST /care-reports": Spec(body=lambda w: _care_report(w, "C")),
    "POST /care-reports [B]": Spec(body=lambda w: _care_report(w, "R")),
    "GET /care-reports/{report_id} [new]": Spec(ids={"report_id": "report_new"}),
    "GET /care-reports/{report_id} [held]": Spec(ids={"report_id": "report_held"}),
    "GET /care-reports/{report_id} [B]": Spec(ids={"report_id": "report_b"}),
    "POST /care-reports/{report_id}/triage": Spec(
        ids={"report_id": "report_new"}, body=lambda w: {"decision": "joint_intake"}),
    "POST /care-reports/{report_id}/triage [triaged]": Spec(
        body=lambda w: {"decision": "joint_intake"}),
    "POST /care-reports/{report_id}/triage [B]": Spec(
        ids={"report_id": "report_b"}, body=lambda w: {"decision": "joint_intake"}),
    # A second meeting (a declined discipline that could not be replaced).
    "POST /care-reports/{report_id}/intakes": Spec(body=lambda w: {
        "organisation_ids": [w.ids["care"]], "starts_at": f"{_today(7)}T10:00:00+01:00",
        "ends_at": f"{_today(7)}T11:30:00+01:00", "location": "Wijkcentrum De Matrixhoek"}),
    # The youth-care provider's invitation; the front door records an answer given to it.
    "POST /intakes/{meeting_id}/invitations/{organisation_id}/answer": Spec(
        body=lambda w: {"accept": True, "professional_id": w.professionals["out"].pk}),
    "POST /intakes/{meeting_id}/invitations/{organisation_id}/answer [team]": Spec(
        ids={"organisation_id": "team"},
        body=lambda w: {"accept": True, "professional_id": w.ids["prof"]}),
    # Today's single-organisation intake held; a joint meeting's outcome records it.
    "POST /intakes/{meeting_id}/held": Spec(ids={"meeting_id": "meeting_single"}),
    "POST /intakes/{meeting_id}/outcome": Spec(body=lambda w: _outcome(w)),
    "POST /intakes/{meeting_id}/outcome [held]": Spec(ids={"meeting_id": "meeting_held"},
                                                      body=lambda w: _outcome(w)),
    "GET /queue": Spec(query="municipality={municipality}"),
    "GET /queue [B]": Spec(query="municipality={municipality_b}"),
    "GET /insight/kpis": Spec(query="area={neighbourhood}"),
    "GET /insight/kpis [B]": Spec(query="area={municipality_b}"),
    "GET /insight/value-stream": Spec(query="area={municipality}"),
    "GET /insight/value-stream [B]": Spec(query="area={municipality_b}"),
    "GET /insight/waiting": Spec(query="area={municipality}"),
    "GET /insight/waiting [B]": Spec(query="area={municipality_b}"),
    "GET /insight/outcomes": Spec(query="by=provider&area={municipality}"),
    "GET /insight/outcomes [B]": Spec(query="by=neighbourhood&area={municipality_b}"),
    "GET /steering/time [mine]": Spec(query="mine=1"),
    "POST /steering/time": Spec(body=lambda w: {"help_hours": 20, "accountability_hours": 6}),
    "POST /simulations": Spec(body=lambda w: {"way": "joint", "weeks": 4, "replications": 2}),
    "GET /simulations/{run_id}": Spec(ids={"run_id": 1}),
    "GET /steering/board": Spec(query="municipality={municipality}"),
    "GET /steering/board [B]": Spec(query="municipality={municipality_b}"),
    "GET /steering/actions": Spec(query="municipality={municipality}"),
    "GET /steering/actions [B]": Spec(query="municipality={municipality_b}"),
    "POST /steering/actions": Spec(body=lambda w: _steering_action(w, w.ids["municipality"])),
    "POST /steering/actions [B]": Spec(body=lambda w: _steering_action(
        w, w.ids["municipality_b"])),
    "PATCH /steering/actions/{action_id}": Spec(ids={"action_id": "steering_action"},
                                                body=lambda w: {"status": "doing"}),
    "POST /public/care-reports": Spec(body=lambda w: {
        "municipality_code": w.ids["municipality"], "given_name": "Kees",
        "family_name": "Buurkind", "question": "Ik hoor vaak geschreeuw bij de buren.",
        "life_domains": ["domestic_relations"], "urgency": "urgent", "unsafe": False,
        "reporter_name": "Buurvrouw", "contact_email": "buur@example.test"}),
}


def _care_report(w: World, about: str) -> dict[str, Any]:
    return {"person_id": w.ids[about], "question": "Lijkt bang om naar huis te gaan.",
            "life_domains": ["emotional_support"], "urgency": "regular", "unsafe": False,
            "consent_to_share": True, "contact_email": "matrix@example.test"}


def _outcome(w: World) -> dict[str, Any]:
    return {"participants": [w.professionals["out"].pk], "family_present": [w.ids["P"]],
            "question_understood": "Samen begrepen.", "decision": "referral",
            "referral_result": "Gaat weer met plezier naar school", "goals": [
                {"title": "Gaat weer naar school", "person_ids": [w.ids["C"]],
                 "levels": LEVELS}]}

# Where the code does not do what the rules say: the lead fixes the source. Each is a
# strict xfail, so the fix shows up as an unexpected pass to be removed from here.
DISAGREEMENTS: dict[tuple[str, str], str] = {}


def spec_of(label: str) -> Spec:
    return SPECS.get(label, Spec())


def test_every_operation_has_a_row_and_every_row_an_operation():
    """No route outside the table: an operation added later fails here until it has a row."""
    problems = uncovered(api_operations(), {f"{r.method} {r.route}" for r in ROWS.values()})
    assert not problems, "\n".join(problems)
    assert set(SPECS) <= set(ROWS), set(SPECS) - set(ROWS)


@pytest.mark.parametrize(("label", "actor"), cases(ROWS, DISAGREEMENTS))
def test_api(w: World, label: str, actor: str):
    row, spec = ROWS[label], spec_of(label)
    path = fill(row.route, path_values(w, spec, DEFAULT_IDS))
    if spec.query:
        path += "?" + spec.query.format(**w.ids)
    body = spec.body(w) if spec.body else None
    response = call_api(w, actor, row.method, path, body)
    public = label in PUBLIC
    want = expected_api(row.cells[actor], actor, public)
    got = api_class(response)
    assert got == want, (f"{row.method} {path} as {actor}: {got}, the rules say {want}\n"
                         f"{response.content[:600]!r}")
    text = response.content.decode(errors="replace")
    if response.status_code >= 400:
        assert response["Content-Type"] == PROBLEM, response["Content-Type"]
    if row.cells[actor] == "-":
        assert not leaks(w, text, ""), leaks(w, text, "")
    else:
        shown = leaks(w, text, VISIBLE[actor] + spec.shows + spec.shows_for.get(actor, ""),
                      actor)
        assert not shown, f"{label} as {actor} shows {shown}"


UNKNOWN_CASES = [label for label, row in ROWS.items()
                 if set(re.findall(r"\{(\w+)\}", row.route)) & ID_PARAMS
                 and spec_of(label).unknown is not None and "[" not in label]


UNKNOWN_DISAGREEMENTS: dict[str, str] = {}


@pytest.mark.parametrize("label", unknown_cases(UNKNOWN_CASES, UNKNOWN_DISAGREEMENTS))
def test_an_unknown_id_answers_like_a_forbidden_one(w: World, label: str):
    """With ids that exist nowhere, as an actor the row allows (the family's professional
    when it allows nobody): the same answer as without a ground, no hint of existence."""
    row, spec = ROWS[label], spec_of(label)
    actor = next((a for a, cell in row.cells.items() if cell == "Y" and a != "anon"), "prof")
    path = fill(row.route, path_values(w, spec, DEFAULT_IDS, unknown=True))
    response = call_api(w, actor, row.method, path, spec.body(w) if spec.body else None)
    assert response.status_code == spec.unknown, (
        f"{row.method} {path} as {actor}: {response.status_code} {response.content[:300]!r}")
    assert response["Content-Type"] == PROBLEM
    assert not leaks(w, response.content.decode(errors="replace"), "")


def test_the_content_of_a_report_reaches_its_readers_and_no_one_else(w: World):
    """The leak checks above are not empty: the report's question and the reporter's phone
    are in the answers of those who may read them, and only theirs (the family reads the
    question, not who reported it and how to reach them; the reporter the status)."""
    path = f"/care-reports/{w.ids['report']}"
    seen = {actor: call_api(w, actor, "GET", path, None).content.decode()
            for actor in ("door", "out", "cit", "teach", "prof")}
    assert {a for a, body in seen.items() if "Vliegerweek" in body} == {"door", "out", "cit"}
    assert {a for a, body in seen.items() if TEACHER_PHONE in body} == {"door", "out"}
    assert '"projection": "status"' in seen["teach"]
