"""The insight pages (issue 12), namespace "insight", under /inzicht/."""

from django.urls import path

from jeugdketen.insight import downloads, views

app_name = "insight"

urlpatterns = [
    path("", views.dashboard, name="insight"),
    path("instellingen/", views.publication, name="insight_settings"),
    path("download/", downloads.download, name="insight_download"),
]
