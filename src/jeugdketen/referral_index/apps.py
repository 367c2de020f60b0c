from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralIndexConfig(AppConfig):
    name = "jeugdketen.referral_index"
    label = "referral_index"
    verbose_name = _("Verwijsindex")
    default_auto_field = "django.db.models.BigAutoField"
