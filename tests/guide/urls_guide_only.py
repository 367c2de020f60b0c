"""Only the Signaalgids pages: no "register a signal" page anywhere."""

from django.urls import include, path

urlpatterns = [path("signaalgids/", include("jeugdketen.guide.urls"))]
