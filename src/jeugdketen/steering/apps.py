from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    """Steering the chain (issue 13): the short-cycle board, the weekly time question, the
    yearly job-satisfaction survey and the what-if simulation. Reads the insight tables,
    never another app's operational data."""

    name = "jeugdketen.steering"
    label = "steering"
    verbose_name = _("Sturing")
    default_auto_field = "django.db.models.BigAutoField"
