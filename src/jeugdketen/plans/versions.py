"""The plan as the family approves it, and what changed between two versions: pure
functions but for `snapshot`, which reads the plan (it writes nothing)."""

from __future__ import annotations

import difflib
from typing import Any

from jeugdketen.plans.models import Plan, PlanAction, TeamMember


def snapshot(plan: Plan) -> dict[str, Any]:
    """What the family approves: the plan in words, as it stands."""
    team = TeamMember.objects.filter(plan=plan, left_at__isnull=True).select_related(
        "professional__organisation", "related_person")
    return {
        "coordinator": f"{plan.coordinator.full_name} ({plan.coordinator.organisation.name})",
        "goes_well": plan.goes_well,
        "concerns": [f"[{c.get_priority_display()}] {c.text}" for c in plan.concerns.all()],
        "own_strength": plan.own_strength,
        "support_needed": plan.support_needed,
        "goals": [{"title": g.title, "weight": g.weight, "levels": g.levels}
                  for g in plan.goals.all()],
        "actions": [f"{a.description} – {_performer(a)} – {a.due_on.isoformat()} – "
                    f"€ {a.budget_eur}" + (f" ({a.product_code})" if a.product_code else "")
                    for a in plan.actions.select_related("performer_professional",
                                                         "performer_related")],
        "team": [f"{_member_name(m)}: {m.role}" for m in team],
    }


def _performer(item: PlanAction) -> str:
    if item.performer_professional is not None:
        return item.performer_professional.full_name
    return item.performer_related.name if item.performer_related else ""


def _member_name(member: TeamMember) -> str:
    if member.professional is not None:
        return f"{member.professional.full_name} ({member.professional.organisation.name})"
    related = member.related_person
    return f"{related.name} ({related.relation})" if related else ""


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Per part of the plan: the lines removed and added between two versions."""
    out = []
    for key in new:
        before, after = _lines(old.get(key)), _lines(new.get(key))
        if before == after:
            continue
        removed, added = [], []
        for line in difflib.ndiff(before, after):
            if line.startswith("- "):
                removed.append(line[2:])
            elif line.startswith("+ "):
                added.append(line[2:])
        out.append({"part": key, "removed": removed, "added": added})
    return out


def _lines(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [line for line in value.splitlines() if line.strip()]
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict):
                levels = "; ".join(f"{k}: {v}" for k, v in (item.get("levels") or {}).items())
                lines.append(f"{item.get('title')} (×{item.get('weight')}) – {levels}")
            else:
                lines.append(str(item))
        return lines
    return [str(value)]
