"""The chain board's demo builder (jeugdketen.demo.steering_board.load) on the demo `make
run` loads: a year of weekly meetings with frozen numbers, improvement actions on the
bottlenecks, their measured effects, all through the actions (chain events and access
log)."""

from __future__ import annotations

import time

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.demo import steering_board
from jeugdketen.steering.models import ImprovementAction, Meeting


def check_a_year_of_meetings_through_the_actions() -> None:
    """Called by tests/demo/test_full_demo.py on the demo as `make run` loads it (the demo
    command runs steering_board.load after its insight refresh)."""
    code = Meeting.objects.values_list("municipality_id", flat=True).first()
    result = steering_board.summary(code)
    assert result["meetings"] >= 50 and result["actions"] >= 8 and result["measured"] >= 5, result
    # Every meeting closed, with the board's numbers frozen.
    assert not Meeting.objects.filter(closed_at__isnull=True).exists()
    first = Meeting.objects.order_by("held_on").first()
    assert first.snapshot["week"] < Meeting.objects.order_by("held_on").last().snapshot["week"]
    assert any(s["key"] == "new_reports" for s in first.snapshot["series"])
    # Measured effects: before and after with their n.
    measured = ImprovementAction.objects.filter(measured__isnull=False).first()
    assert measured.measured["status"] == "measured"
    assert {"before", "after", "change"} <= set(measured.measured)
    # Through the actions: chain events and the access log.
    assert ChainEvent.objects.filter(
        activity="steering.minutes_closed").count() == result["meetings"]
    assert ChainEvent.objects.filter(
        activity="steering.action_created").count() == result["actions"]
    assert AccessLogRecord.objects.filter(data="steering_minutes", action="create").exists()
    # The demo's simulation (loaded after the board) gave one action its expected effect:
    # the joint intake scenario's change in the median time to help.
    from_scenario = ImprovementAction.objects.filter(scenario_effect__isnull=False)
    assert from_scenario.count() == 1
    assert from_scenario.get().scenario_effect["measure"] == "time_to_help.p50"
    # Again: nothing twice.
    began = time.monotonic()
    again = steering_board.load(refresh=False)
    assert again.meetings == 0 and again.actions == 0, again
    print(f"steering_board.load again: {time.monotonic() - began:.1f} s")
