from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _unanswered(user: Any) -> int:
    from jeugdketen.intake.selectors import unanswered_invitations

    return unanswered_invitations(user)


class IntakeConfig(AppConfig):
    name = "jeugdketen.intake"
    label = "intake"
    verbose_name = _("Voordeur")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jeugdketen.ui import roles as r
        from jeugdketen.ui.navigation import register_navigation

        register_navigation("intake_queue:queue", _("Wachtrij voordeur"), r.is_front_door,
                            ("queue", "capacity", "norms", "report", "triage", "plan_intake",
                             "help_started", "outcome", "replace", "answer"))
        register_navigation("intake:invitations", _("Intakes"), r.can_care,
                            ("invitations",), count=_unanswered)
        register_navigation("intake_public:family_reports", _("Waar staat mijn melding"),
                            r.is_citizen, ("family_reports", "family_report_new"))
