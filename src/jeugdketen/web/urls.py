from django.urls import path

from jeugdketen.web.views import (
    admin_accounts,
    admin_municipality,
    auth,
    home,
    pickers,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("2fa/", auth.two_factor, name="two_factor"),
    path("2fa/activeren/", auth.activate, name="activate_two_factor"),
    path("kiezen/jongeren/", pickers.youth, name="pick_youth"),
    path("kiezen/team/<uuid:plan_id>/", pickers.team, name="pick_team"),
    # Administration on screen (issue 9, part admin).
    path("beheer/organisaties/", admin_accounts.organisations, name="admin_organisations"),
    path("beheer/organisaties/<int:organisation_id>/", admin_accounts.organisation,
         name="admin_organisation"),
    path("beheer/organisaties/<int:organisation_id>/actief/",
         admin_accounts.organisation_active, name="admin_organisation_active"),
    path("beheer/medewerkers/<int:professional_id>/", admin_accounts.professional,
         name="admin_professional"),
    path("beheer/medewerkers/<int:professional_id>/actief/",
         admin_accounts.professional_active, name="admin_professional_active"),
    path("beheer/medewerkers/<int:professional_id>/activeringscode/",
         admin_accounts.activation_code, name="admin_activation_code"),
    path("beheer/activeringscodes/<int:code_id>/intrekken/", admin_accounts.revoke_code,
         name="admin_revoke_code"),
    path("beheer/tokens/<int:token_id>/intrekken/", admin_accounts.revoke_token,
         name="admin_revoke_token"),
    path("beheer/gemeente/", admin_municipality.settings_page, name="admin_municipality"),
    path("beheer/gemeente/productcodes/<int:product_id>/",
         admin_municipality.product_code_active, name="admin_product_code"),
]
