from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "jeugdketen.intake"
    label = "intake"
    verbose_name = _("Voordeur")
    default_auto_field = "django.db.models.BigAutoField"
