"""The front door's pages outside the professions (included at "" in config/urls.py): the
public form /melden/ with its confirmation, and the family's own reports under
/gezin/meldingen/ (beside the family's plans, plans/family_urls.py, which link here)."""

from django.urls import path

from jeugdketen.intake import public_views as views

app_name = "intake_public"

urlpatterns = [
    path("melden/", views.report_form, name="report"),
    path("melden/ontvangen/", views.received, name="received"),
    path("gezin/meldingen/", views.family_reports, name="family_reports"),
    path("gezin/meldingen/nieuw/", views.family_report_new, name="family_report_new"),
]
