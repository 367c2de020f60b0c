"""The steering pages (issue 13), namespace "steering", under /sturing/."""

from django.urls import URLPattern, URLResolver

app_name = "steering"

urlpatterns: list[URLPattern | URLResolver] = []
