"""The coordinator's pages of a family plan, a module per concern: my plans and starting a
plan (lists), the family page (page), its sections, concerns, goals and actions (sections),
the team and the handover (team), evaluations, versions and approval (versions), closing
(closing), and consent and legal bases (consent). What they share is in base: the plan as a
request sees it (PlanView) and the registry of the forms, each of which plans/urls.py
lists as a URL of its own."""

from jeugdketen.plans.views import (  # noqa: F401  every form registered
    closing,
    consent,
    evaluations,
    lists,
    page,
    sections,
    team,
    versions,
)
from jeugdketen.plans.views.base import FORM_PAGES, HANDLERS, lost_access

__all__ = ["FORM_PAGES", "HANDLERS", "lost_access"]
