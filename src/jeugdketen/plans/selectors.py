"""Reads of plans that pages and other apps use (public names)."""

from __future__ import annotations

from typing import Any


def waiting_versions(plans: list[Any]) -> dict[Any, Any]:
    """Per open plan: its newest version when that still waits for approval."""
    from jeugdketen.plans.models import PlanVersion

    open_ids = [p.pk for p in plans if p.is_open]
    newest: dict[Any, Any] = {}
    for version in PlanVersion.objects.filter(plan_id__in=open_ids).order_by("plan_id", "number"):
        newest[version.plan_id] = version
    return {pid: v for pid, v in newest.items() if v.approved_at is None}
