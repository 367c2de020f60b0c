from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def may_see_insight(user: Any) -> bool:
    """The menu item (the policy decides every read): the municipal analyst and the
    coordinator of the municipality itself, and the front door (the municipality or one of
    its neighbourhood teams)."""
    from jeugdketen.ui import roles as r

    roles = set(r.roles_of(user)) & {"front_door", "municipal_analyst", "coordinator"}
    if not roles or not r.has_professional(user):
        return False
    kind = user.professional.organisation.kind  # read with the user (AccountBackend)
    if "front_door" in roles and kind in ("municipality", "neighbourhood_team"):
        return True
    return kind == "municipality" and bool(roles - {"front_door"})


def may_set_publication(user: Any) -> bool:
    from jeugdketen.ui import roles as r

    return ("municipal_analyst" in r.roles_of(user) and r.has_professional(user)
            and user.professional.organisation.kind == "municipality")


class InsightConfig(AppConfig):
    name = "jeugdketen.insight"
    label = "insight"
    verbose_name = _("Inzicht")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jeugdketen.ui.navigation import register_navigation

        register_navigation("insight:insight", _("Inzicht"), may_see_insight,
                            ("insight", "insight_settings"))
