from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "jeugdketen.plans"
    label = "plans"
    verbose_name = _("Gezinsplannen")
    default_auto_field = "django.db.models.BigAutoField"
