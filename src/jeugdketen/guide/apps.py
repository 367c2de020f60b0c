import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _running_the_system_check() -> bool:
    """`jeugdketen check`: let the system check list the problems (guide.E001) instead of
    stopping Django before it can run."""
    return sys.argv[1:2] == ["check"]


class GuideConfig(AppConfig):
    """The decision aids ("Signaalgids"). Every aid is a YAML file, validated here at
    start-up: the platform does not start with a broken aid."""

    name = "jeugdketen.guide"
    label = "guide"
    verbose_name = _("Signaalgids (beslishulpen)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jeugdketen.guide import checks, loader

        checks.register()
        from jeugdketen.guide.views import can_open
        from jeugdketen.ui.navigation import register_navigation

        register_navigation("guide_index", _("Signaalgids"), can_open,
                            ("guide_index", "guide_step", "guide_sessions", "guide_session",
                             "guide_admin", "guide_admin_version"))
        if _running_the_system_check():
            return
        loader.reload()  # raises GuideConfigError (ImproperlyConfigured) naming every problem
