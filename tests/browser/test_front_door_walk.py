"""Issue 11 in a real browser: one front door. A teacher's decision aid (the Meldcode)
advises to organise help; one click leads to a care report about the child; the
municipality's front-door team finds it in its queue and triages it to a joint intake; it
plans one meeting and invites two organisations (the neighbourhood team and the school),
which both accept; the meeting records the family's question, a result goal with its five
levels and the coordinator, and the family plan starts with that goal. At each step the
parent sees in the family's own view, on a phone, where the report stands. axe-core on
every page; the parent's pages must not scroll sideways at 390 px.

The family: a household the school entered in the demo, with a child of 5 to 11 whose
parent holds custody in the BRP (and a custody holder in the household for every member
under 16, who gives the plan's consent), no plan, no report and no login yet. The operator gives
the parent a login (as the demo gives demo.gezin one): `jeugdketen shell` on the served
platform. demo.gemeente is the municipality's front door (and a coordinator) in the demo.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import timedelta
from typing import Any

from django.utils import timezone

from .a11y import assert_accessible
from .conftest import _SERVER_ENV, BIN, PASSWORD, log_in, new_page
from .test_reference_index_walk import advance

PHONE = {"width": 390, "height": 844}
REPORT_URL = re.compile(r"/zorgmeldingen/([0-9a-f-]{36})/$")
PLAN_URL = re.compile(r"/plannen/([0-9a-f-]{36})/")
QUESTION = "Is vaak moe en verdrietig op school en komt steeds vaker te laat."
GOAL = "Gaat elke schooldag op tijd en uitgerust naar school"
LEVELS = {"m2": "Komt niet meer op school", "m1": "Twee dagen per week op tijd",
          "0": "Vier dagen per week op tijd", "p1": "Elke schooldag op tijd",
          "p2": "Elke schooldag op tijd en vertelt dat het goed gaat"}

# Run on the served platform: a family for the walk and a login for its parent.
FAMILY = """
import json
from django.contrib.auth import get_user_model
from django.utils import timezone
from jeugdketen.access.policy import AccessPoint, Actor
from jeugdketen.brp.standin.process import ensure_running
from jeugdketen.intake.models import CareReport
from jeugdketen.plans.models import Plan
from jeugdketen.registry import actions as registry
from jeugdketen.registry.models import Household, Kinship, Professional

school = Professional.objects.select_related("organisation", "user").get(
    user__username="demo.professional")
team = Professional.objects.select_related("organisation").get(user__username="demo.regisseur")
door = Professional.objects.select_related("organisation").get(user__username="demo.gemeente")
town = door.organisation.municipality_id
users = get_user_model()
taken = set(users.objects.exclude(person__isnull=True).values_list("person", flat=True))
today = timezone.localdate()
found = None
for household in Household.objects.order_by("pk"):
    members = list(household.members.select_related("person__neighbourhood__district"))
    persons = [m.person_id for m in members]
    if set(persons) & taken or Plan.objects.filter(household=household).exists():
        continue
    if CareReport.objects.filter(person__in=persons).exists() or CareReport.objects.filter(
            household=household).exists():
        continue
    # The family gives consent for the plan: every member under 16 needs a custody
    # holder (per the BRP) in the household, or no plan can start on the family's consent.
    bsns = [m.person.bsn for m in members]
    if any(m.person.age_on(today) < 16 and not Kinship.objects.filter(
            child=m.person, relative_bsn__in=bsns, has_custody=True).exists()
           for m in members):
        continue
    for parent in (m.person for m in members if m.relation == "parent"):
        hood = parent.neighbourhood
        children = sorted((m.person for m in members if m.relation == "child"
                           and 1 <= m.person.age_on(today) < 12 and Kinship.objects.filter(
                               child=m.person, relative_bsn=parent.bsn,
                               has_custody=True).exists()),
                          key=lambda c: abs(c.age_on(today) - 8))
        if hood is not None and hood.district.municipality_id == town and children:
            found = (parent, children[0])
            break
    if found:
        break
assert found is not None, "no family for the walk in the demo"
parent, child = found
# The teacher entered the child (her pupil) once: a ground to walk the decision aid about
# him or her and to report (the real action, as the demo's professionals enter people).
me = Actor(user=school.user, professional=school,
           access_point=AccessPoint(channel="command", user_agent="browser walk"))
