"""The Signaalgids pages, under /signaalgids/ (see config/urls.py)."""

from django.urls import path

from jeugdketen.guide import views

urlpatterns = [
    path("", views.index, name="guide_index"),
    path("sessies/", views.sessions, name="guide_sessions"),
    path("sessies/<str:session_id>/", views.session_detail, name="guide_session"),
    path("<slug:slug>/", views.step, name="guide_step"),
]
