from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def may_see_simulation(user: Any) -> bool:
    """The menu item of the simulation (the policy decides every read and run): the
    municipal analyst and the coordinator of the municipality itself."""
    from jeugdketen.ui import roles as r

    roles = set(r.roles_of(user)) & {"municipal_analyst", "coordinator"}
    if not roles or not r.has_professional(user):
        return False
    return bool(user.professional.organisation.kind == "municipality")
def may_see_board(user: Any) -> bool:
    """The menu item of the chain board (the policy decides every read): as insight's, the
    municipal analyst and the coordinator of the municipality itself, and its front door
    (the municipality or one of its neighbourhood teams)."""
    from jeugdketen.insight.apps import may_see_insight

    return may_see_insight(user)


class SteeringConfig(AppConfig):
    """Steering the chain (issue 13): the short-cycle board, the weekly time question, the
    yearly job-satisfaction survey and the what-if simulation. Reads the insight tables,
    never another app's operational data."""

    name = "jeugdketen.steering"
    label = "steering"
    verbose_name = _("Sturing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jeugdketen.steering import time_views
        from jeugdketen.ui.navigation import register_navigation

        # steer-time
        register_navigation("steering:time", _("Mijn tijd"), time_views.may_answer,
                            ("time",))
        register_navigation("steering:survey", _("Werkplezier"),
                            lambda u: time_views.may_answer(u) or time_views.may_close(u),
                            ("survey",))
        register_navigation("steering:effort_figures", _("Tijd en werkplezier"),
                            time_views.may_see_figures, ("effort_figures",))

        # steer-sim
        register_navigation("steering:simulation", _("Simulatie"), may_see_simulation,
                            ("simulation",))
        # steer-board
        register_navigation("steering:board", _("Ketenbord"), may_see_board,
                            ("board", "action_new", "action", "minutes_new", "meeting"))
