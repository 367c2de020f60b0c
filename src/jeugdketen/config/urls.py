from django.urls import include, path

from jeugdketen.config.api import api
from jeugdketen.plans.views import pickers as plan_pickers
from jeugdketen.referral_index import views as referral_index_views

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("signaalgids/", include("jeugdketen.guide.urls")),
    path("verwijsindex/", include("jeugdketen.referral_index.urls")),
    path("plannen/", include("jeugdketen.plans.urls")),
    path("plannen/", include("jeugdketen.analysis.urls")),
    path("gezin/", include("jeugdketen.plans.family_urls")),
    path("", include("jeugdketen.intake.urls")),
    path("", include("jeugdketen.intake.public_urls")),
    path("", include("jeugdketen.intake.queue_urls")),
    path("inzicht/", include("jeugdketen.insight.urls")),
    path("sturing/", include("jeugdketen.steering.urls")),
    path("", include("jeugdketen.web.urls")),
    # The pickers' endpoints (htmx asks them for a list of candidates), each with the app
    # whose picker it serves, at the root where the forms have always asked.
    path("kiezen/jongeren/", referral_index_views.pick_youth, name="pick_youth"),
    path("kiezen/team/<uuid:plan_id>/", plan_pickers.team, name="pick_team"),
    path("", include("jeugdketen.registry.urls")),
    path("", include("jeugdketen.access.urls")),
]

handler400 = "jeugdketen.config.errors.bad_request"
handler403 = "jeugdketen.web.views.forbidden"
# Problem details under /api/v1/, web pages elsewhere; a busy database is a 503.
handler404 = "jeugdketen.config.errors.not_found"
handler500 = "jeugdketen.config.errors.server_error"
