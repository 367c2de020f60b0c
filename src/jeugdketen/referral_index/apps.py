from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralIndexConfig(AppConfig):
    name = "jeugdketen.referral_index"
    label = "referral_index"
    verbose_name = _("Verwijsindex")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jeugdketen.inbox import unread_of_user
        from jeugdketen.ui import roles as r
        from jeugdketen.ui.navigation import register_navigation

        def municipal_coordinator(user: object) -> bool:
            return "coordinator" in r.roles_of(user)

        register_navigation("my_signals", _("Signalen"), r.can_signal,
                            ("my_signals", "signal_register", "signal_detail", "signal_letter"))
        register_navigation("my_matches", _("Matches"),
                            lambda u: r.can_care(u) or municipal_coordinator(u),
                            ("my_matches", "overdue_matches"))
        register_navigation("inbox", _("Berichten"), r.has_professional,
                            ("inbox", "inbox_message"), count=unread_of_user)
        register_navigation("rights", _("Rechten verwijsindex"), r.can_review,
                            ("rights", "rights_report"))
