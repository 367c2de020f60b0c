"""The family plan as a PDF (issue 9, "Printing"): the family downloads it from their own
view, the coordinator and the care team from the plan page. The PDF holds what the
viewer's own page shows (the family's words, no budget), is logged as a print for every
member, and is refused, with nothing in it, to whoever may not read the plan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jeugdketen.access.models import AccessLogRecord
from tests import factories as f
from tests.pdf_text import extract_text

from . import test_family_view as family_view
from .test_family_view import HANDOVER_REASON, login

# The family of the family-view tests, with its full plan (the same fixtures).
family_urls = family_view.family_urls
older = family_view.older
plan = family_view.plan
users = family_view.users
full_plan = family_view.full_plan

pytestmark = pytest.mark.django_db


def family_pdf(plan) -> str:
    return reverse("family_plan_pdf", kwargs={"plan_id": plan.pk})


def team_pdf(plan) -> str:
    return reverse("plan_pdf", kwargs={"plan_id": plan.pk})


def pdf_text(response) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="gezinsplan-{str(response.wsgi_request.resolver_match.kwargs["plan_id"])[:8]}.pdf"')
    assert "no-store" in response["Cache-Control"]
    return " ".join(extract_text(response.content).split())


def test_the_family_downloads_their_plan_in_their_own_words(family, older, users, full_plan):
    client = login(users["parent"])
    page = client.get(reverse("family_plan", kwargs={"plan_id": full_plan.pk}))
    assert f'href="{family_pdf(full_plan)}"' in page.content.decode()
    text = pdf_text(client.get(family_pdf(full_plan)))
    assert "Gezinsplan Bakker" in text
    assert "Mariam Bakker (40 jaar)" in text and "Sam Bakker (17 jaar)" in text
    assert "Mariam zorgt elke dag voor een warme maaltijd." in text
    assert "Daan gaat vaak niet naar school. (hoe belangrijk: hoog)" in text
    assert "Karim Kader" in text and "Intern begeleider" in text
    assert "Oma Joke (grootmoeder), 0612345678" in text
    assert HANDOVER_REASON in text
    assert "Doel 1: Daan gaat minstens 3 dagen per week naar school" in text
    assert "+1 Beter dan afgesproken (hier staat het nu)" in text
    assert "-2 Veel minder dan afgesproken" in text and "Gaat niet meer naar school" in text
    assert "Daan elke ochtend wekken Oma Joke (grootmoeder) Wijkteam Oost" in text
    assert "40,0" in text and "60,0" in text and "hoger (+20,0)" in text
    assert "Versie 2 wacht op goedkeuring van het gezin." in text
    # What the family's page does not show is not in their PDF either.
    assert "Budget" not in text and "productcode" not in text and "Weging" not in text
    # Logged as a print of the plan, for every member, on the family's ground.
    prints = AccessLogRecord.objects.filter(user_id=users["parent"].pk, data="plan",
                                            action="print", outcome="allowed")
    assert {r.client_id for r in prints} == {str(p.pk) for p in [*family.members, older]}
    assert {r.ground for r in prints} == {"family"}


def test_the_coordinator_downloads_the_plan_with_budget_and_codes(family, full_plan):
    client = login(full_plan.successor.user)
    page = client.get(reverse("plan", kwargs={"plan_id": full_plan.pk}))
    assert f'href="{team_pdf(full_plan)}"' in page.content.decode()
    text = pdf_text(client.get(team_pdf(full_plan)))
    assert "Doel 2: Mariam heeft overzicht over de rekeningen" in text
    assert "Budget (productcode)" in text and "Weging: 1" in text
    assert "Totaal budget € 0,00, uitgegeven € 0,00." in text
    assert AccessLogRecord.objects.filter(user_id=full_plan.successor.user.pk, data="plan",
                                          action="print", ground="plan_coordinator").exists()


def test_a_team_member_with_consent_downloads_it(family, full_plan):
    text = pdf_text(login(family.teacher.user).get(team_pdf(full_plan)))
    assert "Daan gaat minstens 3 dagen per week naar school" in text


@pytest.mark.parametrize("who", ["child_under_16", "stranger", "other_professional"])
def test_whoever_may_not_read_the_plan_gets_no_pdf(family, users, full_plan, who):
    if who == "child_under_16":
        client, url = login(users["youth"]), family_pdf(full_plan)
    elif who == "stranger":
        stranger = f.PersonFactory(birth_date=f.birth_date_for_age(35))
        f.make_household(parents=[stranger], children=[f.PersonFactory()])
        client, url = login(f.UserFactory(person=stranger)), family_pdf(full_plan)
    else:
        other = f.ProfessionalFactory(organisation=family.team_org, roles=["professional"])
        client, url = login(other.user), team_pdf(full_plan)
    response = client.get(url)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert not AccessLogRecord.objects.filter(action="print", outcome="allowed").exists()


def test_each_side_uses_its_own_address(family, users, full_plan):
    """A citizen is not served the team's PDF, nor a professional the family's."""
    assert login(users["parent"]).get(team_pdf(full_plan)).status_code == 403
    assert login(full_plan.successor.user).get(family_pdf(full_plan)).status_code == 403
