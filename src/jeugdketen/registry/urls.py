"""The registry's pages (included at the root by config/urls.py; the paths and names are
those the web pages always had)."""

from django.urls import path

from jeugdketen.registry.views import corrections, households, persons

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
