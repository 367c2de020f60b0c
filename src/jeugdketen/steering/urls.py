"""The steering pages (issue 13), namespace "steering", under /sturing/."""

from django.urls import URLPattern, URLResolver, path

from jeugdketen.steering import simulation_views

app_name = "steering"

urlpatterns: list[URLPattern | URLResolver] = [
    # steer-sim
    path("simulatie/", simulation_views.simulation, name="simulation"),
]
