"""read_plan(rows=True), as the pages of plans.views read a plan: the goals' persons and
the goal scores as plain rows. The same data as the objects the API and the PDF read, the
same access-log records, and fewer model objects."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models.signals import post_init

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.demo import bench_family as benchmark
from jeugdketen.plans import actions
from jeugdketen.plans.models import GoalScore

pytestmark = pytest.mark.django_db


def logged(fx: benchmark.BenchFamily) -> list[tuple[str, ...]]:
    member_ids = [str(m.pk) for m in fx.members]
    return list(AccessLogRecord.objects.filter(client_id__in=member_ids).order_by("id")
                .values_list("action", "object_type", "object_id", "data", "client_id"))


def test_rows_hold_the_same_scores_and_persons_as_the_objects(municipality: Any) -> None:
    fx = benchmark.ensure(municipality_code=municipality.code)
    before = logged(fx)
    objects = actions.read_plan(fx.actor(), fx.plan.pk)
    after_objects = logged(fx)
    built: list[object] = []

    def count(sender: type, instance: object, **kwargs: object) -> None:
        built.append(instance)

    post_init.connect(count, sender=GoalScore)
    try:
        rows = actions.read_plan(fx.actor(), fx.plan.pk, rows=True)
    finally:
        post_init.disconnect(count, sender=GoalScore)
    after_rows = logged(fx)

    assert objects.evaluations is not None and rows.evaluations is not None
    assert [e.pk for e in rows.evaluations] == [e.pk for e in objects.evaluations]
    assert {e.pk: sorted((s.goal_id, s.score) for s in e.scores.all())
            for e in objects.evaluations} == {
        e.pk: sorted(rows.scores.get(e.pk, [])) for e in rows.evaluations}
    assert sum(len(v) for v in rows.scores.values()) == 480  # 24 evaluations x 20 goals
    assert {g.pk: sorted(str(p) for p in g.persons.all()) for g in objects.goals} == {
        g.pk: sorted(rows.goal_persons.get(g.pk, [])) for g in rows.goals}
    assert built == []  # no GoalScore objects
    # Logged the same way: one record per member each time.
    assert after_objects[len(before):] == after_rows[len(after_objects):]
    assert len(after_rows) - len(after_objects) >= len(fx.members)

