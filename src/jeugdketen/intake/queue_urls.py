"""The front door's queue and settings pages (issue 11), namespace "intake_queue"."""

from django.urls import path

from jeugdketen.intake import queue_views as views

app_name = "intake_queue"

urlpatterns = [
    path("voordeur/wachtrij/", views.queue, name="queue"),
    path("voordeur/capaciteit/", views.capacity, name="capacity"),
    path("voordeur/normen/", views.norms_page, name="norms"),
]
