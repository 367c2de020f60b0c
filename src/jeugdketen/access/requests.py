"""The typed request of the JSON API: the bearer-token authentication (config/api.py)
sets `actor` on every authenticated request, and each endpoint reads it from there."""

from __future__ import annotations

from django.http import HttpRequest

from jeugdketen.access.policy import Actor


class ActorRequest(HttpRequest):
    """An API request after authentication: `actor` is who asks (access.policy.Actor).

    Only an annotation: django-ninja passes Django's own HttpRequest, and the API's
    authentication (config.api.BearerToken) sets `actor` before any endpoint runs."""

    actor: Actor
