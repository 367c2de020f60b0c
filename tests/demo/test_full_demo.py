"""The demo as `make run` loads it (`jeugdketen demo`, default size), loaded ONCE for the
checks that need all of it (a full load takes minutes): the differences insight is about
(tests/demo/test_insight_demo.py), the chain board's year of meetings
(tests/steering/test_board_demo.py) and the simulation validated against the demo's
observed waits (tests/steering/simulation/test_demo_validation.py)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from tests.demo.test_insight_demo import check_the_demo_shows_the_differences_insight_is_about
from tests.steering.simulation.test_demo_validation import (
    check_the_model_reproduces_the_demos_observed_waits,
)
from tests.steering.test_board_demo import check_a_year_of_meetings_through_the_actions


def test_the_demo_as_make_run_loads_it(db, settings, tmp_path):
    from jeugdketen.insight import store
    from jeugdketen.steering import board

    settings.INSIGHT_DIR = tmp_path / "insight"  # the demo's own refresh writes here
    store.forget_reader()
    board.forget()
    try:
        call_command("demo", stdout=StringIO(), stderr=StringIO())
        check_a_year_of_meetings_through_the_actions()
        check_the_model_reproduces_the_demos_observed_waits(settings, tmp_path)
        check_the_demo_shows_the_differences_insight_is_about(settings, tmp_path)
    finally:
        store.forget_reader()
        board.forget()
