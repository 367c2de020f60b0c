"""The family's own view, included at "gezin/" (config/urls.py)."""

from django.urls import path

from jeugdketen.plans import family_views as views

urlpatterns = [
    path("", views.family_plans, name="family_plans"),
    path("<uuid:plan_id>/", views.family_plan, name="family_plan"),
    path("<uuid:plan_id>/plan.pdf", views.family_plan_pdf, name="family_plan_pdf"),
    path("<uuid:plan_id>/goedkeuren/", views.family_approve, name="family_approve"),
    path("<uuid:plan_id>/reactie/", views.family_comment, name="family_comment"),
    path("<uuid:plan_id>/toestemming/", views.family_consent_give, name="family_consent_give"),
    path("<uuid:plan_id>/toestemming/<int:consent_id>/intrekken/",
         views.family_consent_withdraw, name="family_consent_withdraw"),
]
