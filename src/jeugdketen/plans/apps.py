from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "jeugdketen.plans"
    label = "plans"
    verbose_name = _("Gezinsplannen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jeugdketen.ui import roles as r
        from jeugdketen.ui.navigation import register_navigation

        register_navigation("my_plans", _("Mijn plannen"), r.can_care,
                            ("my_plans", "plan_start", "plan", "plan_versions"))
        register_navigation("family_plans", _("Ons gezinsplan"), r.is_citizen,
                            ("family_plans", "family_plan"))
