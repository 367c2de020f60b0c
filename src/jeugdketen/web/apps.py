from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "jeugdketen.web"
    label = "web"

    def ready(self) -> None:
        # The administration pages are the registry's; their menu items are registered
        # here, after every app's own, so the menu keeps its order.
        from jeugdketen.registry.views.admin_accounts import can_administer
        from jeugdketen.ui.navigation import register_navigation

        register_navigation("admin_organisations", _("Organisaties en accounts"),
                            can_administer, ("admin_organisations", "admin_organisation",
                                             "admin_professional"))
        register_navigation("admin_municipality", _("Gemeente-instellingen"), can_administer,
                            ("admin_municipality",))
