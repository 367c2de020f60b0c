"""The access pages (included at the root by config/urls.py; the paths and names are
those the web pages always had)."""

from django.urls import path

from jeugdketen.access.views import access_log, tokens

urlpatterns = [
    path("toegang/", access_log.overview, name="access_overview"),
    path("toegang/<str:person_id>/", access_log.person_log, name="access_log"),
    path("privacy/noodtoegang/", access_log.review_list, name="review_list"),
    path("privacy/noodtoegang/<int:record_id>/", access_log.review, name="review"),
    path("tokens/", tokens.tokens, name="tokens"),
    path("tokens/<int:token_id>/intrekken/", tokens.revoke, name="revoke_token"),
]
