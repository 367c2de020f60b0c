from django.urls import path

from jeugdketen.web.views import (
    access_log,
    auth,
    corrections,
    home,
    households,
    persons,
    pickers,
    tokens,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("2fa/", auth.two_factor, name="two_factor"),
    path("2fa/activeren/", auth.activate, name="activate_two_factor"),
    path("personen/", persons.index, name="persons"),
    path("personen/nieuw/", persons.register, name="register_person"),
    path("personen/<str:person_id>/", persons.detail, name="person"),
    path("personen/<str:person_id>/grondslag/", persons.legal_basis, name="person_legal_basis"),
    path("huishoudens/nieuw/", households.register, name="register_household"),
    path("huishoudens/<str:household_id>/", households.detail, name="household"),
    path("noodtoegang/", persons.emergency, name="emergency"),
    path("toegang/", access_log.overview, name="access_overview"),
    path("toegang/<str:person_id>/", access_log.person_log, name="access_log"),
    path("privacy/noodtoegang/", access_log.review_list, name="review_list"),
    path("privacy/noodtoegang/<int:record_id>/", access_log.review, name="review"),
    path("beheer/correcties/", corrections.corrections, name="corrections"),
    path("beheer/correcties/<int:proposal_id>/", corrections.decide, name="decide_correction"),
    path("kiezen/jongeren/", pickers.youth, name="pick_youth"),
    path("kiezen/team/<uuid:plan_id>/", pickers.team, name="pick_team"),
    path("tokens/", tokens.tokens, name="tokens"),
    path("tokens/<int:token_id>/intrekken/", tokens.revoke, name="revoke_token"),
]
