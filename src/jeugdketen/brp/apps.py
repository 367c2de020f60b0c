from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrpConfig(AppConfig):
    name = "jeugdketen.brp"
    label = "brp"
    verbose_name = _("BRP (basisregistratie personen)")

    def ready(self) -> None:
        from jeugdketen.brp import checks  # noqa: F401  (registers the system check)
