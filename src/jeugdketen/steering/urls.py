"""The steering pages (issue 13), namespace "steering", under /sturing/."""

from django.urls import URLPattern, URLResolver, path

from jeugdketen.steering import simulation_views, time_views

app_name = "steering"

urlpatterns: list[URLPattern | URLResolver] = [
    # steer-time: the weekly time question, the yearly survey and their figures
    path("tijd/", time_views.time_question, name="time"),
    path("werkplezier/", time_views.survey_page, name="survey"),
    path("tijd-en-werkplezier/", time_views.figures, name="effort_figures"),
    # steer-sim
    path("simulatie/", simulation_views.simulation, name="simulation"),
]
