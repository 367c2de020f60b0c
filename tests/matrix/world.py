"""One small world for the authorisation matrix, built with the real actions and the BRP
stand-in (so every fact that gives a ground is verified as in life).

Municipality A ("Matrixdam"):
- organisations: a neighbourhood team (may signal and coordinate), a school (may signal
  and coordinate), Veilig Thuis, the police, a youth-care provider and the municipality;
- family A, registered by `prof` (neighbourhood team): the mother Zwaantje (40), her
  children Quintijn (8) and Ysolde (6), one household; the BRP says she holds custody of
  both children. `prof` coordinates the family's plan, started on the mother's consent;
  the plan has a concern, a goal, an action, a version, a network member and the teacher
  in its team (the school holds the family's consent for that plan, all categories);
- the reference index: `prof` and `teacher` each have a signal on Quintijn, so there is a
  match; `prof` proposed `teacher` as its coordinator, and the agreement is overdue;
- the teacher registered Quintijn with another given name: an open report back to the
  BRP (correction proposal); Veilig Thuis holds a legal basis for Quintijn; a police
  officer broke the glass to read Quintijn; `prof` completed a decision aid about him;
  the privacy officer recorded a rights request about him;
- Egbertus (30), registered by the police officer: the person the matrix breaks the
  glass for.

The front door (issue 11): `door` is the front-door team of Matrixdam (role `front_door`
at the municipality itself). Care reports of family A:
- `report`: the teacher's report about Quintijn, triaged to a joint intake; its meeting
  (`meeting`, begun an hour ago, no outcome yet) invites the youth-care provider (which
  holds the family's consent `intake` for Quintijn: `out` reads the report), the
  neighbourhood team (no such consent: `prof` sees the meeting's date and place only,
  although the family's plan consent is his team's) and the police, which declined; a
  single-organisation intake of the youth-care provider (`meeting_single`, today's way)
  was planned too;
- `report_new`: the mother's own report about Ysolde, received, not triaged yet;
- `report_held`: the teacher's second report about Quintijn, whose joint intake was held
  (`meeting_held`, the youth-care provider took part) with a referral as its outcome.
Each report's content carries a word only its readers may see (World.secrets).

Municipality B ("Anderdam"): family B (Bartholda, 38, and her son Wubbo, 9, with an open
report back to the BRP), registered by a professional of its own neighbourhood team, who
coordinates their plan; Bartholda reported about Wubbo herself (`report_b`).

The actors of the matrix (ACTORS): every role in municipality A (`prof` is the family's
professional; `teach` the teacher in the care team; `out` a professional of a youth-care
provider with no tie to anyone but the intake it is invited to with the family's consent;
`door` the municipality's front-door team), the custody-holding mother of family A (`cit`), the mother
of family B (`ocit`), and no one (`anon`). Each has an API token and a web session that
passed the second factor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import formats, timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from jeugdketen.access import actions as access
from jeugdketen.access.models import AccessLogRecord, ApiToken
from jeugdketen.guide import actions as guide
from jeugdketen.plans import actions as plans
from jeugdketen.plans.actions import RelatedInput
from jeugdketen.plans.models import Plan
from jeugdketen.referral_index import actions as referral
from jeugdketen.referral_index.models import Match, Message
from jeugdketen.registry import actions as registry
from jeugdketen.registry.models import CorrectionProposal, Person, Professional
from tests import factories as f
from tests.brp import in_brp
from tests.conftest import token_for

# The columns of the matrix, in this order.
ACTORS = ("prof", "teach", "out", "coord", "priv", "anal", "fadm", "padm", "door", "cit",
          "ocit", "anon")
PROFESSIONALS = ACTORS[:9]
CITIZENS = ("cit", "ocit")
CARE = ("prof", "teach", "out", "coord")
REASON = "Acute zorgmelding, ouders zijn niet bereikbaar"
LEVELS = {"-2": "Gaat niet meer naar school", "-1": "Eén dag per week",
          "0": "Drie dagen per week", "1": "Vier dagen per week", "2": "Elke dag"}
ALL_CATEGORIES = ["base_data", "analysis", "plan", "evaluations"]


@dataclass
class Someone:
    """A person of the world and what identifies them (never to be shown without a
    ground): names, BSN, birth date as the pages and the API write it."""

    key: str
    person: Person

    @property
    def words(self) -> list[str]:
        p = self.person
        born = p.birth_date
        with translation.override("nl"):
            long_nl = formats.date_format(born, "j F Y")
        with translation.override("en"):
            long_en = formats.date_format(born, "N j, Y")
        return [p.given_names, p.family_name, p.bsn or "", born.isoformat(),
                born.strftime("%d-%m-%Y"), long_nl, long_en]


@dataclass
class World:
    ids: dict[str, Any] = field(default_factory=dict)
    persons: dict[str, Someone] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    professionals: dict[str, Professional] = field(default_factory=dict)
    new_person: dict[str, Any] = field(default_factory=dict)
    # Words that only some actors may ever be shown: {word: "actor actor"}.
    secrets: dict[str, str] = field(default_factory=dict)

    def web(self, actor: str) -> Client:
        """A fresh client for the actor's verified session (a call may end the session,
        e.g. a logout: the next case starts from the stored one again)."""
        client = Client(HTTP_USER_AGENT="matrix")
        client.cookies["django_language"] = "nl"
        if actor in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[actor]
        return client


def _person(actor: Any, *, bsn: str, given: str, family: str, born: date, sex: str,
            postcode: str, number: int, parents: tuple[str, ...] = (),
            entered_given: str | None = None) -> Person:
    """Put the person in the BRP and register them as `actor` (with `entered_given`: the
    professional types another given name than the BRP's)."""
    in_brp(bsn=bsn, given_names=given, family_name=family, birth_date=born, sex=sex,
           postcode=postcode, house_number=number, parents=list(parents),
           custody=list(parents))
    return registry.register_person(actor, registry.PersonInput(
        bsn=bsn, given_names=entered_given or given, family_name=family, birth_date=born,
        sex=sex, postcode=postcode, house_number=number)).person


def _area(code: str, name: str, postcode: str, number: int) -> Any:
    municipality = f.MunicipalityFactory(code=code, name=name)
    district = f.DistrictFactory(municipality=municipality, code=f"WK{code[2:]}01",
                                 name=f"{name} Centrum")
    hood = f.NeighbourhoodFactory(district=district, code=f"BU{code[2:]}0101",
                                  name=f"{name} Oost")
    f.PostcodeAddressFactory(postcode=postcode, house_number=number, neighbourhood=hood)
    return municipality


def _verified_session(user: Any) -> str:
    """A logged-in session that passed the second factor (a confirmed TOTP device)."""
    device = TOTPDevice.objects.create(user=user, name="matrix", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return session.session_key


def build() -> World:
    w = World()
    today = timezone.localdate()
    a = _area("GM9951", "Matrixdam", "9951AB", 12)
    b = _area("GM9952", "Anderdam", "9952CD", 5)

    org = f.OrganisationFactory
    team = org(name="Wijkteam Matrixdam", kind="neighbourhood_team", municipality=a,
               may_signal=True, may_coordinate=True)
    school = org(name="Basisschool De Matrix", kind="school", municipality=a,
                 may_signal=True, may_coordinate=True)
    vt = org(name="Veilig Thuis Matrixdam", kind="veilig_thuis", municipality=a,
             may_signal=True)
    police = org(name="Politie Matrixdam", kind="police", municipality=a, may_signal=True)
    care = org(name="Jeugdhulp De Brug", kind="youth_care_provider", municipality=a,
               may_signal=True)
    town = org(name="Gemeente Matrixdam", kind="municipality", municipality=a,
               may_signal=False)
    team_b = org(name="Wijkteam Anderdam", kind="neighbourhood_team", municipality=b,
                 may_signal=True, may_coordinate=True)

    def pro(key: str, organisation: Any, role: str, name: str) -> Professional:
        p = f.ProfessionalFactory(organisation=organisation, roles=[role], full_name=name,
                                  user=f.UserFactory(username=f"matrix.{key}"))
        w.professionals[key] = p
        return p

    prof = pro("prof", team, "professional", "Rik Regie")
    teacher = pro("teach", school, "professional", "Ina Intern")
    pro("out", care, "professional", "Otto Buiten")
    pro("coord", town, "coordinator", "Gea Gemeente")
    privacy = pro("priv", town, "privacy_officer", "Pim Privacy")
    pro("anal", town, "municipal_analyst", "Ada Analist")
    pro("fadm", town, "functional_admin", "Fleur Beheer")
    pro("padm", town, "platform_admin", "Piet Platform")
    colleague = pro("colleague", team, "professional", "Carla Collega")
    officer = pro("police", police, "professional", "Agent Bos")
    vt_worker = pro("vt", vt, "professional", "Vera Veilig")
    prof_b = pro("prof_b", team_b, "professional", "Bram Anderdam")
    door = pro("door", town, "front_door", "Dora Voordeur")

    act = f.professional_actor
    born_p = date(1985, 2, 13)
    born_c = f.birth_date_for_age(8, days_after_birthday=40)
    born_s = f.birth_date_for_age(6, days_after_birthday=70)
    bsn_p, bsn_c, bsn_s = f.synthetic_bsn(), f.synthetic_bsn(), f.synthetic_bsn()
    where_a = {"postcode": "9951AB", "number": 12}
    mother = _person(act(prof), bsn=bsn_p, given="Zwaantje", family="Vlierhoven", born=born_p,
                     sex="V", **where_a)
    child = _person(act(prof), bsn=bsn_c, given="Quintijn", family="Vlierhoven", born=born_c,
                    sex="M", parents=(bsn_p,), **where_a)
    sister = _person(act(prof), bsn=bsn_s, given="Ysolde", family="Vlierhoven", born=born_s,
                     sex="V", parents=(bsn_p,), **where_a)
    household = registry.register_household(act(prof), [
        registry.MemberInput(mother.pk), registry.MemberInput(child.pk),
        registry.MemberInput(sister.pk)])
    # The teacher types another given name: a report back to the BRP (correction).
    registry.register_person(act(teacher), registry.PersonInput(
        bsn=bsn_c, given_names="Quinten", family_name="Vlierhoven", birth_date=born_c,
        sex="M"))
    registry.register_person(act(vt_worker), registry.PersonInput(
        bsn=bsn_c, given_names="Quintijn", family_name="Vlierhoven", birth_date=born_c,
        sex="M"))
    stranger = _person(act(officer), bsn=f.synthetic_bsn(), given="Egbertus",
                       family="Noodhulpsma", born=date(1995, 4, 17), sex="M", **where_a)

    # The plan, on the mother's consent; the school joins the team on the family's consent.
    plan = plans.start_plan(act(prof), household.pk, prof.pk, consent_given_by=[mother.pk])
    school_consents = plans.record_consents(
        act(prof), plan.pk, person_ids=[mother.pk, child.pk, sister.pk], given_by=[mother.pk],
        organisation_id=school.pk, categories=ALL_CATEGORIES)
    plans.add_team_member(act(prof), plan.pk, role="Intern begeleider",
                          professional_id=teacher.pk)
    network = plans.add_team_member(act(prof), plan.pk, role="Haalt de kinderen op",
                                    related=RelatedInput(name="Truus van de Buren",
                                                         relation="buurvrouw"))
    concern = plans.add_concern(act(prof), plan.pk, text="Schoolverzuim", priority=2)
    goal = plans.add_goal(act(prof), plan.pk, title="Gaat weer naar school",
                          person_ids=[child.pk], levels=LEVELS)
    item = plans.add_action(act(prof), plan.pk, description="Huisbezoek",
                            organisation_id=team.pk, due_on=today + timedelta(days=30),
                            performer_professional_id=prof.pk, goal_id=goal.pk)
    version = plans.save_version(act(prof), plan.pk)
    access.record_legal_basis(act(vt_worker), child.pk, organisation_id=vt.pk,
                              kind="veilig_thuis", reference="VT-MATRIX-1",
                              valid_until=today + timedelta(days=180))
    # Veilig Thuis is not in the plan: its legal basis is the family's and the privacy
    # officer's to see, never the coordinator's or the team's (finding 1).
    w.secrets["VT-MATRIX-1"] = "cit priv"

    # The reference index: two signals on the child make a match, overdue, with a proposal.
    signal = referral.register_signal(act(prof), child.pk, duration_days=365).signal
    match = referral.register_signal(act(teacher), child.pk, duration_days=365).matches[0]
    referral.propose_coordinator(act(prof), match.pk, teacher.pk)
    Match.objects.filter(pk=match.pk).update(coordinator_due=today - timedelta(days=3))
    session = guide.complete_session(act(prof), "meldrichtlijn", {
        "material": ["no_fixed_home"], "real_threat": "yes"}, child.pk).session
    registry.read_person(act(officer, emergency_reason=REASON), child.pk)
    glass = AccessLogRecord.objects.filter(emergency=True, client_id=str(child.pk)).latest("id")
    rights = referral.record_rights_request(act(privacy), child.pk, kind="inspection",
                                            requested_by="de moeder")

    # Family B, in the other municipality.
    bsn_q, bsn_r = f.synthetic_bsn(), f.synthetic_bsn()
    where_b = {"postcode": "9952CD", "number": 5}
    mother_b = _person(act(prof_b), bsn=bsn_q, given="Bartholda", family="Oudemolen",
                       born=date(1987, 11, 21), sex="V", **where_b)
    son_b = _person(act(prof_b), bsn=bsn_r, given="Wubbo", family="Oudemolen",
                    born=f.birth_date_for_age(9, days_after_birthday=20), sex="M",
                    parents=(bsn_q,), entered_given="Wubbe", **where_b)
    household_b = registry.register_household(act(prof_b), [
        registry.MemberInput(mother_b.pk), registry.MemberInput(son_b.pk)])
    plan_b = plans.start_plan(act(prof_b), household_b.pk, prof_b.pk,
                              consent_given_by=[mother_b.pk])

    # Logins: an API token and a verified web session per actor.
    for key in PROFESSIONALS:
        user = w.professionals[key].user
        w.tokens[key] = token_for(user)
        w.sessions[key] = _verified_session(user)
    citizens = {}
    for key, person in (("cit", mother), ("ocit", mother_b)):
        user = citizens[key] = f.UserFactory(person=person, username=f"matrix.{key}")
        # Citizens cannot make a token in the web (only professionals can): one made
        # through the action shows what the API would let a family login do.
        w.tokens[key] = token_for(user)
        w.sessions[key] = _verified_session(user)

    _front_door(w, door=door, teacher=teacher, police=police, officer=officer,
                mother=f.citizen_actor(mother, user=citizens["cit"]),
                child=child, sister=sister, care=care, team=team, out=w.professionals["out"],
                mother_b=f.citizen_actor(mother_b, user=citizens["ocit"]), son_b=son_b)

    for key, person in (("P", mother), ("C", child), ("S", sister), ("E", stranger),
                        ("Q", mother_b), ("R", son_b)):
        w.persons[key] = Someone(key, person)
    consent_c = next(c for c in school_consents if c.person_id == child.pk)
    w.ids.update({
        "municipality": a.code, "municipality_b": b.code,
        "neighbourhood": "BU99510101",
        "team": team.pk, "school": school.pk, "vt": vt.pk, "care": care.pk,
        "town": town.pk, "team_b": team_b.pk,
        "P": mother.pk, "C": child.pk, "S": sister.pk, "E": stranger.pk, "Q": mother_b.pk,
        "R": son_b.pk,
        "household": household.pk, "household_b": household_b.pk,
        "plan": plan.pk, "plan_b": plan_b.pk, "consent": consent_c.pk,
        "revision": Plan.objects.get(pk=plan.pk).revision,
        "concern": concern.pk, "goal": goal.pk, "action": item.pk, "network": network.pk,
        "version": version.number,
        "signal": signal.pk, "match": match.pk, "guide_session": session.pk,
        "break_glass": glass.pk, "rights_request": rights.pk,
        "correction": CorrectionProposal.objects.get(person=child, status="open").pk,
        "correction_b": CorrectionProposal.objects.get(person=son_b, status="open").pk,
        "prof": prof.pk, "teach": teacher.pk, "colleague": colleague.pk,
        "prof_b": prof_b.pk,
        "prof_token": ApiToken.objects.filter(user=prof.user).latest("id").pk,
        "message": Message.objects.filter(recipient=prof).latest("id").pk,
    })
    # Administration on screen (issue 9, part admin): an uploaded decision-aid version, an
    # open activation code and a municipality's own product code.
    fadm, padm = act(w.professionals["fadm"]), act(w.professionals["padm"])
    w.ids.update({
        "aid_version": guide.upload_version(fadm, admin_aid_text("9999.1")).pk,
        "activation_code": access.issue_activation_code(padm, teacher.user)[1].pk,
        "product_code": plans.add_product_code(fadm, a.code, code="matrix-zorg",
                                               label="Matrixzorg").pk,
        "priv_professional": w.professionals["priv"].pk,
    })
    # The chain board (issue 13): an improvement action and the minutes of a meeting of
    # the municipality, recorded by its analyst.
    from jeugdketen.steering import board_actions as board

    anal = act(w.professionals["anal"])
    steering_action = board.create_action(
        anal, a.code, what="Intake in één keer", owner_organisation=care.pk,
        start=today, due=today + timedelta(days=28), kpi="open_intake_held",
        expected_direction="down", expected_amount=10)
    minutes = board.save_minutes(anal, a.code, held_on=today - timedelta(days=1),
                                 decisions=["Intake samen doen"])
    w.ids.update({"steering_action": steering_action.pk,
                  "steering_meeting": minutes.meeting_id})
    # Somebody nobody registered yet (the BRP knows them): registration routes enter them.
    w.new_person = {"bsn": f.synthetic_bsn(), "given_names": "Florentijn",
                    "family_name": "Inschrijver", "birth_date": "2015-09-23", "sex": "M"}
    in_brp(bsn=w.new_person["bsn"], given_names="Florentijn", family_name="Inschrijver",
           birth_date=date(2015, 9, 23), sex="M")
    return w


# The front door's content: words that only the report's readers may ever be shown.
QUESTION = "Komt sinds de Vliegerweek niet meer op school."
QUESTION_NEW = "Slaapt slecht sinds de Fietsenstalling-ruzie."
UNDERSTOOD = "Het Zwembadbandje-verhaal: bang om alleen thuis te zijn."
TEACHER_PHONE = "0611122233"


def intake_consent(recorded_by: Professional, person: Person, organisation: Any,
                   given_by: Person) -> Any:
    """The family's consent `intake` (for no plan) for an organisation to read the report
    before the intake. No action records one yet: written as the consent model holds it,
    as tests/intake/conftest.py does."""
    from jeugdketen.access.models import Consent

    consent = Consent.objects.create(
        person=person, plan=None, organisation=organisation, categories=["intake"],
        valid_from=timezone.localdate(), recorded_by=recorded_by.user)
    consent.given_by.set([given_by])
    return consent


def _front_door(w: World, *, door: Professional, teacher: Professional, police: Any,
                officer: Professional, mother: Any,
                child: Person, sister: Person, care: Any, team: Any, out: Professional,
                mother_b: Any, son_b: Person) -> None:
    """The care reports of the world (see the module's docstring), through the actions."""
    from jeugdketen.intake.actions import meetings, reports, triage

    act = f.professional_actor
    now = timezone.now()
    content = {"life_domains": ["schooling", "emotional_support"], "unsafe": False,
               "desired_result": "Weer elke dag naar school.", "consent_to_share": True}
    report = reports.report(act(teacher), person_id=child.pk, question=QUESTION,
                            urgency="regular", contact_phone=TEACHER_PHONE,
                            contact_email="ina@example.test", **content)
    triage.triage(act(door), report.pk, decision="joint_intake")
    meeting = meetings.plan_intake(
        act(door), report.pk, organisation_ids=[care.pk, team.pk, police.pk],
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1),
        location="Wijkcentrum De Matrixhoek")
    declined = meetings.answer_invitation(act(officer), meeting.pk, police.pk, accept=False,
                                          reason="Geen wijkagent beschikbaar")
    intake_consent(door, child, care, mother.person)
    # Today's way, recorded for the comparison: the youth-care provider's own intake.
    single = meetings.plan_intake(
        act(door), report.pk, organisation_ids=[care.pk], joint=False,
        starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=2),
        location="Jeugdhulp De Brug, spreekkamer")
    report_new = reports.report(mother, person_id=sister.pk, question=QUESTION_NEW,
                                urgency="urgent", **content)
    held = reports.report(act(teacher), person_id=child.pk, question=QUESTION,
                          urgency="urgent", **content)
    triage.triage(act(door), held.pk, decision="joint_intake")
    meeting_held = meetings.plan_intake(
        act(door), held.pk, organisation_ids=[care.pk], starts_at=now - timedelta(days=1),
        ends_at=now - timedelta(days=1) + timedelta(hours=1), location="Beeldbellen")
    meetings.answer_invitation(act(out), meeting_held.pk, care.pk, accept=True)
    meetings.hold_intake(
        act(door), meeting_held.pk, participant_ids=[out.pk], family_present_ids=[mother.person.pk],
        question_understood=UNDERSTOOD, goals=[{
            "title": "Gaat met plezier naar school", "person_ids": [child.pk],
            "levels": LEVELS}], decision="referral",
        referral_result="Kan weer alleen thuis zijn zonder angst")
    report_b = reports.report(mother_b, person_id=son_b.pk,
                              question="Wubbo eet slecht.", urgency="regular", **content)
    # Who may read the content: the front door, the invited organisation with consent and
    # the family (its own report); the reporter's contact details not the family.
    w.secrets.update({"Vliegerweek": "door out cit", "Fietsenstalling": "door cit",
                      "Zwembadbandje": "door out cit", TEACHER_PHONE: "door out"})
    w.ids.update({"report": report.pk, "report_new": report_new.pk, "report_held": held.pk,
                  "report_b": report_b.pk, "meeting": meeting.pk,
                  "meeting_held": meeting_held.pk, "door": door.pk,
                  "declined": declined.pk, "police": police.pk,
                  "meeting_single": single.pk})


def admin_aid_text(version: str) -> bytes:
    """The built-in Meldcode with another version number: a valid upload."""
    from jeugdketen.guide import loader

    text = (loader.BUILTIN_DIR / "meldcode.yaml").read_text(encoding="utf-8")
    current = loader.get("meldcode")
    assert current is not None
    return text.replace(f'version: "{current.version}"', f'version: "{version}"', 1).encode()
