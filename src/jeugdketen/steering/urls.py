"""The steering pages (issue 13), namespace "steering", under /sturing/."""

from typing import Any

from django.urls import path

from jeugdketen.steering import time_views

app_name = "steering"

urlpatterns: list[Any] = [
    # steer-time: the weekly time question, the yearly survey and their figures
    path("tijd/", time_views.time_question, name="time"),
    path("werkplezier/", time_views.survey_page, name="survey"),
    path("tijd-en-werkplezier/", time_views.figures, name="effort_figures"),
]
