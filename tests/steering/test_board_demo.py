"""The chain board's demo builder (jeugdketen.demo.steering_board.load) on the demo `make
run` loads: a year of weekly meetings with frozen numbers, improvement actions on the
bottlenecks, their measured effects, all through the actions (chain events and access
log)."""

from __future__ import annotations

import time
from io import StringIO

from django.core.management import call_command

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.demo import steering_board
from jeugdketen.steering.models import ImprovementAction, Meeting


def test_a_year_of_meetings_through_the_actions(db, settings, tmp_path):
    from jeugdketen.insight import store
    from jeugdketen.steering import board

    settings.INSIGHT_DIR = tmp_path / "insight"
    store.forget_reader()
    board.forget()
    call_command("demo", stdout=StringIO(), stderr=StringIO())
    began = time.monotonic()
    out = StringIO()
    result = steering_board.load(out=out)
    took = time.monotonic() - began
    print(f"steering_board.load: {took:.1f} s, {out.getvalue().strip()}")
    code = Meeting.objects.values_list("municipality_id", flat=True).first()
    assert result.meetings >= 50 and result.actions >= 8 and result.measured >= 5, (result, took)
    assert steering_board.summary(code) == {"meetings": result.meetings,
                                            "actions": result.actions,
                                            "measured": result.measured}
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
    assert ChainEvent.objects.filter(activity="steering.minutes_closed").count() == result.meetings
    assert ChainEvent.objects.filter(activity="steering.action_created").count() == result.actions
    assert AccessLogRecord.objects.filter(data="steering_minutes", action="create").exists()
    # Again: nothing twice.
    again = steering_board.load(refresh=False)
    assert again.meetings == 0 and again.actions == 0
