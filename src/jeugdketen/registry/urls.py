"""The registry's pages (included at the root by config/urls.py; the paths and names are
those the web pages always had)."""

from django.urls import path

from jeugdketen.registry.views import (
    admin_accounts,
    admin_municipality,
    corrections,
    households,
    persons,
)

urlpatterns = [
    path("personen/", persons.index, name="persons"),
    path("personen/nieuw/", persons.register, name="register_person"),
    path("personen/<str:person_id>/", persons.detail, name="person"),
    path("personen/<str:person_id>/grondslag/", persons.legal_basis, name="person_legal_basis"),
    path("huishoudens/nieuw/", households.register, name="register_household"),
    path("huishoudens/<str:household_id>/", households.detail, name="household"),
    path("noodtoegang/", persons.emergency, name="emergency"),
    path("beheer/correcties/", corrections.corrections, name="corrections"),
    path("beheer/correcties/<int:proposal_id>/", corrections.decide, name="decide_correction"),
]

# Administration on screen (issue 9, part admin): organisations, professionals, activation
# codes, API tokens, the municipality's settings and product codes.
urlpatterns += [
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
