"""The front door's norms (intake/norms.py): defaults per the ADR, a municipality's own
rows first (its row for the urgency, then its row for every urgency), working or calendar
days, and three times the norm."""

from __future__ import annotations

from datetime import date

import pytest

from jeugdketen.intake import norms
from jeugdketen.intake.models import Norm, Step, Urgency
from tests import factories as f

MONDAY = date(2026, 11, 30)
FRIDAY = date(2026, 12, 4)


def test_the_defaults_are_the_adrs():
    assert norms.DEFAULTS[(Step.RECEIVED, Urgency.CRISIS)] == (0, True)
    assert norms.DEFAULTS[(Step.RECEIVED, Urgency.URGENT)] == (2, True)
    assert norms.DEFAULTS[(Step.RECEIVED, Urgency.REGULAR)] == (5, True)
    assert norms.DEFAULTS[(Step.TRIAGED, "")] == (28, False)
    assert norms.DEFAULTS[(Step.INTAKE_HELD, "")] == (70, False)


@pytest.mark.django_db
@pytest.mark.parametrize(("step", "urgency", "start", "due", "overdue3"), [
    (Step.RECEIVED, Urgency.CRISIS, MONDAY, MONDAY, MONDAY),
    (Step.RECEIVED, Urgency.URGENT, FRIDAY, date(2026, 12, 8), date(2026, 12, 14)),
    (Step.RECEIVED, Urgency.REGULAR, MONDAY, date(2026, 12, 7), date(2026, 12, 21)),
    (Step.TRIAGED, Urgency.URGENT, MONDAY, date(2026, 12, 28), date(2027, 2, 22)),
    (Step.INTAKE_PLANNED, Urgency.REGULAR, MONDAY, date(2026, 12, 28), date(2027, 2, 22)),
    (Step.INTAKE_HELD, Urgency.CRISIS, MONDAY, date(2027, 2, 8), date(2027, 6, 28)),
])
def test_default_due_dates(step, urgency, start, due, overdue3):
    municipality = f.MunicipalityFactory()
    assert norms.due_dates(municipality, step, urgency, start) == (due, overdue3)
    assert norms.due_dates(municipality.code, step, urgency, start) == (due, overdue3)


@pytest.mark.django_db
def test_a_municipalitys_own_norm_comes_first():
    municipality, other = f.MunicipalityFactory(), f.MunicipalityFactory()
    Norm.objects.create(municipality=municipality, step=Step.RECEIVED, urgency="",
                        days=3, working=False)
    Norm.objects.create(municipality=municipality, step=Step.RECEIVED,
                        urgency=Urgency.URGENT, days=1, working=True)
    # Its norm for the urgency, then its norm for every urgency, then the default.
    assert norms.due_dates(municipality, Step.RECEIVED, Urgency.URGENT, FRIDAY) == (
        date(2026, 12, 7), date(2026, 12, 9))
    assert norms.due_dates(municipality, Step.RECEIVED, Urgency.REGULAR, FRIDAY) == (
        date(2026, 12, 7), date(2026, 12, 13))
    assert norms.rule_for(municipality, Step.TRIAGED, Urgency.REGULAR) == (28, False)
    # Another municipality keeps the defaults.
    assert norms.rule_for(other, Step.RECEIVED, Urgency.URGENT) == (2, True)


@pytest.mark.django_db
@pytest.mark.parametrize("step", [Step.HELP_STARTED, Step.CLOSED])
def test_a_step_without_a_norm(step):
    assert not norms.has_norm(step)
    with pytest.raises(ValueError):
        norms.due_dates(f.MunicipalityFactory(), step, Urgency.REGULAR, MONDAY)
