"""The steering pages (issue 13), namespace "steering", under /sturing/."""

from django.urls import path  # noqa: F401

app_name = "steering"

urlpatterns: list = []
