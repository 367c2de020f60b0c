from django.urls import path

from jeugdketen.analysis import views

# Under /plannen/ (config/urls.py): the analysis is a part of a family plan. The analysis
# page has two parts in its path: one part after the plan is a form of the plan (plans.urls).
urlpatterns = [
    path("<uuid:plan_id>/analyse/overzicht/", views.plan_analysis_page, name="plan_analysis_page"),
    path("<uuid:plan_id>/analyse/<uuid:person_id>/", views.analysis_page, name="plan_analysis"),
]
