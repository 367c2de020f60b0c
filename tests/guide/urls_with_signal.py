"""The platform's URLs plus a stand-in for the reference index's "register a signal"
page, so the advice page's button can be tested before (and after) that page exists."""

from django.http import HttpResponse
from django.urls import path

from jeugdketen.config.urls import handler403, handler404, handler500
from jeugdketen.config.urls import urlpatterns as base

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def stand_in(request):
    return HttpResponse("register a signal")


urlpatterns = [*base, path("test-signaal-afgeven/", stand_in, name="signal_register")]
