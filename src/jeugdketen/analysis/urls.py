from django.urls import path

from jeugdketen.analysis import views

# Under /plannen/ (config/urls.py): the analysis is a part of a family plan.
urlpatterns = [
    path("<uuid:plan_id>/analyse/<uuid:person_id>/", views.analysis_page, name="plan_analysis"),
]
