"""The steering pages (issue 13), namespace "steering", under /sturing/."""

from django.urls import path
from django.urls.resolvers import URLPattern

from jeugdketen.steering import simulation_views

app_name = "steering"

urlpatterns: list[URLPattern] = [
    # steer-sim
    path("simulatie/", simulation_views.simulation, name="simulation"),
]
