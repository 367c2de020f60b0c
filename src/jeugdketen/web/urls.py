"""The shell's pages: the start page ("Mijn werk"), login, the second factor and its
activation. Every other page lives with its app (config/urls.py includes them)."""

from django.urls import path

from jeugdketen.web.views import auth, home

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("2fa/", auth.two_factor, name="two_factor"),
    path("2fa/activeren/", auth.activate, name="activate_two_factor"),
]
