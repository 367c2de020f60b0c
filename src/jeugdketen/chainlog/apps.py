from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainlogConfig(AppConfig):
    name = "jeugdketen.chainlog"
    label = "chainlog"
    verbose_name = _("Ketenlog")
    default_auto_field = "django.db.models.BigAutoField"
