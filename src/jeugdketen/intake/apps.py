from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "jeugdketen.intake"
    label = "intake"
    verbose_name = _("Voordeur")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jeugdketen.ui import roles as r
        from jeugdketen.ui.navigation import register_navigation

        register_navigation("intake_queue:queue", _("Wachtrij voordeur"), r.is_front_door,
                            ("queue", "capacity", "norms"))
        register_navigation("intake_public:family_reports", _("Waar staat mijn melding"),
                            r.is_citizen, ("family_reports", "family_report_new"))