with ensure_running():
    registry.register_person(me, registry.PersonInput(
        bsn=child.bsn, given_names=child.given_names, family_name=child.family_name,
        birth_date=child.birth_date, sex=child.sex))
users.objects.create_user(USERNAME, password=PASSWORD, person=parent)
print(json.dumps({"parent": str(parent.pk), "parent_name": str(parent),
                  "child": str(child.pk), "child_name": child.given_names,
                  "school": school.organisation.name, "team": team.organisation.name,
                  "teacher": school.full_name, "coordinator": team.full_name}))
"""


def fresh_family(username: str) -> dict[str, Any]:
    """A family of the demo with no plan and no report, and a login for its parent."""
    code = FAMILY.replace("USERNAME", repr(username)).replace("PASSWORD", repr(PASSWORD))
    result = subprocess.run([str(BIN / "jeugdketen"), "shell", "-c", code], env=_SERVER_ENV,
                            check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


ERROR_PAGES = ("Er ging iets mis", "Geen toegang", "Something went wrong", "No access")


def seen(page: Any, where: str) -> None:
    """The page is a page of the walk (not the error page or the refusal, which are
    accessible too) and passes axe."""
    heading = page.locator("main h1").first.text_content() or ""
    assert not heading.strip().startswith(ERROR_PAGES), f"{where}: {heading!r} at {page.url}"
    assert_accessible(page, where)


def fits(page: Any, where: str) -> None:
    wide = page.evaluate(
        "() => document.scrollingElement.scrollWidth - document.documentElement.clientWidth")
    assert wide <= 0, f"{where}: the page scrolls {wide} px sideways at 390 px"


def where_the_parent_stands(parent: Any, expected: str, where: str) -> str:
    """The parent's view of the family's reports (on a phone): the step in plain words."""
    parent.goto("/gezin/meldingen/")
    seen(parent, f"family reports: {where}")
    fits(parent, f"family reports: {where}")
    cards = parent.locator("main .jk-card")
    assert cards.count() == 1, f"{where}: {parent.locator('main').text_content()!r}"
    text = cards.first.text_content() or ""
    assert expected in text, f"{where}: {text!r}"
    return text


def moment(minutes: int) -> str:
    return (timezone.localtime() + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def test_from_a_teachers_worry_to_a_family_plan(browser, platform_url):
    family = fresh_family("walk.voordeur")
    child_id = family["child"]
    parent = browser.new_context(base_url=platform_url, viewport=PHONE).new_page()
    parent.csp_violations = []
    parent.on("console", lambda m: "Content Security Policy" in m.text
              and parent.csp_violations.append(m.text))
    log_in(parent, "walk.voordeur")
    parent.goto("/gezin/meldingen/")
    seen(parent, "family reports: none yet")
    assert parent.locator("main .jk-card").count() == 0

    # The teacher walks the Meldcode about the child: help is possible, accepted and safe.
    teacher = new_page(browser, platform_url)
    log_in(teacher, "demo.professional")
    teacher.goto(f"/signaalgids/meldcode/?person={child_id}")
    answers = {"suspicion": "yes", "unsafe": "no", "help_possible": "yes",
               "help_accepted": "yes", "lasting_safety": "yes"}
    for _ in range(10):
        if not teacher.locator("button[name=nav][value=next]").count():
            break
        seen(teacher, "Meldcode step")
        step = teacher.locator("input[name=step]").first.input_value()
        if step == "steps":
            teacher.locator("label:has(input[type=checkbox][value=map_signals])").click()
        elif step in answers:
            teacher.locator(f"label:has(input[type=radio][value={answers[step]}])").first.click()
        advance(teacher)
    seen(teacher, "Meldcode advice")
    assert "organiseer hulp" in teacher.content()

    # One click from the advice to the report form about this child.
    teacher.get_by_role("link", name=re.compile("zorgmelding doen bij de voordeur")).click()
    teacher.wait_for_url(re.compile(rf"/zorgmeldingen/nieuw/\?persoon={child_id}"))
    seen(teacher, "report form")
    teacher.fill("#id_question", QUESTION)
    teacher.locator("input[name=life_domains][value=schooling]").check()
    teacher.locator("input[name=urgency][value=regular]").check()
    teacher.fill("#id_desired_result", "Weer met plezier naar school gaan.")
    teacher.locator("input[name=consent_to_share]").check()
    teacher.get_by_role("button", name="Melding versturen").click()
    teacher.wait_for_url(REPORT_URL)
    report_url = teacher.url
    report_id = REPORT_URL.search(report_url).group(1)
    seen(teacher, "report status for the reporter")
    # The reporter sees how far it is, not what happens with its content.
    assert QUESTION not in teacher.content()

    where_the_parent_stands(parent, "De melding is binnen.", "received")

    # The front door finds it in its queue (the newest received report) and triages it.
    door = new_page(browser, platform_url)
    log_in(door, "demo.gemeente")
    door.goto("/voordeur/wachtrij/?stap=received&sorteer=-ontvangen")
    seen(door, "queue")
    assert door.locator(f"main a[href='/zorgmeldingen/{report_id}/']").count() == 1
    door.locator(f"main a[href='/zorgmeldingen/{report_id}/']").click()
    door.wait_for_url(REPORT_URL)
    seen(door, "report for the front door")
    assert QUESTION in door.content()
    door.locator("input[name=decision][value=joint_intake]").check()
    door.get_by_role("button", name="Triage vastleggen").click()
    door.wait_for_url(REPORT_URL)
    seen(door, "triaged")

    where_the_parent_stands(parent, "Er komt één gesprek", "triaged")

    # One meeting, begun a moment ago, with the neighbourhood team and the school (on the
    # planning page: the report page's own planning form does not ask for the consent).
    door.goto(report_url + "intake/")
    seen(door, "intake planning")
    plan_form = door.locator("main form", has=door.get_by_role("button", name="Intake plannen"))
    plan_form.get_by_label(family["team"], exact=True).check()
    plan_form.get_by_label(family["school"], exact=True).check()
    plan_form.locator("[name=starts_at]").fill(moment(-30))
    plan_form.locator("[name=ends_at]").fill(moment(30))
    plan_form.locator("[name=location]").fill("Wijkcentrum De Linde, zaal 2")
    # The parent agreed that both may read the report before the meeting (category intake).
    plan_form.locator(f"input[name=consent_given_by][value='{family['parent']}']").check()
    plan_form.get_by_role("button", name="Intake plannen").click()
    door.wait_for_url(REPORT_URL)
    seen(door, "intake planned")
    outcome_href = door.locator("main a[href*='/uitkomst/']").first.get_attribute("href")
    meeting_id = re.search(r"/intakes/(\d+)/uitkomst/", outcome_href).group(1)

    text = where_the_parent_stands(parent, "gesprek met u en de hulpverleners is gepland",
                                   "intake planned")
    assert "Uiterlijk" in text

    # Both organisations accept, each on its own invitation page.
    coordinator = new_page(browser, platform_url)
    log_in(coordinator, "demo.regisseur")
    for page, who in ((coordinator, "neighbourhood team"), (teacher, "school")):
        page.goto(f"/intakes/{meeting_id}/uitnodiging/")
        seen(page, f"invitation of the {who}")
        assert "Wijkcentrum De Linde" in page.content()
        assert QUESTION in page.content(), f"{who}: the family's consent was recorded"
        page.locator("input[name=accept][value=yes]").check()
        page.get_by_role("button", name="Antwoord versturen").click()
        page.wait_for_load_state()
        assert "Uw antwoord is doorgegeven" in page.content(), who
        seen(page, f"invitation answered by the {who}")
    door.goto(report_url)
    invitations = door.locator("main table").first.text_content() or ""
    assert invitations.count("Geaccepteerd") + invitations.count("Aanvaard") >= 2 or (
        family["coordinator"] in invitations and family["teacher"] in invitations), invitations

    # The meeting: who took part, the question as understood, a result goal with its five
    # levels for the child, the coordinator; the family plan starts.
    door.goto(f"/intakes/{meeting_id}/uitkomst/")
    seen(door, "outcome form")
    form = door.locator("main form")
    form.get_by_label(family["coordinator"], exact=False).first.check()
    form.get_by_label(family["teacher"], exact=False).first.check()
    form.locator(f"input[name=family_present_ids][value='{family['parent']}']").check()
    door.fill("#id_question_understood",
              "Slaapt slecht sinds de scheiding; thuis is het onrustig in de ochtend.")
    form.locator("input[name=decision][value=plan]").check()
    coordinator_option = form.locator("select[name=coordinator_id] option",
                                      has_text=family["coordinator"]).first
    form.locator("select[name=coordinator_id]").select_option(
        coordinator_option.get_attribute("value"))
    for box in form.locator("input[name=consent_given_by]").all():
        box.check()
    door.fill("#id_goal0_title", GOAL)
    form.locator(f"input[name=goal0_persons][value='{child_id}']").check()
    for key, words in LEVELS.items():
        door.fill(f"#id_goal0_levels_{key}", words)
    form.get_by_role("button").last.click()
    door.wait_for_load_state()
    assert "/uitkomst/" not in door.url, door.locator(
        ".utrecht-form-field-error-message, [role=alert]").all_inner_texts()
    # The one who recorded it lands on a page it may see (the plan, or the report).
    assert "403" not in (door.title() or ""), door.url
    seen(door, "after the outcome")

    # The coordinator opens the plan: the goal and its levels are there, typed once.
    coordinator.goto("/plannen/")
    plan_link = coordinator.locator("main a", has_text=re.compile(
        family["parent_name"].split()[-1])).first
    plan_link.click()
    coordinator.wait_for_url(PLAN_URL)
    assert GOAL in coordinator.content()
    assert LEVELS["0"] in coordinator.content()
    seen(coordinator, "family plan from the intake")

    where_the_parent_stands(parent, "De hulp is begonnen.", "plan started")
    parent.goto("/gezin/")
    seen(parent, "family plans")
    fits(parent, "family plans")
    parent.get_by_role("link", name="Bekijk het plan").first.click()
    parent.wait_for_url(re.compile(r"/gezin/[0-9a-f-]{36}/"))
    assert GOAL in parent.content()
    seen(parent, "family plan in the family view")
    fits(parent, "family plan in the family view")


def test_the_front_door_speaks_english(browser, platform_url):
    """A parent reports about their own child in English, on a phone, and sees where it
    stands; the front door reads it in English in its queue and on the report page."""
    family = fresh_family("walk.voordeur.en")
    parent = browser.new_context(base_url=platform_url, viewport=PHONE,
                                 locale="en-GB").new_page()
    parent.csp_violations = []
    log_in(parent, "walk.voordeur.en")
    english(parent)
    parent.goto("/gezin/meldingen/nieuw/")
    seen(parent, "family report form (en)")
    fits(parent, "family report form (en)")
    parent.locator(f"input[name=person][value='{family['child']}']").check()
    parent.fill("#id_question", "My daughter does not want to go to school any more.")
    parent.locator("input[name=life_domains][value=schooling]").check()
    parent.locator("input[name=urgency][value=regular]").check()
    parent.fill("#id_contact_email", "walk@example.test")
    parent.locator("main form button[type=submit]").click()
    parent.wait_for_url(re.compile(r"/gezin/meldingen/$"))
    seen(parent, "family reports (en)")
    fits(parent, "family reports (en)")
    body = parent.locator("main").text_content() or ""
    assert "The report has come in" in body or "Where is my report" in body, body
    assert "De melding is binnen" not in body

    door = new_page(browser, platform_url)
    log_in(door, "demo.gemeente")
    english(door)
    door.goto("/voordeur/wachtrij/?stap=received&sorteer=-ontvangen")
    seen(door, "queue (en)")
    queue = door.locator("main").text_content() or ""
    assert "Wachtrij" not in queue and "Ontvangen" not in queue, queue[:300]
    door.locator("main a[href^='/zorgmeldingen/']").first.click()
    door.wait_for_url(REPORT_URL)
    seen(door, "report (en)")
    main = door.locator("main").text_content() or ""
    assert "Triage" in main and "Triage vastleggen" not in main, main[:300]


def english(page: Any) -> None:
    page.goto("/")
    if page.locator("html").get_attribute("lang") != "en":
        with page.expect_navigation():
            page.locator("form[action$='/i18n/setlang/'] button[value=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
