"""The Signaalgids pages, under /signaalgids/ (see config/urls.py)."""

from django.urls import path

from jeugdketen.guide import admin_views, views

urlpatterns = [
    path("", views.index, name="guide_index"),
    path("sessies/", views.sessions, name="guide_sessions"),
    path("sessies/<str:session_id>/", views.session_detail, name="guide_session"),
    path("beheer/", admin_views.overview, name="guide_admin"),
    path("beheer/versies/<int:version_id>/", admin_views.version, name="guide_admin_version"),
    path("beheer/versies/<int:version_id>/activeren/", admin_views.activate,
         name="guide_admin_activate"),
    path("beheer/<slug:slug>/ingebouwd/", admin_views.restore, name="guide_admin_restore"),
    path("<slug:slug>/", views.step, name="guide_step"),
]
