"""Every web URL (and every form of the plan page), called as every actor of the world
(see world.py) with a session that passed the second factor, compared with the table
below. The table is written from the rules (the access policy's docstring,
tests/access/test_policy_table.py's docstring, the BRP design; the API table's docstring sums
them up) and from what the pages are for (ui/roles.py: each role sees the pages that can
work for it):

- the pages of care work (registering persons and households, break the glass, the
  decision aids, the reference index, the plans) are for the care roles (professional,
  coordinator); registering a signal only for an organisation that may signal;
- the privacy pages (access overviews of others, the break-the-glass review, the rights
  reports) for the privacy officer of the person's municipality; the reports back to the
  BRP for the functional administrator of the person's municipality;
- the family view and the own access overview for citizens: the plan of their own family
  (a member from 16), consent for a child under 12 they hold custody of;
- API tokens for professionals of every role; the inbox for every professional;
- a person's page: registration, a plan ground, the person or custody holder, the
  functional administrator while a report back to the BRP is open; a household's page
  needs a ground for every member (registration, a plan ground) or membership;
- the front door's pages (issue 11): a care report's page shows each reader what the
  policy allows (the front door everything, an invited organisation with the family's
  consent the content, one without only the meeting's date and place, the reporter and
  the family where it stands); triage, intake planning and outcome are the front door's;
  an invitation is answered on the invited organisation's own page; the queue is the
  front door's and its settings also the municipality's functional administrator's;
- insight (issue 12): the dashboard of the municipality's own areas is its analyst's, its
  coordinator's (of the municipality itself) and its front door's; the publication
  settings the analyst's;
- the login, the language switch, the API's documentation and the public report form
  are open to everyone; the family's own reports are the family's.

Every denied answer (403, or the login page for no one) names nobody of the world; every
allowed answer shows only persons the actor has a ground for (harness.VISIBLE).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from jeugdketen.steering import survey

from .harness import (
    ID_PARAMS,
    VISIBLE,
    Spec,
    call_web,
    cases,
    expected_web,
    fill,
    leaks,
    parse,
    path_values,
    route_key,
    text_of,
    uncovered,
    unknown_cases,
    web_class,
    web_routes,
)
from .world import REASON, World

P = "/plannen/<uuid:plan_id>"
TABLE = f"""
route                                                              | prof | teach | out | coord | priv | anal | fadm | padm | door | cit | ocit | anon
GET /                                                              | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | -
GET /login/                                                        | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | Y
POST /login/                                                       | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | Y
POST /logout/                                                      | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | Y
GET /2fa/                                                          | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | -
GET /2fa/activeren/                                                | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | -
POST /i18n/setlang/                                                | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | Y
GET /api/v1/openapi.json                                           | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | Y
GET /api/v1/docs                                                   | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | Y
GET /api/v1/                                                       | 404  | 404   | 404 | 404   | 404  | 404  | 404  | 404  | 404  | 404 | 404  | 404
GET /personen/nieuw/                                               | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
POST /personen/nieuw/                                              | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
GET /personen/<str:person_id>/                                     | Y    | Y     | -   | -     | -    | -    | Y    | -    | -    | Y   | -    | -
GET /personen/<str:person_id>/ [sister]                            | Y    | Y     | -   | -     | -    | -    | -    | -    | -    | Y   | -    | -
GET /personen/<str:person_id>/ [B]                                 | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | Y    | -
GET /personen/<str:person_id>/grondslag/                           | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /personen/<str:person_id>/grondslag/                          | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /huishoudens/nieuw/                                            | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
POST /huishoudens/nieuw/                                           | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /huishoudens/<str:household_id>/                               | Y    | Y     | -   | -     | -    | -    | -    | -    | -    | Y   | -    | -
GET /huishoudens/<str:household_id>/ [B]                           | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | Y    | -
GET /noodtoegang/                                                  | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
POST /noodtoegang/                                                 | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
GET /toegang/                                                      | -    | -     | -   | -     | Y    | -    | -    | -    | -    | Y   | Y    | -
POST /toegang/                                                     | -    | -     | -   | -     | Y    | -    | -    | -    | -    | F   | F    | -
POST /toegang/ [B]                                                 | -    | -     | -   | -     | F    | -    | -    | -    | -    | F   | F    | -
GET /toegang/<str:person_id>/                                      | -    | -     | -   | -     | Y    | -    | -    | -    | -    | Y   | -    | -
GET /toegang/<str:person_id>/ [B]                                  | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | Y    | -
GET /privacy/noodtoegang/                                          | -    | -     | -   | -     | Y    | -    | -    | -    | -    | -   | -    | -
POST /privacy/noodtoegang/<int:record_id>/                         | -    | -     | -   | -     | Y    | -    | -    | -    | -    | -   | -    | -
GET /beheer/correcties/                                            | -    | -     | -   | -     | -    | -    | Y    | -    | -    | -   | -    | -
POST /beheer/correcties/<int:proposal_id>/                         | -    | -     | -   | -     | -    | -    | Y    | -    | -    | -   | -    | -
POST /beheer/correcties/<int:proposal_id>/ [B]                     | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /tokens/                                                       | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | -   | -    | -
POST /tokens/                                                      | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | -   | -    | -
POST /tokens/<int:token_id>/intrekken/                             | Y    | 404   | 404 | 404   | 404  | 404  | 404  | 404  | 404  | -   | -    | -
GET /signaalgids/                                                  | Y    | Y     | Y   | Y     | -    | -    | Y    | -    | -    | -   | -    | -
GET /signaalgids/sessies/                                          | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
GET /signaalgids/sessies/<str:session_id>/                         | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /signaalgids/<slug:slug>/                                      | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
GET /signaalgids/<slug:slug>/ [about the child]                    | Y    | Y     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /signaalgids/<slug:slug>/                                     | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
GET /verwijsindex/signalen/                                        | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
GET /verwijsindex/signalen/nieuw/                                  | Y    | Y     | Y   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /verwijsindex/signalen/nieuw/                                 | Y    | F     | F   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /verwijsindex/signalen/<int:signal_id>/                        | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /verwijsindex/signalen/<int:signal_id>/ [withdraw]            | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /verwijsindex/signalen/<int:signal_id>/ [extend]              | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /verwijsindex/signalen/<int:signal_id>/brief/                  | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /verwijsindex/signalen/<int:signal_id>/brief.pdf               | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /verwijsindex/matches/                                         | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
POST /verwijsindex/matches/ [propose]                              | Y    | Y     | -   | Y     | -    | -    | -    | -    | -    | -   | -    | -
POST /verwijsindex/matches/ [accept]                               | Y    | Y     | -   | Y     | -    | -    | -    | -    | -    | -   | -    | -
POST /verwijsindex/matches/ [appoint]                              | -    | -     | -   | Y     | -    | -    | -    | -    | -    | -   | -    | -
GET /verwijsindex/berichten/                                       | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | -   | -    | -
POST /verwijsindex/berichten/                                      | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | -   | -    | -
GET /verwijsindex/rechten/                                         | -    | -     | -   | -     | Y    | -    | -    | -    | -    | -   | -    | -
POST /verwijsindex/rechten/                                        | -    | -     | -   | -     | Y    | -    | -    | -    | -    | -   | -    | -
POST /verwijsindex/rechten/ [B]                                    | -    | -     | -   | -     | F    | -    | -    | -    | -    | -   | -    | -
GET /verwijsindex/rechten/<uuid:person_id>/                        | -    | -     | -   | -     | Y    | -    | -    | -    | -    | -   | -    | -
GET /verwijsindex/rechten/<uuid:person_id>/ [B]                    | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /verwijsindex/rechten/<uuid:person_id>/ [record]              | -    | -     | -   | -     | Y    | -    | -    | -    | -    | -   | -    | -
POST /verwijsindex/rechten/<uuid:person_id>/ [answer]              | -    | -     | -   | -     | Y    | -    | -    | -    | -    | -   | -    | -
GET /verwijsindex/rechten/<uuid:person_id>/overzicht.pdf           | -    | -     | -   | -     | Y    | -    | -    | -    | -    | -   | -    | -
GET /verwijsindex/rechten/<uuid:person_id>/overzicht.json          | -    | -     | -   | -     | Y    | -    | -    | -    | -    | -   | -    | -
GET /plannen/                                                      | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
GET /plannen/nieuw/                                                | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /plannen/nieuw/                                               | 409  | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET {P}/                                                           | Y    | Y     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET {P}/ [B]                                                       | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET {P}/versies/                                                   | Y    | Y     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET {P}/analyse/overzicht/                                         | Y    | Y     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET {P}/analyse/overzicht/ [B]                                     | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET {P}/analyse/<uuid:person_id>/                                  | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/analyse/<uuid:person_id>/                                 | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/onderdelen/                                               | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/zorg/                                                     | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/zorg-verwijderen/<int:item_id>/                           | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/doel/                                                     | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/actie/                                                    | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET {P}/actie-afgerond/<int:item_id>/                              | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/actie-afgerond/<int:item_id>/                             | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/team-professional/                                        | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/team-netwerk/                                             | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/team-verwijderen/<int:item_id>/                           | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET {P}/aansluiten/                                                | 405  | 405   | 405 | 405   | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/aansluiten/                                               | Y    | Y     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/toestemming/                                              | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/toestemming-intrekken/<int:item_id>/                      | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/versie/                                                   | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/goedkeuring/                                              | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/reactie/                                                  | Y    | Y     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET {P}/evaluatie/                                                 | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/evaluatie/                                                | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET {P}/afsluiten/                                                 | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/afsluiten/                                                | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET {P}/grondslag/                                                 | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/grondslag/                                                | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET {P}/overdracht/                                                | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST {P}/overdracht/                                               | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /gezin/                                                        | -    | -     | -   | -     | -    | -    | -    | -    | -    | Y   | Y    | -
GET /gezin/<uuid:plan_id>/                                         | -    | -     | -   | -     | -    | -    | -    | -    | -    | Y   | -    | -
GET /gezin/<uuid:plan_id>/ [B]                                     | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | Y    | -
POST /gezin/<uuid:plan_id>/goedkeuren/                             | -    | -     | -   | -     | -    | -    | -    | -    | -    | Y   | -    | -
POST /gezin/<uuid:plan_id>/reactie/                                | -    | -     | -   | -     | -    | -    | -    | -    | -    | Y   | -    | -
POST /gezin/<uuid:plan_id>/toestemming/                            | -    | -     | -   | -     | -    | -    | -    | -    | -    | Y   | -    | -
POST /gezin/<uuid:plan_id>/toestemming/<int:consent_id>/intrekken/ | -    | -     | -   | -     | -    | -    | -    | -    | -    | Y   | -    | -
# worklist: one message of the inbox, opened (and so read) by its recipient only
GET /verwijsindex/berichten/<int:message_id>/                      | Y    | 404   | 404 | 404   | 404  | 404  | 404  | 404  | 404  | -   | -    | -
# lists (issue 9): the persons list and the pickers
GET /personen/                                                     | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
GET /personen/ [search]                                            | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
GET /kiezen/jongeren/                                              | Y    | Y     | Y   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /kiezen/team/<uuid:plan_id>/                                   | Y    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
# print (issue 9): the family plan as a PDF, for the team and for the family
GET {P}/plan.pdf                                                   | Y    | Y     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET {P}/plan.pdf [B]                                               | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /gezin/<uuid:plan_id>/plan.pdf                                 | -    | -     | -   | -     | -    | -    | -    | -    | -    | Y   | -    | -
GET /gezin/<uuid:plan_id>/plan.pdf [B]                             | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | Y    | -
# referral (issue 9): the municipality's coordinator's list of overdue matches
GET /verwijsindex/matches/termijn-verlopen/                        | -    | -     | -   | Y     | -    | -    | -    | -    | -    | -   | -    | -
# admin (issue 9): decision aids by the functional administrator; organisations, accounts
# and the municipality's settings by the platform administrator, and by the functional
# administrator within their own municipality without privileged roles.
GET /signaalgids/beheer/                                           | -    | -     | -   | -     | -    | -    | Y    | -    | -    | -   | -    | -
POST /signaalgids/beheer/                                          | -    | -     | -   | -     | -    | -    | Y    | -    | -    | -   | -    | -
GET /signaalgids/beheer/versies/<int:version_id>/                  | -    | -     | -   | -     | -    | -    | Y    | -    | -    | -   | -    | -
POST /signaalgids/beheer/versies/<int:version_id>/activeren/       | -    | -     | -   | -     | -    | -    | Y    | -    | -    | -   | -    | -
POST /signaalgids/beheer/<slug:slug>/ingebouwd/                    | -    | -     | -   | -     | -    | -    | Y    | -    | -    | -   | -    | -
GET /beheer/organisaties/                                          | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
POST /beheer/organisaties/                                         | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
POST /beheer/organisaties/ [B]                                     | -    | -     | -   | -     | -    | -    | 422  | Y    | -    | -   | -    | -
GET /beheer/organisaties/<int:organisation_id>/                    | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
GET /beheer/organisaties/<int:organisation_id>/ [B]                | -    | -     | -   | -     | -    | -    | -    | Y    | -    | -   | -    | -
POST /beheer/organisaties/<int:organisation_id>/ [save]            | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
POST /beheer/organisaties/<int:organisation_id>/ [add]             | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
POST /beheer/organisaties/<int:organisation_id>/ [privileged]      | -    | -     | -   | -     | -    | -    | -    | Y    | -    | -   | -    | -
POST /beheer/organisaties/<int:organisation_id>/actief/            | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
POST /beheer/organisaties/<int:organisation_id>/actief/ [B]        | -    | -     | -   | -     | -    | -    | -    | Y    | -    | -   | -    | -
GET /beheer/medewerkers/<int:professional_id>/                     | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
GET /beheer/medewerkers/<int:professional_id>/ [B]                 | -    | -     | -   | -     | -    | -    | -    | Y    | -    | -   | -    | -
GET /beheer/medewerkers/<int:professional_id>/ [privileged]        | -    | -     | -   | -     | -    | -    | -    | Y    | -    | -   | -    | -
POST /beheer/medewerkers/<int:professional_id>/                    | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
POST /beheer/medewerkers/<int:professional_id>/ [privileged]       | -    | -     | -   | -     | -    | -    | -    | Y    | -    | -   | -    | -
POST /beheer/medewerkers/<int:professional_id>/actief/             | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
POST /beheer/medewerkers/<int:professional_id>/activeringscode/    | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
POST /beheer/medewerkers/<int:professional_id>/activeringscode/ [B] | -    | -     | -   | -     | -    | -    | -    | Y    | -    | -   | -    | -
POST /beheer/activeringscodes/<int:code_id>/intrekken/             | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
POST /beheer/tokens/<int:token_id>/intrekken/                      | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
GET /beheer/gemeente/                                              | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
GET /beheer/gemeente/ [B]                                          | -    | -     | -   | -     | -    | -    | -    | Y    | -    | -   | -    | -
POST /beheer/gemeente/                                             | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
POST /beheer/gemeente/ [B]                                         | -    | -     | -   | -     | -    | -    | -    | Y    | -    | -   | -    | -
POST /beheer/gemeente/productcodes/<int:product_id>/               | -    | -     | -   | -     | -    | -    | Y    | Y    | -    | -   | -    | -
# front door (issue 11): the municipality's front door (`door`) triages, plans and records
# outcomes; the report page shows each reader what its ground allows (the invited
# organisation with the family's consent `intake`, `out`, the content; the one without,
# `prof`, the meeting's date and place; the reporter, `teach`, and the family the status);
# the report form is a care role's, from a person it has a ground for; an invitation is
# answered by the invited organisation on its own page; the queue is the front door's, its
# settings also the functional administrator's of the municipality (the capacity of their
# own organisation); the public form is everyone's and reads nothing back; the family's
# own reports for the family.
GET /zorgmeldingen/nieuw/                                          | Y    | Y     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /zorgmeldingen/nieuw/                                         | Y    | Y     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /zorgmeldingen/<uuid:report_id>/                               | Y    | Y     | Y   | -     | -    | -    | -    | -    | Y    | Y   | -    | -
GET /zorgmeldingen/<uuid:report_id>/ [new]                         | -    | -     | -   | -     | -    | -    | -    | -    | Y    | Y   | -    | -
GET /zorgmeldingen/<uuid:report_id>/ [held]                        | -    | Y     | Y   | -     | -    | -    | -    | -    | Y    | Y   | -    | -
GET /zorgmeldingen/<uuid:report_id>/ [B]                           | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | Y    | -
GET /zorgmeldingen/<uuid:report_id>/triage/                        | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
POST /zorgmeldingen/<uuid:report_id>/triage/                       | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
POST /zorgmeldingen/<uuid:report_id>/triage/ [B]                   | -    | -     | -   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /zorgmeldingen/<uuid:report_id>/intake/                        | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
POST /zorgmeldingen/<uuid:report_id>/intake/                       | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
GET /zorgmeldingen/<uuid:report_id>/hulp-gestart/                  | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
POST /zorgmeldingen/<uuid:report_id>/hulp-gestart/                 | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
GET /intakes/<int:meeting_id>/gehouden/                            | 405  | 405   | 405 | 405   | 405  | 405  | 405  | 405  | 405  | 405 | 405  | -
POST /intakes/<int:meeting_id>/gehouden/                           | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
GET /intakes/<int:meeting_id>/vervangen/                           | 405  | 405   | 405 | 405   | 405  | 405  | 405  | 405  | 405  | 405 | 405  | -
POST /intakes/<int:meeting_id>/vervangen/                          | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
GET /intakes/uitnodigingen/                                        | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | -   | -    | -
GET /intakes/<int:meeting_id>/uitnodiging/                         | Y    | -     | Y   | -     | -    | -    | -    | -    | -    | -   | -    | -
POST /intakes/<int:meeting_id>/uitnodiging/                        | Y    | -     | Y   | -     | -    | -    | -    | -    | -    | -   | -    | -
GET /intakes/<int:meeting_id>/uitkomst/                            | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
GET /intakes/<int:meeting_id>/uitkomst/ [held]                     | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
POST /intakes/<int:meeting_id>/uitkomst/                           | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
GET /voordeur/wachtrij/                                            | -    | -     | -   | -     | -    | -    | -    | -    | Y    | -   | -    | -
GET /voordeur/capaciteit/                                          | -    | -     | -   | -     | -    | -    | Y    | -    | Y    | -   | -    | -
POST /voordeur/capaciteit/                                         | -    | -     | -   | -     | -    | -    | Y    | -    | Y    | -   | -    | -
POST /voordeur/capaciteit/ [other organisation]                    | -    | -     | -   | -     | -    | -    | F    | -    | Y    | -   | -    | -
GET /voordeur/normen/                                              | -    | -     | -   | -     | -    | -    | Y    | -    | Y    | -   | -    | -
POST /voordeur/normen/                                             | -    | -     | -   | -     | -    | -    | Y    | -    | Y    | -   | -    | -
# insight (issue 12): the dashboard of the own municipality's areas for its analyst, its
# coordinator and its front door (another municipality's area is no choice of the form: 422);
# the publication settings are the analyst's. A section's CSV download goes the same way
# (the world has no insight store: nothing to download, 404).
GET /inzicht/                                                      | -    | -     | -   | Y     | -    | Y    | -    | -    | Y    | -   | -    | -
GET /inzicht/ [B]                                                  | -    | -     | -   | 422   | -    | 422  | -    | -    | 422  | -   | -    | -
GET /inzicht/download/                                             | -    | -     | -   | 404   | -    | 404  | -    | -    | 404  | -   | -    | -
GET /inzicht/download/ [B]                                         | -    | -     | -   | 422   | -    | 422  | -    | -    | 422  | -   | -    | -
GET /inzicht/instellingen/                                         | -    | -     | -   | -     | -    | Y    | -    | -    | -    | -   | -    | -
POST /inzicht/instellingen/                                        | -    | -     | -   | -     | -    | Y    | -    | -    | -    | -   | -    | -
# steer-time (issue 13): the weekly time question and the yearly survey for the care roles
# (their own answers only); the survey's closing, the figures per team and neighbourhood and
# the teams' neighbourhoods for the municipality's analyst (the figures also its coordinator).
GET /sturing/tijd/                                                 | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
POST /sturing/tijd/                                                | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
GET /sturing/werkplezier/                                          | Y    | Y     | Y   | Y     | -    | Y    | -    | -    | -    | -   | -    | -
POST /sturing/werkplezier/                                         | Y    | Y     | Y   | Y     | -    | -    | -    | -    | -    | -   | -    | -
GET /sturing/tijd-en-werkplezier/                                  | -    | -     | -   | Y     | -    | Y    | -    | -    | -    | -   | -    | -
POST /sturing/tijd-en-werkplezier/                                 | -    | -     | -   | -     | -    | Y    | -    | -    | -    | -   | -    | -
# the what-if simulation (issue 13): the page for the municipality's analyst and coordinator;
# the analyst alone runs (the world's insight store is empty: too few reports, 422 on the page).
GET /sturing/simulatie/                                            | -    | -     | -   | Y     | -    | Y    | -    | -    | -    | -   | -    | -
POST /sturing/simulatie/                                           | -    | -     | -   | -     | -    | 422  | -    | -    | -    | -   | -    | -
# the chain board (issue 13): the own municipality's board, its actions and minutes; read by
# its analyst, its coordinator and its front door, written by the first two.
GET /sturing/bord/                                                 | -    | -     | -   | Y     | -    | Y    | -    | -    | Y    | -   | -    | -
POST /sturing/bord/acties/nieuw/                                   | -    | -     | -   | Y     | -    | Y    | -    | -    | -    | -   | -    | -
POST /sturing/bord/acties/<int:action_id>/                         | -    | -     | -   | Y     | -    | Y    | -    | -    | -    | -   | -    | -
POST /sturing/bord/overleg/nieuw/                                  | -    | -     | -   | Y     | -    | Y    | -    | -    | -    | -   | -    | -
GET /sturing/bord/overleg/<int:meeting_id>/                        | -    | -     | -   | Y     | -    | Y    | -    | -    | Y    | -   | -    | -
POST /sturing/bord/overleg/<int:meeting_id>/                       | -    | -     | -   | Y     | -    | Y    | -    | -    | -    | -   | -    | -
GET /melden/                                                       | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | Y
POST /melden/                                                      | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | Y
GET /melden/ontvangen/                                             | Y    | Y     | Y   | Y     | Y    | Y    | Y    | Y    | Y    | Y   | Y    | Y
GET /gezin/meldingen/                                              | -    | -     | -   | -     | -    | -    | -    | -    | -    | Y   | Y    | -
GET /gezin/meldingen/nieuw/                                        | -    | -     | -   | -     | -    | -    | -    | -    | -    | Y   | Y    | -
POST /gezin/meldingen/nieuw/                                       | -    | -     | -   | -     | -    | -    | -    | -    | -    | Y   | F    | -
POST /gezin/meldingen/nieuw/ [B]                                   | -    | -     | -   | -     | -    | -    | -    | -    | -    | F   | Y    | -
"""
ROWS = parse(TABLE)

DEFAULT_IDS = {"person_id": "C", "household_id": "household", "record_id": "break_glass",
               "proposal_id": "correction", "token_id": "prof_token",
               "session_id": "guide_session", "slug": "meldcode", "signal_id": "signal",
               "plan_id": "plan", "consent_id": "consent", "report_id": "report",
               "meeting_id": "meeting"}


def _today(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _match(w: World, button: str, **extra: str) -> dict[str, str]:
    return {"match": w.ids["match"], button: "1", **extra}


SPECS: dict[str, Spec] = {
    "GET /api/v1/": Spec(unknown=None),
    "POST /login/": Spec(body=lambda w: {"username": "matrix.prof", "password": "niet-goed"},
                        post_ok="any"),
    "POST /i18n/setlang/": Spec(body=lambda w: {"language": "en", "next": "/login/"}),
    "POST /personen/nieuw/": Spec(body=lambda w: {
        **w.new_person, "birth_date": "23-09-2015"}),
    "GET /personen/<str:person_id>/ [sister]": Spec(ids={"person_id": "S"}),
    "GET /personen/<str:person_id>/ [B]": Spec(ids={"person_id": "R"}),
    "POST /huishoudens/nieuw/": Spec(body=lambda w: {"member": [
        str(w.ids[k]) for k in ("P", "C", "S")]}),
    "GET /huishoudens/<str:household_id>/ [B]": Spec(ids={"household_id": "household_b"}),
    "POST /noodtoegang/": Spec(body=lambda w: {"bsn": w.persons["E"].person.bsn,
                                              "reason": REASON}, post_ok="200", shows="E"),
    "POST /toegang/": Spec(body=lambda w: {"bsn": w.persons["C"].person.bsn}),
    # Another municipality's child: the same answer as for a BSN nobody has (finding 5).
    "POST /toegang/ [B]": Spec(body=lambda w: {"bsn": w.persons["R"].person.bsn}, echoes=True),
    "GET /toegang/<str:person_id>/ [B]": Spec(ids={"person_id": "R"}),
    "POST /privacy/noodtoegang/<int:record_id>/": Spec(body=lambda w: {
        "justified": "ja", "note": "Besproken met de agent."}),
    "POST /beheer/correcties/<int:proposal_id>/": Spec(body=lambda w: {"besluit": "afwijzen"}),
    "POST /beheer/correcties/<int:proposal_id>/ [B]": Spec(
        ids={"proposal_id": "correction_b"}, body=lambda w: {"besluit": "afwijzen"}),
    "POST /tokens/": Spec(post_ok="200"),
    "POST /tokens/<int:token_id>/intrekken/": Spec(unknown=404),
    "GET /signaalgids/<slug:slug>/ [about the child]": Spec(query="person={C}"),
    "POST /signaalgids/<slug:slug>/": Spec(body=lambda w: {
        "step": "steps", "q-steps": ["map_signals"], "nav": "next"}, post_ok="200"),
    "POST /verwijsindex/signalen/nieuw/": Spec(body=lambda w: {
        "person": str(w.ids["S"]), "duration_days": "365", "contact_phone": "0201234567",
        "contact_email": "matrix@example.test"}),
    "POST /verwijsindex/signalen/<int:signal_id>/ [withdraw]": Spec(body=lambda w: {
        "withdraw": "1", "w-reason": "risk_gone"}),
    "POST /verwijsindex/signalen/<int:signal_id>/ [extend]": Spec(body=lambda w: {
        "extend": "1", "e-duration_days": "730"}),
    "POST /verwijsindex/matches/ [propose]": Spec(body=lambda w: _match(
        w, "propose", **{f"m{w.ids['match']}-professional_id": str(w.ids["prof"])})),
    "POST /verwijsindex/matches/ [accept]": Spec(body=lambda w: _match(w, "accept",
                                                                     aligned="yes")),
    "POST /verwijsindex/matches/ [appoint]": Spec(body=lambda w: _match(
        w, "appoint", **{f"m{w.ids['match']}-professional_id": str(w.ids["prof"])})),
    "POST /verwijsindex/berichten/": Spec(body=lambda w: {"read": str(w.ids["message"])}),
    "GET /verwijsindex/berichten/<int:message_id>/": Spec(ids={"message_id": "message"}),
    "POST /verwijsindex/rechten/": Spec(body=lambda w: {"bsn": w.persons["C"].person.bsn}),
    "POST /verwijsindex/rechten/ [B]": Spec(body=lambda w: {"bsn": w.persons["R"].person.bsn},
                                            echoes=True),
    "GET /verwijsindex/rechten/<uuid:person_id>/ [B]": Spec(ids={"person_id": "R"}),
    "POST /verwijsindex/rechten/<uuid:person_id>/ [record]": Spec(body=lambda w: {
        "record": "1", "q-kind": "copy", "q-requested_by": "de vader",
        "q-received_on": _today()}),
    # The request in the body decides (the API row's unknown-id test covers its id).
    "POST /verwijsindex/rechten/<uuid:person_id>/ [answer]": Spec(unknown=None, body=lambda w: {
        "answer": str(w.ids["rights_request"]),
        f"a{w.ids['rights_request']}-granted": "yes",
        f"a{w.ids['rights_request']}-outcome": "Inzage gegeven."}),
    "GET /plannen/nieuw/": Spec(query="household={household}"),
    "POST /plannen/nieuw/": Spec(body=lambda w: {
        "household": str(w.ids["household"]), "given_by_person_ids": [str(w.ids["P"])]}),
    f"GET {P}/ [B]": Spec(ids={"plan_id": "plan_b"}),
    f"GET {P}/analyse/<uuid:person_id>/": Spec(),
    f"GET {P}/analyse/overzicht/ [B]": Spec(ids={"plan_id": "plan_b"}),
    f"POST {P}/analyse/<uuid:person_id>/": Spec(body=lambda w: {
        f"an{w.ids['C'].hex}-made_on": _today(),
        f"an{w.ids['C'].hex}-family_structure__professional_score": "3"}),
    f"POST {P}/onderdelen/": Spec(body=lambda w: {
        "sec-revision": str(w.ids["revision"]), "sec-goes_well": "Moeder zoekt hulp."}),
    f"POST {P}/zorg/": Spec(body=lambda w: {"con-text": "Slaapt slecht", "con-priority": "2"}),
    f"POST {P}/zorg-verwijderen/<int:item_id>/": Spec(ids={"item_id": "concern"}),
    f"POST {P}/doel/": Spec(body=lambda w: {
        "goal-title": "Slaapt weer goed", "goal-person_ids": [str(w.ids["S"])],
        "goal-weight": "1", "goal-levels_m2": "Slaapt niet", "goal-levels_m1": "Slaapt slecht",
        "goal-levels_0": "Slaapt soms", "goal-levels_p1": "Slaapt meestal",
        "goal-levels_p2": "Slaapt goed", "goal-organisation_id": ""}),
    f"POST {P}/actie/": Spec(body=lambda w: {
        "act-description": "Gesprek op school", "act-performer": f"p:{w.ids['prof']}",
        "act-organisation_id": str(w.ids["team"]), "act-due_on": _today(14),
        "act-budget_eur": "", "act-product_code": "jeugdhulp", "act-goal_id": ""}),
    f"GET {P}/actie-afgerond/<int:item_id>/": Spec(ids={"item_id": "action"}),
    f"POST {P}/actie-afgerond/<int:item_id>/": Spec(ids={"item_id": "action"}, body=lambda w: {
        f"done{w.ids['action']}-done_on": "", f"done{w.ids['action']}-spent_eur": "0"}),
    f"POST {P}/team-professional/": Spec(body=lambda w: {
        "tp-professional_id": str(w.ids["colleague"]), "tp-role": "Maatschappelijk werk"}),
    f"POST {P}/team-netwerk/": Spec(body=lambda w: {
        "tn-name": "Opa Klaas", "tn-relation": "opa", "tn-role": "Past op"}),
    f"POST {P}/team-verwijderen/<int:item_id>/": Spec(ids={"item_id": "network"}),
    # The coordinator and the teacher are in the team already: told so on their plans page.
    f"GET {P}/aansluiten/": Spec(unknown=None),
    f"POST {P}/aansluiten/": Spec(body=lambda w: {"role": "Jeugdhulp thuis"}),
    f"POST {P}/toestemming/": Spec(body=lambda w: {
        "cs-person_ids": [str(w.ids["C"])], "cs-given_by_person_ids": [str(w.ids["P"])],
        "cs-organisation_id": str(w.ids["vt"]), "cs-categories": ["plan"]}),
    f"POST {P}/toestemming-intrekken/<int:item_id>/": Spec(ids={"item_id": "consent"}),
    f"POST {P}/goedkeuring/": Spec(body=lambda w: {"ap-number": "1", "ap-how": "in_person"}),
    f"POST {P}/reactie/": Spec(body=lambda w: {"cm-text": "Goed plan."}),
    f"POST {P}/evaluatie/": Spec(body=lambda w: {
        "ev-date": _today(), f"ev-goal_{w.ids['goal']}": "0"}),
    f"POST {P}/afsluiten/": Spec(body=lambda w: {
        "cl-reason_code": "01", "cl-can_continue_without_help": "yes"}),
    "POST /personen/<str:person_id>/grondslag/": Spec(body=lambda w: {
        "lb-person_id": str(w.ids["C"]), "lb-organisation_id": str(w.ids["vt"]),
        "lb-kind": "veilig_thuis", "lb-reference": "VT-MATRIX-4",
        "lb-valid_until": _today(90)}),
    f"POST {P}/grondslag/": Spec(body=lambda w: {
        "lb-person_id": str(w.ids["C"]), "lb-organisation_id": str(w.ids["vt"]),
        "lb-kind": "veilig_thuis", "lb-reference": "VT-MATRIX-3",
        "lb-valid_until": _today(90)}),
    f"POST {P}/overdracht/": Spec(body=lambda w: {
        "ho-to_professional_id": str(w.ids["colleague"]),
        "ho-reason": "Verhuizing naar een andere wijk."}),
    "GET /gezin/<uuid:plan_id>/ [B]": Spec(ids={"plan_id": "plan_b"}),
    f"GET {P}/plan.pdf [B]": Spec(ids={"plan_id": "plan_b"}),
    "GET /gezin/<uuid:plan_id>/plan.pdf [B]": Spec(ids={"plan_id": "plan_b"}),
    "POST /gezin/<uuid:plan_id>/goedkeuren/": Spec(body=lambda w: {
        "akkoord-number": "1", "akkoord-agree": "on"}),
    "POST /gezin/<uuid:plan_id>/reactie/": Spec(body=lambda w: {"reactie-text": "Dank u."}),
    "POST /gezin/<uuid:plan_id>/toestemming/": Spec(body=lambda w: {
        "toestemming-person": str(w.ids["C"]), "toestemming-organisation": str(w.ids["vt"]),
        "toestemming-categories": ["plan"]}),
    # lists (issue 9): a search over everyone's names shows only whom the actor may see.
    "GET /personen/ [search]": Spec(query="zoek=e"),
    "GET /kiezen/jongeren/": Spec(query="zoek=e"),
    # admin (issue 9)
    "POST /signaalgids/beheer/": Spec(body=lambda w: {"text": _aid_text("9999.2")}),
    "GET /signaalgids/beheer/versies/<int:version_id>/": Spec(ids={"version_id": "aid_version"}),
    "POST /signaalgids/beheer/versies/<int:version_id>/activeren/": Spec(
        ids={"version_id": "aid_version"}),
    "POST /beheer/organisaties/": Spec(body=lambda w: _organisation(w, "municipality")),
    # Another municipality: the functional administrator's form does not offer it.
    "POST /beheer/organisaties/ [B]": Spec(body=lambda w: _organisation(w, "municipality_b")),
    "GET /beheer/organisaties/<int:organisation_id>/": Spec(ids={"organisation_id": "school"}),
    "GET /beheer/organisaties/<int:organisation_id>/ [B]": Spec(
        ids={"organisation_id": "team_b"}),
    "POST /beheer/organisaties/<int:organisation_id>/ [save]": Spec(
        ids={"organisation_id": "school"}, body=lambda w: {
            "save": "1", "org-name": "Basisschool De Matrix", "org-kind": "school",
            "org-municipality_code": w.ids["municipality"], "org-may_signal": "on"}),
    "POST /beheer/organisaties/<int:organisation_id>/ [add]": Spec(
        ids={"organisation_id": "school"}, body=lambda w: _new_account("professional")),
    "POST /beheer/organisaties/<int:organisation_id>/ [privileged]": Spec(
        ids={"organisation_id": "school"}, body=lambda w: _new_account("privacy_officer")),
    "POST /beheer/organisaties/<int:organisation_id>/actief/": Spec(
        ids={"organisation_id": "school"}, body=lambda w: {"active": "0"}),
    "POST /beheer/organisaties/<int:organisation_id>/actief/ [B]": Spec(
        ids={"organisation_id": "team_b"}, body=lambda w: {"active": "0"}),
    "GET /beheer/medewerkers/<int:professional_id>/": Spec(ids={"professional_id": "teach"}),
    "GET /beheer/medewerkers/<int:professional_id>/ [B]": Spec(
        ids={"professional_id": "prof_b"}),
    "GET /beheer/medewerkers/<int:professional_id>/ [privileged]": Spec(
        ids={"professional_id": "priv_professional"}),
    "POST /beheer/medewerkers/<int:professional_id>/": Spec(
        ids={"professional_id": "teach"}, body=lambda w: _account("professional")),
    "POST /beheer/medewerkers/<int:professional_id>/ [privileged]": Spec(
        ids={"professional_id": "teach"}, body=lambda w: _account("privacy_officer")),
    "POST /beheer/medewerkers/<int:professional_id>/actief/": Spec(
        ids={"professional_id": "teach"}, body=lambda w: {"active": "0"}),
    "POST /beheer/medewerkers/<int:professional_id>/activeringscode/": Spec(
        ids={"professional_id": "teach"}, post_ok="200"),
    "POST /beheer/medewerkers/<int:professional_id>/activeringscode/ [B]": Spec(
        ids={"professional_id": "prof_b"}, post_ok="200"),
    "POST /beheer/activeringscodes/<int:code_id>/intrekken/": Spec(
        ids={"code_id": "activation_code"}),
    "GET /beheer/gemeente/ [B]": Spec(query="gemeente={municipality_b}"),
    "POST /beheer/gemeente/": Spec(body=lambda w: {
        "gemeente": w.ids["municipality"], "save": "1", "set-coordinator_days": "12",
        "set-min_signal_days": "120"}),
    "POST /beheer/gemeente/ [B]": Spec(body=lambda w: {
        "gemeente": w.ids["municipality_b"], "save": "1", "set-coordinator_days": "12",
        "set-min_signal_days": "120"}),
    "POST /beheer/gemeente/productcodes/<int:product_id>/": Spec(
        ids={"product_id": "product_code"}, body=lambda w: {
            "gemeente": w.ids["municipality"], "active": "0"}),
    # front door (issue 11)
    "GET /zorgmeldingen/nieuw/": Spec(query="persoon={C}"),
    "POST /zorgmeldingen/nieuw/": Spec(query="persoon={C}", body=lambda w: _report_form()),
    # The front door's page plans the intake there too: who of the family consented.
    "GET /zorgmeldingen/<uuid:report_id>/": Spec(shows_for={"door": "PCS", "out": "C"}),
    "GET /zorgmeldingen/<uuid:report_id>/ [new]": Spec(ids={"report_id": "report_new"},
                                                      shows_for={"door": "PCS"}),
    "GET /zorgmeldingen/<uuid:report_id>/ [held]": Spec(ids={"report_id": "report_held"},
                                                       shows_for={"door": "PC", "out": "C"}),
    "GET /zorgmeldingen/<uuid:report_id>/ [B]": Spec(ids={"report_id": "report_b"}),
    "GET /zorgmeldingen/<uuid:report_id>/triage/": Spec(ids={"report_id": "report_new"},
                                                       shows_for={"door": "PCS"}),
    "POST /zorgmeldingen/<uuid:report_id>/triage/": Spec(
        ids={"report_id": "report_new"}, body=lambda w: {"decision": "joint_intake"},
        shows_for={"door": "PCS"}),
    "POST /zorgmeldingen/<uuid:report_id>/triage/ [B]": Spec(
        ids={"report_id": "report_b"}, body=lambda w: {"decision": "joint_intake"}),
    # The planning asks who of the family consented to sharing: the household's members.
    "GET /zorgmeldingen/<uuid:report_id>/intake/": Spec(shows_for={"door": "PCS"}),
    # A second meeting (a declined discipline that could not be replaced).
    "POST /zorgmeldingen/<uuid:report_id>/intake/": Spec(body=lambda w: {
        "organisation_ids": [str(w.ids["care"])], "starts_at": f"{_today(7)} 10:00",
        "ends_at": f"{_today(7)} 11:30", "location": "Wijkcentrum De Matrixhoek",
        "joint": "on"}, shows_for={"door": "PCS"}),
    # After the referral of the held intake, the day the help started.
    "GET /zorgmeldingen/<uuid:report_id>/hulp-gestart/": Spec(
        ids={"report_id": "report_held"}, shows_for={"door": "C"}),
    "POST /zorgmeldingen/<uuid:report_id>/hulp-gestart/": Spec(
        ids={"report_id": "report_held"}, body=lambda w: {"on": _today()},
        shows_for={"door": "PC"}),
    "GET /intakes/<int:meeting_id>/vervangen/": Spec(unknown=None),
    "GET /intakes/<int:meeting_id>/gehouden/": Spec(unknown=None),
    # Both land on the report page, where the front door plans with the family's consent.
    "POST /intakes/<int:meeting_id>/gehouden/": Spec(ids={"meeting_id": "meeting_single"},
                                                     shows_for={"door": "PCS"}),
    # The police declined: the front door invites Veilig Thuis instead.
    "POST /intakes/<int:meeting_id>/vervangen/": Spec(body=lambda w: {
        f"r{w.ids['declined']}-organisation_id": str(w.ids["police"]),
        f"r{w.ids['declined']}-by_organisation_id": str(w.ids["vt"])},
        shows_for={"door": "PCS"}),
    "GET /intakes/<int:meeting_id>/uitnodiging/": Spec(shows_for={"out": "C"}),
    "POST /intakes/<int:meeting_id>/uitnodiging/": Spec(
        body=lambda w: {"accept": "yes", "reason": ""}, shows_for={"out": "C"}),
    "GET /intakes/<int:meeting_id>/uitkomst/": Spec(shows_for={"door": "PCS"}),
    "GET /intakes/<int:meeting_id>/uitkomst/ [held]": Spec(ids={"meeting_id": "meeting_held"},
                                                          shows_for={"door": "PC"}),
    "POST /intakes/<int:meeting_id>/uitkomst/": Spec(body=lambda w: {
        "participant_ids": [str(w.professionals["out"].pk)],
        "family_present_ids": [str(w.ids["P"])], "question_understood": "Samen begrepen.",
        "decision": "referral", "referral_result": "Gaat weer met plezier naar school",
        "coordinator_id": "", "main_organisation_id": ""}, shows_for={"door": "PC"}),
    "POST /voordeur/capaciteit/": Spec(body=lambda w: {
        "organisation": str(w.ids["town"]), "week_start": _monday(), "slots": "3"}),
    "POST /voordeur/capaciteit/ [other organisation]": Spec(body=lambda w: {
        "organisation": str(w.ids["care"]), "week_start": _monday(), "slots": "3"}),
    "POST /voordeur/normen/": Spec(body=lambda w: {
        "step": "received", "urgency": "", "days": "4", "working": "1"}),
    "GET /inzicht/ [B]": Spec(query="gebied={municipality_b}&van=2026-01-01&tot=2026-06-30"),
    "GET /inzicht/download/": Spec(query="gebied={municipality}&sectie=kpis"),
    "GET /inzicht/download/ [B]": Spec(query="gebied={municipality_b}&sectie=kpis"),
    "POST /sturing/simulatie/": Spec(body=lambda w: {
        "doel": "scenario", "way": "joint", "slots_1": "1", "arrivals_pct": "0", "weeks": "4",
        "replications": "2", "seed": "1"}),
    "POST /sturing/bord/acties/nieuw/": Spec(body=lambda w: {
        "what": "Intake in één keer", "step": "intake_held", "owner": f"o{w.ids['care']}",
        "start": timezone.localdate().isoformat(),
        "due": (timezone.localdate() + timedelta(days=28)).isoformat(),
        "kpi": "open_intake_held", "expected_direction": "down", "expected_amount": "10"}),
    "POST /sturing/bord/acties/<int:action_id>/": Spec(
        ids={"action_id": "steering_action"},
        body=lambda w: {f"actie-{w.ids['steering_action']}-status": "doing"}),
    "POST /sturing/bord/overleg/nieuw/": Spec(body=lambda w: {
        "held_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "decisions": "Wachtlijst elke week bekijken"}),
    "GET /sturing/bord/overleg/<int:meeting_id>/": Spec(ids={"meeting_id": "steering_meeting"}),
    "POST /sturing/bord/overleg/<int:meeting_id>/": Spec(
        ids={"meeting_id": "steering_meeting"},
        body=lambda w: {"decisions": "Intake samen doen\nWachtlijst elke week"}),
    "POST /inzicht/instellingen/": Spec(body=lambda w: {
        "threshold": "20", "follow_up_days": "365"}),
    "POST /sturing/tijd/": Spec(body=lambda w: {"help_hours": "20",
                                                "accountability_hours": "6"}),
    "POST /sturing/werkplezier/": Spec(body=lambda w: {
        **{item.key: "4" for item in survey.ITEMS}, "overall": "7", "answer": "1"}),
    "POST /sturing/tijd-en-werkplezier/": Spec(body=lambda w: {
        "team": str(w.ids["team"]), "neighbourhoods": [w.ids["neighbourhood"]]}),
    "POST /melden/": Spec(body=lambda w: {
        "given_name": "Kees", "family_name": "Buurkind", "municipality": w.ids["municipality"],
        "question": "Ik hoor vaak geschreeuw bij de buren.", "life_domains": ["domestic_relations"],
        "urgency": "urgent", "reporter_name": "Buurvrouw",
        "contact_email": "buur@example.test"}),
    "POST /gezin/meldingen/nieuw/": Spec(body=lambda w: _family_report(w, "C")),
    "POST /gezin/meldingen/nieuw/ [B]": Spec(body=lambda w: _family_report(w, "R")),
}


def _report_form() -> dict[str, Any]:
    return {"question": "Lijkt bang om naar huis te gaan.", "life_domains": ["emotional_support"],
            "urgency": "regular", "consent_to_share": "on",
            "contact_email": "matrix@example.test"}


def _family_report(w: World, about: str) -> dict[str, Any]:
    return {"person": str(w.ids[about]), **_report_form()}


def _monday() -> str:
    today = timezone.localdate()
    return (today + timedelta(days=7 - today.weekday())).strftime("%d-%m-%Y")


def _aid_text(version: str) -> str:
    from .world import admin_aid_text

    return admin_aid_text(version).decode()


def _organisation(w: World, municipality: str) -> dict[str, str]:
    return {"org-name": "Jeugdhulp Matrixnieuw", "org-kind": "youth_care_provider",
            "org-municipality_code": w.ids[municipality]}


def _new_account(role: str) -> dict[str, Any]:
    return {"add": "1", "new-username": f"matrix.nieuw.{role}", "new-full_name": "Nel Nieuw",
            "new-email": "nel@example.test", "new-phone": "", "new-roles": [role]}


def _account(role: str) -> dict[str, Any]:
    return {"pro-full_name": "Ina Intern", "pro-email": "ina@example.test", "pro-phone": "",
            "pro-roles": [role]}

# Where the code does not do what the rules say (strict xfails; the lead fixes source).
DISAGREEMENTS: dict[tuple[str, str], str] = {}


def spec_of(label: str) -> Spec:
    return SPECS.get(label, Spec())


def url_of(w: World, label: str, *, unknown: bool = False) -> str:
    row, spec = ROWS[label], spec_of(label)
    url = fill(row.route, path_values(w, spec, DEFAULT_IDS, unknown=unknown))
    if spec.query:
        url += "?" + spec.query.format(**w.ids)
    return url


def test_every_url_has_a_row_and_every_row_a_url():
    """No route outside the table: a URL (or a form of the plan page) added later fails
    here until it has a row."""
    problems = uncovered(web_routes(), {route_key(r.route) for r in ROWS.values()})
    assert not problems, "\n".join(problems)
    assert set(SPECS) <= set(ROWS), set(SPECS) - set(ROWS)


@pytest.mark.parametrize(("label", "actor"), cases(ROWS, DISAGREEMENTS))
def test_web(w: World, label: str, actor: str):
    row, spec = ROWS[label], spec_of(label)
    url = url_of(w, label)
    body = spec.body(w) if spec.body else None
    answer = call_web(w, actor, row.method, url, body)
    want = expected_web(row.cells[actor], actor)
    got = web_class(answer, row.method, spec.post_ok)
    assert got == want, (f"{row.method} {url} as {actor}: {got} ({answer.first.status_code}"
                         f" {answer.chain}), the rules say {want}\n"
                         f"{text_of(answer.final)[:400]}")
    for response in (answer.first, answer.final):
        text = text_of(response)
        if spec.echoes and body:
            for typed in body.values():
                text = text.replace(f'value="{typed}"', "")
        if want in ("-", "login"):
            assert not leaks(w, text, ""), f"{label} as {actor}: {leaks(w, text, '')}"
        else:
            shown = leaks(w, text, VISIBLE[actor] + spec.shows
                          + spec.shows_for.get(actor, ""), actor)
            assert not shown, f"{label} as {actor} shows {shown}"


UNKNOWN_CASES = [label for label, row in ROWS.items()
                 if set(re.findall(r"<(?:\w+:)?(\w+)>", row.route)) & ID_PARAMS
                 and spec_of(label).unknown is not None and "[B]" not in label]


UNKNOWN_DISAGREEMENTS: dict[str, str] = {}


@pytest.mark.parametrize("label", unknown_cases(UNKNOWN_CASES, UNKNOWN_DISAGREEMENTS))
def test_an_unknown_id_answers_like_a_forbidden_one(w: World, label: str):
    """With ids that exist nowhere, as an actor the row allows (the family's professional
    when it allows nobody): the same answer as without a ground, no hint of existence."""
    row, spec = ROWS[label], spec_of(label)
    actor = next((a for a, cell in row.cells.items() if cell == "Y" and a != "anon"), "prof")
    url = url_of(w, label, unknown=True)
    answer = call_web(w, actor, row.method, url, spec.body(w) if spec.body else None)
    assert answer.first.status_code == spec.unknown, (
        f"{row.method} {url} as {actor}: {answer.first.status_code} {answer.chain}")
    assert not leaks(w, text_of(answer.first), "")


def test_the_report_page_shows_its_content_to_its_readers_only(w: World):
    """The leak checks are not empty: the question is on the report page of the front door
    and of the invited organisation with consent; the one without consent sees the
    meeting's place, the reporter and the family where it stands, neither the question."""
    url = f"/zorgmeldingen/{w.ids['report']}/"
    seen = {actor: text_of(call_web(w, actor, "GET", url, None).final)
            for actor in ("door", "out", "prof", "teach", "cit")}
    assert {a for a, body in seen.items() if "Vliegerweek" in body} == {"door", "out"}
    assert "Matrixhoek" in seen["prof"]
