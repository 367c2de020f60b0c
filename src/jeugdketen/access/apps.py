from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "jeugdketen.access"
    label = "access"
    verbose_name = _("Toegang en toegangslog")
    default_auto_field = "django.db.models.BigAutoField"
